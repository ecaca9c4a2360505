"""Quality per CPU budget: our DCGAN vs the TF tutorial's DCGAN vs the original MLP recipe.

    python benchmarks/quality.py [--budgets 5 15] [--n 1000] [--out runs/quality]

Each recipe trains once, on the same data (the training images of ``$GAN_LIB_DATA_DIR``,
else the Keras download), for the largest budget of wall-clock minutes; a snapshot of
its generator is taken when each smaller budget has passed. The clock starts when
training starts (model building excluded; tracing included, as a learner waits for it).

* (a) ``ours``: ``gan_lib.training.train()`` with the default ``TrainConfig`` (the DCGAN
  of lesson 03: batch 64, Adam(2e-4, beta_1=0.5) for both, real label 0.9);
* (b) ``tf_tutorial``: the TensorFlow DCGAN tutorial's model and recipe, rebuilt
  (benchmarks/recipes.py: LeakyReLU 0.3, Adam(1e-4), batch 256, no label smoothing);
* (c) ``classic_mlp``: the original MLP recipe, ``train_on_batch`` with the
  discriminator's ``trainable`` toggled per call (benchmarks/recipes.py), batch 128.

Every snapshot is scored at equal N (``--n`` generated images from fixed latent
vectors vs ``--n`` real test images) with :func:`gan_lib.metrics.evaluate`: FID on the
shipped classifier's features, the classifier score, classes holding >= 5% of the
samples and the KL divergence of the class histogram to uniform. A "real digits" row
gives the floor (N training images vs the N test images). Prints a Markdown table and
writes ``quality.md`` and ``quality.json`` into ``--out``.

Run it on a quiet machine: the budgets are wall-clock, so other load costs steps.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras
import numpy as np

from gan_lib.atomic import atomic_path
from gan_lib.classifier import load_classifier
from gan_lib.data import describe_source, load_mnist, make_dataset
from gan_lib.metrics import evaluate
from gan_lib.runinfo import hardware_summary
from gan_lib.generation import generate
from gan_lib.latent import random_latent_vectors
from gan_lib.training import TrainConfig, train

sys.path.insert(0, str(Path(__file__).resolve().parent))  # benchmarks/recipes.py, also when imported
from recipes import ClassicGAN, TutorialGAN, build_tutorial_discriminator, build_tutorial_generator

RECIPES = {
    "ours": "(a) our DCGAN, lesson defaults",
    "tf_tutorial": "(b) TF DCGAN tutorial, rebuilt",
    "classic_mlp": "(c) original MLP recipe (train_on_batch)",
}


class BudgetSnapshots(keras.callbacks.Callback):
    """Copy the generator's weights when each budget of wall-clock seconds has passed, then stop at the last.

    Checked after every batch (every ``steps_per_execution`` steps). ``snapshots`` maps each
    budget (seconds) to ``(weights, steps done)``.
    """

    def __init__(self, budgets: list[float], steps: callable):
        super().__init__()
        self.budgets = sorted(budgets)
        self.steps = steps
        self.snapshots: dict[float, tuple[list[np.ndarray], int]] = {}
        self.start = 0.0

    def on_train_begin(self, logs: dict | None = None) -> None:
        self.start = time.monotonic()

    def check(self, generator: keras.Model) -> bool:
        """Snapshot every budget that has passed; True once the largest one has."""
        elapsed = time.monotonic() - self.start
        for budget in self.budgets:
            if budget not in self.snapshots and elapsed >= budget:
                self.snapshots[budget] = ([w.copy() for w in generator.get_weights()], int(self.steps()))
        return len(self.snapshots) == len(self.budgets)

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        if self.check(self.model.generator):
            self.model.stop_training = True


def run_ours(x_train: np.ndarray, budgets: list[float], out: Path, data_dir: str | None) -> tuple:
    # train() builds the GAN itself; Keras hands it to the callback as .model
    snapshots = BudgetSnapshots(budgets, lambda: int(snapshots.model.g_optimizer.iterations.numpy()))
    result = train(out / "ours", TrainConfig(epochs=1_000_000), data_dir=data_dir, callbacks=[snapshots], verbose=0)
    return result["gan"].generator, snapshots.snapshots


def run_tutorial(x_train: np.ndarray, budgets: list[float], out: Path, data_dir: str | None) -> tuple:
    keras.utils.set_random_seed(0)
    gan = TutorialGAN(build_tutorial_generator(), build_tutorial_discriminator(), seed=0)
    gan.compile(d_optimizer=keras.optimizers.Adam(1e-4), g_optimizer=keras.optimizers.Adam(1e-4), real_label=1.0)
    snapshots = BudgetSnapshots(budgets, lambda: int(gan.g_optimizer.iterations.numpy()))
    gan.fit(make_dataset(x_train, 256, seed=0), epochs=1_000_000, callbacks=[snapshots], verbose=0, shuffle=False)
    return gan.generator, snapshots.snapshots


def run_classic_mlp(x_train: np.ndarray, budgets: list[float], out: Path, data_dir: str | None) -> tuple:
    keras.utils.set_random_seed(0)
    recipe = ClassicGAN("mlp", batch_size=128, seed=0)
    x = x_train[..., None].astype(np.float32) / 127.5 - 1.0  # (N, 28, 28, 1) in [-1, 1]
    snapshots = BudgetSnapshots(budgets, lambda: recipe.steps_done)
    snapshots.on_train_begin()
    while not snapshots.check(recipe.generator):
        recipe.train_steps(x, 10)
    return recipe.generator, snapshots.snapshots


RUNNERS = {"ours": run_ours, "tf_tutorial": run_tutorial, "classic_mlp": run_classic_mlp}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budgets", type=float, nargs="+", default=[5.0, 15.0], help="wall-clock minutes")
    parser.add_argument("--n", type=int, default=1000, help="generated and real images per FID (equal N)")
    parser.add_argument("--recipes", nargs="+", choices=list(RECIPES), default=list(RECIPES))
    parser.add_argument("--data-dir", help="folder of MNIST IDX files (default $GAN_LIB_DATA_DIR)")
    parser.add_argument("--out", type=Path, default=Path("runs/quality"))
    args = parser.parse_args()

    (x_train, _), (x_test, _) = load_mnist(args.data_dir)
    if args.n > len(x_test):
        parser.error(f"--n {args.n} is more than the {len(x_test)} test images")
    budgets = [minutes * 60 for minutes in sorted(args.budgets)]
    classifier = load_classifier()
    z = random_latent_vectors(args.n, 100, seed=123)  # fixed latent vectors for every snapshot
    source = describe_source("mnist", args.data_dir)
    header = (f"{hardware_summary()}\nData: MNIST, {source}: {len(x_train):,} training images; "
              f"metrics at N = {args.n:,} generated vs {args.n:,} test images; classifier: gan_lib/assets/"
              "mnist_classifier.keras\n")
    print(header, flush=True)
    rows = []
    real_train = x_train[np.random.default_rng(0).choice(len(x_train), args.n, replace=False)]
    floor = evaluate(real_train, x_test, classifier=classifier, n=args.n)
    rows.append({"recipe": "real digits (train vs test)", "budget_min": None, "steps": None, **floor})

    for name in args.recipes:
        folder = args.out / name
        if folder.exists():
            shutil.rmtree(folder)  # train() refuses to overwrite a run
        generator, snapshots = RUNNERS[name](x_train, budgets, args.out, args.data_dir)
        for budget in budgets:
            weights, steps = snapshots[budget]
            generator.set_weights(weights)
            metrics = evaluate(generate(generator, z), x_test, classifier=classifier, n=args.n)
            rows.append({"recipe": RECIPES[name], "budget_min": budget / 60, "steps": steps, **metrics})
            print(f"{name}, {budget / 60:g} min: {steps:,} steps, FID {metrics['fid']:.1f}", flush=True)

    table = [("| recipe | budget (min) | steps done | FID (lower is better) | classifier score (max 10) "
              "| classes >= 5% | KL to uniform (nats) |"), "|---|---|---|---|---|---|---|"]
    for row in rows:
        budget = "-" if row["budget_min"] is None else f"{row['budget_min']:g}"
        steps = "-" if row["steps"] is None else f"{row['steps']:,}"
        table.append(f"| {row['recipe']} | {budget} | {steps} | {row['fid']:.1f} | {row['classifier_score']:.2f} "
                     f"| {row['classes']} | {row['kl_to_uniform']:.3f} |")
    markdown = header + "\n" + "\n".join(table) + "\n"
    print("\n" + "\n".join(table))
    args.out.mkdir(parents=True, exist_ok=True)
    with atomic_path(args.out / "quality.md") as tmp:
        tmp.write_text(markdown)
    with atomic_path(args.out / "quality.json") as tmp:
        tmp.write_text(json.dumps({"hardware": hardware_summary(), "data": source, "n": args.n, "rows": rows}, indent=2))
    print(f"\nwrote {args.out / 'quality.md'} and {args.out / 'quality.json'}")


if __name__ == "__main__":
    main()
