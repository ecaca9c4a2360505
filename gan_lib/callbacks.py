"""Training callbacks: sample grids + GIF, generator checkpoints, full checkpoints, time limit.

Each writes only into the folder it is given, and every file atomically.

Introduced in 03_dcgan.
"""

from __future__ import annotations

import importlib.util
import io
import math
import os
import signal
import threading
import time
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf

from gan_lib.atomic import atomic_path
from gan_lib.classifier import as_model_images, load_classifier
from gan_lib.errors import TrainingDiverged
from gan_lib.generation import generate, is_conditional
from gan_lib.latent import random_latent_vectors
from gan_lib.metrics.coverage import class_coverage
from gan_lib.metrics.embedding import Embedding, embed
from gan_lib.metrics.frechet import frechet_distance
from gan_lib.metrics.score import classifier_score
from gan_lib.plotting import save_gif, save_image_grid


def _due(callback: keras.callbacks.Callback, epoch: int, every: int) -> bool:
    """Save at every ``every``-th epoch, at the last epoch, and when training is being stopped."""
    last = epoch + 1 == callback.params.get("epochs")
    return (epoch + 1) % every == 0 or last or bool(getattr(callback.model, "stop_training", False))


class SampleGrid(keras.callbacks.Callback):
    """Every ``every`` epochs, save a grid of samples from **fixed** latent vectors.

    Fixed vectors make the grids comparable across epochs: the same cell shows the
    same z as the generator learns. For a conditional generator, row r shows digit
    r mod 10 and each column keeps one z, so the style carries across the digits.
    Files: ``<out_dir>/generated_plot_eNNN.png``
    (NNN = epochs completed, also written above the grid), and at the end of training ``<out_dir>/progress.gif``
    made from all the grids in the folder (so a resumed run's GIF covers every epoch).

    Args:
        out_dir: folder to write into.
        latent_dim: length of z.
        every: epochs between grids (a grid is also saved at the last epoch).
        rows: the grid is rows x rows (10 gives 100 samples).
        seed: seed of the fixed latent vectors.
    """

    def __init__(self, out_dir: str | os.PathLike, latent_dim: int, every: int = 1, rows: int = 10, seed: int = 0):
        super().__init__()
        self.out_dir = Path(out_dir)
        self.every = every
        self.rows = rows
        self.z = random_latent_vectors(rows * rows, latent_dim, seed)

    def frames(self) -> list[Path]:
        """The grid PNGs written so far, in epoch order."""
        return sorted(self.out_dir.glob("generated_plot_e*.png"))

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        if _due(self, epoch, self.every):
            generator = self.model.sample_generator  # the EMA average when the GAN keeps one
            if is_conditional(generator):
                z = np.tile(self.z[: self.rows], (self.rows, 1))  # column c: the same z in every row
                labels = np.repeat(np.arange(self.rows) % 10, self.rows)  # row r: digit r mod 10
                images = generate(generator, z, labels=labels)
            else:
                images = generate(generator, self.z)
            save_image_grid(images, self.out_dir / f"generated_plot_e{epoch + 1:03d}.png", nrows=self.rows,
                            caption=f"epoch {epoch + 1}")

    def on_train_end(self, logs: dict | None = None) -> None:
        if self.frames():
            save_gif(self.frames(), self.out_dir / "progress.gif")


class GeneratorCheckpoint(keras.callbacks.Callback):
    """Every ``every`` epochs, save the generator as ``<out_dir>/generator_model_NNN.keras``.

    The file loads with ``keras.models.load_model(path)`` (safe mode, no custom objects).
    """

    def __init__(self, out_dir: str | os.PathLike, every: int = 1):
        super().__init__()
        self.out_dir = Path(out_dir)
        self.every = every

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        if _due(self, epoch, self.every):
            with atomic_path(self.out_dir / f"generator_model_{epoch + 1:03d}.keras") as tmp:
                self.model.sample_generator.save(tmp)  # the EMA average when the GAN keeps one


