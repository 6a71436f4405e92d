"""Write an ensemble's results folder atomically: tables as Parquet, other files (figures, pages), ``manifest.json``.

Everything goes into a hidden temporary sibling folder that is renamed to the final name when complete, so an
interrupted sweep never leaves a half-written folder under the final name. An existing folder is replaced
only with ``force`` and only when it is an ensemble results folder (or empty).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from bipsim.contract.files import move_into_place, output_problem, remove_sibling, temporary_sibling
from bipsim.contract.version import VERSION

FORMAT = "bipsim-ensemble"
KIND_OF_SUFFIX = {".png": "figure", ".svg": "figure", ".html": "page", ".csv": "table"}
MANIFEST = "manifest.json"


class ResultsError(Exception):
    """A results folder that cannot be written (in the way, or not ours to replace)."""


def check_target(target: Path, force: bool) -> None:
    """Raise :class:`ResultsError` unless a results folder can be written at ``target``.

    Its parent must be a folder this process can write in, and ``target`` free, or replaceable with ``force``.
    """
    problem = output_problem(target)
    if problem is not None:
        raise ResultsError(f"{target}: {problem}")
    if not target.exists():
        return
    if not force:
        raise _exists(target)
    if not target.is_dir():
        raise ResultsError(f"{target} exists and is not a folder; it will not be replaced")
    if any(target.iterdir()) and not _is_results(target):
        raise ResultsError(
            f"{target} exists and is not a bipsim ensemble folder (no {MANIFEST} of format {FORMAT!r}); "
            "it will not be replaced even with --force"
        )


def _is_results(folder: Path) -> bool:
    try:
        return json.loads((folder / MANIFEST).read_text(encoding="utf-8")).get("format") == FORMAT
    except (OSError, ValueError, AttributeError):
        return False


def _parquet_safe(frame: pd.DataFrame) -> pd.DataFrame:
    # Setting columns can hold lists (interventions.withheld) next to scalars; Parquet wants one type.
    frame = frame.copy()
    for column in frame.columns:
        if frame[column].dtype == object and frame[column].map(lambda v: isinstance(v, list)).any():
            frame[column] = frame[column].map(lambda v: "+".join(v) or "none" if isinstance(v, list) else v)
    return frame


def write_results(
    directory: str | Path,
    tables: Mapping[str, pd.DataFrame],
    manifest: Mapping[str, Any],
    *,
    files: Mapping[str, Callable[[Path], None]] | None = None,
    force: bool = False,
) -> Path:
    """Write ``tables`` as ``NAME.parquet``, each of ``files`` by calling its writer with its path, and the manifest.

    Returns the folder's path. The manifest gets the format, the creation time, the bipsim version and the
    files with their row counts (tables) or kind (other files).
    """
    target = Path(directory).absolute()
    check_target(target, force)
    temporary = temporary_sibling(target)
    try:
        written: dict[str, Any] = {}
        for name, frame in tables.items():
            _parquet_safe(frame).to_parquet(temporary / f"{name}.parquet", index=False)
            written[f"{name}.parquet"] = {"rows": len(frame)}
        for name, write in (files or {}).items():
            write(temporary / name)
            written[name] = {"kind": KIND_OF_SUFFIX.get(Path(name).suffix, "file")}
        full = {
            "format": FORMAT,
            "bipsim_version": VERSION,
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
            "python": sys.version.split()[0],
            **manifest,
            "files": written,
        }
        (temporary / MANIFEST).write_text(json.dumps(full, indent=2, default=str), encoding="utf-8")
        check_target(target, force)  # again: another writer may have put something there meanwhile
        try:
            move_into_place(temporary, target, replace=force)
        except FileExistsError:
            raise _exists(target) from None
    except BaseException:
        remove_sibling(temporary)
        raise
    return target


def _exists(target: Path) -> ResultsError:
    return ResultsError(f"{target} already exists; choose another folder or pass --force to replace it")
