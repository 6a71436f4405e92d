"""``DATA_DICTIONARY.md``: the bundle's schema written out for people, generated from :mod:`.schema`.

The same file, with the tables of a results folder (:mod:`bipsim.contract.results`), goes with every export of
``bipsim export``; :func:`reading` tells how to open the files in Python, R, Stata, SPSS and Excel.
"""

from __future__ import annotations

from collections.abc import Iterable

from bipsim.contract.results import ResultTable
from bipsim.contract.schema import TABLES, Column, Table

HEADINGS = {
    "observed": (
        "Observed data",
        "Observerede data",
        "What a study of the run would collect. Analyses read only these tables.",
    ),
    "codes": ("Code tables", "Kodetabeller", "Labels and descriptions of every coded value."),
    "truth": (
        "Truth",
        "Sandhed",
        "What really happened, including what no instrument can see. Kept apart for "
        "recovery studies and teaching; analyses must not read it.",
    ),
}


def _allowed(column: Column) -> str:
    if column.allowed:
        return ", ".join(f"`{a}`" for a in column.allowed)
    if column.bounds is not None:
        return f"{column.bounds[0]:g} to {column.bounds[1]:g}"
    return "empty allowed" if column.nullable else ""


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _rules(spec: Table) -> list[str]:
    """The table's key and references, in both languages, as the data check applies them."""
    lines = []
    if spec.keys:
        keys = ", ".join(f"`{k}`" for k in spec.keys)
        lines.append(f"One row per {keys} / *Én række pr. {keys}*  ")
    for column, target in spec.references:
        lines.append(f"Every `{column}` is in `{target}` / *Hvert `{column}` findes i `{target}`*  ")
    return [*lines, ""] if lines else []


def data_dictionary() -> str:
    """Render the data dictionary of a bundle as Markdown."""
    lines = [
        "# Data dictionary / Datadokumentation",
        "",
        "Generated from `bipsim.contract.schema`; every table of the bundle is described here, and the "
        "same declaration validated the tables before they were written.",
        "",
    ]
    for kind, (en, da, note) in HEADINGS.items():
        lines += [f"## {en} / {da}", "", note, ""]
        for spec in (t for t in TABLES if t.kind == kind):
            lines += [
                f"### `{spec.file}`",
                "",
                f"{spec.en}  ",
                f"*{spec.da}*",
                "",
                *_rules(spec),
                "| column | type | unit | allowed | English | Dansk |",
                "|---|---|---|---|---|---|",
            ]
            lines += [
                f"| `{c.name}` | {c.dtype} | {_cell(c.unit)} | {_cell(_allowed(c))} | {_cell(c.en)} | {_cell(c.da)} |"
                for c in spec.columns
            ]
            lines.append("")
    lines += [
        "## Other files / Andre filer",
        "",
        "- `manifest.json`: bipsim version, fully resolved scenario (planted parameters), seed, creation "
        "time, and every file with its row count and sha256.",
        "- `truth/scenario.json`: the planted parameters of the run (the same scenario as in the manifest).",
        "",
        *reading("survey", "observed.xlsx", "bipsim.read_bundle(folder)"),
    ]
    return "\n".join(lines)


def reading(table: str, workbook: str, python_all: str = "") -> list[str]:
    """The section of a data dictionary that tells how to read table ``table`` in every format.

    In Excel the table is a sheet of ``workbook``; ``python_all`` reads every table at once, where there is one.
    """
    return [
        "## Reading the tables / Sådan læses tabellerne",
        "",
        "Parquet files are bipsim's own output; `bipsim export FOLDER --format csv|stata|xlsx --out OUT` writes "
        "the tables of a bundle or of the results of compare, sweep, sensitivity, recover or analyze in the other "
        "formats, with the labels of this dictionary (`--language da` for Danish). Columns holding lists (an "
        "interview's themes) become long tables of their own, one row per item with the row's keys (e.g. "
        "`interviews_themes`). CSV and Stata exports list every column's label, and its name in the file, in "
        "`columns.csv`; Excel workbooks in their `columns` sheet. Stata names hold at most 32 characters and no "
        "dots, so `turnover.quit_probability` becomes `turnover_quit_probability` (its label starts with the "
        "original name).",
        "",
        f'- Python: `pandas.read_parquet("{table}.parquet")`'
        + (f", or `{python_all}` for all of them" if python_all else "")
        + f'; `pandas.read_csv("{table}.csv")`; `pandas.read_stata("{table}.dta")` (labels: '
        f'`pandas.read_stata("{table}.dta", iterator=True).variable_labels()`); '
        f'`pandas.read_excel("{workbook}", sheet_name=None)`.',
        f'- R: `arrow::read_parquet("{table}.parquet")`; `readr::read_csv("{table}.csv")` with the labels in '
        f'`readr::read_csv("columns.csv")`; `haven::read_dta("{table}.dta")` (variable labels as the '
        "`label` attribute, code columns as `haven_labelled`, `haven::as_factor()` for factors); "
        f'`readxl::read_excel("{workbook}", sheet = "{table}")`.',
        f'- Stata: `use "{table}.dta", clear` (`describe` shows the variable labels, `label list` the value '
        f'labels); `import delimited "{table}.csv", clear encoding("utf-8") varnames(1)`.',
        f'- SPSS: `GET STATA FILE="{table}.dta".` keeps the labels; Excel opens the `.xlsx` and `.csv` files.',
        "",
    ]


def results_dictionary(kind: str, tables: Iterable[ResultTable]) -> str:
    """The data dictionary of an export of ``kind``'s results: each table's columns, and how to read them."""
    lines = [
        "# Data dictionary / Datadokumentation",
        "",
        f"The tables of `bipsim {kind}`, exported by `bipsim export`; labels from `bipsim.contract.results`. "
        "`manifest.json`, where there is one, says what was run, with which seeds and bipsim version.",
        "",
    ]
    first = ""
    for spec in tables:
        first = first or spec.name
        lines += [
            f"### `{spec.name}`",
            "",
            f"{spec.en}  ",
            f"*{spec.da}*",
            "",
            *([f"One row per {', '.join(f'`{k}`' for k in spec.keys)}", ""] if spec.keys else []),
            "| column | type | unit | English | Dansk |",
            "|---|---|---|---|---|",
            *(f"| `{c.name}` | {c.dtype} | {_cell(c.unit)} | {_cell(c.en)} | {_cell(c.da)} |" for c in spec.columns),
            "",
        ]
    return "\n".join([*lines, *reading(first or "runs", f"{kind}.xlsx")])
