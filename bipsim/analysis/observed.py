"""Reading observed data for the analyses, from a bundle or any folder of tables in the documented schema.

Analyses read only the observed tables (``bipsim.contract.schema.OBSERVED``): :func:`read_observed` opens
nothing under ``truth/``, and :func:`require` refuses data that lack a table or column an analysis needs,
with a message that names them. A folder without a bipsim manifest is read too, so a researcher can point
the analyses at real data of the same shape (``register_weeks.parquet``, ``survey.parquet``, ...).
"""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from bipsim.contract.schema import OBSERVED
from bipsim.dataset.bundle import file_sha256

OBSERVED_NAMES: tuple[str, ...] = tuple(t.name for t in OBSERVED)
MANIFEST = "manifest.json"


class AnalysisError(ValueError):
    """Observed data an analysis cannot use; the message names what is missing or wrong."""


def columns_of(name: str) -> tuple[str, ...]:
    """The documented columns of observed table ``name``."""
    return tuple(c.name for c in next(t for t in OBSERVED if t.name == name).columns)


def require(observed: Any, needs: dict[str, tuple[str, ...]], analysis: str) -> None:
    """Raise :class:`AnalysisError` unless ``observed`` has every table and column in ``needs``."""
    problems = []
    for name, columns in needs.items():
        frame = getattr(observed, name, None)
        if not isinstance(frame, pd.DataFrame):
            problems.append(f"no table {name!r}")
            continue
        missing = [c for c in columns if c not in frame.columns]
        if missing:
            problems.append(f"table {name!r} lacks column(s) {', '.join(missing)}")
        elif frame.empty:
            problems.append(f"table {name!r} is empty")
    if problems:
        raise AnalysisError(f"{analysis} needs the observed tables in the documented schema: " + "; ".join(problems))


def read_observed(directory: str | Path, verify_hashes: bool = True) -> SimpleNamespace:
    """Read the observed tables of a folder as attributes (absent tables are ``None``).

    With a bipsim manifest the observed files it lists are read and, by default, checked against their
    hashes; without one, every ``<table>.parquet`` of the documented observed tables found in the folder
    is read. Nothing under ``truth/`` is opened.
    """
    path = Path(directory)
    if not path.is_dir():
        raise AnalysisError(f"{path}: no such folder")
    files = {name: path / f"{name}.parquet" for name in OBSERVED_NAMES}
    hashes: dict[str, str] = {}
    if (path / MANIFEST).is_file():
        try:
            manifest = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
            entries = manifest["tables"]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise AnalysisError(f"{path / MANIFEST}: unreadable manifest ({exc})") from None
        for name in OBSERVED_NAMES:
            entry = entries.get(name)
            if isinstance(entry, dict) and "file" in entry:
                files[name] = path / entry["file"]
                hashes[name] = entry.get("sha256", "")
    tables: dict[str, pd.DataFrame | None] = {}
    for name, file in files.items():
        if not file.is_file():
            tables[name] = None
            continue
        if verify_hashes and hashes.get(name) and file_sha256(file) != hashes[name]:
            raise AnalysisError(f"{file}: sha256 does not match the manifest (damaged bundle)")
        try:
            tables[name] = pq.read_table(file).to_pandas()
        except (OSError, pa.ArrowException) as exc:
            raise AnalysisError(f"{file}: unreadable table ({exc})") from None
    if all(frame is None for frame in tables.values()):
        raise AnalysisError(
            f"{path}: no observed tables found (expected files like register_weeks.parquet, survey.parquet)"
        )
    return SimpleNamespace(**tables)
