import gzip

import numpy as np
import pytest
from idx_files import write_idx

from gan_lib.data import load_idx_folder, load_mnist, resolve_data_dir
from gan_lib.idx import read_idx


@pytest.mark.parametrize("name", ["a.idx", "a.idx.gz"])
def test_read_idx_round_trip(tmp_path, name):
    array = np.arange(2 * 3 * 4, dtype=np.uint8).reshape(2, 3, 4)
    assert np.array_equal(read_idx(write_idx(tmp_path / name, array)), array)


def test_read_idx_big_endian_int32(tmp_path):
    values = np.array([1, -2, 70000], dtype=">i4")
    path = tmp_path / "ints.idx"
    path.write_bytes(bytes([0, 0, 0x0C, 1]) + (3).to_bytes(4, "big") + values.tobytes())
    assert read_idx(path).tolist() == [1, -2, 70000]


def test_wrong_magic_number_is_refused(tmp_path):
    path = tmp_path / "bad.idx"
    path.write_bytes(b"\x12\x34\x08\x01" + (3).to_bytes(4, "big") + b"abc")
    with pytest.raises(ValueError, match=r"bad\.idx: not an IDX file: magic number 12340801"):
        read_idx(path)


def test_truncated_payload_is_refused(tmp_path):
    path = write_idx(tmp_path / "t.idx.gz", np.zeros((10, 28, 28), np.uint8))
    raw = gzip.decompress(path.read_bytes())
    path.write_bytes(gzip.compress(raw[:-100]))
    with pytest.raises(ValueError, match=r"t\.idx\.gz: file is truncated or corrupt: shape \(10, 28, 28\) needs exactly 7,840 data bytes, found 7,740"):
        read_idx(path)


def test_truncated_header_is_refused(tmp_path):
    path = tmp_path / "h.idx"
    path.write_bytes(bytes([0, 0, 8, 3]) + b"\x00\x00")
    with pytest.raises(ValueError, match="truncated inside its header"):
        read_idx(path)


def test_payload_longer_than_header_is_refused(tmp_path):
    path = tmp_path / "long.idx"
    path.write_bytes(bytes([0, 0, 8, 1]) + (3).to_bytes(4, "big") + b"abcd")
    with pytest.raises(ValueError, match="needs exactly 3 data bytes, found more"):
        read_idx(path)


def test_huge_dimensions_are_refused_before_allocating(tmp_path):
    path = tmp_path / "huge.idx"
    path.write_bytes(bytes([0, 0, 8, 3]) + b"\xff\xff\xff\xff" * 3)
    with pytest.raises(ValueError, match="refusing"):
        read_idx(path)


def test_corrupt_gzip_is_a_value_error(tmp_path):
    path = tmp_path / "c.idx.gz"
    path.write_bytes(b"\x1f\x8b\x08\x00garbage-garbage")
    with pytest.raises(ValueError, match=r"c\.idx\.gz"):
        read_idx(path)


def test_missing_file_is_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError):
        read_idx(tmp_path / "nope.idx")


def test_load_idx_folder(idx_folder):
    (x_train, y_train), (x_test, y_test) = load_idx_folder(idx_folder)
    assert x_train.shape == (256, 28, 28) and x_train.dtype == np.uint8
    assert y_train.shape == (256,) and y_test.shape == (64,) and x_test.shape == (64, 28, 28)


def test_load_idx_folder_accepts_raw_files(idx_folder):
    for path in idx_folder.glob("*.gz"):
        path.with_suffix("").write_bytes(gzip.decompress(path.read_bytes()))
        path.unlink()
    assert load_idx_folder(idx_folder)[0][0].shape == (256, 28, 28)


def test_image_label_count_mismatch_names_both_files(idx_folder):
    write_idx(idx_folder / "train-labels-idx1-ubyte.gz", np.zeros(255, np.uint8))
    with pytest.raises(ValueError, match=r"train-images-idx3-ubyte\.gz holds 256 images but .*train-labels-idx1-ubyte\.gz holds 255 labels"):
        load_idx_folder(idx_folder)


def test_labels_must_be_1d(idx_folder):
    write_idx(idx_folder / "t10k-labels-idx1-ubyte.gz", np.zeros((64, 2), np.uint8))
    with pytest.raises(ValueError, match=r"t10k-labels-idx1-ubyte\.gz: expected a 1-D array"):
        load_idx_folder(idx_folder)


def test_missing_file_in_folder_names_it(idx_folder):
    (idx_folder / "t10k-images-idx3-ubyte.gz").unlink()
    with pytest.raises(FileNotFoundError, match=r"missing t10k-images-idx3-ubyte\[\.gz\]"):
        load_idx_folder(idx_folder)


def test_missing_folder(tmp_path):
    with pytest.raises(FileNotFoundError, match="does not exist"):
        load_mnist(tmp_path / "nowhere")


def test_data_dir_may_be_a_parent_folder(tmp_path, monkeypatch):
    (tmp_path / "mnist").mkdir()
    assert resolve_data_dir("mnist", tmp_path) == tmp_path / "mnist"
    assert resolve_data_dir("fashion_mnist", tmp_path) == tmp_path
    monkeypatch.setenv("GAN_LIB_DATA_DIR", str(tmp_path))
    assert resolve_data_dir("mnist") == tmp_path / "mnist"
    monkeypatch.delenv("GAN_LIB_DATA_DIR")
    assert resolve_data_dir("mnist") is None  # -> keras.datasets download


def test_a_folder_named_for_the_other_dataset_is_refused(tmp_path, monkeypatch):
    (tmp_path / "mnist").mkdir()
    monkeypatch.setenv("GAN_LIB_DATA_DIR", str(tmp_path / "mnist"))
    assert resolve_data_dir("mnist") == tmp_path / "mnist"
    with pytest.raises(ValueError, match="holds mnist, not fashion-mnist"):
        resolve_data_dir("fashion_mnist")


def test_submodules_are_reachable_as_attributes():
    import gan_lib

    assert gan_lib.runinfo.hardware_summary().count("CPU cores") == 1
    assert gan_lib.load_mnist is gan_lib.data.load_mnist


def test_real_offline_mnist(mnist_dir):
    (x_train, y_train), (x_test, y_test) = load_mnist(mnist_dir)
    assert x_train.dtype == np.uint8 and x_train.shape[1:] == (28, 28)
    assert len(x_train) == len(y_train) >= 5000 and len(x_test) == len(y_test) >= 1000
    assert set(np.unique(y_train)) == set(range(10))
    assert x_train.max() == 255 and x_train.min() == 0
