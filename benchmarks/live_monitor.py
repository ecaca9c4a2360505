"""What ``gan_lib.callbacks.LiveMonitor`` costs: training time with and without it, at its default interval.

Trains two GANs for a fixed number of steps with ``GAN.fit()``, alternately without and with a
``LiveMonitor`` (default ``every_seconds=10``), several times, and compares the median wall-clock
times. The monitor writes its figure to a PNG file (``path=``), which does the same drawing and
encoding work as in a notebook (there it also sends the PNG to the display, a negligible extra):

* ``toy``: lesson 00's 2-D GAN (ring of 8, batch 256, ``steps_per_execution=50``); its figure holds
  D's 60x60 heat map and 500 generated points;
* ``mlp``: lesson 02's MLP GAN on 28x28 images (batch 64; random images, as speed does not depend
  on the pixels); its figure holds a 6x6 sample grid.

    python benchmarks/live_monitor.py [--seconds 40] [--repeats 3]

Prints a markdown table (median seconds without / with, overhead in %, redraws, seconds per redraw)
and the hardware and load lines. Requirement (issue 14): overhead <= 5% at the default interval.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras
import numpy as np
import tensorflow as tf

from gan_lib import toy
from gan_lib.callbacks import LiveMonitor
from gan_lib.gan import GAN
from gan_lib.models import build_mlp_discriminator, build_mlp_generator
from gan_lib.runinfo import hardware_summary


def setups() -> dict:
    """name -> (build the GAN, its dataset, steps per epoch, real points for the figure)."""

    def toy_gan():
        gan = GAN(toy.build_toy_generator(2), toy.build_toy_discriminator(), seed=0)
        gan.compile(keras.optimizers.Adam(1e-3, beta_1=0.5), keras.optimizers.Adam(1e-3, beta_1=0.5),
                    real_label=1.0, steps_per_execution=50)
        return gan

    def mlp_gan():
        gan = GAN(build_mlp_generator(100), build_mlp_discriminator(), seed=0)
        gan.compile(keras.optimizers.Adam(2e-4, beta_1=0.5), keras.optimizers.Adam(2e-4, beta_1=0.5))
        return gan

    images = np.random.default_rng(0).uniform(-1, 1, (640, 28, 28, 1)).astype(np.float32)
    return {
        "toy": (toy_gan, toy.make_toy_dataset(toy.ring(20_000), 256), 500, toy.ring(500)),
        "mlp": (mlp_gan, tf.data.Dataset.from_tensor_slices(images).batch(64, drop_remainder=True).repeat(), 10, None),
    }


def timed_fit(build, dataset, steps_per_epoch: int, epochs: int, monitor: LiveMonitor | None) -> float:
    keras.utils.set_random_seed(0)
    gan = build()
    gan.fit(dataset, epochs=1, steps_per_epoch=steps_per_epoch, verbose=0)  # warm-up: tracing
    start = time.perf_counter()
    gan.fit(dataset, epochs=epochs, steps_per_epoch=steps_per_epoch, verbose=0, callbacks=[monitor] if monitor else [])
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=40, help="about how long each timed run trains")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    print(f"load before: {os.getloadavg()}")
    print("| GAN | steps | without (s) | with (s) | overhead | redraws | s per redraw |\n|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as folder:
        for name, (build, dataset, steps_per_epoch, real) in setups().items():
            probe = timed_fit(build, dataset, steps_per_epoch, 2, None)  # size the runs to --seconds
            epochs = max(2, round(args.seconds / (probe / 2)))
            without, with_monitor, monitors = [], [], []
            for _ in range(args.repeats):  # alternate, so a change in machine load hits both alike
                without.append(timed_fit(build, dataset, steps_per_epoch, epochs, None))
                monitors.append(LiveMonitor(path=os.path.join(folder, f"{name}.png"), real=real))
                with_monitor.append(timed_fit(build, dataset, steps_per_epoch, epochs, monitors[-1]))
            a, b = float(np.median(without)), float(np.median(with_monitor))
            redraws = int(np.median([m.redraws for m in monitors]))
            per_redraw = float(np.median([m.seconds_drawing / m.redraws for m in monitors]))
            print(f"| {name} | {epochs * steps_per_epoch} | {a:.1f} | {b:.1f} | {100 * (b - a) / a:+.1f}% | {redraws} | {per_redraw:.3f} |",
                  flush=True)
    print(f"load after: {os.getloadavg()}")
    print(hardware_summary())


if __name__ == "__main__":
    main()
