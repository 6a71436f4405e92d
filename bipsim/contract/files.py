"""Atomic folder output: results are built in a hidden sibling folder and swapped into place when complete.

An interrupted run therefore never leaves a half-written folder under the final name; the temporary
sibling carries a random suffix and a leading dot so it is neither mistaken for results nor overwritten.
"""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path


def temporary_sibling(target: Path) -> Path:
    """Create and return an empty hidden folder beside ``target`` to build its contents in."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.parent / f".{target.name}.partial-{uuid.uuid4().hex[:12]}"
    temporary.mkdir()
    return temporary


def move_into_place(temporary: Path, target: Path) -> None:
    """Rename the finished ``temporary`` folder to ``target``, setting an existing ``target`` aside first.

    Callers decide beforehand whether an existing ``target`` may be replaced.
    """
    old = None
    if target.exists():
        old = target.parent / f".{target.name}.replaced-{uuid.uuid4().hex[:12]}"
        os.replace(target, old)
    os.replace(temporary, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
