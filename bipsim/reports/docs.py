"""Generated parts of the documentation: mechanisms, parameter, indicator and vocabulary tables, data, calibration.

Markdown files hold hand-written prose and marked sections that are rendered from the package's tables::

    <!-- generated: mechanism turnover -->  (a mechanism's description, from its module docstring)
    <!-- end generated -->
    <!-- generated: params turnover -->   (the parameters of one scenario group)
    <!-- end generated -->
    <!-- generated: indicators -->        (the progression indicators)
    <!-- end generated -->
    <!-- generated: vocabulary statuses -->  (statuses, orientations, interventions, caseworker_styles, ...)
    <!-- end generated -->
    <!-- generated: data_dictionary -->   (every table and column of a dataset bundle)
    <!-- end generated -->
    <!-- generated: calibration calibration.json -->  (published figures vs a recorded calibration run)
    <!-- end generated -->

:func:`write_generated` rewrites what lies between the markers and keeps everything else, so the documentation
never drifts from ``scenario.GROUPS``, the mechanisms' docstrings, the tables of :mod:`bipsim.contract.vocabulary`,
the bundle schema and the calibration targets. Refresh with ``python -m bipsim.reports.docs [DOCS_DIR]``
(default: ``docs``).

A calibration section is rendered from a record next to the page (a JSON file named in the marker) that holds
every replication's simulated value of every computable target of
:data:`bipsim.analysis.calibration.TARGETS`; the published values, tolerances and descriptions come from
``TARGETS`` itself. Rendering is cheap; making the record means running the model, so it is done only by
``python -m bipsim.reports.docs --calibrate`` (see :func:`record_calibration`).
"""

from __future__ import annotations

import argparse
import importlib
import json
import math
import re
import sys
import textwrap
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import param

from bipsim.contract.vocabulary import (
    CASEWORKER_STYLES,
    EVENT_KINDS,
    INDICATORS,
    INTERVENTIONS,
    ORIENTATION_RESPONSE,
    ORIENTATIONS,
    SECTORS,
    STATUSES,
    Term,
)
from bipsim.mechanisms import SECTIONS, docstring_sections
from bipsim.scenario import GROUPS, MECHANISMS, builtin_scenarios, parameter_names, toml_value

END_MARKER = "<!-- end generated -->"
CALIBRATION_COMMAND = "python -m bipsim.reports.docs --calibrate"
SECTION = re.compile(r"(<!-- generated: (?P<what>[^>]*?) -->\n)(?P<body>.*?)(" + re.escape(END_MARKER) + ")", re.DOTALL)


def _cell(text: object) -> str:
    """Text safe inside a Markdown table cell."""
    return str(text).replace("|", "\\|").replace("\n", " ").strip()


def allowed_range(p: param.Parameter) -> str:
    """Return the values parameter ``p`` accepts, in a few characters."""
    if isinstance(p, param.Boolean):
        return "true, false"
    if isinstance(p, param.ListSelector):
        return "any of " + ", ".join(map(str, p.objects))
    if isinstance(p, param.Selector):
        return "one of " + ", ".join(f'"{o}"' for o in p.objects)
    if isinstance(p, param.Integer):
        lo, hi = p.bounds
        return f"{lo:,} – {hi:,}"
    if isinstance(p, param.Number):
        lo, hi = p.bounds
        return f"{lo:g} – {hi:g}"
    return type(p).__name__


def baseline_notes() -> dict[tuple[str, str], str]:
    """Return the parameters set in the built-in baseline scenario with the comment on what they reproduce."""
    path = builtin_scenarios().get("baseline")
    if path is None:
        return {}
    notes: dict[tuple[str, str], str] = {}
    group = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        header = re.match(r"\s*\[(\w+)\]", line)
        if header:
            group = header.group(1)
            continue
        entry = re.match(r"\s*(\w+)\s*=([^#]*)(?:#\s*(.*))?$", line)
        if entry and group:
            notes[(group, entry.group(1))] = (entry.group(3) or "").strip()
    return notes


def basis(group: str, name: str, p: param.Parameter, notes: dict[tuple[str, str], str]) -> str:
    """Say where the default of ``group.name`` comes from: published, calibrated, assumption, switch or setting."""
    if name == "enabled":
        return "switch"
    if group not in MECHANISMS and group != "population":
        return "setting"
    note = notes.get((group, name))
    if "published" in (p.doc or "").lower() or (note is not None and note.lower().startswith("published")):
        return "published"
    if note is not None:
        return "calibrated"
    return "assumption"


