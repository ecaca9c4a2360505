"""Drawing latent vectors and generating images from them.

Introduced in 02_mlp_gan.
"""

from __future__ import annotations

import keras
import numpy as np


def random_latent_vectors(n: int, latent_dim: int, seed: int | None = None) -> np.ndarray:
    """``(n, latent_dim)`` float32 z ~ N(0, 1); the same seed gives the same vectors.

    Raises:
        ValueError: n or latent_dim < 1.
    """
    if n < 1 or latent_dim < 1:
        raise ValueError(f"n and latent_dim must be positive, got n={n}, latent_dim={latent_dim}")
    return np.random.default_rng(seed).standard_normal((n, latent_dim)).astype(np.float32)


def generate(generator: keras.Model, z: np.ndarray, batch_size: int = 256) -> np.ndarray:
    """Run the generator in inference mode (BatchNorm uses its moving statistics).

    Args:
        generator: maps ``(B, latent_dim)`` to ``(B, 28, 28, 1)`` float32 in [-1, 1].
        z: ``(N, latent_dim)`` float32 latent vectors.
        batch_size: images per forward pass (bounds memory for large N).

    Returns:
        ``(N, 28, 28, 1)`` float32 NumPy array in [-1, 1].

    Raises:
        ValueError: z is not ``(N, latent_dim)`` for this generator.
    """
    z = np.asarray(z, dtype=np.float32)
    latent_dim = generator.input_shape[-1]
    if z.ndim != 2 or z.shape[1] != latent_dim:
        raise ValueError(f"z must have shape (N, {latent_dim}) for this generator, got {z.shape}")
    batches = [np.asarray(generator(z[i : i + batch_size], training=False)) for i in range(0, len(z), batch_size)]
    return np.concatenate(batches)
