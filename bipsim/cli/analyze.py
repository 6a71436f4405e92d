"""The ``bipsim analyze`` subcommand: analyse a folder of observed tables and write a report."""

from __future__ import annotations

import argparse
import sys


def cmd_analyze(args: argparse.Namespace) -> int:
    """Analyse the observed tables of a folder; write tidy tables and a self-contained HTML report."""
    from pathlib import Path

    from bipsim.analysis import AnalysisError, analyze, read_observed
    from bipsim.cli.common import UsageError, check_output, progress_bar
    from bipsim.cli.tables import format_estimates
    from bipsim.reports.analysis import ReportError, check_report_target, write_report

    out = Path(args.out)
    check_output("--out", args.out, check_report_target, args.force)
    try:
        observed = read_observed(args.directory)
        analysis = analyze(observed, progress=progress_bar("analyses", 5, unit="step"))
    except AnalysisError as exc:
        raise UsageError(str(exc)) from None
    try:
        path = write_report(analysis, out, html_page=not args.no_html, force=args.force, language=args.language)
    except ReportError as exc:
        raise UsageError(f"--out {out}: {exc}") from None
    for warning in analysis.warnings:
        print(f"bipsim: warning: {warning}", file=sys.stderr)
    where = f"{out / 'tables'}" if args.no_html else f"{out / 'tables'} and {path}"
    print(f"bipsim analyze: wrote {len(analysis.tables)} tables to {where}")
    print()
    print(format_estimates(analysis.estimates))
    print(f"\nEvery row with its full note: {out / 'tables' / 'estimates.csv'}")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``bipsim analyze`` to the command line."""
    parser = subparsers.add_parser("analyze", help="analyse a bundle's observed tables and write a report")
    parser.add_argument(
        "directory", help="a bundle, or any folder with the observed tables (register_weeks.parquet, ...)"
    )
    parser.add_argument("--out", required=True, help="folder for the tables (tables/*.csv) and report.html")
    parser.add_argument("--no-html", action="store_true", help="write only the tables")
    parser.add_argument("--force", action="store_true", help="replace an earlier report at --out")
    parser.add_argument(
        "--language", default="en", choices=["en", "da"], help="language of report.html (default: en; da: Danish)"
    )
    parser.set_defaults(func=cmd_analyze, simulates=False)
