"""Loading saved ``.keras`` models safely: ``safe_mode=True``, clear errors.

``safe_mode=True`` refuses files that carry code (a ``Lambda`` layer's pickled
bytecode), so a downloaded generator cannot run anything on load. Every loader in
the package (the CLI, :mod:`gan_lib.pretrained`, the metrics classifier) goes through here.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Callable
from pathlib import Path

import keras


def _reason(err: Exception) -> str:
    """Keras's error in a few words: its first sentence, without the file path it repeats.

    Keras's messages run to several sentences (550 characters of SavedModel advice for a file
    that is not ``.keras``); the user needs only what is wrong with the file.
    """
    text = " ".join(str(err).split()) or type(err).__name__
    if "safe_mode" in text:
        return "it holds a Lambda layer or other Python code, which loading with safe_mode=True refuses"
    text = re.sub(r":?\s*filepath=\S+?(?=\.(\s|$)|$)", "", text).strip()
    return text.split(". ")[0].rstrip(".:")[:120]


def load_model(path: str | os.PathLike, what: str = "model",
               rebuild: Callable[[], keras.Model] | None = None) -> keras.Model:
    """Load a ``.keras`` file with ``safe_mode=True`` and ``compile=False``.

    Args:
        path: a ``.keras`` file written by ``model.save``.
        what: the word used in error messages ("generator", "classifier").
        rebuild: builds the same architecture from code. If given and the file's config
            does not load, the weights alone are read into ``rebuild()``: an older Keras
            cannot always read the layer configs a newer one wrote (Colab's Keras 3.10
            rejects the ``quantization_config`` key that Keras 3.15 stores for ``Dense``).
            Weights are plain arrays, so no code from the file runs either way.

    Raises:
        FileNotFoundError: ``path`` does not exist.
        ValueError: a folder, or not a loadable ``.keras`` file (corrupt, truncated, or refused by
            ``safe_mode`` because it holds a ``Lambda`` layer or other pickled code), and
            its weights do not fit ``rebuild()`` either.
    """
    path = Path(path)
    if path.is_dir():
        raise ValueError(f"{path} is a folder, not a Keras {what}; give a .keras file saved by Keras 3")
    if not path.is_file():
        raise FileNotFoundError(f"{what} file {path} does not exist")
    try:
        return keras.models.load_model(path, compile=False, safe_mode=True)
    except Exception as err:  # Keras raises many types for a bad file; all mean the same to the user
        error = ValueError(f"{path} is not a loadable Keras {what} ({_reason(err)}); "
                           "give a .keras file saved by Keras 3")
        error.__cause__ = err
    if rebuild is not None:
        model = rebuild()
        with contextlib.suppress(Exception):  # the weights do not fit either: report the original problem
            model.load_weights(path)
            return model
    raise error


def load_generator(path: str | os.PathLike, latent_dim: int | None = None,
                   rebuild: Callable[[], keras.Model] | None = None) -> keras.Model:
    """Load a generator: ``(B, latent_dim)`` float32 -> ``(B, 28, 28, 1)`` float32 in [-1, 1].

    A conditional generator (``[z (B, latent_dim), label (B,)]`` inputs) loads too.

    Args:
        path: a ``.keras`` generator, e.g. ``RUN_DIR/generator.keras``.
        latent_dim: if given, the generator must take latent vectors of this size.
        rebuild: the architecture, for reading weights only (see :func:`load_model`).

    Raises:
        FileNotFoundError: no such file.
        ValueError: not loadable (see :func:`load_model`), not shaped like a generator,
            or its latent size differs from ``latent_dim``.
    """
    generator = load_model(path, "generator", rebuild)
    inputs, outputs = generator.input_shape, generator.output_shape
    z_shape = inputs[0] if isinstance(inputs, list) and len(inputs) == 2 and len(inputs[1]) == 1 else inputs
    if not (isinstance(z_shape, tuple) and len(z_shape) == 2 and tuple(outputs[1:]) == (28, 28, 1)):
        raise ValueError(f"{path} is not a generator: it maps {inputs} to {outputs}, "
                         "not (B, latent_dim) to (B, 28, 28, 1)")
    if latent_dim is not None and z_shape[1] != latent_dim:
        raise ValueError(f"{path} takes latent vectors of size {z_shape[1]}, not {latent_dim}; "
                         f"pass --latent-dim {z_shape[1]}")
    return generator
