"""gan_lib.classifier: the network, quick training, and the shipped weights with their record."""

import hashlib
import importlib.resources
import json

import keras
import numpy as np
import pytest

from gan_lib.classifier import (
    RECORD,
    accuracy,
    as_model_images,
    build_classifier,
    classifier_record,
    load_classifier,
    predict_labels,
    save_classifier,
    train_classifier,
    write_record,
)
from gan_lib.data import load_mnist


def asset(name):
    return importlib.resources.files("gan_lib") / "assets" / name


def test_build_classifier_shapes_and_parameter_count():
    model = build_classifier()
    assert model.count_params() == 225_034
    assert model.output_shape == (None, 10)
    assert model.get_layer("features").output.shape == (None, 128)
    assert model.layers[-2].name == "features"  # the penultimate layer feeds FID
    logits = model(np.zeros((2, 28, 28, 1), np.float32))
    assert tuple(logits.shape) == (2, 10)


def test_as_model_images_converts_uint8_and_keeps_floats():
    images = np.array([[[0, 255]]], np.uint8).repeat(28, 1).repeat(14, 2)  # (1, 28, 28)
    converted = as_model_images(images)
    assert converted.shape == (1, 28, 28, 1) and converted.dtype == np.float32
    assert converted.min() == -1.0 and converted.max() == 1.0
    np.testing.assert_array_equal(as_model_images(converted), converted)


def test_train_classifier_learns_the_offline_subset_quickly(mnist_dir):
    (x_train, y_train), (x_test, y_test) = load_mnist(mnist_dir)
    model = train_classifier(x_train, y_train, epochs=5, seed=0)
    assert accuracy(model, x_test, y_test) >= 0.95


def test_train_classifier_refuses_bad_labels():
    images = np.zeros((8, 28, 28), np.uint8)
    with pytest.raises(ValueError, match="integer labels in 0..9"):
        train_classifier(images, np.full(8, 10), epochs=1)
    with pytest.raises(ValueError, match="integer labels"):
        train_classifier(images, np.zeros(7, int), epochs=1)


def test_shipped_classifier_reaches_97_percent_on_the_offline_test_images(mnist_dir):
    (_, _), (x_test, y_test) = load_mnist(mnist_dir)
    model = load_classifier()
    measured = accuracy(model, x_test, y_test)
    assert measured >= 0.97
    record = classifier_record()
    if record["test_images"] == len(x_test):  # the same test set as the record's
        assert measured == pytest.approx(record["test_accuracy"], abs=0.002)


def test_predict_labels_accepts_every_documented_form(mnist_dir):
    _, (x_test, y_test) = load_mnist(mnist_dir)
    model = load_classifier()
    labels = predict_labels(model, x_test[:200])
    assert labels.shape == (200,) and labels.dtype == np.int64
    as_float = x_test[:200, :, :, None].astype(np.float32) / 127.5 - 1  # (200, 28, 28, 1) in [-1, 1]
    np.testing.assert_array_equal(predict_labels(model, as_float), labels)
    assert np.mean(labels == y_test[:200]) > 0.9


def test_shipped_record_matches_the_file():
    data = asset("mnist_classifier.keras").read_bytes()
    record = json.loads(asset(RECORD).read_text())
    assert len(data) <= 2_000_000 and record["size_bytes"] == len(data)
    assert record["sha256"] == hashlib.sha256(data).hexdigest()
    for key in ("command", "data", "epochs", "seed", "test_accuracy", "date"):
        assert key in record, key
    assert record["test_accuracy"] >= 0.97


def test_save_classifier_round_trip_writes_a_small_file_and_a_record(tmp_path):
    from gan_lib.modelio import load_model

    model = build_classifier()
    model.compile("adam", "mse")  # optimizer state must not be saved
    path = tmp_path / "c.keras"
    save_classifier(model, path)
    record = write_record(path, command="test", epochs=1)
    assert path.stat().st_size < 1_200_000
    assert json.loads(path.with_suffix(".json").read_text())["sha256"] == record["sha256"]
    x = np.random.default_rng(0).uniform(-1, 1, (3, 28, 28, 1)).astype(np.float32)
    np.testing.assert_allclose(load_model(path, "classifier").predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-5)
    with pytest.raises(ValueError, match="must end in .keras"):
        save_classifier(model, tmp_path / "c.h5")


def test_load_classifier_falls_back_to_weights_when_the_config_does_not_load(monkeypatch, mnist_dir):
    import gan_lib.classifier as classifier_module

    def refuse(path, **kwargs):  # what an older Keras does with a config written by a newer one
        raise ValueError("unknown key")

    _, (x_test, _) = load_mnist(mnist_dir)
    expected = predict_labels(load_classifier(), x_test[:100])
    monkeypatch.setattr(keras.models, "load_model", refuse)
    np.testing.assert_array_equal(predict_labels(classifier_module.load_classifier(), x_test[:100]), expected)
