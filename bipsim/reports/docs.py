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
    <!-- generated: recovery recovery.json -->  (estimands, methods and a recorded recovery study's tables)
    <!-- end generated -->
    <!-- generated: teaching teaching.json exercise1 -->  (an exercise's numbers, as the sandbox showed them)
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

A recovery section is rendered the same way from a recorded recovery study (``python -m bipsim.reports.docs
--recover``, see :func:`record_recovery`): the record holds every performance row of the ``baseline`` and
``placebo`` studies; the estimand kinds, methods and failing assumptions are rendered from their declarations.
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
from bipsim.recovery.performance import MEASURES, PRECISION
from bipsim.scenario import GROUPS, MECHANISMS, builtin_scenarios, parameter_names, toml_value

END_MARKER = "<!-- end generated -->"
CALIBRATION_COMMAND = "python -m bipsim.reports.docs --calibrate"
RECOVERY_COMMAND = "python -m bipsim.reports.docs --recover"
EFFECTS_COMMAND = "python -m bipsim.reports.docs --fit-effects"
RECOVERY_SCENARIOS = ("baseline", "placebo")
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
    """Render a calibration record as Markdown: run, outcome targets and inputs apart, sources, and the rest.

    ``record`` has ``scenario``, ``seed``, ``replications``, ``citizens``, ``weeks`` and ``figures`` (each
    computable target's key mapped to its simulated value in every replication). Published values, roles, sources
    and uncertainties come from :data:`~bipsim.analysis.calibration.TARGETS` and
    :mod:`bipsim.analysis.published`, and the replications are summarised by the same function as in
    ``bipsim calibrate``: the mean's implausibility (the published figure's own uncertainty, the model discrepancy
    and the Monte Carlo error, in standard deviations) must be at most the cutoff.
    """
    import pandas as pd

    from bipsim.analysis.calibration import TARGETS, summarise_replications
    from bipsim.analysis.published import DISCREPANCY_SD, IMPLAUSIBILITY_CUTOFF

    targets = calibration_targets()
    tables = [
        pd.DataFrame(
            {
                "key": [t.key for t in targets],
                "figure": [t.figure for t in targets],
                "published": [t.published for t in targets],
                "simulated": [record["figures"][t.key][r] for t in targets],
                "note": [t.note for t in targets],
            }
        )
        for r in range(int(record["replications"]))
    ]
    summary = summarise_replications(tables)
    within = int(summary["within"].fillna(False).astype(bool).sum())
    parts = [
        f"Scenario `{record['scenario']}`, seed {record['seed']}, {int(record['replications'])} replications of "
        f"{int(record['citizens']):,} citizens × {int(record['weeks'])} weeks: **{within} of {len(targets)}** "
        f"computable figures reproduced (implausibility at most {IMPLAUSIBILITY_CUTOFF:g}; outcomes carry a model "
        f"discrepancy of {DISCREPANCY_SD:g} on their model scale). Recorded in "
        f"`{record.get('file', 'the calibration record')}` by `{CALIBRATION_COMMAND}`.\n"
    ]
    headings = {
        "outcome": "**Outcome targets** — figures the model must produce:",
        "input": "**Inputs** — figures the model is given (the table checks that they arrive):",
    }
    for role, heading in headings.items():
        rows = [
            heading,
            "",
            "| key | figure | published ± SD | simulated (mean) | MC SE | implausibility | reproduced |",
            "|---|---|---|---|---|---|---|",
        ]
        for row in summary[summary["role"] == role].itertuples():
            like = row.published
            spread = f" ± {_number(row.uncertainty, like)}" if pd.notna(row.uncertainty) else ""
            cells = (
                f"`{row.key}`",
                row.figure + (f" — {row.note}" if row.note else ""),
                _number(row.published, like) + spread,
                _number(row.simulated, like) if pd.notna(row.simulated) else "—",
                (f"{row.mc_se:,.1f}" if abs(like) >= 10 else f"{row.mc_se:.3f}") if pd.notna(row.mc_se) else "—",
                f"{row.implausibility:.1f}" if pd.notna(row.implausibility) else "—",
                "yes" if row.within else "**no**",
            )
            rows.append("| " + " | ".join(_cell(c) for c in cells) + " |")
        parts.append("\n".join(rows) + "\n")
    declared = [t for t in TARGETS if t.role != "rule"]
    numbered = {source: n for n, source in enumerate(dict.fromkeys(t.source for t in declared), start=1)}
    sources = ["**Sources** of the published figures (as far as public material allows; check the reports before"]
    sources[0] += " citing a figure):"
    sources += ["", *(f"{n}. {source}" for source, n in numbered.items()), ""]
    sources += ["| key | source | its uncertainty rests on |", "|---|---|---|"]
    sources += [f"| `{t.key}` | {numbered[t.source]} | {_cell(t.declared.basis or '—')} |" for t in declared]
    parts.append("\n".join(sources) + "\n")
    missing = [t for t in TARGETS if t.compute is None]
    if missing:
        parts.append(
            "Not computed from simulated data:\n\n| key | figure | why not |\n|---|---|---|\n"
            + "".join(f"| `{t.key}` | {_cell(t.figure)} | {_cell(t.note)} |\n" for t in missing)
        )
    return "\n".join(parts)


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


# --- the causal effects calibrated to the published associations ---------------------------------------------


def record_effects(
    path: Path,
    scenario: str = "baseline",
    seed: int = 0,
    points: int = 24,
    replications: int = 4,
    workers: int = 2,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Fit the causal effects to the published associations (:func:`~bipsim.ensemble.calibrate.fit_effects`).

    The record holds the settings, every design run's associations, the emulators and the solution, and is
    written to ``path``; the scenario's declared defaults are expected to equal the solution's values.
    """
    from bipsim.ensemble.calibrate import fit_effects
    from bipsim.scenario import load_scenario

    if progress is not None:
        progress(f"fitting the causal effects to the published associations: {points} settings x {replications}")
    fit = fit_effects(load_scenario(scenario), seed, points, replications, workers)
    record = {
        **fit.settings,
        "solution": [{k: _json_value(v) for k, v in row.items()} for row in fit.solution.to_dict("records")],
        "emulator": [{k: _json_value(v) for k, v in row.items()} for row in fit.emulator.to_dict("records")],
        "runs": [{k: _json_value(v) for k, v in row.items()} for row in fit.runs.to_dict("records")],
    }
    lines = [f"  {json.dumps(k)}: {json.dumps(v)}," for k, v in fit.settings.items()]
    for part in ("solution", "emulator", "runs"):
        rows = ",\n".join(f"    {json.dumps(row)}" for row in record[part])
        lines.append(f"  {json.dumps(part)}: [\n{rows}\n  ]" + ("," if part != "runs" else ""))
    path.write_text("{\n" + "\n".join(lines) + "\n}\n", encoding="utf-8")
    return record


def read_effects_record(path: Path) -> dict[str, Any]:
    """Read a record of :func:`record_effects`, checking that it fits exactly the declared effects."""
    from bipsim.ensemble.calibrate import EFFECTS

    if not path.is_file():
        raise FileNotFoundError(f"{path}: no record of the effects' calibration; make it with `{EFFECTS_COMMAND}`")
    record = json.loads(path.read_text(encoding="utf-8"))
    fitted = [row["parameter"] for row in record["solution"]]
    if fitted != list(EFFECTS):
        raise ValueError(
            f"{path}: the record fits {', '.join(fitted)}, not {', '.join(EFFECTS)}; remake it with `{EFFECTS_COMMAND}`"
        )
    return record | {"file": path.name}


def effects_section(record: dict[str, Any]) -> str:
    """Render the effects' calibration: per parameter, the published association, the value and how sure it is."""
    from bipsim.analysis.calibration import ASSOCIATION_SE

    rows = [
        "| parameter | target (published association) | identified? | causal multiplier | Monte Carlo 95% interval | "
        "values that give the published figure's 95% interval | association the model then shows |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in record["solution"]:
        if row["identified"]:
            verdict = f"yes (the association moves by {row['association_reach']:.2f} on the log scale)"
            interval = f"{row['mc_low']:.2f} – {row['mc_high']:.2f}"
            published = f"{row['published_interval_low']:.2f} – {row['published_interval_high']:.2f}"
            value = f"**{row['value']:.2f}** (calibrated)"
        else:
            verdict = (
                f"**no**: over the design range the association moves by {row['association_reach']:.2f} on the log "
                f"scale, less than the published figure's own 95% interval ({2 * 1.96 * ASSOCIATION_SE:.2f})"
            )
            interval = published = "—"
            value = f"{row['value']:.2f} (assumption, kept)"
        cells = (
            f"`{row['parameter']}`",
            f"`{row['target']}` = {row['published']:.2f}",
            verdict,
            value,
            interval,
            published,
            f"{row['emulated_association']:.2f}",
        )
        rows.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    fits = ", ".join(f"`{row['target']}` R² {row['r_squared']:.2f}" for row in record["emulator"])
    header = (
        f"Scenario `{record['scenario']}`, seed {record['seed']}: a Latin hypercube of {record['points']} settings of "
        f"the four effects, each run {record['replications']} times at {int(record['citizens']):,} citizens × "
        f"{int(record['weeks'])} weeks ({len(record['runs'])} runs). Emulators (log association on the log "
        f"multipliers, least squares): {fits}. Recorded in `{record.get('file', 'the record')}` by "
        f"`{EFFECTS_COMMAND}`.\n\n"
    )
    return header + "\n".join(rows) + "\n"


# --- history matching: the behaviour parameters against every outcome figure ---------------------------------

HISTORY_COMMAND = "python -m bipsim.reports.docs --fit"
HISTORY_RECORD = "history_matching.json"


def packaged_ensemble() -> Path:
    """Where bipsim ships the baseline's plausible ensemble (parameter vectors only)."""
    return Path(__file__).parents[1] / "ensemble" / "data" / "plausible_baseline.csv"


def record_history_match(
    path: Path,
    ensemble: Path | None = None,
    scenario: str = "baseline",
    seed: int = 0,
    self_test_vectors: int = 3,
    workers: int = 2,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """History-match ``scenario`` at the default sizes, run the self-test, write the record and the ensemble.

    The record (``path``) holds every wave, run, emulator diagnostic and implausibility, the region, the
    plausible ensemble, the self-test and the wall time; the ensemble's vectors are also written as CSV to
    ``ensemble`` (by default the packaged file, :func:`packaged_ensemble`).
    """
    import time

    from bipsim.ensemble import history_matching as hm
    from bipsim.scenario import load_scenario

    def stage(description: str, runs: int) -> None:
        if progress is not None:
            progress(f"{description} ({runs} runs)")

    loaded = load_scenario(scenario)
    start = time.perf_counter()
    match = hm.history_match(loaded, seed, workers=workers, stage=stage)
    seconds = time.perf_counter() - start
    start = time.perf_counter()
    sizes = {k: match.settings[k] for k in ("waves", "first_points", "points", "mc_replications")}
    test = hm.self_test(loaded, self_test_vectors, seed, workers=workers, stage=stage, reuse=match, verify=0, **sizes)
    record = hm.to_record(
        match, test, wall_seconds=seconds, self_test_seconds=time.perf_counter() - start, workers=workers
    )
    temporary = path.with_name(f".{path.name}.partial")
    temporary.write_text(hm.record_json(record), encoding="utf-8")
    temporary.replace(path)
    hm.write_ensemble(match.ensemble, ensemble or packaged_ensemble())
    return record


def read_history_record(path: Path) -> dict[str, Any]:
    """Read a history-matching record, checking that it searched exactly the declared parameters."""
    from bipsim.ensemble.history_matching import CALIBRATED

    if not path.is_file():
        raise FileNotFoundError(f"{path}: no history-matching record; make it with `{HISTORY_COMMAND}`")
    record = json.loads(path.read_text(encoding="utf-8"))
    searched = [row["parameter"] for row in record["parameters"]]
    if searched != list(CALIBRATED):
        raise ValueError(f"{path}: the record searched other parameters; remake it with `{HISTORY_COMMAND}`")
    return record | {"file": path.name}


def history_section(record: dict[str, Any]) -> str:
    """Render a history match: the waves, what each parameter is pinned to, the ensemble and the self-test."""
    minutes = record["wall_seconds"] / 60
    out = [
        f"Scenario `{record['scenario']}`, seed {record['seed']}, {int(record['citizens']):,} citizens × "
        f"{int(record['weeks'])} weeks: {record['mc_replications']} runs at the scenario's values for the run-to-run "
        f"variance, then {record['waves_run']} waves ({record['first_points']} vectors, then {record['points']} each) "
        f"and {record['verify']} verification runs — {len(record['runs'])} runs in {minutes:.0f} minutes on "
        f"{record['workers']} local processes. Cutoff {record['cutoff']:g} on the {_ordinal(record['rank'])} largest "
        f"implausibility; model discrepancy {record['discrepancy_sd']:g} on the model scale. Recorded in "
        f"`{record.get('file', 'the record')}` by `{HISTORY_COMMAND}`.\n",
        "| wave | runs | region left after it | emulators: median leave-one-out R² | share of runs within 3 sd |",
        "|---|---|---|---|---|",
    ]
    for wave in record["waves"]:
        r2 = sorted(e["loo_r_squared"] for e in wave["emulators"] if e["loo_r_squared"] is not None)
        within = sorted(e["loo_within_3sd"] for e in wave["emulators"] if e["loo_within_3sd"] is not None)
        out.append(
            f"| {wave['wave']} | {wave['runs']} | {wave['region_share_after']:.1%} of the searched box | "
            f"{r2[len(r2) // 2]:.2f} | {within[len(within) // 2]:.0%} |"
        )
    out += [
        "",
        "| parameter | searched | non-implausible (central 95%) | share of the range left | pinned down? | moves |",
        "|---|---|---|---|---|---|",
    ]
    for row in record["region"]:
        out.append(
            f"| `{row['parameter']}` | {row['searched_low']:g} – {row['searched_high']:g} | "
            f"{row['region_low']:.3g} – {row['region_high']:.3g} | {row['share_of_range']:.0%} | "
            f"{'**yes**' if row['identified'] else 'no'} | {_cell(row['moves'])} |"
        )
    out += [
        "",
        "| target | published | sd (source + discrepancy, model scale) | run-to-run sd |",
        "|---|---|---|---|",
    ]
    for obs in record["observations"]:
        out.append(f"| `{obs['target']}` | {obs['value']:.3g} | {obs['sd']:.3f} | {obs['mc_sd']:.3f} |")
    verified = [
        r for r in record["runs"] if r["implausibility"] is not None and r["implausibility"] <= record["cutoff"]
    ]
    out.append(
        f"\nPlausible ensemble: **{len(record['ensemble'])}** parameter vectors, each one simulated and not "
        f"implausible by its own figures ({len(verified)} of {len(record['runs'])} runs)."
    )
    if "self_test" in record:
        out += [
            "",
            "| self-test vector | known vector non-implausible? | its implausibility | known values inside the "
            "region's central 95% | region left |",
            "|---|---|---|---|---|",
        ]
        vectors: dict[int, list[dict[str, Any]]] = {}
        for row in record["self_test"]:
            vectors.setdefault(row["vector"], []).append(row)
        for vector, rows in vectors.items():
            first = rows[0]
            out.append(
                f"| {vector} | {'yes' if first['known_non_implausible'] else '**no**'} | "
                f"{first['known_implausibility']:.2f} | {sum(r['covers_known'] for r in rows)} of {len(rows)} | "
                f"{first['region_share']:.1%} |"
            )
    return "\n".join(out) + "\n"


def _ordinal(n: int) -> str:
    return {1: "", 2: "second", 3: "third"}.get(n, f"{n}th")


# --- recovery: estimands, methods and a recorded study --------------------------------------------------------

RECOVERY_FIELDS = (
    "estimand",
    "method",
    "outcome",
    "scale",
    "estimand_kind",
    "has_truth",
    "replications",
    "replications_missing",
    "with_truth",
    "true_value",
    "truth_sd",
    "planted",
    "mean_estimate",
    "interval_low",
    "interval_high",
    *MEASURES[MEASURES.index("bias") :],  # every measure from bias on, as recovery computes them
    *PRECISION,
    "estimable",
    "exposed_median",
    "events_median",
)
"""The columns of a recovery study's performance table that a recovery record keeps."""


def _json_value(value: object) -> object:
    """A performance cell for JSON: numbers to 6 significant digits, missing as null."""
    if isinstance(value, bool | str) or value is None:
        return value
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None if value != value else str(value)  # NaN-like objects are missing
    return float(f"{number:.6g}") if math.isfinite(number) else None


def record_recovery(
    path: Path,
    replications: int = 100,
    seed: int = 0,
    citizens: int = 4000,
    weeks: int = 208,
    workers: int = 2,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Run the recovery study of every scenario of :data:`RECOVERY_SCENARIOS` and write the record to ``path``."""
    from bipsim.recovery.study import recover
    from bipsim.scenario import load_scenario

    record: dict[str, Any] = {
        "seed": seed,
        "replications": replications,
        "citizens": citizens,
        "weeks": weeks,
        "workers": workers,
        "scenarios": {},
    }
    for name in RECOVERY_SCENARIOS:
        if progress is not None:
            progress(f"recovering {name}: {replications} replications of {citizens:,} citizens x {weeks} weeks")
        scenario = load_scenario(name).replace(population={"citizens": citizens, "weeks": weeks})
        study = recover(scenario, replications, seed=seed, workers=workers)
        rows = study.performance.reindex(columns=list(RECOVERY_FIELDS))
        record["scenarios"][name] = {
            "failed": study.failed,
            "wall_seconds": round(study.seconds, 1),
            "rows": [{k: _json_value(v) for k, v in row.items()} for row in rows.to_dict(orient="records")],
        }
    record["first_replication"] = first_replication(seed, replications, citizens, weeks)
    path.write_text(_recovery_json(record), encoding="utf-8")
    return record


def first_replication(seed: int, replications: int, citizens: int, weeks: int) -> dict[str, float | None]:
    """The estimates of the first baseline replication of a recorded study, keyed ``estimand|method|outcome``.

    A few seconds at BIP scale: the docs test reruns it to see that the record is what the analyses give now.
    """
    from bipsim.ensemble.plan import Plan
    from bipsim.recovery.replicate import replicate
    from bipsim.scenario import load_scenario

    scenario = load_scenario("baseline").replace(population={"citizens": citizens, "weeks": weeks})
    spec = Plan.sweep(scenario, [{}], replications, seed).runs()[0]
    estimates = replicate(spec.scenario(), spec.seed()).estimates
    keys = estimates["estimand"] + "|" + estimates["method"] + "|" + estimates["outcome"]
    return {key: _json_value(value) for key, value in zip(keys, estimates["estimate"], strict=True)}


def _recovery_json(record: dict[str, Any]) -> str:
    """A recovery record as JSON with one line per performance row, so that a diff shows which rows moved."""
    head = {k: v for k, v in record.items() if k not in ("scenarios", "first_replication")}
    lines = [f"  {json.dumps(k)}: {json.dumps(v)}," for k, v in head.items()]
    first = ",\n".join(f"    {json.dumps(k)}: {json.dumps(v)}" for k, v in record.get("first_replication", {}).items())
    lines.append('  "first_replication": {\n' + first + "\n  },")
    studies = []
    for name, study in record["scenarios"].items():
        rows = ",\n".join(f"        {json.dumps(row)}" for row in study["rows"])
        studies.append(
            f'    {json.dumps(name)}: {{\n      "failed": {study["failed"]},\n      "wall_seconds": '
            f'{json.dumps(study["wall_seconds"])},\n      "rows": [\n{rows}\n      ]\n    }}'
        )
    return "{\n" + "\n".join(lines) + '\n  "scenarios": {\n' + ",\n".join(studies) + "\n  }\n}\n"


def read_recovery_record(path: Path) -> dict[str, Any]:
    """Read a recovery record and check that its rows are the current methods' rows with their current estimands."""
    from bipsim.analysis.methods import METHOD_KEYS, METHODS

    if not path.is_file():
        raise FileNotFoundError(f"{path}: no recovery record; make it with `{RECOVERY_COMMAND}`")
    record = json.loads(path.read_text(encoding="utf-8"))
    declared = {(m.key, m.outcome): m for m in METHODS}
    for name in RECOVERY_SCENARIOS:
        if name not in record.get("scenarios", {}):
            raise ValueError(f"{path}: no {name!r} study; remake it with `{RECOVERY_COMMAND}`")
        rows = record["scenarios"][name]["rows"]
        stale = sorted(
            {
                f"{row['method']}/{row['outcome']}"
                for row in rows
                if (row["method"], row["outcome"]) not in METHOD_KEYS
                or declared[(row["method"], row["outcome"])].estimand_kind != row["estimand_kind"]
            }
        )
        seen = {(row["estimand"], row["method"], row["outcome"]) for row in rows}
        missing = sorted(
            f"{m.key}/{m.outcome} of {mechanism}"
            for m in METHODS
            for mechanism in m.mechanisms
            if (mechanism, m.key, m.outcome) not in seen
        )
        if stale or missing:
            raise ValueError(
                f"{path}: the {name} study is not that of the current methods "
                f"({', '.join(stale + missing)}); remake it with `{RECOVERY_COMMAND}`"
            )
    return record | {"file": path.name}


def _fmt(value: object, digits: int = 3) -> str:
    return f"{value:.{digits}f}" if isinstance(value, int | float) and math.isfinite(value) else "—"


def _with_mcse(value: object, mcse: object, digits: int = 3) -> str:
    if not isinstance(value, int | float):
        return "—"
    return f"{_fmt(value, digits)} ({_fmt(mcse, digits)})" if isinstance(mcse, int | float) else _fmt(value, digits)


def estimand_kinds_table() -> str:
    """The estimand kinds (ADEMP's E) as Markdown."""
    from bipsim.contract.estimands import CONTRASTS, EFFECTS, ESTIMAND_KINDS, POPULATIONS

    label = {t.key: t.en for t in (*POPULATIONS, *CONTRASTS, *EFFECTS)}
    rows = ["| estimand kind | population | contrast | outcome, scale | effect | truth |", "|---|---|---|---|---|---|"]
    for k in ESTIMAND_KINDS:
        truth = k.truth or f"none: {k.no_truth}"
        if k.truth and k.no_truth:
            truth += f" (where none: {k.no_truth})"
        cells = (
            f"`{k.key}` {k.en}",
            label[k.population],
            label[k.contrast],
            f"`{k.outcome}`, {k.scale.replace('_', ' ')}",
            label[k.effect],
            truth,
        )
        rows.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return "\n".join(rows) + "\n"


def methods_table() -> str:
    """The methods, what each targets and sees, and what it assumes, as Markdown."""
    from bipsim.analysis.methods import METHODS, assumption
    from bipsim.contract.estimands import ESTIMAND_KEYS

    rows = ["| method | outcome | lens | targets | sees | assumes |", "|---|---|---|---|---|---|"]
    for m in METHODS:
        sees = "every mechanism but " + ", ".join(e for e in ESTIMAND_KEYS if e not in m.mechanisms)
        cells = (
            f"`{m.key}` {m.en}",
            f"`{m.outcome}`",
            m.lens,
            f"`{m.estimand_kind}`",
            sees,
            "; ".join(assumption(a).en.lower() for a in m.assumptions),
        )
        rows.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return "\n".join(rows) + "\n"


def failures_table() -> str:
    """Which assumption fails for which mechanism's exposure, and why, as Markdown."""
    from bipsim.analysis.methods import FAILURES, assumption

    groups: dict[tuple[str, str], list[str]] = {}
    for (mechanism, name), why in FAILURES.items():
        groups.setdefault((name, why), []).append(mechanism)
    rows = ["| assumption | fails for | why |", "|---|---|---|"]
    for (name, why), mechanisms in groups.items():
        rows.append(f"| {_cell(assumption(name).en)} | {_cell(', '.join(mechanisms))} | {_cell(why)} |")
    return "\n".join(rows) + "\n"


def recovery_study_tables(study: dict[str, Any]) -> str:
    """One recorded study: rows with a truth (every measure), rows without, and rows never estimable."""
    from bipsim.analysis.methods import METHOD_KEYS, METHODS, assumption, failed

    def sees(row: dict[str, Any]) -> bool:
        key = (row["method"], row["outcome"])
        return key in METHOD_KEYS and row["estimand"] in METHODS[METHOD_KEYS.index(key)].mechanisms

    rows = [r for r in study["rows"] if sees(r)]
    scored = [r for r in rows if (r["with_truth"] or 0) > 0]
    detection = [r for r in rows if (r["with_truth"] or 0) == 0 and (r["replications"] or 0) > 0]
    thin = [r for r in rows if (r["replications"] or 0) == 0]
    out = [
        "| mechanism | method | outcome | targets | reps | true (SD) | planted | mean estimate [mean 95% interval] "
        "| bias (MCSE) | relative bias | empirical SE | model SE (error %) | RMSE | coverage (MCSE) "
        "| bias-eliminated coverage | p < 0.05 | precision vs naive % | exposed / events | failing assumptions |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in scored:
        names = [assumption(a).en.lower() for a, _ in failed(r["method"], r["outcome"], r["estimand"])]
        cells = (
            r["estimand"],
            r["method"],
            r["outcome"],
            f"`{r['estimand_kind']}`",
            f"{r['with_truth']:.0f}/{r['replications'] + r['replications_missing']:.0f}",
            f"{_fmt(r['true_value'])} ({_fmt(r['truth_sd'])})",
            _fmt(r["planted"]),
            f"{_fmt(r['mean_estimate'])} [{_fmt(r['interval_low'])}, {_fmt(r['interval_high'])}]",
            _with_mcse(r["bias"], r["bias_mcse"]),
            _with_mcse(r["relative_bias"], r["relative_bias_mcse"], 2),
            _with_mcse(r["empirical_se"], r["empirical_se_mcse"]),
            f"{_fmt(r['model_se'])} ({_fmt(r['model_se_error_pct'], 0)}%)",
            _with_mcse(r["rmse"], r["rmse_mcse"]),
            _with_mcse(r["coverage"], r["coverage_mcse"], 2),
            _with_mcse(r["bias_eliminated_coverage"], r["bias_eliminated_coverage_mcse"], 2),
            _with_mcse(r["rejection"], r["rejection_mcse"], 2),
            _with_mcse(r["relative_precision_pct"], r["relative_precision_pct_mcse"], 0)
            if r["method"] != "register_naive"
            else "—",
            f"{_fmt(r['exposed_median'], 0)} / {_fmt(r['events_median'], 0)}",
            ", ".join(names) or "none",
        )
        out.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    from bipsim.contract.estimands import estimand_kind

    out += [
        "",
        "Estimated, but the estimand has no truth (share of replications with p < 0.05):",
        "",
        "| mechanism | method | outcome | targets | reps | mean estimate | empirical SE | p < 0.05 (MCSE) "
        "| why no truth |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in detection:
        why = estimand_kind(r["estimand_kind"]).no_truth or "not computed"
        cells = (
            r["estimand"],
            r["method"],
            r["outcome"],
            f"`{r['estimand_kind']}`",
            f"{r['replications']:.0f}",
            _fmt(r["mean_estimate"]),
            _fmt(r["empirical_se"]),
            _with_mcse(r["rejection"], r["rejection_mcse"], 2),
            why,
        )
        out.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    listed = "; ".join(
        f"{r['estimand']} × {r['method']} ({r['outcome']}): {_fmt(r['exposed_median'], 0)} / "
        f"{_fmt(r['events_median'], 0)}"
        for r in thin
    )
    out += ["", f"Not estimable in any replication (median exposed citizens / events): {listed or 'none'}."]
    return "\n".join(out) + "\n"


def recovery_section(record: dict[str, Any]) -> str:
    """Render the estimand kinds, the methods, the failing assumptions and the recorded studies as Markdown."""
    runs = ", ".join(
        f"{name} {study['wall_seconds']:.0f} s" + (f" ({study['failed']} failed)" if study["failed"] else "")
        for name, study in record["scenarios"].items()
    )
    parts = [
        f"Recorded in `{record.get('file', 'the recovery record')}` by `{RECOVERY_COMMAND}`: "
        f"{int(record['replications'])} replications of {int(record['citizens']):,} citizens × "
        f"{int(record['weeks'])} weeks per scenario, seed {record['seed']}, {record['workers']} workers "
        f"(wall time: {runs}).\n",
        "#### The estimands\n",
        estimand_kinds_table(),
        "#### The methods\n",
        methods_table(),
        "#### Which assumption fails for which exposure\n",
        failures_table(),
    ]
    for name, study in record["scenarios"].items():
        parts += [f"#### The {name} study\n", recovery_study_tables(study)]
    return "\n".join(parts)


def recovery_records(docs_dir: str | Path) -> list[Path]:
    """The recovery records named by the generated sections of the Markdown files in ``docs_dir``."""
    records = []
    for path in markdown_files(docs_dir):
        for what in sections(path.read_text(encoding="utf-8")):
            words = what.split()
            if len(words) == 2 and words[0] == "recovery" and path.parent / words[1] not in records:
                records.append(path.parent / words[1])
    return records


def rerecover(docs_dir: str | Path, replications: int | None = None, workers: int = 2) -> list[Path]:
    """Remake every recovery record of ``docs_dir`` with the run settings it holds (or those given)."""
    made = []
    for path in recovery_records(docs_dir):
        settings = {"replications": 100, "seed": 0, "citizens": 4000, "weeks": 208}
        if path.is_file():
            old = json.loads(path.read_text(encoding="utf-8"))
            settings |= {k: old[k] for k in settings if k in old}
        if replications is not None:
            settings["replications"] = replications
        record_recovery(path, **settings, workers=workers, progress=lambda m: print(m, file=sys.stderr))
        made.append(path)
    return made


TEACHING_COMMAND = "python -m bipsim.app.teaching"


def read_teaching_record(path: Path) -> dict[str, Any]:
    """The teaching guide's record: what the sandbox shows for each exercise (made by :mod:`bipsim.app.teaching`)."""
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no teaching record; make it with {TEACHING_COMMAND} {path}")
    return json.loads(path.read_text(encoding="utf-8"))


def teaching_section(record: dict[str, Any], exercise: str) -> str:
    """The bullets of one exercise of the teaching guide, with the numbers the sandbox showed when recorded."""
    exercises = record.get("exercises", {})
    if exercise not in exercises:
        raise ValueError(f"the teaching record has no {exercise!r}; it has {', '.join(exercises)}")
    bullets = [
        textwrap.fill(line, MARKDOWN_WIDTH, initial_indent="- ", subsequent_indent="  ", break_on_hyphens=False)
        for line in exercises[exercise]["lines"]
    ]
    return "\n".join(bullets) + "\n"


def render_section(what: str, base: Path | None = None) -> str:
    """Render the body of marker ``what``.

    ``what`` is ``mechanism NAME``, ``params GROUP``, ``indicators``, ``vocabulary TABLE``, ``data_dictionary``,
    ``calibration RECORD`` or ``recovery RECORD`` (a JSON file in ``base``, the page's folder).
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
    if len(words) == 2 and words[0] == "recovery":
        return recovery_section(read_recovery_record((base or Path()) / words[1]))
    if len(words) == 2 and words[0] == "effects":
        return effects_section(read_effects_record((base or Path()) / words[1]))
    if len(words) == 2 and words[0] == "history":
        return history_section(read_history_record((base or Path()) / words[1]))
    if len(words) == 3 and words[0] == "teaching":
        return teaching_section(read_teaching_record((base or Path()) / words[1]), words[2])
    if len(words) == 2 and words[0] == "design":
        from bipsim.reports.design import design_section, read_design_record

        return design_section(read_design_record((base or Path()) / words[1]))
    raise ValueError(
        f"unknown generated section {what!r}; use 'mechanism NAME', 'params GROUP', 'indicators', 'vocabulary TABLE', "
        "'data_dictionary', 'calibration RECORD.json', 'recovery RECORD.json', 'effects RECORD.json', "
        "'history RECORD.json', 'design RECORD.json' or 'teaching RECORD.json EXERCISE'"
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
        help="first rerun the calibration of every calibration record (runs the model; about 20 s of CPU at BIP scale)",
    )
    parser.add_argument(
        "--recover",
        action="store_true",
        help="first rerun the recovery studies of every recovery record (baseline and placebo, 100 replications at "
        "BIP scale on two workers: about 4 minutes each on an idle 2-core machine)",
    )
    parser.add_argument(
        "--fit",
        action="store_true",
        help="first redo the history match and its self-test (docs/history_matching.json and the packaged plausible "
        "ensemble; about 20 minutes at BIP scale on two workers)",
    )
    parser.add_argument(
        "--fit-effects",
        action="store_true",
        help="first refit the causal effects to the published associations (docs/effects.json; about one and a "
        "half minutes at BIP scale on two workers); set the scenario's defaults to its values afterwards",
    )
    parser.add_argument(
        "--design",
        action="store_true",
        help="first redo the recorded design study and scenario discovery (docs/design.json; 600 replications and 288 "
        "discovery replications at up to BIP scale on two workers: about half an hour)",
    )
    parser.add_argument(
        "--replications", type=int, help="with --calibrate or --recover: replications (default: as recorded)"
    )
    parser.add_argument("--seed", type=int, help="with --calibrate: root seed (default: as recorded)")
    parser.add_argument("--workers", type=int, default=2, help="with --recover: local processes (default: 2)")
    args = parser.parse_args(argv)
    docs_dir = Path(args.docs_dir)
    if not docs_dir.is_dir():
        print(f"bipsim.reports.docs: error: {docs_dir} is not a folder", file=sys.stderr)
        return 2
    try:
        if args.fit:
            path = docs_dir / HISTORY_RECORD
            record_history_match(path, workers=args.workers, progress=lambda m: print(m, file=sys.stderr))
            print(f"recorded {path} and {packaged_ensemble()}")
        if args.fit_effects:
            path = docs_dir / "effects.json"
            record_effects(path, workers=args.workers, progress=lambda message: print(message, file=sys.stderr))
            print(f"recorded {path}")
        if args.design:
            from bipsim.reports.design import DESIGN_RECORD, record_design

            path = docs_dir / DESIGN_RECORD
            record_design(path, workers=args.workers)
            print(f"recorded {path}")
        if args.calibrate:
            for path in recalibrate(docs_dir, args.replications, args.seed):
                print(f"recorded {path}")
        if args.recover:
            for path in rerecover(docs_dir, args.replications, args.workers):
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
