"""Checks for the exercises of lesson 06 (conditional GAN). See :mod:`gan_lib.exercises`."""

from __future__ import annotations

from collections.abc import Sequence

import keras
import numpy as np

from gan_lib.classifier import load_classifier, predict_labels
from gan_lib.conditional_explorer import conditional_generate
from gan_lib.latent import random_latent_vectors
from gan_lib.metrics import embed, frechet_distance


def _input_channels(model: keras.Model) -> list[int]:
    """Channel counts of every 28x28 image input of the layers inside ``model`` (nested models too)."""
    channels = []
    for layer in model.layers:
        shapes = layer.input.shape if not isinstance(layer.input, list) else None
        if shapes is not None and len(shapes) == 4 and tuple(shapes[1:3]) == (28, 28):
            channels.append(int(shapes[-1]))
        if isinstance(layer, keras.Model):
            channels += _input_channels(layer)
    return channels


def _check_image_label_inputs(discriminator: keras.Model, hint: str = "") -> None:
    """Asserts the ``[image (None, 28, 28, 1), label (None,)]`` inputs that ``ConditionalGAN`` calls D with."""
    shapes = [tuple(s) for s in discriminator.input_shape] if isinstance(discriminator.input_shape, list) else []
    assert shapes == [(None, 28, 28, 1), (None,)], (
        f"the discriminator must take [image (None, 28, 28, 1), label (None,)], got {discriminator.input_shape}{hint}")


def check_one_hot_discriminator(discriminator: keras.Model, num_classes: int = 10, seed: int = 0) -> str:
    """Exercise 1: a conditional discriminator that joins the label as ``num_classes`` one-hot planes.

    Args:
        discriminator: maps ``[x (B, 28, 28, 1), y (B,) int]`` to ``(B, 1)`` logits.
        num_classes: number of labels.
        seed: seed of the test image.

    Raises:
        AssertionError: wrong inputs, the label joined another way (e.g. the lesson's one label map),
            or an output that ignores the label.
    """
    _check_image_label_inputs(discriminator)
    channels = _input_channels(discriminator)
    assert 1 + num_classes in channels, (
        f"no layer reads the image with {num_classes} one-hot planes ({1 + num_classes} channels); inner image "
        f"inputs have {sorted(set(channels))} channels: concatenate the image and the planes, then "
        f"build_dcgan_discriminator(input_channels={1 + num_classes})")
    x = np.random.default_rng(seed).uniform(-1, 1, (num_classes, 28, 28, 1)).astype(np.float32)
    x[:] = x[0]  # the same image under every label
    scores = np.asarray(discriminator([x, np.arange(num_classes, dtype=np.int32)], training=False)).ravel()
    assert np.ptp(scores) > 1e-6, "the output does not change with the label: the planes must come from y"
    return f"right: the label enters as {num_classes} one-hot planes, and the score depends on it"


def check_label_blind_discriminator(discriminator: keras.Model, num_classes: int = 10, seed: int = 0) -> str:
    """Exercise 2: a discriminator that takes ``[x, y]`` as ``ConditionalGAN`` needs, but ignores ``y``.

    Args:
        discriminator: maps ``[x (B, 28, 28, 1), y (B,) int]`` to ``(B, 1)`` logits.
        num_classes: number of labels.
        seed: seed of the test images.

    Raises:
        AssertionError: wrong inputs, a score that changes with the label (the lesson's conditional
            discriminator), or one that does not change with the image either.
    """
    _check_image_label_inputs(discriminator, ": wrap lesson 03's discriminator in keras.Model([x, y], d(x))")
    images = np.random.default_rng(seed).uniform(-1, 1, (2, 28, 28, 1)).astype(np.float32)
    labels = np.arange(num_classes, dtype=np.int32)

    def scores(image: np.ndarray) -> np.ndarray:
        batch = np.repeat(image[None], num_classes, axis=0)  # one image under every label
        return np.asarray(discriminator([batch, labels], training=False)).ravel()

    first, second = scores(images[0]), scores(images[1])
    assert np.ptp(first) < 1e-5, (
        f"the score changes with the label (spread {np.ptp(first):.3g} over the {num_classes} labels): "
        "this discriminator still reads y; drop it and judge the image alone")
    assert abs(first[0] - second[0]) > 1e-6, "the score does not change with the image either: pass x through D"
    return "right: the discriminator judges the image and ignores the label"


