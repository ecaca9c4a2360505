"""Checks for the exercises of lesson 08 (the tricks: EMA, DiffAugment, spectral norm, hinge loss). See :mod:`gan_lib.exercises`."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import tensorflow as tf

from gan_lib.losses import hinge_discriminator_loss


def ema_orbit_radius(decay: float, angle: float) -> float:
    """Steady-state radius of the EMA of a point circling the origin on the unit circle.

    A point ``z_t = exp(i * angle * t)`` averaged by ``m_t = decay * m_{t-1} + (1 - decay) * z_t``
    settles on a circle of radius ``|1 - decay| / |1 - decay * exp(-i * angle)|`` (sum the geometric series).

    Args:
        decay: EMA decay in (0, 1), e.g. 0.999.
        angle: rotation per step in radians (the bilinear game with step size eta turns by about eta).

    Returns:
        The radius, a float in (0, 1].
    """
    return float(abs(1.0 - decay) / abs(1.0 - decay * np.exp(-1j * angle)))


def check_ema_orbit_radius(decay: float, angle: float, radius: float) -> str:
    """Exercise 1: the learner's steady-state radius of the EMA of a unit orbit (rotation ``angle`` per step).

    Raises:
        AssertionError: decay outside (0, 1), or a radius more than 3% away from the geometric series' sum (the
            alternating game's orbit is an ellipse within about 1.3% of a circle at step 0.05, hence the margin).
    """
    assert 0.0 < decay < 1.0, f"decay must be between 0 and 1, got {decay}"
    expected = ema_orbit_radius(decay, angle)
    assert np.isclose(radius, expected, rtol=0.03), (
        f"the EMA's orbit has radius {expected:.4f}, not {radius:.4f}: sum (1 - decay) * decay^k * exp(-i * angle * k) over k")
    return f"right: the average circles at radius {expected:.4f}, {1 / expected:.0f} times closer to the equilibrium than the iterate"


def check_hinge_discriminator_loss(loss_fn: Callable[[tf.Tensor, tf.Tensor], tf.Tensor]) -> str:
    """Exercise 2: the learner's per-example hinge loss of the discriminator, ``loss_fn(real_logits, fake_logits)``.

    Compared with ``max(0, 1 - real) + max(0, 1 + fake)`` on logits from -3 to 3, including those
    beyond the margins, where a right answer is flat.

    Raises:
        AssertionError: a wrong shape (not one loss per example, ``(B,)``) or wrong values.
    """
    values = np.linspace(-3.0, 3.0, 25, dtype=np.float32)
    real, fake = np.meshgrid(values, values)
    real, fake = tf.constant(real.reshape(-1, 1)), tf.constant(fake.reshape(-1, 1))  # (625, 1) each
    got = np.asarray(loss_fn(real, fake))
    expected = hinge_discriminator_loss(real, fake).numpy()
    assert got.shape == expected.shape, f"return one loss per example, shape {expected.shape}, not {got.shape}"
    worst = int(np.argmax(np.abs(got - expected)))
    assert np.allclose(got, expected, atol=1e-5), (
        f"at real logit {float(real[worst, 0]):.2f}, fake logit {float(fake[worst, 0]):.2f} the hinge loss is "
        f"{expected[worst]:.3f}, not {got[worst]:.3f}: max(0, 1 - real) + max(0, 1 + fake)")
    return "right: zero beyond the margins (real logit > 1, fake logit < -1), linear inside them"


def check_largest_singular_value(kernel: np.ndarray, sigma: float) -> str:
    """Exercise 3: the learner's largest singular value of a layer's kernel, as spectral normalization sees it.

    A convolution kernel ``(kh, kw, c_in, c_out)`` is reshaped to ``(kh * kw * c_in, c_out)`` (Miyato et al. 2018,
    as Keras's ``SpectralNormalization``); a Dense kernel ``(n_in, n_out)`` is used as it is.

    Raises:
        AssertionError: sigma more than 2% away from the largest singular value (for example the
            Frobenius norm, which is larger unless the matrix has rank 1).
    """
    kernel = np.asarray(kernel, dtype=np.float64)
    expected = float(np.linalg.svd(kernel.reshape(-1, kernel.shape[-1]), compute_uv=False)[0])
    assert np.isclose(sigma, expected, rtol=0.02), (
        f"the largest singular value is {expected:.4f}, not {sigma:.4f} (the Frobenius norm is "
        f"{np.linalg.norm(kernel):.4f}): use np.linalg.svd or a few dozen power iterations")
    return f"right: sigma = {expected:.4f}; spectral normalization divides this kernel by it"


def check_differentiable_augment(augment: Callable[[tf.Tensor], tf.Tensor], seed: int = 0) -> str:
    """Exercise 4: the learner's augmentation keeps shapes, is random per image, and lets gradients through.

    Args:
        augment: ``(B, 28, 28, 1)`` float32 in [-1, 1] -> same shape, TensorFlow operations only.
        seed: seed of the test images.

    Raises:
        AssertionError: a changed shape, an augmentation that does nothing or treats every image alike,
            or one that blocks the gradient (NumPy inside, or ``tf.stop_gradient``).
    """
    rng = np.random.default_rng(seed)
    images = tf.constant(np.repeat(rng.uniform(-1, 1, (1, 28, 28, 1)), 8, axis=0).astype(np.float32))  # 8 copies
    with tf.GradientTape() as tape:
        tape.watch(images)
        out = augment(images)
        assert tuple(out.shape) == tuple(images.shape), (
            f"the augmentation must keep the shape {tuple(images.shape)}, got {tuple(out.shape)}")
        total = tf.reduce_sum(out * tf.constant(rng.standard_normal((8, 28, 28, 1)).astype(np.float32)))
    out = np.asarray(out)
    assert not np.allclose(out, images.numpy()), "the augmentation left the images unchanged"
    assert not all(np.allclose(out[0], out[i]) for i in range(1, 8)), (
        "eight copies of one image came out alike: draw the random shift or square per image")
    gradient = tape.gradient(total, images)
    assert gradient is not None and np.abs(gradient.numpy()).sum() > 0, (
        "no gradient reaches the input images: use TensorFlow operations only (no NumPy, no tf.stop_gradient), "
        "or G cannot learn through D's augmented view of its images")
    return "right: same shape, a different augmentation per image, and the generator's gradient flows through it"
