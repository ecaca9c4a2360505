"""`train --model cgan | wgan-gp` and `--dataset folder` end to end (lessons 06 and 07)."""

import imageio.v3 as iio
import numpy as np
import pytest
from test_cli import run_cli

from gan_lib.modelio import load_generator
from gan_lib.samples import load_samples

TINY = ["--max-images", "320", "--batch-size", "32", "--latent-dim", "16", "--epochs", "1", "--save-every", "1"]


def test_conditional_gan_trains_samples_and_draws_one_row_per_digit(tmp_path, capsys, mnist_dir):
    run = tmp_path / "cgan"
    code, _, err = run_cli(capsys, "train", "--model", "cgan", *TINY, "--data-dir", mnist_dir, "--out", run)
    assert code == 0, err
    assert (run / "generated_plot_e001.png").exists()
    generator = load_generator(run / "generator.keras", latent_dim=16)
    assert len(generator.inputs) == 2  # [z, label]
    code, out, err = run_cli(capsys, "sample", run / "generator.keras", "--n", 20, "--out", tmp_path / "s.npz")
    assert code == 0 and "digits 0-9 in turn" in out, err
    images, z = load_samples(tmp_path / "s.npz")
    assert images.shape == (20, 28, 28) and z.shape == (20, 16)


def test_wgan_gp_trains_on_fashion_mnist(tmp_path, capsys, mnist_dir):
    run = tmp_path / "wgan"
    # 320 images = 2 steps of n_critic (5) x 32; the parent folder holds fashion-mnist/ in CI
    code, _, err = run_cli(capsys, "train", "--model", "wgan-gp", "--dataset", "fashion_mnist", *TINY,
                             "--data-dir", mnist_dir.parent if mnist_dir.name == "mnist" else mnist_dir, "--out", run)
    if code == 2 and "fashion" in err.lower() and "does not exist" in err:
        pytest.skip("no offline Fashion-MNIST beside the MNIST folder")
    assert code == 0, err
    header = (run / "history.csv").read_text().splitlines()[0].split(",")
    assert {"d_loss", "g_loss", "gradient_penalty", "wasserstein_distance"} <= set(header)
    assert (run / "losses.png").exists()


@pytest.fixture
def image_folder(tmp_path):
    folder = tmp_path / "my_images"
    (folder / "rgb").mkdir(parents=True)
    rng = np.random.default_rng(0)
    for i in range(40):
        iio.imwrite(folder / f"gray_{i}.png", rng.integers(0, 256, (32, 32), dtype=np.uint8))
        iio.imwrite(folder / "rgb" / f"colour_{i}.png", rng.integers(0, 256, (50, 40, 3), dtype=np.uint8))
    return folder


def test_training_on_a_folder_of_images(tmp_path, capsys, image_folder):
    run = tmp_path / "run"
    code, _, err = run_cli(capsys, "train", "--dataset", "folder", "--data-dir", image_folder, "--batch-size", "16",
                             "--latent-dim", "16", "--epochs", "1", "--out", run)
    assert code == 0, err
    assert "image folder my_images/" in (run / "run.json").read_text()
    assert load_generator(run / "generator.keras").output_shape == (None, 28, 28, 1)


@pytest.mark.parametrize("problem, args, message", [
    ("empty", ["--dataset", "folder"], "holds no images"),
    ("broken", ["--dataset", "folder"], "broken.png is not a readable image"),
    ("no data dir", ["--dataset", "folder"], "needs --data-dir"),
    ("cgan without labels", ["--dataset", "folder", "--model", "cgan"], "needs class labels"),
])
def test_bad_folder_input_gets_one_line(tmp_path, capsys, image_folder, problem, args, message):
    folder = tmp_path / "empty"
    folder.mkdir()
    if problem == "broken":
        (image_folder / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n truncated")
        folder = image_folder
    data_dir = [] if problem == "no data dir" else ["--data-dir", folder]
    code, _, err = run_cli(capsys, "train", *args, *data_dir, "--epochs", "1", "--out", tmp_path / "run")
    assert code == 2
    assert message in err and len(err.strip().splitlines()) == 1, err
    assert not (tmp_path / "run" / "config.json").exists()