def params_table(group: str) -> str:
    """Render the parameters of scenario group ``group`` as a Markdown table.

    Columns: name, default, unit, allowed range, basis (see :func:`basis`) and doc.
    """
    if group not in GROUPS:
        raise KeyError(f"unknown scenario group {group!r}; groups: {', '.join(GROUPS)}")
    cls, notes = GROUPS[group], baseline_notes()
    rows = ["| parameter | default | unit | allowed | basis | meaning |", "|---|---|---|---|---|---|"]
    for name in parameter_names(group):
        p = cls.param[name]
        rows.append(
            "| "
            + " | ".join(
                _cell(x)
                for x in (
                    f"`{group}.{name}`",
                    toml_value(p.default),
                    getattr(p, "unit", "") or "—",
                    allowed_range(p),
                    basis(group, name, p, notes),
                    p.doc or "",
                )
            )
            + " |"
        )
    return "\n".join(rows) + "\n"


_ROLE = re.compile(r":(?:mod|func|data|class|meth|attr):`~?(?:bipsim\.mechanisms\.)?([^`]+)`")


MARKDOWN_WIDTH = 110
_BLOCK_START = re.compile(r"^\s*(?:[-+*>#|]|\d+[.)])\s")


def _markdown(text: str) -> str:
    """Docstring text as Markdown: ````code```` becomes `code`, a Sphinx role its target's name, prose is reflowed.

    A paragraph is reflowed to :data:`MARKDOWN_WIDTH` unless it is a list or reflowing would start a line with
    what Markdown reads as a list, quote, heading or table.
    """
    text = _ROLE.sub(r"`\1`", text.replace("``", "`"))
    paragraphs = []
    for paragraph in text.split("\n\n"):
        wrapped = textwrap.fill(
            " ".join(paragraph.split()), MARKDOWN_WIDTH, break_long_words=False, break_on_hyphens=False
        )
        lines = paragraph.splitlines()
        keep = any(_BLOCK_START.match(line) for line in lines) or any(
            _BLOCK_START.match(line) for line in wrapped.splitlines()[1:]
        )
        paragraphs.append(paragraph if keep else wrapped)
    return "\n\n".join(paragraphs)


def mechanism_section(name: str) -> str:
    """Render the docstring of mechanism ``name`` as Markdown: its summary, then a paragraph per section.

    Sections come in the order of :data:`bipsim.mechanisms.SECTIONS`, each opening with its name in bold; the
    parameter table is a section of its own (``params NAME``).
    """
    if name not in MECHANISMS:
        raise KeyError(f"unknown mechanism {name!r}; mechanisms: {', '.join(MECHANISMS)}")
    module = importlib.import_module(f"bipsim.mechanisms.{name}")
    parts = docstring_sections(module.__doc__ or "")
    paragraphs = [_markdown(parts[""])]
    paragraphs += [_markdown(f"**{section}.** {parts[section]}") for section in SECTIONS if parts.get(section)]
    return "\n\n".join(paragraphs) + "\n"


def indicators_table() -> str:
    """Render the progression indicators as a Markdown table; assumed indicators are marked as such."""
    rows = [
        "| key | Danish | English | answered by | status | readiness weight | meaning |",
        "|---|---|---|---|---|---|---|",
    ]
    for i in INDICATORS:
        status = "confirmed (BIP)" if i.confirmed else "**modelling assumption**"
        rows.append(
            "| "
            + " | ".join(
                _cell(x)
                for x in (
                    f"`{i.key}`",
                    i.da,
                    i.en,
                    ", ".join(i.answered_by),
                    status,
                    f"{i.readiness_weight:g}",
                    i.description,
                )
            )
            + " |"
        )
    return "\n".join(rows) + "\n"


def _terms_table(terms: tuple[Term, ...], extra: dict[str, tuple[str, ...]] | None = None) -> str:
    extra = extra or {}
    rows = ["| " + " | ".join(("key", "Danish", "English", *extra, "meaning")) + " |", "|" + "---|" * (4 + len(extra))]
    for code, t in enumerate(terms):
        cells = (f"`{t.key}`", t.da, t.en, *(column[code] for column in extra.values()), t.description)
        rows.append("| " + " | ".join(_cell(x) for x in cells) + " |")
    return "\n".join(rows) + "\n"


