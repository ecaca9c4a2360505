import keras
import numpy as np
import pytest
import tensorflow as tf

from gan_lib.models import build_dcgan_generator
from gan_lib.wgan import WGANGP, build_critic, critic_loss, gradient_penalty, wasserstein_generator_loss


def images(n, seed):
    return np.random.default_rng(seed).uniform(-1, 1, (n, 28, 28, 1)).astype(np.float32)


def test_gradient_penalty_of_a_linear_critic_is_known_in_closed_form():
    # D(x) = w . x + b has gradient w everywhere, so the penalty is (||w|| - 1)^2 for any alpha.
    keras.utils.set_random_seed(0)
    critic = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Flatten(), keras.layers.Dense(1)])
    alpha = np.random.default_rng(1).uniform(0, 1, (5, 1, 1, 1)).astype(np.float32)
    for scale in (0.01, 1.0, 7.0):  # ||w|| below, near and above 1
        critic.layers[-1].kernel.assign(critic.layers[-1].kernel * scale)
        expected = (np.linalg.norm(critic.layers[-1].kernel.numpy()) - 1.0) ** 2
        np.testing.assert_allclose(gradient_penalty(critic, images(5, 2), images(5, 3), alpha), expected, rtol=1e-4)


def test_gradient_penalty_is_per_example():
    # A critic D(x) = c_b * sum(x^2)/2 is not linear: its gradient x_hat depends on where
    # x_hat lies, so each example's penalty must use its own alpha.
    critic = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Lambda(lambda x: tf.reduce_sum(x**2, [1, 2, 3])[:, None] / 2)])
    real, fake = images(3, 0), images(3, 1)
    alpha = np.array([0.0, 0.5, 1.0], np.float32).reshape(3, 1, 1, 1)
    x_hat = alpha * real + (1 - alpha) * fake
    expected = (np.sqrt((x_hat**2).sum(axis=(1, 2, 3))) - 1) ** 2
    np.testing.assert_allclose(gradient_penalty(critic, real, fake, alpha), expected, rtol=1e-4)


def test_wasserstein_losses():
    real, fake = tf.constant([[2.0], [1.0]]), tf.constant([[0.5], [-1.0]])
    np.testing.assert_allclose(critic_loss(real, fake), [-1.5, -2.0])
    np.testing.assert_allclose(wasserstein_generator_loss(fake), [-0.5, 1.0])


def test_critic_has_no_batchnorm():
    assert not any(isinstance(layer, keras.layers.BatchNormalization) for layer in build_critic().layers)
    assert build_critic().count_params() == 80_769


def test_wgan_gp_step_makes_n_critic_updates_on_separate_slices():
    keras.utils.set_random_seed(0)
    gan = WGANGP(build_dcgan_generator(latent_dim=8), build_critic(), n_critic=3, seed=0)
    gan.compile(keras.optimizers.Adam(2e-4, beta_1=0.5, beta_2=0.9), keras.optimizers.Adam(2e-4, beta_1=0.5, beta_2=0.9))
    history = gan.fit(tf.data.Dataset.from_tensor_slices(images(48, 0)).batch(24), epochs=1, verbose=0).history
    assert set(history) == {"d_loss", "g_loss", "gradient_penalty", "wasserstein_distance"}
    assert int(gan.d_optimizer.iterations) == 2 * 3  # 2 batches x n_critic critic updates
    assert int(gan.g_optimizer.iterations) == 2
    assert all(np.isfinite(v[0]) for v in history.values())


def test_wgan_gp_rejects_bad_settings():
    with pytest.raises(ValueError, match="n_critic"):
        WGANGP(build_dcgan_generator(latent_dim=8), build_critic(), n_critic=0)
