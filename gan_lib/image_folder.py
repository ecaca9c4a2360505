"""Your own images: a folder of PNG / JPEG / GIF / BMP files as training data.

Decoding and resizing are TensorFlow's (``keras.utils.image_dataset_from_directory``):
any size, grayscale or RGB (converted to grayscale, since the models are 28x28x1).
Every file is first checked with ``tf.io.decode_image``, so a broken file is named in
the error instead of failing deep inside ``fit()``.

Introduced in 07_wgan_gp ("Your own images").
"""

from __future__ import annotations

import os
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf

IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".gif", ".bmp")  # what image_dataset_from_directory reads


def list_images(folder: str | os.PathLike) -> list[Path]:
    """Image files under ``folder`` (sub-folders included), sorted.

    Raises:
        FileNotFoundError: ``folder`` is not a folder.
        ValueError: it holds no file with an image extension.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"image folder {folder} does not exist or is not a folder")
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in IMAGE_EXTENSIONS)
    if not files:
        raise ValueError(f"{folder} holds no images ({', '.join(IMAGE_EXTENSIONS)}); "
                         "put the training images in it (sub-folders are fine)")
    return files


def load_image_folder(folder: str | os.PathLike, image_size: int = 28) -> np.ndarray:
    """Read every image under ``folder`` as a training set.

    Args:
        folder: a folder of images, any size, grayscale or RGB, in sub-folders or not
            (sub-folder names are ignored: the GAN is unconditional).
        image_size: side of the square the images are resized to (bilinear,
            aspect ratio not kept, as ``image_dataset_from_directory`` does).

    Returns:
        ``(N, image_size, image_size)`` uint8 in [0, 255], the same form as
        :func:`gan_lib.data.load_mnist`'s images, ready for :func:`gan_lib.data.make_dataset`.

    Raises:
        FileNotFoundError: ``folder`` does not exist.
        ValueError: no images, or a file TensorFlow cannot decode (the message names it).
    """
    files = list_images(folder)
    for path in files:
        try:
            tf.io.decode_image(tf.io.read_file(str(path)), expand_animations=False)
        except (tf.errors.InvalidArgumentError, tf.errors.NotFoundError) as err:
            reason = err.message.split("}}")[-1].split("[Op:")[0].strip()  # drop TF's op decorations
            # its first sentence: the rest (the formats TensorFlow can read) differs between versions
            reason = reason.split(". ")[0].rstrip(".")
            raise ValueError(f"{path} is not a readable image ({reason}); delete or replace it") from None
    dataset = keras.utils.image_dataset_from_directory(
        folder, labels=None, color_mode="grayscale", image_size=(image_size, image_size),
        batch_size=256, shuffle=False, verbose=False,
    )  # batches of (B, size, size, 1) float32 in [0, 255]
    images = np.concatenate([batch.numpy() for batch in dataset])[..., 0]
    return np.clip(np.rint(images), 0, 255).astype(np.uint8)
