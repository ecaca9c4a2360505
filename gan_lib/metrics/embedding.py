"""The classifier's view of an image set (features and logits), computed once and shared by every metric."""

from __future__ import annotations

import dataclasses

import keras
import numpy as np

from gan_lib.classifier import FEATURES, as_model_images, load_classifier


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
