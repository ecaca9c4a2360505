"""The latent space: drawing latent vectors, interpolating, and the directions that change a digit most.

Pure NumPy: nothing here calls a model (running the generator is :mod:`gan_lib.generation`).
Latent vectors ``z`` are float32, shaped ``(latent_dim,)`` or ``(N, latent_dim)``, drawn from
N(0, I) as in every generator of the package.

Drawing z is introduced in 02_mlp_gan; walking the space in 04_latent_space.
"""

from __future__ import annotations

import numpy as np


def random_latent_vectors(n: int, latent_dim: int, seed: int | None = None) -> np.ndarray:
    """``(n, latent_dim)`` float32 z ~ N(0, 1); the same seed gives the same vectors.

    Raises:
        ValueError: n or latent_dim < 1.
    """
    if n < 1 or latent_dim < 1:
        raise ValueError(f"n and latent_dim must be positive, got n={n}, latent_dim={latent_dim}")
    return np.random.default_rng(seed).standard_normal((n, latent_dim)).astype(np.float32)


def _pair(z0: np.ndarray, z1: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    z0, z1 = np.asarray(z0, np.float64), np.asarray(z1, np.float64)
    if z0.shape != z1.shape or z0.ndim != 1:
        raise ValueError(f"z0 and z1 must be two vectors of the same length (latent_dim,), got {z0.shape} and {z1.shape}")
    return z0, z1


def _fractions(t: float | np.ndarray) -> np.ndarray:
    t = np.atleast_1d(np.asarray(t, np.float64))
    if t.ndim != 1:
        raise ValueError(f"t must be a number or a 1-D array of fractions, got shape {t.shape}")
    return t[:, None]  # (T, 1)


def lerp(z0: np.ndarray, z1: np.ndarray, t: float | np.ndarray) -> np.ndarray:
    """Linear interpolation ``(1 - t) * z0 + t * z1``.

    Args:
        z0, z1: the end points, ``(latent_dim,)``.
        t: a fraction or a 1-D array of T fractions (0 gives z0, 1 gives z1).

    Returns:
        ``(T, latent_dim)`` float32 (T = 1 for a scalar t).

    Raises:
        ValueError: z0 and z1 are not vectors of one length, or t is not 0-D / 1-D.
    """
    z0, z1 = _pair(z0, z1)
    t = _fractions(t)
    return ((1.0 - t) * z0 + t * z1).astype(np.float32)


def slerp(z0: np.ndarray, z1: np.ndarray, t: float | np.ndarray) -> np.ndarray:
    """Spherical linear interpolation (Shoemake 1985), as White (2016) proposes for GAN latents.

    ``sin((1 - t) * omega) / sin(omega) * z0 + sin(t * omega) / sin(omega) * z1``, where omega is
    the angle between z0 and z1. Why it suits Gaussian latents: in high dimension almost all of
    N(0, I)'s mass lies near the sphere of radius sqrt(latent_dim), so the generator only ever saw
    vectors of about that norm. A straight line between two such vectors cuts through the inside of
    the sphere (its midpoint has norm about sqrt(latent_dim / 2) for independent end points), where
    the generator was never trained; slerp follows the arc, keeping the norm in between. (White,
    "Sampling Generative Networks", 2016, arXiv:1609.04468.)

    Args:
        z0, z1: the end points, ``(latent_dim,)``.
        t: a fraction or a 1-D array of T fractions (0 gives z0, 1 gives z1).

    Returns:
        ``(T, latent_dim)`` float32. Falls back to :func:`lerp` when z0 and z1 are (anti)parallel
        within 1e-6, where the arc is not defined by the two points alone.

    Raises:
        ValueError: as :func:`lerp`, or a zero-length end point.
    """
    z0, z1 = _pair(z0, z1)
    t = _fractions(t)
    norms = np.linalg.norm(z0) * np.linalg.norm(z1)
    if norms == 0:
        raise ValueError("slerp needs non-zero end points (the angle to a zero vector is undefined); use lerp")
    omega = np.arccos(np.clip(np.dot(z0, z1) / norms, -1.0, 1.0))
    if np.sin(omega) < 1e-6:
        return lerp(z0, z1, t[:, 0])
    return ((np.sin((1.0 - t) * omega) * z0 + np.sin(t * omega) * z1) / np.sin(omega)).astype(np.float32)


def interpolate(z0: np.ndarray, z1: np.ndarray, steps: int, method: str = "slerp") -> np.ndarray:
    """``steps`` evenly spaced points from z0 to z1, both included: ``(steps, latent_dim)`` float32.

    Raises:
        ValueError: steps < 2 or method not "slerp" / "lerp".
    """
    if steps < 2:
        raise ValueError(f"steps must be at least 2 (the two end points), got {steps}")
    methods = {"slerp": slerp, "lerp": lerp}
    if method not in methods:
        raise ValueError(f"unknown interpolation method {method!r}; choose 'slerp' or 'lerp'")
    return methods[method](z0, z1, np.linspace(0.0, 1.0, steps))


def principal_directions(z: np.ndarray, images: np.ndarray, k: int = 5) -> tuple[np.ndarray, np.ndarray]:
    """Latent directions along which the generated images vary most (GANSpace-style).

    Härkönen et al. (2020, "GANSpace", Sec. 2, the BigGAN case): run PCA on what the generator
    produces, then find by linear regression the latent direction that moves each principal
    component. Here the PCA runs on the generated pixels themselves, so direction 1 is the latent
    direction that best explains the largest image-space change across samples (for MNIST often
    stroke thickness, slant, or one digit turning into another). The first k raw coordinates of z
    would each change the image only a little and in no particular way, since a generator has no
    reason to align its features with the axes.

    Args:
        z: ``(N, latent_dim)`` latent vectors, N > k (use a few hundred or more).
        images: ``(N, ...)`` the generator's outputs for z, any pixel range (e.g. ``(N, 28, 28, 1)``
            float32 in [-1, 1]); flattened per sample.
        k: how many directions.

    Returns:
        ``(directions, explained)``: ``(k, latent_dim)`` float32 unit vectors, ordered by image
        variance; and ``(k,)`` float32, the share of the image variance each principal component
        explains (in [0, 1], decreasing).

    Raises:
        ValueError: mismatched lengths, k < 1, or too few samples (N <= k).
    """
    z = np.asarray(z, np.float64)
    x = np.asarray(images, np.float64).reshape(len(images), -1)  # (N, H*W*C)
    if z.ndim != 2 or len(z) != len(x):
        raise ValueError(f"z must be (N, latent_dim) with one row per image, got z {z.shape} and {len(x)} images")
    if k < 1 or len(z) <= k:
        raise ValueError(f"need 1 <= k < N, got k={k} with N={len(z)} samples")
    x = x - x.mean(axis=0)
    _, singular, components = np.linalg.svd(x, full_matrices=False)  # PCA: rows of components
    scores = x @ components[:k].T  # (N, k) principal-component coordinates of each image
    scores /= scores.std(axis=0) + 1e-12
    # Regression z ~ scores @ U: row j of U is the latent direction that moves component j.
    u, *_ = np.linalg.lstsq(scores, z - z.mean(axis=0), rcond=None)  # (k, latent_dim)
    directions = u / np.linalg.norm(u, axis=1, keepdims=True)
    explained = singular[:k] ** 2 / np.sum(singular**2)
    return directions.astype(np.float32), explained.astype(np.float32)


def move(z: np.ndarray, directions: np.ndarray, amounts: np.ndarray) -> np.ndarray:
    """``z + sum_j amounts[j] * directions[j]``: one latent vector moved along several directions.

    Args:
        z: ``(latent_dim,)``.
        directions: ``(k, latent_dim)``, e.g. from :func:`principal_directions` (unit length, so an
            amount is a distance in latent units; z itself has norm about sqrt(latent_dim)).
        amounts: ``(k,)``.

    Returns:
        ``(latent_dim,)`` float32.

    Raises:
        ValueError: shapes that do not fit together.
    """
    z, directions, amounts = np.asarray(z), np.asarray(directions), np.asarray(amounts, np.float64)
    if z.ndim != 1 or directions.shape[1:] != z.shape or amounts.shape != directions.shape[:1]:
        raise ValueError(f"need z (latent_dim,), directions (k, latent_dim), amounts (k,); "
                         f"got {z.shape}, {directions.shape}, {amounts.shape}")
    return (z + amounts @ directions).astype(np.float32)
