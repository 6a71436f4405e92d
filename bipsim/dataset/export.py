"""Exports of a bundle's tables in the formats people in the field open: CSV, Stata and Excel.

Each table is written with the libraries' own writers: pandas' CSV writer (UTF-8), pandas' Stata writer
(format 118, Unicode) with variable labels from the data dictionary and value labels for every code column,
and XlsxWriter for Excel (one sheet per table, plus a sheet describing every column). A column that holds
lists (an interview's themes) becomes a long table of its own with one row per item, named
``<table>_<column>`` (``interviews_themes``: citizen_id, wave, theme), so every file is a flat table.

Reading them back: R ``read.csv("survey.csv")`` or ``haven::read_dta("survey.dta")`` (labels as
attributes); Stata ``use survey.dta`` (``describe`` shows the labels); Python ``pandas.read_stata``.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from bipsim.contract.files import move_into_place, temporary_sibling
from bipsim.contract.schema import TABLES, Table
from bipsim.dataset.bundle import BundleError, read_bundle

FORMATS: tuple[str, ...] = ("csv", "stata", "xlsx")
LANGUAGES: tuple[str, ...] = ("en", "da")
EXCEL_ROWS = 1_048_575  # rows of a worksheet, less the header
STATA_LABEL = 80  # characters of a Stata variable label
EXTENSION = {"csv": "csv", "stata": "dta", "xlsx": "xlsx"}
ITEM_NAMES = {"themes": "theme"}  # the column name of one item of a list column


class ExportError(ValueError):
    """A table that cannot be written in the asked format (the message says which and why)."""


def flat_tables(name: str, frame: pd.DataFrame, spec: Table | None) -> dict[str, pd.DataFrame]:
    """``frame`` without its list columns, plus one long table per list column (its row's key and the item)."""
    lists = [c.name for c in spec.columns if c.dtype == "list"] if spec is not None else []
    if not lists:
        return {name: frame}
    key = [k for k in (spec.keys or ("citizen_id",)) if k in frame.columns]
    out = {name: frame.drop(columns=lists)}
    for column in lists:
        item = ITEM_NAMES.get(column, column)
        long = frame[[*key, column]].explode(column).dropna(subset=[column]).rename(columns={column: item})
        out[f"{name}_{column}"] = long.reset_index(drop=True)
    return out


def _labels(spec: Table | None, frame: pd.DataFrame, language: str) -> dict[str, str]:
    columns = {c.name: c for c in spec.columns} if spec is not None else {}
    labels = {}
    for name in frame.columns:
        column = columns.get(name)
        text = (column.da if language == "da" else column.en) if column is not None else name.replace("_", " ")
        labels[name] = text if len(text) <= STATA_LABEL else text[: STATA_LABEL - 3] + "..."
    return labels


def _for_stata(frame: pd.DataFrame) -> pd.DataFrame:
    """Types Stata stores: booleans as 0/1, nullable integers as floats with missing values, text as text."""
    out = {}
    for name, values in frame.items():
        if pd.api.types.is_bool_dtype(values):
            out[name] = values.astype(np.int8)
        elif isinstance(values.dtype, pd.CategoricalDtype):
            out[name] = values
        elif pd.api.types.is_integer_dtype(values) and values.isna().any():
            out[name] = values.astype("float64")
        elif pd.api.types.is_integer_dtype(values):
            out[name] = values.astype(
                values.dtype.numpy_dtype if hasattr(values.dtype, "numpy_dtype") else values.dtype
            )
        elif pd.api.types.is_string_dtype(values) or values.dtype == object:
            out[name] = values.astype(object).where(values.notna(), "").astype(str)
        else:
            out[name] = values
    return pd.DataFrame(out)


def write_table(frame: pd.DataFrame, path: Path, form: str, spec: Table | None, language: str = "en") -> Path:
    """Write one flat table as ``form`` (``csv`` or ``stata``) to ``path`` (extension added); return the path."""
    target = path.with_suffix(f".{EXTENSION[form]}")
    if form == "csv":
        frame.to_csv(target, index=False, encoding="utf-8")
    elif form == "stata":
        data = _for_stata(frame)
        long_text = [c for c in data.columns if data[c].dtype == object and data[c].str.len().max() > 2045]
        data.to_stata(
            target,
            write_index=False,
            version=118,
            variable_labels=_labels(spec, data, language),
            convert_strl=long_text,
        )
    else:
        raise ExportError(f"format {form!r}: one of {', '.join(FORMATS)}")
    return target


def _sheet(name: str) -> str:
    """A worksheet's name: the table's name without its folder, at most 31 characters (Excel's limit)."""
    return name.rpartition("/")[2][:31]


def write_workbook(tables: dict[str, tuple[pd.DataFrame, Table | None]], path: Path, language: str = "en") -> Path:
    """Write every table as a sheet of one Excel workbook, with a ``columns`` sheet describing each column."""
    too_long = [name for name, (frame, _) in tables.items() if len(frame) > EXCEL_ROWS]
    if too_long:
        raise ExportError(
            f"{', '.join(too_long)}: more rows than an Excel sheet holds ({EXCEL_ROWS:,}); export as csv or stata"
        )
    described = []
    for name, (frame, spec) in tables.items():
        labels = _labels(spec, frame, language)
        described += [{"sheet": _sheet(name), "column": c, "label": labels[c]} for c in frame.columns]
    target = path.with_suffix(".xlsx")
    with pd.ExcelWriter(target, engine="xlsxwriter") as writer:
        pd.DataFrame(described).to_excel(writer, sheet_name="columns", index=False)
        for name, (frame, _) in tables.items():
            plain = frame.copy()
            for column in plain.columns:
                if isinstance(plain[column].dtype, pd.CategoricalDtype):
                    plain[column] = plain[column].astype(object)
            plain.to_excel(writer, sheet_name=_sheet(name), index=False)
    return target


def export_frames(
    tables: dict[str, pd.DataFrame],
    folder: Path,
    form: str,
    specs: dict[str, Table] | None = None,
    language: str = "en",
    workbook: str = "tables",
) -> list[Path]:
    """Write ``tables`` (name -> frame) into ``folder`` as ``form``; list columns become long tables."""
    if form not in FORMATS:
        raise ExportError(f"format {form!r}: one of {', '.join(FORMATS)}")
    if language not in LANGUAGES:
        raise ExportError(f"language {language!r}: one of {', '.join(LANGUAGES)}")
    specs = specs or {}
    flat: dict[str, tuple[pd.DataFrame, Table | None]] = {}
    for name, frame in tables.items():
        spec = specs.get(name)
        for flat_name, flat_frame in flat_tables(name, frame, spec).items():
            flat[flat_name] = (flat_frame, spec)
    if form == "xlsx":
        return [write_workbook(flat, folder / workbook, language)]
    paths = []
    for name, (frame, spec) in flat.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        paths.append(write_table(frame, folder / name, form, spec, language))
    return paths


def check_target(target: Path, force: bool) -> None:
    """Refuse an export folder that exists, unless ``force`` (it is then replaced whole)."""
    if target.exists() and not force:
        raise BundleError(f"{target}: exists; pass --force to replace it")


def export_bundle(
    bundle: str | Path,
    directory: str | Path,
    form: str,
    language: str = "en",
    truth: bool = False,
    force: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> Path:
    """Export a bundle's observed and code tables (and its truth with ``truth=True``) to ``directory``.

    The folder is written atomically; an existing one is replaced only with ``force``. Returns its path.
    """
    read = read_bundle(bundle)
    target = Path(directory).absolute()
    check_target(target, force)
    specs = {(t.name if t.kind == "observed" else f"{t.kind}/{t.name}"): t for t in TABLES}
    groups: list[tuple[str, dict[str, pd.DataFrame]]] = [
        ("", read.tables),
        ("codes/", {f"codes/{k}": v for k, v in read.codes.items()}),
    ]
    if truth:
        groups.append(("truth/", {f"truth/{k}": getattr(read.truth, k) for k in read.truth.names}))
    temporary = temporary_sibling(target)
    try:
        total = len(groups)
        for done, (prefix, tables) in enumerate(groups, start=1):
            (temporary / prefix).mkdir(parents=True, exist_ok=True)
            export_frames(
                tables,
                temporary,
                form,
                {name: specs[name] for name in tables if name in specs},
                language,
                workbook=f"{prefix}tables" if prefix else "observed",
            )
            if progress is not None:
                progress(done, total)
        shutil.copy2(Path(bundle) / "DATA_DICTIONARY.md", temporary / "DATA_DICTIONARY.md")
        move_into_place(temporary, target)
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise
    return target
