"""WGAN-GP: a Wasserstein GAN with gradient penalty.

Sources: Arjovsky, Chintala & Bottou 2017, "Wasserstein GAN"; Gulrajani et al. 2017,
"Improved Training of Wasserstein GANs" (Algorithm 1, which this follows).

* The discriminator becomes a **critic**: it outputs an unbounded score, not a
  probability. Its loss ``D(G(z)) - D(x)`` makes ``mean D(x) - mean D(G(z))`` an
  estimate of the Wasserstein-1 distance between the real and generated
  distributions, provided D is 1-Lipschitz.
* The **gradient penalty** ``lambda * (||grad D(x_hat)||_2 - 1)^2`` keeps D close to
  1-Lipschitz, at points ``x_hat = alpha x + (1 - alpha) G(z)`` on lines between
  real and fake images, with ``alpha ~ U[0, 1]`` per example and ``lambda = 10``.
  (Some public examples draw alpha from a *normal* distribution: a bug, since
  x_hat then leaves the segment between the two images.)
* The critic is updated ``n_critic = 5`` times per generator update, each time on a
  fresh real batch. The critic has no BatchNorm: the penalty is per example, and
  BatchNorm would mix examples (Gulrajani et al., section 4).
* Adam(1e-4, beta_1=0, beta_2=0.9) in the paper; the lesson uses Adam(2e-4, beta_1=0.5,
  beta_2=0.9), the keras-io "WGAN-GP" example's setting, which the issue allows.

Introduced in 07_wgan_gp.
"""

from __future__ import annotations

import keras
import tensorflow as tf

from gan_lib.distribute import logs_for_fit
from gan_lib.gan import GAN
from gan_lib.models import build_dcgan_discriminator


def build_critic() -> keras.Model:
    """The DCGAN discriminator without BatchNorm or dropout, used as a WGAN critic.

    Its kernels stay 3x3, the plan lesson 07's comparisons were measured with; the DCGAN's
    own discriminator moved to 5x5 (README, "Tricks, measured"), untested for the critic.

    Returns:
        Model mapping ``(B, 28, 28, 1)`` float32 in [-1, 1] to ``(B, 1)`` float32 scores
        (unbounded; higher means "more real"). 80,769 parameters.
    """
    return build_dcgan_discriminator(batch_norm=False, dropout=0.0, kernel_size=3)


def critic_loss(real_scores: tf.Tensor, fake_scores: tf.Tensor) -> tf.Tensor:
    """Per-example critic loss ``D(G(z)) - D(x)``: ``(B, 1)``, ``(B, 1)`` -> ``(B,)`` float32."""
    return tf.reshape(fake_scores, [-1]) - tf.reshape(real_scores, [-1])


def wasserstein_generator_loss(fake_scores: tf.Tensor) -> tf.Tensor:
    """Per-example generator loss ``-D(G(z))``: ``(B, 1)`` -> ``(B,)`` float32."""
    return -tf.reshape(fake_scores, [-1])


def gradient_penalty(critic: keras.Model, real_images: tf.Tensor, fake_images: tf.Tensor,
                     alpha: tf.Tensor) -> tf.Tensor:
    """Per-example ``(||grad_x D(x_hat)||_2 - 1)^2`` at ``x_hat = alpha x + (1 - alpha) x_fake``.

    Args:
        critic: maps ``(B, 28, 28, 1)`` to ``(B, 1)`` scores; must treat examples
            independently (no BatchNorm), or the per-example gradient is wrong.
        real_images, fake_images: ``(B, 28, 28, 1)`` float32 in [-1, 1].
        alpha: ``(B, 1, 1, 1)`` float32 in [0, 1], drawn from U[0, 1].

    Returns:
        ``(B,)`` float32 >= 0, not yet multiplied by lambda.
    """
    alpha = tf.convert_to_tensor(alpha, tf.float32)
    x_hat = alpha * tf.convert_to_tensor(real_images, tf.float32) + (1.0 - alpha) * tf.convert_to_tensor(fake_images, tf.float32)
    with tf.GradientTape() as tape:
        tape.watch(x_hat)
        scores = critic(x_hat, training=True)
    grads = tape.gradient(scores, x_hat)  # (B, 28, 28, 1): row b depends only on x_hat[b]
    norms = tf.sqrt(tf.reduce_sum(tf.square(grads), axis=tf.range(1, tf.rank(grads))) + 1e-12)
    return tf.square(norms - 1.0)


