"""Sample files: generated images in an ``.npz``, written atomically, read without pickle.

Format: ``images`` ``(N, 28, 28)`` uint8 in [0, 255], and optionally ``z``
``(N, latent_dim)`` float32, the latent vectors that made them. Written by
``python -m gan_lib sample``; read by ``python -m gan_lib evaluate``.

The reader checks every array header *before* reading data, so a file that claims
huge dimensions is refused without allocating memory, and ``allow_pickle`` is never on.
"""

from __future__ import annotations

import os
import zipfile
import zlib
from pathlib import Path

import numpy as np

from gan_lib.atomic import atomic_path

MAX_IMAGES = 1_000_000  # 784 MB of uint8; a larger claim is refused before reading


def save_samples(path: str | os.PathLike, images: np.ndarray, z: np.ndarray | None = None) -> None:
    """Write ``images`` ((N, 28, 28) or (N, 28, 28, 1) uint8) and optional ``z`` ((N, D) float32) atomically.

    Raises:
        ValueError: a wrong shape or dtype, or a path that does not end in ``.npz``.
    """
    path = Path(path)
    if path.suffix != ".npz":
        raise ValueError(f"sample file must end in .npz, got {path}")
    images = _check_images(np.asarray(images), str(path))
    arrays = {"images": images}
    if z is not None:
        z = np.asarray(z, dtype=np.float32)
        if z.ndim != 2 or len(z) != len(images):
            raise ValueError(f"z must be (N, latent_dim) with N = {len(images)}, got {z.shape}")
        arrays["z"] = z
    with atomic_path(path) as tmp, open(tmp, "wb") as f:  # a file object: np.savez would append ".npz" to a name
        np.savez_compressed(f, **arrays)


def load_samples(path: str | os.PathLike, max_images: int = MAX_IMAGES) -> tuple[np.ndarray, np.ndarray | None]:
    """Read a sample file.

    Returns:
        ``(images, z)``: images ``(N, 28, 28)`` uint8 in [0, 255]; ``z`` ``(N, D)`` float32 or None.

    Raises:
        FileNotFoundError: no such file.
        ValueError: not an ``.npz`` archive, no ``images`` array, a wrong shape or dtype,
            more than ``max_images`` images, an object (pickled) array, or truncated data.
            The message names the file.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"sample file {path} does not exist")
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "images.npy" not in names:
                raise ValueError(f"{path} has no 'images' array (found: {sorted(names) or 'nothing'})")
            images = _check_images(_read_array(archive, "images.npy", path, max_images * 28 * 28), str(path))
            z = None
            if "z.npy" in names:
                z = _read_array(archive, "z.npy", path, len(images) * 65_536)
                if z.ndim != 2 or len(z) != len(images) or z.dtype.kind != "f":
                    raise ValueError(f"{path}: z must be (N, latent_dim) float with N = {len(images)}, "
                                     f"got {z.shape} {z.dtype}")
                z = z.astype(np.float32)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, NotImplementedError) as err:
        # zlib.error: corrupt compressed data; RuntimeError: encrypted member; NotImplementedError: unknown compression
        raise ValueError(f"{path} is not a readable .npz sample file: {err}") from err
    if len(images) > max_images:
        raise ValueError(f"{path} holds {len(images):,} images, more than the limit of {max_images:,}")
    return images, z


def _read_array(archive: zipfile.ZipFile, name: str, path: Path, max_elements: int) -> np.ndarray:
    """One array from the archive: header checked first, then data, never pickle."""
    with archive.open(name) as f:
        try:
            major, _ = np.lib.format.read_magic(f)
            read_header = np.lib.format.read_array_header_1_0 if major == 1 else np.lib.format.read_array_header_2_0
            shape, _, dtype = read_header(f)
        except ValueError as err:
            raise ValueError(f"{path}: {name} is not a valid .npy array: {err}") from err
    if dtype.hasobject:
        raise ValueError(f"{path}: {name} holds Python objects (pickle), which are refused; save plain arrays")
    if int(np.prod(shape, dtype=np.float64)) > max_elements:
        raise ValueError(f"{path}: {name} claims shape {shape}, larger than allowed ({max_elements:,} elements)")
    with archive.open(name) as f:
        try:
            return np.lib.format.read_array(f, allow_pickle=False)
        except ValueError as err:
            raise ValueError(f"{path}: {name} is truncated or corrupt: {err}") from err


def _check_images(images: np.ndarray, where: str) -> np.ndarray:
    if images.ndim == 4 and images.shape[-1] == 1:
        images = images[..., 0]
    if images.ndim != 3 or images.shape[1:] != (28, 28) or len(images) == 0:
        raise ValueError(f"{where}: images must be (N, 28, 28) or (N, 28, 28, 1) with N >= 1, got {images.shape}")
    if images.dtype != np.uint8:
        raise ValueError(f"{where}: images must be uint8 in [0, 255], got {images.dtype} "
                         "(convert with gan_lib.to_uint8)")
    return images
