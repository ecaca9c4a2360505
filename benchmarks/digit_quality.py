"""A quick, rough quality probe for MNIST generators: do the samples look like digits, of all classes?

    python benchmarks/digit_quality.py RUN_DIR/generator.keras [more.keras ...] [--n 1000]

Trains a small CNN digit classifier on the training images of ``$GAN_LIB_DATA_DIR``
(about 20 s on 2 CPU cores; its accuracy on the test images is printed), then for
each generator draws ``--n`` samples and reports:

* confident: share of samples the classifier assigns to one digit with p > 0.9
  (real test digits score close to the classifier's accuracy);
* classes >= 5%: how many of the 10 digits hold at least 5% of the samples
  (10 means no class is missing; a collapsed generator scores 1-3);
* the class histogram.

This is the probe behind the README's "Choosing the defaults" table, not a metric to
publish: FID and the classifier score arrive with ``gan_lib.metrics`` (lesson 05).
"""

from __future__ import annotations

import argparse
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras
import numpy as np
from keras import layers

from gan_lib.data import load_mnist, to_float
from gan_lib.sampling import generate, random_latent_vectors


def train_classifier(x_train: np.ndarray, y_train: np.ndarray) -> keras.Model:
    """Small CNN on (N, 28, 28, 1) float32 in [-1, 1]; softmax over 10 digits."""
    keras.utils.set_random_seed(0)
    model = keras.Sequential([
        keras.Input((28, 28, 1)),
        layers.Conv2D(32, 3, activation="relu"), layers.MaxPooling2D(),
        layers.Conv2D(64, 3, activation="relu"), layers.MaxPooling2D(),
        layers.Flatten(), layers.Dropout(0.5), layers.Dense(10, activation="softmax"),
    ])
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x_train, y_train, epochs=15, batch_size=64, verbose=0)
    return model


def judge(classifier: keras.Model, images: np.ndarray) -> dict:
    probabilities = classifier.predict(images, verbose=0)
    histogram = np.bincount(probabilities.argmax(1), minlength=10) / len(images)
    return {
        "confident": float((probabilities.max(1) > 0.9).mean()),
        "classes_5pct": int((histogram >= 0.05).sum()),
        "histogram": np.round(histogram, 2).tolist(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("generators", nargs="+")
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=123)
    args = parser.parse_args()
    (x_train, y_train), (x_test, y_test) = load_mnist()
    x_train, x_test = to_float(x_train[..., None]).numpy(), to_float(x_test[..., None]).numpy()
    classifier = train_classifier(x_train, y_train)
    accuracy = classifier.evaluate(x_test, y_test, verbose=0)[1]
    print(f"classifier: {accuracy:.1%} on {len(x_test):,} test images\n")
    print("| images | confident (p > 0.9) | classes >= 5% | class histogram 0..9 |")
    print("|---|---|---|---|")
    real = judge(classifier, x_test[: args.n])
    print(f"| real test digits | {real['confident']:.1%} | {real['classes_5pct']} | {real['histogram']} |")
    for path in args.generators:
        generator = keras.models.load_model(path, compile=False, safe_mode=True)
        fake = generate(generator, random_latent_vectors(args.n, generator.input_shape[-1], args.seed))
        result = judge(classifier, fake)
        print(f"| {path} | {result['confident']:.1%} | {result['classes_5pct']} | {result['histogram']} |", flush=True)


if __name__ == "__main__":
    main()
