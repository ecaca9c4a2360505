"""Lesson 05's exercise checks: Exercise 2 passes every right answer (seeds, spreads) and fails a wrong one."""

from __future__ import annotations

import functools

import numpy as np
import pytest

import gan_lib
from gan_lib.exercises import lesson05
from gan_lib.metrics import class_coverage, embed, frechet_distance
from gan_lib.pretrained import load_pretrained_generator


@pytest.fixture
def setting(mnist_dir):
    return _setting()


@functools.cache
def _setting():
    _, (x_test, _) = gan_lib.load_mnist()
    return load_pretrained_generator(), gan_lib.load_classifier(), x_test[:1000]


def _around_three_points(latent_dim: int, spread: float, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((3, latent_dim))
    return (np.repeat(centres, 334, axis=0)[:1000] + spread * rng.standard_normal((1000, latent_dim))).astype(np.float32)


def _readings(images, reference, classifier):
    emb = embed(images, classifier)
    return class_coverage(emb)["classes"], frechet_distance(embed(reference, classifier), emb)


@pytest.mark.parametrize("spread", [0.05, 0.3])
def test_partial_collapse_passes_every_right_answer_over_seeds(setting, spread):
    generator, classifier, reference = setting
    for seed in range(5):  # 10 right answers in all, over two spreads
        images = gan_lib.generate(generator, _around_three_points(100, spread, seed))
        classes, fid = _readings(images, reference, classifier)
        assert "right" in lesson05.check_partial_collapse(images, reference, classes, fid, classifier)


def test_partial_collapse_fails_on_ordinary_samples_and_on_wrong_readings(setting):
    generator, classifier, reference = setting
    ordinary = gan_lib.generate(generator, gan_lib.random_latent_vectors(1000, 100, seed=5))
    classes, fid = _readings(ordinary, reference, classifier)
    with pytest.raises(AssertionError, match="no collapse"):
        lesson05.check_partial_collapse(ordinary, reference, classes, fid, classifier)
    collapsed = gan_lib.generate(generator, _around_three_points(100, 0.05, 0))
    classes, fid = _readings(collapsed, reference, classifier)
    with pytest.raises(AssertionError, match="classes"):
        lesson05.check_partial_collapse(collapsed, reference, classes + 1, fid, classifier)
    with pytest.raises(AssertionError, match="FID"):
        lesson05.check_partial_collapse(collapsed, reference, classes, fid / 2, classifier)
    with pytest.raises(AssertionError, match="equal N"):
        lesson05.check_partial_collapse(collapsed, reference[:500], classes, fid, classifier)
