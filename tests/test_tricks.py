"""The tricks of lesson 08 as switches: EMA, TTUR, DiffAugment, spectral norm, hinge loss, widths."""

import dataclasses
import json

import keras
import numpy as np
import pytest
import tensorflow as tf

from gan_lib.cli import main
from gan_lib.diffaugment import DiffAugment, cutout_mask, parse_policy, translate
from gan_lib.ema import average_copy, ema_decay_at, update_average
from gan_lib.gan import GAN
from gan_lib.losses import hinge_discriminator_loss, hinge_generator_loss
from gan_lib.models import build_dcgan_discriminator, build_models
from gan_lib.training import TrainConfig, train


def tiny_config(epochs, **tricks):
    # 256 images / 64 = 4 steps per epoch, 2 per call into TensorFlow
    return TrainConfig(model="dcgan", epochs=epochs, batch_size=64, latent_dim=16, save_every=1, steps_per_execution=2,
                       **tricks)


def test_ema_decay_warms_up_then_holds():
    assert float(ema_decay_at(0, 0.999)) == pytest.approx(0.1)
    assert float(ema_decay_at(90, 0.999)) == pytest.approx(91 / 100)
    assert float(ema_decay_at(100_000, 0.999)) == pytest.approx(0.999)


def test_ema_update_equals_the_average_computed_by_hand():
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2), keras.layers.BatchNormalization()])
    average = average_copy(model)
    expected = [w.copy() for w in model.get_weights()]
    rng = np.random.default_rng(0)
    for step, decay in enumerate([0.1, 0.5, 0.9]):
        new = [rng.normal(size=w.shape).astype(np.float32) for w in expected]
        model.set_weights(new)
        update_average(average, model, decay)
        expected = [decay * e + (1 - decay) * n for e, n in zip(expected, new)]
    for got, want in zip(average.get_weights(), expected):  # BatchNorm's moving statistics included
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
    assert not average.trainable


def test_ema_generator_differs_from_the_trained_one_and_is_what_the_run_saves(tmp_path, idx_folder):
    result = train(tmp_path / "run", tiny_config(2, ema=0.9), data_dir=idx_folder, verbose=0)
    gan = result["gan"]
    assert gan.sample_generator is gan.ema_generator
    raw, ema = gan.generator.get_weights(), gan.ema_generator.get_weights()
    assert any(not np.allclose(a, b) for a, b in zip(raw, ema))
    saved = keras.models.load_model(tmp_path / "run" / "generator.keras")
    for a, b in zip(saved.get_weights(), ema):
        np.testing.assert_array_equal(a, b)


def test_resume_of_an_ema_run_is_bit_exact(tmp_path, idx_folder):
    whole = train(tmp_path / "whole", tiny_config(2, ema=0.9, diffaugment="translation,cutout"),
                  data_dir=idx_folder, verbose=0)["gan"]
    train(tmp_path / "parts", tiny_config(1, ema=0.9, diffaugment="translation,cutout"), data_dir=idx_folder, verbose=0)
    parts = train(tmp_path / "parts", tiny_config(2, ema=0.9, diffaugment="translation,cutout"), resume=True,
                  data_dir=idx_folder, verbose=0)["gan"]
    for a, b in zip(whole.ema_generator.get_weights(), parts.ema_generator.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)  # measured: equal
    for a, b in zip(whole.discriminator.get_weights(), parts.discriminator.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)


def test_resume_refuses_to_drop_the_ema(tmp_path, idx_folder):
    train(tmp_path / "run", tiny_config(1, ema=0.9), data_dir=idx_folder, verbose=0)
    with pytest.raises(ValueError, match="--resume: ema is None but the run .* used 0.9; pass --ema 0.9"):
        train(tmp_path / "run", tiny_config(2), resume=True, data_dir=idx_folder, verbose=0)


def test_ttur_gives_each_network_its_own_learning_rate(tmp_path, idx_folder):
    gan = train(tmp_path / "run", tiny_config(1, g_learning_rate=4e-4, d_learning_rate=1e-4), data_dir=idx_folder,
                verbose=0)["gan"]
    assert float(gan.g_optimizer.learning_rate) == pytest.approx(4e-4)
    assert float(gan.d_optimizer.learning_rate) == pytest.approx(1e-4)


