"""The ``bipsim export`` subcommand: the tables of any folder bipsim writes as CSV, Stata or Excel files, with labels.

A bundle (``bipsim run --out``) or the results of ``compare``, ``sweep``, ``sensitivity``, ``recover`` or
``analyze``; :func:`bipsim.dataset.export.folder_kind` tells which.
"""

from __future__ import annotations

import argparse

from bipsim.dataset.export import FORMATS, KINDS, LANGUAGES


def cmd_export(args: argparse.Namespace) -> int:
    """Export the tables of ``args.folder`` (and a bundle's truth with ``--truth``) to ``--out``."""
    from bipsim.cli.common import UsageError, check_output, progress_bar
    from bipsim.dataset.export import ExportError, check_target, export_bundle, export_results, folder_kind

    if args.format not in FORMATS:
        raise UsageError(f"--format {args.format}: one of {', '.join(FORMATS)}")
    try:
        kind = folder_kind(args.folder)
    except ExportError as exc:
        raise UsageError(str(exc)) from None
    if args.truth and kind != "bundle":
        raise UsageError(f"--truth: only a bundle has truth tables; {args.folder} holds the results of {kind}")
    check_output("--out", args.out, check_target, args.force)
    try:
        if kind == "bundle":
            path = export_bundle(
                args.folder,
                args.out,
                args.format,
                language=args.language,
                truth=args.truth,
                force=args.force,
                progress=progress_bar("exporting", 3 if args.truth else 2, unit="group"),
            )
        else:
            path = export_results(args.folder, args.out, args.format, kind, language=args.language, force=args.force)
    except ExportError as exc:
        raise UsageError(str(exc)) from None
    files = sorted(p.relative_to(path) for p in path.rglob("*") if p.is_file())
    print(f"bipsim export: wrote the tables of a {kind} folder as {len(files)} files to {path}")
    for file in files:
        print(f"  {file}")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``bipsim export`` to the command line."""
    parser = subparsers.add_parser(
        "export", help="export the tables of a bundle or of a results folder as csv, stata or xlsx files"
    )
    parser.add_argument(
        "folder", help=f"a folder bipsim wrote: {KINDS[0]} (run --out) or the --out of {', '.join(KINDS[1:])}"
    )
    parser.add_argument("--format", required=True, choices=FORMATS, help="file format")
    parser.add_argument("--out", required=True, help="folder to write the files to")
    parser.add_argument(
        "--language", default="en", choices=LANGUAGES, help="language of the labels (default: en; da: Danish)"
    )
    parser.add_argument("--truth", action="store_true", help="also export a bundle's truth tables (for teaching)")
    parser.add_argument("--force", action="store_true", help="replace an existing --out folder")
    parser.set_defaults(func=cmd_export)
