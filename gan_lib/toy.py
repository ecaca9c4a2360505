"""The GAN game in two dimensions: toy data sets, tiny MLP networks, and a mode-coverage count.

Every data set is a ``(N, 2)`` float32 array of points in the plane (units: none; all sets fit in
[-3, 3] x [-3, 3]), drawn from a NumPy generator seeded by ``seed``, so a seed gives the same points
everywhere. :func:`make_toy_dataset` turns points into the ``tf.data`` pipeline that
``gan_lib.GAN.fit()`` trains on: the 2-D GAN is trained by the same ``GAN`` class, the same losses and
the same ``fit()`` as the digit GANs; only the networks and the data are small.

* :func:`gaussian`: one isotropic Gaussian.
* :func:`ring`: ``modes`` Gaussians on a circle (the "ring of 8" of Metz et al. 2017, "Unrolled
  Generative Adversarial Networks"), the classic test for mode collapse; :func:`ring_centres` gives
  the centres.
* :func:`two_moons`: two interleaved half circles (as scikit-learn's ``make_moons``).
* :func:`spiral`: a two-armed spiral.

Networks: :func:`build_toy_generator` maps ``(B, latent_dim)`` z ~ N(0, 1) to ``(B, 2)`` points (linear
output, no tanh: the plane is not bounded); :func:`build_toy_discriminator` maps ``(B, 2)`` points to
``(B, 1)`` logits, like every discriminator in the package.

:func:`mode_coverage` counts which modes of a mixture a set of points covers.

Introduced in 00_gan_game_2d.
"""

from __future__ import annotations

from dataclasses import dataclass

import keras
import numpy as np
import tensorflow as tf
from keras import layers

from gan_lib.gan import GAN
from gan_lib.losses import saturating_generator_loss

RING_RADIUS = 2.0  # distance of the ring's centres from the origin
RING_STD = 0.05  # standard deviation of each ring mode, per coordinate


def _check_n(n: int) -> int:
    if int(n) < 1:
        raise ValueError(f"number of points must be a positive integer, got {n}")
    return int(n)


def gaussian(n: int, seed: int = 0, mean: tuple[float, float] = (0.0, 0.0), std: float = 0.5) -> np.ndarray:
    """``n`` points from N(mean, std² I).

    Returns:
        ``(n, 2)`` float32.

    Raises:
        ValueError: n < 1 or std <= 0.
    """
    if std <= 0:
        raise ValueError(f"std must be positive, got {std}")
    rng = np.random.default_rng(seed)
    return (np.asarray(mean, np.float32) + std * rng.standard_normal((_check_n(n), 2))).astype(np.float32)


def ring_centres(modes: int = 8, radius: float = RING_RADIUS) -> np.ndarray:
    """The centres of :func:`ring`'s modes: ``(modes, 2)`` float32, mode k at angle 2πk/modes (k = 0 on the +x axis)."""
    if int(modes) < 1:
        raise ValueError(f"modes must be a positive integer, got {modes}")
    angles = 2 * np.pi * np.arange(modes) / modes
    return (radius * np.stack([np.cos(angles), np.sin(angles)], axis=1)).astype(np.float32)


def ring(n: int, seed: int = 0, modes: int = 8, radius: float = RING_RADIUS, std: float = RING_STD) -> np.ndarray:
    """``n`` points from an equal mixture of ``modes`` Gaussians N(centre_k, std² I) on a circle.

    Returns:
        ``(n, 2)`` float32; point i belongs to mode ``i % modes`` (so every mode holds n/modes points,
        give or take one).
    """
    rng = np.random.default_rng(seed)
    centres = ring_centres(modes, radius)[np.arange(_check_n(n)) % modes]  # (n, 2)
    return (centres + std * rng.standard_normal((n, 2))).astype(np.float32)


def two_moons(n: int, seed: int = 0, noise: float = 0.05) -> np.ndarray:
    """Two interleaved half circles of radius 1 (upper centred at (0, 0), lower at (1, 0.5)), shifted and
    scaled by 1.5 so the set is centred near the origin, plus Gaussian noise of std ``noise``.

    Returns:
        ``(n, 2)`` float32; even rows on the upper moon, odd rows on the lower.
    """
    rng = np.random.default_rng(seed)
    t = rng.uniform(0, np.pi, _check_n(n))
    upper = np.arange(n) % 2 == 0
    x = np.where(upper, np.cos(t), 1 - np.cos(t))
    y = np.where(upper, np.sin(t), 0.5 - np.sin(t))
    points = 1.5 * (np.stack([x, y], axis=1) - [0.5, 0.25])
    return (points + noise * rng.standard_normal((n, 2))).astype(np.float32)


def spiral(n: int, seed: int = 0, turns: float = 1.5, noise: float = 0.05) -> np.ndarray:
    """A two-armed spiral reaching radius 2.5: arm 2 is arm 1 turned by 180°.

    Returns:
        ``(n, 2)`` float32; even rows on the first arm, odd rows on the second.
    """
    rng = np.random.default_rng(seed)
    s = np.sqrt(rng.uniform(0.02, 1, _check_n(n)))  # sqrt: points spread evenly along the arm
    angle = 2 * np.pi * turns * s + np.pi * (np.arange(n) % 2)
    points = 2.5 * s[:, None] * np.stack([np.cos(angle), np.sin(angle)], axis=1)
    return (points + noise * rng.standard_normal((n, 2))).astype(np.float32)


DATASETS = {"gaussian": gaussian, "ring": ring, "two_moons": two_moons, "spiral": spiral}