def test_the_dcgan_generator_learns_twice_as_fast_by_default(tmp_path, idx_folder):
    # The measured default (README "Tricks, measured"): G at 2x the rate, for the DCGAN only.
    assert (TrainConfig().g_lr, TrainConfig().d_lr) == (pytest.approx(4e-4), pytest.approx(2e-4))
    assert TrainConfig(learning_rate=1e-4).g_lr == pytest.approx(2e-4)
    for model in ("mlp", "cgan", "wgan-gp"):
        assert TrainConfig(model=model).g_lr == TrainConfig(model=model).d_lr == pytest.approx(2e-4)
    assert TrainConfig(g_learning_rate=2e-4).g_lr == pytest.approx(2e-4)  # equal rates on request
    gan = train(tmp_path / "run", tiny_config(1), data_dir=idx_folder, verbose=0)["gan"]
    assert float(gan.g_optimizer.learning_rate) == pytest.approx(4e-4)
    assert float(gan.d_optimizer.learning_rate) == pytest.approx(2e-4)
    saved = json.loads((tmp_path / "run" / "config.json").read_text())
    assert (saved["g_lr"], saved["d_lr"]) == (pytest.approx(4e-4), pytest.approx(2e-4))


def test_translation_shifts_and_fills_with_the_background():
    images = np.full((2, 28, 28, 1), -1.0, np.float32)
    images[:, 10, 12, 0] = 1.0
    out = translate(tf.constant(images), tf.constant([3, -2]), tf.constant([-1, 0])).numpy()
    assert out[0, 13, 11, 0] == 1.0 and out[1, 8, 12, 0] == 1.0
    assert (out == 1.0).sum() == 2 and set(np.unique(out)) == {-1.0, 1.0}
    edge = translate(tf.ones((1, 28, 28, 1)), tf.constant([2]), tf.constant([0])).numpy()
    assert (edge[0, :2] == -1).all() and (edge[0, 2:] == 1).all()  # rows shifted in are background


def test_cutout_blanks_one_square_of_the_given_size():
    mask = cutout_mask(tf.constant([14, 0]), tf.constant([14, 27]), 28, 28, 14).numpy()
    assert mask.shape == (2, 28, 28, 1)
    assert (mask[0] == 0).sum() == 14 * 14
    assert (mask[1] == 0).sum() == 7 * 8  # clipped at the corner: rows 0..6, columns 20..27


def test_diffaugment_keeps_shape_and_is_differentiable():
    augment = DiffAugment("translation,cutout", seed=0)
    x = tf.Variable(tf.random.uniform((8, 28, 28, 1), -1, 1))
    with tf.GradientTape() as tape:
        y = augment(x)
        loss = tf.reduce_sum(y * tf.random.normal(y.shape))
    assert y.shape == x.shape
    grad = tape.gradient(loss, x)
    assert grad is not None and float(tf.reduce_sum(tf.abs(grad))) > 0
    assert float(tf.reduce_min(y)) >= -1.0 and float(tf.reduce_max(y)) <= 1.0
    assert not np.allclose(augment(x).numpy(), augment(x).numpy())  # fresh randomness each call


def test_bad_policy_names_the_known_ones():
    assert parse_policy("translation, cutout") == ("translation", "cutout")
    with pytest.raises(ValueError, match="use a comma-separated list of translation, cutout"):
        parse_policy("flip")


def test_spectral_norm_keeps_each_layers_largest_singular_value_near_one():
    keras.utils.set_random_seed(0)
    discriminator = build_dcgan_discriminator(spectral_norm=True)
    x = tf.random.uniform((16, 28, 28, 1), -1, 1)
    for _ in range(30):  # one power iteration per training call
        discriminator(x, training=True)
    wrapped = [layer for layer in discriminator.layers if isinstance(layer, keras.layers.SpectralNormalization)]
    assert len(wrapped) == 3
    assert not any(isinstance(layer, keras.layers.BatchNormalization) for layer in discriminator.layers)
    for layer in wrapped:
        kernel = layer.layer.kernel.numpy()
        sigma = np.linalg.svd(kernel.reshape(-1, kernel.shape[-1]), compute_uv=False)[0]
        assert sigma == pytest.approx(1.0, abs=0.05), layer.name


def test_hinge_losses():
    real, fake = tf.constant([[2.0], [0.5]]), tf.constant([[-3.0], [0.0]])
    np.testing.assert_allclose(hinge_discriminator_loss(real, fake).numpy(), [0.0, 1.5])
    np.testing.assert_allclose(hinge_generator_loss(fake).numpy(), [3.0, 0.0])


def test_hinge_gan_trains_and_unknown_loss_is_refused():
    gan = GAN(*build_models("dcgan", 16, g_filters=(16, 8), d_filters=(16, 32)), seed=0)
    with pytest.raises(ValueError, match="unknown loss 'wasserstein'"):
        gan.compile(keras.optimizers.Adam(), keras.optimizers.Adam(), loss="wasserstein")
    gan.compile(keras.optimizers.Adam(2e-4, beta_1=0.5), keras.optimizers.Adam(2e-4, beta_1=0.5), loss="hinge")
    x = np.random.default_rng(0).uniform(-1, 1, (32, 28, 28, 1)).astype(np.float32)
    history = gan.fit(tf.data.Dataset.from_tensor_slices(x).batch(16), epochs=1, verbose=0).history
    assert np.isfinite(history["d_loss"][0]) and history["d_loss"][0] > 0
    assert gan.generator.layers[-2].output.shape[-1] == 8  # the width asked for


