"""Generated parts of the documentation: parameter tables from the scenario declaration, the indicator table.

Markdown files hold hand-written prose and marked sections that are rendered from the package's tables::

    <!-- generated: params turnover -->   (the parameters of one scenario group)
    <!-- end generated -->
    <!-- generated: indicators -->        (the progression indicators)
    <!-- end generated -->
    <!-- generated: vocabulary statuses -->  (statuses, orientations, interventions, caseworker_styles, ...)
    <!-- end generated -->

:func:`write_generated` rewrites what lies between the markers and keeps everything else, so numbers in the
documentation never drift from ``scenario.GROUPS`` and the tables of :mod:`bipsim.vocabulary`. Refresh with
``python -m bipsim.docs [DOCS_DIR]`` (default: ``docs``).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from pathlib import Path

import param

from bipsim.scenario import GROUPS, MECHANISMS, builtin_scenarios, parameter_names, toml_value
from bipsim.vocabulary import (
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

END_MARKER = "<!-- end generated -->"
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


def render_section(what: str) -> str:
    """Render the body of marker ``what``: ``params GROUP``, ``indicators`` or ``vocabulary TABLE``."""
    words = what.split()
    if words == ["indicators"]:
        return indicators_table()
    if len(words) == 2 and words[0] == "params":
        return params_table(words[1])
    if len(words) == 2 and words[0] == "vocabulary":
        return vocabulary_table(words[1])
    raise ValueError(f"unknown generated section {what!r}; use 'params GROUP', 'indicators' or 'vocabulary TABLE'")


def render(text: str) -> str:
    """Return ``text`` with every generated section re-rendered; prose outside the markers is unchanged."""
    return SECTION.sub(lambda m: m.group(1) + render_section(m.group("what").strip()) + m.group(4), text)


def markdown_files(docs_dir: str | Path) -> list[Path]:
    """Return the Markdown files of a documentation folder, sorted."""
    return sorted(Path(docs_dir).glob("*.md"))


def stale(docs_dir: str | Path) -> list[Path]:
    """Return the files in ``docs_dir`` whose generated sections differ from a fresh rendering."""
    return [path for path in markdown_files(docs_dir) if render(text := path.read_text(encoding="utf-8")) != text]


def write_generated(docs_dir: str | Path) -> list[Path]:
    """Rewrite the generated sections of the Markdown files in ``docs_dir``; return the files changed."""
    changed = []
    for path in markdown_files(docs_dir):
        text = path.read_text(encoding="utf-8")
        fresh = render(text)
        if fresh != text:
            path.write_text(fresh, encoding="utf-8")
            changed.append(path)
    return changed


def main(argv: Sequence[str] | None = None) -> int:
    """Refresh the generated sections of the documentation folder."""
    parser = argparse.ArgumentParser(prog="python -m bipsim.docs", description=main.__doc__)
    parser.add_argument("docs_dir", nargs="?", default="docs", help="folder of Markdown files (default: docs)")
    args = parser.parse_args(argv)
    docs_dir = Path(args.docs_dir)
    if not docs_dir.is_dir():
        print(f"bipsim.docs: error: {docs_dir} is not a folder", file=sys.stderr)
        return 2
    try:
        changed = write_generated(docs_dir)
    except (KeyError, ValueError) as exc:
        print(f"bipsim.docs: error: {exc}", file=sys.stderr)
        return 2
    for path in changed:
        print(f"updated {path}")
    if not changed:
        print(f"{docs_dir}: generated sections are up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
