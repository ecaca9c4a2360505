"""Shared fixtures. Tests never download: data comes from $GAN_LIB_DATA_DIR or tmp folders."""

from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np
import pytest
from idx_files import write_idx


@pytest.fixture
def idx_folder(tmp_path: Path) -> Path:
    """A tiny data set in the standard four IDX files: 256 train and 64 test 28x28 images."""
    rng = np.random.default_rng(0)
    folder = tmp_path / "idx"
    folder.mkdir()
    for prefix, n in (("train", 256), ("t10k", 64)):
        write_idx(folder / f"{prefix}-images-idx3-ubyte.gz", rng.integers(0, 256, (n, 28, 28), dtype=np.uint8))
        write_idx(folder / f"{prefix}-labels-idx1-ubyte.gz", rng.integers(0, 10, n, dtype=np.uint8))
    return folder


@pytest.fixture
def mnist_dir() -> Path:
    """The real offline MNIST folder. In CI it must exist (the test fails, never skips)."""
    value = os.environ.get("GAN_LIB_DATA_DIR")
    if not value:
        if os.environ.get("CI"):
            pytest.fail("CI must set GAN_LIB_DATA_DIR to the offline data folder (.ci/run does)")
        pytest.skip("set GAN_LIB_DATA_DIR to a folder of MNIST IDX files (or its parent) to run this test")
    return Path(value)
