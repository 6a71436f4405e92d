"""Exports of any folder bipsim writes in the formats people in the field open: CSV, Stata and Excel.

A bundle, or the results of ``compare``, ``sweep``, ``sensitivity``, ``recover`` or ``analyze`` (told apart by
:func:`folder_kind`): each of its tables is written with the libraries' own writers: pandas' CSV writer (UTF-8),
pandas' Stata writer (format 118, Unicode) with variable labels and value labels for every code column, and
XlsxWriter for Excel (one sheet per table, plus a ``columns`` sheet labelling every column). CSV and Stata exports
carry the same labels in ``columns.csv`` (table, column, its name in the file, label), since a CSV file holds none
and Stata names are at most 32 characters without dots (``turnover.quit_probability`` becomes
``turnover_quit_probability``; its label keeps the original name). Labels come from the bundle's schema
(:mod:`bipsim.contract.schema`) or the results' declaration (:mod:`bipsim.contract.results`), in English or Danish.
A column that holds lists (an interview's themes) becomes a long table of its own with one row per item, named
``<table>_<column>`` (``interviews_themes``: citizen_id, wave, theme), so every file is a flat table.

How to read them back in Python, R and Stata: :func:`bipsim.dataset.dictionary.reading`, written into every
export's ``DATA_DICTIONARY.md``.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from bipsim.contract.files import move_into_place, temporary_sibling
from bipsim.contract.results import ANALYZE_FOLDER, ENSEMBLE_FORMAT, LIST_SEPARATOR, ResultTable, described
from bipsim.contract.schema import TABLES, Table
from bipsim.dataset.bundle import FORMAT as BUNDLE_FORMAT
from bipsim.dataset.bundle import read_bundle
from bipsim.dataset.dictionary import data_dictionary, results_dictionary

FORMATS: tuple[str, ...] = ("csv", "stata", "xlsx")
LANGUAGES: tuple[str, ...] = ("en", "da")
EXCEL_ROWS = 1_048_575  # rows of a worksheet, less the header
STATA_LABEL = 80  # characters of a Stata variable label
STATA_NAME = 32  # characters of a Stata variable name
STATA_RESERVED = frozenset(pd.io.stata.StataParser().RESERVED_WORDS)  # pandas' own list, which it renames
COLUMNS_FILE = "columns"  # the labels of a CSV or Stata export: a table like the workbook's columns sheet
EXTENSION = {"csv": "csv", "stata": "dta", "xlsx": "xlsx"}
ITEM_NAMES = {"themes": "theme"}  # the column name of one item of a list column


Spec = Table | ResultTable  # what the labels of a table come from: the bundle's schema or the results'


class ExportError(ValueError):
    """A table or folder that cannot be exported as asked (the message says which and why)."""


def flat_tables(name: str, frame: pd.DataFrame, spec: Spec | None) -> dict[str, pd.DataFrame]:
    """``frame`` without its list columns, plus one long table per list column (its row's key and the item)."""
    lists = [c.name for c in spec.columns if c.dtype == "list" and c.name in frame.columns] if spec else []
    if not lists:
        return {name: frame}
    key = [k for k in (spec.keys or ("citizen_id",)) if k in frame.columns and k not in lists]
    out = {name: frame.drop(columns=lists)}
    for column in lists:
        item = ITEM_NAMES.get(column, column)
        long = frame[[*key, column]].explode(column).dropna(subset=[column]).rename(columns={column: item})
        out[f"{name}_{column}"] = long.reset_index(drop=True)
    return out


def _labels(spec: Spec | None, frame: pd.DataFrame, language: str) -> dict[str, str]:
    """Each column's label in ``language``, from its declaration (the name in words where none declares it).

    The item column of a list column's long table (``theme`` of ``themes``) has the list column's label.
    """
    columns = {c.name: c for c in spec.columns} if spec is not None else {}
    items = {ITEM_NAMES.get(c.name, c.name): c for c in columns.values() if c.dtype == "list"}  # long tables' items
    labels = {}
    for name in frame.columns:
        column = columns.get(name) or items.get(name)
        labels[name] = (column.da if language == "da" else column.en) if column is not None else name.replace("_", " ")
    return labels


def _short(text: str, limit: int = STATA_LABEL) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def stata_names(columns: list[str]) -> dict[str, str]:
    """A valid, distinct Stata name for each column; valid names are kept, the others mapped (``a.b`` to ``a_b``).

    Valid: letters, digits and ``_``, not a digit first, at most 32 characters, no reserved word.
    """
    names: dict[str, str] = {}
    taken = {c for c in columns if _valid_in_stata(c)}
    for column in columns:
        if _valid_in_stata(column):
            names[column] = column
            continue
        stem = re.sub(r"[^A-Za-z0-9_]", "_", column)
        stem = stem if re.match(r"[A-Za-z_]", stem) and stem not in STATA_RESERVED else f"_{stem}"
        name, suffix = stem[:STATA_NAME], 1
        while name in taken:
            suffix += 1
            name = f"{stem[: STATA_NAME - len(str(suffix)) - 1]}_{suffix}"
        taken.add(name)
        names[column] = name
    return names


def _valid_in_stata(name: str) -> bool:
    return bool(re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,31}", name)) and name not in STATA_RESERVED


def _for_stata(frame: pd.DataFrame) -> pd.DataFrame:
    """Types Stata stores: booleans as 0/1, nullable integers as floats with missing values, text as text."""
    out = {}
    for name, values in frame.items():
        if pd.api.types.is_bool_dtype(values) and values.isna().any():
            out[name] = values.astype("Float64").astype("float64")  # missing stays missing
        elif pd.api.types.is_bool_dtype(values):
            out[name] = values.astype(np.int8)
        elif isinstance(values.dtype, pd.CategoricalDtype) and len(values):
            out[name] = values  # written with value labels (pandas' Stata writer cannot label an empty column)
        elif isinstance(values.dtype, pd.CategoricalDtype):
            out[name] = values.astype(str)
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


def write_table(frame: pd.DataFrame, path: Path, form: str, spec: Spec | None, language: str = "en") -> Path:
    """Write one flat table as ``form`` (``csv`` or ``stata``) to ``path`` (extension added); return the path.

    In Stata a column whose name Stata cannot hold is renamed (:func:`stata_names`) and its label starts with
    the original name.
    """
    target = path.with_name(f"{path.name}.{EXTENSION[form]}")
    if form == "csv":
        frame.to_csv(target, index=False, encoding="utf-8")
    elif form == "stata":
        names = stata_names(list(frame.columns))
        labels = {
            names[c]: _short(text if names[c] == c else f"{c}: {text}")
            for c, text in _labels(spec, frame, language).items()
        }
        data = _for_stata(frame).rename(columns=names)
        long_text = [c for c in data.columns if data[c].dtype == object and data[c].str.len().max() > 2045]
        data.to_stata(target, write_index=False, version=118, variable_labels=labels, convert_strl=long_text)
    else:
        raise ExportError(f"format {form!r}: one of {', '.join(FORMATS)}")
    return target


def _sheet(name: str) -> str:
    """A worksheet's name: the table's name without its folder, at most 31 characters (Excel's limit)."""
    return name.rpartition("/")[2][:31]


def write_workbook(tables: dict[str, tuple[pd.DataFrame, Spec | None]], path: Path, language: str = "en") -> Path:
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
    target = path.with_name(f"{path.name}.xlsx")
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
    specs: dict[str, Spec] | None = None,
    language: str = "en",
    workbook: str = "tables",
    columns: str = COLUMNS_FILE,
) -> list[Path]:
    """Write ``tables`` (name -> frame) into ``folder`` as ``form``; list columns become long tables.

    Excel: one workbook ``<workbook>.xlsx`` with a ``columns`` sheet; CSV and Stata: a file per table and the
    labels of every column in ``<columns>.csv`` (table, column, its name in the file, label).
    """
    if form not in FORMATS:
        raise ExportError(f"format {form!r}: one of {', '.join(FORMATS)}")
    if language not in LANGUAGES:
        raise ExportError(f"language {language!r}: one of {', '.join(LANGUAGES)}")
    specs = specs or {}
    flat: dict[str, tuple[pd.DataFrame, Spec | None]] = {}
    for name, frame in tables.items():
        spec = specs.get(name)
        for flat_name, flat_frame in flat_tables(name, frame, spec).items():
            flat[flat_name] = (flat_frame, spec)
    if form == "xlsx":
        return [write_workbook(flat, folder / workbook, language)]
    paths, rows = [], []
    for name, (frame, spec) in flat.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        paths.append(write_table(frame, folder / name, form, spec, language))
        in_file = stata_names(list(frame.columns)) if form == "stata" else {c: c for c in frame.columns}
        labels = _labels(spec, frame, language)
        rows += [{"table": name, "column": c, "name": in_file[c], "label": labels[c]} for c in frame.columns]
    labels_file = folder / f"{columns}.csv"
    labels_file.parent.mkdir(parents=True, exist_ok=True)
    pd.DataFrame(rows, columns=["table", "column", "name", "label"]).to_csv(labels_file, index=False, encoding="utf-8")
    return [*paths, labels_file]


