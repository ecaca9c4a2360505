"""Differentiable augmentation (DiffAugment) for GANs trained on few images.

Zhao et al. 2020, "Differentiable Augmentation for Data-Efficient GAN Training": the
discriminator sees **every** image, real and generated alike, through the same random
augmentation, in both the discriminator's and the generator's step. Because the
augmentation is differentiable, the generator's gradient flows through it; because fakes
are augmented too, the generator is not pushed to draw augmented digits. It keeps D from
memorizing a small training set (here 5,000 digits).

Policies that suit digits (no flips, no colour: a mirrored 2 is not a digit):

- ``translation``: shift by up to 1/8 of the image (3 pixels on 28x28), filling with the
  background (-1), as the paper's ``rand_translation``;
- ``cutout``: blank a random square of half the image side (14x14) to 0, as ``rand_cutout``.

Each image gets its own random shift and square. Shifts are matrix products with
one-hot shift matrices, so gradients reach every pixel that stays in the image.

Used by :class:`gan_lib.GAN` (``GAN(..., augment=DiffAugment("translation,cutout"))``);
taught in 08_gan_tricks.
"""

from __future__ import annotations

import keras
import tensorflow as tf

from gan_lib.distribute import ReplicaSeedGenerator

POLICIES = ("translation", "cutout")


def parse_policy(policy: str) -> tuple[str, ...]:
    """``"translation,cutout"`` -> ``("translation", "cutout")``.

    Raises:
        ValueError: an empty policy or an unknown name (the message lists the known ones).
    """
    names = tuple(name.strip() for name in policy.split(",") if name.strip())
    unknown = [name for name in names if name not in POLICIES]
    if not names or unknown:
        raise ValueError(f"unknown DiffAugment policy {policy!r}; use a comma-separated list of {', '.join(POLICIES)}")
    return names


def _shift_matrices(shifts: tf.Tensor, size: int) -> tf.Tensor:
    """(B,) int shifts -> (B, size, size) float32 S with (S @ x)[i] = x[i - shift] (zero where outside)."""
    rows = tf.range(size)[None, :, None]  # i
    cols = tf.range(size)[None, None, :]  # j
    return tf.cast(tf.equal(cols, rows - shifts[:, None, None]), tf.float32)


def translate(images: tf.Tensor, dy: tf.Tensor, dx: tf.Tensor, fill: float = -1.0) -> tf.Tensor:
    """Shift each image by (dy[b], dx[b]) pixels, filling uncovered pixels with ``fill``.

    Args:
        images: ``(B, H, W, C)`` float32.
        dy, dx: ``(B,)`` int32 shifts (positive: down / right).

    Returns:
        ``(B, H, W, C)`` float32; differentiable in ``images``.
    """
    height, width = images.shape[1], images.shape[2]
    sy, sx = _shift_matrices(dy, height), _shift_matrices(dx, width)
    shifted = tf.einsum("bij,bjkc,blk->bilc", sy, images - fill, sx)
    return shifted + fill


def cutout_mask(centres_y: tf.Tensor, centres_x: tf.Tensor, height: int, width: int, size: int) -> tf.Tensor:
    """(B, H, W, 1) float32: 0 on each image's ``size`` x ``size`` square starting ``size // 2`` above and left of
    (centre_y, centre_x) (clipped at the border), 1 elsewhere."""
    def inside(coords: tf.Tensor, centres: tf.Tensor) -> tf.Tensor:
        start = centres[:, None, None] - size // 2
        return (coords >= start) & (coords < start + size)

    square = inside(tf.range(height)[None, :, None], centres_y) & inside(tf.range(width)[None, None, :], centres_x)
    return 1.0 - tf.cast(square, tf.float32)[..., None]


class DiffAugment(keras.layers.Layer):
    """The DiffAugment policy as a Keras layer: ``(B, H, W, C)`` float32 in [-1, 1] -> same shape and range.

    Its random numbers come from its own seeded ``keras.random.SeedGenerator``, whose state
    is saved with the GAN's checkpoint, so a resumed run augments exactly as an uninterrupted one.

    Args:
        policy: comma-separated names from :data:`POLICIES`.
        translation: largest shift as a fraction of the image side (1/8, as the paper).
        cutout: side of the cutout square as a fraction of the image side (1/2, as the paper).
        seed: seed of the random shifts and squares.

    Raises:
        ValueError: an unknown policy.
    """

    def __init__(self, policy: str = "translation,cutout", translation: float = 0.125, cutout: float = 0.5,
                 seed: int | None = None, **kwargs):
        super().__init__(**kwargs)
        self.policy = parse_policy(policy)
        self.translation, self.cutout = float(translation), float(cutout)
        self.seed_generator = ReplicaSeedGenerator(seed)  # each tf.distribute replica augments differently
        self.built = True  # no weights to build; an unbuilt layer would make fit() try to build the GAN itself

    def call(self, images: tf.Tensor) -> tf.Tensor:
        batch, height, width = tf.shape(images)[0], images.shape[1], images.shape[2]
        if "translation" in self.policy:
            most = int(round(height * self.translation))
            dy = keras.random.randint((batch,), -most, most + 1, seed=self.seed_generator, dtype="int32")
            dx = keras.random.randint((batch,), -most, most + 1, seed=self.seed_generator, dtype="int32")
            images = translate(images, dy, dx)
        if "cutout" in self.policy:
            size = int(round(height * self.cutout))
            cy = keras.random.randint((batch,), 0, height, seed=self.seed_generator, dtype="int32")
            cx = keras.random.randint((batch,), 0, width, seed=self.seed_generator, dtype="int32")
            images = images * cutout_mask(cy, cx, height, width, size)
        return images
