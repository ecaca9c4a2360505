import numpy as np
import pytest

from gan_lib.models import (
    build_dcgan_discriminator,
    build_dcgan_generator,
    build_mlp_discriminator,
    build_mlp_generator,
    build_models,
)


# Pinned parameter counts: a change here changes every lesson's printed summary.
@pytest.mark.parametrize(
    "builder, params",
    [
        (build_mlp_generator, 559_632),
        (build_mlp_discriminator, 533_505),
        (build_dcgan_generator, 816_801),
        (build_dcgan_discriminator, 213_249),
    ],
)
def test_parameter_counts(builder, params):
    assert builder().count_params() == params


def test_classic_dcgan_layer_plans_are_available():
    # The keras-io / seed-script plans: G ConvT 128, ConvT 128, Conv 7x7, no BatchNorm;
    # D two Conv2D(64, 3x3, stride 2) with LeakyReLU and Dropout(0.4).
    generator = build_dcgan_generator(filters=(128, 128), batch_norm=False, output_kernel=7)
    assert generator.count_params() == 1_164_289
    discriminator = build_dcgan_discriminator(filters=(64, 64), batch_norm=False, dropout=0.4, kernel_size=3)
    assert discriminator.count_params() == 40_705
    assert sum(type(layer).__name__ == "Dropout" for layer in discriminator.layers) == 2


def test_discriminator_kernel_size_sets_both_convolutions():
    # 5x5 is the default (README "Tricks, measured"); 3x3 is the plan the critic and the conditional D keep.
    for size in (3, 5):
        kernels = [layer.kernel.shape for layer in build_dcgan_discriminator(kernel_size=size).layers
                   if type(layer).__name__ == "Conv2D"]
        assert kernels == [(size, size, 1, 64), (size, size, 64, 128)]
    assert build_dcgan_discriminator(kernel_size=3).count_params() == 81_153
    with pytest.raises(ValueError, match="kernel_size must be a positive integer"):
        build_dcgan_discriminator(kernel_size=0)


def test_one_width_generator_ends_in_a_stride_2_transposed_convolution():
    # The field notes' small probe: no 28x28 hidden layer; 7x7x128 -> 14x14x64 -> 28x28x1.
    generator = build_dcgan_generator(filters=(64,))
    last = generator.layers[-1]
    assert type(last).__name__ == "Conv2DTranspose" and last.strides == (2, 2) and last.filters == 1
    assert generator.count_params() == 784_641
    images = generator(np.random.default_rng(0).standard_normal((3, 100)).astype(np.float32), training=False).numpy()
    assert images.shape == (3, 28, 28, 1) and -1 <= images.min() and images.max() <= 1


@pytest.mark.parametrize("model", ["mlp", "dcgan"])
@pytest.mark.parametrize("latent_dim", [2, 100])
def test_shapes_and_ranges(model, latent_dim):
    generator, discriminator = build_models(model, latent_dim)
    z = np.random.default_rng(0).standard_normal((5, latent_dim)).astype(np.float32) * 10
    images = generator(z, training=False).numpy()
    assert images.shape == (5, 28, 28, 1) and images.dtype == np.float32
    assert images.min() >= -1 and images.max() <= 1
    logits = discriminator(images, training=False).numpy()
    assert logits.shape == (5, 1)


def test_bad_arguments():
    with pytest.raises(ValueError, match="latent_dim must be a positive integer"):
        build_mlp_generator(0)
    with pytest.raises(ValueError, match="filters must name one or two"):
        build_dcgan_generator(filters=(64, 32, 16))
    with pytest.raises(ValueError, match="filters must name two"):
        build_dcgan_discriminator(filters=(64, 64, 64))
    with pytest.raises(ValueError, match="unknown model 'vae'"):
        build_models("vae")
