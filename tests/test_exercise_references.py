"""Every exercise check a lesson names exists: ``from gan_lib.exercises.lessonNN import check_x`` in any
cell of any lesson must import. A check renamed in the library would otherwise leave a learner an
ImportError in the middle of an exercise, and nbval would not notice (exercise code is in markdown)."""

from __future__ import annotations

import importlib
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
IMPORT = re.compile(r"from (gan_lib\.exercises\.lesson\d\d) import ([\w, ]+)")  # from ...lesson04 import check_a, check_b
ATTRIBUTE = re.compile(r"\b(lesson\d\d)\.(check_\w+)")  # from gan_lib.exercises import lesson02; lesson02.check_a(...)


def references(path: Path) -> list[tuple[str, str]]:
    """(module, name) of every exercise check the lesson's cells import."""
    cells = json.loads(path.read_text())["cells"]
    found = []
    for cell in cells:
        source = "".join(cell["source"])
        for module, names in IMPORT.findall(source):
            found += [(module, name.strip()) for name in names.split(",") if name.strip()]
        found += [(f"gan_lib.exercises.{module}", name) for module, name in ATTRIBUTE.findall(source)]
    return found


def test_the_lessons_name_exercise_checks():
    named = {path.name for path in LESSONS if references(path)}
    assert {"02_mlp_gan.ipynb", "04_latent_space.ipynb", "05_evaluating_gans.ipynb", "07_wgan_gp.ipynb"} <= named, named


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_every_named_check_exists(path):
    missing = [f"{module}.{name}" for module, name in references(path)
               if not callable(getattr(importlib.import_module(module), name, None))]
    assert missing == [], f"{path.name} names checks that do not exist: {missing}"
