"""Pictures: image grids (PNG and inline), loss curves and the training GIF.

Every function takes images as uint8 in [0, 255] or float in [-1, 1] (the
package's model range), shaped ``(N, H, W)`` or ``(N, H, W, 1)``.

Introduced in 01_data_loading (grids) and 02_mlp_gan (loss curves).
"""

from __future__ import annotations

import csv
import math
import os
from collections.abc import Mapping, Sequence
from pathlib import Path

import imageio.v3 as iio
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from gan_lib.atomic import atomic_path
from gan_lib.data import to_uint8


def _as_uint8(images: np.ndarray) -> np.ndarray:
    images = np.asarray(images)
    if images.ndim == 4 and images.shape[-1] == 1:
        images = images[..., 0]  # (N, H, W, 1) -> (N, H, W)
    if images.ndim != 3:
        raise ValueError(f"images must have shape (N, H, W) or (N, H, W, 1), got {images.shape}")
    return images if images.dtype == np.uint8 else to_uint8(images)


def image_grid(images: np.ndarray, nrows: int | None = None, pad: int = 1) -> np.ndarray:
    """Tile N images into one ``(nrows*(H+pad)-pad, ncols*(W+pad)-pad)`` uint8 array.

    Args:
        images: ``(N, H, W[, 1])`` uint8 in [0, 255] or float in [-1, 1].
        nrows: rows of the grid (default: square-ish, ceil(sqrt(N))).
        pad: black pixels between tiles.

    Returns:
        2-D uint8 array; empty cells stay black.
    """
    images = _as_uint8(images)
    n, h, w = images.shape
    nrows = nrows or math.ceil(math.sqrt(n))
    ncols = math.ceil(n / nrows)
    grid = np.zeros((nrows * (h + pad) - pad, ncols * (w + pad) - pad), np.uint8)
    for i, image in enumerate(images):
        r, c = divmod(i, ncols)
        grid[r * (h + pad) : r * (h + pad) + h, c * (w + pad) : c * (w + pad) + w] = image
    return grid


def save_image_grid(images: np.ndarray, path: str | os.PathLike, nrows: int | None = None, scale: int = 2,
                    caption: str | None = None) -> Path:
    """Write :func:`image_grid` as a grayscale PNG, atomically, upscaled ``scale`` times (nearest).

    ``caption`` (e.g. ``"epoch 20"``) is written in a 14-pixel strip above the grid (Pillow's
    built-in font), so a PNG or a GIF frame says what it shows.
    """
    grid = image_grid(images, nrows)
    grid = np.kron(grid, np.ones((scale, scale), np.uint8))
    if caption:
        from PIL import Image, ImageDraw  # Pillow: imageio's own image library

        strip = Image.new("L", (grid.shape[1], 14), 255)
        ImageDraw.Draw(strip).text((2, 1), caption, fill=0)
        grid = np.concatenate([np.asarray(strip), grid])
    with atomic_path(path) as tmp:
        iio.imwrite(tmp, grid)
    return Path(path)


def show_images(images: np.ndarray, nrows: int | None = None, title: str | None = None, ax=None) -> Figure:
    """Show an image grid inline (matplotlib). Returns the figure."""

    grid = image_grid(images, nrows)
    if ax is None:
        size = min(8.0, 1.0 + grid.shape[1] / 40)
        _, ax = plt.subplots(figsize=(size, size * grid.shape[0] / grid.shape[1]))
    ax.imshow(grid, cmap="gray", vmin=0, vmax=255)
    ax.set_axis_off()
    if title:
        ax.set_title(title)
    return ax.figure


def read_history_csv(path: str | os.PathLike) -> dict[str, list[float]]:
    """Read the ``history.csv`` that ``keras.callbacks.CSVLogger`` writes into ``{column: values}``.

    Columns that are all ``NA`` (CSVLogger adds empty ``val_*`` columns) are dropped.
    """
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    columns = [key for key in (rows[0] if rows else {}) if any(row[key] != "NA" for row in rows)]
    return {key: [float(row[key]) for row in rows] for key in columns}


def plot_losses(history: Mapping[str, Sequence[float]], title: str | None = None) -> Figure:
    """Loss curves (d_loss, g_loss) and discriminator accuracies (d_acc_real, d_acc_fake) per epoch.

    For a WGAN-GP history (no accuracies) the second panel shows the critic's estimate of
    the Wasserstein distance and the gradient penalty instead.

    Args:
        history: ``History.history``, or :func:`read_history_csv` of a run's ``history.csv``.
        title: optional figure title.

    Returns:
        A matplotlib (pyplot) figure with two panels; a notebook shows it at the end of the cell.
    """

    fig, (loss_ax, acc_ax) = plt.subplots(1, 2, figsize=(10, 3.5))
    epochs = np.arange(1, len(history["d_loss"]) + 1)
    for key in ("d_loss", "g_loss"):
        loss_ax.plot(epochs, history[key], label=key)
    if "wasserstein_distance" in history:
        loss_ax.set(xlabel="epoch", ylabel="loss", title="critic and generator losses")
        for key in ("wasserstein_distance", "gradient_penalty"):
            acc_ax.plot(epochs, history[key], label=key)
        acc_ax.set(xlabel="epoch", ylabel="value", title="critic's Wasserstein estimate")
    else:
        loss_ax.set(xlabel="epoch", ylabel="loss (binary cross-entropy)", title="losses")
        for key in ("d_acc_real", "d_acc_fake"):
            if key in history:
                acc_ax.plot(epochs, history[key], label=key)
        acc_ax.axhline(0.5, color="gray", lw=0.8, ls="--")
        acc_ax.set(xlabel="epoch", ylabel="share classified correctly", ylim=(0, 1.02), title="discriminator accuracy")
    for ax in (loss_ax, acc_ax):
        ax.legend()
        ax.grid(alpha=0.3)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def save_loss_plot(history: Mapping[str, Sequence[float]], path: str | os.PathLike) -> Path:
    """Write :func:`plot_losses` to a PNG, atomically."""

    fig = plot_losses(history)
    with atomic_path(path) as tmp:
        fig.savefig(tmp, dpi=80)
    plt.close(fig)
    return Path(path)


def save_gif(frames: Sequence[str | os.PathLike], path: str | os.PathLike, seconds_per_frame: float = 0.3) -> Path:
    """Animated GIF (imageio) of same-size PNG frames at half resolution, e.g. the sample grids.

    Loops forever.

    The last frame is held three times as long, so the result can be seen.

    Raises:
        ValueError: no frames.
    """
    if not frames:
        raise ValueError("no frames to put in the GIF")
    images = [iio.imread(frame)[::2, ::2] for frame in frames]  # half size: GIFs of noise compress badly
    durations = [seconds_per_frame * 1000] * (len(images) - 1) + [seconds_per_frame * 3000]
    durations = durations if len(durations) > 1 else durations[0]  # Pillow wants a number for one frame
    with atomic_path(path) as tmp:
        iio.imwrite(tmp, np.stack(images), extension=".gif", duration=durations, loop=0)
    return Path(path)
