"""A NaN loss stops training with a clear message, and nothing from the broken epoch is saved."""

import keras
import numpy as np
import pytest

from gan_lib.callbacks import TrainingCheckpoint
from gan_lib.cli import main
from gan_lib.errors import TrainingDiverged
from gan_lib.gan import GAN
from gan_lib.models import build_models
from gan_lib.training import TrainConfig, train


class PoisonGenerator(keras.callbacks.Callback):
    """Inject the fault: set one generator weight to NaN when ``epoch`` begins."""

    def __init__(self, epoch):
        super().__init__()
        self.epoch = epoch

    def on_epoch_begin(self, epoch, logs=None):
        if epoch == self.epoch:
            weight = self.model.generator.trainable_weights[0]
            weight.assign(np.full(weight.shape, np.nan, np.float32))


def test_nan_stops_training_and_the_last_good_checkpoint_survives(tmp_path, idx_folder):
    run = tmp_path / "run"
    config = TrainConfig(epochs=3, batch_size=64, latent_dim=16, save_every=1)
    with pytest.raises(TrainingDiverged, match=r"(d_loss|g_loss) became nan in epoch 2 by step \d+; nothing from this epoch was saved"):
        train(run, config, data_dir=idx_folder, callbacks=[PoisonGenerator(epoch=1)], verbose=0)

    assert (run / "generated_plot_e001.png").is_file() and not (run / "generated_plot_e002.png").exists()
    assert (run / "history.csv").read_text().count("\n") == 2  # header + epoch 1
    generator, discriminator = build_models("dcgan", latent_dim=16)
    gan = GAN(generator, discriminator)
    gan.compile(keras.optimizers.Adam(), keras.optimizers.Adam())
    assert TrainingCheckpoint(gan, run / "checkpoints").restore() == 1
    assert all(np.isfinite(w.numpy()).all() for w in gan.generator.weights + gan.discriminator.weights)

    result = train(run, TrainConfig(epochs=2, batch_size=64, latent_dim=16, save_every=1), resume=True,
                   data_dir=idx_folder, verbose=0)
    assert result["epochs_done"] == 2


def test_cli_reports_divergence_in_one_line(monkeypatch, capsys, tmp_path):
    def diverge(*args, **kwargs):
        raise TrainingDiverged("g_loss became nan in epoch 7 by step 30; ...")

    monkeypatch.setattr("gan_lib.training.train", diverge)
    code = main(["train", "--out", str(tmp_path / "run")])
    err = capsys.readouterr().err
    assert code == 3
    assert err == "python -m gan_lib train: training diverged: g_loss became nan in epoch 7 by step 30; ...\n"
