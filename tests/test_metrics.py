"""gan_lib.metrics on known cases: closed-form FID, self-distance 0, noise, one class, a perfect classifier."""

import math

import keras
import numpy as np
import pytest

from gan_lib.classifier import load_classifier
from gan_lib.data import load_mnist
from gan_lib.metrics import (
    MetricsCallback,
    class_coverage,
    classifier_score,
    coverage_from_labels,
    embed,
    evaluate,
    frechet_distance,
    frechet_distance_from_moments,
    nearest_neighbours,
    score_from_probabilities,
)


@pytest.fixture(scope="module")
def classifier():
    return load_classifier()


@pytest.fixture
def mnist(mnist_dir):
    return load_mnist(mnist_dir)


def random_rotation(d, rng):
    q, _ = np.linalg.qr(rng.standard_normal((d, d)))
    return q


# ---------- Fréchet distance: the formula ----------

def test_frechet_distance_of_diagonal_gaussians_matches_closed_form():
    rng = np.random.default_rng(0)
    mu1, mu2 = rng.standard_normal(5), rng.standard_normal(5)
    a, b = rng.uniform(0.1, 3, 5), rng.uniform(0.1, 3, 5)
    expected = np.sum((mu1 - mu2) ** 2) + np.sum((np.sqrt(a) - np.sqrt(b)) ** 2)
    assert frechet_distance_from_moments(mu1, np.diag(a), mu2, np.diag(b)) == pytest.approx(expected, rel=1e-9)


def test_frechet_distance_of_rotated_commuting_covariances_matches_closed_form():
    # S1 = Q diag(a) Q^T, S2 = Q diag(b) Q^T: full matrices, same closed form as the diagonal case.
    rng = np.random.default_rng(1)
    q = random_rotation(8, rng)
    a, b = rng.uniform(0.0, 2, 8), rng.uniform(0.5, 2, 8)
    a[0] = 0.0  # singular covariance: eigenvalues must be clipped, not NaN
    s1, s2 = q @ np.diag(a) @ q.T, q @ np.diag(b) @ q.T
    expected = np.sum((np.sqrt(a) - np.sqrt(b)) ** 2)
    assert frechet_distance_from_moments(np.zeros(8), s1, np.zeros(8), s2) == pytest.approx(expected, rel=1e-7, abs=1e-9)


def test_frechet_distance_matches_scipy_sqrtm_on_non_commuting_covariances():
    linalg = pytest.importorskip("scipy.linalg")  # scipy is a reference here, not a dependency
    rng = np.random.default_rng(2)
    x, y = rng.standard_normal((6, 6)), rng.standard_normal((6, 6))
    s1, s2 = x @ x.T + 0.1 * np.eye(6), y @ y.T + 0.1 * np.eye(6)
    mu1, mu2 = rng.standard_normal(6), rng.standard_normal(6)
    expected = np.sum((mu1 - mu2) ** 2) + np.trace(s1 + s2 - 2 * linalg.sqrtm(s1 @ s2).real)
    assert frechet_distance_from_moments(mu1, s1, mu2, s2) == pytest.approx(expected, rel=1e-6)


def test_frechet_distance_refuses_mismatched_shapes():
    with pytest.raises(ValueError, match="covariances"):
        frechet_distance_from_moments(np.zeros(3), np.eye(3), np.zeros(4), np.eye(4))


# ---------- FID on real digits ----------

def test_fid_of_a_set_against_itself_is_zero_and_grows_with_noise(classifier, mnist):
    _, (x_test, _) = mnist
    real = embed(x_test[:500], classifier)
    assert frechet_distance(real, real) == pytest.approx(0.0, abs=1e-6)
    rng = np.random.default_rng(0)
    clean = x_test[:500].astype(np.float32) / 127.5 - 1
    fids = []
    for sigma in (0.1, 0.3, 0.6):
        noisy = np.clip(clean + sigma * rng.standard_normal(clean.shape).astype(np.float32), -1, 1)
        fids.append(frechet_distance(real, embed(noisy, classifier)))
    assert 0 < fids[0] < fids[1] < fids[2], fids


