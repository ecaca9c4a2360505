"""Running a generator: images from latent vectors (drawn with :func:`gan_lib.latent.random_latent_vectors`).

Introduced in 02_mlp_gan.
"""

from __future__ import annotations

import keras
import numpy as np


def is_conditional(generator: keras.Model) -> bool:
    """True for a generator that takes ``[z, label]`` (:mod:`gan_lib.conditional`)."""
    return isinstance(generator.input_shape, list)


def generate(generator: keras.Model, z: np.ndarray, batch_size: int = 256,
             labels: np.ndarray | None = None) -> np.ndarray:
    """Run the generator in inference mode (BatchNorm uses its moving statistics).

    Args:
        generator: maps ``(B, latent_dim)`` (or ``[z, labels]`` for a conditional generator)
            to ``(B, 28, 28, 1)`` float32 in [-1, 1].
        z: ``(N, latent_dim)`` float32 latent vectors.
        batch_size: images per forward pass (bounds memory for large N).
        labels: ``(N,)`` int class labels; required by a conditional generator, refused otherwise.

    Returns:
        ``(N, 28, 28, 1)`` float32 NumPy array in [-1, 1].

    Raises:
        ValueError: z is not ``(N, latent_dim)`` for this generator, or labels are missing,
            unexpected or not ``(N,)``.
    """
    z = np.asarray(z, dtype=np.float32)
    conditional = is_conditional(generator)
    latent_dim = generator.input_shape[0][-1] if conditional else generator.input_shape[-1]
    if z.ndim != 2 or z.shape[1] != latent_dim:
        raise ValueError(f"z must have shape (N, {latent_dim}) for this generator, got {z.shape}")
    if conditional != (labels is not None):
        raise ValueError("a conditional generator needs labels=" if conditional else
                         "labels= given, but this generator is not conditional")
    if conditional:
        labels = np.asarray(labels, dtype=np.int32)
        if labels.shape != (len(z),):
            raise ValueError(f"labels must have shape ({len(z)},), got {labels.shape}")

    def inputs(i: int):
        return [z[i : i + batch_size], labels[i : i + batch_size]] if conditional else z[i : i + batch_size]

    batches = [np.asarray(generator(inputs(i), training=False)) for i in range(0, len(z), batch_size)]
    return np.concatenate(batches)
