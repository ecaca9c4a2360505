"""The classifier score: the Inception Score's formula on the package's MNIST classifier (Salimans et al. 2016)."""

from __future__ import annotations

import keras
import numpy as np

from gan_lib.metrics.embedding import _embedding


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
