import numpy as np
import pytest

from gan_lib.losses import discriminator_loss, generator_loss


def bce(label, logit):
    """Hand-computed binary cross-entropy of sigmoid(logit) against label."""
    p = 1 / (1 + np.exp(-logit))
    return -(label * np.log(p) + (1 - label) * np.log(1 - p))


LOGITS_REAL = np.array([[2.0], [-1.0], [0.5]], np.float32)
LOGITS_FAKE = np.array([[-3.0], [0.0], [1.5]], np.float32)


@pytest.mark.parametrize("real_label", [1.0, 0.9])
def test_discriminator_loss_matches_hand_computation(real_label):
    expected = bce(real_label, LOGITS_REAL[:, 0]) + bce(0.0, LOGITS_FAKE[:, 0])
    got = discriminator_loss(LOGITS_REAL, LOGITS_FAKE, real_label).numpy()
    assert got.shape == (3,)
    np.testing.assert_allclose(got, expected, rtol=1e-5)


def test_generator_loss_is_non_saturating():
    got = generator_loss(LOGITS_FAKE).numpy()
    np.testing.assert_allclose(got, -np.log(1 / (1 + np.exp(-LOGITS_FAKE[:, 0]))), rtol=1e-5)
    # Where D confidently rejects fakes (very negative logit), -log D(G(z)) stays steep:
    # its derivative w.r.t. the logit tends to -1, unlike log(1 - D(G(z))), whose tends to 0.
    assert generator_loss(np.array([[-20.0]], np.float32)).numpy()[0] == pytest.approx(20.0, rel=1e-4)


def test_losses_are_stable_for_extreme_logits():
    extreme = np.array([[1e4], [-1e4]], np.float32)
    assert np.isfinite(discriminator_loss(extreme, extreme).numpy()).all()
    assert np.isfinite(generator_loss(extreme).numpy()).all()
