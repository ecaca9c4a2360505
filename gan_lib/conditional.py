"""A conditional GAN (Mirza & Osindero 2014, "Conditional Generative Adversarial Nets").

Both networks see the class label y, so the generator learns p(x | y) and a user
can ask for "a 7". How the label joins each network:

* generator: ``Embedding(10, 50)(y)`` is concatenated to z, and the joined vector
  ``(B, latent_dim + 50)`` goes through the unchanged DCGAN generator;
* discriminator: ``Embedding(10, 50)(y)`` -> ``Dense(784)`` -> a ``(B, 28, 28, 1)``
  label map, stacked onto the image as a second channel, then the DCGAN
  discriminator on ``(B, 28, 28, 2)``.

This is the scheme of J. Brownlee's "How to Develop a Conditional GAN (cGAN) From
Scratch" (2019). We chose it over one-hot label planes (the keras-io "Conditional
GAN" example stacks 10 constant channels onto the image) because a learned
28x28 map adds one channel instead of ten, so the discriminator's first
convolution costs the same as the unconditional one, and the label can act
differently at each pixel. Joining at the input keeps the two DCGAN bodies
unchanged, so lesson 03's architecture is reused as it is.

Introduced in 06_conditional_gan.
"""

from __future__ import annotations

import keras
import tensorflow as tf
from keras import layers

from gan_lib.gan import GAN
from gan_lib.models import IMAGE_SHAPE, build_dcgan_discriminator, build_dcgan_generator

NUM_CLASSES = 10


def build_conditional_generator(latent_dim: int = 100, num_classes: int = NUM_CLASSES,
                                embedding_dim: int = 50) -> keras.Model:
    """Generator of ``x ~ p(x | y)``: the DCGAN generator on ``concat(z, embed(y))``.

    Args:
        latent_dim: length of z.
        num_classes: number of labels (10 for MNIST digits).
        embedding_dim: length of the learned label embedding.

    Returns:
        Model mapping ``[z (B, latent_dim) float32 ~ N(0, 1), y (B,) int32 in [0, num_classes)]``
        to ``(B, 28, 28, 1)`` float32 in [-1, 1]. 1,130,901 parameters (1,118,165 trainable)
        with the defaults.

    Raises:
        ValueError: latent_dim < 1.
    """
    z = keras.Input((latent_dim,), name="z")
    y = keras.Input((), dtype="int32", name="label")
    label = layers.Embedding(num_classes, embedding_dim, name="label_embedding")(y)  # (B, embedding_dim)
    joined = layers.Concatenate()([z, label])  # (B, latent_dim + embedding_dim)
    images = build_dcgan_generator(latent_dim + embedding_dim)(joined)  # (B, 28, 28, 1)
    return keras.Model([z, y], images, name="conditional_generator")


def build_conditional_discriminator(num_classes: int = NUM_CLASSES, embedding_dim: int = 50) -> keras.Model:
    """Discriminator of (image, label) pairs: is this a real image *of this class*?

    Args:
        num_classes: number of labels.
        embedding_dim: length of the learned label embedding, projected to a 28x28 map.

    Returns:
        Model mapping ``[x (B, 28, 28, 1) float32 in [-1, 1], y (B,) int32]`` to ``(B, 1)``
        float32 logits. 122,213 parameters with the defaults.
    """
    x = keras.Input(IMAGE_SHAPE, name="image")
    y = keras.Input((), dtype="int32", name="label")
    label = layers.Embedding(num_classes, embedding_dim, name="label_embedding")(y)  # (B, embedding_dim)
    label_map = layers.Reshape(IMAGE_SHAPE)(layers.Dense(28 * 28)(label))  # (B, 28, 28, 1)
    joined = layers.Concatenate()([x, label_map])  # (B, 28, 28, 2)
    # 3x3 kernels: the plan lesson 06 was measured with (the DCGAN's D moved to 5x5, untested here)
    logits = build_dcgan_discriminator(input_channels=2, kernel_size=3)(joined)  # (B, 1)
    return keras.Model([x, y], logits, name="conditional_discriminator")


class ConditionalGAN(GAN):
    """A :class:`gan_lib.GAN` whose networks also take the label; trains with ``fit()``.

    ``fit(dataset)`` expects batches ``(images, labels)``: images ``(B, 28, 28, 1)``
    float32 in [-1, 1], labels ``(B,)`` int (``gan_lib.data.make_dataset(x, labels=y)``).
    The discriminator step pairs real images with their labels and fakes with the same
    labels; the generator step draws labels uniformly. Logs as :class:`GAN`.
    """

    def __init__(self, generator: keras.Model, discriminator: keras.Model, num_classes: int = NUM_CLASSES,
                 **kwargs) -> None:
        super().__init__(generator, discriminator, latent_dim=generator.input_shape[0][-1], **kwargs)
        self.num_classes = int(num_classes)

    def _sample_labels(self, batch_size: tf.Tensor) -> tf.Tensor:
        """Labels for the generator step, uniform over the classes."""
        return keras.random.randint((batch_size,), 0, self.num_classes, seed=self.seed_generator, dtype="int32")

    def train_step(self, data: tuple[tf.Tensor, tf.Tensor]) -> dict[str, tf.Tensor]:
        real_images, labels = data
        d_logs = self.train_discriminator(real_images, tf.cast(labels, tf.int32))
        g_loss = self.train_generator(tf.shape(real_images)[0])
        self.update_ema()
        return self.update_trackers(d_logs, g_loss)
