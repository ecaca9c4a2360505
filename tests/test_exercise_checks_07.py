"""Lesson 07's exercise checks fail on a plausible wrong answer and pass on a right one."""

from __future__ import annotations

from pathlib import Path

import imageio.v3 as iio
import numpy as np
import pytest

from gan_lib.exercises import lesson07
from gan_lib.image_folder import load_image_folder


def _folder(path: Path, n: int, seed: int) -> Path:
    rng = np.random.default_rng(seed)
    path.mkdir()
    for i in range(n):
        iio.imwrite(path / f"photo_{i}.png", rng.integers(0, 256, (40, 50, 3), dtype=np.uint8))
    return path


def test_own_folder_passes_its_images(tmp_path):
    folder = _folder(tmp_path / "mine", 6, seed=0)
    demo = load_image_folder(_folder(tmp_path / "demo", 4, seed=1))
    assert "right" in lesson07.check_own_folder(load_image_folder(folder), folder, demo)


def test_own_folder_fails_on_the_demo_images_another_folder_or_rgb(tmp_path):
    folder = _folder(tmp_path / "mine", 6, seed=0)
    demo_folder = _folder(tmp_path / "demo", 6, seed=1)
    demo = load_image_folder(demo_folder)
    with pytest.raises(AssertionError, match="demo images"):
        lesson07.check_own_folder(demo, demo_folder, demo)
    with pytest.raises(AssertionError, match="6 images, but 4"):
        lesson07.check_own_folder(load_image_folder(folder)[:4], folder, demo)
    rgb = np.stack([iio.imread(p) for p in sorted(folder.glob("*.png"))])  # (6, 40, 50, 3) read by hand
    with pytest.raises(AssertionError, match="uint8"):
        lesson07.check_own_folder(rgb, folder, demo)
