"""The conditional widget, driven headlessly (set ``.value``, call ``.click()``)."""

import imageio.v3 as iio
import keras
import numpy as np
import pytest

from gan_lib.conditional import build_conditional_generator
from gan_lib.conditional_explorer import ConditionalExplorer, conditional_generate, style_directions

LATENT_DIM = 8


@pytest.fixture(scope="module")
def generator():
    keras.utils.set_random_seed(0)
    generator = build_conditional_generator(latent_dim=LATENT_DIM)
    embedding = generator.get_layer("label_embedding")
    # an untrained embedding is near zero (uniform +-0.05); widen it so labels visibly differ
    embedding.set_weights([np.random.default_rng(1).standard_normal((10, 50)).astype(np.float32)])
    return generator


@pytest.fixture(scope="module")
def directions(generator):
    return style_directions(generator, k=2, n=200, seed=0)[0]


def decode(png):
    return iio.imread(png, extension=".png")


def test_every_control_changes_the_frame_and_frames_decode_to_the_right_size(generator):
    explorer = ConditionalExplorer(generator, k=2, seed=0, scale=3)  # directions computed by the widget
    frames = [explorer.image.value]
    explorer.digit.value = 7
    frames.append(explorer.image.value)
    explorer.sliders[0].value = 4.0
    frames.append(explorer.image.value)
    explorer.sliders[1].value = -4.0
    frames.append(explorer.image.value)
    explorer.new_style.click()
    frames.append(explorer.image.value)
    assert len(set(frames)) == len(frames), "each change must redraw a different frame"
    for png in frames:
        pixels = decode(png)
        assert pixels.shape == (84, 84) and pixels.dtype == np.uint8
    assert all(slider.value == 0.0 for slider in explorer.sliders)  # a new style starts at the new z itself
    assert explorer.digit.value == 7  # ... of the same digit
    assert explorer._repr_mimebundle_()["image/png"] == explorer.image.value  # the static frame for viewers without widgets


def test_the_frame_is_the_generator_output_for_the_digit_and_moved_z(generator, directions):
    explorer = ConditionalExplorer(generator, directions, seed=0, scale=1)
    explorer.digit.value = 3
    explorer.sliders[1].value = 2.5
    z = explorer.z + 2.5 * explorer.directions[1]
    expected = conditional_generate(generator, z[None], np.array([3]))[0, :, :, 0]
    assert np.abs(decode(explorer.image.value).astype(int) - np.rint((expected + 1) * 127.5)).max() <= 1


def test_same_seed_gives_identical_bytes(generator, directions):
    first, second = ConditionalExplorer(generator, directions, seed=5), ConditionalExplorer(generator, directions, seed=5)
    assert first.image.value == second.image.value
    for explorer in (first, second):
        explorer.digit.value = 4
        explorer.new_style.click()
    assert first.image.value == second.image.value
    assert ConditionalExplorer(generator, directions, seed=6).image.value != ConditionalExplorer(generator, directions, seed=5).image.value


def test_style_directions_are_unit_vectors_sorted_by_variance(generator):
    directions, explained = style_directions(generator, k=3, n=200, seed=0)
    assert directions.shape == (3, LATENT_DIM) and directions.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(directions, axis=1), 1.0, atol=1e-5)
    assert np.all(np.diff(explained) <= 0) and 0 < explained.sum() <= 1


def test_bad_input_is_named(generator):
    with pytest.raises(ValueError, match="directions must be"):
        ConditionalExplorer(generator, directions=np.zeros((2, LATENT_DIM + 1)))
    with pytest.raises(ValueError, match="labels must be"):
        conditional_generate(generator, np.zeros((2, LATENT_DIM), np.float32), np.array([1.0, 2.0]))
    with pytest.raises(ValueError, match="z must have shape"):
        conditional_generate(generator, np.zeros((2, 3), np.float32), np.array([1, 2]))
