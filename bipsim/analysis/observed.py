"""Reading observed data for the analyses, from a bundle or any folder of tables in the documented schema.

Analyses read only the observed tables (``bipsim.contract.schema.OBSERVED``). :func:`read_observed` cannot
open anything under ``truth/``, and checks the tables against the documented schema; :func:`require`
refuses data that lack a table or column an analysis needs, with a message that names them. A folder
without a bipsim manifest is read too, so a researcher can point the analyses at real data of the same
shape (``register_weeks.parquet``, ``survey.parquet``, ...).
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from bipsim.contract.schema import OBSERVED
from bipsim.contract.validation import ObservedDataError, check_observed
from bipsim.dataset.bundle import BundleError, file_sha256, inside, read_manifest

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
    """Read the observed tables of a folder as attributes (absent tables are ``None``), checked and cast.

    Each observed table is read from its documented place at the folder's root (``survey.parquet``, ...),
    never from a path a manifest names, so nothing under ``truth/`` or outside the folder can be read
    (a file that is a link into ``truth/`` or out of the folder is refused). With a bipsim manifest, the
    manifest must be sealed (:func:`bipsim.dataset.bundle.check_sealed`), every table it lists must be
    there, and by default each is checked against its hash. The tables are then checked against the
    documented schema (:func:`bipsim.contract.validation.check_observed`): damage that would change results
    raises :class:`AnalysisError`; what was tolerated is listed in the result's ``warnings``.
    """
    path = Path(directory)
    if not path.is_dir():
        raise AnalysisError(f"{path}: no such folder")
    files = {spec.name: path / spec.file for spec in OBSERVED}
    hashes: dict[str, str] = {}
    if (path / MANIFEST).is_file():
        try:
            entries = read_manifest(path)["tables"]
        except BundleError as exc:
            raise AnalysisError(str(exc)) from None
        for name in OBSERVED_NAMES:
            if name in entries:
                hashes[name] = str(entries[name]["sha256"])
                if not files[name].is_file():
                    raise AnalysisError(f"{files[name]}: listed in the manifest but missing (damaged bundle)")
    tables: dict[str, pd.DataFrame | None] = {}
    for name, file in files.items():
        if not file.is_file():
            tables[name] = None
            continue
        if not inside(path, file) or inside(path / "truth", file):
            raise AnalysisError(f"{file}: leads outside the folder's observed tables; refusing to read it")
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
    try:
        checked = check_observed(tables)
    except ObservedDataError as exc:
        raise AnalysisError(str(exc)) from None
    return SimpleNamespace(**checked.tables, warnings=checked.warnings)
