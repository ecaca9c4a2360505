"""How good is a GAN? FID, the classifier score, class coverage and nearest neighbours.

All image metrics run on one small MNIST classifier (:mod:`gan_lib.classifier`)
instead of Inception-v3, as TF-GAN's "Fréchet classifier distance" and "MNIST score"
do. Numbers are therefore comparable between runs of this package, **not** with
FID or Inception Score values published for other networks.

Pixel input everywhere: ``(N, 28, 28)`` or ``(N, 28, 28, 1)``, uint8 in [0, 255]
or float in [-1, 1]. A wrong shape, dtype or range raises ValueError.

**Sample size.** FID is biased upward at small N (Chong & Forsyth 2020, "Effectively
Unbiased FID"): the same generator scores worse with fewer samples, and even two sets
of real images score above 0. Always compare at equal N, and state N. The classifier
score is biased too (downward at small N). Lesson 05 measures both.

Compute the classifier's outputs once per image set with :func:`embed` and pass the
:class:`Embedding` to every metric; each metric also accepts raw images.

Introduced in 05_evaluating_gans.

One concept per module: :mod:`~gan_lib.metrics.embedding` (the classifier's features and
logits), :mod:`~gan_lib.metrics.frechet` (FID), :mod:`~gan_lib.metrics.score` (classifier
score), :mod:`~gan_lib.metrics.coverage` (class coverage, nearest neighbours) and
:mod:`~gan_lib.metrics.report` (all of them at equal N). The Keras callback that measures
during training is :class:`gan_lib.callbacks.MetricsCallback` (also importable from here).
"""

from __future__ import annotations

from typing import Any

from gan_lib.metrics.coverage import COVERAGE_THRESHOLD, class_coverage, coverage_from_labels, nearest_neighbours
from gan_lib.metrics.embedding import Embedding, embed
from gan_lib.metrics.frechet import frechet_distance, frechet_distance_from_moments
from gan_lib.metrics.report import evaluate, format_report, report
from gan_lib.metrics.score import classifier_score, score_from_probabilities

__all__ = [
    "COVERAGE_THRESHOLD", "Embedding", "MetricsCallback", "class_coverage", "classifier_score", "coverage_from_labels",
    "embed", "evaluate", "format_report", "frechet_distance", "frechet_distance_from_moments", "nearest_neighbours",
    "report", "score_from_probabilities",
]


def __getattr__(name: str) -> Any:
    if name == "MetricsCallback":  # lives with the other callbacks; imported on use (it pulls in plotting)
        from gan_lib.callbacks import MetricsCallback

        return MetricsCallback
    raise AttributeError(f"module 'gan_lib.metrics' has no attribute {name!r}")
