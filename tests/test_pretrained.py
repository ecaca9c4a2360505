"""The pretrained generator that ships in gan_lib/assets: it loads, it is documented, its samples are digits."""

import hashlib
import importlib.resources

import keras
import numpy as np
import pytest

from gan_lib import pretrained
from gan_lib.generation import generate
from gan_lib.latent import random_latent_vectors

ASSETS = importlib.resources.files("gan_lib") / "assets"


@pytest.fixture(scope="module")
def generator():
    return pretrained.load_pretrained_generator()


def test_loads_and_draws_images_of_the_right_shape_and_range(generator):
    record = pretrained.pretrained_record()
    assert generator.input_shape == (None, record["config"]["latent_dim"])
    images = generate(generator, random_latent_vectors(16, generator.input_shape[-1], seed=0))
    assert images.shape == (16, 28, 28, 1) and images.dtype == np.float32
    assert images.min() >= -1.0 and images.max() <= 1.0
    assert images.std() > 0.3  # digits: mostly black background, white strokes; not a flat image


def test_the_record_matches_the_shipped_file():
    record = pretrained.pretrained_record()
    data = (ASSETS / record["file"]).read_bytes()
    assert record["file"] == pretrained.GENERATOR_FILE
    assert len(data) == record["size_bytes"] <= 5_000_000
    assert hashlib.sha256(data).hexdigest() == record["sha256"]
    assert record["command"].split("python ", 1)[1].startswith("-m gan_lib train --model dcgan")
    assert f"--epochs {record['epochs']}" in record["command"] and f"--seed {record['seed']}" in record["command"]
    assert record["config"]["epochs"] == record["epochs"] and record["cpu_seconds"] > 0 and record["steps"] > 0
    assert "5,000" in record["data"] and "60,000" in record["data"]


def test_an_older_keras_falls_back_to_the_weights(generator, monkeypatch):
    """Colab's Keras 3.10 cannot read the configs Keras 3.15 writes; the weights still load."""
    z = random_latent_vectors(4, generator.input_shape[-1], seed=1)
    expected = generate(generator, z)

    def refuse(path, **kwargs):  # what an older Keras does with a config written by a newer one
        raise ValueError("unrecognized keyword arguments: ['quantization_config']")

    monkeypatch.setattr(keras.models, "load_model", refuse)
    record = pretrained.pretrained_record()
    monkeypatch.setattr(pretrained, "pretrained_record", lambda: {**record, "keras_version": "99.0.0"})
    np.testing.assert_allclose(generate(pretrained.load_pretrained_generator(), z), expected, atol=1e-5)

    monkeypatch.setattr(pretrained, "pretrained_record", lambda: {**record, "keras_version": "3.0.0"})
    with pytest.raises(ValueError, match="not a loadable"):  # same or newer Keras: a real error is not hidden
        pretrained.load_pretrained_generator()


def test_samples_are_digits_of_at_least_8_classes(generator, mnist_dir):
    """1,000 samples, judged by a classifier trained quickly on the offline subset: >= 8 classes at >= 2%."""
    from gan_lib.classifier import predict_labels, train_classifier
    from gan_lib.data import load_mnist

    (x_train, y_train), (x_test, y_test) = load_mnist(mnist_dir)
    classifier = train_classifier(x_train, y_train, epochs=3, seed=0)
    assert (predict_labels(classifier, x_test) == y_test).mean() > 0.9  # the judge itself is good enough
    labels = predict_labels(classifier, generate(generator, random_latent_vectors(1000, generator.input_shape[-1], seed=0)))
    counts = np.bincount(labels, minlength=10)
    assert (counts >= 20).sum() >= 8, f"samples per class: {counts.tolist()}"
