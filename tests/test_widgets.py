"""gan_lib.widgets, driven headlessly as a learner would: set ``.value``, call ``.click()``.

Runs under the main environment's ipywidgets 8 and, through ci/colab_check.sh, under Colab's
ipywidgets 7.7.1 (which sets GAN_LIB_EXPECT_IPYWIDGETS so a wrong environment fails loudly).
"""

import logging
import os

import imageio.v3 as iio
import ipywidgets
import keras
import matplotlib
import numpy as np
import pytest
from keras import layers

from gan_lib import widgets

matplotlib.use("Agg")

LATENT_DIM = 16


@pytest.fixture(scope="module")
def generator():
    """A tiny seeded generator, (B, 16) -> (B, 28, 28, 1) in [-1, 1]: fast, and its images depend on z."""
    keras.utils.set_random_seed(0)
    return keras.Sequential([keras.Input((LATENT_DIM,)), layers.Dense(28 * 28, activation="tanh"),
                             layers.Reshape((28, 28, 1))])


def decode(png: bytes) -> np.ndarray:
    return iio.imread(bytes(png))


def test_runs_on_the_expected_ipywidgets():
    major = int(ipywidgets.__version__.split(".")[0])
    assert major in (7, 8), ipywidgets.__version__
    expected = os.environ.get("GAN_LIB_EXPECT_IPYWIDGETS")
    if expected:
        assert ipywidgets.__version__ == expected


def test_png_bytes_tiles_and_upscales():
    images = np.zeros((6, 28, 28), np.uint8)
    images[1] = 255
    frame = decode(widgets.png_bytes(images, nrows=2, scale=3))
    assert frame.shape == ((2 * 29 - 1) * 3, (3 * 29 - 1) * 3) and frame.dtype == np.uint8
    assert frame[0:84, 29 * 3 : 29 * 3 + 84].min() == 255 and frame[0:84, 0:84].max() == 0  # tile 1 white, tile 0 black
    assert np.all(frame[0:84, 84:87] == 80)  # a dark-gray gap keeps black tiles apart


def test_sampler_buttons_seed_and_grid(generator):
    sampler = widgets.Sampler(generator, seed=0, grid_size=4, scale=2)
    first = bytes(sampler.image.value)
    assert decode(first).shape == ((4 * 29 - 1) * 2,) * 2
    assert sampler.z.shape == (16, LATENT_DIM)

    sampler.new_samples.click()
    assert sampler.seed.value == 1 and bytes(sampler.image.value) != first
    sampler.seed.value = 0
    assert bytes(sampler.image.value) == first  # a fixed seed gives identical images
    assert bytes(widgets.Sampler(generator, seed=0, grid_size=4, scale=2).image.value) == first

    sampler.grid_size.value = 8
    assert decode(sampler.image.value).shape == ((8 * 29 - 1) * 2,) * 2
    assert sampler.z.shape == (64, LATENT_DIM)


def test_latent_sliders_move_the_digit_and_reset(generator):
    explorer = widgets.LatentSliders(generator, seed=3, k=3, n_fit=300, scale=4)
    first = bytes(explorer.image.value)
    assert decode(first).shape == (28 * 4, 28 * 4)
    np.testing.assert_allclose(np.linalg.norm(explorer.directions, axis=1), 1.0, rtol=1e-5)
    assert np.all(np.diff(explorer.explained) <= 0)

    explorer.sliders[0].value = 2.5
    moved = bytes(explorer.image.value)
    assert moved != first
    explorer.sliders[1].value = -1.0
    assert bytes(explorer.image.value) not in (first, moved)
    explorer.reset.click()
    assert [s.value for s in explorer.sliders] == [0.0, 0.0, 0.0]
    assert bytes(explorer.image.value) == first

    explorer.seed.value = 4
    assert bytes(explorer.image.value) != first
    same = widgets.LatentSliders(generator, seed=3, k=3, n_fit=300, scale=4)
    assert bytes(same.image.value) == first
    np.testing.assert_array_equal(same.directions, explorer.directions)


def test_latent_sliders_on_coordinates_and_a_given_z(generator):
    z = np.random.default_rng(5).standard_normal(LATENT_DIM).astype(np.float32)
    explorer = widgets.LatentSliders(generator, z=z, k=2, directions="coordinates")
    np.testing.assert_array_equal(explorer.directions, np.eye(2, LATENT_DIM))
    assert explorer.seed.disabled
    np.testing.assert_array_equal(explorer.z, z)
    with pytest.raises(ValueError, match="'principal' or 'coordinates'"):
        widgets.LatentSliders(generator, directions="random")