def test_cli_tricks_reach_the_config(tmp_path, capsys, idx_folder):
    run = tmp_path / "run"
    code = main(["train", "--max-images", "256", "--latent-dim", "16", "--epochs", "1", "--data-dir", str(idx_folder),
                 "--g-lr", "4e-4", "--d-lr", "1e-4", "--ema", "0.99", "--diffaugment", "translation",
                 "--spectral-norm", "--loss", "hinge", "--g-filters", "32,16", "--d-filters", "32,64", "--d-kernel", "3", "--out", str(run)])
    assert code == 0, capsys.readouterr().err
    saved = json.loads((run / "config.json").read_text())
    assert {k: saved[k] for k in ("g_learning_rate", "d_learning_rate", "ema", "diffaugment", "spectral_norm", "loss",
                                  "g_filters", "d_filters", "d_kernel")} == {
        "g_learning_rate": 4e-4, "d_learning_rate": 1e-4, "ema": 0.99, "diffaugment": "translation",
        "spectral_norm": True, "loss": "hinge", "g_filters": [32, 16], "d_filters": [32, 64], "d_kernel": 3}


@pytest.mark.parametrize("argv, message", [
    (["--ema", "1.5"], "ema must be a decay between 0 and 1"),
    (["--diffaugment", "flip"], "unknown DiffAugment policy 'flip'"),
    (["--model", "wgan-gp", "--loss", "hinge"], "WGAN-GP has its own loss"),
    (["--model", "mlp", "--spectral-norm"], "apply to --model dcgan only"),
    (["--model", "mlp", "--d-kernel", "3"], "apply to --model dcgan only"),
    (["--d-kernel", "0"], "argument --d-kernel: must be a positive integer"),
    (["--d-filters", "64"], "give two positive channel counts"),
    (["--g-filters", "64,32,16"], "give one or two positive channel counts"),
])
def test_bad_trick_settings_get_one_line_and_exit_2(tmp_path, capsys, argv, message):
    try:
        code = main(["train", *argv, "--out", str(tmp_path / "run")])
    except SystemExit as exit_:  # argparse's own checks
        code = exit_.code
    err = capsys.readouterr().err
    assert code == 2 and message in err and err.count("\n") == 1, err
    assert not (tmp_path / "run").exists()


def test_default_config_has_every_trick_documented_in_the_cli():
    fields = {f.name for f in dataclasses.fields(TrainConfig)}
    assert {"g_learning_rate", "d_learning_rate", "ema", "diffaugment", "spectral_norm", "loss", "g_filters",
            "d_filters", "d_kernel"} <= fields


MIRRORED_TRICKS = """
import numpy as np, tensorflow as tf, keras
cpu = tf.config.list_physical_devices("CPU")[0]
tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
from gan_lib.data import make_dataset
from gan_lib.gan import GAN
from gan_lib.models import build_models
from gan_lib.diffaugment import DiffAugment
strategy = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
with strategy.scope():
    generator, discriminator = build_models("dcgan", latent_dim=16)
    gan = GAN(generator, discriminator, seed=0, ema_decay=0.9, augment=DiffAugment("translation,cutout", seed=0))
    gan.compile(keras.optimizers.Adam(2e-4, beta_1=0.5), keras.optimizers.Adam(2e-4, beta_1=0.5), loss="hinge")
images = np.random.default_rng(0).integers(0, 256, (128, 28, 28), dtype=np.uint8)
history = gan.fit(make_dataset(images, 32, seed=0), epochs=2, verbose=0).history
raw, ema = gan.generator.get_weights(), gan.ema_generator.get_weights()
assert any(not np.allclose(a, b) for a, b in zip(raw, ema))
for v in gan.ema_generator.weights:
    if "moving_" in v.path:  # BatchNorm statistics are per replica in Keras 3 (each replica's own batch)
        continue
    copies = [c.numpy() for c in v.value.values]
    assert all(np.array_equal(copies[0], c) for c in copies)
print("MIRRORED EMA OK", history["d_loss"])
"""


def test_ema_diffaugment_and_hinge_train_under_mirrored_strategy():
    """Two logical CPUs: the EMA copy stays identical on both replicas and differs from the raw generator."""
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-c", MIRRORED_TRICKS], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "MIRRORED EMA OK" in result.stdout
