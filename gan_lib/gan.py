"""``GAN``: a ``keras.Model`` whose ``train_step`` plays one round of the GAN game.

The structure follows the keras-io example "DCGAN to generate face images"
(fchollet): a model that holds a generator and a discriminator, its own
``compile(d_optimizer, g_optimizer)``, and a ``train_step`` with two
``GradientTape`` updates. Training therefore goes through ``fit()``: progress
bar, History, callbacks, TensorBoard and ``tf.distribute`` come from Keras.

One round (Goodfellow et al. 2014, Algorithm 1 with k = 1):

1. discriminator step on a real batch and a fake batch of the same size;
2. generator step on fresh noise, non-saturating loss.

Each step differentiates only its own network's variables and applies them with
its own optimizer, so neither step can move the other network's weights (the trap
of the Keras 2 "frozen discriminator" recipe under Keras 3, where the trainable set
is read when a train function is first traced, not at ``compile()``). Both
networks run in training mode in both steps, as in the TF DCGAN tutorial, so
BatchNorm layers use batch statistics and update their moving averages; those
averages are used only for inference and are not trained.

Introduced in 02_mlp_gan (written out by hand) and 03_dcgan (this class).
"""

from __future__ import annotations

import keras
import tensorflow as tf

from gan_lib.distribute import ReplicaSeedGenerator, logs_for_fit
from gan_lib.ema import average_copy, ema_decay_at, update_average
from gan_lib.losses import (
    LOSS_NAMES,
    discriminator_loss,
    generator_loss,
    hinge_discriminator_loss,
    hinge_generator_loss,
)


