"""Pictures of the GAN game in the plane: what D believes, and where G is pushed.

* :func:`discriminator_map`: D(x) = sigmoid(logit) on a grid over the plane, for a heat map.
* :func:`generator_gradient_field`: the gradient of the generator loss with respect to each generated
  point. G's update moves its points along minus this gradient (through G's weights, so only
  approximately), so drawn as arrows it shows where G is being pushed.
* :func:`optimal_discriminator`: D*(x) = p_data / (p_data + p_g) (Goodfellow et al. 2014, Prop. 1)
  from two densities, with :func:`kde_density` to estimate p_g from samples.
* :func:`draw_game`: heat map + real points + generated points + arrows on one matplotlib axis.

Coordinates: points are ``(N, 2)`` float32 ``(x, y)``; an ``extent`` is ``(x_min, x_max, y_min, y_max)``;
grids are ``(resolution, resolution)`` with row 0 at ``y_min`` (draw with ``imshow(origin="lower")``).

Introduced in 00_gan_game_2d.
"""

from __future__ import annotations

from collections.abc import Callable

import keras
import numpy as np
import tensorflow as tf

from gan_lib.losses import generator_loss

Extent = tuple[float, float, float, float]
EXTENT: Extent = (-3.0, 3.0, -3.0, 3.0)  # every toy data set fits in it
CMAP = "PRGn"  # D(x): purple = "fake" (0), white = unsure (0.5), green = "real" (1)


def grid_points(extent: Extent = EXTENT, resolution: int = 80) -> np.ndarray:
    """The centres of a ``resolution`` x ``resolution`` grid over ``extent``: ``(resolution², 2)`` float32,
    row-major with y growing slowest (reshape a per-point value to ``(resolution, resolution)``)."""
    x_min, x_max, y_min, y_max = extent
    xs = np.linspace(x_min, x_max, resolution, dtype=np.float32)
    ys = np.linspace(y_min, y_max, resolution, dtype=np.float32)
    return np.stack(np.meshgrid(xs, ys), axis=-1).reshape(-1, 2)


def discriminator_map(discriminator: keras.Model, extent: Extent = EXTENT, resolution: int = 80) -> np.ndarray:
    """D(x), the discriminator's probability that x is real, on a grid over the plane.

    Args:
        discriminator: ``(B, 2)`` points -> ``(B, 1)`` logits; run in inference mode.
        extent: ``(x_min, x_max, y_min, y_max)``.
        resolution: grid points per side.

    Returns:
        ``(resolution, resolution)`` float32 in [0, 1]; row 0 is ``y_min``.
    """
    logits = discriminator(grid_points(extent, resolution), training=False)  # (resolution², 1)
    return tf.reshape(tf.sigmoid(logits), (resolution, resolution)).numpy()


def generator_gradient_field(discriminator: keras.Model, points: np.ndarray,
                             loss_fn: Callable[[tf.Tensor], tf.Tensor] = generator_loss) -> np.ndarray:
    """d g_loss / d x at each generated point x: the push G's points feel from D.

    Every point's loss depends only on that point (D runs in inference mode), so one tape on the summed
    loss gives all per-point gradients at once.

    Args:
        discriminator: ``(B, 2)`` -> ``(B, 1)`` logits.
        points: ``(N, 2)`` float, the generated points.
        loss_fn: per-example generator loss on logits, ``(N, 1)`` -> ``(N,)``
            (``gan_lib.losses.generator_loss`` or ``saturating_generator_loss``).

    Returns:
        ``(N, 2)`` float32. G's step moves its points roughly along **minus** this.
    """
    x = tf.convert_to_tensor(np.asarray(points, np.float32))
    with tf.GradientTape() as tape:
        tape.watch(x)
        loss = tf.reduce_sum(loss_fn(discriminator(x, training=False)))
    return tape.gradient(loss, x).numpy()


def kde_density(samples: np.ndarray, points: np.ndarray, bandwidth: float = 0.1) -> np.ndarray:
    """Gaussian kernel density estimate of ``samples`` evaluated at ``points``.

    Args:
        samples: ``(M, 2)`` float, e.g. generated points.
        points: ``(N, 2)`` float, where to evaluate.
        bandwidth: the kernel's standard deviation (same units as the points).

    Returns:
        ``(N,)`` float64 density (integrates to 1 over the plane).
    """
    samples, points = np.asarray(samples, np.float64), np.asarray(points, np.float64)
    squared = ((points[:, None, :] - samples[None, :, :]) ** 2).sum(-1)  # (N, M)
    return np.exp(-squared / (2 * bandwidth**2)).mean(axis=1) / (2 * np.pi * bandwidth**2)


def optimal_discriminator(p_data: np.ndarray, p_g: np.ndarray, eps: float = 1e-3) -> np.ndarray:
    """D*(x) = p_data / (p_data + p_g), the best discriminator against a fixed G.

    Args:
        p_data, p_g: densities at the same points, any equal shape, >= 0.
        eps: added to both densities, so D* is 1/2 (not 0/0) where neither distribution has mass.

    Returns:
        Same shape, float64 in [0, 1].
    """
    p_data, p_g = np.asarray(p_data, np.float64), np.asarray(p_g, np.float64)
    return (p_data + eps) / (p_data + p_g + 2 * eps)


def draw_game(ax, d_map: np.ndarray, real: np.ndarray | None = None, fake: np.ndarray | None = None,
              gradients: np.ndarray | None = None, extent: Extent = EXTENT, title: str | None = None):
    """Draw D's heat map, the real and generated points and G's arrows on ``ax``.

    Args:
        ax: a matplotlib axis.
        d_map: ``(R, R)`` in [0, 1] from :func:`discriminator_map` (or :func:`optimal_discriminator`).
        real: ``(N, 2)`` real points (black dots), or None.
        fake: ``(M, 2)`` generated points (orange), or None.
        gradients: ``(M, 2)`` from :func:`generator_gradient_field` at ``fake``, or None; drawn as
            arrows along minus the gradient, scaled so the longest is 0.6 units long.
        extent: the map's ``(x_min, x_max, y_min, y_max)``.

    Returns:
        The image artist of the heat map (for a colour bar).
    """
    image = ax.imshow(d_map, origin="lower", extent=extent, cmap=CMAP, vmin=0, vmax=1, interpolation="bilinear")
    if real is not None:
        ax.scatter(real[:, 0], real[:, 1], s=2, c="k", alpha=0.4, linewidths=0, label="real")
    if fake is not None:
        ax.scatter(fake[:, 0], fake[:, 1], s=6, c="tab:orange", edgecolors="k", linewidths=0.2, label="generated")
    if fake is not None and gradients is not None:
        longest = float(np.linalg.norm(gradients, axis=1).max()) or 1.0
        ax.quiver(fake[:, 0], fake[:, 1], -gradients[:, 0], -gradients[:, 1], angles="xy", scale_units="xy",
                  scale=longest / 0.6, width=0.004, color="k", alpha=0.7)
    ax.set(xlim=extent[:2], ylim=extent[2:], aspect="equal", xticks=[], yticks=[])
    if title:
        ax.set_title(title, fontsize=9)
    return image
