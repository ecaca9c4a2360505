"""Resume is exact, Ctrl-C keeps every step, and a damaged checkpoint falls back to the one before.

Measured on CPU (TF 2.21): a run resumed after 1 epoch, or after a Ctrl-C in the middle
of epoch 2, ends with weights, Adam moments and step counters **bit for bit** equal to an
uninterrupted 2-epoch run, and (epoch-boundary resume) the same history.csv losses. The
tests allow a relative tolerance of 1e-6 so that another CPU's thread scheduling cannot
make them flaky. What differs by design: after a mid-epoch resume, that epoch's
history.csv row averages only the steps run after the resume.
"""

import os
import signal

import keras
import numpy as np
import pytest

from gan_lib.callbacks import TrainingCheckpoint
from gan_lib.cli import main
from gan_lib.data import training_stream
from gan_lib.errors import TrainingInterrupted
from gan_lib.gan import GAN
from gan_lib.models import build_models
from gan_lib.plotting import read_history_csv
from gan_lib.training import TrainConfig, train

TOLERANCE = {"rtol": 1e-6, "atol": 1e-7}  # measured difference: 0.0


def config(epochs, model="dcgan"):
    # 256 images / 64 = 4 steps per epoch, 2 per call into TensorFlow: a Ctrl-C can land mid-epoch.
    return TrainConfig(model=model, epochs=epochs, batch_size=64, latent_dim=16, save_every=1, steps_per_execution=2)


class CtrlC(keras.callbacks.Callback):
    """Raise KeyboardInterrupt (what SIGINT does) after generator step ``at``."""

    def __init__(self, at):
        super().__init__()
        self.at = at

    def on_train_batch_end(self, batch, logs=None):
        if int(self.model.g_optimizer.iterations.numpy()) == self.at:
            raise KeyboardInterrupt


def state(gan):
    return [v.numpy() for v in gan.generator.variables + gan.discriminator.variables
            + gan.d_optimizer.variables + gan.g_optimizer.variables]


def assert_same_state(a, b):
    assert len(a) == len(b)
    for x, y in zip(a, b):
        np.testing.assert_allclose(x, y, **TOLERANCE)


def test_resume_after_an_epoch_and_after_ctrl_c_mid_epoch_match_a_straight_run(tmp_path, idx_folder):
    straight = train(tmp_path / "straight", config(2), data_dir=idx_folder, verbose=0)

    train(tmp_path / "resumed", config(1), data_dir=idx_folder, verbose=0)
    resumed = train(tmp_path / "resumed", config(2), resume=True, data_dir=idx_folder, verbose=0)
    assert resumed["epochs_done"] == straight["epochs_done"] == 2
    assert int(resumed["gan"].g_optimizer.iterations.numpy()) == int(straight["gan"].g_optimizer.iterations.numpy()) == 8
    assert_same_state(state(straight["gan"]), state(resumed["gan"]))
    for key in ("d_loss", "g_loss", "d_acc_real", "d_acc_fake"):
        np.testing.assert_allclose(resumed["history"][key], straight["history"][key], **TOLERANCE)

    with pytest.raises(TrainingInterrupted, match=r"saved epoch 2 at step 2 of 4 in .*ckpt-6; continue with --resume"):
        train(tmp_path / "ctrl_c", config(2), data_dir=idx_folder, verbose=0, callbacks=[CtrlC(at=6)])
    assert read_history_csv(tmp_path / "ctrl_c" / "history.csv")["epoch"] == [0]  # epoch 2 not complete
    continued = train(tmp_path / "ctrl_c", config(2), resume=True, data_dir=idx_folder, verbose=0)
    assert continued["epochs_done"] == 2
    assert int(continued["gan"].g_optimizer.iterations.numpy()) == 8  # 6 before Ctrl-C + the 2 left, none redone
    assert_same_state(state(straight["gan"]), state(continued["gan"]))
    assert read_history_csv(tmp_path / "ctrl_c" / "history.csv")["epoch"] == [0, 1]


def test_ctrl_c_after_the_last_step_of_an_epoch_keeps_the_previous_checkpoint(tmp_path, idx_folder):
    # The one window where Ctrl-C saves nothing new: the epoch's steps are done but its outputs
    # (history row, grid, checkpoint) are not all written. The epoch is then trained again.
    train(tmp_path / "run", config(1, "mlp"), data_dir=idx_folder, verbose=0)
    with pytest.raises(TrainingInterrupted, match=r"the last checkpoint is .*ckpt-4; continue with --resume"):
        train(tmp_path / "run", config(3, "mlp"), resume=True, data_dir=idx_folder, verbose=0, callbacks=[CtrlC(at=8)])
    assert sorted(p.name for p in (tmp_path / "run" / "checkpoints").glob("*.index")) == ["ckpt-4.index"]
    assert train(tmp_path / "run", config(2, "mlp"), resume=True, data_dir=idx_folder, verbose=0)["epochs_done"] == 2


def make_gan():
    generator, discriminator = build_models("mlp", latent_dim=16)
    gan = GAN(generator, discriminator, seed=0)
    gan.compile(keras.optimizers.Adam(), keras.optimizers.Adam())
    return gan