class GAN(keras.Model):
    """Generator + discriminator trained with ``fit()``.

    Args:
        generator: ``(B, latent_dim)`` -> ``(B, 28, 28, 1)`` float32 in [-1, 1].
        discriminator: ``(B, 28, 28, 1)`` float32 in [-1, 1] -> ``(B, 1)`` logits.
        latent_dim: length of z; defaults to the generator's input size.
        seed: seed of the noise drawn inside ``train_step`` (None: unseeded, but
            ``keras.utils.set_random_seed`` still makes the run repeatable).
        ema_decay: keep an exponential moving average of the generator's weights with this
            decay per step (e.g. 0.999; :mod:`gan_lib.ema`, Yazıcı et al. 2019) in
            ``ema_generator``; None (the default) keeps none.
        augment: a differentiable augmentation applied to every image the discriminator
            sees, real and fake, in both steps (e.g. :class:`gan_lib.diffaugment.DiffAugment`,
            Zhao et al. 2020); None for none.

    ``sample_generator`` is the generator to draw images from: the EMA copy when there is
    one, else ``generator``. The run folder's ``generator.keras``, the sample grids and the
    metrics use it.

    ``fit(dataset)`` expects batches of real images ``(B, 28, 28, 1)`` float32 in
    [-1, 1] (``gan_lib.data.make_dataset``) and logs ``d_loss``, ``g_loss``,
    ``d_acc_real`` and ``d_acc_fake`` (share of real / fake images the
    discriminator classifies correctly, threshold logit 0).
    """

    def __init__(
        self,
        generator: keras.Model,
        discriminator: keras.Model,
        latent_dim: int | None = None,
        seed: int | None = None,
        ema_decay: float | None = None,
        augment: keras.layers.Layer | None = None,
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        if ema_decay is not None and not 0.0 < ema_decay < 1.0:
            raise ValueError(f"ema_decay must be between 0 and 1 (e.g. 0.999), got {ema_decay}")
        self.generator = generator
        self.discriminator = discriminator
        self.ema_decay = ema_decay
        self.ema_generator = average_copy(generator) if ema_decay is not None else None
        self.augment = augment
        self.loss_name = "bce"  # compile(loss=...) may change it
        self.latent_dim = int(latent_dim or generator.input_shape[-1])
        self.seed_generator = ReplicaSeedGenerator(seed)  # each tf.distribute replica draws its own noise
        self.d_loss_tracker = keras.metrics.Mean(name="d_loss")
        self.g_loss_tracker = keras.metrics.Mean(name="g_loss")
        self.d_acc_real_tracker = keras.metrics.Mean(name="d_acc_real")
        self.d_acc_fake_tracker = keras.metrics.Mean(name="d_acc_fake")
        self.built = True  # no call(): stop fit() from trying to build us symbolically

    def compile(
        self,
        d_optimizer: keras.optimizers.Optimizer,
        g_optimizer: keras.optimizers.Optimizer,
        real_label: float = 0.9,
        loss: str = "bce",
        **kwargs,
    ) -> None:
        """Set the two optimizers, the real label and the loss.

        Args:
            d_optimizer: updates the discriminator only.
            g_optimizer: updates the generator only.
            real_label: target for real images in d_loss; 0.9 is one-sided label
                smoothing (Salimans et al. 2016), 1.0 turns it off. Used by the ``"bce"`` loss only.
            loss: ``"bce"`` (binary cross-entropy for D, non-saturating for G; Goodfellow et al.
                2014) or ``"hinge"`` (Lim & Ye 2017, as in SN-GAN); see :mod:`gan_lib.losses`.
            **kwargs: passed to ``keras.Model.compile`` (e.g. ``steps_per_execution``).

        Raises:
            ValueError: real_label outside (0.5, 1], or an unknown loss.
        """
        if not 0.5 < real_label <= 1.0:
            raise ValueError(f"real_label must be in (0.5, 1], got {real_label}")
        if loss not in LOSS_NAMES:
            raise ValueError(f"unknown loss {loss!r}; choose one of {', '.join(LOSS_NAMES)}")
        self.loss_name = loss
        super().compile(**kwargs)
        self.d_optimizer = d_optimizer
        self.g_optimizer = g_optimizer
        self.real_label = float(real_label)
        # Build the optimizer slots now, inside any tf.distribute scope, not lazily
        # inside the traced replica function (which fails under MirroredStrategy).
        d_optimizer.build(self.discriminator.trainable_variables)
        g_optimizer.build(self.generator.trainable_variables)

    @property
    def sample_generator(self) -> keras.Model:
        """The generator to draw images from: the EMA average when ``ema_decay`` is set, else ``generator``."""
        return self.ema_generator if self.ema_generator is not None else self.generator

    def _d_input(self, images: tf.Tensor) -> tf.Tensor:
        """What the discriminator sees of ``images``: augmented when ``augment`` is set."""
        return self.augment(images) if self.augment is not None else images

    def _d_loss(self, real_logits: tf.Tensor, fake_logits: tf.Tensor) -> tf.Tensor:
        if self.loss_name == "hinge":
            return hinge_discriminator_loss(real_logits, fake_logits)
        return discriminator_loss(real_logits, fake_logits, self.real_label)

    def _g_loss(self, fake_logits: tf.Tensor) -> tf.Tensor:
        return hinge_generator_loss(fake_logits) if self.loss_name == "hinge" else generator_loss(fake_logits)

    def update_ema(self) -> None:
        """One EMA step of ``ema_generator`` toward ``generator`` (warmed-up decay, :mod:`gan_lib.ema`); no-op without EMA."""
        if self.ema_generator is not None:
            update_average(self.ema_generator, self.generator, ema_decay_at(self.g_optimizer.iterations, self.ema_decay))

    def fit(self, *args, shuffle: bool | None = None, **kwargs) -> keras.callbacks.History:
        """``keras.Model.fit``; ``shuffle`` defaults to True for arrays and False for anything else.

        A GAN trains on a ``tf.data`` pipeline that shuffles itself (``gan_lib.data.make_dataset``,
        ``training_stream``). Keras 3's ``fit()`` defaults to ``shuffle=True`` and then warns
        "shuffle=True was passed, but will be ignored" on every call for a data set or generator:
        noise a learner cannot act on. Arrays (``fit(x_train, batch_size=64)``; NumPy, tensors, or
        lists, tuples and dicts of them) are still shuffled each epoch, as Keras does.
        """
        if shuffle is None:
            x = args[0] if args else kwargs.get("x")
            shuffle = hasattr(x, "shape") or isinstance(x, (list, tuple, dict))
        return super().fit(*args, shuffle=shuffle, **kwargs)

    @property
    def metrics(self) -> list[keras.metrics.Metric]:
        return [self.d_loss_tracker, self.g_loss_tracker, self.d_acc_real_tracker, self.d_acc_fake_tracker]

    def _noise(self, batch_size: tf.Tensor) -> tf.Tensor:
        return keras.random.normal((batch_size, self.latent_dim), seed=self.seed_generator)

    def _sample_labels(self, batch_size: tf.Tensor) -> tf.Tensor | None:
        """Labels for the generator step: none here; a conditional GAN draws them."""
        return None

    @staticmethod
    def _condition(x: tf.Tensor, labels: tf.Tensor | None) -> tf.Tensor | list[tf.Tensor]:
        """A network's input: ``x`` alone, or ``[x, labels]`` for a conditional network."""
        return x if labels is None else [x, labels]

    def train_discriminator(self, real_images: tf.Tensor, labels: tf.Tensor | None = None) -> dict[str, tf.Tensor]:
        """One discriminator update; the generator's weights are not touched.

        Args:
            real_images: ``(B, 28, 28, 1)`` float32 in [-1, 1].
            labels: ``(B,)`` int32 class labels of ``real_images`` for a conditional GAN (the
                fakes get the same labels), else None.

        Returns:
            ``d_loss``, ``d_acc_real``, ``d_acc_fake``, each the mean over this replica's batch
            (the whole batch without ``tf.distribute``).
        """
        fake_images = self.generator(self._condition(self._noise(tf.shape(real_images)[0]), labels), training=True)
        with tf.GradientTape() as tape:
            real_logits = self.discriminator(self._condition(self._d_input(real_images), labels), training=True)
            fake_logits = self.discriminator(self._condition(self._d_input(fake_images), labels), training=True)
            per_example = self._d_loss(real_logits, fake_logits)  # (B,)
            # Average over the *global* batch, so gradients summed across replicas are right.
            scaled_loss = tf.nn.compute_average_loss(per_example)
        variables = self.discriminator.trainable_variables
        self.d_optimizer.apply(tape.gradient(scaled_loss, variables), variables)
        return {
            "d_loss": tf.reduce_mean(per_example),
            "d_acc_real": tf.reduce_mean(tf.cast(real_logits > 0, tf.float32)),
            "d_acc_fake": tf.reduce_mean(tf.cast(fake_logits < 0, tf.float32)),
        }

    def train_generator(self, batch_size: int | tf.Tensor) -> tf.Tensor:
        """One generator update on fresh noise; the discriminator's weights are not touched.

        Returns:
            ``g_loss``, the non-saturating loss averaged over this replica's batch.
        """
        labels = self._sample_labels(batch_size)
        with tf.GradientTape() as tape:
            fake_images = self.generator(self._condition(self._noise(batch_size), labels), training=True)
            fake_logits = self.discriminator(self._condition(self._d_input(fake_images), labels), training=True)
            per_example = self._g_loss(fake_logits)  # (B,)
            scaled_loss = tf.nn.compute_average_loss(per_example)
        variables = self.generator.trainable_variables
        self.g_optimizer.apply(tape.gradient(scaled_loss, variables), variables)
        return tf.reduce_mean(per_example)

    def train_step(self, real_images: tf.Tensor) -> dict[str, tf.Tensor]:
        d_logs = self.train_discriminator(real_images)
        g_loss = self.train_generator(tf.shape(real_images)[0])
        self.update_ema()
        return self.update_trackers(d_logs, g_loss)

    def update_trackers(self, d_logs: dict[str, tf.Tensor], g_loss: tf.Tensor) -> dict[str, tf.Tensor]:
        """Add one step's values to the epoch means; returns the means so far (what ``fit()`` logs)."""
        self.d_loss_tracker.update_state(d_logs["d_loss"])
        self.g_loss_tracker.update_state(g_loss)
        self.d_acc_real_tracker.update_state(d_logs["d_acc_real"])
        self.d_acc_fake_tracker.update_state(d_logs["d_acc_fake"])
        return logs_for_fit({m.name: m.result() for m in self.metrics})
