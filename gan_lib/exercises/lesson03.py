"""Checks for the exercises of lesson 03 (a DCGAN).

Each check takes the learner's answer, raises ``AssertionError`` with a one-line hint when it is
wrong, and returns a short confirmation when it is right (see ``gan_lib.exercises``).
"""

from __future__ import annotations

import keras
import numpy as np
from keras import layers

from gan_lib.exercises.lesson02 import mean_pairwise_distance

IMAGE_SHAPE = (28, 28, 1)


def _check_generator_shapes(generator: keras.Model) -> None:
    assert isinstance(generator, keras.Model), f"expected a keras.Model, got {type(generator).__name__}"
    assert len(generator.input_shape) == 2, f"a generator takes z of shape (B, latent_dim), got {generator.input_shape}"
    assert tuple(generator.output_shape[1:]) == IMAGE_SHAPE, (
        f"a generator must output (B, 28, 28, 1), got {generator.output_shape}; check the strides and padding='same'")


def check_no_batchnorm_generator(generator: keras.Model) -> str:
    """Exercise 1: a DCGAN generator without BatchNorm, whose layers got their biases back.

    Args:
        generator: the learner's generator (typically ``build_dcgan_generator(batch_norm=False)``).

    Raises:
        AssertionError: a BatchNormalization layer is left, or a Dense / (transposed) convolution has no bias.
    """
    _check_generator_shapes(generator)
    norms = [layer.name for layer in generator.layers if isinstance(layer, layers.BatchNormalization)]
    assert not norms, f"the generator still has BatchNormalization layers: {norms}; build it with batch_norm=False"
    no_bias = [layer.name for layer in generator.layers
               if isinstance(layer, (layers.Dense, layers.Conv2D, layers.Conv2DTranspose)) and not layer.use_bias]
    assert not no_bias, f"without BatchNorm these layers need a bias (use_bias=True): {no_bias}"
    return f"generator without BatchNorm: {generator.count_params():,} parameters, every layer has a bias"


def check_checkerboard_generator(generator: keras.Model) -> str:
    """Exercise 2: the DCGAN generator rebuilt with kernel 3 in every transposed convolution.

    Args:
        generator: the learner's ``keras.Sequential`` (or any Model) mapping ``(B, latent_dim)`` to
            ``(B, 28, 28, 1)``.

    Raises:
        AssertionError: wrong output shape, fewer than two transposed convolutions, or one whose kernel
            is not 3x3 or whose stride is not 2.
    """
    _check_generator_shapes(generator)
    transposed = [layer for layer in generator.layers if isinstance(layer, layers.Conv2DTranspose)]
    assert len(transposed) >= 2, (
        f"expected the two Conv2DTranspose layers of build_dcgan_generator (7 -> 14 -> 28), found {len(transposed)}")
    for layer in transposed:
        assert tuple(layer.strides) == (2, 2), f"{layer.name}: stride {layer.strides}; each upsampling layer needs stride 2"
        assert tuple(layer.kernel_size) == (3, 3), (
            f"{layer.name}: kernel {layer.kernel_size}; the exercise asks for kernel 3 in every Conv2DTranspose")
    return f"{len(transposed)} transposed convolutions with kernel 3 and stride 2: uneven overlap, expect a grid pattern"


def check_conv_transpose_params(answer: int, generator: keras.Model) -> str:
    """Exercise 3: the parameter count of the generator's first ``Conv2DTranspose``, worked out by hand.

    Args:
        answer: the learner's number.
        generator: the lesson's ``generator``.

    Raises:
        AssertionError: ``answer`` differs from the layer's parameter count (the hint says by how much).
    """
    layer = next((l for l in generator.layers if isinstance(l, layers.Conv2DTranspose)), None)
    assert layer is not None, "this generator has no Conv2DTranspose layer"
    kernel = layer.kernel.shape  # (k, k, out_channels, in_channels) for a transposed convolution
    weights = int(np.prod(kernel))
    expected = layer.count_params()
    bias = expected - weights
    if answer != expected:
        if bias == 0 and answer == weights + layer.filters:
            raise AssertionError("you counted a bias, but this layer has none: BatchNorm follows it (use_bias=False)")
        raise AssertionError(
            f"{answer:,} is not the count: kernel {kernel[0]}x{kernel[1]}, {kernel[3]} input and {kernel[2]} output channels"
            f"{', plus one bias per output channel' if bias else ', no bias'}")
    return f"right: {kernel[0]} x {kernel[1]} x {kernel[3]} x {kernel[2]} = {weights:,} weights, {bias} biases"


