"""``DATA_DICTIONARY.md``: the bundle's schema written out for people, generated from :mod:`.schema`."""

from __future__ import annotations

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
        "## Reading the tables / Sådan læses tabellerne",
        "",
        "- Python: `pandas.read_parquet(\"survey.parquet\")`, or `bipsim.read_bundle(folder)` for all of them.",
        "- R: `arrow::read_parquet(\"survey.parquet\")`.",
        "- Stata, SPSS, Excel: `bipsim export FOLDER --format stata|csv|xlsx --out OUT` writes every table "
        "with these labels (Stata: variable and value labels; `--language da` for Danish). Columns holding "
        "lists (an interview's themes) become long tables of their own, e.g. `interviews_themes`.",
        "",
    ]
    return "\n".join(lines)
