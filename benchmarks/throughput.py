"""Training throughput (images/s) of the MLP GAN and the DCGAN, three ways.

    python benchmarks/throughput.py [--batch-size 64] [--seconds 20]

(a) ``GAN.fit()``, the package's way, with ``steps_per_execution`` 1 and 10;
(b) a bare ``tf.function`` GradientTape loop over the same models and the same step;
(c) the classic Keras 2 pattern of the original scripts: a compiled discriminator, a
    combined ``gan = Model(z, D(G(z)))`` with the discriminator frozen, ``G.predict``
    for the fakes and ``train_on_batch``. ``D.trainable`` is toggled before every call,
    because under Keras 3 the trainable set is fixed when each train function is first
    traced (checked on Keras 3.15 by comparing D's weights around each call); without the toggle it would time a broken algorithm.

Every way does the same work per step: one discriminator update on a real and a fake
batch, one generator update on fresh noise. Each is warmed up (tracing excluded),
then timed for about ``--seconds`` of wall-clock time. Data: the training images of
``$GAN_LIB_DATA_DIR`` (else the Keras download). Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import os
import platform
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras
import numpy as np
import tensorflow as tf
from recipes import ClassicGAN  # benchmarks/recipes.py: benchmarks/ is on sys.path when a script in it runs

from gan_lib.data import load_mnist, make_dataset
from gan_lib.gan import GAN
from gan_lib.losses import discriminator_loss, generator_loss
from gan_lib.models import build_models


def _optimizer() -> keras.optimizers.Optimizer:
    return keras.optimizers.Adam(2e-4, beta_1=0.5)


def _steps_in(seconds: float, run_steps, steps_per_call: int) -> float:
    """Call ``run_steps()`` (which trains ``steps_per_call`` steps) for ~seconds; return steps/s."""
    run_steps()  # warm-up: tracing and first-call set-up are not timed
    steps, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        run_steps()
        steps += steps_per_call
    return steps / (time.perf_counter() - start)


def bench_fit(model: str, images: np.ndarray, batch_size: int, seconds: float, steps_per_execution: int) -> float:
    generator, discriminator = build_models(model)
    gan = GAN(generator, discriminator, seed=0)
    gan.compile(_optimizer(), _optimizer(), steps_per_execution=steps_per_execution)
    dataset = make_dataset(images, batch_size, seed=0)
    gan.fit(dataset, epochs=1, verbose=0, shuffle=False)  # warm-up: tracing is not timed
    start = time.perf_counter()
    gan.fit(dataset, epochs=1, verbose=0, shuffle=False)
    epochs = max(2, round(seconds / (time.perf_counter() - start)))
    start = time.perf_counter()
    gan.fit(dataset, epochs=epochs, verbose=0, shuffle=False)  # one fit() call, as in real training
    return epochs * (len(images) // batch_size) * batch_size / (time.perf_counter() - start)


def bench_tf_function(model: str, images: np.ndarray, batch_size: int, seconds: float) -> float:
    generator, discriminator = build_models(model)
    d_optimizer, g_optimizer = _optimizer(), _optimizer()
    latent_dim = generator.input_shape[-1]

    @tf.function
    def train_step(real_images):
        z = tf.random.normal((batch_size, latent_dim))
        fake_images = generator(z, training=True)
        with tf.GradientTape() as tape:
            d_loss = tf.reduce_mean(discriminator_loss(
                discriminator(real_images, training=True), discriminator(fake_images, training=True), 0.9))
        d_optimizer.apply(tape.gradient(d_loss, discriminator.trainable_variables), discriminator.trainable_variables)
        z = tf.random.normal((batch_size, latent_dim))
        with tf.GradientTape() as tape:
            g_loss = tf.reduce_mean(generator_loss(discriminator(generator(z, training=True), training=True)))
        g_optimizer.apply(tape.gradient(g_loss, generator.trainable_variables), generator.trainable_variables)
        return d_loss, g_loss

    dataset = make_dataset(images, batch_size, seed=0)

    def epoch():
        for real_images in dataset:
            train_step(real_images)

    return _steps_in(seconds, epoch, len(images) // batch_size) * batch_size


def bench_classic(model: str, images: np.ndarray, batch_size: int, seconds: float) -> float:
    recipe = ClassicGAN(model, batch_size, seed=0)  # the shared recipe (benchmarks/recipes.py)
    x = (images[..., None].astype(np.float32) / 127.5 - 1.0)
    return _steps_in(seconds, lambda: recipe.train_steps(x, 10), 10) * batch_size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--seconds", type=float, default=20.0, help="timed wall-clock seconds per measurement")
    parser.add_argument("--models", nargs="+", default=["mlp", "dcgan"])
    args = parser.parse_args()
    (images, _), _ = load_mnist()
    keras.utils.set_random_seed(0)
    print(f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, TensorFlow {tf.__version__}, "
          f"Keras {keras.__version__}; {len(images):,} training images, batch {args.batch_size}\n")
    print("| model | (a) fit, spe=1 | (a) fit, spe=10 | (b) tf.function loop | (c) classic train_on_batch "
          "| best (a) / (b) | best (a) / (c) |")
    print("|---|---|---|---|---|---|---|")
    for model in args.models:
        fit1 = bench_fit(model, images, args.batch_size, args.seconds, 1)
        fit10 = bench_fit(model, images, args.batch_size, args.seconds, 10)
        loop = bench_tf_function(model, images, args.batch_size, args.seconds)
        classic = bench_classic(model, images, args.batch_size, args.seconds)
        best = max(fit1, fit10)
        print(f"| {model} | {fit1:,.0f} | {fit10:,.0f} | {loop:,.0f} | {classic:,.0f} "
              f"| {best / loop:.2f}x | {best / classic:.2f}x |", flush=True)
    print("\nimages/s: higher is better; spe = steps_per_execution.")


if __name__ == "__main__":
    main()
