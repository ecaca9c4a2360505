"""Reference recipes that the benchmarks compare our defaults against (shared by throughput.py and quality.py).

* :class:`ClassicGAN`: the Keras 2 pattern of the original scripts: a compiled
  discriminator, a combined ``Model(z, D(G(z)))`` with the discriminator frozen,
  ``G.predict`` for the fakes and ``train_on_batch``. ``D.trainable`` is toggled before
  every call, because under Keras 3 the trainable set is fixed when each train
  function is first traced (checked on Keras 3.15 by comparing D's weights around each call); without the toggle it runs a broken algorithm.
* :func:`build_tutorial_generator` / :func:`build_tutorial_discriminator` /
  :class:`TutorialGAN`: the TensorFlow DCGAN tutorial
  (https://www.tensorflow.org/tutorials/generative/dcgan), rebuilt from its published
  layer list and train step: LeakyReLU slope 0.3 (tf.keras 2's default, which Keras 3
  changed to 0.2), BatchNorm as listed, Adam(1e-4) for both networks, batch 256,
  cross-entropy from logits without label smoothing, and one *simultaneous* update of
  both networks from the same generated batch.
"""

from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf
from keras import layers

from gan_lib.gan import GAN
from gan_lib.losses import discriminator_loss, generator_loss
from gan_lib.models import build_models


class ClassicGAN:
    """The original scripts' ``train_on_batch`` recipe, with ``trainable`` toggled per call.

    One step: ``D.train_on_batch`` on a real batch (label ``real_label``) and on a batch
    of ``G.predict`` fakes (label 0), then ``combined.train_on_batch`` on fresh noise
    (label 1). Adam(2e-4, beta_1=0.5) for both; BCE from logits.

    Args:
        model: ``"mlp"`` or ``"dcgan"`` (the package's builders).
        batch_size: images per batch.
        seed: seed of the batch sampling and the noise.
        real_label: target for real images.
    """

    def __init__(self, model: str = "mlp", batch_size: int = 64, seed: int = 0, real_label: float = 0.9):
        self.generator, self.discriminator = build_models(model)
        self.latent_dim = self.generator.input_shape[-1]
        self.batch_size = batch_size
        loss = keras.losses.BinaryCrossentropy(from_logits=True)
        self.discriminator.compile(optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5), loss=loss)
        self.discriminator.trainable = False
        z_in = keras.Input((self.latent_dim,))
        self.combined = keras.Model(z_in, self.discriminator(self.generator(z_in)))
        self.combined.compile(optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5), loss=loss)
        self.rng = np.random.default_rng(seed)
        self.real_labels = np.full((batch_size, 1), real_label, np.float32)
        self.fake_labels = np.zeros((batch_size, 1), np.float32)
        self.ones = np.ones((batch_size, 1), np.float32)
        self.steps_done = 0

    def _noise(self) -> np.ndarray:
        return self.rng.standard_normal((self.batch_size, self.latent_dim)).astype(np.float32)

    def train_steps(self, x: np.ndarray, n: int = 10) -> None:
        """``n`` steps on ``x``, ``(N, 28, 28, 1)`` float32 in [-1, 1] (batches drawn with replacement)."""
        for _ in range(n):
            real = x[self.rng.integers(0, len(x), self.batch_size)]
            fake = self.generator.predict(self._noise(), verbose=0)
            self.discriminator.trainable = True
            self.discriminator.train_on_batch(real, self.real_labels)
            self.discriminator.train_on_batch(fake, self.fake_labels)
            self.discriminator.trainable = False
            self.combined.train_on_batch(self._noise(), self.ones)
        self.steps_done += n


def build_tutorial_generator(latent_dim: int = 100) -> keras.Model:
    """The TF DCGAN tutorial's generator: (B, latent_dim) -> (B, 28, 28, 1) in [-1, 1]. 2,330,944 parameters.

    Dense 7*7*256 (no bias) -> BN -> LeakyReLU(0.3) -> reshape (7, 7, 256)
    -> ConvT 128 (5x5, s1) -> BN -> LeakyReLU(0.3)   # (B, 7, 7, 128)
    -> ConvT 64 (5x5, s2) -> BN -> LeakyReLU(0.3)    # (B, 14, 14, 64)
    -> ConvT 1 (5x5, s2), tanh                       # (B, 28, 28, 1)
    """
    return keras.Sequential(
        [
            keras.Input((latent_dim,)),
            layers.Dense(7 * 7 * 256, use_bias=False),
            layers.BatchNormalization(),
            layers.LeakyReLU(negative_slope=0.3),
            layers.Reshape((7, 7, 256)),
            layers.Conv2DTranspose(128, 5, strides=1, padding="same", use_bias=False),
            layers.BatchNormalization(),
            layers.LeakyReLU(negative_slope=0.3),
            layers.Conv2DTranspose(64, 5, strides=2, padding="same", use_bias=False),
            layers.BatchNormalization(),
            layers.LeakyReLU(negative_slope=0.3),
            layers.Conv2DTranspose(1, 5, strides=2, padding="same", use_bias=False, activation="tanh"),
        ],
        name="tutorial_generator",
    )


def build_tutorial_discriminator() -> keras.Model:
    """The TF DCGAN tutorial's discriminator: (B, 28, 28, 1) in [-1, 1] -> (B, 1) logits. 212,865 parameters.

    Conv 64 (5x5, s2) -> LeakyReLU(0.3) -> Dropout 0.3 -> Conv 128 (5x5, s2) -> LeakyReLU(0.3)
    -> Dropout 0.3 -> Flatten -> Dense 1.
    """
    return keras.Sequential(
        [
            keras.Input((28, 28, 1)),
            layers.Conv2D(64, 5, strides=2, padding="same"),
            layers.LeakyReLU(negative_slope=0.3),
            layers.Dropout(0.3),
            layers.Conv2D(128, 5, strides=2, padding="same"),
            layers.LeakyReLU(negative_slope=0.3),
            layers.Dropout(0.3),
            layers.Flatten(),
            layers.Dense(1),
        ],
        name="tutorial_discriminator",
    )


class TutorialGAN(GAN):
    """The tutorial's ``train_step``: both networks updated at once, from the same fakes.

    Compile with ``real_label=1.0`` (the tutorial has no label smoothing) and two
    ``Adam(1e-4)``. Logs the same metrics as :class:`gan_lib.gan.GAN`.
    """

    def train_step(self, real_images: tf.Tensor) -> dict[str, tf.Tensor]:
        noise = self._noise(tf.shape(real_images)[0])
        with tf.GradientTape() as g_tape, tf.GradientTape() as d_tape:
            fake_images = self.generator(noise, training=True)
            real_logits = self.discriminator(real_images, training=True)
            fake_logits = self.discriminator(fake_images, training=True)
            g_loss = tf.reduce_mean(generator_loss(fake_logits))
            d_loss = tf.reduce_mean(discriminator_loss(real_logits, fake_logits, self.real_label))
        g_vars, d_vars = self.generator.trainable_variables, self.discriminator.trainable_variables
        self.g_optimizer.apply(g_tape.gradient(g_loss, g_vars), g_vars)
        self.d_optimizer.apply(d_tape.gradient(d_loss, d_vars), d_vars)
        self.d_loss_tracker.update_state(d_loss)
        self.g_loss_tracker.update_state(g_loss)
        self.d_acc_real_tracker.update_state(tf.reduce_mean(tf.cast(real_logits > 0, tf.float32)))
        self.d_acc_fake_tracker.update_state(tf.reduce_mean(tf.cast(fake_logits < 0, tf.float32)))
        return {m.name: m.result() for m in self.metrics}
