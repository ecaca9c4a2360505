"""Data: MNIST / Fashion-MNIST loading and the ``tf.data`` training pipeline.

Pixel convention for the whole package: images that go into or come out of a
model are float32 in [-1, 1] (the generator ends in ``tanh``, as in DCGAN,
Radford et al. 2016). Images on disk and in ``.npz`` sample files are uint8 in
[0, 255]. ``to_float`` and ``to_uint8`` convert between the two.

Introduced in 01_data_loading.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import tensorflow as tf

from gan_lib.errors import DataUnavailable
from gan_lib.idx import read_idx

Split = tuple[np.ndarray, np.ndarray]

IDX_FILES = {
    "x_train": "train-images-idx3-ubyte",
    "y_train": "train-labels-idx1-ubyte",
    "x_test": "t10k-images-idx3-ubyte",
    "y_test": "t10k-labels-idx1-ubyte",
}

_SUBFOLDERS = {"mnist": "mnist", "fashion_mnist": "fashion-mnist"}


def _find(folder: Path, stem: str) -> Path:
    for name in (stem + ".gz", stem):
        if (folder / name).is_file():
            return folder / name
    raise FileNotFoundError(
        f"{folder}: missing {stem}[.gz]. The folder needs the four standard IDX files: "
        + ", ".join(f + "[.gz]" for f in IDX_FILES.values())
    )


def load_idx_folder(folder: str | os.PathLike) -> tuple[Split, Split]:
    """Load a data set stored as the four standard IDX files in one folder.

    Args:
        folder: a folder holding ``train-images-idx3-ubyte``, ``train-labels-idx1-ubyte``,
            ``t10k-images-idx3-ubyte`` and ``t10k-labels-idx1-ubyte``, each raw or ``.gz``.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: images ``(N, H, W)`` uint8 in [0, 255],
        labels ``(N,)`` uint8, exactly like ``keras.datasets.mnist.load_data()``.

    Raises:
        FileNotFoundError: the folder or one of the four files is missing.
        ValueError: a file is not valid IDX, images are not 3-D, labels are not 1-D,
            or images and labels disagree in count. The message names the file.
    """
    folder = Path(folder).expanduser()
    if not folder.is_dir():
        raise FileNotFoundError(f"data folder {folder} does not exist (set --data-dir or GAN_LIB_DATA_DIR to a folder of IDX files)")
    arrays = {}
    for key, stem in IDX_FILES.items():
        path = _find(folder, stem)
        array = read_idx(path)
        want = 3 if key.startswith("x") else 1
        if array.ndim != want:
            raise ValueError(f"{path}: expected a {want}-D array, got shape {array.shape}")
        arrays[key] = (array, path)
    for split in ("train", "test"):
        (x, x_path), (y, y_path) = arrays["x_" + split], arrays["y_" + split]
        if len(x) != len(y):
            raise ValueError(f"{x_path} holds {len(x):,} images but {y_path} holds {len(y):,} labels")
    return (arrays["x_train"][0], arrays["y_train"][0]), (arrays["x_test"][0], arrays["y_test"][0])


def resolve_data_dir(name: str, data_dir: str | os.PathLike | None = None) -> Path | None:
    """Pick the offline folder for data set ``name``, or None to use ``keras.datasets``.

    ``data_dir`` (else the ``GAN_LIB_DATA_DIR`` environment variable) may be the folder of
    IDX files itself, or a parent holding ``mnist/`` and ``fashion-mnist/`` sub-folders.

    Raises:
        ValueError: the folder is named after the *other* data set (``GAN_LIB_DATA_DIR=.../mnist``
            while loading Fashion-MNIST), which would silently return the wrong images.
    """
    root = data_dir if data_dir is not None else os.environ.get("GAN_LIB_DATA_DIR") or None
    if root is None:
        return None
    root = Path(root).expanduser()
    sub = root / _SUBFOLDERS[name]
    if sub.is_dir():
        return sub
    others = set(_SUBFOLDERS.values()) - {_SUBFOLDERS[name]}
    if root.name in others:
        raise ValueError(
            f"{root} holds {root.name}, not {_SUBFOLDERS[name]}; pass data_dir (--data-dir) pointing at the "
            f"{_SUBFOLDERS[name]} IDX files, or set GAN_LIB_DATA_DIR to their parent folder"
        )
    return root


def describe_source(name: str, data_dir: str | os.PathLike | None = None) -> str:
    """Where :func:`load_mnist` / :func:`load_fashion_mnist` read from, in words (for run reports)."""
    folder = resolve_data_dir(name, data_dir)
    return f"offline IDX folder {folder.name}/" if folder is not None else f"keras.datasets.{name} (downloaded)"


def _load(name: str, data_dir: str | os.PathLike | None) -> tuple[Split, Split]:
    folder = resolve_data_dir(name, data_dir)
    if folder is not None:
        return load_idx_folder(folder)
    import keras  # the download path: what Colab users get

    dataset = {"mnist": keras.datasets.mnist, "fashion_mnist": keras.datasets.fashion_mnist}[name]
    try:
        return dataset.load_data()
    except Exception as err:  # Keras's downloader raises a bare Exception (URL fetch failure)
        cause = " ".join(str(err).split()) or type(err).__name__  # one line
        raise DataUnavailable(
            f"could not download {name} through keras.datasets ({cause[:200]}); without a network, point "
            f"--data-dir or GAN_LIB_DATA_DIR at a folder of the four IDX files "
            f"(train-images-idx3-ubyte[.gz], ...), or at its parent holding {_SUBFOLDERS[name]}/"
        ) from err


def load_mnist(data_dir: str | os.PathLike | None = None) -> tuple[Split, Split]:
    """Load MNIST (LeCun et al. 1998), offline from IDX files or through ``keras.datasets``.

    Args:
        data_dir: folder of the four IDX files (or its parent, with an ``mnist/``
            sub-folder). Defaults to ``$GAN_LIB_DATA_DIR``; when neither is set, Keras
            downloads and caches ``mnist.npz`` (60,000 train / 10,000 test images).

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: images ``(N, 28, 28)`` uint8 in [0, 255],
        labels ``(N,)`` uint8 in 0..9.

    Raises:
        FileNotFoundError: the folder or one of its files is missing.
        ValueError: a file is corrupt (the message names it).
        gan_lib.errors.DataUnavailable: no folder is given and the download failed (offline,
            proxy); the message says how to point ``GAN_LIB_DATA_DIR`` at IDX files.
    """
    return _load("mnist", data_dir)


def load_fashion_mnist(data_dir: str | os.PathLike | None = None) -> tuple[Split, Split]:
    """Load Fashion-MNIST (Xiao et al. 2017); same contract as :func:`load_mnist`.

    ``data_dir`` (or ``$GAN_LIB_DATA_DIR``) may hold the IDX files or a ``fashion-mnist/``
    sub-folder.
    """
    return _load("fashion_mnist", data_dir)


def load_dataset(name: str, data_dir: str | os.PathLike | None = None) -> tuple[Split, Split]:
    """Load ``"mnist"`` or ``"fashion_mnist"`` by name (see :func:`load_mnist`).

    Raises:
        ValueError: unknown name.
    """
    if name not in _SUBFOLDERS:
        raise ValueError(f"unknown dataset {name!r}; choose one of {sorted(_SUBFOLDERS)}")
    return _load(name, data_dir)


def to_float(images: np.ndarray | tf.Tensor) -> tf.Tensor:
    """uint8 [0, 255] -> float32 [-1, 1]: ``x / 127.5 - 1``. Any shape."""
    return tf.cast(images, tf.float32) / 127.5 - 1.0


def to_uint8(images: np.ndarray | tf.Tensor) -> np.ndarray:
    """float [-1, 1] -> uint8 [0, 255], rounding and clipping. Any shape; returns NumPy."""
    images = np.asarray(images, dtype=np.float32)
    return np.clip(np.rint((images + 1.0) * 127.5), 0, 255).astype(np.uint8)


def make_dataset(
    images: np.ndarray,
    batch_size: int = 64,
    shuffle: bool = True,
    seed: int | None = None,
    drop_remainder: bool = True,
    labels: np.ndarray | None = None,
) -> tf.data.Dataset:
    """The training pipeline: cache -> shuffle -> batch -> scale to [-1, 1] -> prefetch.

    Scaling runs once per batch (vectorized), after batching, which is cheaper than
    per image. Shuffling reshuffles every epoch.

    Args:
        images: ``(N, 28, 28)`` or ``(N, 28, 28, 1)`` uint8 in [0, 255].
        batch_size: images per batch.
        shuffle: shuffle the whole set each epoch.
        seed: shuffle seed, for repeatable runs.
        drop_remainder: drop the last short batch, so every batch has ``batch_size``
            images (GAN losses are averaged per batch; a tiny last batch adds noise).
        labels: ``(N,)`` integer class labels, for a conditional GAN; shuffled with the images.

    Returns:
        A dataset of ``(batch_size, 28, 28, 1)`` float32 tensors in [-1, 1], or of
        ``(images, labels)`` pairs with labels ``(batch_size,)`` int32 when ``labels`` is given.

    Raises:
        ValueError: wrong dtype or shape, fewer images than one batch, or labels not ``(N,)``.
    """
    images = np.asarray(images)
    if images.dtype != np.uint8:
        raise ValueError(f"images must be uint8 in [0, 255], got {images.dtype} (use gan_lib.data.to_uint8 first)")
    if images.ndim == 3:
        images = images[..., None]  # (N, H, W) -> (N, H, W, 1)
    if images.ndim != 4 or images.shape[-1] != 1:
        raise ValueError(f"images must have shape (N, H, W) or (N, H, W, 1), got {images.shape}")
    if batch_size < 1:
        raise ValueError(f"batch_size must be positive, got {batch_size}")
    if drop_remainder and len(images) < batch_size:
        raise ValueError(f"{len(images)} images are fewer than one batch of {batch_size}")
    if labels is not None and np.shape(labels) != (len(images),):
        raise ValueError(f"labels must have shape ({len(images)},), one per image, got {np.shape(labels)}")
    elements = images if labels is None else (images, np.asarray(labels, dtype=np.int32))
    ds = tf.data.Dataset.from_tensor_slices(elements).cache()
    if shuffle:
        ds = ds.shuffle(len(images), seed=seed, reshuffle_each_iteration=True)
    ds = ds.batch(batch_size, drop_remainder=drop_remainder)
    scale = to_float if labels is None else (lambda x, y: (to_float(x), y))
    ds = ds.map(scale, num_parallel_calls=tf.data.AUTOTUNE)
    return ds.prefetch(tf.data.AUTOTUNE)


def epoch_order(n: int, seed: int, epoch: int | tf.Tensor) -> tf.Tensor:
    """The order in which epoch ``epoch`` visits ``n`` images: a permutation of ``0..n-1``.

    A pure function of ``(seed, epoch)`` (``tf.random.experimental.stateless_shuffle``),
    so a resumed run visits the images exactly as an uninterrupted one would, whatever
    happened in the process before.

    Returns:
        ``(n,)`` int64.
    """
    seed_pair = tf.stack([tf.constant(seed, tf.int64), tf.cast(epoch, tf.int64)])
    return tf.random.experimental.stateless_shuffle(tf.range(n, dtype=tf.int64), seed=seed_pair)


def training_stream(
    images: np.ndarray, batch_size: int = 64, seed: int = 0, start_step: int = 0,
    labels: np.ndarray | None = None,
) -> tuple[tf.data.Dataset, int]:
    """An endless stream of training batches: epoch 0, epoch 1, ... each in its own seeded order.

    Unlike :func:`make_dataset` (one epoch per pass, reshuffled by the iterator's own
    state), batch ``k`` of this stream depends only on ``(images, batch_size, seed, k)``.
    ``train()`` starts it at ``start_step`` = the number of train steps already done, so
    a run resumed from any checkpoint, mid-epoch included, sees the same batches as an
    uninterrupted one. Use it with ``fit(..., steps_per_epoch=...)``.

    Memory: TensorFlow holds **one** copy of ``images``, as uint8 (no ``cache()``, no
    float32 copy); each batch is gathered and scaled to float32 on the fly
    (``benchmarks/memory.py`` measures it).

    Args:
        images: ``(N, 28, 28)`` or ``(N, 28, 28, 1)`` uint8 in [0, 255].
        batch_size: images per batch; the last ``N % batch_size`` images of each epoch's
            order are left out of that epoch (a different few each epoch).
        seed: seed of the per-epoch orders.
        start_step: batches to skip from the start of the stream.
        labels: ``(N,)`` integer class labels (a conditional GAN); gathered with their images.

    Returns:
        ``(dataset, batches_per_epoch)``: the dataset yields ``(batch_size, 28, 28, 1)``
        float32 in [-1, 1] forever, or ``(images, labels)`` pairs with labels
        ``(batch_size,)`` int32 when ``labels`` is given; ``batches_per_epoch`` is ``N // batch_size``.

    Raises:
        ValueError: wrong dtype or shape, fewer images than one batch, a negative ``start_step``,
            or labels not ``(N,)``.
    """
    images = np.asarray(images)
    if images.dtype != np.uint8:
        raise ValueError(f"images must be uint8 in [0, 255], got {images.dtype} (use gan_lib.data.to_uint8 first)")
    if images.ndim == 3:
        images = images[..., None]  # (N, H, W) -> (N, H, W, 1), a view
    if images.ndim != 4 or images.shape[-1] != 1:
        raise ValueError(f"images must have shape (N, H, W) or (N, H, W, 1), got {images.shape}")
    if batch_size < 1 or len(images) < batch_size:
        raise ValueError(f"{len(images)} images are fewer than one batch of {batch_size}")
    if start_step < 0:
        raise ValueError(f"start_step must be >= 0, got {start_step}")
    n = len(images)
    batches_per_epoch = n // batch_size
    # The one copy in TensorFlow, (N, 28, 28, 1) uint8. A Variable, because tf.constant (and
    # from_tensor_slices) of a NumPy array keeps a second, transient copy resident (measured: +96 MB vs +52 MB for 60,000 images).
    pixels = tf.Variable(images, trainable=False, name="training_images")

    def one_epoch(epoch: tf.Tensor) -> tf.data.Dataset:
        order = epoch_order(n, seed, epoch)[: batches_per_epoch * batch_size]
        return tf.data.Dataset.from_tensor_slices(tf.reshape(order, (batches_per_epoch, batch_size)))

    first_epoch, skip = divmod(start_step, batches_per_epoch)
    indices = tf.data.Dataset.counter(first_epoch).flat_map(one_epoch).skip(skip)  # (B,) int64 per element
    if labels is None:
        dataset = indices.map(lambda index: to_float(tf.gather(pixels, index)), num_parallel_calls=tf.data.AUTOTUNE)
    else:
        if np.shape(labels) != (n,):
            raise ValueError(f"labels must have shape ({n},), one per image, got {np.shape(labels)}")
        classes = tf.constant(np.asarray(labels, dtype=np.int32))
        dataset = indices.map(lambda index: (to_float(tf.gather(pixels, index)), tf.gather(classes, index)),
                              num_parallel_calls=tf.data.AUTOTUNE)
    return dataset.prefetch(tf.data.AUTOTUNE), batches_per_epoch