class TrainingCheckpoint(keras.callbacks.Callback):
    """Full training state after every epoch (and on Ctrl-C), for an exact ``--resume``.

    Saves both networks, both optimizers (their step counters and Adam moments), the
    random seed states (noise and dropout), the epochs completed and the steps done in
    the epoch in progress, with ``tf.train.Checkpoint`` and ``tf.train.CheckpointManager``
    into ``directory``, as ``ckpt-<generator steps>``.

    Crash safety: TensorFlow writes a checkpoint's shards into a temporary folder, merges
    them into ``ckpt-N.index`` / ``ckpt-N.data-*``, and only then rewrites the
    ``checkpoint`` index file (atomically, by rename), so a run killed mid-save still
    points at the previous complete checkpoint. :meth:`restore` also falls back to the
    next older listed checkpoint if the newest does not read. Numbers grow with the
    step count, so a save never overwrites a listed checkpoint.

    Args:
        gan: the ``GAN`` being trained (compiled, so its optimizers exist).
        directory: folder for the checkpoint files.
        max_to_keep: how many recent checkpoints to keep.
        steps_per_epoch: steps in a full epoch; a Ctrl-C after the last step (while the
            epoch's outputs are written) then saves nothing new (None: not checked).
    """

    def __init__(self, gan: keras.Model, directory: str | os.PathLike, max_to_keep: int = 2,
                 steps_per_epoch: int | None = None):
        super().__init__()
        self.gan = gan
        self.steps_per_epoch = steps_per_epoch
        self.epoch = tf.Variable(0, dtype=tf.int64, trainable=False)  # epochs completed
        self.step = tf.Variable(0, dtype=tf.int64, trainable=False)  # steps done in the epoch in progress
        self.checkpoint = tf.train.Checkpoint(
            generator=gan.generator,
            **({"ema_generator": gan.ema_generator} if getattr(gan, "ema_generator", None) is not None else {}),
            discriminator=gan.discriminator,
            d_optimizer=gan.d_optimizer,
            g_optimizer=gan.g_optimizer,
            # The noise seed of train_step and the dropout layers' seeds: resumed runs draw
            # the same random numbers as uninterrupted ones.
            seed_states=[v for v in gan.variables if v.path.endswith("seed_generator_state")],
            epoch=self.epoch,
            step=self.step,
        )
        self.manager = tf.train.CheckpointManager(self.checkpoint, str(directory), max_to_keep=max_to_keep)
        self.restored_path: str | None = None
        self._epoch_in_progress: int | None = None  # 0-based, None before the first epoch begins
        self._epoch_start_steps = 0  # generator steps done when the epoch in progress began
        self._epoch_saved = False

    def _steps(self) -> int:
        return int(self.gan.g_optimizer.iterations.numpy())

    def restore(self, directory: str | os.PathLike | None = None) -> int:
        """Restore the newest checkpoint that reads, if any.

        Args:
            directory: read the checkpoints of this folder instead of our own (a multi-worker
                run's other workers resume from the chief's folder but save into their own).

        Returns:
            The epochs it had completed (0 if none). ``self.step`` then holds the steps
            already done in the next epoch (non-zero only after a Ctrl-C mid-epoch).

        Raises:
            ValueError: checkpoints are listed but none of them reads.
        """
        manager = self.manager if directory is None else tf.train.CheckpointManager(
            self.checkpoint, str(directory), max_to_keep=None)  # read only: it never saves
        candidates = list(reversed(manager.checkpoints))
        errors = []
        for path in candidates:
            try:
                self.checkpoint.restore(path).assert_existing_objects_matched()
            except Exception as err:  # noqa: BLE001 - a torn file raises OpError, IndexError, ValueError ...
                errors.append(f"{os.path.basename(path)}: {str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__}")
                continue
            self.restored_path = path
            return int(self.epoch.numpy())
        if errors:
            raise ValueError(f"no checkpoint in {manager.directory} reads ({'; '.join(errors)})")
        return 0

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        self._epoch_in_progress = epoch
        self._epoch_start_steps = self._steps() - int(self.step.numpy())  # step > 0: a resumed part-epoch
        self._epoch_saved = False

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        self.epoch.assign(epoch + 1)
        self.step.assign(0)
        self.manager.save(checkpoint_number=self._steps())
        self._epoch_saved = True

    def save_interrupted(self) -> bool:
        """Save the state of a run stopped (Ctrl-C) inside the epoch in progress.

        The checkpoint records the epochs completed and the steps done in this one; a
        resumed ``train()`` runs only the rest of the epoch. Saves nothing before the
        first epoch began, when the epoch's own checkpoint was already written, or when
        no step was done since the last checkpoint. SIGINT is ignored while saving (main thread), so a second
        Ctrl-C cannot cut this save short. Returns whether a checkpoint was written.
        """
        if self._epoch_in_progress is None or self._epoch_saved:
            return False
        steps_in_epoch = self._steps() - self._epoch_start_steps
        if steps_in_epoch <= int(self.step.numpy()) or (self.steps_per_epoch and steps_in_epoch >= self.steps_per_epoch):
            return False
        self.epoch.assign(self._epoch_in_progress)
        self.step.assign(steps_in_epoch)
        in_main_thread = threading.current_thread() is threading.main_thread()
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN) if in_main_thread else None
        try:
            self.manager.save(checkpoint_number=self._steps())
        finally:
            if in_main_thread:
                signal.signal(signal.SIGINT, previous)
        return True


