"""``train()``: one call from data to a finished run folder. The CLI's ``train`` is this.

A run folder holds (NNN = epochs completed)::

    config.json                   the settings, checked again by --resume
    history.csv                   d_loss, g_loss, d_acc_real, d_acc_fake per epoch (CSVLogger;
                                  WGAN-GP: d_loss, g_loss, gradient_penalty, wasserstein_distance)
    losses.png                    the loss and accuracy curves
    generated_plot_eNNN.png       10x10 samples from fixed latent vectors (cgan: one row per digit)
    progress.gif                  those grids as an animation
    generator_model_NNN.keras     generator snapshots
    generator.keras               the final generator
    run.json                      the last call: epochs, steps, wall and CPU seconds, data, hardware
    checkpoints/                  full state (both models and optimizers) for --resume

Faults and resumption:

- Every file is written atomically (:mod:`gan_lib.atomic`); a run killed at any moment
  (SIGKILL included) leaves the previous checkpoint loadable, and ``resume=True``
  continues from it (temporary files a killed run left behind are removed then).
- Ctrl-C saves the current state (mid-epoch) before it stops; ``resume=True`` runs
  the rest of that epoch, then the remaining epochs.
- Batches come from :func:`gan_lib.data.training_stream`: batch k depends only on the
  seed and k, and a resumed run restarts the stream at the step it stopped, so it sees
  the same batches, noise and dropout masks as an uninterrupted run. On CPU the weights
  then match an uninterrupted run bit for bit (tests/test_reliability.py checks it; other
  devices may differ in the last bits). The one visible difference: after a mid-epoch
  resume, that epoch's row in history.csv averages only the steps run after the resume.
- An epoch is ``N // batch_size`` steps rounded up to a multiple of
  ``steps_per_execution`` (the stream simply continues into the next epoch's order).

Introduced in 03_dcgan.
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import json
import math
import os
import re
import resource
import shutil
import tempfile
import time
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf

from gan_lib.atomic import atomic_path
from gan_lib.callbacks import (
    GeneratorCheckpoint,
    HistoryCSV,
    RunProgress,
    SampleGrid,
    StopOnDivergence,
    TimeLimit,
    TrainingCheckpoint,
)
from gan_lib.data import describe_source, load_dataset, training_stream
from gan_lib.diffaugment import DiffAugment, parse_policy
from gan_lib.distribute import STRATEGIES, DistributeError, make_strategy, worker_info
from gan_lib.errors import TrainingInterrupted
from gan_lib.gan import GAN
from gan_lib.losses import LOSS_NAMES
from gan_lib.models import D_KERNEL_SIZE, build_dcgan_generator, build_models
from gan_lib.plotting import read_history_csv, save_loss_plot
from gan_lib.runinfo import hardware_summary

MODELS = ("mlp", "dcgan", "cgan", "wgan-gp")
G_RATE_FACTOR = 2.0  # the DCGAN's default generator rate, in units of learning_rate (TrainConfig.g_lr)
_UNTIL_THE_TIME_LIMIT = 1_000_000  # the epochs fit() is given when only a time limit ends the run
DATASETS = ("mnist", "fashion_mnist", "folder")


@dataclasses.dataclass
class TrainConfig:
    """Settings of a run. The defaults are chosen for quality per CPU minute.

    ``epochs`` counts all epochs of the run, resumed parts included (Keras's
    ``initial_epoch`` convention): ``--epochs 30 --resume`` after 20 trains 10 more.
    ``epochs=None`` trains until ``train()``'s time limit stops it.
    """

    model: str = "dcgan"  # "mlp", "dcgan", "cgan" (conditional, lesson 06) or "wgan-gp" (lesson 07)
    epochs: int | None = 20  # None: until the time limit
    batch_size: int = 64  # small batches: more updates per CPU second (README, "Choosing the defaults")
    latent_dim: int = 100
    dataset: str = "mnist"  # "mnist", "fashion_mnist", or "folder" (a folder of images: data_dir)
    seed: int = 0
    learning_rate: float = 2e-4  # Adam(2e-4, beta_1=0.5): Radford et al. 2016
    beta_1: float = 0.5
    real_label: float = 0.9  # one-sided label smoothing (Salimans et al. 2016)
    save_every: int = 10  # epochs between sample grids and generator snapshots
    steps_per_execution: int = 10  # train steps per call into TensorFlow: +23% images/s for the MLP (benchmarks/)
    max_images: int | None = None  # train on a random (seeded) subset of N images (tests, quick demos)
    n_critic: int = 5  # wgan-gp only: critic updates per generator update (Gulrajani et al. 2017)
    # The tricks of lesson 08, measured by benchmarks/ablation.py (README, "Tricks, measured"):
    g_learning_rate: float | None = None  # TTUR (Heusel et al. 2017): G's own rate; None: see g_lr
    d_learning_rate: float | None = None  # TTUR: D's own rate; None: learning_rate
    ema: float | None = None  # decay of the generator's weight average (Yazıcı et al. 2019), e.g. 0.999
    diffaugment: str | None = None  # DiffAugment policy (Zhao et al. 2020), e.g. "translation,cutout"
    spectral_norm: bool = False  # dcgan: spectral normalization in D (Miyato et al. 2018)
    loss: str = "bce"  # "bce" (non-saturating) or "hinge" (Lim & Ye 2017)
    g_filters: tuple[int, ...] | None = None  # dcgan widths, one or two; None: the builders' defaults
    d_filters: tuple[int, int] | None = None
    d_kernel: int | None = None  # dcgan: D's kernel size; None: the builder's default, 5 (3 before the ablation)
    distribute: str = "none"  # tf.distribute strategy: none, mirrored, multi-worker or tpu (gan_lib.distribute)

    @property
    def g_lr(self) -> float:
        """The generator's rate: ``g_learning_rate`` if set; else twice ``learning_rate`` for the DCGAN, the
        same for the other models. A generator that learns twice as fast as the discriminator (TTUR with G
        the faster, Heusel et al. 2017) gave the DCGAN (3x3 D) FID 36.0 ± 2.3 at 8,000 steps over 3 seeds against
        43.5 ± 3.3 for equal rates, and all ten classes from 2,000 steps on (benchmarks/ablation.py, README
        "Tricks, measured"); the other models were not measured, so they keep equal rates."""
        if self.g_learning_rate:
            return self.g_learning_rate
        return self.learning_rate * (G_RATE_FACTOR if self.model == "dcgan" else 1.0)

    @property
    def d_lr(self) -> float:
        return self.d_learning_rate or self.learning_rate

    def validate(self) -> None:
        """Raises ValueError naming the first bad setting."""
        if self.distribute not in STRATEGIES:
            raise ValueError(f"unknown distribute {self.distribute!r}; choose one of {', '.join(STRATEGIES)}")
        if self.epochs is not None and int(self.epochs) < 1:
            raise ValueError(f"epochs must be a positive integer or None (until the time limit), got {self.epochs}")
        for name in ("batch_size", "latent_dim", "save_every", "steps_per_execution", "n_critic"):
            if int(getattr(self, name)) < 1:
                raise ValueError(f"{name.replace('_', '-')} must be a positive integer, got {getattr(self, name)}")
        if self.max_images is not None and self.max_images < self.batch_size:
            raise ValueError(f"max-images ({self.max_images}) must be at least one batch ({self.batch_size})")
        if self.model not in MODELS:
            raise ValueError(f"unknown model {self.model!r}; choose one of {', '.join(MODELS)}")
        if self.dataset not in DATASETS:
            raise ValueError(f"unknown dataset {self.dataset!r}; choose one of {', '.join(DATASETS)}")
        if self.model == "cgan" and self.dataset == "folder":
            raise ValueError("the conditional GAN needs class labels, and a folder of images has none; "
                             "use --dataset mnist or fashion_mnist, or another --model")
        for name in ("learning_rate", "g_learning_rate", "d_learning_rate"):
            value = getattr(self, name)
            if value is not None and not value > 0:
                raise ValueError(f"{name.replace('_learning_rate', '-lr').replace('_', '-')} must be positive, got {value}")
        if self.ema is not None and not 0.0 < self.ema < 1.0:
            raise ValueError(f"ema must be a decay between 0 and 1 (e.g. 0.999), got {self.ema}")
        if self.diffaugment is not None:
            parse_policy(self.diffaugment)
        if self.loss not in LOSS_NAMES:
            raise ValueError(f"unknown loss {self.loss!r}; choose one of {', '.join(LOSS_NAMES)}")
        if self.model == "wgan-gp" and (self.diffaugment or self.spectral_norm or self.loss != "bce"):
            raise ValueError("WGAN-GP has its own loss and critic: --diffaugment, --spectral-norm and --loss "
                             "apply to the other models")
        if self.d_kernel is not None and int(self.d_kernel) < 1:
            raise ValueError(f"d-kernel must be a positive integer (3 or 5), got {self.d_kernel}")
        if self.model != "dcgan" and (self.g_filters or self.d_filters or self.spectral_norm or self.d_kernel):
            raise ValueError("--g-filters, --d-filters, --d-kernel and --spectral-norm apply to --model dcgan only")


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
    defaults = json.loads(json.dumps(dataclasses.asdict(TrainConfig())))  # for runs saved before a setting existed
    if saved.get("model") == "dcgan" and "d_kernel" not in saved:
        saved["d_kernel"] = 3  # a DCGAN run saved before --d-kernel existed had 3x3 kernels in D
    if config.model == "dcgan":  # None means the builder's default, 5: compare kernel sizes, not spellings
        saved["d_kernel"] = saved.get("d_kernel") or D_KERNEL_SIZE
        config = dataclasses.replace(config, d_kernel=config.d_kernel or D_KERNEL_SIZE)
    # the settings that change what the checkpoint holds or what generator.keras is
    for key in ("model", "latent_dim", "dataset", "ema", "diffaugment", "spectral_norm", "loss", "g_filters",
                "d_filters", "d_kernel"):
        if saved.get(key, defaults[key]) != json.loads(json.dumps(getattr(config, key))):
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
    # A row of another length is a line cut short by a killed run.
    kept = [rows[0]] + [row for row in rows[1:] if len(row) == len(rows[0]) and int(row[0]) < epochs_done]
    if len(kept) != len(rows):
        with atomic_path(path) as tmp, open(tmp, "w", newline="") as f:
            csv.writer(f).writerows(kept)


_STALE = re.compile(r"^\..+\.tmp\d+")  # gan_lib.atomic's temporary names


def _remove_stale_temporaries(out_dir: Path) -> None:
    """Delete what a killed run left half-written: atomic_path temporaries, TF checkpoint temp folders."""
    for path in out_dir.glob(".*.tmp*"):
        if _STALE.match(path.name) and path.is_file():
            path.unlink(missing_ok=True)
    checkpoints = out_dir / "checkpoints"
    for path in checkpoints.glob("ckpt-*_temp"):  # shards of an unfinished tf.train.Checkpoint save
        shutil.rmtree(path, ignore_errors=True)
    for path in checkpoints.glob("checkpoint.tmp*"):  # TF's own atomic write of the index file
        path.unlink(missing_ok=True)


def _training_data(config: TrainConfig, data_dir: str | os.PathLike | None) -> tuple:
    """``(images (N, 28, 28) uint8, labels (N,) or None, description)`` for ``config.dataset``."""
    if config.dataset == "folder":
        if data_dir is None:
            raise ValueError("--dataset folder needs --data-dir DIR, a folder of images")
        from gan_lib.image_folder import load_image_folder

        return load_image_folder(data_dir), None, f"image folder {Path(data_dir).name}/"
    (images, labels), _ = load_dataset(config.dataset, data_dir)
    return images, labels, describe_source(config.dataset, data_dir)


def _build_gan(config: TrainConfig, steps_per_execution: int) -> GAN:
    """The model named by ``config.model``, compiled with its optimizers."""
    augment = DiffAugment(config.diffaugment, seed=config.seed) if config.diffaugment else None
    if config.model == "cgan":
        from gan_lib.conditional import ConditionalGAN, build_conditional_discriminator, build_conditional_generator

        gan = ConditionalGAN(build_conditional_generator(config.latent_dim), build_conditional_discriminator(),
                             seed=config.seed, ema_decay=config.ema, augment=augment)
    elif config.model == "wgan-gp":
        from gan_lib.wgan import WGANGP, build_critic

        gan = WGANGP(build_dcgan_generator(config.latent_dim), build_critic(), n_critic=config.n_critic,
                     seed=config.seed, ema_decay=config.ema)
        gan.compile(  # beta_2 = 0.9: Gulrajani et al. 2017
            d_optimizer=keras.optimizers.Adam(config.d_lr, beta_1=config.beta_1, beta_2=0.9),
            g_optimizer=keras.optimizers.Adam(config.g_lr, beta_1=config.beta_1, beta_2=0.9),
            steps_per_execution=steps_per_execution,
        )
        return gan
    else:
        networks = build_models(config.model, config.latent_dim, g_filters=config.g_filters,
                                d_filters=config.d_filters, spectral_norm=config.spectral_norm,
                                d_kernel=config.d_kernel)
        gan = GAN(*networks, seed=config.seed, ema_decay=config.ema, augment=augment)
    gan.compile(
        d_optimizer=keras.optimizers.Adam(config.d_lr, beta_1=config.beta_1),
        g_optimizer=keras.optimizers.Adam(config.g_lr, beta_1=config.beta_1),
        real_label=config.real_label,
        loss=config.loss,
        steps_per_execution=steps_per_execution,
    )
    return gan


def weights_fingerprint(model: keras.Model) -> str:
    """SHA-256 (hex) of a model's weights, in order: equal on two workers iff they hold the same weights."""
    digest = hashlib.sha256()
    for weight in model.weights:
        digest.update(np.ascontiguousarray(keras.ops.convert_to_numpy(weight)).tobytes())
    return digest.hexdigest()


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
        resume: continue the run in ``out_dir`` from its newest readable checkpoint (an epoch
            end, or the mid-epoch state saved on Ctrl-C).
        data_dir: offline IDX folder (default ``$GAN_LIB_DATA_DIR``, else download); with
            ``dataset="folder"``, the folder of images (required).
        callbacks: extra Keras callbacks (e.g. ``keras.callbacks.TensorBoard``).
        verbose: passed to ``fit()``: 1 progress bar, 2 one line per epoch, 0 silent.

    With ``config.distribute`` set (:mod:`gan_lib.distribute`) the networks are built in that
    strategy's scope and ``fit()`` runs every step on all replicas. Under ``multi-worker``
    every worker runs the same call with the same ``out_dir``; only the chief writes it (the
    others write a temporary folder that they remove), and ``resume=True`` on every worker
    reads the chief's checkpoints, so ``out_dir`` must be on a file system all workers see
    (as for Keras's ``BackupAndRestore``).

    Returns:
        ``{"history": {...}, "epochs_done": int, "steps": int, "seconds": float, "generator_path": Path,
        "gan": GAN}``; ``steps`` counts the generator updates of this call; ``seconds`` is the wall-clock time of ``fit()``, ``cpu_seconds`` its CPU time
        (all threads); both are also written to ``run.json``.

    Raises:
        ValueError: a bad setting (:class:`gan_lib.distribute.DistributeError` for a strategy that
            cannot work here), an ``out_dir`` that is a file or already holds a run
            (without ``resume``), or settings that do not match the run being resumed.
        FileNotFoundError: missing data, or ``resume`` with nothing to resume.
        gan_lib.errors.TrainingDiverged: a loss became NaN or infinite (the last good checkpoint survives).
        gan_lib.errors.TrainingInterrupted: Ctrl-C (a ``KeyboardInterrupt``); the state was
            saved first and the message says where ``resume=True`` continues.
    """
    config = config or TrainConfig()
    config.validate()
    if config.epochs is None and not time_limit:
        raise ValueError("give a number of epochs (--epochs) or a time limit (--time-limit), or both")
    out_dir = Path(out_dir)
    worker, workers, chief = worker_info(config.distribute)
    if workers > 1 and time_limit:
        raise DistributeError("--time-limit with several workers: each worker's own clock would stop it at a "
                              "different step while the others wait for it; give --epochs instead")
    if chief or resume:  # a resuming worker checks the chief's folder too; it only reads it
        _check_run_dir(out_dir, config, resume)  # before the strategy, which waits for every worker
    strategy = make_strategy(config.distribute)  # before other TF work: logical devices, collectives
    replicas = strategy.num_replicas_in_sync
    if config.batch_size % replicas:
        raise DistributeError(f"--batch-size {config.batch_size} is the global batch and must split evenly over the "
                              f"{replicas} replicas of --distribute {config.distribute}; pass a multiple of {replicas}")
    # Only the chief writes the run folder; other workers write a temporary one, removed at the end.
    write_dir = out_dir if chief else Path(tempfile.mkdtemp(prefix=f"gan_lib-worker{worker}-"))
    try:
        return _train(out_dir, write_dir, config, strategy, (worker, workers), time_limit, resume, data_dir,
                      callbacks, verbose)
    finally:
        if not chief:
            shutil.rmtree(write_dir, ignore_errors=True)


def _train(out_dir: Path, write_dir: Path, config: TrainConfig, strategy: tf.distribute.Strategy,
           worker: tuple[int, int], time_limit: float | None, resume: bool, data_dir: str | os.PathLike | None,
           callbacks: list[keras.callbacks.Callback] | None, verbose: int | str) -> dict:
    """:func:`train` after the checks: reads checkpoints from ``out_dir``, writes into ``write_dir``."""
    last_epoch = config.epochs or _UNTIL_THE_TIME_LIMIT
    keras.utils.set_random_seed(config.seed)

    x_train, y_train, data_description = _training_data(config, data_dir)
    y_train = y_train if config.model == "cgan" else None  # only the conditional GAN sees labels
    if config.max_images and config.max_images < len(x_train):
        # A random subset, not the first N: some IDX files are stored sorted by class.
        keep = np.sort(np.random.default_rng(config.seed).choice(len(x_train), config.max_images, replace=False))
        x_train, y_train = x_train[keep], (None if y_train is None else y_train[keep])
    # WGAN-GP: one step takes n_critic batches, one per critic update (gan_lib.wgan.WGANGP)
    images_per_step = config.batch_size * (config.n_critic if config.model == "wgan-gp" else 1)
    if len(x_train) < images_per_step:
        step = f"one WGAN-GP step (n_critic x batch-size = {images_per_step:,})" if images_per_step > config.batch_size \
            else f"batch-size {config.batch_size:,}"
        raise ValueError(f"{step} is larger than the {len(x_train):,} training images; pass a smaller --batch-size")
    batches = len(x_train) // images_per_step
    # Keras's loop of several steps per call fails under a strategy with several replicas ("You must feed
    # a value for placeholder tensor ... while/cond/then", TF 2.21 / Keras 3.15): one step per call there.
    steps_per_execution = min(config.steps_per_execution if strategy.num_replicas_in_sync == 1 else 1, batches)
    steps_per_epoch = math.ceil(batches / steps_per_execution) * steps_per_execution

    with strategy.scope():  # the variables of both networks and optimizers: one copy per replica
        gan = _build_gan(config, steps_per_execution)
    generator = gan.sample_generator  # what generator.keras holds: the EMA average when there is one
    checkpoint = TrainingCheckpoint(gan, write_dir / "checkpoints", steps_per_epoch=steps_per_epoch)
    initial_epoch = checkpoint.restore(out_dir / "checkpoints") if resume else 0
    part_done = int(checkpoint.step.numpy())  # steps of epoch initial_epoch done before a Ctrl-C
    if resume and initial_epoch == 0 and part_done == 0:
        raise FileNotFoundError(f"nothing to resume: no complete checkpoint in {out_dir / 'checkpoints'}")
    if resume and write_dir == out_dir:
        _remove_stale_temporaries(out_dir)
    write_dir.mkdir(parents=True, exist_ok=True)
    if not resume:
        with atomic_path(write_dir / "config.json") as tmp:
            tmp.write_text(json.dumps({**dataclasses.asdict(config), "time_limit_seconds": time_limit,
                                       "g_lr": config.g_lr, "d_lr": config.d_lr}, indent=2))  # the rates used
    history_path = write_dir / "history.csv"
    _trim_history(history_path, initial_epoch)

    time_callback = [TimeLimit(time_limit)] if time_limit else []
    all_callbacks = [
        StopOnDivergence(),  # first: a NaN stops the epoch before anything below saves it
        *time_callback,
        RunProgress(config.epochs, time_limit),
        *(callbacks or []),  # before the CSV logger, so values they add to the logs reach history.csv
        HistoryCSV(str(history_path), append=resume),
        SampleGrid(write_dir, config.latent_dim, every=config.save_every, seed=config.seed),
        GeneratorCheckpoint(write_dir, every=config.save_every),
        checkpoint,  # last: the checkpoint marks an epoch done only after the other outputs exist
    ]

    def fit(first_epoch: int, end_epoch: int, steps: int) -> None:
        """fit() epochs [first_epoch, end_epoch) of ``steps`` steps, the stream starting where the last step left off."""
        stream, _ = training_stream(x_train, images_per_step, config.seed,
                                    start_step=int(gan.g_optimizer.iterations.numpy()), labels=y_train)
        if worker[1] > 1:  # each worker keeps its own share of every global batch (tf.data auto-shard by data)
            options = tf.data.Options()
            options.experimental_distribute.auto_shard_policy = tf.data.experimental.AutoShardPolicy.DATA
            stream = stream.with_options(options)
        gan.fit(stream, epochs=end_epoch, initial_epoch=first_epoch, steps_per_epoch=steps,
                callbacks=all_callbacks, verbose=verbose)

    start, cpu_start, steps_start = time.monotonic(), _cpu_seconds(), int(gan.g_optimizer.iterations.numpy())
    try:
        next_epoch = initial_epoch
        if part_done and next_epoch < last_epoch:  # the rest of the epoch that Ctrl-C stopped
            fit(next_epoch, next_epoch + 1, steps_per_epoch - part_done)
            next_epoch += 1
        if next_epoch < last_epoch and not gan.stop_training:
            fit(next_epoch, last_epoch, steps_per_epoch)
    except KeyboardInterrupt as interrupt:
        if checkpoint.save_interrupted():
            where = (f"saved epoch {int(checkpoint.epoch.numpy()) + 1} at step {int(checkpoint.step.numpy())} of "
                     f"{steps_per_epoch} in {checkpoint.manager.latest_checkpoint}")
        else:
            where = f"the last checkpoint is {checkpoint.manager.latest_checkpoint or 'none (nothing to resume yet)'}"
        raise TrainingInterrupted(f"{where}; continue with --resume") from interrupt
    seconds, cpu_seconds = time.monotonic() - start, _cpu_seconds() - cpu_start
    epochs_done = int(checkpoint.epoch.numpy())
    steps = int(gan.g_optimizer.iterations.numpy()) - steps_start  # generator updates in this call

    generator_path = out_dir / "generator.keras"  # the chief's; another worker's copy goes with its folder
    with atomic_path(write_dir / generator_path.name) as tmp:
        generator.save(tmp)
    history = read_history_csv(history_path) if history_path.exists() else {}
    if history:
        save_loss_plot(history, write_dir / "losses.png")
    summary = {
        "epochs_before": initial_epoch,
        "epochs_done": epochs_done,
        "steps_total": int(gan.g_optimizer.iterations.numpy()),  # generator updates, resumed ones included
        "steps": steps,  # generator updates in this call
        "steps_per_second": round(steps / seconds, 2) if seconds > 0 else None,
        "images": len(x_train),
        "wall_seconds": round(seconds, 1),
        "cpu_seconds": round(cpu_seconds, 1),
        "data": data_description,
        "hardware": hardware_summary(),
        "distribute": {"strategy": config.distribute, "replicas": strategy.num_replicas_in_sync, "workers": worker[1]},
        "generator_sha256": weights_fingerprint(generator),
    }
    with atomic_path(write_dir / "run.json") as tmp:
        tmp.write_text(json.dumps(summary, indent=2))
    return {
        "history": history,
        "epochs_done": epochs_done,
        "steps": steps,
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "generator_path": generator_path,
        "gan": gan,
        "worker": worker,
        "generator_sha256": summary["generator_sha256"],
    }
