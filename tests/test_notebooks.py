"""Notebook hygiene: what a learner on GitHub or Colab sees must be right.

(Execution itself is checked by ``pytest --nbval-lax notebooks/``, part of the test command.)
"""

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
REPOSITORY = re.search(r'^Repository = "([^"]+)"', (ROOT / "pyproject.toml").read_text(), re.MULTILINE).group(1)


def load(path):
    return json.loads(path.read_text())


def source(cell):
    return "".join(cell["source"])


def output_text(cell):
    parts = []
    for output in cell.get("outputs", []):
        parts.append("".join(output.get("text", "")))
        for mime, data in output.get("data", {}).items():
            if mime.startswith("text/"):
                parts.append("".join(data))
    return "".join(parts)


def test_lessons_exist():
    first = 0 if NOTEBOOKS and NOTEBOOKS[0].name.startswith("00") else 1  # lesson 00 (the 2-D game) comes before 01
    expected = [f"{i:02d}" for i in range(first, first + len(NOTEBOOKS))]
    assert [p.name[:2] for p in NOTEBOOKS] == expected, "lessons must be numbered 00 (optional), 01, 02, ... without gaps"
    assert len(NOTEBOOKS) >= 3


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_colab_badge_matches_path(path):
    first = source(load(path)["cells"][0])
    github = REPOSITORY.removeprefix("https://github.com/")
    expected = f"https://colab.research.google.com/github/{github}/blob/main/notebooks/{path.name}"
    badges = re.findall(r"https://colab\.research\.google\.com/github/[^)\s]+", first)
    assert badges == [expected]
    assert first.startswith(f"# {path.name[:2]}") and "Runtime:" in first


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_colab_install_cell(path):
    code = [source(c) for c in load(path)["cells"] if c["cell_type"] == "code"]
    first = code[0]
    assert 'IN_COLAB = "google.colab" in sys.modules' in first
    assert f'REPOSITORY = "{REPOSITORY}"' in first and '"gan-lib @ git+{REPOSITORY}"' in first
    for cell in code:
        for line in cell.splitlines():
            if "pip install" in line:
                assert not re.search(r"\b(tensorflow|numpy|ipywidgets)\b", line), f"reinstalls a Colab package: {line}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_kernel_and_structure(path):
    notebook = load(path)
    assert notebook["metadata"]["kernelspec"]["name"] == "python3"
    headings = [line for c in notebook["cells"] if c["cell_type"] == "markdown" for line in source(c).splitlines()]
    assert "## Setup" in headings and "## Summary" in headings and "## Exercises" in headings
    assert headings.index("## Summary") < headings.index("## Exercises")
    assert any(source(c).startswith("# NBVAL_CHECK_OUTPUT") for c in notebook["cells"] if c["cell_type"] == "code")
    assert path.stat().st_size < 3_000_000


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_machine_specific_paths(path):
    for cell in load(path)["cells"]:
        match = re.search(r"(?<![\w.])(/work|/tmp|/root|/home|/Users)/\S*", source(cell) + output_text(cell))
        assert match is None, f"machine-specific path in {path.name}: {match.group(0)}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_outputs_saved_from_an_in_order_run(path):
    code = [c for c in load(path)["cells"] if c["cell_type"] == "code"]
    counts = [c["execution_count"] for c in code]
    assert counts == list(range(1, len(code) + 1)), "re-run the notebook top to bottom (Restart and run all) before saving"
    assert not any(o.get("output_type") == "error" for c in code for o in c.get("outputs", []))
    assert any("mode: full" in output_text(c) for c in code), "stored outputs must come from a full-mode run"


def test_install_cell_fails_in_one_line(capfd, monkeypatch):
    """In Colab with the repository out of reach, the install cell prints one line naming the problem and the fix."""
    import sys
    import types

    cell = [source(c) for c in load(NOTEBOOKS[0])["cells"] if c["cell_type"] == "code"][0]
    cell = cell.replace(REPOSITORY, "file:///nonexistent/gan-lib")  # fails at once, no network needed
    monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    exec(compile(cell, "install cell", "exec"), {})
    out, err = capfd.readouterr()
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("Could not install gan_lib from file:///nonexistent/gan-lib (")
    assert "subprocess" not in lines[0], lines[0]  # the cause (git's "fatal: ..."), not pip's framing
    assert "then run this cell again" in lines[0]


def test_every_install_cell_is_the_same():
    cells = {[source(c) for c in load(path)["cells"] if c["cell_type"] == "code"][0] for path in NOTEBOOKS}
    assert len(cells) == 1
