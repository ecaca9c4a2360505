"""``train()``: one call from data to a finished run folder. The CLI's ``train`` is this.

A run folder holds (NNN = epochs completed)::

    config.json                   the settings, checked again by --resume
    history.csv                   d_loss, g_loss, d_acc_real, d_acc_fake per epoch (CSVLogger)
    losses.png                    the loss and accuracy curves
    generated_plot_eNNN.png       10x10 samples from fixed latent vectors
    progress.gif                  those grids as an animation
    generator_model_NNN.keras     generator snapshots
    generator.keras               the final generator
    run.json                      the last call: epochs, steps, wall and CPU seconds, data, hardware
    checkpoints/                  full state (both models and optimizers) for --resume

Introduced in 03_dcgan.
"""

from __future__ import annotations

import csv
import dataclasses
import json
import os
import resource
import time
from pathlib import Path

import keras
import numpy as np

from gan_lib.atomic import atomic_path
from gan_lib.callbacks import GeneratorCheckpoint, SampleGrid, StopOnDivergence, TimeLimit, TrainingCheckpoint
from gan_lib.data import describe_source, load_dataset, make_dataset
from gan_lib.gan import GAN
from gan_lib.models import build_models
from gan_lib.plotting import read_history_csv, save_loss_plot
from gan_lib.runinfo import hardware_summary


@dataclasses.dataclass
class TrainConfig:
    """Settings of a run. The defaults are chosen for quality per CPU minute.

    ``epochs`` counts all epochs of the run, resumed parts included (Keras's
    ``initial_epoch`` convention): ``--epochs 30 --resume`` after 20 trains 10 more.
    """

    model: str = "dcgan"  # "mlp" or "dcgan"
    epochs: int = 20
    batch_size: int = 64  # small batches: more updates per CPU second (FIELD_NOTES)
    latent_dim: int = 100
    dataset: str = "mnist"  # "mnist" or "fashion_mnist"
    seed: int = 0
    learning_rate: float = 2e-4  # Adam(2e-4, beta_1=0.5): Radford et al. 2016
    beta_1: float = 0.5
    real_label: float = 0.9  # one-sided label smoothing (Salimans et al. 2016)
    save_every: int = 10  # epochs between sample grids and generator snapshots
    steps_per_execution: int = 10  # train steps per call into TensorFlow: +23% images/s for the MLP (benchmarks/)
    max_images: int | None = None  # train on a random (seeded) subset of N images (tests, quick demos)

    def validate(self) -> None:
        """Raises ValueError naming the first bad setting."""
        for name in ("epochs", "batch_size", "latent_dim", "save_every", "steps_per_execution"):
            if int(getattr(self, name)) < 1:
                raise ValueError(f"{name.replace('_', '-')} must be a positive integer, got {getattr(self, name)}")
        if self.max_images is not None and self.max_images < self.batch_size:
            raise ValueError(f"max-images ({self.max_images}) must be at least one batch ({self.batch_size})")
        if self.model not in ("mlp", "dcgan"):
            raise ValueError(f"unknown model {self.model!r}; choose 'mlp' or 'dcgan'")
        if self.learning_rate <= 0:
            raise ValueError(f"learning rate must be positive, got {self.learning_rate}")


def _check_run_dir(out_dir: Path, config: TrainConfig, resume: bool) -> None:
    if out_dir.exists() and not out_dir.is_dir():
        raise ValueError(f"--out {out_dir} is a file; give a folder for the run")
    config_path = out_dir / "config.json"
    if not resume:
        if config_path.exists():
            raise ValueError(f"{out_dir} already holds a run; pass --resume to continue it, or choose a new --out folder")
        return
    if not config_path.exists():
        raise FileNotFoundError(f"nothing to resume: {config_path} does not exist (train without --resume first)")
    saved = json.loads(config_path.read_text())
    for key in ("model", "latent_dim", "dataset"):
        if saved.get(key) != getattr(config, key):
            raise ValueError(
                f"--resume: {key} is {getattr(config, key)!r} but the run in {out_dir} used {saved.get(key)!r}; "
                f"pass --{key.replace('_', '-')} {saved.get(key)}"
            )


def _trim_history(path: Path, epochs_done: int) -> None:
    """Drop CSV rows of epochs that the restored checkpoint does not contain (a run killed mid-epoch)."""
    if not path.exists():
        return
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    if len(rows) < 2:
        return
    kept = [rows[0]] + [row for row in rows[1:] if row and int(row[0]) < epochs_done]
    if len(kept) != len(rows):
        with atomic_path(path) as tmp, open(tmp, "w", newline="") as f:
            csv.writer(f).writerows(kept)


