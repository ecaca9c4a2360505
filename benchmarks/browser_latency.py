"""The widgets of lesson 04 in a real browser: do they render and react, and how fast?

    python benchmarks/browser_latency.py [--moves 20] [--screenshot docs/lesson04_widgets_browser.png]

Starts JupyterLab on a free local port (with a token) on a small notebook that builds
lesson 04's ``LatentSliders`` and an 8x8 ``Sampler`` from the shipped pretrained generator,
drives Debian's Chromium headless with Playwright (``executable_path``: browsers that
download themselves are not used), runs the cells, then times event -> new image in the
DOM: a slider step (ArrowRight on the focused handle) and a "new samples" click, each
``--moves`` times. Prints a Markdown table (median and 90th percentile, ms) with the
browser's and the packages' versions, and saves a screenshot of the rendered widgets.

Needs the ``browser`` extra (``pip install -e ".[browser]"``: Playwright, JupyterLab) and
Chromium (``apt-get install chromium``). ``tests/test_browser.py`` drives the same session.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

CHROMIUM = os.environ.get("GAN_LIB_CHROMIUM", "/usr/bin/chromium")
SLIDER_HANDLE = ".noUi-handle, .ui-slider-handle"  # ipywidgets 8 / 7 front ends
CELLS = [
    "import os\nos.environ.setdefault('TF_CPP_MIN_LOG_LEVEL', '3')\nimport gan_lib, gan_lib.widgets\n"
    "generator = gan_lib.load_pretrained_generator()",
    "sliders = gan_lib.widgets.LatentSliders(generator, seed=0, k=3, n_fit=500)\nsliders",
    "sampler = gan_lib.widgets.Sampler(generator, seed=0, grid_size=8)\nsampler",
]


def missing_requirements() -> str | None:
    """One line saying what to install, or None when Chromium, Playwright and JupyterLab are all here."""
    if not Path(CHROMIUM).exists():
        return (f"Chromium not found at {CHROMIUM}: install it (Debian/Ubuntu: apt-get install chromium), point "
                "GAN_LIB_CHROMIUM at it, or set GAN_LIB_SKIP_BROWSER=1 to skip the browser test")
    for module, extra in (("playwright", "playwright"), ("jupyterlab", "jupyterlab")):
        try:
            __import__(module)
        except ImportError:
            return f"{extra} is not installed: pip install -e \".[browser]\" (or set GAN_LIB_SKIP_BROWSER=1)"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_notebook(folder: Path) -> Path:
    """The small notebook of lesson 04's widgets, unexecuted."""
    import nbformat

    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in CELLS])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = folder / "widgets.ipynb"
    nbformat.write(notebook, path)
    return path


@contextlib.contextmanager
def jupyterlab(folder: Path, timeout: float = 90) -> Iterator[str]:
    """Run JupyterLab on ``folder``; yields the URL of its notebook page (token included)."""
    port, token = _free_port(), "gan-lib-browser-test"
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(folder / ".jupyter"), "TF_CPP_MIN_LOG_LEVEL": "3"}
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "lab", "--no-browser", f"--port={port}", "--ip=127.0.0.1",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={folder}", "--allow-root",
         "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status?token={token}", timeout=2)
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"JupyterLab did not start: {server.stderr.read().decode()[-1000:]}") from None
                time.sleep(0.5)
        yield f"http://127.0.0.1:{port}/lab/tree/widgets.ipynb?token={token}"
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()


