"""Fuzz the .npz sample reader: any file gives valid arrays or a clear ValueError.

Never a crash, a hang, another exception type, or a large allocation: every case runs
under tracemalloc (NumPy reports its buffers to it) and must peak below 64 MiB, while
the crafted headers claim up to 2**60 elements.
"""

import io
import tracemalloc
import zipfile

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gan_lib.samples import load_samples, save_samples

FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
PEAK_LIMIT = 64 << 20


def check(path):
    """Load under tracemalloc; only (images, z) or a ValueError naming the file are allowed."""
    tracemalloc.start()
    try:
        images, z = load_samples(path)
    except ValueError as err:
        assert str(path) in str(err)
        return None
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert peak < PEAK_LIMIT, f"{peak / 2**20:.0f} MiB allocated"
    assert images.ndim == 3 and images.shape[1:] == (28, 28) and images.dtype == np.uint8
    assert z is None or (z.dtype == np.float32 and len(z) == len(images))
    return images, z


def npy_bytes(header: dict, payload: bytes, version=(1, 0), magic=b"\x93NUMPY") -> bytes:
    text = repr(header).encode("latin1")
    if version == (1, 0):
        text = text + b" " * (-(len(magic) + 4 + len(text) + 1) % 64) + b"\n"
        head = magic + bytes(version) + len(text).to_bytes(2, "little")
    else:
        text = text + b" " * (-(len(magic) + 6 + len(text) + 1) % 64) + b"\n"
        head = magic + bytes(version) + len(text).to_bytes(4, "little")
    return head + text + payload


def npz_bytes(members: dict[str, bytes], compress: bool) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


DIMS = st.integers(0, 30) | st.sampled_from([28, 2**31, 2**40, 2**60])
DESCR = st.sampled_from(["|u1", "<f4", "<f8", "<i8", "|O", "|b1", "<U3", "|V8", "bogus", ">f4"])
HEADER = st.fixed_dictionaries({
    "descr": DESCR,
    "fortran_order": st.booleans(),
    "shape": st.lists(DIMS, min_size=0, max_size=4).map(tuple),
})


@FUZZ
@given(data=st.binary(max_size=400))
def test_random_bytes(tmp_path, data):
    path = tmp_path / "s.npz"
    path.write_bytes(data)
    check(path)


@FUZZ
@given(
    header=HEADER,
    payload=st.binary(max_size=3000),
    version=st.sampled_from([(1, 0), (2, 0), (3, 0), (9, 9)]),
    magic=st.sampled_from([b"\x93NUMPY", b"\x93NUMPZ", b"PK\x03\x04NU"]),
    name=st.sampled_from(["images.npy", "z.npy", "other.npy"]),
    compress=st.booleans(),
)
def test_headers_that_lie(tmp_path, header, payload, version, magic, name, compress):
    path = tmp_path / "s.npz"
    path.write_bytes(npz_bytes({name: npy_bytes(header, payload, version, magic)}, compress))
    loaded = check(path)
    if loaded is not None:  # accepted only when the header told the truth about the data
        assert header["descr"] == "|u1" and len(payload) >= int(np.prod(header["shape"]))


@FUZZ
@given(n=st.integers(1, 5), z_dim=st.integers(1, 8), cut=st.integers(1, 4000), flip=st.integers(0, 4000),
       compress=st.booleans())
def test_truncated_and_corrupted_real_files(tmp_path, n, z_dim, cut, flip, compress):
    good = tmp_path / "good.npz"
    rng = np.random.default_rng(n)
    save_samples(good, rng.integers(0, 256, (n, 28, 28), dtype=np.uint8), rng.normal(size=(n, z_dim)))
    data = bytearray(good.read_bytes())
    bad = tmp_path / "bad.npz"
    truncated = data[: max(0, len(data) - cut)]
    bad.write_bytes(bytes(truncated))
    check(bad)
    data[flip % len(data)] ^= 0xFF
    bad.write_bytes(bytes(data))
    check(bad)


@FUZZ
@given(images_shape=st.lists(DIMS, min_size=0, max_size=4).map(tuple), z_shape=st.lists(DIMS, max_size=3).map(tuple),
       z_descr=DESCR)
def test_z_that_lies(tmp_path, images_shape, z_shape, z_descr):
    images = np.zeros((2, 28, 28), np.uint8)
    members = {
        "images.npy": npy_bytes({"descr": "|u1", "fortran_order": False, "shape": (2, 28, 28)}, images.tobytes()),
        "z.npy": npy_bytes({"descr": z_descr, "fortran_order": False, "shape": z_shape}, bytes(64)),
    }
    path = tmp_path / "s.npz"
    path.write_bytes(npz_bytes(members, compress=False))
    loaded = check(path)
    if loaded is not None:
        assert loaded[1].shape == z_shape == (2, loaded[1].shape[1])


def test_a_zip_bomb_is_refused_before_it_is_inflated(tmp_path):
    header = {"descr": "|u1", "fortran_order": False, "shape": (4_000_000, 28, 28)}  # 3 GB claimed, over the limit
    path = tmp_path / "bomb.npz"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive, \
            archive.open("images.npy", "w", force_zip64=True) as member:
        member.write(npy_bytes(header, b""))
        for _ in range(64):
            member.write(bytes(1 << 20))  # 64 MiB of zeros, a few hundred KiB compressed
    assert check(path) is None


def test_object_arrays_are_refused_never_unpickled(tmp_path):
    path = tmp_path / "pickled.npz"
    np.savez(path, images=np.array([{"payload": 1}, None], dtype=object))
    with pytest.raises(ValueError, match="pickle"):
        load_samples(path)