def vocabulary_table(name: str) -> str:
    """Render one vocabulary table as Markdown.

    ``name`` is statuses, orientations, interventions, caseworker_styles, sectors or event_kinds.
    """
    if name == "statuses":
        return _terms_table(
            STATUSES,
            {
                "on benefit": tuple("yes" if s.on_benefit else "no" for s in STATUSES),
                "looks for work": tuple("yes" if s.searching else "no" for s in STATUSES),
            },
        )
    if name == "orientations":
        return _terms_table(
            ORIENTATIONS,
            {
                "response to job-focused help": tuple(
                    f"{ORIENTATION_RESPONSE[o.key]['job_focused']:g}" for o in ORIENTATIONS
                ),
                "response to support": tuple(f"{ORIENTATION_RESPONSE[o.key]['support']:g}" for o in ORIENTATIONS),
            },
        )
    if name == "interventions":
        return _terms_table(
            INTERVENTIONS,
            {
                "kind": tuple(i.kind.replace("_", "-") for i in INTERVENTIONS),
                "weeks": tuple(str(i.duration_weeks) for i in INTERVENTIONS),
                "at an employer": tuple("yes" if i.employer_based else "no" for i in INTERVENTIONS),
                "share of places": tuple(
                    f"{i.place_share / sum(j.place_share for j in INTERVENTIONS):.0%}" for i in INTERVENTIONS
                ),
                "weekly gain weights": tuple(", ".join(f"{k} {w:g}" for k, w in i.effects) for i in INTERVENTIONS),
            },
        )
    tables = {"caseworker_styles": CASEWORKER_STYLES, "sectors": SECTORS, "event_kinds": EVENT_KINDS}
    if name not in tables:
        raise KeyError(
            f"unknown vocabulary table {name!r}; tables: statuses, orientations, interventions, {', '.join(tables)}"
        )
    return _terms_table(tables[name])


def data_dictionary_section() -> str:
    """Render the bundle's data dictionary one heading level down, to sit inside a page with its own title."""
    from bipsim.dataset.dictionary import data_dictionary

    lines = data_dictionary().splitlines()
    body = lines[1:] if lines and lines[0].startswith("# ") else lines
    body = ["#" + line if line.startswith("#") else line for line in body]
    return "\n".join(body).strip("\n") + "\n"


def calibration_targets() -> tuple[Any, ...]:
    """The calibration targets computed from simulated data (those with a function)."""
    from bipsim.analysis.calibration import TARGETS

    return tuple(t for t in TARGETS if t.compute is not None)


def _number(value: float, like: float) -> str:
    """A figure as the terminal table of ``bipsim calibrate`` prints it: counts whole, shares to 3 decimals."""
    return f"{value:,.0f}" if abs(like) >= 10 else f"{value:.3f}"


