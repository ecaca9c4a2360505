"""Checks for the exercises of lesson 05 (evaluating GANs). See :mod:`gan_lib.exercises`."""

from __future__ import annotations

import keras
import numpy as np

from gan_lib.metrics import class_coverage, embed, frechet_distance

MIN_IMAGES = 500  # below this, FID at 128 features says more about N than about the images


def check_partial_collapse(images: np.ndarray, reference: np.ndarray, classes: int, fid: float,
                           classifier: keras.Model | None = None) -> str:
    """Exercise 2: images from latent vectors drawn around 3 fixed points, and the learner's readings.

    A right answer, whatever the seed and for any spread from 0.05 to 0.3 around the three points,
    has its histogram far from uniform (KL to uniform >= 0.3 nats; it was 0.43 or more over 10 seeds
    at spread 0.3) and a FID far above the full generator's (>= 150 at N = 1,000; the full
    pretrained generator scores about 31). The number of classes is not fixed: three points can
    land in two classes, or spread over five.

    Args:
        images: ``(N, 28, 28, 1)`` float in [-1, 1] (or uint8), N >= 500.
        reference: real test digits, as many as ``images`` (equal N).
        classes: what the learner read from ``class_coverage(...)["classes"]``.
        fid: what the learner read from ``frechet_distance(reference, images)``.
        classifier: feature network (default: the shipped classifier).

    Raises:
        AssertionError: too few images, unequal N, no collapse, or readings that do not match.
    """
    assert len(images) >= MIN_IMAGES, f"use at least {MIN_IMAGES} images (N = 1,000 in the lesson), got {len(images)}"
    assert len(reference) == len(images), f"compare at equal N: {len(images)} images against {len(reference)} reference images"
    images_emb, reference_emb = embed(images, classifier), embed(reference, classifier)
    coverage = class_coverage(images_emb)
    measured_fid = frechet_distance(reference_emb, images_emb)
    assert coverage["kl_to_uniform"] >= 0.3 and measured_fid >= 150, (
        f"no collapse: KL to uniform {coverage['kl_to_uniform']:.2f} nats, FID {measured_fid:.0f}; "
        "draw every z close to one of 3 fixed points (centre + spread * noise, spread 0.05 to 0.3)")
    assert classes == coverage["classes"], f"class_coverage reports {coverage['classes']} classes, not {classes}"
    assert np.isclose(fid, measured_fid, rtol=1e-3), f"FID against the reference is {measured_fid:.1f}, not {fid:.1f}"
    return (f"right: {coverage['classes']} classes at >= 5%, KL to uniform {coverage['kl_to_uniform']:.2f} nats, "
            f"FID {measured_fid:.0f} (the full generator: about 31 at N = 1,000)")
