"""Generator and discriminator builders: the MLP GAN and the DCGAN.

Conventions for every builder in the package:

* generator: ``(B, latent_dim)`` float32 z ~ N(0, 1) -> ``(B, 28, 28, 1)`` float32 in
  [-1, 1] (``tanh`` output);
* discriminator: ``(B, 28, 28, 1)`` float32 in [-1, 1] -> ``(B, 1)`` float32 **logits**
  (no sigmoid; losses use ``from_logits=True``, which is numerically stable).

Introduced in 02_mlp_gan (MLP) and 03_dcgan (DCGAN).
"""

from __future__ import annotations

from collections.abc import Sequence

import keras
from keras import layers

IMAGE_SHAPE = (28, 28, 1)
D_KERNEL_SIZE = 5  # the DCGAN discriminator's kernels (3 until README "Tricks, measured")


def _check_latent_dim(latent_dim: int) -> None:
    if int(latent_dim) < 1:
        raise ValueError(f"latent_dim must be a positive integer, got {latent_dim}")


def build_mlp_generator(latent_dim: int = 100) -> keras.Model:
    """Fully-connected generator (Goodfellow et al. 2014, "Generative Adversarial Nets").

    z(latent_dim) -> Dense 256 -> LeakyReLU(0.2) -> Dense 512 -> LeakyReLU(0.2)
    -> Dense 784, tanh -> reshape to 28x28x1.

    Args:
        latent_dim: length of the noise vector z.

    Returns:
        Model mapping ``(B, latent_dim)`` float32 ~ N(0, 1) to ``(B, 28, 28, 1)`` float32
        in [-1, 1]. 559,632 parameters at latent_dim=100.

    Raises:
        ValueError: latent_dim < 1.
    """
    _check_latent_dim(latent_dim)
    return keras.Sequential(
        [
            keras.Input((latent_dim,)),
            layers.Dense(256),
            layers.LeakyReLU(negative_slope=0.2),
            layers.Dense(512),
            layers.LeakyReLU(negative_slope=0.2),
            layers.Dense(28 * 28, activation="tanh"),
            layers.Reshape(IMAGE_SHAPE),  # (B, 784) -> (B, 28, 28, 1)
        ],
        name="mlp_generator",
    )


def build_mlp_discriminator(dropout: float = 0.3) -> keras.Model:
    """Fully-connected discriminator (Goodfellow et al. 2014).

    784 -> Dense 512 -> LeakyReLU(0.2) -> Dropout -> Dense 256 -> LeakyReLU(0.2)
    -> Dropout -> Dense 1 (logit).

    Args:
        dropout: dropout rate after each hidden layer.

    Returns:
        Model mapping ``(B, 28, 28, 1)`` float32 in [-1, 1] to ``(B, 1)`` float32 logits.
        533,505 parameters.
    """
    return keras.Sequential(
        [
            keras.Input(IMAGE_SHAPE),
            layers.Flatten(),  # (B, 28, 28, 1) -> (B, 784)
            layers.Dense(512),
            layers.LeakyReLU(negative_slope=0.2),
            layers.Dropout(dropout),
            layers.Dense(256),
            layers.LeakyReLU(negative_slope=0.2),
            layers.Dropout(dropout),
            layers.Dense(1),
        ],
        name="mlp_discriminator",
    )


