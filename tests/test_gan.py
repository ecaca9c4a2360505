import subprocess
import sys
import textwrap

import keras
import numpy as np
import pytest

from gan_lib.callbacks import TrainingCheckpoint
from gan_lib.data import make_dataset
from gan_lib.gan import GAN
from gan_lib.models import build_models
from gan_lib.generation import generate
from gan_lib.latent import random_latent_vectors


def make_gan(model="dcgan", seed=0, real_label=0.9):
    keras.utils.set_random_seed(seed)
    generator, discriminator = build_models(model, latent_dim=16)
    gan = GAN(generator, discriminator, seed=seed)
    gan.compile(keras.optimizers.Adam(2e-4, beta_1=0.5), keras.optimizers.Adam(2e-4, beta_1=0.5), real_label=real_label)
    return gan


def real_batch(n=16, seed=0):
    return np.random.default_rng(seed).uniform(-1, 1, (n, 28, 28, 1)).astype(np.float32)


def snapshot(variables):
    return [v.numpy().copy() for v in variables]


def changed(before, variables):
    return [not np.array_equal(a, v.numpy()) for a, v in zip(before, variables)]


def unchanged_except_batchnorm_statistics(before, weights):
    """All weights unchanged, except BatchNorm moving mean/variance (inference-only running averages)."""
    moved = [w.path for a, w in zip(before, weights) if not np.array_equal(a, w.numpy())]
    assert all(not w.trainable for w in weights if w.path in moved)
    return all(path.rsplit("/", 1)[-1] in ("moving_mean", "moving_variance") for path in moved)


@pytest.mark.parametrize("model", ["mlp", "dcgan"])
def test_discriminator_step_leaves_generator_weights_unchanged(model):
    gan = make_gan(model)
    g_before, d_before = snapshot(gan.generator.weights), snapshot(gan.discriminator.trainable_weights)
    logs = gan.train_discriminator(real_batch())
    assert unchanged_except_batchnorm_statistics(g_before, gan.generator.weights)
    assert all(changed(d_before, gan.discriminator.trainable_weights))
    assert all(np.isfinite(float(v)) for v in logs.values())
    assert 0 <= float(logs["d_acc_real"]) <= 1


@pytest.mark.parametrize("model", ["mlp", "dcgan"])
def test_generator_step_leaves_discriminator_weights_unchanged(model):
    gan = make_gan(model)
    g_before, d_before = snapshot(gan.generator.trainable_weights), snapshot(gan.discriminator.weights)
    g_loss = gan.train_generator(16)
    assert unchanged_except_batchnorm_statistics(d_before, gan.discriminator.weights)
    assert all(changed(g_before, gan.generator.trainable_weights))
    assert np.isfinite(float(g_loss))


def test_train_step_logs_finite_losses():
    gan = make_gan("dcgan")
    logs = gan.train_step(real_batch())
    assert set(logs) == {"d_loss", "g_loss", "d_acc_real", "d_acc_fake"}
    assert all(np.isfinite(float(v)) for v in logs.values())
    # An untrained D has logits near 0: d_loss near 2 ln 2 (two BCE terms), g_loss near ln 2.
    assert 0.8 < float(logs["d_loss"]) < 2.5 and 0.3 < float(logs["g_loss"]) < 1.5


def test_compile_refuses_bad_real_label():
    with pytest.raises(ValueError, match="real_label"):
        make_gan(real_label=0.3)


def first_epoch_losses(seed):
    gan = make_gan("dcgan", seed=seed)
    images = np.random.default_rng(1).integers(0, 256, (128, 28, 28), dtype=np.uint8)
    history = gan.fit(make_dataset(images, 32, seed=seed), epochs=1, verbose=0, shuffle=False)
    return history.history


def test_same_seed_gives_same_first_epoch_losses():
    first, again, other = first_epoch_losses(7), first_epoch_losses(7), first_epoch_losses(8)
    for key in ("d_loss", "g_loss"):
        np.testing.assert_allclose(first[key], again[key], rtol=1e-6)
    assert first["d_loss"] != other["d_loss"]


def test_generator_file_round_trip_gives_identical_samples(tmp_path):
    gan = make_gan("dcgan")
    gan.train_step(real_batch())  # move BN statistics off their initial values
    z = random_latent_vectors(8, 16, seed=3)
    path = tmp_path / "generator.keras"
    gan.generator.save(path)
    loaded = keras.models.load_model(path, compile=False, safe_mode=True)
    np.testing.assert_array_equal(generate(gan.generator, z), generate(loaded, z))


