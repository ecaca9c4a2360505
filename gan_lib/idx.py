"""Reader for the IDX file format that MNIST, Fashion-MNIST, KMNIST and EMNIST ship in.

Format (LeCun et al., http://yann.lecun.com/exdb/mnist/): a 4-byte magic number
``0x00 0x00 <dtype code> <ndim>``, then ``ndim`` big-endian uint32 dimension sizes,
then the values in C order. Files may be gzip-compressed (``.gz``).

The reader never trusts the header: it checks the magic number, refuses absurd
sizes before allocating anything, and checks that the payload has exactly the
length the header promises.
"""

from __future__ import annotations

import gzip
import os
import struct
import zlib
from typing import BinaryIO

import numpy as np

_DTYPES = {
    0x08: np.dtype(np.uint8),
    0x09: np.dtype(np.int8),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}


def _open(path: str | os.PathLike) -> BinaryIO:
    return gzip.open(path, "rb") if str(path).endswith(".gz") else open(path, "rb")


def read_idx(path: str | os.PathLike, max_bytes: int = 1 << 31) -> np.ndarray:
    """Read one IDX file (raw or ``.gz``) into a NumPy array.

    Args:
        path: the file, e.g. ``train-images-idx3-ubyte.gz``.
        max_bytes: refuse headers that promise more data than this (default 2 GiB),
            so a corrupt header cannot make the reader allocate gigabytes.

    Returns:
        The array with the header's shape, in native byte order; MNIST images come
        back as ``(N, 28, 28)`` uint8 in [0, 255], labels as ``(N,)`` uint8.

    Raises:
        FileNotFoundError: the file does not exist.
        ValueError: the file is not valid IDX (wrong magic number, unknown type code,
            truncated or over-long payload, bad gzip stream). The message names the file.
    """
    try:
        with _open(path) as f:
            header = f.read(4)
            if len(header) < 4:
                raise ValueError(f"{path}: file is truncated: {len(header)} bytes, no IDX header")
            zero1, zero2, code, ndim = struct.unpack(">BBBB", header)
            if zero1 != 0 or zero2 != 0 or code not in _DTYPES or ndim == 0:
                raise ValueError(
                    f"{path}: not an IDX file: magic number {header.hex()} "
                    "(expected 0000 + type code 08/09/0b/0c/0d/0e + number of dimensions)"
                )
            raw_dims = f.read(4 * ndim)
            if len(raw_dims) < 4 * ndim:
                raise ValueError(f"{path}: file is truncated inside its header ({ndim} dimensions promised)")
            shape = struct.unpack(f">{ndim}I", raw_dims)
            dtype = _DTYPES[code]
            expected = int(np.prod(shape, dtype=np.float64)) * dtype.itemsize
            if expected > max_bytes:
                raise ValueError(f"{path}: header promises {expected:,} bytes of data (shape {shape}); refusing over {max_bytes:,}")
            payload = f.read(expected + 1)
    except (OSError, EOFError, zlib.error) as err:
        if isinstance(err, FileNotFoundError):
            raise
        raise ValueError(f"{path}: cannot be read as (gzipped) IDX: {err}") from err
    if len(payload) != expected:
        found = f"{len(payload):,}" if len(payload) < expected else "more"
        raise ValueError(f"{path}: file is truncated or corrupt: shape {shape} needs exactly {expected:,} data bytes, found {found}")
    return np.frombuffer(payload, dtype=dtype).reshape(shape).astype(dtype.newbyteorder("="))
