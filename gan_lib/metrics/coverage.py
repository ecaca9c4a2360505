"""Which digits a generator draws: class coverage from the classifier's labels, and nearest training images."""

from __future__ import annotations

import keras
import numpy as np

from gan_lib.classifier import as_model_images
from gan_lib.metrics.embedding import _embedding

COVERAGE_THRESHOLD = 0.05  # a class "is present" when it holds at least 5% of the samples


def coverage_from_labels(labels: np.ndarray, num_classes: int = 10, threshold: float = COVERAGE_THRESHOLD) -> dict:
    """The mode-collapse detector on predicted labels.

    Args:
        labels: ``(N,)`` integer class labels in ``0..num_classes-1``.
        num_classes: number of classes.
        threshold: share of the samples a class needs to count as present.

    Returns:
        ``{"histogram": [num_classes floats summing to 1], "classes": int, "kl_to_uniform": float}``:
        ``classes`` is the number of classes holding at least ``threshold`` of the
        samples; ``kl_to_uniform`` is ``KL(h || uniform) = sum_c h_c log(h_c num_classes)``
        in nats, 0 for perfectly balanced classes, ``log(num_classes)`` (2.30 for
        10) for a single class.

    Raises:
        ValueError: not a non-empty 1-D array of integer labels in range.
    """
    labels = np.asarray(labels)
    if labels.ndim != 1 or len(labels) == 0 or labels.dtype.kind not in "iu" or labels.min() < 0 \
            or labels.max() >= num_classes:
        raise ValueError(f"labels must be a non-empty (N,) integer array in 0..{num_classes - 1}, "
                         f"got {labels.shape} {labels.dtype}")
    histogram = np.bincount(labels, minlength=num_classes) / len(labels)
    nonzero = histogram[histogram > 0]
    return {
        "histogram": [float(h) for h in histogram],
        "classes": int(np.sum(histogram >= threshold)),
        "kl_to_uniform": float(np.sum(nonzero * np.log(nonzero * num_classes))),
    }


def class_coverage(fake, classifier: keras.Model | None = None, threshold: float = COVERAGE_THRESHOLD) -> dict:
    """Which digits does the generator draw, and how evenly? The mode-collapse detector.

    Classifies each image (argmax of the classifier's logits) and summarizes the
    histogram with :func:`coverage_from_labels`. A healthy MNIST generator covers all
    10 classes with a KL to uniform near 0; a collapsed one covers 1-3 classes.
    Note the histogram counts the classifier's guesses, so unreadable blobs still land
    in *some* class: read it together with FID and the classifier score.

    Args:
        fake: images (see :func:`embed`) or an :class:`Embedding`.
        classifier: used when images are given (default: the shipped classifier).
        threshold: share of the samples a class needs to count (default 5%).

    Returns:
        ``{"histogram": [10 floats], "classes": int in 0..10, "kl_to_uniform": float in nats}``.
    """
    labels = _embedding(fake, classifier).logits.argmax(axis=1)
    return coverage_from_labels(labels, 10, threshold)


def _unit_pixels(images: np.ndarray, what: str) -> np.ndarray:
    """(N, 784) float32 in [0, 1]."""
    return ((as_model_images(images, what) + 1.0) / 2.0).reshape(-1, 28 * 28)


def nearest_neighbours(fake: np.ndarray, train: np.ndarray, k: int = 1,
                       max_elements: int = 16_000_000) -> tuple[np.ndarray, np.ndarray]:
    """For each fake image, its ``k`` closest training images: the memorization check.

    Distance: Euclidean in pixel space with pixels scaled to [0, 1], so it ranges from 0
    (a copy of a training image) to 28 (= sqrt(784), all pixels opposite). A generator
    that memorizes shows many fakes much closer to the training set than real test
    images are (compare with ``nearest_neighbours(x_test, x_train)``).

    Candidates are found with the ``|a|^2 + |b|^2 - 2 a.b`` expansion in float32, in
    blocks of fake images so that a block's distance matrix holds at most
    ``max_elements`` numbers (64 MB), then the k distances are recomputed exactly.

    Args:
        fake: ``(N, 28, 28)`` or ``(N, 28, 28, 1)``, uint8 in [0, 255] or float in [-1, 1].
        train: ``(M, 28, 28)`` or ``(M, 28, 28, 1)``, same conventions; M >= k.
        k: neighbours per fake image.
        max_elements: bound on the size of one block of the distance matrix.

    Returns:
        ``(distances, indices)``: ``(N, k)`` float32 distances in ascending order, and
        ``(N, k)`` int64 indices into ``train``.

    Raises:
        ValueError: bad images, or k not in 1..M.
    """
    a, b = _unit_pixels(fake, "fake images"), _unit_pixels(train, "training images")
    if not 1 <= k <= len(b):
        raise ValueError(f"k must be between 1 and the number of training images ({len(b)}), got {k}")
    b_squared = np.einsum("ij,ij->i", b, b)  # (M,)
    block = max(1, max_elements // max(len(b), 784 * k))
    distances, indices = np.empty((len(a), k), np.float32), np.empty((len(a), k), np.int64)
    for start in range(0, len(a), block):
        chunk = a[start : start + block]  # (n, 784)
        squared = b_squared[None, :] - 2.0 * (chunk @ b.T)  # (n, M): squared distances minus the constant |a|^2
        top = np.argpartition(squared, k - 1, axis=1)[:, :k] if k < len(b) else np.argsort(squared, axis=1)
        # exact distances of the k candidates, in float64, ascending
        exact = np.sqrt(((chunk[:, None, :].astype(np.float64) - b[top]) ** 2).sum(-1))  # (n, k)
        order = np.argsort(exact, axis=1, kind="stable")
        distances[start : start + block] = np.take_along_axis(exact, order, 1)
        indices[start : start + block] = np.take_along_axis(top, order, 1)
    return distances, indices
