"""Checks for the exercises of lesson 04 (latent space). See :mod:`gan_lib.exercises`."""

from __future__ import annotations

import keras
import numpy as np

from gan_lib.generation import generate
from gan_lib.latent import random_latent_vectors
from gan_lib.metrics import frechet_distance


def _ink(images: np.ndarray) -> np.ndarray:
    """Share of pixels above mid-gray per image: ``(N, 28, 28, 1)`` in [-1, 1] -> ``(N,)``."""
    return (np.asarray(images) > 0).mean(axis=(1, 2, 3))


def ink_change(generator: keras.Model, directions: np.ndarray, span: float = 4.0, n: int = 200,
               seed: int = 7) -> np.ndarray:
    """Mean change of ink (share of pixels > 0) from ``-span`` to ``+span`` along each direction.

    Args:
        generator: ``(B, latent_dim)`` -> ``(B, 28, 28, 1)`` float32 in [-1, 1].
        directions: ``(k, latent_dim)`` unit vectors (lesson 04's principal directions).
        span: distance moved each way, in latent units.
        n: random starting points the change is averaged over (one digit can mislead).
        seed: seed of the starting points.

    Returns:
        ``(k,)`` float, in [-1, 1]: positive where moving ``+span`` makes digits bolder.
    """
    directions = np.asarray(directions, np.float32)
    z = random_latent_vectors(n, directions.shape[1], seed=seed)  # (n, latent_dim)
    return np.array([_ink(generate(generator, z + span * d)).mean() - _ink(generate(generator, z - span * d)).mean()
                     for d in directions])


def check_thickness_direction(generator: keras.Model, directions: np.ndarray, j: int, bolder_sign: int) -> str:
    """Exercise 1: ``directions[j]`` is the direction that changes stroke thickness most, and
    moving by ``bolder_sign`` (+1 or -1) along it makes digits bolder.

    Judged over 200 random digits, not one: the answer is right when its ink change is at least
    half the largest among the directions and has the stated sign.

    Raises:
        AssertionError: another direction, or the wrong sign.
    """
    assert bolder_sign in (1, -1), f"bolder_sign must be +1 or -1, got {bolder_sign!r}"
    change = ink_change(generator, directions)
    assert 0 <= j < len(change), f"j must index one of the {len(change)} directions, got {j}"
    best = int(np.argmax(np.abs(change)))
    assert abs(change[j]) >= 0.5 * abs(change[best]), (
        f"direction {j} barely changes the ink (mean change {change[j]:+.3f} over 200 digits); "
        f"move along each direction and count the bright pixels again")
    assert np.sign(change[j]) == bolder_sign, (
        f"direction {j} is right, but moving {bolder_sign:+d} along it makes digits thinner, not bolder")
    return f"right: direction {j} changes the ink by {change[j]:+.3f} from -4 to +4 (the largest change: {change[best]:+.3f})"


def check_latent_arithmetic(generator: keras.Model, a: np.ndarray, b: np.ndarray, c: np.ndarray,
                            image: np.ndarray) -> str:
    """Exercise 3: ``image`` is the generator's digit for ``a - b + c`` computed in latent space.

    Args:
        generator: the lesson's generator.
        a, b, c: ``(latent_dim,)`` vectors, or ``(k, latent_dim)`` to be averaged per concept.
        image: ``(28, 28, 1)`` or ``(1, 28, 28, 1)`` float in [-1, 1], what the learner generated.

    Raises:
        AssertionError: the image was computed another way (e.g. arithmetic on images, not on z).
    """
    a, b, c = (np.asarray(v, np.float32).reshape(-1, np.shape(v)[-1]).mean(axis=0) for v in (a, b, c))
    expected = generate(generator, (a - b + c)[None])[0]  # (28, 28, 1)
    image = np.asarray(image, np.float32).reshape(expected.shape)
    assert image.min() >= -1.0 - 1e-6 and image.max() <= 1.0 + 1e-6, (
        f"pixels outside [-1, 1] (from {image.min():.2f} to {image.max():.2f}): did you add images instead of latent vectors?")
    gap = float(np.abs(image - expected).max())
    assert gap < 1e-3, (f"the image differs from generate(generator, a - b + c) by up to {gap:.2f}: "
                        "do the arithmetic on the latent vectors (average each concept first), then generate once")
    return "right: the digit is the generator's image of a - b + c"


def check_improved_generator(generator: keras.Model, x_test: np.ndarray, baseline: keras.Model,
                             classifier: keras.Model | None = None, n: int = 1000, seed: int = 0) -> str:
    """Exercise 5: ``generator`` has a lower FID than ``baseline`` (the shipped one) at equal N.

    Args:
        generator: the learner's new generator, ``(B, latent_dim)`` -> ``(B, 28, 28, 1)`` in [-1, 1].
        x_test: real test digits ``(M, 28, 28)`` uint8, M >= n: the reference set.
        baseline: the generator to beat (``gan_lib.pretrained.load_pretrained_generator()``).
        classifier: feature network (default: the shipped classifier).
        n: images per set.
        seed: seed of the latent vectors, the same for both generators.

    Raises:
        AssertionError: not better than the baseline, or too few test images.
    """
    assert len(x_test) >= n, f"need at least {n} test images for FID at N = {n}, got {len(x_test)}"
    fids = {}
    for name, model in (("yours", generator), ("shipped", baseline)):
        z = random_latent_vectors(n, model.input_shape[-1], seed=seed)
        fids[name] = frechet_distance(x_test[:n], generate(model, z), classifier)
    assert fids["yours"] < fids["shipped"], (
        f"FID {fids['yours']:.1f} is not below the shipped generator's {fids['shipped']:.1f} (N = {n}): "
        "train longer or on more images")
    return f"right: FID {fids['yours']:.1f} against {fids['shipped']:.1f} for the shipped generator (N = {n})"
