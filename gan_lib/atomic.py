"""Atomic file writes: write to a temporary file beside the target, then rename.

``os.replace`` is atomic on POSIX and Windows, so a reader (or a run killed
mid-write) sees either the old file or the new one, never half a file.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path to write; on success it replaces ``path``, on error it is removed.

    The temporary name keeps the target's suffix (``.keras``, ``.png`` ...), because
    some writers choose the format from it.

    Example:
        >>> with atomic_path("run/generator.keras") as tmp:   # doctest: +SKIP
        ...     generator.save(tmp)
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.stem}.tmp{os.getpid()}{path.suffix}")
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