def build_dcgan_generator(
    latent_dim: int = 100,
    filters: Sequence[int] = (64, 32),
    batch_norm: bool = True,
    output_kernel: int = 3,
) -> keras.Model:
    """DCGAN generator (Radford et al. 2016), sized for MNIST on a CPU.

    z -> Dense 7*7*128 -> [BN] -> ReLU -> reshape (7, 7, 128)
    -> ConvTranspose(filters[0], 4x4, stride 2) -> [BN] -> ReLU   # (B, 14, 14, filters[0])
    -> ConvTranspose(filters[1], 4x4, stride 2) -> [BN] -> ReLU   # (B, 28, 28, filters[1])
    -> Conv(1, output_kernel, tanh)                                # (B, 28, 28, 1)

    With one entry, ``filters=(64,)``, there is no hidden 28x28 layer: the 14x14 maps go
    straight to the image through ConvTranspose(1, 4x4, stride 2, tanh), as the last layer of
    the TF DCGAN tutorial does (cheaper per step: no 28x28x32 activations; at 8,000 steps it
    drew worse digits here, README "Tricks, measured").

    The defaults (64, 32) are our choice for quality per CPU minute: about 2x the
    steps per second of the wider (128, 128) layer plan of the keras-io / "seed script"
    DCGAN, which ``filters=(128, 128), batch_norm=False, output_kernel=7`` rebuilds
    (there the hidden activations are ReLU rather than LeakyReLU).

    Args:
        latent_dim: length of the noise vector z.
        filters: channels of the hidden transposed convolutions: two (14x14, 28x28),
            or one (14x14; the output layer is then a stride-2 transposed convolution).
        batch_norm: BatchNormalization after the dense and transposed-conv layers
            (a DCGAN guideline; the layer before it then needs no bias).
        output_kernel: kernel size of the final convolution (two-entry ``filters`` only).

    Returns:
        Model mapping ``(B, latent_dim)`` float32 ~ N(0, 1) to ``(B, 28, 28, 1)`` float32
        in [-1, 1]. 816,801 parameters (804,065 trainable) with the defaults at latent_dim=100.

    Raises:
        ValueError: latent_dim < 1 or ``filters`` does not have one or two entries.
    """
    _check_latent_dim(latent_dim)
    if len(filters) not in (1, 2):
        raise ValueError(f"filters must name one or two channel counts (14x14 [and 28x28] layers), got {filters}")

    def norm_relu() -> list[layers.Layer]:
        return ([layers.BatchNormalization()] if batch_norm else []) + [layers.ReLU()]

    return keras.Sequential(
        [
            keras.Input((latent_dim,)),
            layers.Dense(7 * 7 * 128, use_bias=not batch_norm),
            *norm_relu(),
            layers.Reshape((7, 7, 128)),  # (B, 6272) -> (B, 7, 7, 128)
            layers.Conv2DTranspose(filters[0], 4, strides=2, padding="same", use_bias=not batch_norm),
            *norm_relu(),  # (B, 14, 14, filters[0])
            *(
                [
                    layers.Conv2DTranspose(filters[1], 4, strides=2, padding="same", use_bias=not batch_norm),
                    *norm_relu(),  # (B, 28, 28, filters[1])
                    layers.Conv2D(1, output_kernel, padding="same", activation="tanh"),  # (B, 28, 28, 1)
                ]
                if len(filters) == 2
                else [layers.Conv2DTranspose(1, 4, strides=2, padding="same", activation="tanh")]  # (B, 28, 28, 1)
            ),
        ],
        name="dcgan_generator",
    )


