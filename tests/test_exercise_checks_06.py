"""Lesson 06's exercise checks fail on a plausible wrong answer and pass on a right one."""

from __future__ import annotations

import functools

import keras
import numpy as np
import pytest
from keras import layers

import gan_lib
from gan_lib.conditional import build_conditional_discriminator
from gan_lib.exercises import lesson06
from gan_lib.models import build_dcgan_discriminator


def one_hot_discriminator(use_label: bool = True) -> keras.Model:
    """The exercise's answer: the image with 10 constant one-hot planes, then the DCGAN body."""
    x = keras.Input((28, 28, 1))
    y = keras.Input((), dtype="int32")
    label = y if use_label else keras.ops.zeros_like(y)
    planes = keras.ops.reshape(keras.ops.one_hot(label, 10), (-1, 1, 1, 10)) * keras.ops.ones((1, 28, 28, 10))
    joined = layers.Concatenate()([x, planes])  # (B, 28, 28, 11)
    return keras.Model([x, y], build_dcgan_discriminator(input_channels=11)(joined))


def test_one_hot_discriminator_passes_the_answer():
    assert "right" in lesson06.check_one_hot_discriminator(one_hot_discriminator())


def test_one_hot_discriminator_fails_on_the_label_map_and_on_ignored_labels():
    with pytest.raises(AssertionError, match="one-hot planes"):
        lesson06.check_one_hot_discriminator(build_conditional_discriminator())
    with pytest.raises(AssertionError, match="does not change"):
        lesson06.check_one_hot_discriminator(one_hot_discriminator(use_label=False))
    with pytest.raises(AssertionError, match="must take"):
        lesson06.check_one_hot_discriminator(build_dcgan_discriminator())


@pytest.fixture
def per_class(mnist_dir):
    return _per_class()


@functools.cache
def _per_class():
    (x_train, y_train), (x_test, y_test) = gan_lib.load_mnist()
    real = [x_test[y_test == d] for d in range(10)]
    stand_in = [x_train[y_train == d][: len(real[d])] for d in range(10)]  # stands in for generated digits
    return real, stand_in, gan_lib.load_classifier(), x_test


def label_blind_discriminator() -> keras.Model:
    """Exercise 2's answer: lesson 03's discriminator, taking [x, y] and dropping y."""
    x = keras.Input((28, 28, 1))
    y = keras.Input((), dtype="int32")
    return keras.Model([x, y], build_dcgan_discriminator()(x))


def test_label_blind_discriminator_passes_the_answer():
    assert "right" in lesson06.check_label_blind_discriminator(label_blind_discriminator())


def test_label_blind_discriminator_fails_on_a_conditional_one_and_on_a_constant():
    with pytest.raises(AssertionError, match="changes with the label"):
        lesson06.check_label_blind_discriminator(build_conditional_discriminator())
    with pytest.raises(AssertionError, match="must take|calls the discriminator"):
        lesson06.check_label_blind_discriminator(build_dcgan_discriminator())
    x = keras.Input((28, 28, 1))
    y = keras.Input((), dtype="int32")
    constant = keras.Model([x, y], layers.Dense(1, kernel_initializer="zeros")(layers.Flatten()(x)))
    with pytest.raises(AssertionError, match="image either"):
        lesson06.check_label_blind_discriminator(constant)


def test_per_class_fid_passes_the_right_values(per_class):
    real, generated, classifier, _ = per_class
    fids = [gan_lib.metrics.frechet_distance(real[d], generated[d], classifier) for d in range(10)]
    assert "right" in lesson06.check_per_class_fid(fids, generated, real, classifier)


def test_per_class_fid_fails_against_all_test_digits_or_unequal_n_or_wrong_order(per_class):
    real, generated, classifier, x_test = per_class
    everything = [x_test[: len(generated[d])] for d in range(10)]  # all digits as the reference
    fids = [gan_lib.metrics.frechet_distance(everything[d], generated[d], classifier) for d in range(10)]
    with pytest.raises(AssertionError, match="digit 0 only"):
        lesson06.check_per_class_fid(fids, generated, everything, classifier)
    with pytest.raises(AssertionError, match="equal N"):
        lesson06.check_per_class_fid(fids, generated, [x_test] * 10, classifier)
    right = [gan_lib.metrics.frechet_distance(real[d], generated[d], classifier) for d in range(10)]
    with pytest.raises(AssertionError, match="not"):
        lesson06.check_per_class_fid(right[::-1], generated, real, classifier)


def ink_generator(direction: np.ndarray, signs: np.ndarray) -> keras.Model:
    """A toy conditional generator whose ink grows with ``signs[y] * (z . direction)``; latent_dim 16."""
    z = keras.Input((16,))
    y = keras.Input((), dtype="int32")
    along = layers.Dense(1, use_bias=False, kernel_initializer=keras.initializers.Constant(direction[:, None]))(z)  # (B, 1)
    sign = layers.Embedding(10, 1, embeddings_initializer=keras.initializers.Constant(signs[:, None]))(y)  # (B, 1)
    shift = layers.Multiply()([along, sign])  # (B, 1)
    pixels = layers.Dense(784, kernel_initializer="ones",  # pixel i is ink once shift > -threshold_i
                          bias_initializer=keras.initializers.Constant(np.linspace(-8, 8, 784)))(shift)
    return keras.Model([z, y], layers.Reshape((28, 28, 1))(layers.Activation("tanh")(pixels)))


def unit(vector):
    return (vector / np.linalg.norm(vector)).astype(np.float32)


@pytest.fixture
def bold():
    rng = np.random.default_rng(0)
    direction, other = unit(rng.normal(size=16)), rng.normal(size=16)
    orthogonal = unit(other - (other @ direction) * direction)
    return direction, orthogonal


def test_bolder_direction_passes_a_direction_that_bolds_every_digit(bold):
    direction, _ = bold
    assert "right" in lesson06.check_bolder_direction(ink_generator(direction, np.ones(10)), direction)
    assert "right" in lesson06.check_bolder_direction(ink_generator(direction, np.ones(10)), 3 * direction)  # any length


def test_bolder_direction_fails_on_thinner_unrelated_or_one_digit_only_directions(bold):
    direction, orthogonal = bold
    generator = ink_generator(direction, np.ones(10))
    with pytest.raises(AssertionError, match="digit 0"):
        lesson06.check_bolder_direction(generator, -direction)  # thinner
    with pytest.raises(AssertionError, match="digit 0"):
        lesson06.check_bolder_direction(generator, orthogonal)  # changes nothing
    half = ink_generator(direction, np.array([1.0] * 5 + [-1.0] * 5))  # bolder 0-4, thinner 5-9
    with pytest.raises(AssertionError, match="digit 5"):
        lesson06.check_bolder_direction(half, direction)
    with pytest.raises(AssertionError, match="16 numbers"):
        lesson06.check_bolder_direction(generator, np.ones(100))