def check_target(target: Path, force: bool) -> None:
    """Refuse an export folder that exists, unless ``force`` (it is then replaced whole)."""
    if target.exists() and not force:
        raise ExportError(f"{target}: exists; pass --force to replace it")


KINDS: tuple[str, ...] = ("bundle", "compare", "sweep", "sensitivity", "recover", "analyze")
"""The folders :func:`export_folder` takes: a bundle, or the results of one of these commands."""


def folder_kind(folder: str | Path) -> str:
    """Which of :data:`KINDS` ``folder`` is, from its ``manifest.json`` or, for ``analyze``, its tables.

    Raises :class:`ExportError` for a folder that is missing or none of them.
    """
    path = Path(folder)
    if not path.is_dir():
        raise ExportError(f"{folder}: no such folder")
    try:
        manifest = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        manifest = None
    if isinstance(manifest, dict) and manifest.get("format") == BUNDLE_FORMAT:
        return "bundle"
    if isinstance(manifest, dict) and manifest.get("format") == ENSEMBLE_FORMAT:
        command = manifest.get("command")
        if command in KINDS:
            return str(command)
        raise ExportError(f"{folder}: results of {command!r}, which export does not know (it knows {_known()})")
    if (path / ANALYZE_FOLDER / "estimates.csv").is_file():
        return "analyze"
    raise ExportError(
        f"{folder}: not a folder bipsim writes ({_known()}): no manifest.json of format {BUNDLE_FORMAT!r} or "
        f"{ENSEMBLE_FORMAT!r}, and no {ANALYZE_FOLDER}/estimates.csv"
    )


