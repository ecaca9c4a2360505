"""Latency of the latent-space widgets: from a control change to new PNG bytes in ``image.value``.

Drives each explorer of :mod:`gan_lib.widgets` headlessly, as a learner's event would (set a
control's ``.value``; the ``observe`` callback runs the generator and encodes the PNG), with the
shipped pretrained DCGAN generator. Targets (issue 4): <= 100 ms for a single image,
<= 300 ms for an 8x8 grid. This does not include the browser's round trip, only the kernel's work.

    python benchmarks/widget_latency.py [--repeats 30]

Prints a markdown table (median and 90th percentile, milliseconds) and the hardware line.
"""

from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np

from gan_lib import widgets
from gan_lib.data import load_mnist
from gan_lib.pretrained import load_pretrained_generator
from gan_lib.runinfo import hardware_summary


def timed(change, image, repeats: int) -> np.ndarray:
    """Milliseconds from ``change(i)`` to new bytes in ``image.value``, for i in 1..repeats (after 2 warm-ups)."""
    for i in range(2):
        change(-1 - i)  # warm-up: first calls compile the predict function for this batch size
    times = []
    for i in range(1, repeats + 1):
        before = image.value
        start = time.perf_counter()
        change(i)
        times.append((time.perf_counter() - start) * 1000)
        assert image.value != before, "the event did not change the image"
    return np.array(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=30)
    args = parser.parse_args()

    generator = load_pretrained_generator()
    sliders = widgets.LatentSliders(generator, seed=0)
    sampler = widgets.Sampler(generator, seed=0, grid_size=8)
    interpolation = widgets.Interpolation(generator, steps=args.repeats + 3)
    rows = []

    def slide(i):
        sliders.sliders[0].value = round(((i * 0.7) % 8) - 4, 1)

    def step(i):
        interpolation.step.value = abs(i) % (args.repeats + 3)

    rows.append(("latent slider, 1 image (224x224 px)", "100", timed(slide, sliders.image, args.repeats)))
    rows.append(("interpolation step, 3 images", "100", timed(step, interpolation.image, args.repeats)))
    rows.append(("sampler seed, 8x8 grid", "300", timed(lambda i: setattr(sampler.seed, "value", 1000 + i),
                                                        sampler.image, args.repeats)))
    try:
        (x_train, _), _ = load_mnist()
        neighbours = widgets.NearestNeighbours(generator, x_train, seed=0)
        rows.append((f"nearest neighbours, 1 image vs {len(x_train):,} training images", "100",
                     timed(lambda i: setattr(neighbours.seed, "value", 1000 + i), neighbours.image, args.repeats)))
        if len(x_train) < 60_000:  # the offline subset: also time the size Colab users search (full MNIST)
            full_size = np.tile(x_train, (-(-60_000 // len(x_train)), 1, 1))[:60_000]
            neighbours = widgets.NearestNeighbours(generator, full_size, seed=0)
            rows.append(("nearest neighbours, 1 image vs 60,000 (the subset tiled to full-MNIST size)", "100",
                         timed(lambda i: setattr(neighbours.seed, "value", 2000 + i), neighbours.image, args.repeats)))
    except (FileNotFoundError, OSError, ValueError) as err:  # no data here: skip that row, say why
        print(f"(nearest neighbours skipped: {err})")

    print("| event | target ms | median ms | p90 ms |")
    print("|---|---|---|---|")
    for name, target, times in rows:
        print(f"| {name} | {target} | {np.median(times):.0f} | {np.percentile(times, 90):.0f} |")
    print(f"\n{args.repeats} events each, after 2 warm-ups; {hardware_summary()}")


if __name__ == "__main__":
    main()
