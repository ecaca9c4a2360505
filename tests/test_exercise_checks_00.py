"""Lesson 00's exercise checks fail on plausible wrong answers and pass right ones."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from gan_lib import toy
from gan_lib.exercises import lesson00
from gan_lib.gan import GAN


def test_mode_count_passes_a_right_count():
    def count_modes(points):  # written out, as a learner would
        distances = np.linalg.norm(points[:, None, :] - toy.ring_centres()[None], axis=-1)  # (N, 8)
        return int(((distances <= 3 * 0.05).mean(axis=0) >= 0.02).sum())

    assert "all 5 point sets" in lesson00.check_mode_count(count_modes)
    assert lesson00.check_mode_count(lambda p: toy.mode_coverage(p, toy.ring_centres()).covered)


def test_mode_count_fails_plausible_wrong_counts():
    centres = toy.ring_centres()
    any_point = lambda p: int((np.linalg.norm(p[:, None] - centres[None], axis=-1) <= 0.15).any(axis=0).sum())
    one_sigma = lambda p: toy.mode_coverage(p, centres, radius=0.05).covered
    five_sigma = lambda p: toy.mode_coverage(p, centres, radius=0.25).covered
    share_of_mode = lambda p: toy.mode_coverage(p, centres, min_share=0.02 / 8).covered  # 2% of a mode's points
    for wrong in (any_point, one_sigma, five_sigma, share_of_mode):
        with pytest.raises(AssertionError, match="covered modes, expected"):
            lesson00.check_mode_count(wrong)


def test_gradient_ratio():
    assert "99" in lesson00.check_gradient_ratio(99.0)
    assert lesson00.check_gradient_ratio(9.0, d_of_fake=0.1)
    with pytest.raises(AssertionError, match="1/D"):
        lesson00.check_gradient_ratio(100.0)
    with pytest.raises(AssertionError, match="upside down"):
        lesson00.check_gradient_ratio(1 / 99)
    with pytest.raises(AssertionError, match="not it"):
        lesson00.check_gradient_ratio(0.01)


def test_collapsed_d_star():
    assert "0.2" in lesson00.check_collapsed_d_star(0.2, 1.0)
    with pytest.raises(AssertionError, match="p_g = p_data"):
        lesson00.check_collapsed_d_star(0.5, 1.0)
    with pytest.raises(AssertionError, match="covered centre"):
        lesson00.check_collapsed_d_star(0.8, 1.0)  # p_g / (p_data + p_g): the ratio upside down
    with pytest.raises(AssertionError, match="uncovered centre"):
        lesson00.check_collapsed_d_star(0.2, 0.5)


def test_two_moons_passes_real_points_and_fails_wrong_ones():
    assert "on the moons" in lesson00.check_two_moons(toy.two_moons(2000, seed=7))
    with pytest.raises(AssertionError, match="one moon"):
        lesson00.check_two_moons(toy.two_moons(2000, seed=7)[::2])  # upper moon only
    with pytest.raises(AssertionError, match="within 0.2"):
        lesson00.check_two_moons(toy.gaussian(2000, seed=0, std=0.3))  # an untrained generator's blob
    with pytest.raises(AssertionError, match="shape"):
        lesson00.check_two_moons(toy.two_moons(2000)[:, :1])


@pytest.mark.parametrize("seed", [0, 1])
def test_two_moons_passes_a_trained_generator(seed):
    keras.utils.set_random_seed(seed)
    gan = GAN(toy.build_toy_generator(2), toy.build_toy_discriminator(), seed=seed)
    gan.compile(keras.optimizers.Adam(1e-3, beta_1=0.5), keras.optimizers.Adam(1e-3, beta_1=0.5), real_label=1.0,
                steps_per_execution=50)
    gan.fit(toy.make_toy_dataset(toy.two_moons(20_000, seed=seed), 256, seed=seed), epochs=1, steps_per_epoch=3000, verbose=0)
    z = np.random.default_rng(seed).standard_normal((2000, 2)).astype("float32")
    assert "on the moons" in lesson00.check_two_moons(gan.generator(z).numpy())
