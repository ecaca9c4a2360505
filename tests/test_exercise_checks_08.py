"""Lesson 08's exercise checks: each passes a right answer and fails a plausible wrong one."""

from __future__ import annotations

import keras
import numpy as np
import pytest
import tensorflow as tf

from gan_lib.diffaugment import DiffAugment
from gan_lib.exercises import lesson08


def _simulated_ema_radius(decay: float, angle: float, steps: int = 20_000) -> float:
    """The EMA of a unit orbit, run step by step (no formula): its radius at the end."""
    z = np.exp(1j * angle * np.arange(steps))
    average = 1.0 + 0j  # starts on the orbit, as an average of the first iterate
    for point in z:
        average = decay * average + (1 - decay) * point
    return abs(average)


@pytest.mark.parametrize("decay, angle", [(0.999, 0.1), (0.99, 0.05), (0.9, 0.3)])
def test_ema_radius_passes_the_simulated_radius(decay, angle):
    assert "right" in lesson08.check_ema_orbit_radius(decay, angle, _simulated_ema_radius(decay, angle))


def test_ema_radius_passes_the_lesson_exercise_on_the_alternating_game():
    """Exercise 1 as the lesson asks it: EMA (constant decay 0.99) of alternating steps, mean radius of the last 500."""
    eta, x, y, average, radii = 0.05, 1.0, 0.0, np.array([1.0, 0.0]), []
    for _ in range(5_000):
        x = x - eta * y
        y = y + eta * x
        average = 0.99 * average + 0.01 * np.array([x, y])
        radii.append(np.hypot(*average))
    theta = np.arccos(1 - eta**2 / 2)
    assert "right" in lesson08.check_ema_orbit_radius(0.99, theta, float(np.mean(radii[-500:])))


def test_ema_radius_fails_on_one_minus_decay_and_on_a_bad_decay():
    with pytest.raises(AssertionError, match="radius"):
        lesson08.check_ema_orbit_radius(0.999, 0.1, 1 - 0.999)  # forgets the rotation
    with pytest.raises(AssertionError, match="decay"):
        lesson08.check_ema_orbit_radius(1.5, 0.1, 0.01)


def test_hinge_passes_a_hand_written_loss():
    def hinge(real, fake):
        return tf.reshape(tf.maximum(0.0, 1.0 - real) + tf.maximum(0.0, 1.0 + fake), [-1])

    assert "right" in lesson08.check_hinge_discriminator_loss(hinge)


def test_hinge_fails_without_the_margin_clip_and_on_a_mean():
    with pytest.raises(AssertionError, match="hinge loss is"):
        lesson08.check_hinge_discriminator_loss(lambda real, fake: tf.reshape(1.0 - real + 1.0 + fake, [-1]))
    with pytest.raises(AssertionError, match="one loss per example"):
        lesson08.check_hinge_discriminator_loss(
            lambda real, fake: tf.reduce_mean(tf.nn.relu(1.0 - real) + tf.nn.relu(1.0 + fake)))


@pytest.mark.parametrize("shape", [(3, 3, 1, 64), (6272, 1)])
def test_singular_value_passes_power_iteration_and_fails_on_frobenius(shape):
    kernel = np.random.default_rng(0).standard_normal(shape).astype(np.float32)
    matrix = kernel.reshape(-1, shape[-1])
    v = np.ones(shape[-1])
    for _ in range(200):  # power iteration, as SpectralNormalization does (one step per training call)
        u = matrix @ v
        v = matrix.T @ u / np.linalg.norm(matrix.T @ u)
    sigma = float(np.linalg.norm(matrix @ v))
    if shape[-1] > 1:
        with pytest.raises(AssertionError, match="Frobenius"):
            lesson08.check_largest_singular_value(kernel, float(np.linalg.norm(kernel)))
    assert "right" in lesson08.check_largest_singular_value(kernel, sigma)


def test_augment_passes_diffaugment_over_policies_and_seeds():
    for policy in ("translation", "cutout", "translation,cutout"):
        for seed in range(3):
            assert "right" in lesson08.check_differentiable_augment(DiffAugment(policy, seed=seed), seed=seed)


def test_augment_fails_on_numpy_on_one_shift_for_all_and_on_identity():
    def numpy_roll(images):  # shifts each image, but through NumPy: no gradient
        shifts = np.random.default_rng(0).integers(-3, 4, len(images))
        return tf.constant(np.stack([np.roll(image, s, axis=1) for image, s in zip(images.numpy(), shifts)]))

    with pytest.raises(AssertionError, match="no gradient"):
        lesson08.check_differentiable_augment(numpy_roll)
    with pytest.raises(AssertionError, match="per image"):
        lesson08.check_differentiable_augment(lambda images: tf.roll(images, 2, axis=2))
    with pytest.raises(AssertionError, match="unchanged"):
        lesson08.check_differentiable_augment(lambda images: images * 1.0)
    with pytest.raises(AssertionError, match="shape"):
        lesson08.check_differentiable_augment(lambda images: keras.layers.Cropping2D(2)(images))