def make_toy_dataset(points: np.ndarray, batch_size: int = 256, seed: int = 0) -> tf.data.Dataset:
    """Shuffled, repeated batches of ``points`` for ``GAN.fit(dataset, steps_per_epoch=...)``.

    Args:
        points: ``(N, 2)`` float (e.g. ``ring(20_000)``); N >= batch_size.
        batch_size: points per batch; the last, smaller batch of each pass is dropped.
        seed: shuffle seed.

    Returns:
        An endless ``tf.data.Dataset`` of ``(batch_size, 2)`` float32 batches (give ``fit()`` a
        ``steps_per_epoch``).

    Raises:
        ValueError: points not ``(N, 2)`` or fewer than batch_size of them.
    """
    points = np.asarray(points, np.float32)
    if points.ndim != 2 or points.shape[1] != 2:
        raise ValueError(f"points must have shape (N, 2), got {points.shape}")
    if len(points) < batch_size:
        raise ValueError(f"need at least batch_size={batch_size} points, got {len(points)}; draw more points")
    dataset = tf.data.Dataset.from_tensor_slices(points).shuffle(len(points), seed=seed, reshuffle_each_iteration=True)
    return dataset.batch(batch_size, drop_remainder=True).repeat().prefetch(tf.data.AUTOTUNE)


def build_toy_generator(latent_dim: int = 2, hidden: int = 128, depth: int = 2) -> keras.Model:
    """z -> [Dense(hidden), ReLU] x depth -> Dense 2 (linear).

    Returns:
        Model mapping ``(B, latent_dim)`` float32 ~ N(0, 1) to ``(B, 2)`` float32 points.
        17,154 parameters at the defaults (latent_dim 2, hidden 128, depth 2).

    Raises:
        ValueError: latent_dim, hidden or depth < 1.
    """
    if min(latent_dim, hidden, depth) < 1:
        raise ValueError(f"latent_dim, hidden and depth must be positive, got {latent_dim}, {hidden}, {depth}")
    hidden_layers = [layers.Dense(hidden, activation="relu") for _ in range(depth)]
    return keras.Sequential([keras.Input((latent_dim,)), *hidden_layers, layers.Dense(2)], name="toy_generator")


def build_toy_discriminator(hidden: int = 128, depth: int = 2) -> keras.Model:
    """x -> [Dense(hidden), LeakyReLU(0.2)] x depth -> Dense 1 (a logit; D(x) = sigmoid(logit)).

    Returns:
        Model mapping ``(B, 2)`` float32 points to ``(B, 1)`` float32 logits. 17,025 parameters at the
        defaults.

    Raises:
        ValueError: hidden or depth < 1.
    """
    if min(hidden, depth) < 1:
        raise ValueError(f"hidden and depth must be positive, got {hidden}, {depth}")
    hidden_layers = []
    for _ in range(depth):
        hidden_layers += [layers.Dense(hidden), layers.LeakyReLU(negative_slope=0.2)]
    return keras.Sequential([keras.Input((2,)), *hidden_layers, layers.Dense(1)], name="toy_discriminator")


@dataclass(frozen=True)
class ModeCoverage:
    """What :func:`mode_coverage` found.

    Attributes:
        shares: ``(modes,)`` float, the share of all points within the radius of each mode's centre.
        covered: the number of modes whose share is at least ``min_share``.
        on_modes: the share of points within the radius of any centre (1 - this = points "off the data").
        min_share: the threshold used.
    """

    shares: np.ndarray
    covered: int
    on_modes: float
    min_share: float


def mode_coverage(points: np.ndarray, centres: np.ndarray, radius: float = 3 * RING_STD,
                  min_share: float = 0.02) -> ModeCoverage:
    """Which modes of a mixture do ``points`` cover?

    A point belongs to a mode when it lies within ``radius`` (default 3σ of the ring's modes) of the
    mode's centre; a mode counts as **covered** when at least ``min_share`` of all points belong to it
    (default 2%: a sixth of the 12.5% each of 8 modes holds in the data). So a generator that puts
    its points on 2 of 8 modes scores 2, and one that spreads them thinly between the modes scores 0.

    Args:
        points: ``(N, 2)`` float, e.g. 1,000 generated points.
        centres: ``(modes, 2)`` float, e.g. :func:`ring_centres`.
        radius: distance from a centre within which a point counts for that mode (same units as points).
        min_share: share of all points a mode needs to count as covered, in (0, 1].

    Returns:
        :class:`ModeCoverage`.

    Raises:
        ValueError: points or centres not ``(·, 2)``, no points, or radius / min_share out of range.
    """
    points, centres = np.asarray(points, np.float64), np.asarray(centres, np.float64)
    if points.ndim != 2 or points.shape[1] != 2 or len(points) == 0 or centres.ndim != 2 or centres.shape[1] != 2:
        raise ValueError(f"points and centres must have shape (N, 2) with N >= 1, got {points.shape} and {centres.shape}")
    if radius <= 0 or not 0 < min_share <= 1:
        raise ValueError(f"need radius > 0 and 0 < min_share <= 1, got radius={radius}, min_share={min_share}")
    distances = np.linalg.norm(points[:, None, :] - centres[None, :, :], axis=-1)  # (N, modes)
    within = distances <= radius
    shares = within.mean(axis=0)  # (modes,)
    return ModeCoverage(shares=shares, covered=int((shares >= min_share).sum()),
                        on_modes=float(within.any(axis=1).mean()), min_share=float(min_share))


class SaturatingGAN(GAN):
    """``GAN`` whose generator minimizes the minimax loss ``log(1 - D(G(z)))``, for comparison only."""

    def _g_loss(self, fake_logits: tf.Tensor) -> tf.Tensor:
        return saturating_generator_loss(fake_logits)