class WidgetPage:
    """The notebook page in headless Chromium, its cells run, its widgets rendered."""

    def __init__(self, page):
        self.page = page

    def run_all_cells(self, timeout: float = 120) -> None:
        page = self.page
        page.wait_for_selector(".jp-Notebook .jp-Cell .cm-content", timeout=timeout * 1000)
        # the kernel is up (status bar "... | Idle"), then the menu's Run > Run All Cells, as a learner would
        page.wait_for_function("document.querySelector('.jp-StatusBar-Widget, #jp-main-statusbar')"
                               " && document.body.innerText.includes('| Idle')", timeout=timeout * 1000)
        page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
        page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
        page.wait_for_selector(SLIDER_HANDLE, timeout=timeout * 1000)
        page.wait_for_function("document.querySelectorAll('.jupyter-widgets img, .widget-image').length >= 2",
                               timeout=timeout * 1000)
        page.wait_for_function(  # the sampler (last cell) has finished: its button is there
            "[...document.querySelectorAll('button')].some(b => b.textContent.includes('new samples'))",
            timeout=timeout * 1000)

    def errors(self) -> list[str]:
        """Texts of widget-display failures on the page ("Error displaying widget")."""
        text = self.page.inner_text("body")
        return [line for line in text.splitlines() if "Error displaying widget" in line]

    def image_sources(self) -> list[str]:
        return self.page.eval_on_selector_all(".jupyter-widgets img, .widget-image", "els => els.map(e => e.src)")

    def image_bytes(self, index: int) -> bytes:
        """The encoded image (PNG) the ``index``-th widget image shows, read back from the page (its ``src`` is a blob)."""
        import base64

        index = index % len(self.image_sources())  # -1: the last image
        encoded = self.page.evaluate(
            """async (i) => {
                const img = document.querySelectorAll('.jupyter-widgets img, .widget-image')[i];
                const bytes = new Uint8Array(await (await fetch(img.src)).arrayBuffer());
                let text = '';
                for (let k = 0; k < bytes.length; k++) text += String.fromCharCode(bytes[k]);
                return btoa(text);
            }""", index)
        return base64.b64decode(encoded)

    def screenshot_widgets(self, path: Path) -> None:
        """A PNG of the widget cells (the notebook's second cell to its last), without JupyterLab's news toast."""
        no = self.page.get_by_role("button", name="No", exact=True)
        if no.count():
            no.first.click()
            self.page.wait_for_timeout(500)
        cells = self.page.locator(".jp-Notebook .jp-Cell")
        first, last = cells.nth(1).bounding_box(), cells.nth(cells.count() - 1).bounding_box()
        self.page.screenshot(path=str(path), full_page=True, clip={
            "x": first["x"], "y": first["y"], "width": max(first["width"], last["width"]),
            "height": last["y"] + last["height"] - first["y"]})

    def _timed_change(self, index: int, action, timeout: float = 10) -> float:
        """Seconds from ``action()`` to a new ``src`` of the ``index``-th widget image."""
        before = self.image_sources()[index]
        start = time.perf_counter()
        action()
        self.page.wait_for_function(
            "([i, old]) => { const els = document.querySelectorAll('.jupyter-widgets img, .widget-image');"
            " return els[i] && els[i].src !== old; }", arg=[index, before], timeout=timeout * 1000, polling=5)
        return time.perf_counter() - start

    def move_slider(self) -> float:
        """Press ArrowRight on the first slider's handle; seconds until the slider's image changed."""
        handle = self.page.locator(SLIDER_HANDLE).first
        handle.focus()
        return self._timed_change(0, lambda: self.page.keyboard.press("ArrowRight"))

    def new_samples(self) -> float:
        """Click the sampler's "new samples"; seconds until its 8x8 grid changed."""
        button = self.page.locator("button", has_text="new samples").first
        return self._timed_change(len(self.image_sources()) - 1, button.click)


@contextlib.contextmanager
def widget_page(folder: Path) -> Iterator[WidgetPage]:
    """JupyterLab + headless Chromium on lesson 04's widgets, cells run."""
    from playwright.sync_api import sync_playwright

    write_notebook(folder)
    with jupyterlab(folder) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 1000, "height": 1900})  # tall: the whole 8x8 grid in view
            page.goto(url)
            session = WidgetPage(page)
            try:
                session.run_all_cells()
            except Exception:
                page.screenshot(path=str(folder / "failure.png"), full_page=True)  # what the browser showed
                raise
            session.browser_version = browser.version
            yield session
        finally:
            browser.close()


def _summary(seconds: list[float]) -> tuple[float, float]:
    ms = sorted(s * 1000 for s in seconds)
    return statistics.median(ms), ms[min(len(ms) - 1, int(round(0.9 * (len(ms) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--moves", type=int, default=20)
    parser.add_argument("--screenshot", type=Path, default=Path("docs/lesson04_widgets_browser.png"))
    args = parser.parse_args()
    problem = missing_requirements()
    if problem:
        sys.exit(f"browser_latency: {problem}")
    import ipywidgets
    import jupyterlab

    with tempfile.TemporaryDirectory() as tmp, widget_page(Path(tmp)) as session:
        session.page.mouse.move(0, 0)
        slider = [session.move_slider() for _ in range(args.moves)]
        grid = [session.new_samples() for _ in range(args.moves)]
        args.screenshot.parent.mkdir(parents=True, exist_ok=True)
        session.screenshot_widgets(args.screenshot)
        browser = session.browser_version
    rows = [("latent slider step -> new image", 150, 300, slider), ("new samples -> new 8x8 grid", 150, 400, grid)]
    print(f"Chromium {browser} headless, JupyterLab {jupyterlab.__version__}, ipywidgets {ipywidgets.__version__}, "
          f"{os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}; {args.moves} events each")
    print("| event | median ms (target) | p90 ms (target) |\n|---|---|---|")
    for name, median_target, p90_target, seconds in rows:
        median, p90 = _summary(seconds)
        print(f"| {name} | {median:.0f} (≤ {median_target}) | {p90:.0f} (≤ {p90_target}) |")
    print(json.dumps({"slider_ms": [round(s * 1000, 1) for s in slider], "grid_ms": [round(s * 1000, 1) for s in grid]}))
    print(f"screenshot: {args.screenshot}")


if __name__ == "__main__":
    main()
