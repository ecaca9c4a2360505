"""gan_lib: hands-on GANs on MNIST with TensorFlow / Keras 3.

Pixel convention everywhere: model images are float32 in [-1, 1], shaped
(B, 28, 28, 1); files hold uint8 in [0, 255]. Discriminators output logits.

The names below load lazily, so ``import gan_lib`` (and ``python -m gan_lib --help``)
is quick and does not import TensorFlow until a name is used.
"""

from __future__ import annotations

import importlib
import importlib.util
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "load_mnist": "data",
    "load_fashion_mnist": "data",
    "load_idx_folder": "data",
    "make_dataset": "data",
    "to_float": "data",
    "to_uint8": "data",
    "describe_source": "data",
    "hardware_summary": "runinfo",
    "read_idx": "idx",
    "build_mlp_generator": "models",
    "build_mlp_discriminator": "models",
    "build_dcgan_generator": "models",
    "build_dcgan_discriminator": "models",
    "build_models": "models",
    "discriminator_loss": "losses",
    "generator_loss": "losses",
    "GAN": "gan",
    "random_latent_vectors": "latent",
    "generate": "generation",
    "image_grid": "plotting",
    "show_images": "plotting",
    "save_image_grid": "plotting",
    "plot_losses": "plotting",
    "save_gif": "plotting",
    "SampleGrid": "callbacks",
    "GeneratorCheckpoint": "callbacks",
    "TrainingCheckpoint": "callbacks",
    "TimeLimit": "callbacks",
    "StopOnDivergence": "callbacks",
    "TrainingDiverged": "errors",
    "DataUnavailable": "errors",
    "load_generator": "modelio",
    "load_samples": "samples",
    "save_samples": "samples",
    "training_stream": "data",
    "load_image_folder": "image_folder",
    "TrainingInterrupted": "errors",
    "is_conditional": "generation",
    "build_conditional_generator": "conditional",
    "build_conditional_discriminator": "conditional",
    "ConditionalGAN": "conditional",
    "build_critic": "wgan",
    "gradient_penalty": "wgan",
    "WGANGP": "wgan",
    "ConditionalExplorer": "conditional_explorer",
    "conditional_generate": "conditional_explorer",
    "TrainConfig": "training",
    "train": "training",
    "build_classifier": "classifier",
    "train_classifier": "classifier",
    "load_classifier": "classifier",
    "predict_labels": "classifier",
    "frechet_distance": "metrics",
    "classifier_score": "metrics",
    "class_coverage": "metrics",
    "nearest_neighbours": "metrics",
    "MetricsCallback": "callbacks",
    "load_pretrained_generator": "pretrained",
    "pretrained_record": "pretrained",
    "lerp": "latent",
    "slerp": "latent",
    "interpolate": "latent",
    "principal_directions": "latent",
    "Sampler": "widgets",
    "LatentSliders": "widgets",
    "Interpolation": "widgets",
    "NearestNeighbours": "widgets",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(f"gan_lib.{_EXPORTS[name]}"), name)
    if not name.startswith("_") and importlib.util.find_spec(f"gan_lib.{name}") is not None:
        # gan_lib.plotting.show_images(...) works without importing gan_lib.plotting first
        return importlib.import_module(f"gan_lib.{name}")
    raise AttributeError(f"module 'gan_lib' has no attribute {name!r}")
