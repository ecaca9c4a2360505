"""An exponential moving average (EMA) of the generator's weights.

Averaging the generator's weights over the last few hundred steps smooths out the
oscillation of the GAN game, so the averaged generator often draws better images than
the one being trained (Yazıcı et al. 2019, "The Unusual Effectiveness of Averaging in GAN
Training"; also used by Karras et al. 2018, Progressive GANs, and StyleGAN). All weights
are averaged, the BatchNorm moving statistics included, so the copy is usable as it is.

The decay warms up, ``decay_t = min(decay, (1 + t) / (10 + t))`` at step t (as in
``tf.train.ExponentialMovingAverage(num_updates=...)``): without it, a short run's average
still holds much of the random initial weights (with 0.999 and no warm-up, a third of them
after 1,000 steps).

Used by :class:`gan_lib.GAN` (``GAN(..., ema_decay=0.999)``); taught in 08_gan_tricks.
"""

from __future__ import annotations

import keras
import tensorflow as tf


def ema_decay_at(step: tf.Tensor | int, decay: float) -> tf.Tensor:
    """The warmed-up decay ``min(decay, (1 + step) / (10 + step))``, float32 scalar in [0.1, decay]."""
    step = tf.cast(step, tf.float32)
    return tf.minimum(tf.constant(decay, tf.float32), (1.0 + step) / (10.0 + step))


def average_copy(model: keras.Model) -> keras.Model:
    """A copy of ``model`` (same architecture and weights) to hold the average; it is never trained."""
    copy = keras.models.clone_model(model)
    copy.set_weights(model.get_weights())
    copy.trainable = False
    return copy


def update_average(average: keras.Model, model: keras.Model, decay: tf.Tensor | float) -> None:
    """``average <- decay * average + (1 - decay) * model``, for every weight (BatchNorm statistics too).

    Raises:
        ValueError: the two models do not have the same weights.
    """
    if len(average.weights) != len(model.weights):
        raise ValueError(f"the average has {len(average.weights)} weights, the model {len(model.weights)}")
    for avg, weight in zip(average.weights, model.weights):
        avg.assign(decay * avg + (1.0 - decay) * tf.cast(weight, avg.dtype))
