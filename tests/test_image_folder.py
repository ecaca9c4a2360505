import imageio.v3 as iio
import numpy as np
import pytest

from gan_lib.image_folder import load_image_folder


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "cats").mkdir()
    iio.imwrite(tmp_path / "cats" / "rgb.png", np.full((40, 30, 3), 200, np.uint8))  # RGB, not square
    iio.imwrite(tmp_path / "gray.jpg", np.full((28, 28), 50, np.uint8))
    iio.imwrite(tmp_path / "small.png", np.full((10, 10), 255, np.uint8))
    (tmp_path / "notes.txt").write_text("not an image, ignored")
    return tmp_path


def test_folder_of_mixed_images_loads_as_28x28_uint8(folder):
    images = load_image_folder(folder)
    assert images.shape == (3, 28, 28) and images.dtype == np.uint8
    assert sorted(images.reshape(3, -1).mean(axis=1).round()) == [50, 200, 255]  # JPEG keeps flat gray exact


def test_broken_file_is_named(folder):
    (folder / "cats" / "broken.png").write_bytes(b"\x89PNG not really")
    with pytest.raises(ValueError, match=r"broken\.png is not a readable image"):
        load_image_folder(folder)


def test_empty_or_missing_folder(tmp_path):
    with pytest.raises(ValueError, match="holds no images"):
        load_image_folder(tmp_path)
    with pytest.raises(FileNotFoundError, match="does not exist"):
        load_image_folder(tmp_path / "nope")
