"""The MNIST digit classifier behind the metrics: the package's stand-in for Inception.

Inception-v3 weights cannot be downloaded offline and suit 28x28 digits poorly, so,
like TF-GAN's "Fréchet classifier distance" and "MNIST score" (``tfgan.eval``), the
metrics in :mod:`gan_lib.metrics` use a small CNN trained on MNIST:

    (B, 28, 28, 1) float32 in [-1, 1]
    -> Conv 32 (3x3) -> ReLU -> MaxPool 2     # (B, 13, 13, 32)
    -> Conv 64 (3x3) -> ReLU -> MaxPool 2     # (B, 5, 5, 64)
    -> Flatten -> Dropout 0.5                 # (B, 1600)
    -> Dense 128, ReLU, named "features"      # (B, 128): the FID feature layer
    -> Dense 10                               # (B, 10) logits

A trained copy ships in ``gan_lib/assets/mnist_classifier.keras``, with the command,
data, seed and test accuracy that made it in ``mnist_classifier.json``
(``python -m gan_lib train-classifier`` makes a new one).

Introduced in 05_evaluating_gans.
"""

from __future__ import annotations

import importlib.resources
import json
import os

import keras
import numpy as np
from keras import layers

from gan_lib.atomic import atomic_path
from gan_lib.modelio import load_model

ASSET = "mnist_classifier.keras"
RECORD = "mnist_classifier.json"
FEATURES = "features"  # name of the penultimate layer


def as_model_images(images: np.ndarray, what: str = "images") -> np.ndarray:
    """Check and convert images to the model convention ``(N, 28, 28, 1)`` float32 in [-1, 1].

    Args:
        images: ``(N, 28, 28)`` or ``(N, 28, 28, 1)``; uint8 in [0, 255] (files) or
            float in [-1, 1] (the package's model range).
        what: the word used in error messages ("fake", "real").

    Returns:
        ``(N, 28, 28, 1)`` float32 NumPy array in [-1, 1].

    Raises:
        ValueError: a wrong shape, no images, a dtype that is neither uint8 nor float,
            float values outside [-1, 1] (e.g. [0, 1] or [0, 255] floats), or NaN.
    """
    images = np.asarray(images)
    if images.ndim == 3:
        images = images[..., None]  # (N, 28, 28) -> (N, 28, 28, 1)
    if images.ndim != 4 or images.shape[1:] != (28, 28, 1) or len(images) == 0:
        raise ValueError(f"{what} must be shaped (N, 28, 28) or (N, 28, 28, 1) with N >= 1, got {images.shape}")
    if images.dtype == np.uint8:
        return images.astype(np.float32) / 127.5 - 1.0
    if images.dtype.kind != "f":
        raise ValueError(f"{what} must be uint8 in [0, 255] or float in [-1, 1], got dtype {images.dtype}")
    images = images.astype(np.float32)
    low, high = float(np.min(images)), float(np.max(images))
    if not (np.isfinite(low) and np.isfinite(high)):
        raise ValueError(f"{what} contain NaN or infinite values")
    if low < -1.001 or high > 1.001:
        raise ValueError(f"float {what} must be in [-1, 1], got values in [{low:.3g}, {high:.3g}]; "
                         "pass uint8 images for [0, 255], or scale with gan_lib.to_float")
    return np.clip(images, -1.0, 1.0)


def build_classifier() -> keras.Model:
    """The small MNIST CNN (layer plan in the module docstring; after the keras-io "Simple MNIST convnet").

    Returns:
        Uncompiled model mapping ``(B, 28, 28, 1)`` float32 in [-1, 1] to ``(B, 10)``
        float32 logits. Its penultimate layer, ``"features"``, gives ``(B, 128)`` float32
        >= 0. 225,034 parameters (0.9 MB as float32).
    """
    return keras.Sequential(
        [
            keras.Input((28, 28, 1)),
            layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPooling2D(),  # (B, 13, 13, 32)
            layers.Conv2D(64, 3, activation="relu"),
            layers.MaxPooling2D(),  # (B, 5, 5, 64)
            layers.Flatten(),  # (B, 1600)
            layers.Dropout(0.5),
            layers.Dense(128, activation="relu", name=FEATURES),  # (B, 128)
            layers.Dense(10, name="logits"),  # (B, 10)
        ],
        name="mnist_classifier",
    )


