"""Peak resident memory of a full-size run: 1 epoch of the DCGAN on 60,000 images.

Offline, the full Fashion-MNIST training set (60,000 images, 28x28 uint8) stands in for
the full MNIST that Colab users download: same count, same shape, same pipeline.

Each peak is ``gan_lib.training.train`` alone in a fresh subprocess, read with
``resource.getrusage(RUSAGE_SELF).ru_maxrss``. A second subprocess measures how much
the resident set grows when the data set is loaded and when the training stream is
built and run for 20 batches, to show that the pipeline holds the data once (uint8),
not as float32 (4x) and not twice.

    python benchmarks/memory.py --data-dir DATA           # DATA holds fashion-mnist/; 940 steps
    python benchmarks/memory.py --data-dir DATA --small   # also a 640-image run, to isolate the data's share

Prints a Markdown table. Measured (2-core shared CPU, TF 2.21): peak RSS 883 MB for the
60,000-image run, 789 MB for 640 images; the tf.data stream adds 59 MB for 45 MB of
images, the lessons' ``make_dataset`` (from_tensor_slices + cache) 153 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

CHILD = r"""
import json, os, resource, sys, time
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

def rss_mb():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20

args = json.loads(sys.argv[1])
import numpy as np, tensorflow as tf, keras
from gan_lib.data import load_dataset, make_dataset, training_stream
from gan_lib.training import TrainConfig, train
after_import = rss_mb()
if args["mode"] == "pipeline":  # what loading and the tf.data stream add, step by step
    (x_train, _), _ = load_dataset("fashion_mnist", args["data_dir"])
    x_train = x_train[: args["max_images"]] if args["max_images"] else x_train
    after_load = rss_mb()
    if args["pipeline"] == "training_stream":  # what train() uses
        iterator = iter(training_stream(x_train, 64, seed=0)[0])
    else:  # the lesson pipeline: from_tensor_slices -> cache -> shuffle -> batch -> map
        iterator = iter(make_dataset(x_train, 64, seed=0).repeat())
    for _ in range(len(x_train) // 64 + 1):  # one full epoch: the cache is full after it
        next(iterator)
    print(json.dumps({"images": len(x_train), "data_mb": x_train.nbytes / 2**20, "after_import_mb": after_import,
                      "load_growth_mb": after_load - after_import, "stream_growth_mb": rss_mb() - after_load}))
else:  # the training run alone, as `python -m gan_lib train` does it
    start = time.monotonic()
    config = TrainConfig(model="dcgan", epochs=1, dataset="fashion_mnist", max_images=args["max_images"])
    result = train(args["out"], config, data_dir=args["data_dir"], verbose=0)
    print(json.dumps({"peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                      "steps": int(result["gan"].g_optimizer.iterations.numpy()), "wall_s": time.monotonic() - start}))
"""


def run_child(**arguments) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        arguments = json.dumps({**arguments, "out": os.path.join(tmp, "run")})
        result = subprocess.run([sys.executable, "-c", CHILD, arguments], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(result.stderr[-3000:])
    return json.loads(result.stdout.strip().splitlines()[-1])


def measure(data_dir: str, max_images: int | None) -> dict:
    """Pipeline growth and training peak for one data-set size, each in its own subprocess."""
    row = run_child(mode="pipeline", data_dir=data_dir, max_images=max_images, pipeline="training_stream")
    return {**row, **run_child(mode="train", data_dir=data_dir, max_images=max_images)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", default=os.environ.get("GAN_LIB_DATA_DIR"),
                        help="folder holding fashion-mnist/ (or the Fashion-MNIST IDX files)")
    parser.add_argument("--small", action="store_true", help="also measure a 640-image run, to isolate the data's share")
    args = parser.parse_args()
    started = time.monotonic()
    rows = [measure(args.data_dir, None)] + ([measure(args.data_dir, 640)] if args.small else [])
    print("| images | data set (uint8) | RSS growth: load | RSS growth: tf.data stream | steps | peak RSS |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['images']:,} | {r['data_mb']:.1f} MB | {r['load_growth_mb']:.0f} MB | {r['stream_growth_mb']:.0f} MB "
              f"| {r['steps']} in {r['wall_s']:.0f} s | **{r['peak_rss_mb']:.0f} MB** |")
    print(f"\nFashion-MNIST train set (offline IDX), DCGAN, batch 64, 1 epoch; RSS after importing TensorFlow: "
          f"{rows[0]['after_import_mb']:.0f} MB. float32 copies would add {rows[0]['data_mb'] * 4:.0f} MB each.")
    lesson = run_child(mode="pipeline", data_dir=args.data_dir, max_images=None, pipeline="make_dataset")
    print(f"For comparison, the lessons' make_dataset (from_tensor_slices + cache) after one epoch: RSS growth "
          f"{lesson['stream_growth_mb']:.0f} MB for the same {lesson['images']:,} images "
          f"(training_stream: {rows[0]['stream_growth_mb']:.0f} MB). Took {time.monotonic() - started:.0f} s.")


if __name__ == "__main__":
    main()