class StopOnDivergence(keras.callbacks.Callback):
    """Raise :class:`TrainingDiverged` as soon as ``d_loss`` or ``g_loss`` is NaN or infinite.

    Unlike ``keras.callbacks.TerminateOnNaN``, which lets the epoch end normally, this
    raises inside the batch loop, so ``on_epoch_end`` never runs for the broken epoch:
    no checkpoint, grid or generator file is written from diverged weights, and the last
    good checkpoint stays the newest. Checked every ``steps_per_execution`` steps (the
    logs are the epoch's running means, so one bad step anywhere shows up).
    """

    def __init__(self):
        super().__init__()
        self._epoch = 0

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        self._epoch = epoch

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        for key in ("d_loss", "g_loss"):
            value = float((logs or {}).get(key, 0.0))
            if not math.isfinite(value):
                raise TrainingDiverged(
                    f"{key} became {value} in epoch {self._epoch + 1} by step {batch + 1}; nothing from this epoch "
                    "was saved. Resume from the last checkpoint with a lower learning rate, or check the data"
                )


class TimeLimit(keras.callbacks.Callback):
    """Stop training cleanly once ``seconds`` of wall-clock time have passed.

    Checked after every batch (every ``steps_per_execution`` steps); the epoch in
    progress then ends early and ``on_epoch_end`` still runs, so checkpoints and
    sample grids are written as usual. ``stopped_at_epoch`` tells where it stopped.
    """

    def __init__(self, seconds: float):
        super().__init__()
        if seconds <= 0:
            raise ValueError(f"time limit must be positive, got {seconds} s")
        self.seconds = seconds
        self.stopped_at_epoch: int | None = None
        self._epoch = 0
        self._start = 0.0

    def on_train_begin(self, logs: dict | None = None) -> None:
        if not self._start:  # train() may call fit() twice (a resumed part-epoch, then the rest)
            self._start = time.monotonic()

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        self._epoch = epoch

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        if time.monotonic() - self._start >= self.seconds:
            self.model.stop_training = True
            self.stopped_at_epoch = self._epoch + 1


def _clock(seconds: float) -> str:
    """1:52, or 1:02:03 past an hour."""
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class RunProgress(keras.callbacks.ProgbarLogger):
    """Keras's progress bar, with an epoch line that tells where the whole run stands.

    Keras prints ``Epoch k/E`` with E the ``epochs`` of the current ``fit()`` call. A run that
    ``train()`` resumes mid-epoch is two ``fit()`` calls (the rest of that epoch, then the
    remaining epochs), which showed ``Epoch 2/2``, then ``Epoch 3/3``; a run with only a time
    limit showed ``Epoch 10/1000000``. This line counts the run instead:

    - ``Epoch 3/20`` with a number of epochs (``total_epochs``);
    - ``Epoch 10 · 1:52 of 10:00`` with only a time limit (``time_limit``, seconds): the wall-clock
      time since training started, out of the limit.

    Pass it in ``fit(callbacks=...)``: Keras then uses it instead of its own bar. ``verbose`` still
    comes from ``fit()`` (0 prints nothing, 2 one line per epoch).
    """

    def __init__(self, total_epochs: int | None = None, time_limit: float | None = None):
        super().__init__()
        self.total_epochs = total_epochs
        self.time_limit = time_limit
        self._start = 0.0

    def on_train_begin(self, logs: dict | None = None) -> None:
        super().on_train_begin(logs)
        if not self._start:  # train() may call fit() twice (a resumed part-epoch, then the rest)
            self._start = time.monotonic()

    def epoch_line(self, epoch: int) -> str:
        """The line printed before epoch ``epoch`` (0-based)."""
        if self.total_epochs is not None:
            return f"Epoch {epoch + 1}/{self.total_epochs}"
        elapsed = time.monotonic() - self._start if self._start else 0.0
        limit = f" of {_clock(self.time_limit)}" if self.time_limit else ""
        return f"Epoch {epoch + 1} · {_clock(elapsed)}{limit}"

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        shown, self.epochs = self.epochs, 1  # Keras prints its own "Epoch k/E" only when epochs > 1
        try:
            super().on_epoch_begin(epoch, logs)
        finally:
            self.epochs = shown
        if self.verbose:
            print(self.epoch_line(epoch), flush=True)


