"""The ``bipsim qda`` subcommands: a bundle's interviews as a REFI-QDA project, and the scoring of a coded project.

``bipsim qda export BUNDLE --out study.qdpx`` writes a project that NVivo, ATLAS.ti, MAXQDA and QualCoder import;
``bipsim qda score study.qdpx`` reads a project back (coded by a student in their own program) and reports each
coder's agreement with the truth per code. See :mod:`bipsim.dataset.qda`.
"""

from __future__ import annotations

import argparse
import math
from typing import TYPE_CHECKING

from bipsim.dataset.qda import LANGUAGES

if TYPE_CHECKING:
    import pandas as pd

MISSED_SHOWN = 8
"""Interviews listed per missed code on the console; ``--json`` lists them all."""


def cmd_export(args: argparse.Namespace) -> int:
    """Write the interviews of ``args.bundle`` as a REFI-QDA project at ``--out``."""
    from bipsim.cli.common import UsageError, check_output
    from bipsim.dataset import read_bundle
    from bipsim.dataset.qda import QdaError, check_target, export_project

    if not args.out.lower().endswith(".qdpx"):
        raise UsageError(f"--out {args.out}: name a .qdpx file (REFI-QDA programs open only that extension)")
    check_output("--out", args.out, check_target, args.force)
    bundle = read_bundle(args.bundle)
    try:
        path = export_project(bundle, args.out, language=args.language, truth=args.with_truth, force=args.force)
    except QdaError as exc:
        raise UsageError(str(exc)) from None
    interviews = bundle.interviews
    users = "coders A and B and the truth" if args.with_truth else "coders A and B"
    print(
        f"bipsim qda export: wrote {path}: {len(interviews)} interviews of {interviews['citizen_id'].nunique()} "
        f"citizens (cases), the codebook of interview themes and the codings of {users}"
    )
    return 0


def cmd_score(args: argparse.Namespace) -> int:
    """Score every coder of ``args.project`` against the truth and print the agreement per code."""
    from bipsim.cli.common import UsageError
    from bipsim.dataset import read_bundle
    from bipsim.dataset.qda import QdaError, read_project, score_json, score_project

    try:
        project = read_project(args.project)
        bundle = read_bundle(args.bundle) if args.bundle is not None else None
        score = score_project(project, bundle)
    except QdaError as exc:
        raise UsageError(str(exc)) from None
    if args.json:
        print(score_json(score))
        return 0
    print(f"bipsim qda score: {args.project}: {score.interviews} interviews, truth from {score.truth}")
    if score.table.empty:
        print("  no codings by any coder other than the truth")
        return 0
    print(format_scores(score.table, score.missed))
    print(
        "kappa: Cohen's kappa of 'applied the code to the interview' against the truth (n/a: no variation); "
        "precision and recall of the coder's yes."
    )
    return 0


def _number(value: float) -> str:
    return "n/a" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{value:.2f}"


def format_scores(table: pd.DataFrame, missed: pd.DataFrame) -> str:
    """The score table per coder as aligned text, each code's missed interviews below it."""
    lines = []
    for user, rows in table.groupby("user", sort=False):
        lines.append(f"coder {user!r}")
        lines.append(f"  {'code':<18} {'truth':>5} {'coded':>5} {'agreed':>6} {'kappa':>6} {'prec.':>6} {'recall':>6}")
        for row in rows.itertuples(index=False):
            lines.append(
                f"  {row.code:<18} {row.truth:>5} {row.coded:>5} {row.agreed:>6} {_number(row.kappa):>6} "
                f"{_number(row.precision):>6} {_number(row.recall):>6}"
            )
        mine = missed[missed["user"] == user]
        for code, sources in mine.groupby("code", sort=False)["source"]:
            shown = "; ".join(sources.head(MISSED_SHOWN))
            more = f"; and {len(sources) - MISSED_SHOWN} more" if len(sources) > MISSED_SHOWN else ""
            lines.append(f"  missed {code}: {shown}{more}")
    return "\n".join(lines)


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``bipsim qda export`` and ``bipsim qda score`` to the command line."""
    parser = subparsers.add_parser(
        "qda", help="export the interviews as a REFI-QDA project (NVivo, ATLAS.ti, MAXQDA, QualCoder) and score one"
    )
    commands = parser.add_subparsers(dest="qda_command", metavar="export|score", required=True)
    export = commands.add_parser("export", help="write a bundle's interviews, codebook and codings as a .qdpx file")
    export.add_argument("bundle", help="a bundle folder written by bipsim run --out")
    export.add_argument("--out", required=True, help="the .qdpx file to write")
    export.add_argument(
        "--language", default="en", choices=LANGUAGES, help="language of the transcripts and code names (default: en)"
    )
    export.add_argument(
        "--with-truth",
        action="store_true",
        help="add the true themes as the user 'truth' and the citizens' orientation (for teachers)",
    )
    export.add_argument("--force", action="store_true", help="replace an existing --out file")
    export.set_defaults(func=cmd_export, simulates=False)
    score = commands.add_parser("score", help="score the coders of a .qdpx project against the truth, per code")
    score.add_argument("project", help="a .qdpx file exported by bipsim qda export, maybe coded in a QDA program")
    score.add_argument(
        "--bundle", default=None, help="the bundle the project was exported from (default: the project's user 'truth')"
    )
    score.add_argument("--json", action="store_true", help="print the scores and every missed interview as JSON")
    score.set_defaults(func=cmd_score, simulates=False)
