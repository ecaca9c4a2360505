"""Checks for the exercises of lesson 02 (the first GAN, fully connected).

Each check takes the learner's answer, raises ``AssertionError`` with a one-line hint when it is
wrong, and returns a short confirmation when it is right (see ``gan_lib.exercises``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import keras
import numpy as np

import gan_lib

METRICS = {"d_loss", "g_loss", "d_acc_real", "d_acc_fake"}


def check_lowest_d_loss(answer: float, real_label: float = 0.9) -> str:
    """Exercise 1: the lowest ``d_loss`` a discriminator can reach with a smoothed real target.

    ``d_loss = BCE(t, D(x)) + BCE(0, D(G(z)))``; the fake part can reach 0, the real part is smallest
    at ``D(x) = t``, where it equals the entropy ``-(t ln t + (1 - t) ln(1 - t))``.

    Raises:
        AssertionError: ``answer`` is more than 1e-3 away from that value.
    """
    t = float(real_label)
    lowest = -(t * math.log(t) + (1 - t) * math.log(1 - t)) if t < 1 else 0.0
    if abs(answer - lowest) > 1e-3:
        if abs(answer) < 1e-3 and t < 1:
            raise AssertionError(f"0 is the floor only for real_label 1; with {t} the real part is smallest at D(x) = {t}, not 1")
        raise AssertionError(f"{answer:.4f} is not the floor: minimize BCE({t}, p) over p, then add the best fake part")
    return f"right: BCE({t}, {t}) + BCE(0, 0) = {lowest:.4f}"


def mean_pairwise_distance(images: np.ndarray) -> float:
    """Lesson 02's diversity number: mean absolute pixel difference over all pairs, pixels in [0, 1].

    Args:
        images: ``(N, 28, 28, 1)`` or ``(N, 28, 28)`` float in [-1, 1], N >= 2.
    """
    flat = (np.asarray(images, np.float32).reshape(len(images), -1) + 1) / 2  # pixels in [0, 1]
    distances = np.abs(flat[:, None, :] - flat[None, :, :]).mean(axis=-1)
    return float(distances[np.triu_indices(len(flat), k=1)].mean())


def check_2d_latent_generator(generator: keras.Model) -> str:
    """Exercise 2: a generator with a 2-D latent space, trained on MNIST.

    Decodes the exercise's 15 x 15 grid of z in [-2, 2]^2 and checks that the images look trained:
    darker than an untrained generator's grey (mean pixel below -0.2 on the [-1, 1] scale; untrained
    about 0.00, after 2 epochs on 5,000 digits about -0.27, MNIST -0.74), and different across the
    grid (mean pairwise pixel distance above 0.04; untrained about 0.02, after 2 epochs about 0.07).

    Raises:
        AssertionError: input or output shape wrong, grey images (not trained), or one image everywhere.
    """
    assert tuple(generator.input_shape) == (None, 2), f"the generator must take z of shape (B, 2), got {generator.input_shape}"
    assert tuple(generator.output_shape[1:]) == (28, 28, 1), f"expected (B, 28, 28, 1) images, got {generator.output_shape}"
    axis = np.linspace(-2, 2, 15)
    zs = np.stack(np.meshgrid(axis, axis), -1).reshape(-1, 2).astype("float32")  # (225, 2)
    images = gan_lib.generate(generator, zs)  # (225, 28, 28, 1) in [-1, 1]
    mean = float(images.mean())
    assert mean < -0.2, f"mean pixel {mean:.2f}: grey, not black backgrounds as in MNIST (about -0.74); train the generator first"
    diversity = mean_pairwise_distance(images)
    assert diversity > 0.04, f"the 225 grid images differ by only {diversity:.3f} on average: the generator collapsed"
    return f"trained 2-D generator: mean pixel {mean:.2f}, grid images differ by {diversity:.3f} on average"


def check_d_steps(d_optimizer: keras.optimizers.Optimizer, g_optimizer: keras.optimizers.Optimizer,
                  d_steps: int = 3) -> str:
    """Exercise 3: after training with ``d_steps`` discriminator updates per generator update.

    Raises:
        AssertionError: nothing was trained, or the discriminator made not exactly ``d_steps`` times
            as many updates as the generator.
    """
    d_updates, g_updates = int(d_optimizer.iterations), int(g_optimizer.iterations)
    assert g_updates > 0, "the generator's optimizer has made no update: train first, with these two optimizers"
    assert d_updates == d_steps * g_updates, (
        f"D made {d_updates} updates and G {g_updates}; with d_steps={d_steps}, D must make exactly {d_steps}x as many")
    return f"{d_updates} discriminator updates for {g_updates} generator updates"


def check_gradient_norms(saturating_norm: float, non_saturating_norm: float, d_of_fake: float) -> str:
    """Exercise 4: generator gradient norms, minimax loss vs non-saturating loss, where D rejects the fakes.

    Per example, the gradient with respect to D's logit is D(G(z)) for the minimax loss and
    1 - D(G(z)) for the non-saturating loss, so where D rejects the fakes (D(G(z)) < 0.2) the
    minimax gradient must be the smaller one.

    Args:
        saturating_norm: ``tf.linalg.global_norm`` of G's gradients of the minimax loss.
        non_saturating_norm: the same for the non-saturating loss, on the same batch of z.
        d_of_fake: mean D(G(z)) on that batch, ``float(tf.reduce_mean(tf.sigmoid(fake_logits)))``.

    Raises:
        AssertionError: a norm not positive and finite, D(G(z)) not below 0.2 (measured where D does
            not reject the fakes yet), or the minimax norm not the smaller one (swapped).
    """
    for name, value in (("saturating_norm", saturating_norm), ("non_saturating_norm", non_saturating_norm)):
        assert np.isfinite(value) and value > 0, f"{name} = {value}: expected tf.linalg.global_norm(g_grads), > 0"
    assert 0 < d_of_fake < 0.2, (
        f"D(G(z)) = {d_of_fake:.2f}: measure on a batch that D rejects (below 0.2), e.g. in the 'discriminator wins' run")
    assert saturating_norm < non_saturating_norm, (
        f"saturating {saturating_norm:.3g} >= non-saturating {non_saturating_norm:.3g} at D(G(z)) = {d_of_fake:.2f}: swapped?")
    return (f"at D(G(z)) = {d_of_fake:.2f} the minimax loss's gradient is "
            f"{non_saturating_norm / saturating_norm:.1f}x smaller than the non-saturating one's")


def check_packaged_history(history: keras.callbacks.History | Mapping, epochs: int = 5) -> str:
    """Exercise 5: the History of ``gan_lib.GAN(...).fit(dataset, epochs=epochs)``.

    Raises:
        AssertionError: other metric names, not one finite value per epoch, or not a GAN's history.
    """
    logs = history.history if isinstance(history, keras.callbacks.History) else history
    assert set(logs) == METRICS, f"logged {sorted(logs)}, expected {sorted(METRICS)}: fit gan_lib.GAN, not another model"
    for name, values in logs.items():
        assert len(values) == epochs, f"{name} has {len(values)} values; fit(dataset, epochs={epochs}) logs one per epoch"
        assert np.all(np.isfinite(values)), f"{name} is not finite: {values}"
    return f"{epochs} epochs of {', '.join(sorted(METRICS))}"
