"""The pretrained DCGAN generator that ships inside the package (no training, no network).

``gan_lib/assets/dcgan_generator.keras`` was trained by one command of the package's CLI;
``gan_lib/assets/dcgan_generator.json`` records it (command, data, epochs, seed, steps, CPU
time, hardware, file size and SHA-256), so anyone can reproduce or improve it:
``pretrained_record()["command"]``.

Introduced in 04_latent_space.
"""

from __future__ import annotations

import importlib.resources
import json

import keras

from gan_lib.modelio import load_generator
from gan_lib.models import build_dcgan_generator

GENERATOR_FILE = "dcgan_generator.keras"
RECORD_FILE = "dcgan_generator.json"


def _asset(name: str):
    resource = importlib.resources.files("gan_lib") / "assets" / name
    if not resource.is_file():
        raise FileNotFoundError(f"gan_lib/assets/{name} is missing from this installation of gan_lib; "
                                "reinstall the package (pip install gan-lib) to get the pretrained generator")
    return resource


def pretrained_record() -> dict:
    """What the shipped generator is: ``command``, ``data``, ``epochs``, ``seed``, ``steps``,
    ``wall_seconds``, ``cpu_seconds``, ``hardware``, ``keras_version``, ``size_bytes``, ``sha256``
    and the run's ``config`` (a dict).

    Raises:
        FileNotFoundError: the record is not installed.
    """
    return json.loads(_asset(RECORD_FILE).read_text())


def _older_keras(saved_by: str) -> bool:
    def parse(version: str) -> tuple[int, ...]:
        return tuple(int(part) for part in version.split(".")[:3] if part.isdigit())

    return parse(keras.__version__) < parse(saved_by)


def load_pretrained_generator() -> keras.Model:
    """Load the shipped DCGAN generator with ``safe_mode=True`` (via :func:`gan_lib.modelio.load_generator`).

    Returns:
        Model mapping ``(B, 100)`` float32 z ~ N(0, 1) to ``(B, 28, 28, 1)`` float32 in [-1, 1]
        (the default :func:`gan_lib.models.build_dcgan_generator`).

    An older Keras cannot always read the layer configs a newer one writes: Colab's Keras 3.10
    rejects the ``quantization_config`` key that Keras 3.15 stores for ``Dense`` (checked for this
    project). In that case only, the same architecture is built from code with the recorded
    ``latent_dim`` and the weights are read from the file; weights are plain arrays, so this runs
    no code from the file either.

    Raises:
        FileNotFoundError: the asset is not installed.
        ValueError: the file does not load (corrupt, or refused by ``safe_mode``).
    """
    record = pretrained_record()
    latent_dim = record["config"]["latent_dim"]
    # Weights only, and only under an older Keras: with the same Keras a config error is a real error.
    rebuild = (lambda: build_dcgan_generator(latent_dim)) if _older_keras(record["keras_version"]) else None
    with importlib.resources.as_file(_asset(GENERATOR_FILE)) as path:
        return load_generator(path, latent_dim=latent_dim, rebuild=rebuild)
