"""A quick quality table for saved MNIST generators: FID, classifier score, coverage, confidence.

    python benchmarks/digit_quality.py RUN_DIR/generator.keras [more.keras ...] [--n 1000]

For each generator, draws ``--n`` samples from fixed latent vectors and scores them
with :func:`gan_lib.metrics.evaluate` against ``--n`` test images of
``$GAN_LIB_DATA_DIR`` (equal N), using the classifier shipped with the package
(``gan_lib/assets/mnist_classifier.json`` records its accuracy). Columns:

* FID on the classifier's features (lower is better) and the classifier score (max 10);
* confident: share of samples the classifier assigns to one digit with p > 0.9
  (real test digits score close to the classifier's accuracy);
* classes >= 5%: how many of the 10 digits hold at least 5% of the samples
  (10 means no class is missing; a collapsed generator scores 1-3);
* the class histogram.

The first row, real training digits vs the test digits, is the floor.
"""

from __future__ import annotations

import argparse
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np

from gan_lib.classifier import load_classifier
from gan_lib.data import load_mnist
from gan_lib.metrics import embed, evaluate
from gan_lib.modelio import load_generator
from gan_lib.generation import generate
from gan_lib.latent import random_latent_vectors


def row(name: str, images: np.ndarray, x_test: np.ndarray, classifier, n: int) -> str:
    result = evaluate(images, x_test, classifier=classifier, n=n)
    confident = float((embed(images, classifier).probabilities.max(axis=1) > 0.9).mean())
    histogram = [round(h, 2) for h in result["histogram"]]
    return (f"| {name} | {result['fid']:.1f} | {result['classifier_score']:.2f} | {confident:.1%} "
            f"| {result['classes']} | {histogram} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("generators", nargs="+")
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=123)
    args = parser.parse_args()
    (x_train, _), (x_test, _) = load_mnist()
    n = min(args.n, len(x_test))
    classifier = load_classifier()
    print(f"N = {n:,} images per set (FID depends on N: compare rows of one table only)\n")
    print("| images | FID | classifier score | confident (p > 0.9) | classes >= 5% | class histogram 0..9 |")
    print("|---|---|---|---|---|---|")
    real = x_train[np.random.default_rng(0).choice(len(x_train), n, replace=False)]  # the file may be sorted by class
    print(row("real training digits", real, x_test, classifier, n), flush=True)
    for path in args.generators:
        generator = load_generator(path)
        fake = generate(generator, random_latent_vectors(n, generator.input_shape[-1], args.seed))
        print(row(path, fake, x_test, classifier, n), flush=True)


if __name__ == "__main__":
    main()
