import numpy as np
import pytest

from gan_lib.data import make_dataset, to_float, to_uint8


def test_make_dataset_batches_are_float_in_range():
    images = np.random.default_rng(0).integers(0, 256, (100, 28, 28), dtype=np.uint8)
    images[0, 0, 0], images[0, 0, 1] = 0, 255
    batches = list(make_dataset(images, batch_size=32, shuffle=False))
    assert len(batches) == 3  # 100 // 32, remainder dropped
    batch = batches[0].numpy()
    assert batch.shape == (32, 28, 28, 1) and batch.dtype == np.float32
    assert batch.min() == -1.0 and batch.max() == 1.0
    np.testing.assert_allclose(batch[..., 0], images[:32] / 127.5 - 1, atol=1e-6)


def test_make_dataset_shuffles_each_epoch_and_is_seeded():
    images = np.arange(64, dtype=np.uint8).reshape(64, 1, 1).repeat(28, 1).repeat(28, 2)

    def order(ds):
        return [int(np.rint((b[0, 0, 0, 0].numpy() + 1) * 127.5)) for b in ds]

    ds = make_dataset(images, batch_size=1, seed=3)
    first, second = order(ds), order(ds)
    assert sorted(first) == list(range(64)) and first != second
    assert order(make_dataset(images, batch_size=1, seed=3)) == first


@pytest.mark.parametrize(
    "images, message",
    [
        (np.zeros((10, 28, 28), np.float32), "must be uint8"),
        (np.zeros((10, 28, 28, 3), np.uint8), "must have shape"),
        (np.zeros((10, 28, 28), np.uint8), "fewer than one batch"),
    ],
)
def test_make_dataset_refuses_bad_input(images, message):
    with pytest.raises(ValueError, match=message):
        make_dataset(images, batch_size=16)


def test_pixel_round_trip():
    images = np.arange(256, dtype=np.uint8)
    as_float = to_float(images).numpy()
    assert as_float.min() == -1 and as_float.max() == 1
    assert np.array_equal(to_uint8(as_float), images)
    assert to_uint8(np.array([-3.0, 3.0])).tolist() == [0, 255]  # clipped