class HistoryCSV(keras.callbacks.CSVLogger):
    """``keras.callbacks.CSVLogger`` without the empty ``val_*`` columns.

    Keras 3's logger adds a ``val_<name>`` column for every metric when the first epoch has no
    validation results, expecting them later; a GAN's ``fit()`` never validates, so those
    columns would hold only ``NA``. Fixing the columns to the first epoch's keys keeps them out.
    """

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        if self.keys is None:
            self.keys = sorted(logs or {})
        super().on_epoch_end(epoch, logs)


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
        self.classifier = self.classifier or load_classifier()
        if self._real_embedding is None:
            self._real_embedding = embed(self.real, self.classifier)
        self.z = random_latent_vectors(self.n, self.model.sample_generator.input_shape[-1], self.seed)
        if self.log_dir is not None and self._writer is None:
            import tensorflow as tf

            self._writer = tf.summary.create_file_writer(str(self.log_dir))

    def measure(self) -> dict:
        """The metrics of the current generator: ``{"fid", "classifier_score", "classes_5pct", "kl_to_uniform"}``."""
        fake = embed(generate(self.model.sample_generator, self.z), self.classifier)
        coverage = class_coverage(fake)
        return {
            "fid": frechet_distance(self._real_embedding, fake),
            "classifier_score": classifier_score(fake),
            "classes_5pct": float(coverage["classes"]),
            "kl_to_uniform": coverage["kl_to_uniform"],
        }

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
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


