"""Command line: ``python -m gan_lib {train,sample} ...``.

Every error the user can fix (bad argument, missing data or checkpoint, corrupt
file) ends in one line on stderr and exit code 2, never a traceback. Ctrl-C
ends in one line and exit code 130; the last complete checkpoint stays resumable.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from gan_lib.errors import TrainingDiverged


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, not usage + error
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an integer") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {value}")
    return value


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be positive, got {text}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m gan_lib", description="Train and sample GANs on MNIST.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    train = commands.add_parser("train", help="train a GAN into a run folder")
    train.add_argument("--model", choices=["mlp", "dcgan"], default="dcgan")
    train.add_argument("--epochs", type=_positive_int, default=None,
                       help="total epochs, resumed ones included (default 20, or unlimited with --time-limit)")
    train.add_argument("--time-limit", type=_positive_float, metavar="MINUTES",
                       help="stop cleanly after this many minutes, writing every output")
    train.add_argument("--batch-size", type=_positive_int, default=64)
    train.add_argument("--latent-dim", type=_positive_int, default=100)
    train.add_argument("--dataset", choices=["mnist", "fashion_mnist"], default="mnist")
    train.add_argument("--data-dir", help="folder of IDX files (default $GAN_LIB_DATA_DIR, else download)")
    train.add_argument("--seed", type=int, default=0)
    train.add_argument("--save-every", type=_positive_int, default=10, metavar="N",
                       help="epochs between sample grids and generator snapshots (default 10)")
    train.add_argument("--max-images", type=_positive_int, help="train on a random subset of N images (seeded by --seed)")
    train.add_argument("--tensorboard", action="store_true", help="also log to RUN_DIR/logs for TensorBoard")
    train.add_argument("--resume", action="store_true", help="continue the run in --out from its last checkpoint")
    train.add_argument("--out", required=True, type=Path, metavar="RUN_DIR")

    sample = commands.add_parser("sample", help="draw images from a saved generator into an .npz")
    sample.add_argument("generator", type=Path, help="a generator .keras file, e.g. RUN_DIR/generator.keras")
    sample.add_argument("--n", type=_positive_int, default=100)
    sample.add_argument("--seed", type=int, default=0)
    sample.add_argument("--out", required=True, type=Path, metavar="SAMPLES.npz")
    return parser


def _train(args: argparse.Namespace) -> None:
    import keras

    from gan_lib.training import TrainConfig, train

    epochs = args.epochs or (1_000_000 if args.time_limit else 20)
    config = TrainConfig(
        model=args.model, epochs=epochs, batch_size=args.batch_size, latent_dim=args.latent_dim,
        dataset=args.dataset, seed=args.seed, save_every=args.save_every, max_images=args.max_images,
    )
    extra = [keras.callbacks.TensorBoard(str(args.out / "logs"))] if args.tensorboard else []
    result = train(args.out, config, time_limit=args.time_limit and args.time_limit * 60,
                   resume=args.resume, data_dir=args.data_dir, callbacks=extra)
    print(f"trained {result['epochs_done']} epochs in {result['seconds']:.0f} s; "
          f"outputs in {args.out}, generator {result['generator_path']}")


def _sample(args: argparse.Namespace) -> None:
    from gan_lib.data import to_uint8
    from gan_lib.modelio import load_generator
    from gan_lib.samples import save_samples
    from gan_lib.sampling import generate, random_latent_vectors

    if args.out.suffix != ".npz":
        raise ValueError(f"--out must end in .npz, got {args.out}")
    generator = load_generator(args.generator)
    z = random_latent_vectors(args.n, generator.input_shape[-1], args.seed)
    images = to_uint8(generate(generator, z))  # (N, 28, 28, 1) float32 -> uint8
    save_samples(args.out, images, z)
    print(f"wrote {len(images)} images (28, 28) uint8 to {args.out}")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point. Returns the exit code (0 success, 2 usage or data error, 3 diverged, 130 Ctrl-C)."""
    args = build_parser().parse_args(argv)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # hide TensorFlow's C++ start-up chatter
    try:
        {"train": _train, "sample": _sample}[args.command](args)
    except (ValueError, OSError) as err:
        print(f"python -m gan_lib {args.command}: error: {err}", file=sys.stderr)
        return 2
    except TrainingDiverged as err:
        print(f"python -m gan_lib {args.command}: training diverged: {err}", file=sys.stderr)
        return 3
    except KeyboardInterrupt:
        where = f"; the last complete checkpoint in {args.out / 'checkpoints'} resumes with --resume" if args.command == "train" else ""
        print(f"python -m gan_lib {args.command}: interrupted{where}", file=sys.stderr)
        return 130
    return 0