def _cpu_seconds() -> float:
    """User + system CPU time of this process so far, all threads (TensorFlow's included)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def train(
    out_dir: str | os.PathLike,
    config: TrainConfig | None = None,
    time_limit: float | None = None,
    resume: bool = False,
    data_dir: str | os.PathLike | None = None,
    callbacks: list[keras.callbacks.Callback] | None = None,
    verbose: int | str = "auto",
) -> dict:
    """Train a GAN and write a complete run folder (see the module docstring).

    Args:
        out_dir: the run folder (created if missing).
        config: the settings (default :class:`TrainConfig`).
        time_limit: stop cleanly after this many **seconds** of training, writing every
            output as usual; None for no limit.
        resume: continue the run in ``out_dir`` from its last complete checkpoint.
        data_dir: offline IDX folder (default ``$GAN_LIB_DATA_DIR``, else download).
        callbacks: extra Keras callbacks (e.g. ``keras.callbacks.TensorBoard``).
        verbose: passed to ``fit()``: 1 progress bar, 2 one line per epoch, 0 silent.

    Returns:
        ``{"history": {...}, "epochs_done": int, "seconds": float, "generator_path": Path,
        "gan": GAN}``; ``seconds`` is the wall-clock time of ``fit()``, ``cpu_seconds`` its CPU time
        (all threads); both are also written to ``run.json``.

    Raises:
        ValueError: a bad setting, an ``out_dir`` that is a file or already holds a run
            (without ``resume``), or settings that do not match the run being resumed.
        FileNotFoundError: missing data, or ``resume`` with nothing to resume.
        gan_lib.errors.TrainingDiverged: a loss became NaN or infinite (the last good checkpoint survives).
    """
    config = config or TrainConfig()
    config.validate()
    out_dir = Path(out_dir)
    _check_run_dir(out_dir, config, resume)
    keras.utils.set_random_seed(config.seed)

    (x_train, _), _ = load_dataset(config.dataset, data_dir)
    if config.max_images and config.max_images < len(x_train):
        # A random subset, not the first N: some IDX files are stored sorted by class.
        keep = np.random.default_rng(config.seed).choice(len(x_train), config.max_images, replace=False)
        x_train = x_train[np.sort(keep)]
    dataset = make_dataset(x_train, config.batch_size, seed=config.seed)

    generator, discriminator = build_models(config.model, config.latent_dim)
    gan = GAN(generator, discriminator, seed=config.seed)
    gan.compile(
        d_optimizer=keras.optimizers.Adam(config.learning_rate, beta_1=config.beta_1),
        g_optimizer=keras.optimizers.Adam(config.learning_rate, beta_1=config.beta_1),
        real_label=config.real_label,
        steps_per_execution=config.steps_per_execution,
    )
    checkpoint = TrainingCheckpoint(gan, out_dir / "checkpoints")
    initial_epoch = checkpoint.restore() if resume else 0
    if resume and initial_epoch == 0:
        raise FileNotFoundError(f"nothing to resume: no complete checkpoint in {out_dir / 'checkpoints'}")
    out_dir.mkdir(parents=True, exist_ok=True)
    if not resume:
        with atomic_path(out_dir / "config.json") as tmp:
            tmp.write_text(json.dumps(dataclasses.asdict(config), indent=2))
    history_path = out_dir / "history.csv"
    _trim_history(history_path, initial_epoch)

    time_callback = [TimeLimit(time_limit)] if time_limit else []
    all_callbacks = [
        StopOnDivergence(),  # first: a NaN stops the epoch before anything below saves it
        *time_callback,
        keras.callbacks.CSVLogger(str(history_path), append=resume),
        SampleGrid(out_dir, config.latent_dim, every=config.save_every, seed=config.seed),
        GeneratorCheckpoint(out_dir, every=config.save_every),
        checkpoint,  # last: the checkpoint marks an epoch done only after the other outputs exist
        *(callbacks or []),
    ]
    start, cpu_start = time.monotonic(), _cpu_seconds()
    if initial_epoch < config.epochs:
        gan.fit(dataset, epochs=config.epochs, initial_epoch=initial_epoch, callbacks=all_callbacks,
                verbose=verbose, shuffle=False)  # make_dataset already shuffles
    seconds, cpu_seconds = time.monotonic() - start, _cpu_seconds() - cpu_start
    epochs_done = int(checkpoint.epoch.numpy())

    generator_path = out_dir / "generator.keras"
    with atomic_path(generator_path) as tmp:
        generator.save(tmp)
    history = read_history_csv(history_path) if history_path.exists() else {}
    if history:
        save_loss_plot(history, out_dir / "losses.png")
    summary = {
        "epochs_before": initial_epoch,
        "epochs_done": epochs_done,
        "steps_total": int(gan.g_optimizer.iterations.numpy()),  # generator updates, resumed ones included
        "images": len(x_train),
        "wall_seconds": round(seconds, 1),
        "cpu_seconds": round(cpu_seconds, 1),
        "data": describe_source(config.dataset, data_dir),
        "hardware": hardware_summary(),
    }
    with atomic_path(out_dir / "run.json") as tmp:
        tmp.write_text(json.dumps(summary, indent=2))
    return {
        "history": history,
        "epochs_done": epochs_done,
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "generator_path": generator_path,
        "gan": gan,
    }