def _known() -> str:
    return "a bundle, or the results of " + ", ".join(KINDS[1:-1]) + f" or {KINDS[-1]}"


def result_frames(folder: str | Path, kind: str) -> dict[str, tuple[pd.DataFrame, ResultTable]]:
    """The tables of a results folder of ``kind``, each with its declaration, typed for export.

    Ensemble results are read from their Parquet files (recover's CSV copy is left out); analyze's from its
    CSV files. Lists written as text are split, and key columns become categorical (Stata value labels).
    """
    path = Path(folder)
    if kind == "analyze":
        files = sorted((path / ANALYZE_FOLDER).glob("*.csv"))
    else:
        files = sorted(path.glob("*.parquet"))
    tables = {}
    for file in files:
        frame = pd.read_csv(file) if file.suffix == ".csv" else pd.read_parquet(file)
        spec = described(kind, file.stem, list(frame.columns))
        tables[file.stem] = _typed(frame, spec)
    return tables


def _typed(frame: pd.DataFrame, spec: ResultTable) -> tuple[pd.DataFrame, ResultTable]:
    """``frame`` with its declared lists as lists and its key columns categorical; the spec with every list."""
    frame = frame.copy()
    columns = []
    for column in spec.columns:
        values = frame[column.name]
        if values.empty and column.dtype in ("int64", "float64"):
            values = values.astype("float64")  # an empty CSV column is read as text
        elif column.name in spec.lists:
            values = values.map(lambda v: v.split(LIST_SEPARATOR) if isinstance(v, str) and v else [])
        elif values.dtype == object and values.map(lambda v: isinstance(v, (list, tuple, np.ndarray))).any():
            column = type(column)(column.name, "list", column.da, column.en, unit=column.unit)
        elif column.dtype == "category" and not pd.api.types.is_numeric_dtype(values):
            values = values.astype("category")
        elif column.dtype == "bool" and values.dtype == object:  # a CSV column of True, False and blanks
            values = values.map({True: True, False: False, "True": True, "False": False}).astype("boolean")
        frame[column.name] = values
        columns.append(column)
    return frame, ResultTable(spec.name, spec.command, spec.da, spec.en, spec.keys, spec.lists, tuple(columns))


def export_folder(
    folder: str | Path,
    directory: str | Path,
    form: str,
    language: str = "en",
    truth: bool = False,
    force: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[str, Path]:
    """Export any folder bipsim writes (:func:`folder_kind`) to ``directory``; return its kind and the path.

    ``truth`` applies to bundles only (results hold no truth tables of a run).
    """
    kind = folder_kind(folder)
    if kind == "bundle":
        return kind, export_bundle(folder, directory, form, language, truth, force, progress)
    return kind, export_results(folder, directory, form, kind, language, force, progress)


def export_results(
    folder: str | Path,
    directory: str | Path,
    form: str,
    kind: str | None = None,
    language: str = "en",
    force: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> Path:
    """Export the tables of a results folder (compare, sweep, sensitivity, recover, analyze) to ``directory``.

    Writes every table in ``form`` with its labels, ``DATA_DICTIONARY.md`` describing them and, for ensemble
    results, their ``manifest.json`` (what was run, with which seeds). Atomic, like :func:`export_bundle`.
    """
    kind = kind or folder_kind(folder)
    if kind not in KINDS[1:]:
        raise ExportError(f"{folder}: a {kind}, not results of {', '.join(KINDS[1:])}")
    target = Path(directory).absolute()
    check_target(target, force)
    tables = result_frames(folder, kind)
    temporary = temporary_sibling(target)
    try:
        export_frames(
            {name: frame for name, (frame, _) in tables.items()},
            temporary,
            form,
            {name: spec for name, (_, spec) in tables.items()},
            language,
            workbook=kind,
        )
        if progress is not None:
            progress(1, 1)
        specs = [spec for _, spec in tables.values()]
        (temporary / "DATA_DICTIONARY.md").write_text(results_dictionary(kind, specs), encoding="utf-8")
        if (Path(folder) / "manifest.json").is_file():
            shutil.copy2(Path(folder) / "manifest.json", temporary / "manifest.json")
        move_into_place(temporary, target)
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise
    return target


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
                columns=f"{prefix}{COLUMNS_FILE}",
            )
            if progress is not None:
                progress(done, total)
        (temporary / "DATA_DICTIONARY.md").write_text(data_dictionary(), encoding="utf-8")
        move_into_place(temporary, target)
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise
    return target
