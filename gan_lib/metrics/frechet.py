"""The Fréchet distance between two image sets, in the classifier's feature space (FID's formula).

The squared 2-Wasserstein (Fréchet) distance between Gaussians fitted to the two sets of
features (Heusel et al. 2017; Dowson & Landau 1982).
"""

from __future__ import annotations

import keras
import numpy as np

from gan_lib.metrics.embedding import _embedding


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
