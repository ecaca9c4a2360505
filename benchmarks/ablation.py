"""The tricks of lesson 08, measured: each switch alone and in combination, at fixed step counts, over seeds.

    python benchmarks/ablation.py --rows default ttur_g4 --seeds 0 1 2 [--epochs 100 --save-every 25]
    python benchmarks/ablation.py --rows default --minutes 10 --seeds 0 1 2   # the main job itself, by the clock
    python benchmarks/ablation.py --table            # print the table of the committed CSV only

Each (row, seed) is one run of the main job's command line, ``python -m gan_lib train``,
with the row's flags, on the training images of ``$GAN_LIB_DATA_DIR`` (this project: the
5,000-digit MNIST subset). With 5,000 images and batch 64 an epoch is 80 generator steps,
so ``--epochs 100 --save-every 25`` saves the generator at 2,000, 4,000, 6,000 and 8,000
steps; 8,000 steps is what the 10-minute main job reaches on this project's 2-core machine
when it is idle (about 13-14 steps/s), 2,000-2,400 what the 3-minute run reaches.

Each saved generator is scored by the project's evaluator, as a user would:
``python -m gan_lib sample G --n 1000 --seed 1`` then ``python -m gan_lib evaluate --json``
(FID on the shipped classifier's features against the 1,000 test images, N = 1,000; the
classifier score; classes holding >= 5% of the samples; the smallest class's share).

With ``--minutes M`` each run is instead the main job as a user runs it, ``--time-limit M``
(nothing else may share the CPU: the budget is wall-clock time); its final ``generator.keras``
is scored and the CSV row is named ``ROW@Mmin``, with the steps it reached.

Quality at a fixed step count does not depend on the machine's speed or load, so runs may
share the CPU; steps/s does, and each row records the 1-minute load average beside it.
Rows are appended to ``benchmarks/results/ablation.csv``; the printed table gives mean ± std
over the seeds of each (row, steps).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

K3 = ["--d-kernel", "3"]  # the discriminator's 3x3 kernels: the default until the d_kernel3 rows (README "Tricks, measured")
ROWS = {  # name -> flags of `python -m gan_lib train`; rows measured with the 3x3 discriminator carry K3
    "default": [],  # TrainConfig as it stands at the commit that ran it (since d_kernel3: D with 5x5 kernels)
    "d_kernel3": K3,  # the main job's defaults before the 5x5 discriminator
    "baseline": [*K3, "--g-lr", "2e-4", "--d-lr", "2e-4"],  # the defaults before this benchmark: Adam(2e-4) for both
    "ttur_g4": [*K3, "--g-lr", "4e-4", "--d-lr", "2e-4"],
    "ttur_g8": [*K3, "--g-lr", "8e-4", "--d-lr", "2e-4"],
    "ttur_d4": [*K3, "--g-lr", "1e-4", "--d-lr", "4e-4"],  # Heusel et al.'s direction: D faster
    "ema": [*K3, "--ema", "0.999"],
    "diffaugment": [*K3, "--diffaugment", "translation,cutout"],
    "translation": [*K3, "--diffaugment", "translation"],
    "sn_hinge": [*K3, "--spectral-norm", "--loss", "hinge"],
    "wide_g": [*K3, "--g-filters", "128,64"],
    "small_g": [*K3, "--g-filters", "64"],  # no 28x28 hidden layer: ConvT 64 (14x14) -> ConvT 1 (28x28)
    "small_g_ttur": [*K3, "--g-filters", "64", "--g-lr", "4e-4", "--d-lr", "2e-4"],
    "ttur_g4_ema": [*K3, "--g-lr", "4e-4", "--d-lr", "2e-4", "--ema", "0.999"],
    "ttur_g8_ema": [*K3, "--g-lr", "8e-4", "--d-lr", "2e-4", "--ema", "0.999"],
    "ttur_g8_translation": [*K3, "--g-lr", "8e-4", "--d-lr", "2e-4", "--diffaugment", "translation"],
    "ttur_g16": [*K3, "--g-lr", "1.6e-3", "--d-lr", "2e-4"],
    "ttur_g8_b32": [*K3, "--g-lr", "8e-4", "--d-lr", "2e-4", "--batch-size", "32"],  # twice the steps per epoch
    "ema_k5": ["--ema", "0.999"],  # on the 5x5 discriminator
    "ttur_g8_k5": ["--g-lr", "8e-4"],
}
FIELDS = ["row", "seed", "steps", "fid", "classifier_score", "classes", "min_class_share", "steps_per_s",
          "load_1min", "flags", "data"]
HERE = Path(__file__).resolve().parent
CSV_PATH = HERE / "results" / "ablation.csv"


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gan_lib", *args], capture_output=True, text=True, check=False)


def score(generator: Path, seed: int = 1) -> dict:
    """The evaluator's numbers for one generator file (N = 1,000 samples vs the 1,000 test images)."""
    samples = generator.with_suffix(".npz")
    for result in (_cli("sample", str(generator), "--n", "1000", "--seed", str(seed), "--out", str(samples)),
                   evaluated := _cli("evaluate", str(samples), "--json")):
        if result.returncode:
            raise RuntimeError(f"{generator}: {result.stderr.strip()[-500:]}")
    samples.unlink()
    generated = json.loads(evaluated.stdout)["generated"]
    return {"fid": round(generated["fid"], 2), "classifier_score": round(generated["classifier_score"], 3),
            "classes": generated["classes"], "min_class_share": round(min(generated["histogram"]), 4)}


