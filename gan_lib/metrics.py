"""How good is a GAN? FID, the classifier score, class coverage and nearest neighbours.

All image metrics run on one small MNIST classifier (:mod:`gan_lib.classifier`)
instead of Inception-v3, as TF-GAN's "Fréchet classifier distance" and "MNIST score"
do. Numbers are therefore comparable between runs of this package, **not** with
FID or Inception Score values published for other networks.

Pixel input everywhere: ``(N, 28, 28)`` or ``(N, 28, 28, 1)``, uint8 in [0, 255]
or float in [-1, 1]. A wrong shape, dtype or range raises ValueError.

**Sample size.** FID is biased upward at small N (Chong & Forsyth 2020, "Effectively
Unbiased FID"): the same generator scores worse with fewer samples, and even two sets
of real images score above 0. Always compare at equal N, and state N. The classifier
score is biased too (downward at small N). Lesson 05 measures both.

Compute the classifier's outputs once per image set with :func:`embed` and pass the
:class:`Embedding` to every metric; each metric also accepts raw images.

Introduced in 05_evaluating_gans.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import math
import os
from pathlib import Path

import keras
import numpy as np

from gan_lib.classifier import FEATURES, as_model_images, load_classifier

COVERAGE_THRESHOLD = 0.05  # a class "is present" when it holds at least 5% of the samples


@dataclasses.dataclass(frozen=True)
class Embedding:
    """The classifier's view of an image set, computed once and reused by every metric.

    Attributes:
        features: ``(N, 128)`` float64, the penultimate ("features") layer: FID's space.
        logits: ``(N, 10)`` float64 class logits: the classifier score and coverage.
    """

    features: np.ndarray
    logits: np.ndarray

    def __len__(self) -> int:
        return len(self.features)

    @property
    def probabilities(self) -> np.ndarray:
        """``(N, 10)`` float64 softmax of the logits; rows sum to 1."""
        shifted = self.logits - self.logits.max(axis=1, keepdims=True)
        exp = np.exp(shifted)
        return exp / exp.sum(axis=1, keepdims=True)


def embed(images: np.ndarray, classifier: keras.Model | None = None, batch_size: int = 500) -> Embedding:
    """Run the classifier once over ``images``, keeping its features and logits.

    Args:
        images: ``(N, 28, 28)`` or ``(N, 28, 28, 1)``, uint8 in [0, 255] or float in [-1, 1].
        classifier: a model with a ``"features"`` layer (default: the shipped one,
            :func:`gan_lib.classifier.load_classifier`; pass it in to avoid reloading).
        batch_size: images per forward pass (bounds memory).

    Returns:
        An :class:`Embedding` of N rows.

    Raises:
        ValueError: bad shape, dtype or range, or a classifier with no ``"features"`` layer.
    """
    x = as_model_images(images)
    classifier = classifier or load_classifier()
    try:
        features_layer = classifier.get_layer(FEATURES)
    except ValueError as err:
        raise ValueError(f"the classifier has no {FEATURES!r} layer; build it with gan_lib.classifier") from err
    both = keras.Model(classifier.inputs[0], [features_layer.output, classifier.outputs[0]])
    # Direct calls, not predict(): predict() traces a new function for every new sub-model.
    outputs = [both(x[i : i + batch_size], training=False) for i in range(0, len(x), batch_size)]
    features = np.concatenate([np.asarray(f) for f, _ in outputs]).astype(np.float64)  # (N, 128)
    logits = np.concatenate([np.asarray(l) for _, l in outputs]).astype(np.float64)  # (N, 10)
    return Embedding(features, logits)


def _embedding(images_or_embedding, classifier: keras.Model | None) -> Embedding:
    if isinstance(images_or_embedding, Embedding):
        return images_or_embedding
    return embed(images_or_embedding, classifier)


def _sqrtm_psd(matrix: np.ndarray) -> np.ndarray:
    """Square root of a symmetric positive semi-definite matrix (eigenvalues clipped at 0)."""
    values, vectors = np.linalg.eigh((matrix + matrix.T) / 2)
    return (vectors * np.sqrt(np.clip(values, 0, None))) @ vectors.T


def frechet_distance_from_moments(mu1: np.ndarray, sigma1: np.ndarray, mu2: np.ndarray, sigma2: np.ndarray) -> float:
    """Fréchet (2-Wasserstein) distance between N(mu1, sigma1) and N(mu2, sigma2).

    ``d^2 = |mu1 - mu2|^2 + Tr(S1) + Tr(S2) - 2 Tr((S1 S2)^(1/2))`` (Dowson & Landau 1982).
    The trace of ``(S1 S2)^(1/2)`` is computed without SciPy, stably, as the sum of
    the square roots of the eigenvalues of the symmetric matrix ``S1^(1/2) S2 S1^(1/2)``
    (same eigenvalues as ``S1 S2``), clipped at 0.

    Args:
        mu1, mu2: ``(D,)`` means.
        sigma1, sigma2: ``(D, D)`` symmetric positive semi-definite covariances.

    Returns:
        ``d^2`` as a float >= 0 (FID reports the squared distance).

    Raises:
        ValueError: shapes that do not match.
    """
    mu1, mu2 = np.asarray(mu1, np.float64), np.asarray(mu2, np.float64)
    sigma1, sigma2 = np.asarray(sigma1, np.float64), np.asarray(sigma2, np.float64)
    d = mu1.shape[0]
    if mu1.shape != (d,) or mu2.shape != (d,) or sigma1.shape != (d, d) or sigma2.shape != (d, d):
        raise ValueError(f"expected means (D,) and covariances (D, D); got {mu1.shape}, {sigma1.shape}, "
                         f"{mu2.shape}, {sigma2.shape}")
    root1 = _sqrtm_psd(sigma1)
    eigenvalues = np.linalg.eigvalsh(root1 @ sigma2 @ root1)
    trace_sqrt = float(np.sqrt(np.clip(eigenvalues, 0, None)).sum())
    distance = float(np.sum((mu1 - mu2) ** 2) + np.trace(sigma1) + np.trace(sigma2) - 2 * trace_sqrt)
    return max(distance, 0.0)


def frechet_distance(real, fake, classifier: keras.Model | None = None) -> float:
    """FID (Heusel et al. 2017, "GANs Trained by a Two Time-Scale Update Rule...") on the classifier's features.

    Fits a Gaussian to each set's ``"features"`` vectors (D = 128) and returns the
    squared Fréchet distance ``|mu_r - mu_f|^2 + Tr(S_r + S_f - 2 (S_r S_f)^(1/2))``
    (see :func:`frechet_distance_from_moments`). 0 means identical statistics; lower is
    better. Biased upward at small N: compare only at equal N (module docstring).

    Args:
        real, fake: images (see :func:`embed`) or :class:`Embedding`; at least 2 each.
        classifier: used when images are given (default: the shipped classifier).

    Returns:
        FID, a float >= 0.

    Raises:
        ValueError: bad images, or fewer than 2 in a set.
    """
    real, fake = _embedding(real, classifier), _embedding(fake, classifier)
    if len(real) < 2 or len(fake) < 2:
        raise ValueError(f"FID needs at least 2 images per set, got {len(real)} real and {len(fake)} fake")
    return frechet_distance_from_moments(real.features.mean(0), np.cov(real.features, rowvar=False),
                                         fake.features.mean(0), np.cov(fake.features, rowvar=False))


def score_from_probabilities(probabilities: np.ndarray) -> float:
    """Inception Score formula (Salimans et al. 2016): ``exp(E_x KL(p(y|x) || p(y)))``.

    ``p(y)`` is the mean of the rows. High when each image is confidently one class
    (low entropy of p(y|x)) and the classes are used evenly (high entropy of p(y)).

    Args:
        probabilities: ``(N, C)`` rows of class probabilities (each sums to 1).

    Returns:
        A float in [1, C]: C for confident, perfectly balanced predictions; 1 for one class.

    Raises:
        ValueError: not a 2-D array of non-negative rows that sum to 1.
    """
    p = np.asarray(probabilities, np.float64)
    if p.ndim != 2 or len(p) == 0 or np.any(p < 0) or not np.allclose(p.sum(1), 1.0, atol=1e-4):
        raise ValueError(f"probabilities must be (N, C) non-negative rows summing to 1, got shape {p.shape}")
    marginal = p.mean(axis=0, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        kl = np.where(p > 0, p * (np.log(p) - np.log(marginal)), 0.0).sum(axis=1)  # (N,)
    return float(np.exp(kl.mean()))


def classifier_score(fake, classifier: keras.Model | None = None) -> float:
    """The classifier score ("MNIST score", TF-GAN): the Inception Score formula on our classifier's softmax.

    See :func:`score_from_probabilities`. Maximum 10 (ten digits, each image classified
    with certainty, all classes equally often); real MNIST test digits score about 9.5
    with the shipped classifier. Computed over all N images in one split.

    Args:
        fake: images (see :func:`embed`) or an :class:`Embedding`.
        classifier: used when images are given (default: the shipped classifier).

    Returns:
        A float in [1, 10]; higher is better.
    """
    return score_from_probabilities(_embedding(fake, classifier).probabilities)


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


def evaluate(fake: np.ndarray, real: np.ndarray, train: np.ndarray | None = None,
             classifier: keras.Model | None = None, n: int | None = None, seed: int = 0,
             max_neighbours: int = 1000) -> dict:
    """Every metric for one image set, at equal N against ``real``.

    Args:
        fake: the images to judge (see :func:`embed` for the accepted forms).
        real: the reference images for FID (e.g. the MNIST test images).
        train: optional training images: adds the median nearest-neighbour distance
            of up to ``max_neighbours`` fake images (the memorization check).
        classifier: default the shipped one.
        n: images per set; default ``min(len(fake), len(real))``. Larger sets are
            reduced to a random subset of ``n`` (seeded by ``seed``), so FID compares equal N.
        seed: seed of those subsets.
        max_neighbours: cap on the images searched for neighbours (cost grows as N x M).

    Returns:
        ``{"n", "fid", "classifier_score", "classes", "kl_to_uniform", "histogram"}``
        plus ``"nn_median"`` (and ``"nn_n"``, the images searched) when ``train`` is given.

    Raises:
        ValueError: bad images, fewer than 2 per set, or ``n`` larger than a set.
    """
    fake, real = as_model_images(fake, "fake images"), as_model_images(real, "real images")
    n = min(len(fake), len(real)) if n is None else int(n)
    if not 2 <= n <= min(len(fake), len(real)):
        raise ValueError(f"n must be between 2 and the smaller set ({len(fake)} fake, {len(real)} real), got {n}")
    rng = np.random.default_rng(seed)
    fake = fake if len(fake) == n else fake[np.sort(rng.choice(len(fake), n, replace=False))]
    real = real if len(real) == n else real[np.sort(rng.choice(len(real), n, replace=False))]
    classifier = classifier or load_classifier()
    fake_embedding = embed(fake, classifier)
    result = {
        "n": n,
        "fid": frechet_distance(embed(real, classifier), fake_embedding),
        "classifier_score": classifier_score(fake_embedding),
        **class_coverage(fake_embedding),
    }
    if train is not None:
        searched = fake[:max_neighbours]
        distances, _ = nearest_neighbours(searched, train)
        result["nn_median"] = float(np.median(distances))
        result["nn_n"] = len(searched)
    return result


class MetricsCallback(keras.callbacks.Callback):
    """Every ``every`` epochs, measure the generator: FID, classifier score, coverage.

    Draws ``n`` images from **fixed** latent vectors (so epochs are comparable) and
    compares them with ``n`` real images at equal N. The values go into the epoch's
    ``logs`` as ``fid``, ``classifier_score``, ``classes_5pct`` and ``kl_to_uniform``,
    so ``History`` (and a ``keras.callbacks.TensorBoard`` placed *after* this callback)
    records them; on epochs that are not measured they are NaN, which keeps every
    History list one entry per epoch. The measured epochs alone are in ``self.history``
    (``{"epoch": [...], "fid": [...], ...}``, epoch = epochs completed), and written to
    TensorBoard under ``log_dir`` when it is given.

    Use it with ``gan_lib.GAN.fit`` or ``gan_lib.train(..., callbacks=[MetricsCallback(...)])``.
    (``train()``'s ``history.csv`` is written before user callbacks run, so it does not hold
    these columns; use ``self.history``.) Costs about one second per measurement for n = 1,000
    on a 2-core CPU.

    Args:
        real_images: ``(M, 28, 28)`` uint8 (or float in [-1, 1]) reference images, M >= n.
        every: epochs between measurements (also measured at the last epoch and when stopped early).
        n: images per set (FID depends on N: keep it fixed when comparing runs).
        seed: seed of the fixed latent vectors and of the real subset.
        classifier: default the shipped one.
        log_dir: optional folder for TensorBoard scalars (needs the ``tensorboard`` package).

    Raises:
        ValueError: bad images, fewer than ``n`` real images, or n < 2.
        ImportError: ``log_dir`` is given but ``tensorboard`` is not installed.
    """

    KEYS = ("fid", "classifier_score", "classes_5pct", "kl_to_uniform")

    def __init__(self, real_images: np.ndarray, every: int = 1, n: int = 1000, seed: int = 0,
                 classifier: keras.Model | None = None, log_dir: str | os.PathLike | None = None):
        super().__init__()
        real = as_model_images(real_images, "real images")
        if not 2 <= n <= len(real):
            raise ValueError(f"n must be between 2 and the number of real images ({len(real)}), got {n}")
        if every < 1:
            raise ValueError(f"every must be a positive integer, got {every}")
        if log_dir is not None and importlib.util.find_spec("tensorboard") is None:
            raise ImportError("log_dir needs the tensorboard package (pip install tensorboard); "
                              "or leave log_dir out and read the values from History")
        self.real = real if len(real) == n else real[np.sort(np.random.default_rng(seed).choice(len(real), n, replace=False))]
        self.every, self.n, self.seed = every, n, seed
        self.classifier = classifier
        self.log_dir = Path(log_dir) if log_dir is not None else None
        self.history: dict[str, list] = {"epoch": [], **{key: [] for key in self.KEYS}}
        self._real_embedding: Embedding | None = None
        self._writer = None

    def on_train_begin(self, logs: dict | None = None) -> None:
        from gan_lib.sampling import random_latent_vectors

        self.classifier = self.classifier or load_classifier()
        if self._real_embedding is None:
            self._real_embedding = embed(self.real, self.classifier)
        self.z = random_latent_vectors(self.n, self.model.generator.input_shape[-1], self.seed)
        if self.log_dir is not None and self._writer is None:
            import tensorflow as tf

            self._writer = tf.summary.create_file_writer(str(self.log_dir))

    def measure(self) -> dict:
        """The metrics of the current generator: ``{"fid", "classifier_score", "classes_5pct", "kl_to_uniform"}``."""
        from gan_lib.sampling import generate

        fake = embed(generate(self.model.generator, self.z), self.classifier)
        coverage = class_coverage(fake)
        return {
            "fid": frechet_distance(self._real_embedding, fake),
            "classifier_score": classifier_score(fake),
            "classes_5pct": float(coverage["classes"]),
            "kl_to_uniform": coverage["kl_to_uniform"],
        }

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        from gan_lib.callbacks import _due

        logs = logs if logs is not None else {}
        if not _due(self, epoch, self.every):
            logs.update({key: math.nan for key in self.KEYS})
            return
        values = self.measure()
        logs.update(values)
        self.history["epoch"].append(epoch + 1)
        for key in self.KEYS:
            self.history[key].append(values[key])
        if self._writer is not None:
            import tensorflow as tf

            with self._writer.as_default():
                for key, value in values.items():
                    tf.summary.scalar(key, value, step=epoch + 1)
            self._writer.flush()

    def on_train_end(self, logs: dict | None = None) -> None:
        if self._writer is not None:
            self._writer.close()
            self._writer = None


def report(images: np.ndarray, x_test: np.ndarray, x_train: np.ndarray, classifier: keras.Model | None = None,
           seed: int = 0) -> dict:
    """The ``evaluate`` command's numbers: generated images beside real ones, at equal N.

    * ``"generated"``: :func:`evaluate` of ``images`` against ``x_test`` (neighbours searched in ``x_train``);
    * ``"real"``: the floor, :func:`evaluate` of N test images against N other real
      (training) images: FID of real vs real, and the score, coverage and
      nearest-neighbour distance that real digits get.

    Args:
        images: generated images, uint8 ``(N, 28, 28)`` (or float in [-1, 1]).
        x_test: real reference images (e.g. the MNIST test set).
        x_train: training images of the GAN (neighbours; the real-vs-real floor).
        classifier: default the shipped one.
        seed: seed of the equal-N subsets.

    Returns:
        ``{"n": N, "generated": {...}, "real": {...}}`` with N = min(len(images), len(x_test), len(x_train)).
    """
    classifier = classifier or load_classifier()
    n = min(len(images), len(x_test), len(x_train))
    return {
        "n": n,
        "generated": evaluate(images, x_test, x_train, classifier, n=n, seed=seed),
        "real": evaluate(x_test, x_train, x_train, classifier, n=n, seed=seed),
    }


def format_report(result: dict) -> str:
    """A Markdown table of :func:`report`'s result (plus ``"samples"`` / ``"reference"`` if present)."""
    generated, real = result["generated"], result["real"]
    lines = []
    if "samples" in result:
        lines.append(f"{result['samples']}: N = {result['n']:,} generated images vs N = {result['n']:,} real "
                     f"test images ({result.get('reference', 'MNIST')})\n")
    lines += [
        "| metric | generated | real digits |",
        "|---|---|---|",
        (f"| FID, classifier features (lower is better; real = train vs test images) "
         f"| {generated['fid']:.2f} | {real['fid']:.2f} |"),
        f"| classifier score (max 10) | {generated['classifier_score']:.2f} | {real['classifier_score']:.2f} |",
        f"| classes with >= 5% of samples (of 10) | {generated['classes']} | {real['classes']} |",
        (f"| KL(class histogram ‖ uniform), nats (0 = balanced, 2.30 = one class) "
         f"| {generated['kl_to_uniform']:.3f} | {real['kl_to_uniform']:.3f} |"),
    ]
    if "nn_median" in generated:
        lines.append(f"| median distance to the nearest training image (pixels in [0, 1]; N = {generated['nn_n']:,}) "
                     f"| {generated['nn_median']:.2f} | {real['nn_median']:.2f} |")
    histogram = " ".join(f"{digit}:{share:.0%}" for digit, share in enumerate(generated["histogram"]))
    lines.append(f"\ngenerated digits by class: {histogram}")
    return "\n".join(lines)
