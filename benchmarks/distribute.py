"""What tf.distribute costs on this machine: images/s of the main job's DCGAN under each --distribute.

    python benchmarks/distribute.py [--epochs 4] [--model dcgan]

Rows (each one run of ``python -m gan_lib train`` on the training images of
``$GAN_LIB_DATA_DIR``, this project: the 5,000-digit MNIST subset, global batch 64):

* ``none``: one device, as every lesson trains (10 steps per call into TensorFlow);
* ``mirrored``: ``MirroredStrategy`` over two logical CPUs of this one CPU (1 step per call:
  Keras's multi-step loop fails under several replicas, see ``gan_lib.training``);
* ``multi-worker x1``: ``MultiWorkerMirroredStrategy`` with one worker (the strategy's own overhead);
* ``multi-worker x2``: two worker processes on localhost ports, one ``TF_CONFIG`` each, the
  machine's two cores shared between them; gradients all-reduced over gRPC every step.

images/s = generator steps x global batch / wall-clock seconds of ``fit()`` (``run.json``,
tracing included). On a CPU the strategies cannot be faster: the point is that the code path
runs and what synchronization costs. The table states the 1-minute load average beside each row.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path


def _free_ports(n: int) -> list[int]:
    sockets = [socket.socket() for _ in range(n)]
    for s in sockets:
        s.bind(("localhost", 0))
    ports = [s.getsockname()[1] for s in sockets]
    for s in sockets:
        s.close()
    return ports


def run(distribute: str, workers: int, args: argparse.Namespace, out: Path) -> dict:
    """Train one configuration; returns the chief's run.json."""
    command = [sys.executable, "-m", "gan_lib", "train", "--model", args.model, "--epochs", str(args.epochs),
               "--save-every", str(args.epochs), "--distribute", distribute, "--out", str(out)]
    env = {**os.environ}
    env.pop("TF_CONFIG", None)
    if distribute != "multi-worker":
        subprocess.run(command, env=env, check=True, capture_output=True, stdin=subprocess.DEVNULL)
    else:
        addresses = [f"localhost:{port}" for port in _free_ports(workers)]
        processes = [subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                                      stdin=subprocess.DEVNULL,
                                      env={**env, "TF_CONFIG": json.dumps({"cluster": {"worker": addresses},
                                                                           "task": {"type": "worker", "index": i}})})
                     for i in range(workers)]
        for process in processes:
            _, err = process.communicate()
            if process.returncode:
                raise RuntimeError(f"{distribute} x{workers}: {err.strip()[-500:]}")
    return json.loads((out / "run.json").read_text())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--model", default="dcgan")
    parser.add_argument("--repeats", type=int, default=2, help="rounds over all rows; the table gives the median")
    args = parser.parse_args()
    configs = [("none", "none", 1), ("mirrored (2 logical CPUs)", "mirrored", 1),
               ("multi-worker x1", "multi-worker", 1), ("multi-worker x2", "multi-worker", 2)]
    speeds: dict[str, list[float]] = {name: [] for name, _, _ in configs}
    loads: dict[str, list[float]] = {name: [] for name, _, _ in configs}
    replicas: dict[str, int] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for repeat in range(args.repeats):  # round-robin, so a change of load hits every row alike
            for name, distribute, workers in configs:
                summary = run(distribute, workers, args, Path(tmp) / f"{distribute}-{workers}-{repeat}")
                speeds[name].append(summary["steps"] * 64 / summary["wall_seconds"])
                loads[name].append(os.getloadavg()[0])
                replicas[name] = summary["distribute"]["replicas"]
                print(f"{name}: {speeds[name][-1]:,.0f} images/s", flush=True)
    base = statistics.median(speeds["none"])
    print(f"\n{args.model}, global batch 64, {args.epochs} epochs, median of {args.repeats}, {summary['data']}; "
          f"{summary['hardware']}\n")
    print("| --distribute | replicas | images/s (median) | each run | vs none | 1-min load after each run |")
    print("|---|---|---|---|---|---|")
    for name, _, _ in configs:
        runs = ", ".join(f"{v:,.0f}" for v in speeds[name])
        load = ", ".join(f"{v:.1f}" for v in loads[name])
        median = statistics.median(speeds[name])
        print(f"| {name} | {replicas[name]} | {median:,.0f} | {runs} | {median / base:.2f}x | {load} |")


if __name__ == "__main__":
    main()