def calibration_table(record: dict[str, Any]) -> str:
    """Render a calibration record as Markdown: run, one row per published figure, and those not computed.

    ``record`` has ``scenario``, ``seed``, ``replications``, ``citizens``, ``weeks`` and ``figures`` (each
    computable target's key mapped to its simulated value in every replication). Published values, tolerances
    and descriptions are taken from :data:`~bipsim.analysis.calibration.TARGETS`, and the replications are
    summarised by the same function as in ``bipsim calibrate``: the mean must lie within the tolerance, and
    its Monte Carlo standard error says how precisely it is known.
    """
    import pandas as pd

    from bipsim.analysis.calibration import TARGETS, summarise_replications

    targets = calibration_targets()
    tables = [
        pd.DataFrame(
            {
                "key": [t.key for t in targets],
                "figure": [t.figure for t in targets],
                "published": [t.published for t in targets],
                "simulated": [record["figures"][t.key][r] for t in targets],
                "tolerance": [t.tolerance for t in targets],
                "note": [t.note for t in targets],
            }
        )
        for r in range(int(record["replications"]))
    ]
    summary = summarise_replications(tables)
    rows = [
        "| key | figure | published | simulated (mean) | MC SE | tolerance | within |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in summary.itertuples():
        like = row.published
        cells = (
            f"`{row.key}`",
            row.figure + (f" — {row.note}" if row.note else ""),
            _number(row.published, like),
            _number(row.simulated, like) if pd.notna(row.simulated) else "—",
            (f"{row.mc_se:,.1f}" if abs(like) >= 10 else f"{row.mc_se:.3f}") if pd.notna(row.mc_se) else "—",
            "±" + _number(row.tolerance, like),
            "yes" if row.within else "**no**",
        )
        rows.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    within = int(summary["within"].fillna(False).astype(bool).sum())
    header = (
        f"Scenario `{record['scenario']}`, seed {record['seed']}, {int(record['replications'])} replications of "
        f"{int(record['citizens']):,} citizens × {int(record['weeks'])} weeks: **{within} of {len(targets)}** "
        f"computable figures within tolerance. Recorded in `{record.get('file', 'the calibration record')}` by "
        f"`{CALIBRATION_COMMAND}`.\n\n"
    )
    missing = [t for t in TARGETS if t.compute is None]
    footer = ""
    if missing:
        footer = "\nNot computed from simulated data:\n\n| key | figure | why not |\n|---|---|---|\n" + "".join(
            f"| `{t.key}` | {_cell(t.figure)} | {_cell(t.note)} |\n" for t in missing
        )
    return header + "\n".join(rows) + "\n" + footer


def read_calibration_record(path: Path) -> dict[str, Any]:
    """Read a calibration record and check that it covers exactly the computable targets, every replication."""
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no calibration record; make it with `{CALIBRATION_COMMAND}`")
    record = json.loads(path.read_text(encoding="utf-8"))
    keys = {t.key for t in calibration_targets()}
    recorded = set(record["figures"])
    if recorded != keys:
        raise ValueError(
            f"{path}: the record's figures ({', '.join(sorted(recorded ^ keys))} differ) are not the calibration "
            f"targets; remake it with `{CALIBRATION_COMMAND}`"
        )
    short = [k for k, v in record["figures"].items() if len(v) != int(record["replications"])]
    if short:
        raise ValueError(
            f"{path}: figures {', '.join(short)} lack replications; remake it with `{CALIBRATION_COMMAND}`"
        )
    return record | {"file": path.name}


def simulate_calibration(scenario_name: str, seed: int, replications: int, citizens: int, weeks: int) -> list[Any]:
    """The calibration table of each replication, exactly as ``bipsim calibrate`` computes them."""
    from bipsim.ensemble.calibrate import calibration_replications
    from bipsim.scenario import load_scenario

    scenario = load_scenario(scenario_name).replace(population={"citizens": citizens, "weeks": weeks})
    return calibration_replications(scenario, seed, replications)


def _json_number(value: object) -> float | None:
    """A simulated value for JSON: missing (NaN) becomes null."""
    number = float(value) if value is not None else math.nan
    return number if math.isfinite(number) else None


def record_calibration(
    path: Path,
    scenario: str = "baseline",
    seed: int = 0,
    replications: int = 20,
    citizens: int = 4000,
    weeks: int = 208,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Run the calibration and write its record (every replication's value of every computable target) to ``path``."""
    if progress is not None:
        progress(f"calibrating {scenario}: {replications} replications of {citizens:,} citizens x {weeks} weeks")
    simulated = [
        table.set_index("key")["simulated"]
        for table in simulate_calibration(scenario, seed, replications, citizens, weeks)
    ]
    figures = {t.key: [_json_number(values[t.key]) for values in simulated] for t in calibration_targets()}
    record = {
        "scenario": scenario,
        "seed": seed,
        "replications": replications,
        "citizens": citizens,
        "weeks": weeks,
        "figures": figures,
    }
    path.write_text(_record_json(record), encoding="utf-8")
    return record


def _record_json(record: dict[str, Any]) -> str:
    """A calibration record as JSON with one line per figure, so that a diff shows which figures moved."""
    head = {k: v for k, v in record.items() if k != "figures"}
    lines = [f"  {json.dumps(k)}: {json.dumps(v)}," for k, v in head.items()]
    figures = [f"    {json.dumps(k)}: {json.dumps(v)}" for k, v in record["figures"].items()]
    return "{\n" + "\n".join(lines) + '\n  "figures": {\n' + ",\n".join(figures) + "\n  }\n}\n"


def render_section(what: str, base: Path | None = None) -> str:
    """Render the body of marker ``what``.

    ``what`` is ``mechanism NAME``, ``params GROUP``, ``indicators``, ``vocabulary TABLE``, ``data_dictionary``
    or ``calibration RECORD`` (a JSON file in ``base``, the page's folder).
    """
    words = what.split()
    if words == ["indicators"]:
        return indicators_table()
    if words == ["data_dictionary"]:
        return data_dictionary_section()
    if len(words) == 2 and words[0] == "mechanism":
        return mechanism_section(words[1])
    if len(words) == 2 and words[0] == "params":
        return params_table(words[1])
    if len(words) == 2 and words[0] == "vocabulary":
        return vocabulary_table(words[1])
    if len(words) == 2 and words[0] == "calibration":
        return calibration_table(read_calibration_record((base or Path()) / words[1]))
    raise ValueError(
        f"unknown generated section {what!r}; use 'mechanism NAME', 'params GROUP', 'indicators', 'vocabulary TABLE', "
        "'data_dictionary' or 'calibration RECORD.json'"
    )


def sections(text: str) -> list[str]:
    """The markers (``what``) of the generated sections of ``text``, in order."""
    return [m.group("what").strip() for m in SECTION.finditer(text)]


def render(text: str, base: Path | None = None) -> str:
    """Return ``text`` with every generated section re-rendered; prose outside the markers is unchanged.

    ``base`` is the folder of the page, where calibration records are found (default: the working folder).
    """
    return SECTION.sub(lambda m: m.group(1) + render_section(m.group("what").strip(), base) + m.group(4), text)


def markdown_files(docs_dir: str | Path) -> list[Path]:
    """Return the Markdown files of a documentation folder, sorted."""
    return sorted(Path(docs_dir).glob("*.md"))


def stale(docs_dir: str | Path) -> list[Path]:
    """Return the files in ``docs_dir`` whose generated sections differ from a fresh rendering."""
    return [
        path
        for path in markdown_files(docs_dir)
        if render(text := path.read_text(encoding="utf-8"), path.parent) != text
    ]


def write_generated(docs_dir: str | Path) -> list[Path]:
    """Rewrite the generated sections of the Markdown files in ``docs_dir``; return the files changed."""
    changed = []
    for path in markdown_files(docs_dir):
        text = path.read_text(encoding="utf-8")
        fresh = render(text, path.parent)
        if fresh != text:
            path.write_text(fresh, encoding="utf-8")
            changed.append(path)
    return changed


def calibration_records(docs_dir: str | Path) -> list[Path]:
    """The calibration records named by the generated sections of the Markdown files in ``docs_dir``."""
    records = []
    for path in markdown_files(docs_dir):
        for what in sections(path.read_text(encoding="utf-8")):
            words = what.split()
            if len(words) == 2 and words[0] == "calibration" and path.parent / words[1] not in records:
                records.append(path.parent / words[1])
    return records


def recalibrate(docs_dir: str | Path, replications: int | None = None, seed: int | None = None) -> list[Path]:
    """Remake every calibration record of ``docs_dir`` with the run settings it holds (or those given)."""
    made = []
    for path in calibration_records(docs_dir):
        settings = {"scenario": "baseline", "seed": 0, "replications": 20, "citizens": 4000, "weeks": 208}
        if path.is_file():
            old = json.loads(path.read_text(encoding="utf-8"))
            settings |= {k: old[k] for k in settings if k in old}
        if replications is not None:
            settings["replications"] = replications
        if seed is not None:
            settings["seed"] = seed
        record_calibration(path, **settings, progress=lambda message: print(message, file=sys.stderr))
        made.append(path)
    return made


def main(argv: Sequence[str] | None = None) -> int:
    """Refresh the generated sections of the documentation folder."""
    parser = argparse.ArgumentParser(prog="python -m bipsim.reports.docs", description=main.__doc__)
    parser.add_argument("docs_dir", nargs="?", default="docs", help="folder of Markdown files (default: docs)")
    parser.add_argument(
        "--calibrate",
        action="store_true",
        help="first rerun the calibration of every calibration record (runs the model; about a minute at BIP scale)",
    )
    parser.add_argument("--replications", type=int, help="with --calibrate: replications (default: as recorded)")
    parser.add_argument("--seed", type=int, help="with --calibrate: root seed (default: as recorded)")
    args = parser.parse_args(argv)
    docs_dir = Path(args.docs_dir)
    if not docs_dir.is_dir():
        print(f"bipsim.reports.docs: error: {docs_dir} is not a folder", file=sys.stderr)
        return 2
    try:
        if args.calibrate:
            for path in recalibrate(docs_dir, args.replications, args.seed):
                print(f"recorded {path}")
        changed = write_generated(docs_dir)
    except (KeyError, ValueError, FileNotFoundError) as exc:
        print(f"bipsim.reports.docs: error: {exc}", file=sys.stderr)
        return 2
    for path in changed:
        print(f"updated {path}")
    if not changed:
        print(f"{docs_dir}: generated sections are up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
