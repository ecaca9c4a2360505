import keras
import numpy as np
import tensorflow as tf

from gan_lib.conditional import ConditionalGAN, build_conditional_discriminator, build_conditional_generator


def test_conditional_builders_shapes_and_parameter_counts():
    generator, discriminator = build_conditional_generator(), build_conditional_discriminator()
    z, labels = np.zeros((3, 100), np.float32), np.array([0, 5, 9])
    images = np.asarray(generator([z, labels]))
    assert images.shape == (3, 28, 28, 1)
    assert discriminator([images, labels]).shape == (3, 1)
    assert generator.count_params() == 1_130_901
    assert discriminator.count_params() == 122_213


def test_the_label_changes_the_output_for_the_same_z():
    keras.utils.set_random_seed(0)
    generator, discriminator = build_conditional_generator(latent_dim=8), build_conditional_discriminator()
    z = np.repeat(np.random.default_rng(0).standard_normal((1, 8)).astype(np.float32), 10, axis=0)
    images = np.asarray(generator([z, np.arange(10)], training=False))
    assert all(not np.allclose(images[0], images[k]) for k in range(1, 10))
    scores = np.asarray(discriminator([np.repeat(images[:1], 10, axis=0), np.arange(10)]))
    assert len(np.unique(scores.round(6))) == 10  # the same image is judged differently under each label


def test_conditional_gan_fits_and_moves_both_networks():
    keras.utils.set_random_seed(0)
    gan = ConditionalGAN(build_conditional_generator(latent_dim=8), build_conditional_discriminator(), seed=0)
    gan.compile(keras.optimizers.Adam(2e-4, beta_1=0.5), keras.optimizers.Adam(2e-4, beta_1=0.5))
    g_before = [w.numpy().copy() for w in gan.generator.trainable_weights]
    d_before = [w.numpy().copy() for w in gan.discriminator.trainable_weights]
    x = np.random.default_rng(0).uniform(-1, 1, (32, 28, 28, 1)).astype(np.float32)
    dataset = tf.data.Dataset.from_tensor_slices((x, np.arange(32) % 10)).batch(16)
    history = gan.fit(dataset, epochs=1, verbose=0).history
    assert set(history) == {"d_loss", "g_loss", "d_acc_real", "d_acc_fake"}
    assert all(np.isfinite(v[0]) for v in history.values())
    assert all(not np.array_equal(a, w.numpy()) for a, w in zip(g_before, gan.generator.trainable_weights))
    assert any(not np.array_equal(a, w.numpy()) for a, w in zip(d_before, gan.discriminator.trainable_weights))


def test_make_dataset_keeps_labels_with_their_images():
    from gan_lib.data import make_dataset

    images = np.repeat(np.arange(20, dtype=np.uint8)[:, None, None], 28 * 28, axis=1).reshape(20, 28, 28)
    batches = list(make_dataset(images, batch_size=5, seed=0, labels=np.arange(20) % 10))
    for x, y in batches:
        pixel_values = np.rint((x.numpy()[:, 0, 0, 0] + 1) * 127.5).astype(int)  # which image each row is
        assert list(y.numpy()) == list(pixel_values % 10)
    assert sorted(np.concatenate([np.rint((x.numpy()[:, 0, 0, 0] + 1) * 127.5) for x, _ in batches])) == list(range(20))
