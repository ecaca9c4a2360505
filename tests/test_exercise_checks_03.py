"""Lesson 03's exercise checks fail on plausible wrong answers and pass right ones."""

from __future__ import annotations

import functools
from pathlib import Path

import keras
import numpy as np
import pytest
from keras import layers

import gan_lib
from gan_lib.exercises import lesson03


def kernel_generator(kernels: tuple[int, ...], batch_norm: bool = True, latent_dim: int = 100) -> keras.Model:
    """build_dcgan_generator's layer plan with these kernels in its Conv2DTranspose layers (one per entry).

    batch_norm=False drops the BatchNorm layers but keeps use_bias=False (a plausible slip).
    """
    def norm_relu():
        return ([layers.BatchNormalization()] if batch_norm else []) + [layers.ReLU()]

    upsampling = []
    for kernel, filters in zip(kernels, (64, 32)):
        upsampling += [layers.Conv2DTranspose(filters, kernel, strides=2, padding="same", use_bias=False), *norm_relu()]
    return keras.Sequential([
        keras.Input((latent_dim,)),
        layers.Dense(7 * 7 * 128, use_bias=False), *norm_relu(),
        layers.Reshape((7, 7, 128)),
        *upsampling,
        layers.Conv2D(1, 3, padding="same", activation="tanh"),
    ])


def test_no_batchnorm_generator():
    assert "every layer has a bias" in lesson03.check_no_batchnorm_generator(gan_lib.build_dcgan_generator(batch_norm=False))
    with pytest.raises(AssertionError, match="BatchNormalization"):
        lesson03.check_no_batchnorm_generator(gan_lib.build_dcgan_generator())  # forgot batch_norm=False
    with pytest.raises(AssertionError, match="bias"):
        lesson03.check_no_batchnorm_generator(kernel_generator((4, 4), batch_norm=False))  # removed BatchNorm but kept use_bias=False


def test_checkerboard_generator():
    assert "kernel 3" in lesson03.check_checkerboard_generator(kernel_generator((3, 3)))
    with pytest.raises(AssertionError, match="kernel"):
        lesson03.check_checkerboard_generator(gan_lib.build_dcgan_generator())  # the copy, kernel 4 left in
    with pytest.raises(AssertionError, match="kernel"):
        lesson03.check_checkerboard_generator(kernel_generator((3, 4)))  # only the first layer changed
    with pytest.raises(AssertionError, match="28, 28, 1"):
        lesson03.check_checkerboard_generator(kernel_generator((3,)))  # one upsampling layer: 14x14


def test_conv_transpose_params():
    generator = gan_lib.build_dcgan_generator()
    assert "131,072" in lesson03.check_conv_transpose_params(4 * 4 * 128 * 64, generator)
    with pytest.raises(AssertionError, match="no bias|has none"):
        lesson03.check_conv_transpose_params(4 * 4 * 128 * 64 + 64, generator)  # counted a bias
    with pytest.raises(AssertionError, match="not the count"):
        lesson03.check_conv_transpose_params(4 * 4 * 64, generator)  # forgot the input channels
    with_bias = gan_lib.build_dcgan_generator(batch_norm=False)
    lesson03.check_conv_transpose_params(4 * 4 * 128 * 64 + 64, with_bias)


@functools.lru_cache(maxsize=1)
def load_both(folder: Path) -> tuple[np.ndarray, np.ndarray]:
    (x_fashion, _), _ = gan_lib.load_fashion_mnist(folder)
    (x_mnist, _), _ = gan_lib.load_mnist(folder)
    return x_fashion, x_mnist


@pytest.mark.parametrize("seed", range(1, 6))
def test_fashion_samples_pass_for_clothes(mnist_dir, seed):
    x_fashion, x_mnist = load_both(mnist_dir)
    clothes = x_fashion[np.random.default_rng(seed).permutation(len(x_fashion))[-500:]] / 127.5 - 1  # not the references
    assert "clothes-like" in lesson03.check_fashion_samples(clothes[..., None], x_fashion, x_mnist)


def test_fashion_samples_fail_for_wrong_answers(mnist_dir):
    x_fashion, x_mnist = load_both(mnist_dir)
    digits = x_mnist[np.random.default_rng(1).permutation(len(x_mnist))[:500]] / 127.5 - 1
    with pytest.raises(AssertionError, match="nearer to a piece of clothing"):
        lesson03.check_fashion_samples(digits, x_fashion, x_mnist)  # the MNIST generator's kind of output
    with pytest.raises(AssertionError, match="nearly alike"):
        lesson03.check_fashion_samples(np.repeat(x_fashion[-1:] / 127.5 - 1, 200, axis=0), x_fashion, x_mnist)  # collapse
    untrained = gan_lib.generate(gan_lib.build_dcgan_generator(), gan_lib.random_latent_vectors(200, 100, seed=0))
    with pytest.raises(AssertionError, match="nearly alike"):
        lesson03.check_fashion_samples(untrained, x_fashion, x_mnist)
    with pytest.raises(AssertionError, match=r"\[-1, 1\]"):
        lesson03.check_fashion_samples(x_fashion[-200:], x_fashion, x_mnist)  # uint8 pixels, not generator outputs