class LiveMonitor(keras.callbacks.Callback):
    """Watch training live: ONE figure in a notebook, redrawn in place during ``fit()``.

    Every ``every_seconds`` of training (or every ``every_batches`` batch reports, if given) it draws a
    figure with matplotlib and shows it as a PNG: the first time with ``IPython.display.display(...,
    display_id=True)``, every later time with that handle's ``update()``, so the cell holds one output
    that changes, never a stream of new figures. A final redraw at the end of training leaves the last
    state on show. The default figure has two panels: samples for fixed latent vectors (an image grid,
    or for a 2-D generator D's heat map with the real and generated points) and the loss curves
    against generator steps.

    Outside a Jupyter kernel (the CLI, plain Python) nothing is drawn, unless ``path`` is given: then
    the same PNG is written there (atomically) at the same moments, in a notebook or not.

    Cost (``benchmarks/live_monitor.py``, 2-core CPU shared with other jobs, load average 5-9): one redraw
    took 0.13 s for the MLP digit GAN's figure and 0.44 s for the 2-D figure (60x60 heat map); at the
    default interval of 10 s that is about 1.3% and 4.4% of training time. The end-to-end timings
    with and without the monitor (-17% and -3%) were dominated by the load's noise, so the per-redraw
    figure is the one to trust; rerun the benchmark on an idle machine for a cleaner number.

    Args:
        every_seconds: seconds of training between redraws.
        every_batches: if given, redraw every this many batch reports instead (one report per
            ``steps_per_execution`` steps).
        path: also (or, outside a notebook, only) write the figure to this PNG file.
        real: ``(N, 2)`` real points drawn under a 2-D generator's samples (ignored for images).
        draw: ``draw(fig, model, history)`` to draw your own figure into ``fig`` (a fresh
            ``matplotlib.figure.Figure``); ``history`` maps ``"step"`` and every logged name to a list.
        seed: seed of the fixed latent vectors.

    Attributes:
        history: ``{"step": [...], "d_loss": [...], ...}``, one entry per batch report.
        redraws: how many figures were drawn so far.
        seconds_drawing: time spent drawing and encoding, in seconds.
    """

    def __init__(self, every_seconds: float = 10.0, every_batches: int | None = None,
                 path: str | os.PathLike | None = None, real: np.ndarray | None = None, draw=None, seed: int = 0):
        super().__init__()
        if every_seconds <= 0 or (every_batches is not None and every_batches < 1):
            raise ValueError(f"need every_seconds > 0 and every_batches >= 1 or None, got {every_seconds}, {every_batches}")
        self.every_seconds, self.every_batches = every_seconds, every_batches
        self.path = Path(path) if path is not None else None
        self.real, self.draw, self.seed = real, draw or self._draw_default, seed
        self.history: dict[str, list[float]] = {"step": []}
        self.redraws, self.seconds_drawing = 0, 0.0
        self._handle = None
        self._last_time, self._batches_since = 0.0, 0

    @staticmethod
    def in_notebook() -> bool:
        """Whether a Jupyter kernel runs this code (IPython's ``get_ipython().kernel`` exists)."""
        try:
            from IPython import get_ipython
        except ImportError:
            return False
        return getattr(get_ipython(), "kernel", None) is not None

    def on_train_begin(self, logs: dict | None = None) -> None:
        self._active = self.in_notebook() or self.path is not None
        self._last_time, self._batches_since = time.monotonic(), 0

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        if not self._active:
            return
        self.history["step"].append(int(self.model.g_optimizer.iterations.numpy()))
        for key, value in (logs or {}).items():
            self.history.setdefault(key, []).append(float(value))
        self._batches_since += 1
        due = (self._batches_since >= self.every_batches if self.every_batches
               else time.monotonic() - self._last_time >= self.every_seconds)
        if due:
            self.redraw()

    def on_train_end(self, logs: dict | None = None) -> None:
        if self._active and self.history["step"]:
            self.redraw()

    def redraw(self) -> None:
        """Draw the figure now and show it (in place) and/or write it to ``path``."""
        from matplotlib.figure import Figure

        start = time.monotonic()
        fig = Figure(figsize=(8, 3.5), dpi=72)  # not pyplot: the notebook does not show it again at cell end
        self.draw(fig, self.model, self.history)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png")
        png = buffer.getvalue()
        if self.path is not None:
            with atomic_path(self.path) as tmp:
                Path(tmp).write_bytes(png)
        if self.in_notebook():
            from IPython.display import Image, display

            if self._handle is None:
                self._handle = display(Image(data=png, format="png"), display_id=True)
            else:
                self._handle.update(Image(data=png, format="png"))
        self.redraws += 1
        self.seconds_drawing += time.monotonic() - start
        self._last_time, self._batches_since = time.monotonic(), 0

    def _draw_default(self, fig, model: keras.Model, history: dict[str, list[float]]) -> None:
        """Left: samples for fixed z (image grid, or the 2-D game); right: losses against steps."""
        from gan_lib.plotting import image_grid

        sample_ax, loss_ax = fig.subplots(1, 2)
        generator = model.generator
        if not hasattr(self, "_z"):
            self._z = random_latent_vectors(500 if generator.output_shape[-1] == 2 else 36, model.latent_dim, self.seed)
        if generator.output_shape == (None, 2):
            from gan_lib.game2d import discriminator_map, draw_game

            fake = generator(self._z, training=False).numpy()
            draw_game(sample_ax, discriminator_map(model.discriminator, resolution=60), self.real, fake)
        else:
            labels = np.arange(len(self._z)) % 10 if is_conditional(generator) else None
            sample_ax.imshow(image_grid(generate(generator, self._z, labels=labels)), cmap="gray", vmin=0, vmax=255)
            sample_ax.set_axis_off()
        sample_ax.set_title(f"step {history['step'][-1]}", fontsize=9)
        for key in ("d_loss", "g_loss"):
            if key in history:
                loss_ax.plot(history["step"], history[key], label=key)
        loss_ax.set(xlabel="generator step", title="losses (running mean of the epoch)")
        loss_ax.legend(fontsize=8)
        loss_ax.grid(alpha=0.3)
        fig.tight_layout()
