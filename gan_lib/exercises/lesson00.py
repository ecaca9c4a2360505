"""Checks for the exercises of lesson 00 (the GAN game drawn in two dimensions).

Each check takes the learner's answer, raises ``AssertionError`` with a one-line hint when it is
wrong, and returns a short confirmation when it is right (see ``gan_lib.exercises``).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from gan_lib import toy


def _test_sets() -> list[tuple[str, np.ndarray]]:
    """Point sets on which a hand-written mode count must agree with :func:`gan_lib.toy.mode_coverage`."""
    centres = toy.ring_centres()
    rng = np.random.default_rng(0)
    full = toy.ring(800, seed=1)
    two_modes = toy.ring(800, seed=2)[np.arange(800) % 8 < 2]  # modes 0 and 1 only
    # mode 3 dense, plus a sprinkling of 1% of the points on every other mode: 1 mode covered at 2%
    sprinkled = np.concatenate([np.repeat(centres[3:4], 930, 0) + 0.03 * rng.standard_normal((930, 2)),
                                np.repeat(np.delete(centres, 3, 0), 10, 0)]).astype(np.float32)
    # modes 0-3 get points at 2 sigma from their centres (they count), modes 4-7 at 4 sigma (they do not)
    angles = 2 * np.pi * np.arange(8) / 8
    near = centres + 2 * toy.RING_STD * np.stack([np.cos(angles + 1), np.sin(angles + 1)], 1)
    far = centres[4:] + 4 * toy.RING_STD * np.stack([np.cos(angles[4:]), np.sin(angles[4:])], 1)
    near_and_far = np.concatenate([np.repeat(near[:4], 25, 0), np.repeat(far, 25, 0)]).astype(np.float32)
    blob = toy.gaussian(500, seed=3, std=0.3)  # all in the middle of the ring: nothing covered
    return [("the ring itself", full), ("modes 0 and 1", two_modes), ("one dense mode plus 1% on the others", sprinkled),
            ("points at 2 and at 4 sigma", near_and_far), ("a blob at the origin", blob)]


def check_mode_count(count_modes: Callable[[np.ndarray], int]) -> str:
    """Exercise 2: a hand-written count of the ring's covered modes.

    ``count_modes(points)`` takes ``(N, 2)`` points and returns how many of the 8 ring modes are
    covered: a point belongs to a mode when it lies within 3 sigma (3 x 0.05) of the mode's centre,
    and a mode is covered when at least 2% of all points belong to it. The check compares the answer
    with :func:`gan_lib.toy.mode_coverage` on five point sets.

    Raises:
        AssertionError: the count differs on one of the sets (the hint names the set).
    """
    centres = toy.ring_centres()
    for name, points in _test_sets():
        expected = toy.mode_coverage(points, centres).covered
        got = count_modes(points.copy())
        assert int(got) == expected, (
            f"on {name} you count {got} covered modes, expected {expected}: "
            "within 3 sigma = 0.15 of a centre, and at least 2% of ALL points per mode")
    return "your mode count agrees with gan_lib.toy.mode_coverage on all 5 point sets"


def check_gradient_ratio(answer: float, d_of_fake: float = 0.01) -> str:
    """Exercise 3: how many times smaller the saturating loss's gradient is than the non-saturating one's.

    With respect to D's logit s, |d log(1 - D)/ds| = D and |d(-log D)/ds| = 1 - D, so the ratio
    (non-saturating / saturating) is (1 - D) / D.

    Raises:
        AssertionError: ``answer`` more than 1% away from (1 - D) / D.
    """
    d = float(d_of_fake)
    ratio = (1 - d) / d
    if abs(answer - ratio) > 0.01 * ratio:
        if abs(answer - 1 / d) <= 0.01 / d:
            raise AssertionError(f"{answer:g} is 1/D; the non-saturating gradient is 1 - D, not 1: divide (1 - D) by D")
        if abs(answer * ratio - 1) <= 0.01:
            raise AssertionError(f"{answer:g} is the ratio upside down: the saturating gradient is the SMALLER one")
        raise AssertionError(f"{answer:g} is not it: write both gradients with respect to the logit s, then divide")
    return f"right: at D(G(z)) = {d:g} the saturating gradient is (1 - D)/D = {ratio:.4g} times smaller"


def check_collapsed_d_star(covered: float, uncovered: float) -> str:
    """Exercise 4: D* at a mode's centre when G puts all its points, equally, on 2 of the 8 ring modes.

    Each data mode holds 1/8 of p_data and each covered mode 1/2 of p_g, with the same shape, so at a
    covered centre D* = (1/8) / (1/8 + 1/2) = 0.2, and at an uncovered centre (p_g = 0) D* = 1.

    Raises:
        AssertionError: either value more than 0.01 away.
    """
    if abs(covered - 0.2) > 0.01:
        if abs(covered - 0.5) <= 0.01:
            raise AssertionError("0.5 would need p_g = p_data there; G piles 1/2 of its points on a mode that holds 1/8 of the data")
        raise AssertionError(f"{covered:g} at a covered centre: D* = p_data / (p_data + p_g) with p_data ~ 1/8 and p_g ~ 1/2 there")
    if abs(uncovered - 1.0) > 0.01:
        raise AssertionError(f"{uncovered:g} at an uncovered centre: there p_g = 0, so D* = p_data / p_data")
    return "right: D* = 0.2 on the 2 modes G piles onto (D says 'fake'), 1 on the 6 it left (D says 'real')"


def check_two_moons(points: np.ndarray, seed: int = 0) -> str:
    """Exercise 1: generated points for the two-moons data set.

    Compares ``points`` with 2,000 points of :func:`gan_lib.toy.two_moons`: at least 80% of the
    generated points must lie within 0.2 of a real point (on the data), and each moon must get at
    least 25% of the generated points that are on the data (both moons, not one).

    Args:
        points: ``(N, 2)`` generated points, N >= 200 (e.g. ``generator(z).numpy()`` for 2,000 z).

    Raises:
        AssertionError: wrong shape, too few points on the data, or one moon (nearly) empty.
    """
    points = np.asarray(points, np.float64)
    assert points.ndim == 2 and points.shape[1] == 2 and len(points) >= 200, (
        f"expected (N, 2) points with N >= 200, e.g. generator(z).numpy() for 2,000 z; got shape {points.shape}")
    real = toy.two_moons(2000, seed=seed).astype(np.float64)
    upper = np.arange(len(real)) % 2 == 0  # two_moons: even rows on the upper moon
    distances = np.linalg.norm(points[:, None, :] - real[None, :, :], axis=-1)  # (N, 2000)
    nearest = distances.argmin(axis=1)
    on_data = distances.min(axis=1) <= 0.2
    share = float(on_data.mean())
    assert share >= 0.8, f"only {share:.0%} of your points lie within 0.2 of the moons (need 80%): train longer?"
    upper_share = float(upper[nearest[on_data]].mean())
    assert 0.25 <= upper_share <= 0.75, (
        f"{upper_share:.0%} of the points on the data sit on the upper moon: the generator covers one moon only (mode collapse)")
    return f"{share:.0%} of the points lie on the moons, {upper_share:.0%} of them on the upper moon"