class WGANGP(GAN):
    """Generator + critic trained with the WGAN-GP objective through ``fit()``.

    Args:
        generator: ``(B, latent_dim)`` -> ``(B, 28, 28, 1)`` float32 in [-1, 1].
        critic: ``(B, 28, 28, 1)`` -> ``(B, 1)`` scores, without BatchNorm (:func:`build_critic`).
        n_critic: critic updates per generator update (5 in the paper).
        gp_weight: lambda, the weight of the gradient penalty (10 in the paper).
        seed: seed of the noise and of alpha.

    ``fit(dataset)`` expects batches of ``n_critic * B`` real images ``(n_critic * B, 28, 28, 1)``
    float32 in [-1, 1] (``make_dataset(x, batch_size=n_critic * B)``): each critic update
    takes its own slice of B. One training step therefore makes ``n_critic`` critic updates
    and one generator update. Logs ``d_loss`` (critic loss with penalty), ``g_loss``,
    ``gradient_penalty`` and ``wasserstein_distance`` (the critic's estimate
    ``mean D(x) - mean D(G(z))``), each averaged over the critic updates of the epoch.

    Raises:
        ValueError: n_critic < 1 or gp_weight < 0.
    """

    def __init__(self, generator: keras.Model, critic: keras.Model, n_critic: int = 5, gp_weight: float = 10.0,
                 **kwargs) -> None:
        if int(n_critic) < 1 or gp_weight < 0:
            raise ValueError(f"n_critic must be >= 1 and gp_weight >= 0, got {n_critic} and {gp_weight}")
        super().__init__(generator, critic, **kwargs)
        self.n_critic = int(n_critic)
        self.gp_weight = float(gp_weight)
        self.gp_tracker = keras.metrics.Mean(name="gradient_penalty")
        self.w_distance_tracker = keras.metrics.Mean(name="wasserstein_distance")

    def compile(self, d_optimizer: keras.optimizers.Optimizer, g_optimizer: keras.optimizers.Optimizer,
                **kwargs) -> None:
        """Set the critic's and the generator's optimizers (label smoothing does not apply)."""
        super().compile(d_optimizer, g_optimizer, real_label=1.0, **kwargs)

    @property
    def metrics(self) -> list[keras.metrics.Metric]:
        return [self.d_loss_tracker, self.g_loss_tracker, self.gp_tracker, self.w_distance_tracker]

    def train_critic(self, real_images: tf.Tensor) -> dict[str, tf.Tensor]:
        """One critic update on ``real_images`` ``(B, 28, 28, 1)``; the generator is not touched."""
        batch_size = tf.shape(real_images)[0]
        fake_images = self.generator(self._noise(batch_size), training=True)
        alpha = keras.random.uniform((batch_size, 1, 1, 1), 0.0, 1.0, seed=self.seed_generator)
        with tf.GradientTape() as tape:
            real_scores = self.discriminator(real_images, training=True)
            fake_scores = self.discriminator(fake_images, training=True)
            penalty = gradient_penalty(self.discriminator, real_images, fake_images, alpha)  # (B,)
            per_example = critic_loss(real_scores, fake_scores) + self.gp_weight * penalty
            scaled_loss = tf.nn.compute_average_loss(per_example)
        variables = self.discriminator.trainable_variables
        self.d_optimizer.apply(tape.gradient(scaled_loss, variables), variables)
        return {
            "d_loss": tf.reduce_mean(per_example),
            "gradient_penalty": tf.reduce_mean(penalty),
            "wasserstein_distance": tf.reduce_mean(real_scores) - tf.reduce_mean(fake_scores),
        }

    def train_generator(self, batch_size: int | tf.Tensor) -> tf.Tensor:
        """One generator update with loss ``-D(G(z))``; the critic is not touched."""
        with tf.GradientTape() as tape:
            fake_scores = self.discriminator(self.generator(self._noise(batch_size), training=True), training=True)
            per_example = wasserstein_generator_loss(fake_scores)
            scaled_loss = tf.nn.compute_average_loss(per_example)
        variables = self.generator.trainable_variables
        self.g_optimizer.apply(tape.gradient(scaled_loss, variables), variables)
        return tf.reduce_mean(per_example)

    def train_step(self, real_images: tf.Tensor) -> dict[str, tf.Tensor]:
        batch_size = tf.shape(real_images)[0] // self.n_critic
        for i in range(self.n_critic):  # unrolled when traced: n_critic updates, one slice each
            logs = self.train_critic(real_images[i * batch_size : (i + 1) * batch_size])
            self.d_loss_tracker.update_state(logs["d_loss"])
            self.gp_tracker.update_state(logs["gradient_penalty"])
            self.w_distance_tracker.update_state(logs["wasserstein_distance"])
        self.g_loss_tracker.update_state(self.train_generator(batch_size))
        self.update_ema()
        return logs_for_fit({m.name: m.result() for m in self.metrics})
