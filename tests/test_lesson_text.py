"""The lessons' text: no control characters in markdown, and runtime lines that agree with the README.

A control character in a markdown cell is almost always an escape gone wrong: ``"\\approx"`` written
in a non-raw Python string becomes BEL + ``"pprox"`` and the formula renders broken. Every lesson's
header states its runtime, and the README's lesson table states it again; the two must give the
same numbers, and both must mark a Colab time that was not measured as an estimate.

The header line has the form (the parts in brackets are free text)::

    Runtime: about 6.1 CPU minutes (full mode, 2-core CPU[; note]); about 2 minutes on a Colab GPU (est.[; note])[...]; ...
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))  # 00_... included, should one appear

CPU_IN_HEADER = re.compile(r"about (?P<cpu>\d+(?:\.\d+)?) CPU minutes? \(full mode, 2-core CPU[^)]*\)")
COLAB_IN_HEADER = re.compile(r"about (?P<colab>\d+(?:\.\d+)?) minutes? on a Colab GPU(?P<est> \(est\.[);])?")  # "(est.)" or "(est.; note)"
COLAB_IN_README = re.compile(r"~?(?P<colab>\d+(?:\.\d+)?)(?P<est> \(est\.\))?")
CONTROL_NAMES = {0x00: "NUL", 0x07: "BEL", 0x08: "BS", 0x0B: "VT", 0x0C: "FF", 0x0D: "CR", 0x1B: "ESC"}
README_ROW = re.compile(r"^\|\s*(?P<number>\d\d)\s*\|\s*\[[^\]]+\]\(notebooks/(?P<file>[^)]+\.ipynb)\)\s*\|")


def markdown_sources(notebook: dict) -> list[tuple[int, str]]:
    """(cell index, source) of every markdown cell."""
    return [(i, "".join(c["source"])) for i, c in enumerate(notebook["cells"]) if c["cell_type"] == "markdown"]


def control_characters(notebook: dict) -> list[str]:
    """One line per control character in the notebook's markdown (newline and tab are allowed)."""
    found = []
    for index, text in markdown_sources(notebook):
        for offset, char in enumerate(text):
            if unicodedata.category(char) == "Cc" and char not in "\n\t":
                context = text[max(0, offset - 20): offset + 20].replace("\n", " ")
                name = CONTROL_NAMES.get(ord(char), "control character")
                found.append(f"cell {index}: {name} ({ord(char):#04x}) in {context!r}")
    return found


def header_runtime(notebook: dict) -> dict[str, str | bool]:
    """The CPU minutes, Colab minutes and whether the Colab time is marked "(est.)", from the first cell.

    Raises:
        AssertionError: no ``Runtime:`` line, or a line not in the format of this module's docstring.
    """
    first = "".join(notebook["cells"][0]["source"])
    lines = [line for line in first.splitlines() if line.startswith("Runtime: ")]
    assert len(lines) == 1, f"the first cell needs exactly one line starting 'Runtime: ', found {len(lines)}"
    cpu, colab = CPU_IN_HEADER.search(lines[0]), COLAB_IN_HEADER.search(lines[0])
    assert cpu, f"runtime line lacks 'about N CPU minutes (full mode, 2-core CPU...)': {lines[0]!r}"
    assert colab, f"runtime line lacks 'about N minutes on a Colab GPU': {lines[0]!r}"
    return {"cpu": cpu["cpu"], "colab": colab["colab"], "estimate": bool(colab["est"])}


def readme_runtimes(readme: str) -> dict[str, dict[str, str | bool]]:
    """{lesson file name: runtimes} from the README's lesson table (columns found by their headers)."""
    header = next((line for line in readme.splitlines() if "| CPU min |" in line), None)
    assert header, "README: no lesson table with a 'CPU min' column"
    columns = [c.strip() for c in header.strip().strip("|").split("|")]
    cpu_column, colab_column = columns.index("CPU min"), columns.index("Colab GPU min")
    rows = {}
    for line in readme.splitlines():
        match = README_ROW.match(line)
        if not match:
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        colab = COLAB_IN_README.fullmatch(cells[colab_column])
        assert colab, f"README row {match['number']}: Colab cell {cells[colab_column]!r} is not 'N' or '~N (est.)'"
        rows[match["file"]] = {"cpu": cells[cpu_column], "colab": colab["colab"], "estimate": bool(colab["est"])}
    return rows