def test_fid_is_symmetric_and_accepts_both_shapes_and_dtypes(classifier, mnist):
    (x_train, _), (x_test, _) = mnist
    a, b = x_train[::10][:300], x_test[:300]
    forward = frechet_distance(a, b, classifier)
    assert frechet_distance(b, a, classifier) == pytest.approx(forward, rel=1e-6)
    as_float = (b[..., None].astype(np.float32) / 127.5 - 1)  # (N, 28, 28, 1) float32 in [-1, 1]
    assert frechet_distance(a, as_float, classifier) == pytest.approx(forward, rel=1e-4)


# ---------- classifier score ----------

def test_classifier_score_of_confident_uniform_classes_is_ten():
    labels = np.arange(1000) % 10
    perfect = np.eye(10)[labels]  # a perfect classifier: one-hot, every class equally often
    assert score_from_probabilities(perfect) == pytest.approx(10.0)
    assert score_from_probabilities(np.eye(10)[np.zeros(100, int)]) == pytest.approx(1.0)  # one class
    assert score_from_probabilities(np.full((100, 10), 0.1)) == pytest.approx(1.0)  # no confidence


def test_classifier_score_of_real_digits_is_near_ten(classifier, mnist):
    _, (x_test, _) = mnist
    score = classifier_score(x_test, classifier)
    assert 9.0 < score <= 10.0


def test_score_refuses_rows_that_are_not_probabilities():
    with pytest.raises(ValueError, match="summing to 1"):
        score_from_probabilities(np.ones((4, 10)))


# ---------- coverage ----------

def test_coverage_from_labels_exact_values():
    one_class = coverage_from_labels(np.full(50, 7))
    assert one_class["classes"] == 1 and one_class["histogram"][7] == 1.0
    assert one_class["kl_to_uniform"] == pytest.approx(math.log(10))
    balanced = coverage_from_labels(np.arange(100) % 10)
    assert balanced["classes"] == 10 and balanced["kl_to_uniform"] == pytest.approx(0.0, abs=1e-12)
    # 4% is below the 5% threshold: 24 of each of 4 classes + 4 of a fifth
    almost = coverage_from_labels(np.repeat([0, 1, 2, 3, 4], [24, 24, 24, 24, 4]))
    assert almost["classes"] == 4


def test_single_class_set_has_coverage_one(classifier, mnist):
    _, (x_test, y_test) = mnist
    threes = x_test[y_test == 3]
    coverage = class_coverage(threes, classifier)
    assert coverage["classes"] == 1
    assert coverage["kl_to_uniform"] > 2.0  # log(10) = 2.30 for a perfectly single class
    assert class_coverage(x_test, classifier)["classes"] == 10


# ---------- nearest neighbours ----------

def test_nearest_neighbours_match_brute_force():
    rng = np.random.default_rng(0)
    train = rng.integers(0, 256, (300, 28, 28), dtype=np.uint8)
    fake = np.concatenate([train[[5, 17]], rng.integers(0, 256, (3, 28, 28), dtype=np.uint8)])
    distances, indices = nearest_neighbours(fake, train, k=3, max_elements=1000)  # tiny blocks
    brute = np.sqrt(((fake.reshape(5, 1, -1) / 255.0 - train.reshape(1, 300, -1) / 255.0) ** 2).sum(-1))
    assert distances.shape == indices.shape == (5, 3)
    assert distances.dtype == np.float32 and indices.dtype == np.int64
    np.testing.assert_array_equal(indices, np.argsort(brute, axis=1)[:, :3])
    np.testing.assert_allclose(distances, np.sort(brute, axis=1)[:, :3], rtol=1e-6)
    assert distances[0, 0] == 0.0 and indices[0, 0] == 5 and indices[1, 0] == 17  # copies are found exactly