def check_per_class_fid(fids: Sequence[float], generated: Sequence[np.ndarray], real: Sequence[np.ndarray],
                        classifier: keras.Model | None = None) -> str:
    """Exercise 3: ``fids[d]`` is the FID between the generated and the real images of digit d, at equal N.

    Args:
        fids: 10 numbers, one per digit.
        generated: 10 image arrays, ``generated[d]`` the images generated for digit d.
        real: 10 image arrays, ``real[d]`` real test images of digit d, as many as ``generated[d]``.
        classifier: feature network (default: the shipped classifier).

    Raises:
        AssertionError: not 10 values, unequal N, real images of other digits, or a value that
            is not the FID of those two sets.
    """
    assert len(fids) == len(generated) == len(real) == 10, "need 10 FIDs, 10 generated sets and 10 real sets"
    classifier = classifier or load_classifier()
    for d in range(10):
        assert len(generated[d]) == len(real[d]), (
            f"digit {d}: {len(generated[d])} generated against {len(real[d])} real images; compare at equal N")
        assert np.mean(predict_labels(classifier, real[d]) == d) >= 0.8, (
            f"digit {d}: the real set must hold test images of digit {d} only")
        measured = frechet_distance(embed(real[d], classifier), embed(generated[d], classifier))
        assert np.isclose(fids[d], measured, rtol=1e-3), f"digit {d}: the FID of these two sets is {measured:.1f}, not {fids[d]:.1f}"
    return f"right: per-digit FIDs from {min(fids):.0f} (digit {int(np.argmin(fids))}) to {max(fids):.0f} (digit {int(np.argmax(fids))})"


def check_bolder_direction(generator: keras.Model, direction: np.ndarray, amounts: Sequence[float] = (0, 2, 4, 6),
                           n: int = 20, num_classes: int = 10, seed: int = 0) -> str:
    """Exercise 4: moving z along ``direction`` makes every digit bolder (more ink), not just one.

    Ink is the share of pixels above 0 (the middle of [-1, 1]), averaged over ``n`` fixed z per digit;
    it must grow at every step of ``amounts`` for each of the ``num_classes`` digits.

    Args:
        generator: conditional generator ``[z (B, latent_dim), y (B,)] -> (B, 28, 28, 1)`` in [-1, 1].
        direction: ``(latent_dim,)`` latent direction (e.g. ``explorer.directions[j]`` or its negative);
            scaled to length 1, as the sliders are.
        amounts: slider settings, increasing.
        n: z per digit.
        num_classes: number of labels.
        seed: seed of the z.

    Raises:
        AssertionError: a direction of the wrong size, or a digit whose ink does not grow along it.
    """
    latent_dim = generator.input_shape[0][-1]
    direction = np.asarray(direction, np.float32).reshape(-1)
    assert direction.shape == (latent_dim,), f"direction must have {latent_dim} numbers (one z), got {direction.shape}"
    assert np.linalg.norm(direction) > 0, "direction is all zeros"
    direction = direction / np.linalg.norm(direction)
    z = random_latent_vectors(n, latent_dim, seed=seed)  # (n, latent_dim)
    for d in range(num_classes):
        ink = [float(np.mean(conditional_generate(generator, z + amount * direction, np.full(n, d)) > 0))
               for amount in amounts]
        assert np.all(np.diff(ink) > 0), (
            f"digit {d}: ink at {list(amounts)} is {[round(i, 3) for i in ink]}, which does not grow at every step; "
            "a direction that makes one digit bolder may thin another, or do nothing: try another slider or its negative")
    return f"right: every digit gains ink from +{amounts[0]} to +{amounts[-1]} along this direction"