def build_dcgan_discriminator(
    filters: Sequence[int] = (64, 128),
    batch_norm: bool = True,
    dropout: float = 0.0,
    input_channels: int = 1,
    spectral_norm: bool = False,
    kernel_size: int = D_KERNEL_SIZE,
) -> keras.Model:
    """DCGAN discriminator (Radford et al. 2016), sized for MNIST on a CPU.

    Conv(filters[0], k x k, stride 2) -> LeakyReLU(0.2) -> Dropout          # (B, 14, 14, filters[0])
    -> Conv(filters[1], k x k, stride 2) -> [BN] -> LeakyReLU(0.2) -> Dropout  # (B, 7, 7, filters[1])
    -> Flatten -> Dense 1 (logit).

    Strided convolutions replace pooling and BatchNorm skips the input layer, as the
    DCGAN guidelines ask. The defaults (64/128 filters, BatchNorm, no dropout) were
    picked by a sweep on the 5,000-digit MNIST subset (README, "Choosing the defaults").
    The 5x5 kernels are those of the TF DCGAN tutorial. They replaced 3x3 ones (this project's
    default until then) after the ablation of README "Tricks, measured": by the clock on a
    2-core CPU, 3 seeds each, the 10-minute main job went from FID 35.9 +- 3.1 to 26.2 +- 3.8
    and the 3-minute run from 51.8 +- 0.8 to 30.8 +- 4.6, at about 12.5 instead of 14-16
    steps/s. One feature after the second layer sees 13x13 pixels instead of 7x7. The
    keras-io / "seed script" plan, two
    Conv2D(64, 3x3) with Dropout(0.4) and no BatchNorm, is
    ``filters=(64, 64), batch_norm=False, dropout=0.4, kernel_size=3``.

    Args:
        filters: channels of the two convolutions.
        batch_norm: BatchNormalization after the second convolution.
        dropout: dropout rate after each convolution (0 turns it off).
        input_channels: channels of the input; 2 in the conditional discriminator
            (:mod:`gan_lib.conditional`), where a label map rides along the image.
        spectral_norm: wrap every convolution and the Dense layer in Keras's
            ``SpectralNormalization`` (Miyato et al. 2018): each layer's largest singular value
            is kept near 1 (one power iteration per step), so D is about 1-Lipschitz and its
            gradients stay bounded. BatchNorm is then left out, as in SN-GAN.
        kernel_size: height and width of both convolution kernels (odd: 3 or 5).

    Returns:
        Model mapping ``(B, 28, 28, input_channels)`` float32 in [-1, 1] to ``(B, 1)`` float32
        logits. 213,249 parameters with the defaults (81,153 with ``kernel_size=3``).

    Raises:
        ValueError: ``filters`` does not have two entries, or ``kernel_size`` < 1.
    """
    if len(filters) != 2:
        raise ValueError(f"filters must name two channel counts (14x14 and 7x7 layers), got {filters}")
    if kernel_size < 1:
        raise ValueError(f"kernel_size must be a positive integer (3 or 5), got {kernel_size}")

    batch_norm = batch_norm and not spectral_norm

    def sn(layer: layers.Layer) -> layers.Layer:
        return layers.SpectralNormalization(layer) if spectral_norm else layer

    def block(n_filters: int, norm: bool) -> list[layers.Layer]:
        return [
            sn(layers.Conv2D(n_filters, kernel_size, strides=2, padding="same", use_bias=not norm)),
            *([layers.BatchNormalization()] if norm else []),
            layers.LeakyReLU(negative_slope=0.2),
            *([layers.Dropout(dropout)] if dropout else []),
        ]

    return keras.Sequential(
        [
            keras.Input((*IMAGE_SHAPE[:2], input_channels)),
            *block(filters[0], norm=False),  # (B, 14, 14, filters[0])
            *block(filters[1], norm=batch_norm),  # (B, 7, 7, filters[1])
            layers.Flatten(),  # (B, 7, 7, filters[1]) -> (B, 49 * filters[1])
            sn(layers.Dense(1)),
        ],
        name="dcgan_discriminator",
    )


def build_models(model: str, latent_dim: int = 100, g_filters: Sequence[int] | None = None,
                 d_filters: Sequence[int] | None = None, spectral_norm: bool = False,
                 d_kernel: int | None = None) -> tuple[keras.Model, keras.Model]:
    """``(generator, discriminator)`` for ``model`` in ``{"mlp", "dcgan"}``.

    Args:
        g_filters, d_filters: DCGAN widths (see :func:`build_dcgan_generator` and
            :func:`build_dcgan_discriminator`); None keeps the defaults.
        spectral_norm: DCGAN only: spectral normalization in the discriminator.
        d_kernel: DCGAN only: the discriminator's kernel size; None keeps the default (5).

    Raises:
        ValueError: unknown model name, or widths / spectral norm / kernel asked of the MLP.
    """
    if model == "mlp":
        if g_filters or d_filters or spectral_norm or d_kernel:
            raise ValueError("filters, kernel size and spectral normalization apply to --model dcgan only")
        return build_mlp_generator(latent_dim), build_mlp_discriminator()
    if model == "dcgan":
        generator = build_dcgan_generator(latent_dim, **({"filters": tuple(g_filters)} if g_filters else {}))
        discriminator = build_dcgan_discriminator(**({"filters": tuple(d_filters)} if d_filters else {}),
                                                  spectral_norm=spectral_norm,
                                                  **({"kernel_size": d_kernel} if d_kernel else {}))
        return generator, discriminator
    raise ValueError(f"unknown model {model!r}; choose 'mlp' or 'dcgan'")
