"""Lesson 01's exercise checks fail on plausible wrong answers and pass right ones."""

from __future__ import annotations

import numpy as np
import pytest

import gan_lib
from gan_lib.exercises import lesson01


@pytest.fixture
def mnist(mnist_dir):
    (x_train, y_train), _ = gan_lib.load_mnist(mnist_dir)
    return x_train, y_train


def test_fashion_mnist(mnist_dir, mnist):
    (fx_train, fy_train), _ = gan_lib.load_fashion_mnist(mnist_dir)
    assert "Fashion-MNIST" in lesson01.check_fashion_mnist(fx_train, fy_train)
    with pytest.raises(AssertionError, match="MNIST digits"):
        lesson01.check_fashion_mnist(*mnist)  # loaded MNIST again
    with pytest.raises(AssertionError, match="uint8"):
        lesson01.check_fashion_mnist(fx_train / 255.0, fy_train)  # scaled already


def test_class_means(mnist):
    x_train, y_train = mnist
    right = np.stack([x_train[y_train == digit].mean(axis=0) for digit in range(10)])
    assert "ten" in lesson01.check_class_means(right, x_train, y_train)
    with pytest.raises(AssertionError, match="class_means"):
        lesson01.check_class_means(np.stack([x_train[:10][y_train[:10] == y_train[0]].mean(axis=0)] * 10), x_train, y_train)
    with pytest.raises(AssertionError, match="class_means\\[0\\]"):
        lesson01.check_class_means(right / 127.5 - 1, x_train, y_train)  # scaled to [-1, 1]
    with pytest.raises(AssertionError, match="10, 28, 28"):
        lesson01.check_class_means(right[:, None], x_train, y_train)


def test_batches_per_epoch():
    assert "39 full batches" in lesson01.check_batches_per_epoch(39, 5000)
    with pytest.raises(AssertionError, match="drops it"):
        lesson01.check_batches_per_epoch(40, 5000)  # rounded up
    with pytest.raises(AssertionError, match="full ones"):
        lesson01.check_batches_per_epoch(78, 5000)  # the batch size of the lesson, not 128


def test_last_batch(mnist):
    x_train, _ = mnist
    batches = list(gan_lib.make_dataset(x_train[:1000], batch_size=64, seed=0, drop_remainder=False))
    assert "40 images" in lesson01.check_last_batch(batches[-1], 1000)
    with pytest.raises(AssertionError, match="take the last"):
        lesson01.check_last_batch(batches[0], 1000)
    with pytest.raises(AssertionError, match="28, 28, 1"):
        lesson01.check_last_batch(np.zeros((40, 28, 28)), 1000)


def test_smallest_buffer(mnist):
    _, y_train = mnist
    sorted_labels = np.sort(y_train)
    tries = {}
    first_nine = int(np.argmax(sorted_labels == 9))  # a smaller buffer cannot reach any 9 before the first batch
    for size in range(first_nine + 1, len(y_train) + 1):
        tries[size] = lesson01._first_batch_classes(sorted_labels, size, 42, 64)
        if tries[size] == 10:
            break
    smallest = max(tries)
    assert "ten classes" in lesson01.check_smallest_buffer(smallest, y_train)
    with pytest.raises(AssertionError, match="go larger"):
        lesson01.check_smallest_buffer(500, y_train)  # the images per class: too small
    with pytest.raises(AssertionError, match="search smaller"):
        lesson01.check_smallest_buffer(len(y_train), y_train)  # the full buffer works, but is not the smallest
