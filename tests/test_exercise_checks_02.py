"""Lesson 02's exercise checks fail on plausible wrong answers and pass right ones."""

from __future__ import annotations

import math

import keras
import numpy as np
import pytest
import tensorflow as tf

import gan_lib
from gan_lib.exercises import lesson02


def compiled_mlp_gan(latent_dim: int, seed: int, d_learning_rate: float = 2e-4) -> gan_lib.GAN:
    keras.utils.set_random_seed(seed)
    gan = gan_lib.GAN(gan_lib.models.build_mlp_generator(latent_dim), gan_lib.models.build_mlp_discriminator(), seed=seed)
    gan.compile(keras.optimizers.Adam(d_learning_rate, beta_1=0.5), keras.optimizers.Adam(2e-4, beta_1=0.5), real_label=0.9)
    return gan


def test_lowest_d_loss():
    right = -(0.9 * math.log(0.9) + 0.1 * math.log(0.1))
    assert "0.3251" in lesson02.check_lowest_d_loss(right)
    with pytest.raises(AssertionError, match="only for real_label 1"):
        lesson02.check_lowest_d_loss(0.0)  # the unsmoothed floor
    with pytest.raises(AssertionError, match="not the floor"):
        lesson02.check_lowest_d_loss(-math.log(0.9))  # BCE(1, 0.9): the wrong target
    assert lesson02.check_lowest_d_loss(0.0, real_label=1.0)


@pytest.mark.parametrize("seed", [0, 1])
def test_2d_latent_generator_passes_when_trained(mnist_dir, seed):
    (x_train, _), _ = gan_lib.load_mnist(mnist_dir)
    gan = compiled_mlp_gan(2, seed)
    gan.fit(gan_lib.make_dataset(x_train, 64, seed=seed), epochs=3, verbose=0)
    assert "trained 2-D generator" in lesson02.check_2d_latent_generator(gan.generator)


def test_2d_latent_generator_fails_when_wrong():
    with pytest.raises(AssertionError, match="train the generator"):
        lesson02.check_2d_latent_generator(gan_lib.models.build_mlp_generator(2))  # untrained
    with pytest.raises(AssertionError, match=r"\(B, 2\)"):
        lesson02.check_2d_latent_generator(gan_lib.models.build_mlp_generator(100))  # latent_dim left at 100


def test_d_steps():
    variable = tf.Variable([1.0])
    d_optimizer, g_optimizer = keras.optimizers.Adam(), keras.optimizers.Adam()
    with pytest.raises(AssertionError, match="no update"):
        lesson02.check_d_steps(d_optimizer, g_optimizer)  # not trained yet
    for _ in range(2):  # two rounds of one D step and one G step: d_steps ignored
        d_optimizer.apply([tf.constant([0.1])], [variable])
        g_optimizer.apply([tf.constant([0.1])], [variable])
    with pytest.raises(AssertionError, match="exactly 3x"):
        lesson02.check_d_steps(d_optimizer, g_optimizer)
    for _ in range(4):  # now 6 D steps for 2 G steps
        d_optimizer.apply([tf.constant([0.1])], [variable])
    assert "6 discriminator updates for 2" in lesson02.check_d_steps(d_optimizer, g_optimizer, d_steps=3)


def generator_gradient_norms(gan: gan_lib.GAN, z: tf.Tensor) -> tuple[float, float, float]:
    """(minimax norm, non-saturating norm, mean D(G(z))) on one batch of z, as the exercise measures them."""
    with tf.GradientTape(persistent=True) as tape:
        fake_logits = gan.discriminator(gan.generator(z, training=True), training=True)
        minimax = tf.reduce_mean(tf.math.log_sigmoid(-fake_logits))  # log(1 - D(G(z))), which G would minimize
        non_saturating = tf.reduce_mean(gan_lib.losses.generator_loss(fake_logits))
    variables = gan.generator.trainable_variables
    return (float(tf.linalg.global_norm(tape.gradient(minimax, variables))),
            float(tf.linalg.global_norm(tape.gradient(non_saturating, variables))),
            float(tf.reduce_mean(tf.sigmoid(fake_logits))))


@pytest.mark.parametrize("seed", [0, 1])
def test_gradient_norms(seed):
    gan = compiled_mlp_gan(100, seed, d_learning_rate=2e-3)  # the lesson's "discriminator wins" setting
    z = gan_lib.random_latent_vectors(64, 100, seed=seed)
    early = generator_gradient_norms(gan, z)  # D has not learned anything: D(G(z)) about 0.5
    with pytest.raises(AssertionError, match="measure on a batch that D rejects"):
        lesson02.check_gradient_norms(*early)
    real_images = tf.random.uniform((64, 28, 28, 1), -1.0, -0.5, seed=seed)  # dark "real" images, easy to tell apart
    for _ in range(20):
        gan.train_discriminator(real_images)
    saturating, non_saturating, d_of_fake = generator_gradient_norms(gan, z)
    assert "smaller" in lesson02.check_gradient_norms(saturating, non_saturating, d_of_fake)
    with pytest.raises(AssertionError, match="swapped"):
        lesson02.check_gradient_norms(non_saturating, saturating, d_of_fake)


def test_packaged_history():
    images = tf.random.uniform((128, 28, 28, 1), -1.0, 1.0, seed=0)
    dataset = tf.data.Dataset.from_tensor_slices(images).batch(64, drop_remainder=True)
    history = compiled_mlp_gan(100, 0).fit(dataset, epochs=5, verbose=0)
    assert "5 epochs" in lesson02.check_packaged_history(history)
    with pytest.raises(AssertionError, match="one per epoch"):
        lesson02.check_packaged_history(history, epochs=3)
    classifier = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Flatten(), keras.layers.Dense(1)])
    classifier.compile(optimizer="adam", loss="mse")
    other = classifier.fit(images, np.zeros((128, 1)), epochs=5, verbose=0)
    with pytest.raises(AssertionError, match="expected"):
        lesson02.check_packaged_history(other)  # a plain model logs "loss"
