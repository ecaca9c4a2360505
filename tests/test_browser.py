"""Lesson 04's widgets in a real browser: JupyterLab 4 + headless Chromium (the ``browser`` extra).

The kernel tests (tests/test_widgets.py) prove the Python side; this proves what a learner
sees: the widgets render (no "Error displaying widget"), and moving a slider or pressing
"new samples" in the page changes the image's pixels. Timing is measured by
``benchmarks/browser_latency.py`` (README), not asserted here.

Without Chromium the test fails with one line saying how to install it, unless
``GAN_LIB_SKIP_BROWSER=1`` is set (``.ci/run`` sets it, and says so, when it cannot install Chromium).
"""

import io
import os
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from browser_latency import missing_requirements, widget_page  # noqa: E402

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def session(tmp_path_factory):
    if os.environ.get("GAN_LIB_SKIP_BROWSER") == "1":
        pytest.skip("GAN_LIB_SKIP_BROWSER=1")
    problem = missing_requirements()
    if problem:
        pytest.fail(problem, pytrace=False)
    with widget_page(tmp_path_factory.mktemp("browser")) as page:
        yield page


def pixels(session, index: int) -> np.ndarray:
    """The pixels the ``index``-th widget image shows in the page, as a uint8 array."""
    import imageio.v3 as iio

    return iio.imread(io.BytesIO(session.image_bytes(index)))


def test_widgets_render(session):
    assert session.errors() == []
    assert session.page.locator(".noUi-handle, .ui-slider-handle").count() >= 3  # three principal directions
    assert len(session.image_sources()) >= 2  # the slider's digit and the sampler's grid


def test_slider_moves_change_the_digit(session):
    before = pixels(session, 0)
    session.move_slider()
    session.move_slider()
    after = pixels(session, 0)
    assert before.shape == after.shape and np.abs(before.astype(int) - after.astype(int)).max() > 0


def test_new_samples_changes_the_grid(session):
    before = pixels(session, -1)
    session.new_samples()
    after = pixels(session, -1)
    assert before.shape == after.shape
    assert np.mean(before != after) > 0.05  # a new 8x8 grid, not a few pixels
