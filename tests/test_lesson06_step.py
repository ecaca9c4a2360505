"""Lesson 06 writes the conditional train step out in full; it must give ConditionalGAN's numbers.

The test runs the lesson's own cell (``def make_conditional_train_step``, read from the notebook),
not a copy of it, so an edit to either the lesson or ``gan_lib.conditional`` that makes the two
diverge fails here. A mutated cell (fakes shown with other labels) must fail the same comparison,
so the comparison itself can fail.
"""

from __future__ import annotations

import json
from pathlib import Path

import keras
import numpy as np
import pytest
import tensorflow as tf

from gan_lib.conditional import ConditionalGAN, build_conditional_discriminator, build_conditional_generator
from gan_lib.losses import discriminator_loss, generator_loss

LESSON = Path(__file__).resolve().parents[1] / "notebooks" / "06_conditional_gan.ipynb"
DEFINITION = "def make_conditional_train_step("
SEED = 0


def lesson_cell() -> str:
    """Source of the lesson's code cell that defines ``make_conditional_train_step``."""
    cells = json.loads(LESSON.read_text())["cells"]
    sources = ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]
    found = [s for s in sources if DEFINITION in s]
    assert len(found) == 1, f"lesson 06 needs exactly one code cell with {DEFINITION!r}, found {len(found)}"
    return found[0]


def step_from(source: str):
    """``make_conditional_train_step`` as the cell defines it, with the names the lesson's setup imports."""
    namespace = {"keras": keras, "tf": tf, "np": np,
                 "discriminator_loss": discriminator_loss, "generator_loss": generator_loss}
    exec(compile(source, str(LESSON), "exec"), namespace)
    return namespace["make_conditional_train_step"]


def fresh_parts():
    keras.utils.set_random_seed(SEED)
    return (build_conditional_generator(16, embedding_dim=8), build_conditional_discriminator(embedding_dim=8),
            keras.optimizers.Adam(2e-4, beta_1=0.5), keras.optimizers.Adam(2e-4, beta_1=0.5))


def fixed_batch():
    rng = np.random.default_rng(SEED)
    images = rng.uniform(-1, 1, (8, 28, 28, 1)).astype(np.float32)  # (8, 28, 28, 1) in [-1, 1]
    labels = rng.integers(0, 10, 8).astype(np.int32)                 # (8,)
    return images, labels


def gap_to_library(make_step) -> tuple[float, float]:
    """(largest log difference, largest weight difference) between one step of ``make_step`` and of ConditionalGAN."""
    images, labels = fixed_batch()
    generator, discriminator, d_optimizer, g_optimizer = fresh_parts()
    ours = make_step(generator, discriminator, d_optimizer, g_optimizer, 0.9, seed=SEED)(images, labels)
    library_parts = fresh_parts()
    gan = ConditionalGAN(library_parts[0], library_parts[1], seed=SEED)
    gan.compile(d_optimizer=library_parts[2], g_optimizer=library_parts[3], real_label=0.9)
    library = tf.function(gan.train_step)((images, labels))
    assert set(ours) == set(library), f"logs differ: {sorted(ours)} vs {sorted(library)}"
    log_gap = max(abs(float(ours[k]) - float(library[k])) for k in ours)
    weight_gap = max(float(np.abs(a - b).max())
                     for ours_model, library_model in ((generator, library_parts[0]), (discriminator, library_parts[1]))
                     for a, b in zip(ours_model.get_weights(), library_model.get_weights()))
    return log_gap, weight_gap


def test_the_lessons_step_gives_the_librarys_numbers():
    log_gap, weight_gap = gap_to_library(step_from(lesson_cell()))
    assert log_gap < 1e-5, f"logs differ by {log_gap:.2e}"
    assert weight_gap < 1e-5, f"weights differ by {weight_gap:.2e} after one step"


@pytest.mark.parametrize("old, new", [
    ("fake_logits = discriminator([fake_images, labels]", "fake_logits = discriminator([fake_images, tf.reverse(labels, [0])]"),
    ("real_label))", "1.0))"),
], ids=["fakes-with-other-labels", "no-label-smoothing"])
def test_a_diverging_step_fails_the_comparison(old, new):
    source = lesson_cell()
    assert old in source, f"the lesson's cell no longer contains {old!r}: update this test"
    log_gap, weight_gap = gap_to_library(step_from(source.replace(old, new, 1)))
    assert max(log_gap, weight_gap) > 1e-4
