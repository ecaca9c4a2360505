"""Every metric for one image set at equal N, and the ``evaluate`` command's report and table."""

from __future__ import annotations

import keras
import numpy as np

from gan_lib.classifier import as_model_images, load_classifier
from gan_lib.metrics.coverage import class_coverage, nearest_neighbours
from gan_lib.metrics.embedding import embed
from gan_lib.metrics.frechet import frechet_distance
from gan_lib.metrics.score import classifier_score


def evaluate(fake: np.ndarray, real: np.ndarray, train: np.ndarray | None = None,
             classifier: keras.Model | None = None, n: int | None = None, seed: int = 0,
             max_neighbours: int = 1000) -> dict:
    """Every metric for one image set, at equal N against ``real``.

    Args:
        fake: the images to judge (see :func:`embed` for the accepted forms).
        real: the reference images for FID (e.g. the MNIST test images).
        train: optional training images: adds the median nearest-neighbour distance
            of up to ``max_neighbours`` fake images (the memorization check).
        classifier: default the shipped one.
        n: images per set; default ``min(len(fake), len(real))``. Larger sets are
            reduced to a random subset of ``n`` (seeded by ``seed``), so FID compares equal N.
        seed: seed of those subsets.
        max_neighbours: cap on the images searched for neighbours (cost grows as N x M).

    Returns:
        ``{"n", "fid", "classifier_score", "classes", "kl_to_uniform", "histogram"}``
        plus ``"nn_median"`` (and ``"nn_n"``, the images searched) when ``train`` is given.

    Raises:
        ValueError: bad images, fewer than 2 per set, or ``n`` larger than a set.
    """
    fake, real = as_model_images(fake, "fake images"), as_model_images(real, "real images")
    n = min(len(fake), len(real)) if n is None else int(n)
    if not 2 <= n <= min(len(fake), len(real)):
        raise ValueError(f"n must be between 2 and the smaller set ({len(fake)} fake, {len(real)} real), got {n}")
    rng = np.random.default_rng(seed)
    fake = fake if len(fake) == n else fake[np.sort(rng.choice(len(fake), n, replace=False))]
    real = real if len(real) == n else real[np.sort(rng.choice(len(real), n, replace=False))]
    classifier = classifier or load_classifier()
    fake_embedding = embed(fake, classifier)
    result = {
        "n": n,
        "fid": frechet_distance(embed(real, classifier), fake_embedding),
        "classifier_score": classifier_score(fake_embedding),
        **class_coverage(fake_embedding),
    }
    if train is not None:
        searched = fake[:max_neighbours]
        distances, _ = nearest_neighbours(searched, train)
        result["nn_median"] = float(np.median(distances))
        result["nn_n"] = len(searched)
    return result


def report(images: np.ndarray, x_test: np.ndarray, x_train: np.ndarray, classifier: keras.Model | None = None,
           seed: int = 0) -> dict:
    """The ``evaluate`` command's numbers: generated images beside real ones, at equal N.

    * ``"generated"``: :func:`evaluate` of ``images`` against ``x_test`` (neighbours searched in ``x_train``);
    * ``"real"``: the floor, :func:`evaluate` of N test images against N other real
      (training) images: FID of real vs real, and the score, coverage and
      nearest-neighbour distance that real digits get.

    Args:
        images: generated images, uint8 ``(N, 28, 28)`` (or float in [-1, 1]).
        x_test: real reference images (e.g. the MNIST test set).
        x_train: training images of the GAN (neighbours; the real-vs-real floor).
        classifier: default the shipped one.
        seed: seed of the equal-N subsets.

    Returns:
        ``{"n": N, "generated": {...}, "real": {...}}`` with N = min(len(images), len(x_test), len(x_train)).
    """
    classifier = classifier or load_classifier()
    n = min(len(images), len(x_test), len(x_train))
    return {
        "n": n,
        "generated": evaluate(images, x_test, x_train, classifier, n=n, seed=seed),
        "real": evaluate(x_test, x_train, x_train, classifier, n=n, seed=seed),
    }


def format_report(result: dict) -> str:
    """A Markdown table of :func:`report`'s result (plus ``"samples"`` / ``"reference"`` if present)."""
    generated, real = result["generated"], result["real"]
    lines = []
    if "samples" in result:
        lines.append(f"{result['samples']}: N = {result['n']:,} generated images vs N = {result['n']:,} real "
                     f"test images ({result.get('reference', 'MNIST')})\n")
    lines += [
        "| metric | generated | real digits |",
        "|---|---|---|",
        (f"| FID, classifier features (lower is better; real = train vs test images) "
         f"| {generated['fid']:.2f} | {real['fid']:.2f} |"),
        f"| classifier score (max 10) | {generated['classifier_score']:.2f} | {real['classifier_score']:.2f} |",
        f"| classes with >= 5% of samples (of 10) | {generated['classes']} | {real['classes']} |",
        (f"| KL(class histogram ‖ uniform), nats (0 = balanced, 2.30 = one class) "
         f"| {generated['kl_to_uniform']:.3f} | {real['kl_to_uniform']:.3f} |"),
    ]
    if "nn_median" in generated:
        lines.append(f"| median distance to the nearest training image (pixels in [0, 1]; N = {generated['nn_n']:,}) "
                     f"| {generated['nn_median']:.2f} | {real['nn_median']:.2f} |")
    histogram = " ".join(f"{digit}:{share:.0%}" for digit, share in enumerate(generated["histogram"]))
    lines.append(f"\ngenerated digits by class: {histogram}")
    return "\n".join(lines)