def panels(png: bytes, scale: int) -> list[np.ndarray]:
    """start | current | end, each 28 * scale wide with a 1-pixel (scaled) gap."""
    frame = decode(png)
    width = 28 * scale
    return [frame[:, i * 29 * scale : i * 29 * scale + width] for i in range(3)]


def test_interpolation_ends_match_and_slerp_differs_from_lerp_in_between(generator):
    explorer = widgets.Interpolation(generator, seed=0, steps=9, scale=2)
    start, current, end = panels(explorer.image.value, 2)
    assert decode(explorer.image.value).shape == (56, (3 * 29 - 1) * 2)
    np.testing.assert_array_equal(current, start)  # step 0 is the start

    explorer.step.value = 8
    start, current, end = panels(explorer.image.value, 2)
    np.testing.assert_array_equal(current, end)
    explorer.method.value = "lerp"
    np.testing.assert_array_equal(panels(explorer.image.value, 2)[1], end)  # lerp and slerp agree at the ends

    explorer.step.value = 4
    lerp_middle = bytes(explorer.image.value)
    explorer.method.value = "slerp"
    assert bytes(explorer.image.value) != lerp_middle  # ... and differ in between
    assert not np.allclose(explorer.path[4], explorer.z0) and "step 4/8" in explorer.status.value


def test_interpolation_play_end_points_and_random(generator):
    candidates = np.random.default_rng(2).standard_normal((4, LATENT_DIM)).astype(np.float32)
    explorer = widgets.Interpolation(generator, candidates=candidates, start=0, end=3, steps=5)
    np.testing.assert_array_equal(explorer.z1, candidates[3])
    first = bytes(explorer.image.value)
    explorer.play.value = 2  # the play control drives the step slider
    assert explorer.step.value == 2 and bytes(explorer.image.value) != first

    explorer.end.value = 1
    np.testing.assert_array_equal(explorer.z1, candidates[1])
    picked = bytes(explorer.image.value)
    explorer.random_ends.click()
    assert bytes(explorer.image.value) != picked
    assert not np.array_equal(explorer.z0, candidates[0])

    with pytest.raises(ValueError, match="indices into the 4 candidates"):
        widgets.Interpolation(generator, candidates=candidates, start=0, end=4)
    again = widgets.Interpolation(generator, candidates=candidates, start=0, end=3, steps=5)
    again.random_ends.click()
    np.testing.assert_array_equal(again.z0, explorer.z0)  # seeded: the same random end points


def test_nearest_neighbours_finds_a_planted_copy(generator):
    planted = widgets.generate_uint8(generator, widgets.random_latent_vectors(1, LATENT_DIM, 7))  # what seed 7 draws
    rng = np.random.default_rng(0)
    train = np.concatenate([rng.integers(0, 256, (50, 28, 28), dtype=np.uint8), planted])
    explorer = widgets.NearestNeighbours(generator, train, seed=6, k=3, scale=2)
    first = bytes(explorer.image.value)
    assert decode(first).shape == (56, (4 * 29 - 1) * 2)
    assert explorer.distances.shape == (3,) and np.all(np.diff(explorer.distances) >= 0)

    explorer.new_digit.click()
    assert explorer.seed.value == 7 and bytes(explorer.image.value) != first
    assert explorer.indices[0] == 50 and explorer.distances[0] == pytest.approx(0.0, abs=1e-3)


def test_display_data_carries_the_widget_and_a_static_frame(generator, caplog):
    sampler = widgets.Sampler(generator, grid_size=2)
    with caplog.at_level(logging.WARNING):
        bundle = sampler._repr_mimebundle_(include=None, exclude=None)  # as IPython's display formatter calls it
    assert not caplog.records, "a display callback failed (ipywidgets 7 logs it instead of raising)"
    assert bundle["image/png"] == bytes(sampler.image.value)
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == sampler.model_id
    assert "text/plain" in bundle


def test_show_without_a_kernel_draws_a_static_figure(generator):
    explorer = widgets.Interpolation(generator, steps=3)
    fig = widgets.show(explorer)  # pytest runs without a Jupyter kernel
    assert isinstance(fig, matplotlib.figure.Figure)
    shown = fig.axes[0].images[0].get_array()
    np.testing.assert_array_equal(shown, decode(explorer.image.value))
    matplotlib.pyplot.close(fig)
