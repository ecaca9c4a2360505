"""Command line: ``python -m gan_lib {train,sample,train-classifier,evaluate} ...``.

Every error the user can fix (bad argument, missing data or checkpoint, corrupt
file) ends in one line on stderr and exit code 2, never a traceback. Ctrl-C
during ``train`` first saves the current state (mid-epoch), then ends in one line
and exit code 130; ``--resume`` continues from that state.
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


def _widths(text: str, counts: tuple[int, ...] = (2,)) -> tuple[int, ...]:
    try:
        values = tuple(int(part) for part in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not integers like 64,32") from None
    if len(values) not in counts or min(values) < 1:
        what = " or ".join(("one", "two")[n - 1] for n in counts)
        raise argparse.ArgumentTypeError(f"give {what} positive channel counts like 64,32, got {text!r}")
    return values


def _two_ints(text: str) -> tuple[int, ...]:
    return _widths(text)


def _one_or_two_ints(text: str) -> tuple[int, ...]:
    return _widths(text, (1, 2))


def _tricks(args: argparse.Namespace) -> dict:
    """The trick flags the user gave, as TrainConfig fields (the rest keep TrainConfig's defaults)."""
    fields = {"g_learning_rate": args.g_lr, "d_learning_rate": args.d_lr, "spectral_norm": args.spectral_norm,
              "loss": args.loss, "g_filters": args.g_filters, "d_filters": args.d_filters,
              "d_kernel": args.d_kernel,
              "ema": args.ema, "diffaugment": args.diffaugment}
    fields = {key: value for key, value in fields.items() if value is not None}
    if fields.get("ema") == 0:  # --ema 0 turns it off
        fields["ema"] = None
    if fields.get("diffaugment") in ("none", ""):  # --diffaugment none turns it off
        fields["diffaugment"] = None
    return fields


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m gan_lib", description="Train and sample GANs on MNIST.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    train = commands.add_parser("train", help="train a GAN into a run folder")
    train.add_argument("--model", choices=["mlp", "dcgan", "cgan", "wgan-gp"], default="dcgan",
                       help="cgan: conditional on the digit (lesson 06); wgan-gp: Wasserstein GAN with gradient penalty "
                            "(lesson 07)")
    train.add_argument("--epochs", type=_positive_int, default=None,
                       help="total epochs, resumed ones included (default 20; with --time-limit alone, until the limit; "
                            "with --resume alone, the run's own)")
    train.add_argument("--time-limit", type=_positive_float, metavar="MINUTES",
                       help="stop cleanly after this many minutes, writing every output")
    train.add_argument("--batch-size", type=_positive_int, default=64)
    train.add_argument("--latent-dim", type=_positive_int, default=100)
    train.add_argument("--dataset", choices=["mnist", "fashion_mnist", "folder"], default="mnist",
                       help="folder: your own images (PNG/JPEG/GIF/BMP, any size, gray or RGB) in --data-dir")
    train.add_argument("--data-dir", help="folder of IDX files (default $GAN_LIB_DATA_DIR, else download); "
                                          "with --dataset folder, the folder of images")
    train.add_argument("--seed", type=int, default=0)
    train.add_argument("--save-every", type=_positive_int, default=10, metavar="N",
                       help="epochs between sample grids and generator snapshots (default 10)")
    train.add_argument("--max-images", type=_positive_int, help="train on a random subset of N images (seeded by --seed)")
    tricks = train.add_argument_group("tricks (lesson 08; README, 'Tricks, measured'; defaults: TrainConfig)")
    tricks.add_argument("--g-lr", type=_positive_float, metavar="RATE",
                        help="the generator's Adam learning rate (TTUR, Heusel et al. 2017; default: 4e-4 for the "
                             "DCGAN, twice the discriminator's, as measured; 2e-4 for the others)")
    tricks.add_argument("--d-lr", type=_positive_float, metavar="RATE", help="the discriminator's Adam learning rate")
    tricks.add_argument("--ema", type=float, metavar="DECAY",
                        help="keep an average of G's weights with this decay per step, e.g. 0.999 (Yazici et al. "
                             "2019); generator.keras and the grids then hold the average; 0 turns it off")
    tricks.add_argument("--diffaugment", metavar="POLICY",
                        help="DiffAugment for D's inputs, real and fake (Zhao et al. 2020): translation, cutout or "
                             "translation,cutout; none turns it off")
    tricks.add_argument("--spectral-norm", action=argparse.BooleanOptionalAction, default=None,
                        help="spectral normalization in the DCGAN discriminator (Miyato et al. 2018)")
    tricks.add_argument("--loss", choices=["bce", "hinge"],
                        help="bce: cross-entropy, non-saturating G (default); hinge: Lim & Ye 2017")
    tricks.add_argument("--g-filters", type=_one_or_two_ints, metavar="A[,B]",
                        help="DCGAN generator widths, e.g. 64,32 (a 28x28 layer) or 64 (none)")
    tricks.add_argument("--d-filters", type=_two_ints, metavar="A,B", help="DCGAN discriminator widths, e.g. 64,128")
    tricks.add_argument("--d-kernel", type=_positive_int, metavar="K",
                        help="DCGAN discriminator kernel size (default 5; 3 was the default before the ablation)")
    train.add_argument("--distribute", choices=["none", "mirrored", "multi-worker", "tpu"], default="none",
                       help="tf.distribute strategy (README, 'Training on more hardware'): mirrored = local GPUs "
                            "(two logical CPUs without a GPU), multi-worker = the machines in $TF_CONFIG, tpu = "
                            "a Colab TPU; --batch-size stays the global batch")
    train.add_argument("--tensorboard", action="store_true", help="also log to RUN_DIR/logs for TensorBoard")
    train.add_argument("--resume", action="store_true", help="continue the run in --out from its last checkpoint")
    train.add_argument("--out", required=True, type=Path, metavar="RUN_DIR")

    sample = commands.add_parser("sample", help="draw images from a saved generator into an .npz")
    sample.add_argument("generator", type=Path, help="a generator .keras file, e.g. RUN_DIR/generator.keras")
    sample.add_argument("--n", type=_positive_int, default=100)
    sample.add_argument("--latent-dim", type=_positive_int,
                        help="refuse a generator that does not take latent vectors of this size")
    sample.add_argument("--seed", type=int, default=0)
    sample.add_argument("--out", required=True, type=Path, metavar="SAMPLES.npz")

    classifier = commands.add_parser("train-classifier", help="train the MNIST classifier behind the metrics")
    classifier.add_argument("--epochs", type=_positive_int, default=30)
    classifier.add_argument("--seed", type=int, default=0)
    classifier.add_argument("--data-dir", help="folder of MNIST IDX files (default $GAN_LIB_DATA_DIR, else download)")
    classifier.add_argument("--out", required=True, type=Path, metavar="CLASSIFIER.keras",
                            help="the model file; a record (command, data, accuracy, sha256) goes beside it as .json")

    evaluate = commands.add_parser("evaluate", help="FID, classifier score and class coverage of a sample file")
    evaluate.add_argument("samples", type=Path, help="an .npz written by `python -m gan_lib sample`")
    evaluate.add_argument("--reference", metavar="DIR",
                          help="folder of MNIST IDX files whose test images are the real reference and whose "
                               "training images are searched for neighbours (default $GAN_LIB_DATA_DIR, else download)")
    evaluate.add_argument("--classifier", type=Path, metavar="CLASSIFIER.keras",
                          help="a classifier from train-classifier (default: the one shipped with gan_lib)")
    evaluate.add_argument("--seed", type=int, default=0, help="seed of the equal-N subsets")
    evaluate.add_argument("--json", action="store_true", help="print JSON instead of a table")
    return parser


def _train(args: argparse.Namespace) -> None:
    import keras

    from gan_lib.training import TrainConfig, train

    epochs = args.epochs or (None if args.time_limit else _resumed_epochs(args) if args.resume else 20)
    config = TrainConfig(
        model=args.model, epochs=epochs, batch_size=args.batch_size, latent_dim=args.latent_dim,
        dataset=args.dataset, seed=args.seed, save_every=args.save_every, max_images=args.max_images,
        distribute=args.distribute, **_tricks(args),
    )
    extra = [keras.callbacks.TensorBoard(str(args.out / "logs"))] if args.tensorboard else []
    result = train(args.out, config, time_limit=args.time_limit and args.time_limit * 60,
                   resume=args.resume, data_dir=args.data_dir, callbacks=extra)
    epochs, steps, seconds = result["epochs_done"], result["steps"], result["seconds"]
    speed = f", {steps / seconds:.1f} steps/s" if seconds > 0 else ""
    worker, workers = result["worker"]
    who = f"worker {worker} of {workers} " if workers > 1 else ""
    print(f"\n{who}trained {epochs} epoch{'s' if epochs != 1 else ''} ({steps:,} steps{speed}) in {seconds:.0f} s; "
          f"outputs in {args.out}, generator {result['generator_path']}")
    if workers > 1:  # equal on every worker iff the replicas stayed in sync
        print(f"generator weights sha256 {result['generator_sha256']}")


def _resumed_epochs(args: argparse.Namespace) -> int:
    """--resume with neither --epochs nor --time-limit: the run's own epoch count (20 if it has none saved).

    Raises:
        ValueError: the run was limited by time alone, so "as before" has no number of epochs.
    """
    import json

    config_path = args.out / "config.json"
    saved = json.loads(config_path.read_text()) if config_path.is_file() else {}
    if "epochs" in saved and saved["epochs"] is None:
        minutes = (saved.get("time_limit_seconds") or 0) / 60
        raise ValueError(f"the run in {args.out} was limited by time ({minutes:g} min), not by epochs; say how much "
                         "more to train: --time-limit MINUTES (more minutes) or --epochs N (N in all)")
    return saved.get("epochs") or 20


def _sample(args: argparse.Namespace) -> None:
    import numpy as np

    from gan_lib.data import to_uint8
    from gan_lib.generation import generate, is_conditional
    from gan_lib.latent import random_latent_vectors
    from gan_lib.modelio import load_generator
    from gan_lib.samples import MAX_IMAGES, save_samples

    if args.out.suffix != ".npz":
        raise ValueError(f"--out must end in .npz, got {args.out}")
    if args.out.is_dir():
        raise ValueError(f"--out {args.out} is a folder; give a file name ending in .npz")
    if args.n > MAX_IMAGES:
        raise ValueError(f"--n {args.n:,} is more than a sample file may hold ({MAX_IMAGES:,}); write several files")
    generator = load_generator(args.generator, latent_dim=args.latent_dim)
    conditional = is_conditional(generator)
    latent_dim = generator.input_shape[0][-1] if conditional else generator.input_shape[-1]
    z = random_latent_vectors(args.n, latent_dim, args.seed)
    labels = np.arange(args.n) % 10 if conditional else None  # a conditional generator draws 0, 1, ..., 9, 0, ...
    images = to_uint8(generate(generator, z, labels=labels))  # (N, 28, 28, 1) float32 -> uint8
    save_samples(args.out, images, z)
    digits = " (digits 0-9 in turn)" if conditional else ""
    print(f"wrote {len(images)} images (28, 28) uint8{digits} to {args.out}")


def _train_classifier(args: argparse.Namespace) -> None:
    from gan_lib.classifier import accuracy, save_classifier, train_classifier, write_record
    from gan_lib.data import describe_source, load_mnist

    if args.out.suffix != ".keras":
        raise ValueError(f"--out must end in .keras, got {args.out}")
    (x_train, y_train), (x_test, y_test) = load_mnist(args.data_dir)
    model = train_classifier(x_train, y_train, epochs=args.epochs, seed=args.seed, verbose=2)
    test_accuracy = accuracy(model, x_test, y_test)
    save_classifier(model, args.out)
    record = write_record(
        args.out,
        command=f"python -m gan_lib train-classifier --epochs {args.epochs} --seed {args.seed} --out {args.out.name}",
        data=f"MNIST, {describe_source('mnist', args.data_dir)}: {len(x_train):,} training images, "
             f"accuracy on {len(x_test):,} test images",
        epochs=args.epochs, seed=args.seed, test_accuracy=test_accuracy, test_images=len(x_test),
    )
    print(f"test accuracy {test_accuracy:.2%} on {len(x_test):,} images; wrote {args.out} "
          f"({record['size_bytes'] / 1e6:.2f} MB) and {args.out.with_suffix('.json')}")


def _evaluate(args: argparse.Namespace) -> None:
    import json

    from gan_lib.data import describe_source, load_mnist
    from gan_lib.metrics import format_report, report
    from gan_lib.modelio import load_model
    from gan_lib.samples import load_samples

    images, _ = load_samples(args.samples)
    (x_train, _), (x_test, _) = load_mnist(args.reference)
    classifier = load_model(args.classifier, "classifier") if args.classifier else None
    result = report(images, x_test, x_train, classifier=classifier, seed=args.seed)
    result["samples"] = str(args.samples)
    result["reference"] = f"MNIST, {describe_source('mnist', args.reference)}"
    print(json.dumps(result, indent=2) if args.json else format_report(result))


def _import_tensorflow_quietly() -> None:
    """Import TensorFlow with its C++ start-up lines hidden, unless the user set ``TF_CPP_MIN_LOG_LEVEL``.

    On a machine without a GPU, TensorFlow 2.21 prints ``cudart_stub ... Could not find cuda drivers``,
    ``oneDNN custom operations are on`` (both before its logging is set up, so no log level hides
    them) and ``failed call to cuInit: ... CUDA error`` (level 2). Learners read them as failures.
    Level 3 hides the third; the first two are written to file descriptor 2 while the shared
    libraries load, so that descriptor points at a temporary file during the import. If the import
    fails, what TensorFlow printed is written out after all.
    """
    if "TF_CPP_MIN_LOG_LEVEL" in os.environ or "tensorflow" in sys.modules:
        return
    os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
    import tempfile

    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile() as captured:
        os.dup2(captured.fileno(), 2)
        try:
            import tensorflow  # noqa: F401
        except BaseException:
            os.dup2(saved, 2)
            captured.seek(0)
            sys.stderr.write(captured.read().decode(errors="replace"))
            raise
        finally:
            os.dup2(saved, 2)
            os.close(saved)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point. Returns the exit code (0 success, 2 usage or data error, 3 diverged, 130 Ctrl-C)."""
    args = build_parser().parse_args(argv)
    _import_tensorflow_quietly()
    try:
        {"train": _train, "sample": _sample, "train-classifier": _train_classifier,
         "evaluate": _evaluate}[args.command](args)
    except (ValueError, OSError) as err:
        print(f"python -m gan_lib {args.command}: error: {err}", file=sys.stderr)
        return 2
    except TrainingDiverged as err:
        print(f"python -m gan_lib {args.command}: training diverged: {err}", file=sys.stderr)
        return 3
    except KeyboardInterrupt as err:
        print(flush=True)  # end the progress bar's line, so the message starts a line of its own
        if str(err):  # gan_lib.errors.TrainingInterrupted: says what was saved
            where = f"; {err}"
        elif args.command == "train":  # stopped before training began
            where = f"; the last complete checkpoint in {args.out / 'checkpoints'} resumes with --resume"
        else:
            where = ""
        print(f"python -m gan_lib {args.command}: interrupted{where}", file=sys.stderr)
        return 130
    return 0
