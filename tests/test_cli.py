"""The command line end to end, on the real offline MNIST folder ($GAN_LIB_DATA_DIR)."""

import csv
import json
import subprocess
import sys

import numpy as np
import pytest

from gan_lib.cli import main

FAST = ["--model", "dcgan", "--max-images", "256", "--batch-size", "64", "--latent-dim", "16"]


def run_cli(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def history_epochs(run):
    with open(run / "history.csv") as f:
        return [int(row["epoch"]) for row in csv.DictReader(f)]


def test_train_sample_resume_end_to_end(tmp_path, capsys, mnist_dir):
    run = tmp_path / "run"
    code, out, err = run_cli(capsys, "train", *FAST, "--epochs", 1, "--save-every", 1, "--data-dir", mnist_dir, "--out", run)
    assert code == 0, err
    assert "trained 1 epoch (4 steps, " in out and "steps/s) in " in out
    for name in ("config.json", "history.csv", "losses.png", "generated_plot_e001.png", "progress.gif",
                 "generator_model_001.keras", "generator.keras", "checkpoints/checkpoint"):
        assert (run / name).is_file(), name
    assert history_epochs(run) == [0]
    with open(run / "history.csv") as f:
        assert not [c for c in next(csv.reader(f)) if c.startswith("val_")], "empty val_* columns in history.csv"
    assert json.loads((run / "config.json").read_text())["latent_dim"] == 16
    assert not list(run.glob(".*tmp*")), "temporary files left behind"

    samples = tmp_path / "samples.npz"
    code, out, err = run_cli(capsys, "sample", run / "generator.keras", "--n", 12, "--seed", 1, "--out", samples)
    assert code == 0, err
    with np.load(samples, allow_pickle=False) as data:
        images = data["images"]
    assert images.shape == (12, 28, 28) and images.dtype == np.uint8
    assert images.std() > 0  # not a constant image

    code, out, err = run_cli(capsys, "sample", run / "generator.keras", "--n", 12, "--seed", 1, "--out", tmp_path / "again.npz")
    with np.load(tmp_path / "again.npz") as again:
        assert np.array_equal(again["images"], images)  # same seed, same samples

    code, out, err = run_cli(capsys, "train", *FAST, "--epochs", 2, "--save-every", 1, "--data-dir", mnist_dir, "--out", run, "--resume")
    assert code == 0, err
    assert "trained 2 epochs (4 steps, " in out  # the resumed call made one epoch of 4 steps
    assert "Epoch 2/2" in out
    assert history_epochs(run) == [0, 1]
    assert (run / "generated_plot_e002.png").is_file() and (run / "generator_model_002.keras").is_file()


def test_time_limit_stops_cleanly_and_writes_outputs(tmp_path, capsys, mnist_dir):
    run = tmp_path / "run"
    code, out, err = run_cli(capsys, "train", *FAST, "--epochs", 50, "--time-limit", 0.001, "--data-dir", mnist_dir, "--out", run)
    assert code == 0, err
    assert "trained 1 epoch (" in out  # 0.06 s: stops within the first epoch
    assert (run / "generated_plot_e001.png").is_file() and (run / "generator.keras").is_file()


def test_time_limit_alone_shows_time_progress_stores_the_limit_and_resumes(tmp_path, capsys, mnist_dir):
    run = tmp_path / "run"
    code, out, err = run_cli(capsys, "train", *FAST, "--time-limit", 0.02, "--save-every", 1000, "--data-dir", mnist_dir,
                             "--out", run)
    assert code == 0, err
    assert "/1000000" not in out
    assert "Epoch 1 · 0:00 of 0:01" in out, out[-2000:]  # the limit is 1.2 s
    config = json.loads((run / "config.json").read_text())
    assert config["epochs"] is None and config["time_limit_seconds"] == pytest.approx(1.2)
    first = json.loads((run / "run.json").read_text())["epochs_done"]
    assert first >= 1

    code, out, err = run_cli(capsys, "train", *FAST, "--time-limit", 0.02, "--save-every", 1000, "--data-dir", mnist_dir,
                             "--out", run, "--resume")
    assert code == 0, err
    assert f"Epoch {first + 1} · 0:00 of 0:01" in out, out[-2000:]
    summary = json.loads((run / "run.json").read_text())
    assert summary["epochs_before"] == first and summary["epochs_done"] > first
    assert history_epochs(run) == list(range(summary["epochs_done"]))


def test_resume_without_epochs_or_time_limit_continues_the_run_as_set(tmp_path, capsys, mnist_dir):
    """--resume alone keeps the run's --epochs (3 here, not the default 20), and refuses a run that a
    time limit alone ended (there is no epoch count to go on to) with a line naming both flags."""
    run = tmp_path / "run"
    code, _, err = run_cli(capsys, "train", *FAST, "--epochs", 3, "--time-limit", 0.0001, "--save-every", 1000,
                           "--data-dir", mnist_dir, "--out", run)
    assert code == 0, err
    assert history_epochs(run) == [0]
    code, out, err = run_cli(capsys, "train", *FAST, "--save-every", 1000, "--data-dir", mnist_dir, "--out", run,
                             "--resume")
    assert code == 0, err
    assert "Epoch 3/3" in out and history_epochs(run) == [0, 1, 2]

    timed = tmp_path / "timed"
    code, _, err = run_cli(capsys, "train", *FAST, "--time-limit", 0.0001, "--save-every", 1000, "--data-dir", mnist_dir,
                           "--out", timed)
    assert code == 0, err
    code, _, err = run_cli(capsys, "train", *FAST, "--data-dir", mnist_dir, "--out", timed, "--resume")
    assert code == 2 and "was limited by time" in err and "--time-limit MINUTES" in err and "--epochs N" in err, err
    assert history_epochs(timed) == [0]


def test_run_progress_counts_the_whole_run():
    from gan_lib.callbacks import RunProgress

    assert RunProgress(total_epochs=3).epoch_line(1) == "Epoch 2/3"  # a resumed part-epoch no longer shows "2/2"
    assert RunProgress(time_limit=600).epoch_line(9) == "Epoch 10 · 0:00 of 10:00"


@pytest.mark.parametrize(
    "argv, message",
    [
        (["train", "--epochs", "0", "--out", "x"], "--epochs: must be a positive integer, got 0"),
        (["train", "--batch-size", "-5", "--out", "x"], "--batch-size: must be a positive integer, got -5"),
        (["train", "--latent-dim", "abc", "--out", "x"], "--latent-dim: 'abc' is not an integer"),
        (["train", "--time-limit", "0", "--out", "x"], "--time-limit: must be positive"),
        (["train", "--model", "vae", "--out", "x"], "invalid choice: 'vae'"),
        (["train"], "the following arguments are required: --out"),
        (["sample", "g.keras", "--n", "0", "--out", "s.npz"], "--n: must be a positive integer"),
        (["train", "--epochs", "-3", "--out", "x"], "--epochs: must be a positive integer, got -3"),
        (["train", "--batch-size", "0", "--out", "x"], "--batch-size: must be a positive integer, got 0"),
        (["train", "--latent-dim", "0", "--out", "x"], "--latent-dim: must be a positive integer, got 0"),
        (["train", "--latent-dim", "-1", "--out", "x"], "--latent-dim: must be a positive integer, got -1"),
        (["train", "--save-every", "0", "--out", "x"], "--save-every: must be a positive integer, got 0"),
        (["train", "--max-images", "0", "--out", "x"], "--max-images: must be a positive integer, got 0"),
        (["train", "--epochs", "2.5", "--out", "x"], "--epochs: '2.5' is not an integer"),
        (["train", "--seed", "x", "--out", "x"], "--seed: invalid int value"),
        (["train", "--dataset", "cifar10", "--out", "x"], "invalid choice: 'cifar10'"),
        (["sample", "g.keras", "--n", "-1", "--out", "s.npz"], "--n: must be a positive integer, got -1"),
        (["sample", "g.keras", "--latent-dim", "0", "--out", "s.npz"], "--latent-dim: must be a positive integer"),
        (["sample", "--out", "s.npz"], "the following arguments are required: generator"),
    ],
)
def test_bad_arguments_get_one_line_and_exit_2(capsys, argv, message):
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    err = capsys.readouterr().err
    assert exit_info.value.code == 2
    assert message in err and err.count("\n") == 1, err


def test_missing_data_folder(tmp_path, capsys):
    code, _, err = run_cli(capsys, "train", "--data-dir", tmp_path / "nowhere", "--out", tmp_path / "run")
    assert code == 2 and "does not exist" in err and err.count("\n") == 1


def test_failed_download_is_one_line_naming_the_offline_fix(tmp_path, capsys, monkeypatch):
    """No data folder and no network: Keras's downloader raises a bare Exception (its real message below)."""
    import keras

    def offline(*args, **kwargs):
        raise Exception("URL fetch failure on https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz: "
                        "None -- [Errno -2] Name or service not known")

    monkeypatch.delenv("GAN_LIB_DATA_DIR", raising=False)
    monkeypatch.setattr(keras.datasets.mnist, "load_data", offline)
    code, out, err = run_cli(capsys, "train", "--model", "dcgan", "--time-limit", 10, "--out", tmp_path / "run")
    assert code == 2
    assert len(err.strip().splitlines()) == 1, err
    assert "could not download mnist" in err and "Name or service not known" in err
    assert "GAN_LIB_DATA_DIR" in err and "--data-dir" in err
    assert not (tmp_path / "run").exists(), "a failed download must leave no run folder behind"


def test_missing_generator_file(tmp_path, capsys):
    code, _, err = run_cli(capsys, "sample", tmp_path / "none.keras", "--out", tmp_path / "s.npz")
    assert code == 2 and "none.keras does not exist" in err


def test_corrupt_generator_file(tmp_path, capsys):
    bad = tmp_path / "bad.keras"
    bad.write_bytes(b"not a zip")
    code, _, err = run_cli(capsys, "sample", bad, "--out", tmp_path / "s.npz")
    assert code == 2 and "is not a loadable Keras generator" in err and err.count("\n") == 1
    assert not (tmp_path / "s.npz").exists()


def test_generator_that_is_a_folder(tmp_path, capsys):
    (tmp_path / "run").mkdir()
    code, _, err = run_cli(capsys, "sample", tmp_path / "run", "--out", tmp_path / "s.npz")
    assert code == 2 and "run is a folder, not a Keras generator; give a .keras file" in err and err.count("\n") == 1


def test_resume_mid_epoch_counts_epochs_of_the_whole_run(tmp_path, capsys, idx_folder):
    """Ctrl-C in epoch 2 of 3, then --resume: the lines read 2/3 and 3/3 (not 2/2, then 3/3)."""
    import keras

    from gan_lib.errors import TrainingInterrupted
    from gan_lib.training import TrainConfig, train

    class CtrlC(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            if int(self.model.g_optimizer.iterations.numpy()) == 6:  # epoch 2, step 2 of 4
                raise KeyboardInterrupt

    config = TrainConfig(model="mlp", epochs=3, batch_size=64, latent_dim=16, steps_per_execution=1)
    with pytest.raises(TrainingInterrupted):
        train(tmp_path / "run", config, data_dir=idx_folder, verbose=0, callbacks=[CtrlC()])
    capsys.readouterr()
    train(tmp_path / "run", config, resume=True, data_dir=idx_folder, verbose=2)
    out = capsys.readouterr().out
    assert "Epoch 2/3" in out and "Epoch 3/3" in out and "Epoch 2/2" not in out, out


def test_out_that_is_a_file(tmp_path, capsys, idx_folder):
    (tmp_path / "file").write_text("x")
    code, _, err = run_cli(capsys, "train", *FAST, "--data-dir", idx_folder, "--out", tmp_path / "file")
    assert code == 2 and "is a file" in err


def test_batch_larger_than_the_data(tmp_path, capsys, idx_folder):
    code, _, err = run_cli(capsys, "train", "--batch-size", 512, "--data-dir", idx_folder, "--out", tmp_path / "run")
    assert code == 2 and "batch-size 512 is larger than the 256 training images" in err and err.count("\n") == 1
    code, _, err = run_cli(capsys, "train", "--batch-size", 64, "--max-images", 32, "--data-dir", idx_folder,
                           "--out", tmp_path / "run")
    assert code == 2 and "max-images (32) must be at least one batch (64)" in err and err.count("\n") == 1
    assert not (tmp_path / "run").exists()  # refused before anything was written


@pytest.fixture
def generator_file(tmp_path):
    from gan_lib.models import build_models

    path = tmp_path / "generator.keras"
    build_models("mlp", latent_dim=16)[0].save(path)
    return path


def test_sample_latent_dim_must_match_the_generator(tmp_path, capsys, generator_file):
    out = tmp_path / "s.npz"
    code, _, err = run_cli(capsys, "sample", generator_file, "--latent-dim", 32, "--out", out)
    assert code == 2 and "takes latent vectors of size 16, not 32; pass --latent-dim 16" in err and err.count("\n") == 1
    assert not out.exists()
    code, _, err = run_cli(capsys, "sample", generator_file, "--latent-dim", 16, "--n", 3, "--out", out)
    assert code == 0 and out.is_file(), err


@pytest.mark.parametrize("out, message", [
    ("folder.npz", "is a folder; give a file name ending in .npz"),
    ("samples.txt", "--out must end in .npz"),
    ("a_file/s.npz", "a_file"),  # a path through a file: the OS error, in one line
])
def test_sample_bad_out(tmp_path, capsys, generator_file, out, message):
    (tmp_path / "folder.npz").mkdir()
    (tmp_path / "a_file").write_text("x")
    code, _, err = run_cli(capsys, "sample", generator_file, "--n", 2, "--out", tmp_path / out)
    assert code == 2 and message in err and err.count("\n") == 1, err


def test_sample_n_beyond_what_a_sample_file_holds(tmp_path, capsys, generator_file):
    code, _, err = run_cli(capsys, "sample", generator_file, "--n", 2_000_000, "--out", tmp_path / "s.npz")
    assert code == 2 and "more than a sample file may hold (1,000,000)" in err and err.count("\n") == 1


def test_resume_with_nothing_to_resume(tmp_path, capsys, idx_folder):
    code, _, err = run_cli(capsys, "train", *FAST, "--data-dir", idx_folder, "--out", tmp_path / "run", "--resume")
    assert code == 2 and "nothing to resume" in err


def test_existing_run_needs_resume_and_matching_settings(tmp_path, capsys, idx_folder):
    run = tmp_path / "run"
    code, _, err = run_cli(capsys, "train", *FAST, "--epochs", 1, "--data-dir", idx_folder, "--out", run)
    assert code == 0, err
    before = (run / "history.csv").read_text()
    code, _, err = run_cli(capsys, "train", *FAST, "--epochs", 1, "--data-dir", idx_folder, "--out", run)
    assert code == 2 and "already holds a run; pass --resume" in err
    code, _, err = run_cli(capsys, "train", *FAST[:-1], "32", "--epochs", 2, "--data-dir", idx_folder, "--out", run, "--resume")
    assert code == 2 and "latent_dim is 32 but the run" in err
    assert (run / "history.csv").read_text() == before  # refused runs change nothing


def test_resume_compares_the_discriminator_kernel_of_runs_saved_before_it_was_a_setting(tmp_path, capsys, idx_folder):
    # A DCGAN run from before --d-kernel existed has no d_kernel in config.json and a 3x3 D in its checkpoint.
    run = tmp_path / "run"
    code, _, err = run_cli(capsys, "train", *FAST, "--epochs", 1, "--d-kernel", 3, "--data-dir", idx_folder, "--out", run)
    assert code == 0, err
    config = json.loads((run / "config.json").read_text())
    del config["d_kernel"]
    (run / "config.json").write_text(json.dumps(config))
    code, _, err = run_cli(capsys, "train", *FAST, "--epochs", 2, "--data-dir", idx_folder, "--out", run, "--resume")
    assert code == 2 and "d_kernel is 5 but the run" in err and "pass --d-kernel 3" in err, err
    code, _, err = run_cli(capsys, "train", *FAST, "--epochs", 2, "--d-kernel", 3, "--data-dir", idx_folder,
                           "--out", run, "--resume")
    assert code == 0, err
    # a run with the default kernel resumes with the default, or with the same size spelled out
    fresh = tmp_path / "fresh"
    assert run_cli(capsys, "train", *FAST, "--epochs", 1, "--data-dir", idx_folder, "--out", fresh)[0] == 0
    code, _, err = run_cli(capsys, "train", *FAST, "--epochs", 2, "--d-kernel", 5, "--data-dir", idx_folder,
                           "--out", fresh, "--resume")
    assert code == 0, err


def test_module_entry_point_prints_one_line_and_no_tensorflow_noise(tmp_path):
    """No traceback, and none of TensorFlow's C++ start-up lines (cudart_stub, oneDNN, cuInit) on a CPU machine."""
    import os

    env = {k: v for k, v in os.environ.items() if k != "TF_CPP_MIN_LOG_LEVEL"}
    bogus = tmp_path / "not_a_model.keras"
    bogus.write_bytes(b"this is not a zip file")
    for target in (tmp_path / "missing.keras", bogus):
        result = subprocess.run(
            [sys.executable, "-m", "gan_lib", "sample", str(target), "--out", str(tmp_path / "s.npz")],
            capture_output=True, text=True, timeout=120, check=False, env=env,
        )
        assert result.returncode == 2
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, result.stderr
        assert lines[0].startswith("python -m gan_lib sample: error:")
        assert len(lines[0]) < 300, lines[0]


def test_ctrl_c_leaves_a_resumable_checkpoint(tmp_path, idx_folder):
    import signal
    import time

    run = tmp_path / "run"
    arguments = ["train", *FAST, "--data-dir", str(idx_folder), "--out", str(run)]
    # A shell that starts jobs in the background makes them ignore SIGINT, and Python then
    # installs no KeyboardInterrupt handler: restore it, as a terminal would have it.
    launcher = ("import runpy, signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler); "
                "sys.argv = ['gan_lib', *sys.argv[1:]]; runpy.run_module('gan_lib', run_name='__main__')")
    command = [sys.executable, "-c", launcher, *arguments, "--epochs", "1000"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while not (run / "checkpoints" / "checkpoint").exists() and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.2)
        time.sleep(1.0)  # interrupt somewhere in a later epoch
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=120)
    finally:
        process.kill()
    assert process.returncode == 130, err[-2000:]
    assert "Traceback" not in err
    last = err.strip().splitlines()[-1]
    # Ctrl-C mid-epoch saves the state ("saved epoch N at step S of T in ..."); right after an epoch's last
    # step, before its checkpoint is written, it keeps the previous one ("the last checkpoint is ...").
    assert last.startswith("python -m gan_lib train: interrupted; ") and last.endswith("; continue with --resume"), last
    assert "saved epoch" in last or "the last checkpoint is" in last
    assert not list(run.rglob(".*tmp*")), "temporary files left behind"

    done = len(history_epochs(run))
    resumed = subprocess.run([sys.executable, "-m", "gan_lib", *arguments, "--epochs", str(done + 1), "--resume"],
                             capture_output=True, text=True, timeout=300, check=False)
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    assert history_epochs(run) == list(range(done + 1))


def test_ctrl_c_message_starts_its_own_line(capsys, monkeypatch):
    """Keras's bar leaves its line open ("... g_loss: 2.2729"); the message must not be glued to it."""
    from gan_lib import cli

    def interrupted_mid_bar(args):
        print("8/78 ━━━━━━━━━━━━ 5s 81ms/step - d_loss: 1.2127 - g_loss: 2.2729", end="", flush=True)
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "_train", interrupted_mid_bar)
    code = cli.main(["train", "--out", "x"])
    out, err = capsys.readouterr()
    assert code == 130
    assert out.endswith("g_loss: 2.2729\n")
    assert err.startswith("python -m gan_lib train: interrupted")
