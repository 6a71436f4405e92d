"""The ``bipsim export`` subcommand: a bundle's tables as CSV, Stata or Excel files, with labels."""

from __future__ import annotations

import argparse


def cmd_export(args: argparse.Namespace) -> int:
    """Export a bundle's observed and code tables (and its truth with ``--truth``) to ``--out``."""
    from bipsim.cli.common import UsageError, check_output, progress_bar
    from bipsim.dataset.export import FORMATS, ExportError, check_target, export_bundle

    if args.format not in FORMATS:
        raise UsageError(f"--format {args.format}: one of {', '.join(FORMATS)}")
    check_output("--out", args.out, check_target, args.force)
    try:
        path = export_bundle(
            args.bundle,
            args.out,
            args.format,
            language=args.language,
            truth=args.truth,
            force=args.force,
            progress=progress_bar("exporting", 3 if args.truth else 2, unit="group"),
        )
    except ExportError as exc:
        raise UsageError(str(exc)) from None
    files = sorted(p.relative_to(path) for p in path.rglob("*") if p.is_file())
    print(f"bipsim export: wrote {len(files)} files to {path}")
    for file in files:
        print(f"  {file}")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``bipsim export`` to the command line."""
    parser = subparsers.add_parser("export", help="export a bundle's tables as csv, stata or xlsx files")
    parser.add_argument("bundle", help="a bundle folder written by bipsim run --out")
    parser.add_argument("--format", required=True, choices=["csv", "stata", "xlsx"], help="file format")
    parser.add_argument("--out", required=True, help="folder to write the files to")
    parser.add_argument("--language", default="en", choices=["en", "da"], help="language of labels (default: en)")
    parser.add_argument("--truth", action="store_true", help="also export the truth tables (for teaching)")
    parser.add_argument("--force", action="store_true", help="replace an existing --out folder")
    parser.set_defaults(func=cmd_export)