def runtime_mismatches(header: dict, row: dict) -> list[str]:
    """What differs between a lesson's header runtimes and its README row (empty when they agree)."""
    problems = []
    if header["cpu"] != row["cpu"]:
        problems.append(f"CPU minutes: header {header['cpu']}, README {row['cpu']}")
    if float(header["colab"]) != float(row["colab"]):
        problems.append(f"Colab minutes: header {header['colab']}, README {row['colab']}")
    if header["estimate"] != row["estimate"]:
        problems.append(f"Colab estimate marked '(est.)': header {header['estimate']}, README {row['estimate']}")
    return problems


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def notebook_with(markdown: list[str]) -> dict:
    return {"cells": [{"cell_type": "markdown", "source": [text]} for text in markdown]}


# ---- the checks can fail -------------------------------------------------------------------------

def test_control_character_check_catches_a_bel():
    bad = notebook_with(["# 00 · x", "the ratio $" + "\\approx".replace("\\a", "\a") + " 1$"])  # BEL + "pprox"
    assert control_characters(bad) and "BEL" in control_characters(bad)[0] and "cell 1" in control_characters(bad)[0]
    assert control_characters(notebook_with(["tabs\tand\nnewlines are fine, so is \\approx and ü"])) == []


def test_runtime_checks_catch_a_disagreement():
    header = header_runtime(notebook_with(
        ["# 09\n\nRuntime: about 0.3 CPU minutes (full mode, 2-core CPU); about 1 minute on a Colab GPU; x"]))
    assert header == {"cpu": "0.3", "colab": "1", "estimate": False}
    readme = ("| # | lesson | what | CPU min | Colab GPU min | open |\n|---|---|---|---|---|---|\n"
              "| 09 | [A](notebooks/09_a.ipynb) | text | 0.1 | ~1 (est.) | badge |\n")
    row = readme_runtimes(readme)["09_a.ipynb"]
    assert row == {"cpu": "0.1", "colab": "1", "estimate": True}
    assert len(runtime_mismatches(header, row)) == 2  # 0.3 vs 0.1, and the estimate not marked
    assert runtime_mismatches({**header, "cpu": "0.1", "estimate": True}, row) == []
    noted = header_runtime(notebook_with(
        ["Runtime: about 0.1 CPU minutes (full mode, 2-core CPU); about 1 minute on a Colab GPU (est.; a note); x"]))
    assert runtime_mismatches(noted, row) == []
    with pytest.raises(AssertionError, match="Colab GPU"):
        header_runtime(notebook_with(["Runtime: about 7 CPU minutes (full mode, 2-core CPU); under 1 minute in fast mode"]))


# ---- the lessons ---------------------------------------------------------------------------------

@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_no_control_characters_in_markdown(path):
    found = control_characters(load(path))
    assert not found, f"{path.name}: control characters in markdown (a non-raw '\\a', '\\b', '\\f'?): {found}"


def test_every_lesson_has_a_readme_row():
    rows = readme_runtimes((ROOT / "README.md").read_text(encoding="utf-8"))
    assert sorted(rows) == [p.name for p in LESSONS], "README lesson table and notebooks/ list different lessons"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_runtime_line_agrees_with_readme(path):
    row = readme_runtimes((ROOT / "README.md").read_text(encoding="utf-8")).get(path.name)
    assert row, f"README lesson table has no row for {path.name}"
    problems = runtime_mismatches(header_runtime(load(path)), row)
    assert not problems, f"{path.name} header vs README table: " + "; ".join(problems)