def test_nearest_neighbours_accept_float_images_and_refuse_bad_k():
    rng = np.random.default_rng(1)
    train = rng.integers(0, 256, (20, 28, 28), dtype=np.uint8)
    as_float = train[:4, :, :, None].astype(np.float32) / 127.5 - 1
    distances, indices = nearest_neighbours(as_float, train)
    np.testing.assert_array_equal(indices[:, 0], np.arange(4))
    assert np.all(distances < 1e-5)
    with pytest.raises(ValueError, match="k must be between 1 and"):
        nearest_neighbours(as_float, train, k=21)


# ---------- input checking ----------

@pytest.mark.parametrize(
    "images, message",
    [
        (np.zeros((4, 32, 32), np.uint8), r"\(N, 28, 28\) or \(N, 28, 28, 1\)"),
        (np.zeros((4, 28, 28, 3), np.uint8), r"\(N, 28, 28\) or \(N, 28, 28, 1\)"),
        (np.zeros((0, 28, 28), np.uint8), "N >= 1"),
        (np.zeros((4, 28, 28), np.int32), "uint8 in \\[0, 255\\] or float"),
        (np.full((4, 28, 28), 255.0, np.float32), r"must be in \[-1, 1\]"),
        (np.full((4, 28, 28), np.nan, np.float32), "NaN"),
    ],
)
def test_bad_images_are_refused_clearly(images, message):
    with pytest.raises(ValueError, match=message):
        class_coverage(images, classifier=keras.Sequential())  # fails on the images, before the classifier


# ---------- evaluate ----------

def test_evaluate_compares_at_equal_n(classifier, mnist):
    (x_train, _), (x_test, _) = mnist
    some_train = x_train[np.random.default_rng(0).choice(len(x_train), 700, replace=False)]  # the file is sorted by class
    result = evaluate(some_train, x_test, x_train, classifier, max_neighbours=50)
    assert result["n"] == 700 and result["nn_n"] == 50
    assert result["classes"] == 10 and result["fid"] > 0
    assert result["nn_median"] == 0.0  # training images are their own nearest neighbours
    with pytest.raises(ValueError, match="n must be between 2"):
        evaluate(x_train[:10], x_test, n=11, classifier=classifier)


# ---------- MetricsCallback ----------

def tiny_gan(latent_dim=4):
    from gan_lib.gan import GAN
    from gan_lib.models import build_mlp_discriminator

    generator = keras.Sequential([keras.Input((latent_dim,)), keras.layers.Dense(784, activation="tanh"),
                                  keras.layers.Reshape((28, 28, 1))])
    gan = GAN(generator, build_mlp_discriminator(), seed=0)
    gan.compile(keras.optimizers.Adam(1e-3), keras.optimizers.Adam(1e-3))
    return gan


def test_metrics_callback_logs_into_history(classifier, mnist):
    from gan_lib.data import make_dataset

    _, (x_test, _) = mnist
    callback = MetricsCallback(x_test, every=2, n=64, classifier=classifier)
    history = tiny_gan().fit(make_dataset(x_test[:128], 64, seed=0), epochs=3, callbacks=[callback], verbose=0)
    fid = history.history["fid"]
    assert len(fid) == 3 and math.isnan(fid[0]) and fid[1] > 0 and fid[2] > 0  # measured at epoch 2 and the last
    assert callback.history["epoch"] == [2, 3]
    assert callback.history["fid"] == fid[1:]
    assert all(1 <= s <= 10 for s in callback.history["classifier_score"])


def test_metrics_callback_writes_tensorboard_scalars(tmp_path, classifier, mnist):
    pytest.importorskip("tensorboard")  # tf.summary needs it; Colab has it
    from gan_lib.data import make_dataset

    _, (x_test, _) = mnist
    callback = MetricsCallback(x_test, every=1, n=64, classifier=classifier, log_dir=tmp_path / "logs")
    tiny_gan().fit(make_dataset(x_test[:64], 64, seed=0), epochs=1, callbacks=[callback], verbose=0)
    assert list((tmp_path / "logs").glob("events.out.tfevents.*"))


def test_metrics_callback_refuses_too_few_real_images(mnist):
    _, (x_test, _) = mnist
    with pytest.raises(ValueError, match="n must be between 2"):
        MetricsCallback(x_test[:10], n=100)