def _nearest_is_first(samples: np.ndarray, first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """(N,) bool: is each sample's nearest image (Euclidean, pixels flattened) one of ``first``?"""
    refs = np.concatenate([first, second]).reshape(len(first) + len(second), -1)
    flat = samples.reshape(len(samples), -1)
    squared = (flat ** 2).sum(1)[:, None] - 2 * flat @ refs.T + (refs ** 2).sum(1)[None, :]  # (N, len(refs))
    return squared.argmin(axis=1) < len(first)


def check_fashion_samples(samples: np.ndarray, x_fashion: np.ndarray, x_mnist: np.ndarray) -> str:
    """Exercise 4: samples from the learner's DCGAN trained on Fashion-MNIST.

    Two properties that a GAN trained on clothes has and a generator still drawing digits, or a
    collapsed one, has not: most samples look more like some piece of clothing than like any digit
    (nearest neighbour among 1,000 images of each data set), and they are about as varied as the data.

    Args:
        samples: ``(N, 28, 28, 1)`` or ``(N, 28, 28)`` float in [-1, 1], N >= 100, for example
            ``gan_lib.generate(fashion_generator, gan_lib.random_latent_vectors(500, latent_dim))``.
        x_fashion: the Fashion-MNIST training images, uint8 ``(M, 28, 28)`` in [0, 255].
        x_mnist: MNIST training images, uint8 ``(M, 28, 28)`` (the lesson's ``x_train``).

    Raises:
        AssertionError: wrong shape or range, fewer than 80% of samples nearest to a piece of
            clothing, or diversity (mean pairwise pixel distance) under half the data's.
    """
    samples = np.asarray(samples, np.float32)
    if samples.ndim == 4:
        assert samples.shape[-1] == 1, f"expected one channel, got shape {samples.shape}"
        samples = samples[..., 0]
    assert samples.ndim == 3 and samples.shape[1:] == (28, 28), f"expected (N, 28, 28, 1) images, got {samples.shape}"
    assert len(samples) >= 100, f"draw at least 100 samples to judge, got {len(samples)}"
    assert samples.min() >= -1.0 and samples.max() <= 1.0, (
        f"samples range [{samples.min():.1f}, {samples.max():.1f}]: pass generator outputs in [-1, 1] (gan_lib.generate)")
    references = []
    for name, images in (("x_fashion", x_fashion), ("x_mnist", x_mnist)):
        images = np.asarray(images)
        assert images.dtype == np.uint8 and images.shape[1:] == (28, 28), (
            f"{name} must be uint8 (M, 28, 28) images as the loaders return them, got {images.dtype} {images.shape}")
        picked = images[np.random.default_rng(0).permutation(len(images))[:1000]]
        references.append(picked.astype(np.float32) / 127.5 - 1)
    clothes_share = float(_nearest_is_first(samples, *references).mean())
    assert clothes_share >= 0.8, (
        f"only {clothes_share:.0%} of the samples are nearer to a piece of clothing than to a digit: "
        "was the generator trained on Fashion-MNIST?")
    diversity, real_diversity = mean_pairwise_distance(samples[:200]), mean_pairwise_distance(references[0][:200])
    assert diversity >= 0.5 * real_diversity, (
        f"samples differ by {diversity:.3f} on average, real clothes by {real_diversity:.3f}: the samples are nearly alike (a collapsed or untrained generator)")
    return (f"clothes-like samples: {clothes_share:.0%} nearest to a piece of clothing, "
            f"diversity {diversity:.3f} (data {real_diversity:.3f})")
