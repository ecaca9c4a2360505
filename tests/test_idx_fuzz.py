"""Fuzz the IDX reader: any byte string gives an array or a clear ValueError, never a crash or a huge allocation."""

import gzip
import struct

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gan_lib.idx import read_idx

FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def check(path):
    try:
        array = read_idx(path, max_bytes=1 << 20)
    except ValueError as err:
        assert str(path) in str(err)  # every message names the file
        return None
    assert array.nbytes <= 1 << 20
    return array


@FUZZ
@given(data=st.binary(max_size=200), gzipped=st.booleans())
def test_random_bytes(tmp_path, data, gzipped):
    path = tmp_path / ("f.idx.gz" if gzipped else "f.idx")
    path.write_bytes(gzip.compress(data) if gzipped else data)
    check(path)


@FUZZ
@given(
    code=st.sampled_from([0x08, 0x09, 0x0B, 0x0C, 0x0D, 0x0E, 0x00, 0x07, 0xFF]),
    dims=st.lists(st.integers(0, 2**32 - 1) | st.integers(0, 6), min_size=0, max_size=4),
    payload=st.binary(max_size=300),
    cut=st.integers(0, 20),
)
def test_headers_that_lie(tmp_path, code, dims, payload, cut):
    header = bytes([0, 0, code, len(dims)]) + struct.pack(f">{len(dims)}I", *dims)
    data = (header + payload)[: max(0, len(header) + len(payload) - cut)]
    path = tmp_path / "f.idx"
    path.write_bytes(data)
    array = check(path)
    if array is not None:  # accepted only when the header told the exact truth
        assert array.shape == tuple(dims) and int(np.prod(dims)) * array.itemsize == len(data) - len(header)


def test_gzip_bomb_is_refused_without_reading_it_all(tmp_path):
    path = tmp_path / "bomb.idx.gz"
    header = bytes([0, 0, 8, 1]) + struct.pack(">I", 2**31)
    with gzip.open(path, "wb") as f:  # 2 GiB promised, 64 MiB of zeros actually present
        f.write(header)
        f.write(bytes(64 << 20))
    with pytest.raises(ValueError, match="refusing"):
        read_idx(path, max_bytes=1 << 20)
