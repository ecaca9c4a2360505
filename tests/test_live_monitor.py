"""gan_lib.callbacks.LiveMonitor: one display updated in place in a notebook, nothing outside one."""

import textwrap
from pathlib import Path

import keras
import nbformat
import numpy as np
from nbclient import NotebookClient

from gan_lib import toy
from gan_lib.callbacks import LiveMonitor
from gan_lib.gan import GAN

ROOT = Path(__file__).resolve().parents[1]

TRAIN = """
import keras
from gan_lib import toy
from gan_lib.callbacks import LiveMonitor
from gan_lib.gan import GAN

keras.utils.set_random_seed(0)
gan = GAN(toy.build_toy_generator(2, hidden=16), toy.build_toy_discriminator(hidden=16), seed=0)
gan.compile(keras.optimizers.Adam(1e-3), keras.optimizers.Adam(1e-3), real_label=1.0, steps_per_execution=5)
"""


def fit_tiny(monitor):
    exec(TRAIN, namespace := {})
    gan = namespace["gan"]
    gan.fit(toy.make_toy_dataset(toy.ring(512), 64), epochs=2, steps_per_epoch=15, verbose=0, callbacks=[monitor])
    return gan


def test_no_op_outside_a_notebook():
    assert not LiveMonitor.in_notebook()
    monitor = LiveMonitor(every_batches=1)
    fit_tiny(monitor)
    assert monitor.redraws == 0 and monitor.history == {"step": []}


def test_writes_a_file_when_asked(tmp_path):
    monitor = LiveMonitor(every_batches=2, path=tmp_path / "live.png", real=toy.ring(64))
    fit_tiny(monitor)
    assert monitor.redraws == 4  # 6 batch reports -> 3 redraws, plus the final one
    assert (tmp_path / "live.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert monitor.history["step"] == [5, 10, 15, 20, 25, 30]


def test_image_generator_figure(tmp_path):
    from gan_lib.models import build_mlp_discriminator, build_mlp_generator

    gan = GAN(build_mlp_generator(8), build_mlp_discriminator())
    gan.compile(keras.optimizers.Adam(1e-3), keras.optimizers.Adam(1e-3))
    monitor = LiveMonitor(every_batches=1, path=tmp_path / "live.png")
    gan.fit(np.zeros((8, 28, 28, 1), np.float32), batch_size=4, epochs=1, verbose=0, callbacks=[monitor])
    assert monitor.redraws == 3 and (tmp_path / "live.png").stat().st_size > 1000


def test_updates_one_display_in_a_kernel():
    """Run a cell in a real Jupyter kernel: many redraws, ONE image output."""
    code = f"import sys; sys.path.insert(0, {str(ROOT)!r})\n" + TRAIN + textwrap.dedent("""
        monitor = LiveMonitor(every_batches=1)
        gan.fit(toy.make_toy_dataset(toy.ring(512), 64), epochs=2, steps_per_epoch=15, verbose=0, callbacks=[monitor])
        print("redraws", monitor.redraws)
    """)
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    NotebookClient(notebook, timeout=300, kernel_name="python3").execute()
    outputs = notebook.cells[0].outputs
    images = [o for o in outputs if o["output_type"] == "display_data" and "image/png" in o.get("data", {})]
    printed = "".join(o.get("text", "") for o in outputs if o["output_type"] == "stream")
    assert "redraws 7" in printed  # 6 batch reports + the final redraw
    assert len(images) == 1, [o["output_type"] for o in outputs]
