"""gan_lib.latent: interpolation and principal latent directions (pure NumPy, no model)."""

import numpy as np
import pytest

from gan_lib.latent import interpolate, lerp, move, principal_directions, slerp


@pytest.fixture
def ends():
    rng = np.random.default_rng(0)
    return rng.standard_normal(100).astype(np.float32), rng.standard_normal(100).astype(np.float32)


def test_lerp_and_slerp_agree_at_the_end_points_and_differ_in_between(ends):
    z0, z1 = ends
    t = np.linspace(0, 1, 9)
    a, b = lerp(z0, z1, t), slerp(z0, z1, t)
    assert a.shape == b.shape == (9, 100) and a.dtype == b.dtype == np.float32
    for path in (a, b):
        np.testing.assert_allclose(path[0], z0, atol=1e-5)
        np.testing.assert_allclose(path[-1], z1, atol=1e-5)
    assert np.all(np.linalg.norm(a[1:-1] - b[1:-1], axis=1) > 0.1)


def test_lerp_is_the_weighted_average(ends):
    z0, z1 = ends
    np.testing.assert_allclose(lerp(z0, z1, 0.25)[0], 0.75 * z0 + 0.25 * z1, rtol=1e-5, atol=1e-6)


def test_slerp_keeps_the_norm_where_lerp_sags():
    rng = np.random.default_rng(1)
    z0, z1 = rng.standard_normal((2, 100))
    z1 *= np.linalg.norm(z0) / np.linalg.norm(z1)  # equal norms: slerp stays on that sphere
    t = np.linspace(0, 1, 11)
    np.testing.assert_allclose(np.linalg.norm(slerp(z0, z1, t), axis=1), np.linalg.norm(z0), rtol=1e-5)
    mid = np.linalg.norm(lerp(z0, z1, 0.5)[0])
    assert mid < 0.8 * np.linalg.norm(z0)  # near-orthogonal Gaussian vectors: about 1/sqrt(2)


def test_slerp_follows_the_arc_by_angle():
    z0, z1 = np.array([1.0, 0.0]), np.array([0.0, 1.0])
    np.testing.assert_allclose(slerp(z0, z1, 1 / 3)[0], [np.cos(np.pi / 6), np.sin(np.pi / 6)], atol=1e-6)


def test_slerp_of_parallel_vectors_falls_back_to_lerp():
    z0 = np.arange(1, 5, dtype=np.float32)
    np.testing.assert_allclose(slerp(z0, 2 * z0, [0.0, 0.5, 1.0]), lerp(z0, 2 * z0, [0.0, 0.5, 1.0]), rtol=1e-6)


def test_bad_inputs_are_named():
    with pytest.raises(ValueError, match="same length"):
        lerp(np.zeros(3), np.zeros(4), 0.5)
    with pytest.raises(ValueError, match="non-zero"):
        slerp(np.zeros(3), np.ones(3), 0.5)
    with pytest.raises(ValueError, match="at least 2"):
        interpolate(np.ones(3), np.ones(3), 1)
    with pytest.raises(ValueError, match="unknown interpolation method"):
        interpolate(np.ones(3), np.ones(3), 4, "cubic")


def test_interpolate_gives_steps_points_with_both_ends(ends):
    z0, z1 = ends
    path = interpolate(z0, z1, 7, "lerp")
    assert path.shape == (7, 100)
    np.testing.assert_allclose(path[3], (z0 + z1) / 2, rtol=1e-5, atol=1e-6)


def test_principal_directions_recover_the_directions_that_drive_the_images():
    rng = np.random.default_rng(0)
    n, latent_dim = 2000, 10
    z = rng.standard_normal((n, latent_dim))
    u = np.eye(latent_dim)[3] + np.eye(latent_dim)[7]
    u /= np.linalg.norm(u)  # the strong latent direction
    w = np.eye(latent_dim)[0]  # a weaker one
    patterns = rng.standard_normal((2, 64))
    patterns[1] -= patterns[1] @ patterns[0] / (patterns[0] @ patterns[0]) * patterns[0]  # orthogonal patterns
    patterns /= np.linalg.norm(patterns, axis=1, keepdims=True)
    images = 10 * (z @ u)[:, None] * patterns[0] + 3 * (z @ w)[:, None] * patterns[1]
    images += 0.1 * rng.standard_normal(images.shape)
    directions, explained = principal_directions(z, images.reshape(n, 8, 8), k=2)
    assert directions.shape == (2, latent_dim) and directions.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(directions, axis=1), 1.0, rtol=1e-5)
    assert abs(directions[0] @ u) > 0.99 and abs(directions[1] @ w) > 0.99
    assert explained[0] > explained[1] > 0 and explained.sum() <= 1.0


def test_principal_directions_reject_bad_shapes():
    with pytest.raises(ValueError, match="one row per image"):
        principal_directions(np.zeros((10, 4)), np.zeros((9, 8, 8)), k=2)
    with pytest.raises(ValueError, match="1 <= k < N"):
        principal_directions(np.zeros((3, 4)), np.zeros((3, 8, 8)), k=3)


def test_move_adds_the_weighted_directions():
    z = np.zeros(4, np.float32)
    directions = np.eye(2, 4, dtype=np.float32)
    np.testing.assert_allclose(move(z, directions, [2.0, -1.0]), [2.0, -1.0, 0.0, 0.0])
    with pytest.raises(ValueError, match="directions"):
        move(z, directions, [1.0])