def test_a_second_ctrl_c_during_the_save_cannot_cut_it_short(tmp_path, monkeypatch):
    gan = make_gan()
    checkpoint = TrainingCheckpoint(gan, tmp_path / "ckpt")
    checkpoint.set_model(gan)
    checkpoint.on_epoch_begin(0)
    gan.train_step(np.zeros((8, 28, 28, 1), np.float32))
    real_save = checkpoint.manager.save

    def save_with_second_ctrl_c(**kwargs):
        os.kill(os.getpid(), signal.SIGINT)  # ignored while saving
        return real_save(**kwargs)

    monkeypatch.setattr(checkpoint.manager, "save", save_with_second_ctrl_c)
    # Python's own handler, as in a terminal (a shell's background job starts with SIGINT ignored).
    outer = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        assert checkpoint.save_interrupted()
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # restored afterwards
    finally:
        signal.signal(signal.SIGINT, outer)
    fresh = TrainingCheckpoint(make_gan(), tmp_path / "ckpt")
    assert fresh.restore() == 0 and int(fresh.step.numpy()) == 1  # epoch 1 in progress, 1 step done


def test_damaged_newest_checkpoint_falls_back_to_the_previous_one(tmp_path, idx_folder, capsys):
    run = tmp_path / "run"
    train(run, config(2, "mlp"), data_dir=idx_folder, verbose=0)
    newest = run / "checkpoints" / "ckpt-8.data-00000-of-00001"
    newest.write_bytes(newest.read_bytes()[:100])  # a torn write the index file already points at

    checkpoint = TrainingCheckpoint(make_gan_like_config(), run / "checkpoints")
    assert checkpoint.restore() == 1 and checkpoint.restored_path.endswith("ckpt-4")

    code = main(["train", "--model", "mlp", "--batch-size", "64", "--latent-dim", "16", "--epochs", "2",
                 "--data-dir", str(idx_folder), "--out", str(run), "--resume"])
    assert code == 0, capsys.readouterr().err
    assert read_history_csv(run / "history.csv")["epoch"] == [0, 1]  # epoch 2 trained again from ckpt-4

    for path in (run / "checkpoints").glob("ckpt-*.data-*"):
        path.write_bytes(b"")
    code = main(["train", "--model", "mlp", "--batch-size", "64", "--latent-dim", "16", "--epochs", "3",
                 "--data-dir", str(idx_folder), "--out", str(run), "--resume"])
    err = capsys.readouterr().err
    assert code == 2 and "no checkpoint in" in err and "reads" in err and err.count("\n") == 1, err


def make_gan_like_config():
    generator, discriminator = build_models("mlp", latent_dim=16)
    gan = GAN(generator, discriminator)
    gan.compile(keras.optimizers.Adam(), keras.optimizers.Adam())
    return gan


def test_resume_removes_what_a_killed_run_left_half_written(tmp_path, idx_folder):
    run = tmp_path / "run"
    train(run, config(1, "mlp"), data_dir=idx_folder, verbose=0)
    leftovers = [run / ".generator_model_002.tmp12345.keras", run / "checkpoints" / "checkpoint.tmpabc123"]
    for path in leftovers:
        path.write_bytes(b"half")
    (run / "checkpoints" / "ckpt-8_temp").mkdir()
    keep = run / "notes.tmp.txt"  # not one of ours
    keep.write_text("mine")
    train(run, config(2, "mlp"), resume=True, data_dir=idx_folder, verbose=0)
    assert not any(path.exists() for path in leftovers) and not (run / "checkpoints" / "ckpt-8_temp").exists()
    assert keep.read_text() == "mine"


def test_training_stream_restarts_exactly_at_any_step():
    images = np.arange(10, dtype=np.uint8).reshape(10, 1, 1).repeat(28, 1).repeat(28, 2)

    def first_pixels(dataset, n):
        return [tuple(np.rint((batch[:, 0, 0, 0].numpy() + 1) * 127.5).astype(int)) for batch in dataset.take(n)]

    stream, per_epoch = training_stream(images, batch_size=3, seed=5)
    assert per_epoch == 3
    whole = first_pixels(stream, 9)
    for epoch in range(3):  # each epoch: 9 distinct images, the 10th left out
        assert len(set(sum(whole[epoch * 3:(epoch + 1) * 3], ()))) == 9
    assert whole[:3] != whole[3:6]  # a new order every epoch
    for start in (1, 3, 4, 8):
        assert first_pixels(training_stream(images, batch_size=3, seed=5, start_step=start)[0], 9 - start) == whole[start:]
    assert first_pixels(training_stream(images, batch_size=3, seed=6)[0], 3) != whole[:3]
    batch = next(iter(stream))
    assert batch.shape == (3, 28, 28, 1) and batch.dtype == np.float32


@pytest.mark.parametrize("bad, message", [
    (np.zeros((10, 28, 28), np.float32), "must be uint8"),
    (np.zeros((2, 28, 28), np.uint8), "fewer than one batch"),
    (np.zeros((10, 28, 28, 3), np.uint8), "must have shape"),
])
def test_training_stream_refuses_bad_images(bad, message):
    with pytest.raises(ValueError, match=message):
        training_stream(bad, batch_size=3)
