"""SIGKILL a training run at random moments while it saves; each time the last checkpoint loads and --resume continues.

One tiny run (an MLP on 256 images, 4 steps per epoch, every output saved every epoch)
spends most of its wall time writing files, so a kill at a random moment usually lands
in the middle of a save. The chain: start, wait for a new checkpoint, sleep a random
0-0.8 s, SIGKILL; check the folder; start again with --resume (which must get past the
restored epoch before it is killed in turn); finally let a resumed run finish.

GAN_LIB_KILL_POINTS sets the number of kills (default 5; a stress run uses 30 or more).
Each kill costs one TensorFlow start-up (3-5 s on a 2-core CPU).
"""

import csv
import json
import os
import random
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import keras

from gan_lib.callbacks import TrainingCheckpoint
from gan_lib.gan import GAN
from gan_lib.models import build_models

ROOT = Path(__file__).resolve().parents[1]
KILL_POINTS = int(os.environ.get("GAN_LIB_KILL_POINTS", "5"))
ARGS = ["--model", "mlp", "--max-images", "256", "--batch-size", "64", "--latent-dim", "16", "--save-every", "1"]


def latest_number(run: Path) -> int:
    """The step number of the checkpoint the index file points at (0 if none)."""
    index = run / "checkpoints" / "checkpoint"
    try:
        first = index.read_text().splitlines()[0]  # model_checkpoint_path: "ckpt-40"
    except (OSError, IndexError):
        return 0
    return int(first.rsplit("-", 1)[1].rstrip('"'))


def half_written(run: Path) -> list[str]:
    """Temporary files of interrupted writes (they never carry a final name)."""
    temporaries = [p for p in run.rglob(".*.tmp*")] + list((run / "checkpoints").glob("*_temp"))
    temporaries += list((run / "checkpoints").glob("checkpoint.tmp*"))
    return sorted(str(p.relative_to(run)) for p in temporaries)


def final(run: Path, pattern: str) -> list[Path]:
    return [path for path in run.glob(pattern) if not path.name.startswith(".")]  # pathlib's * matches dot files


def check_final_files(run: Path) -> None:
    """Every file under its final name is complete."""
    for path in final(run, "*.keras"):
        with zipfile.ZipFile(path) as archive:
            assert archive.testzip() is None, path
    for path in final(run, "*.png"):
        data = path.read_bytes()
        assert data.startswith(b"\x89PNG") and data.endswith(b"IEND\xaeB`\x82"), path
    for path in final(run, "*.gif"):
        data = path.read_bytes()
        assert data.startswith(b"GIF8") and data.endswith(b";"), path
    json.loads((run / "config.json").read_text())


def restore(run: Path) -> int:
    """Load the newest readable checkpoint into fresh models, as --resume does; returns its epoch."""
    generator, discriminator = build_models("mlp", latent_dim=16)
    gan = GAN(generator, discriminator)
    gan.compile(keras.optimizers.Adam(), keras.optimizers.Adam())
    checkpoint = TrainingCheckpoint(gan, run / "checkpoints")
    epoch = checkpoint.restore()
    # The newest listed checkpoint itself reads: TF writes the index file last, so no fallback was needed.
    assert checkpoint.restored_path == checkpoint.manager.latest_checkpoint
    assert int(gan.g_optimizer.iterations.numpy()) == latest_number(run)
    return epoch


def test_sigkill_while_saving_never_loses_the_last_checkpoint(tmp_path, idx_folder):
    rng = random.Random(int(os.environ.get("GAN_LIB_KILL_SEED", "0")))
    run = tmp_path / "run"
    base = [sys.executable, "-m", "gan_lib", "train", *ARGS, "--data-dir", str(idx_folder), "--out", str(run)]
    landed_mid_write, interrupted_writes = 0, []
    for kill in range(KILL_POINTS):
        before = latest_number(run)
        command = base + ["--epochs", "100000"] + (["--resume"] if kill else [])
        process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        try:
            deadline = time.monotonic() + 120
            while latest_number(run) <= before and process.poll() is None and time.monotonic() < deadline:
                time.sleep(0.02)
            assert process.poll() is None, process.communicate()[1][-2000:]
            assert latest_number(run) > before, "the resumed run made no progress"  # --resume continued
            time.sleep(rng.uniform(0.0, 0.8))
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=60)
        finally:
            process.kill()
            process.communicate()
        if half_written(run):
            landed_mid_write += 1
            interrupted_writes += half_written(run)
        check_final_files(run)
        assert restore(run) >= 1  # the previous checkpoint still loads

    done = len(list(csv.reader((run / "history.csv").open()))) - 1
    final = subprocess.run(base + ["--epochs", str(done + 1), "--resume"], cwd=ROOT, capture_output=True, text=True,
                           timeout=300, check=False)
    assert final.returncode == 0, final.stderr[-2000:]
    with open(run / "history.csv", newline="") as f:
        rows = list(csv.reader(f))
    assert [int(row[0]) for row in rows[1:]] == list(range(done + 1))  # one complete row per epoch, no gaps
    assert all(len(row) == len(rows[0]) for row in rows)
    assert half_written(run) == [], "a resumed run removes what killed runs left behind"
    check_final_files(run)
    kinds = {"sample grid": ".generated_plot_", "generator snapshot": ".generator_model_", "final generator": ".generator.",
             "loss plot": ".losses.", "GIF": ".progress.", "run.json": ".run.", "TF checkpoint": "_temp"}
    seen = {kind: sum(mark in name for name in interrupted_writes) for kind, mark in kinds.items()}
    print(f"\n{KILL_POINTS} kills, {landed_mid_write} landed mid-write (a temporary file was left): "
          f"{ {kind: n for kind, n in seen.items() if n} }; {done + 1} epochs in all")
