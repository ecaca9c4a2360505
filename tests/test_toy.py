"""gan_lib.toy, gan_lib.game2d and gan_lib.snapshots: the 2-D GAN of lesson 00."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from gan_lib import game2d, snapshots, toy
from gan_lib.gan import GAN
from gan_lib.losses import generator_loss, saturating_generator_loss


@pytest.mark.parametrize("name", sorted(toy.DATASETS))
def test_datasets_shape_dtype_and_seed(name):
    points = toy.DATASETS[name](1001, seed=3)
    assert points.shape == (1001, 2) and points.dtype == np.float32
    assert np.abs(points).max() < 3.0  # fits the lesson's extent
    np.testing.assert_array_equal(points, toy.DATASETS[name](1001, seed=3))
    assert not np.array_equal(points, toy.DATASETS[name](1001, seed=4))


def test_ring_modes_sit_on_their_centres():
    centres = toy.ring_centres(8, radius=2.0)
    np.testing.assert_allclose(centres[0], [2.0, 0.0], atol=1e-6)
    np.testing.assert_allclose(centres[2], [0.0, 2.0], atol=1e-6)
    np.testing.assert_allclose(np.linalg.norm(centres, axis=1), 2.0, atol=1e-6)
    points = toy.ring(8000, seed=0)
    for k in range(8):
        mode = points[k::8]
        np.testing.assert_allclose(mode.mean(axis=0), centres[k], atol=0.01)
        np.testing.assert_allclose(mode.std(axis=0), toy.RING_STD, rtol=0.1)


def test_gaussian_mean_and_std():
    points = toy.gaussian(20_000, seed=0, mean=(1.0, -1.0), std=0.5)
    np.testing.assert_allclose(points.mean(axis=0), [1.0, -1.0], atol=0.02)
    np.testing.assert_allclose(points.std(axis=0), [0.5, 0.5], rtol=0.03)


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="positive"):
        toy.ring(0)
    with pytest.raises(ValueError, match="shape"):
        toy.make_toy_dataset(np.zeros((10, 3)))
    with pytest.raises(ValueError, match="batch_size"):
        toy.make_toy_dataset(np.zeros((10, 2)), batch_size=64)


def test_mode_coverage_all_one_none():
    centres = toy.ring_centres()
    all_modes = toy.ring(800, seed=0)
    one_mode = toy.ring(800, seed=0)[::8]  # every 8th point: all from mode 0
    between = 2.0 * np.stack([np.cos(np.pi / 8 + np.pi / 4 * np.arange(8)), np.sin(np.pi / 8 + np.pi / 4 * np.arange(8))], 1)
    none = np.repeat(between, 50, axis=0)  # half-way between neighbouring modes
    assert toy.mode_coverage(all_modes, centres).covered == 8
    assert toy.mode_coverage(all_modes, centres).on_modes > 0.97
    result = toy.mode_coverage(one_mode, centres)
    assert result.covered == 1 and result.shares[0] > 0.97 and result.shares[1:].sum() == 0
    assert toy.mode_coverage(none, centres).covered == 0 and toy.mode_coverage(none, centres).on_modes == 0


def test_mode_coverage_threshold():
    centres = toy.ring_centres()
    points = np.concatenate([np.repeat(centres[:1], 99, 0), centres[1:2]])  # mode 1 holds 1% of the points
    assert toy.mode_coverage(points, centres, min_share=0.02).covered == 1
    assert toy.mode_coverage(points, centres, min_share=0.01).covered == 2


def test_builders_shapes_and_parameter_counts():
    generator, discriminator = toy.build_toy_generator(2), toy.build_toy_discriminator()
    assert generator.output_shape == (None, 2) and discriminator.output_shape == (None, 1)
    assert generator.count_params() == 17_154 and discriminator.count_params() == 17_025


@pytest.fixture(scope="module")
def discriminator():
    keras.utils.set_random_seed(0)
    return toy.build_toy_discriminator(hidden=16)


@pytest.mark.parametrize("loss_fn", [generator_loss, saturating_generator_loss])
def test_gradient_field_equals_gradient_tape_point_by_point(discriminator, loss_fn):
    # not the origin: with zero initial biases every ReLU there sits at its kink
    points = np.array([[0.1, 0.2], [1.5, -0.5], [-2.0, 2.0], [0.3, 2.7]], np.float32)
    field = game2d.generator_gradient_field(discriminator, points, loss_fn)
    assert field.shape == (4, 2)
    for point, gradient in zip(points, field):
        x = tf.constant(point[None])
        with tf.GradientTape() as tape:
            tape.watch(x)
            loss = loss_fn(discriminator(x, training=False))[0]
        np.testing.assert_allclose(gradient, tape.gradient(loss, x).numpy()[0], rtol=1e-5, atol=1e-7)
        # and a central finite difference, which knows nothing about tapes
        h = 1e-2
        numeric = [(float(loss_fn(discriminator((point + h * e)[None]))[0]) - float(loss_fn(discriminator((point - h * e)[None]))[0])) / (2 * h)
                   for e in np.eye(2, dtype=np.float32)]
        np.testing.assert_allclose(gradient, numeric, rtol=0.05, atol=1e-4)


def test_discriminator_map_and_optimal_discriminator(discriminator):
    d_map = game2d.discriminator_map(discriminator, resolution=7)
    assert d_map.shape == (7, 7) and 0 <= d_map.min() and d_map.max() <= 1
    logit = discriminator(np.array([[-3.0, 3.0]], np.float32))  # grid row 6 (y max), column 0 (x min)
    np.testing.assert_allclose(d_map[6, 0], tf.sigmoid(logit).numpy()[0, 0], rtol=1e-5)
    np.testing.assert_allclose(game2d.optimal_discriminator([3.0, 1.0], [1.0, 1.0], eps=0), [0.75, 0.5])
    assert game2d.optimal_discriminator([0.0], [0.0])[0] == 0.5  # eps: no mass anywhere -> 1/2


def test_kde_density_integrates_to_one():
    grid = game2d.grid_points((-3, 3, -3, 3), 121)
    density = game2d.kde_density(toy.gaussian(200, seed=0, std=0.5), grid, bandwidth=0.2)
    assert abs(density.sum() * (6 / 120) ** 2 - 1) < 0.02


def test_gan_fit_on_toy_data_records_snapshots():
    keras.utils.set_random_seed(0)
    gan = toy.SaturatingGAN(toy.build_toy_generator(2, hidden=16), toy.build_toy_discriminator(hidden=16), seed=0)
    gan.compile(keras.optimizers.Adam(1e-3), keras.optimizers.Adam(1e-3), real_label=1.0, steps_per_execution=5)
    recorder = snapshots.SnapshotRecorder(np.zeros((10, 2), np.float32), every=10, resolution=9,
                                          loss_fn=saturating_generator_loss)
    history = gan.fit(toy.make_toy_dataset(toy.ring(512), 64), epochs=2, steps_per_epoch=15, verbose=0, callbacks=[recorder])
    assert np.isfinite(history.history["g_loss"]).all() and max(history.history["g_loss"]) <= 0  # log(1 - D) <= 0
    assert [s.step for s in recorder.snapshots] == [0, 10, 20, 30]
    assert recorder.snapshots[-1].d_map.shape == (9, 9) and recorder.snapshots[-1].fake.shape == (10, 2)
    assert set(recorder.snapshots[-1].logs) >= {"d_loss", "g_loss"}


def test_snapshot_player_and_gif(tmp_path, discriminator):
    generator = toy.build_toy_generator(2, hidden=8)
    shots = [snapshots.take_snapshot(generator, discriminator, np.eye(2, dtype=np.float32), step=s, resolution=9) for s in (0, 5, 9)]
    player = snapshots.SnapshotPlayer(shots, real=toy.ring(64))
    assert len(set(player.frames)) == 3  # the step in each title differs
    player.play.value = 2  # what the Play button does: the linked slider follows, the frame changes
    assert player.slider.value == 2 and player.image.value == player.frames[2] and player.label.value == "step 9"
    bundle = player._repr_mimebundle_(include=None, exclude=None)  # as IPython's display formatter calls it
    assert bundle["image/png"] == player.frames[2] and "application/vnd.jupyter.widget-view+json" in bundle
    import imageio.v3 as iio

    gif = iio.imread(snapshots.save_snapshot_gif(shots, tmp_path / "game.gif"), index=None)
    assert gif.shape[0] == 3 and gif.shape[1] == gif.shape[2] > 200
