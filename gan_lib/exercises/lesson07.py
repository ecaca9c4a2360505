"""Checks for the exercises of lesson 07 (WGAN-GP, your own images). See :mod:`gan_lib.exercises`."""

from __future__ import annotations

import os

import numpy as np

from gan_lib.image_folder import list_images


def check_own_folder(folder_images: np.ndarray, folder: str | os.PathLike, demo_images: np.ndarray | None = None) -> str:
    """Exercise 5: ``folder_images`` holds every image of ``folder``, loaded at 28x28 grayscale.

    Args:
        folder_images: what ``gan_lib.image_folder.load_image_folder(folder)`` returned.
        folder: the learner's folder of photos.
        demo_images: the lesson's demo images (``folder_images`` of the lesson), to tell them apart.

    Raises:
        AssertionError: wrong shape or dtype, not one image per file, or the lesson's demo folder.
    """
    files = list_images(folder)
    images = np.asarray(folder_images)
    assert images.dtype == np.uint8 and images.shape[1:] == (28, 28), (
        f"expected (N, 28, 28) uint8, got {images.shape} {images.dtype}: load the folder with load_image_folder")
    assert len(images) == len(files), f"{folder} holds {len(files)} images, but {len(images)} were loaded"
    if demo_images is not None:
        assert not (images.shape == np.shape(demo_images) and np.array_equal(images, demo_images)), (
            "these are the lesson's demo images: point load_image_folder at a folder of your own")
    return f"right: {len(images)} images from {folder}, at 28x28 grayscale"