def train_classifier(
    x_train: np.ndarray,
    y_train: np.ndarray,
    epochs: int = 30,
    seed: int = 0,
    verbose: int | str = 0,
    batch_size: int = 64,
    validation_data: tuple[np.ndarray, np.ndarray] | None = None,
) -> keras.Model:
    """Train :func:`build_classifier` with Adam(1e-3) and sparse cross-entropy on logits.

    Args:
        x_train: ``(N, 28, 28)`` or ``(N, 28, 28, 1)`` uint8 in [0, 255] (or float in [-1, 1]).
        y_train: ``(N,)`` integer labels in 0..9.
        epochs: passes over the data. From the 5,000-image offline subset, 5 epochs
            (about 10 s on 2 CPU cores) reach about 97% on the 1,000 offline test images;
            the shipped classifier used 30 (98.1%).
        seed: seeds weights, shuffling and dropout (``keras.utils.set_random_seed``).
        verbose: passed to ``fit()``.
        batch_size: images per step.
        validation_data: optional ``(x, y)`` shown by ``fit()`` each epoch.

    Returns:
        The trained model, compiled with an ``"accuracy"`` metric (so ``evaluate`` works).

    Raises:
        ValueError: bad image shape or dtype, labels not ``(N,)`` in 0..9, or epochs < 1.
    """
    x = as_model_images(x_train, "x_train")
    y = np.asarray(y_train)
    if y.shape != (len(x),) or y.dtype.kind not in "iu" or y.min() < 0 or y.max() > 9:
        raise ValueError(f"y_train must be ({len(x)},) integer labels in 0..9, got {y.shape} {y.dtype}")
    if epochs < 1:
        raise ValueError(f"epochs must be a positive integer, got {epochs}")
    keras.utils.set_random_seed(seed)
    model = build_classifier()
    model.compile(
        optimizer=keras.optimizers.Adam(1e-3),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    if validation_data is not None:
        validation_data = (as_model_images(validation_data[0], "validation images"), np.asarray(validation_data[1]))
    model.fit(x, y.astype(np.int64), epochs=epochs, batch_size=batch_size, verbose=verbose,
              validation_data=validation_data)
    return model


def predict_logits(model: keras.Model, images: np.ndarray, batch_size: int = 500) -> np.ndarray:
    """``(N, 10)`` float32 logits of ``model`` on ``images`` (see :func:`as_model_images`)."""
    return np.asarray(model.predict(as_model_images(images), batch_size=batch_size, verbose=0), dtype=np.float32)


def predict_labels(model: keras.Model, images: np.ndarray, batch_size: int = 500) -> np.ndarray:
    """Predicted digits.

    Args:
        model: a classifier such as :func:`load_classifier`.
        images: ``(N, 28, 28)`` or ``(N, 28, 28, 1)``, uint8 in [0, 255] or float in [-1, 1].

    Returns:
        ``(N,)`` int64 in 0..9.

    Raises:
        ValueError: bad shape, dtype or range (see :func:`as_model_images`).
    """
    return predict_logits(model, images, batch_size).argmax(axis=1).astype(np.int64)


def accuracy(model: keras.Model, images: np.ndarray, labels: np.ndarray) -> float:
    """Share of ``images`` whose predicted digit equals ``labels`` ((N,) ints), in [0, 1]."""
    return float(np.mean(predict_labels(model, images) == np.asarray(labels).astype(np.int64)))


def save_classifier(model: keras.Model, path: str | os.PathLike) -> None:
    """Save the weights of ``model`` in a fresh, uncompiled :func:`build_classifier` to ``path``, atomically.

    Dropping the optimizer state keeps the file small (about 0.9 MB instead of 2.7 MB).

    Raises:
        ValueError: ``path`` does not end in ``.keras``, or ``model`` is not shaped like
            :func:`build_classifier`.
    """
    if not str(path).endswith(".keras"):
        raise ValueError(f"the classifier file must end in .keras, got {path}")
    clean = build_classifier()
    try:
        clean.set_weights(model.get_weights())
    except ValueError as err:
        raise ValueError(f"the model is not a gan_lib.classifier.build_classifier() network: {err}") from err
    with atomic_path(path) as tmp:
        clean.save(tmp)


def write_record(model_path: str | os.PathLike, **fields) -> dict:
    """Write the record beside a saved classifier (``X.keras`` -> ``X.json``), atomically.

    The record holds ``fields`` (command, data, epochs, seed, test accuracy ...) plus the
    file's size in bytes, its sha256, the UTC date and the hardware / library versions.

    Returns:
        The record as written.

    Raises:
        FileNotFoundError: ``model_path`` does not exist.
    """
    import datetime
    import hashlib
    from pathlib import Path

    from gan_lib.runinfo import hardware_summary

    model_path = Path(model_path)
    data = model_path.read_bytes()
    record = {
        **fields,
        "file": model_path.name,
        "size_bytes": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "hardware": hardware_summary(),
        "keras_version": keras.__version__,
    }
    with atomic_path(model_path.with_suffix(".json")) as tmp:
        tmp.write_text(json.dumps(record, indent=2) + "\n")
    return record


def load_classifier() -> keras.Model:
    """The shipped classifier (``gan_lib/assets/mnist_classifier.keras``), loaded in safe mode.

    Returns:
        Model mapping ``(B, 28, 28, 1)`` float32 in [-1, 1] to ``(B, 10)`` logits; layer
        ``"features"`` is the FID feature layer.

    An older Keras cannot always read the layer configs a newer one wrote (Colab's Keras
    3.10 rejects keys that Keras 3.15 stores for ``Dense``); then the same network is
    built from code by :func:`build_classifier` and only the weights are read from the
    file (``rebuild`` in :func:`gan_lib.modelio.load_model`).

    Raises:
        FileNotFoundError: the asset is missing (a broken install).
        ValueError: the file loads neither way (corrupt).
    """
    with importlib.resources.as_file(importlib.resources.files("gan_lib") / "assets" / ASSET) as path:
        return load_model(path, "classifier", rebuild=build_classifier)


def classifier_record() -> dict:
    """The record shipped beside the classifier: command, data, epochs, seed, test accuracy, size, sha256, date."""
    return json.loads((importlib.resources.files("gan_lib") / "assets" / RECORD).read_text())
