"""Training snapshots of a 2-D GAN, and two ways to replay them: a slider widget and a GIF.

:class:`SnapshotRecorder` is a Keras callback: every ``every`` generator steps it stores what the
game looks like (D's heat map, the generated points for fixed z, G's arrows there, the latest logs)
as a :class:`Snapshot`. :func:`render_frame` draws one snapshot into an RGB array with
:func:`gan_lib.game2d.draw_game`; :func:`save_snapshot_gif` writes all frames as a GIF (imageio), for
readers without a kernel; :class:`SnapshotPlayer` is an ipywidgets ``Play`` + ``IntSlider`` stepping
through pre-rendered PNG frames (only traits common to ipywidgets 7.7.1 and 8: ``Image.value`` bytes,
``Play.value``, ``link``, ``observe(names="value")``).

Introduced in 00_gan_game_2d.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import imageio.v3 as iio
import ipywidgets as widgets
import keras
import numpy as np
import tensorflow as tf
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from gan_lib.atomic import atomic_path
from gan_lib.game2d import EXTENT, Extent, discriminator_map, draw_game, generator_gradient_field
from gan_lib.losses import generator_loss
from gan_lib.widgets import FrameBox


@dataclass(frozen=True)
class Snapshot:
    """The 2-D game at one moment.

    Attributes:
        step: generator steps done.
        d_map: ``(R, R)`` float32 D(x) in [0, 1] over the extent (row 0 at y_min).
        fake: ``(M, 2)`` float32 generated points for the recorder's fixed z.
        gradients: ``(M, 2)`` float32 generator-loss gradients at ``fake``.
        logs: the epoch's running means so far (``d_loss``, ``g_loss``, ...), floats.
    """

    step: int
    d_map: np.ndarray
    fake: np.ndarray
    gradients: np.ndarray
    logs: dict[str, float] = field(default_factory=dict)


def take_snapshot(generator: keras.Model, discriminator: keras.Model, z: np.ndarray, step: int = 0,
                  logs: dict | None = None, extent: Extent = EXTENT, resolution: int = 60,
                  loss_fn: Callable[[tf.Tensor], tf.Tensor] = generator_loss) -> Snapshot:
    """A :class:`Snapshot` of ``generator`` and ``discriminator`` now (both in inference mode).

    Args:
        z: ``(M, latent_dim)`` float32 latent vectors (keep them fixed across snapshots).
        loss_fn: the generator loss whose gradient is drawn.
    """
    fake = generator(np.asarray(z, np.float32), training=False).numpy()  # (M, 2)
    return Snapshot(step=int(step), d_map=discriminator_map(discriminator, extent, resolution), fake=fake,
                    gradients=generator_gradient_field(discriminator, fake, loss_fn),
                    logs={k: float(v) for k, v in (logs or {}).items()})


class SnapshotRecorder(keras.callbacks.Callback):
    """Record a :class:`Snapshot` every ``every`` generator steps during ``GAN.fit()`` (and one before the first).

    Checked at every batch end Keras reports (every ``steps_per_execution`` steps), so with
    ``steps_per_execution`` > 1 a snapshot lands on the first report at or after each multiple of ``every``.

    Args:
        z: ``(M, latent_dim)`` float32 fixed latent vectors; the same points are followed over time.
        every: generator steps between snapshots.
        extent, resolution: the heat map's area and grid size.
        loss_fn: the generator loss whose gradient is drawn (match the one being trained).

    Attributes:
        snapshots: the recorded :class:`Snapshot` list, in step order.
    """

    def __init__(self, z: np.ndarray, every: int = 100, extent: Extent = EXTENT, resolution: int = 60,
                 loss_fn: Callable[[tf.Tensor], tf.Tensor] = generator_loss):
        super().__init__()
        if every < 1:
            raise ValueError(f"every must be a positive number of steps, got {every}")
        self.z, self.every, self.extent, self.resolution, self.loss_fn = z, every, extent, resolution, loss_fn
        self.snapshots: list[Snapshot] = []

    def _record(self, logs: dict | None) -> None:
        step = int(self.model.g_optimizer.iterations.numpy())
        if self.snapshots and step < self.snapshots[-1].step + self.every:
            return
        self.snapshots.append(take_snapshot(self.model.generator, self.model.discriminator, self.z, step, logs,
                                            self.extent, self.resolution, self.loss_fn))

    def on_train_begin(self, logs: dict | None = None) -> None:
        self._record(logs)

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        self._record(logs)


def render_frame(snapshot: Snapshot, real: np.ndarray | None = None, extent: Extent = EXTENT,
                 size: float = 3.6, dpi: int = 72) -> np.ndarray:
    """Draw ``snapshot`` (heat map, real and generated points, arrows, step) into an image.

    Returns:
        ``(H, W, 3)`` uint8 RGB, H = W = ``size * dpi`` pixels (259 at the defaults).
    """
    fig = Figure(figsize=(size, size), dpi=dpi)  # not pyplot: nothing is shown or kept open
    ax = fig.add_axes((0, 0, 1, 0.93))
    draw_game(ax, snapshot.d_map, real, snapshot.fake, snapshot.gradients, extent)
    g_loss = f", g_loss {snapshot.logs['g_loss']:.2f}" if "g_loss" in snapshot.logs else ""
    fig.suptitle(f"step {snapshot.step}{g_loss}", y=0.995, fontsize=9)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return np.asarray(canvas.buffer_rgba())[..., :3].copy()


def frame_png(frame: np.ndarray) -> bytes:
    """PNG bytes of an ``(H, W, 3)`` uint8 frame (e.g. from :func:`render_frame`)."""
    return iio.imwrite("<bytes>", frame, extension=".png")


def save_snapshot_gif(snapshots: Sequence[Snapshot], path: str | os.PathLike, real: np.ndarray | None = None,
                      seconds_per_frame: float = 0.25, extent: Extent = EXTENT) -> Path:
    """Write the snapshots as an animated GIF (imageio), atomically; loops forever, the last frame held 3x.

    Raises:
        ValueError: no snapshots.
    """
    if not snapshots:
        raise ValueError("no snapshots to put in the GIF; train with a SnapshotRecorder first")
    frames = np.stack([render_frame(s, real, extent) for s in snapshots])  # (F, H, W, 3) uint8
    durations = [seconds_per_frame * 1000] * (len(frames) - 1) + [seconds_per_frame * 3000]
    with atomic_path(path) as tmp:
        iio.imwrite(tmp, frames, extension=".gif", duration=durations if len(frames) > 1 else durations[0], loop=0)
    return Path(path)


class SnapshotPlayer(FrameBox):
    """A ``Play`` button and a slider that step through the snapshots; the frame is a PNG ``Image``.

    All frames are drawn once, up front, so moving the slider only swaps PNG bytes.

    Attributes:
        play: ``Play`` (0..len-1), linked to ``slider``.
        slider: ``IntSlider``; set ``.value`` to show snapshot i.
        image: ``Image`` holding the current frame's PNG bytes.
        frames: the PNG bytes of every frame.
    """

    def __init__(self, snapshots: Sequence[Snapshot], real: np.ndarray | None = None, extent: Extent = EXTENT,
                 interval_ms: int = 200):
        if not snapshots:
            raise ValueError("no snapshots to play; train with a SnapshotRecorder first")
        self.frames = [frame_png(render_frame(s, real, extent)) for s in snapshots]
        self.steps = [s.step for s in snapshots]
        last = len(self.frames) - 1
        self.play = widgets.Play(value=0, min=0, max=last, step=1, interval=interval_ms, description="play")
        self.slider = widgets.IntSlider(value=0, min=0, max=last, description="snapshot")
        widgets.link((self.play, "value"), (self.slider, "value"))
        self.image = widgets.Image(value=self.frames[0], format="png")
        self.label = widgets.Label(f"step {self.steps[0]}")
        self.slider.observe(self._show, names="value")
        super().__init__([widgets.HBox([self.play, self.slider, self.label]), self.image])

    def _show(self, change=None) -> None:
        self.image.value = self.frames[self.slider.value]
        self.label.value = f"step {self.steps[self.slider.value]}"