def test_training_checkpoint_restores_models_optimizers_and_epoch(tmp_path):
    gan = make_gan("dcgan")
    checkpoint = TrainingCheckpoint(gan, tmp_path / "ckpt")
    assert checkpoint.restore() == 0  # nothing saved yet
    for _ in range(2):
        gan.train_step(real_batch())
    checkpoint.set_model(gan)
    checkpoint.on_epoch_end(4)
    saved = snapshot(gan.variables) + snapshot(gan.d_optimizer.variables) + snapshot(gan.g_optimizer.variables)

    fresh = make_gan("dcgan", seed=1)
    restored = TrainingCheckpoint(fresh, tmp_path / "ckpt")
    assert restored.restore() == 5
    now = snapshot(fresh.variables) + snapshot(fresh.d_optimizer.variables) + snapshot(fresh.g_optimizer.variables)
    assert len(now) == len(saved)
    for a, b in zip(saved, now):
        np.testing.assert_array_equal(a, b)
    assert int(fresh.g_optimizer.iterations.numpy()) == 2


MIRRORED_SCRIPT = textwrap.dedent(
    """
    import numpy as np, tensorflow as tf, keras
    cpu = tf.config.list_physical_devices("CPU")[0]
    tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
    from gan_lib.data import make_dataset
    from gan_lib.gan import GAN
    from gan_lib.models import build_models

    strategy = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
    assert strategy.num_replicas_in_sync == 2
    with strategy.scope():
        generator, discriminator = build_models("dcgan", latent_dim=16)
        gan = GAN(generator, discriminator, seed=0)
        gan.compile(keras.optimizers.Adam(2e-4, beta_1=0.5), keras.optimizers.Adam(2e-4, beta_1=0.5))
    before = [v.numpy().copy() for v in gan.generator.trainable_variables + gan.discriminator.trainable_variables]
    images = np.random.default_rng(0).integers(0, 256, (128, 28, 28), dtype=np.uint8)
    history = gan.fit(make_dataset(images, 32, seed=0), epochs=2, verbose=0, shuffle=False).history
    after = gan.generator.trainable_variables + gan.discriminator.trainable_variables
    assert all(not np.array_equal(a, v.numpy()) for a, v in zip(before, after)), "some weights did not train"
    for v in after:  # every replica holds the same value after the all-reduce
        copies = [c.numpy() for c in v.value.values]
        assert len(copies) == 2 and all(np.array_equal(copies[0], c) for c in copies)
    # Losses are per-example means, not halved by the two replicas.
    assert all(np.isfinite(history[k]).all() for k in history)
    assert 0.8 < history["d_loss"][0] < 2.5 and 0.3 < history["g_loss"][0] < 1.5, history
    print("MIRRORED OK", history["d_loss"], history["g_loss"])
    """
)


def test_mirrored_strategy_on_two_logical_cpus():
    # A subprocess: logical devices must be configured before TensorFlow initializes.
    result = subprocess.run([sys.executable, "-c", MIRRORED_SCRIPT], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "MIRRORED OK" in result.stdout


def _three_gans():
    import tensorflow as tf

    from gan_lib.conditional import ConditionalGAN, build_conditional_discriminator, build_conditional_generator
    from gan_lib.wgan import WGANGP, build_critic

    x = real_batch(32)
    adam = lambda: keras.optimizers.Adam(2e-4, beta_1=0.5)
    gan = make_gan("mlp")
    cgan = ConditionalGAN(build_conditional_generator(latent_dim=8), build_conditional_discriminator(), seed=0)
    cgan.compile(adam(), adam())
    wgan = WGANGP(build_models("dcgan", latent_dim=8)[0], build_critic(), n_critic=2, seed=0)
    wgan.compile(adam(), adam())
    yield gan, tf.data.Dataset.from_tensor_slices(x).batch(16)
    yield cgan, tf.data.Dataset.from_tensor_slices((x, np.arange(32) % 10)).batch(16)
    yield wgan, tf.data.Dataset.from_tensor_slices(x).batch(32)


def test_fit_on_a_dataset_does_not_warn_about_shuffle_and_hides_no_other_warning():
    import warnings

    for gan, dataset in _three_gans():
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            gan.fit(dataset, epochs=1, verbose=0)
        assert not [w for w in caught if "shuffle" in str(w.message)], (type(gan).__name__, caught)
        with warnings.catch_warnings(record=True) as caught:  # an explicit shuffle=True still gets Keras's warning
            warnings.simplefilter("always")
            gan.fit(dataset, epochs=1, verbose=0, shuffle=True)
        assert [w for w in caught if "shuffle" in str(w.message)], type(gan).__name__


def test_fit_on_arrays_still_shuffles_them(monkeypatch):
    """Only data sets and generators lose Keras's shuffle=True default; arrays keep it."""
    seen = []
    monkeypatch.setattr(keras.Model, "fit", lambda self, *args, shuffle, **kwargs: seen.append(shuffle))
    gan = make_gan("mlp")
    x = real_batch(32)
    gan.fit(x, batch_size=16)
    gan.fit(x=x, batch_size=16)
    gan.fit(x, batch_size=16, shuffle=False)
    gan.fit((row for row in [x]))
    assert seen == [True, True, False, False]