def run(row: str, seed: int, epochs: int, save_every: int, out: Path, minutes: float | None = None) -> list[dict]:
    """Train one (row, seed) and score every saved generator; returns the CSV rows.

    With ``minutes``, train for that wall-clock budget instead and score the final generator only."""
    name = row if minutes is None else f"{row}@{minutes:g}min"
    run_dir = out / (f"{row}_s{seed}" if minutes is None else f"{row}_{minutes:g}min_s{seed}")
    budget = ["--epochs", str(epochs), "--save-every", str(save_every)] if minutes is None else [
        "--time-limit", f"{minutes:g}", "--save-every", "1000000"]
    if not (run_dir / "run.json").exists():
        result = _cli("train", *budget, "--seed", str(seed), "--out", str(run_dir), *ROWS[row])
        if result.returncode:
            raise RuntimeError(f"{row} seed {seed}: {result.stderr.strip()[-500:]}")
    summary = json.loads((run_dir / "run.json").read_text())
    steps_per_epoch = summary["steps_total"] // max(summary["epochs_done"], 1)
    generators = ([(summary["steps_total"], run_dir / "generator.keras")] if minutes is not None else
                  [(int(g.stem.rsplit("_", 1)[1]) * steps_per_epoch, g)
                   for g in sorted(run_dir.glob("generator_model_*.keras"))])
    return [{"row": name, "seed": seed, "steps": steps, **score(generator),
             "steps_per_s": summary.get("steps_per_second"), "load_1min": round(os.getloadavg()[0], 2),
             "flags": " ".join(ROWS[row]) or "(none)", "data": summary["data"]} for steps, generator in generators]


def read_csv(path: Path = CSV_PATH) -> list[dict]:
    if not path.exists():
        return []
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def table(rows: list[dict]) -> str:
    """Markdown: mean ± std over seeds of FID and the classifier score, worst-seed class count and smallest share."""
    groups: dict[tuple[str, int], list[dict]] = {}
    for r in rows:  # fixed-step rows group by steps; by-the-clock rows (ROW@Mmin) by their budget
        groups.setdefault((r["row"], 0 if "@" in r["row"] else int(r["steps"])), []).append(r)
    lines = ["| row | flags | steps | seeds | FID ↓ (mean ± std) | classifier score | classes ≥ 5% (worst seed) "
             "| smallest class share (worst seed) | steps/s of each run (1-min load when scored) |", "|---" * 9 + "|"]
    for (name, steps), group in sorted(groups.items(), key=lambda kv: (kv[0][0] != "baseline", kv[0])):
        fids = [float(r["fid"]) for r in group]
        scores = [float(r["classifier_score"]) for r in group]
        std = f" ± {statistics.stdev(fids):.1f}" if len(fids) > 1 else ""
        speeds = ", ".join(f"{float(r['steps_per_s']):.1f} ({float(r['load_1min']):.1f})" for r in group
                           if r["steps_per_s"] not in ("", "None"))
        reached = [int(r["steps"]) for r in group]
        steps_text = f"{steps:,}" if steps else f"{min(reached):,}–{max(reached):,} reached"
        lines.append(f"| {name} | {group[0]['flags']} | {steps_text} | {len(group)} | {statistics.mean(fids):.1f}{std} "
                     f"| {statistics.mean(scores):.2f} | {min(int(r['classes']) for r in group)} "
                     f"| {min(float(r['min_class_share']) for r in group):.1%} | {speeds} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", nargs="+", choices=sorted(ROWS), default=["default"])
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2])
    parser.add_argument("--epochs", type=int, default=100)
    parser.add_argument("--save-every", type=int, default=25)
    parser.add_argument("--minutes", type=float, help="train each run for this wall-clock budget (--time-limit) instead")
    parser.add_argument("--out", type=Path, default=Path("runs/ablation"))
    parser.add_argument("--csv", type=Path, default=CSV_PATH)
    parser.add_argument("--table", action="store_true", help="only print the table of the CSV")
    args = parser.parse_args()
    if not args.table:
        args.csv.parent.mkdir(parents=True, exist_ok=True)
        for row in args.rows:
            for seed in args.seeds:
                start = time.monotonic()
                results = run(row, seed, args.epochs, args.save_every, args.out, args.minutes)
                done = {(r["row"], str(r["seed"]), str(r["steps"])) for r in read_csv(args.csv)}
                new = [r for r in results if (r["row"], str(r["seed"]), str(r["steps"])) not in done]
                with open(args.csv, "a", newline="") as f:
                    writer = csv.DictWriter(f, FIELDS)
                    if f.tell() == 0:
                        writer.writeheader()
                    writer.writerows(new)
                print(f"{row} seed {seed}: {len(new)} rows in {time.monotonic() - start:.0f} s", flush=True)
    print(table(read_csv(args.csv)))


if __name__ == "__main__":
    main()
