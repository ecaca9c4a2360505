"""GAN losses on discriminator logits (Goodfellow et al. 2014).

With D(x) = sigmoid(logit(x)) the probability that x is real:

* discriminator: ``d_loss = BCE(real_label, logit(x)) + BCE(0, logit(G(z)))``;
  ``real_label = 0.9`` is one-sided label smoothing (Salimans et al. 2016,
  "Improved Techniques for Training GANs"); 1.0 turns it off.
* generator, non-saturating: ``g_loss = BCE(1, logit(G(z))) = -log D(G(z))``.
  The minimax form ``log(1 - D(G(z)))`` has vanishing gradients exactly when G is
  bad and D is sure, early in training; the non-saturating form does not
  (Goodfellow et al. 2014, section 3).

Every function returns **per-example** losses, shape ``(B,)``, so the caller can
average over the global batch under ``tf.distribute`` (``tf.nn.compute_average_loss``).

Introduced in 02_mlp_gan.
"""

from __future__ import annotations

import tensorflow as tf


def _bce(label: float, logits: tf.Tensor) -> tf.Tensor:
    """Binary cross-entropy of a constant label against logits, per example: (B, 1) -> (B,)."""
    logits = tf.reshape(logits, [-1])
    return tf.nn.sigmoid_cross_entropy_with_logits(labels=tf.fill(tf.shape(logits), label), logits=logits)


def discriminator_loss(real_logits: tf.Tensor, fake_logits: tf.Tensor, real_label: float = 1.0) -> tf.Tensor:
    """Per-example discriminator loss ``-[t log D(x) + (1-t) log(1-D(x))] - log(1 - D(G(z)))``.

    Args:
        real_logits: ``(B, 1)`` float32 logits on real images.
        fake_logits: ``(B, 1)`` float32 logits on generated images (same B).
        real_label: target t for real images; 0.9 for one-sided label smoothing.

    Returns:
        ``(B,)`` float32, >= 0 (when real_label is 1).
    """
    return _bce(real_label, real_logits) + _bce(0.0, fake_logits)


def generator_loss(fake_logits: tf.Tensor) -> tf.Tensor:
    """Per-example non-saturating generator loss ``-log D(G(z))``.

    Args:
        fake_logits: ``(B, 1)`` float32 discriminator logits on generated images.

    Returns:
        ``(B,)`` float32, >= 0.
    """
    return _bce(1.0, fake_logits)


def hinge_discriminator_loss(real_logits: tf.Tensor, fake_logits: tf.Tensor) -> tf.Tensor:
    """Per-example hinge loss of the discriminator, ``max(0, 1 - D(x)) + max(0, 1 + D(G(z)))`` on logits.

    Lim & Ye 2017 ("Geometric GAN"); the loss of SN-GAN (Miyato et al. 2018) and BigGAN. D stops
    being pushed on an image once its logit is beyond the margin (above 1 for real, below -1
    for fake), so it does not grow its logits without bound.

    Args:
        real_logits, fake_logits: ``(B, 1)`` float32 logits.

    Returns:
        ``(B,)`` float32, >= 0.
    """
    real, fake = tf.reshape(real_logits, [-1]), tf.reshape(fake_logits, [-1])
    return tf.nn.relu(1.0 - real) + tf.nn.relu(1.0 + fake)


def hinge_generator_loss(fake_logits: tf.Tensor) -> tf.Tensor:
    """Per-example generator loss paired with the hinge loss: ``-D(G(z))`` on logits (Lim & Ye 2017).

    Returns:
        ``(B,)`` float32, any sign.
    """
    return -tf.reshape(fake_logits, [-1])


LOSS_NAMES = ("bce", "hinge")  # GAN.compile(loss=...): cross-entropy (non-saturating G) or hinge


def saturating_generator_loss(fake_logits: tf.Tensor) -> tf.Tensor:
    """Per-example minimax ("saturating") generator loss ``log(1 - D(G(z)))``, for comparison only.

    Its gradient with respect to the logit is ``-D(G(z))``: close to 0 exactly when D confidently rejects
    the fakes, early in training. Lesson 00 trains with it once to show that (``gan_lib.toy.SaturatingGAN``).

    Args:
        fake_logits: ``(B, 1)`` float32 discriminator logits on generated images.

    Returns:
        ``(B,)`` float32, <= 0.
    """
    return -_bce(0.0, fake_logits)
