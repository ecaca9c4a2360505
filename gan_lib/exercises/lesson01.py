"""Checks for the exercises of lesson 01 (MNIST as data).

Each check takes the learner's answer, raises ``AssertionError`` with a one-line hint when it is
wrong, and returns a short confirmation when it is right (see ``gan_lib.exercises``).
"""

from __future__ import annotations

import numpy as np
import tensorflow as tf


def check_fashion_mnist(fx_train: np.ndarray, fy_train: np.ndarray) -> str:
    """Exercise 1: the Fashion-MNIST training split, as ``load_fashion_mnist()`` returns it.

    Fashion-MNIST is told from MNIST by its ink: clothes cover much more of the frame, so the mean
    pixel is about 73 (MNIST: about 33).

    Raises:
        AssertionError: wrong shape or dtype, labels outside 0..9 or a class missing, or MNIST digits.
    """
    fx_train, fy_train = np.asarray(fx_train), np.asarray(fy_train)
    assert fx_train.dtype == np.uint8 and fx_train.ndim == 3 and fx_train.shape[1:] == (28, 28), (
        f"expected uint8 images (N, 28, 28), got {fx_train.dtype} {fx_train.shape}")
    assert len(fy_train) == len(fx_train), f"{len(fx_train)} images but {len(fy_train)} labels"
    assert set(np.unique(fy_train).tolist()) == set(range(10)), "expected labels 0..9, each at least once"
    mean = float(fx_train.mean())
    assert mean > 50, f"mean pixel {mean:.0f}: these look like MNIST digits (about 33); load_fashion_mnist() gives about 73"
    return f"Fashion-MNIST: {len(fx_train):,} images, mean pixel {mean:.0f}"


def check_class_means(class_means: np.ndarray, x_train: np.ndarray, y_train: np.ndarray) -> str:
    """Exercise 2: the mean image of each digit, ``class_means[d] = x_train[y_train == d].mean(axis=0)``.

    Raises:
        AssertionError: shape not (10, 28, 28), or some class's mean image differs from the data's.
    """
    class_means = np.asarray(class_means, np.float64)
    assert class_means.shape == (10, 28, 28), f"expected (10, 28, 28), one mean image per digit, got {class_means.shape}"
    for digit in range(10):
        expected = np.asarray(x_train)[np.asarray(y_train) == digit].mean(axis=0)
        assert np.allclose(class_means[digit], expected, atol=1e-3), (
            f"class_means[{digit}] is not the mean of the {digit}s: average x_train[y_train == {digit}] over axis 0, in [0, 255]")
    return "all ten mean images match"


def check_batches_per_epoch(n_batches: int, n_images: int, batch_size: int = 128) -> str:
    """Exercise 3: the number of batches ``make_dataset(x_train, batch_size)`` yields per epoch.

    Raises:
        AssertionError: ``n_batches`` is not ``n_images // batch_size`` (the short last batch is dropped).
    """
    expected = n_images // batch_size
    if n_batches == -(-n_images // batch_size) and n_images % batch_size:
        raise AssertionError(f"{n_batches} counts the short last batch, but make_dataset drops it (drop_remainder=True)")
    assert n_batches == expected, f"{n_batches} batches; {n_images} images in batches of {batch_size} give {expected} full ones"
    return f"{expected} full batches of {batch_size}; {n_images % batch_size} images sit out each epoch"


def check_last_batch(last_batch: tf.Tensor | np.ndarray, n_images: int, batch_size: int = 64) -> str:
    """Exercise 4: the last batch of an epoch of ``make_dataset(..., drop_remainder=False)``.

    Raises:
        AssertionError: not an image batch, or its size is not the remainder ``n_images % batch_size``.
    """
    shape = tuple(np.shape(last_batch))
    assert len(shape) == 4 and shape[1:] == (28, 28, 1), f"expected a batch (B, 28, 28, 1), got shape {shape}"
    expected = n_images % batch_size or batch_size
    assert shape[0] == expected, (
        f"the last batch holds {shape[0]} images; {n_images} % {batch_size} = {expected}: take the last, not the first")
    return f"last batch: {shape[0]} images instead of {batch_size}"


def _first_batch_classes(sorted_labels: np.ndarray, buffer_size: int, seed: int, batch_size: int) -> int:
    dataset = tf.data.Dataset.from_tensor_slices(sorted_labels).shuffle(buffer_size, seed=seed).batch(batch_size)
    return len(np.unique(next(iter(dataset)).numpy()))


def check_smallest_buffer(buffer_size: int, y_train: np.ndarray, seed: int = 42, batch_size: int = 64) -> str:
    """Exercise 5: the smallest shuffle buffer whose first batch, from labels sorted by class, holds all ten.

    Checks that ``buffer_size`` gives ten classes and ``buffer_size - 1`` does not; it does not try
    every smaller size.

    Raises:
        AssertionError: fewer than ten classes at ``buffer_size``, or ten already at ``buffer_size - 1``.
    """
    sorted_labels = np.sort(np.asarray(y_train))
    classes = _first_batch_classes(sorted_labels, buffer_size, seed, batch_size)
    assert classes == 10, f"with buffer {buffer_size} the first batch holds {classes} classes, not 10: go larger"
    smaller = _first_batch_classes(sorted_labels, buffer_size - 1, seed, batch_size)
    assert smaller < 10, f"buffer {buffer_size - 1} already gives all ten classes: search smaller sizes"
    return f"buffer {buffer_size}: ten classes ({buffer_size / (len(sorted_labels) / 10):.1f} x the images per class)"
