"""The ``bipsim follow`` subcommand: one citizen's life in a bundle, on the console and as a figure."""

from __future__ import annotations

import argparse

from bipsim.cli.common import whole_number


def cmd_follow(args: argparse.Namespace) -> int:
    """Print citizen ``args.citizen_id``'s timeline, survey answers and interviews; with ``--out`` draw them."""
    from bipsim.cli.common import UsageError, check_output
    from bipsim.dataset import read_bundle
    from bipsim.reports.follow import FollowError, check_target, format_life, read_life, write_figures

    if args.out is not None:
        check_output("--out", args.out, check_target, args.force)
    bundle = read_bundle(args.bundle)
    try:
        life = read_life(bundle, args.citizen_id, truth=args.truth)
    except FollowError as exc:
        raise UsageError(str(exc)) from None
    print(format_life(life, args.language))
    if args.out is not None:
        try:
            page, png = write_figures(life, args.out, args.language, force=args.force)
        except FollowError as exc:
            raise UsageError(f"--out {args.out}: {exc}") from None
        print(f"bipsim: figures {page} and {png}")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``bipsim follow`` to the command line."""
    parser = subparsers.add_parser(
        "follow", help="print (and draw) one citizen's register spells, caseworkers, survey answers and interviews"
    )
    parser.add_argument("bundle", help="a bundle folder written by bipsim run --out")
    parser.add_argument("citizen_id", metavar="CITIZEN_ID", type=whole_number, help="the citizen's id (citizen_id)")
    parser.add_argument(
        "--truth", action="store_true", help="also show the truth: true status, hidden events and latent readiness"
    )
    parser.add_argument("--language", default="en", choices=["en", "da"], help="language of labels (default: en)")
    parser.add_argument("--out", default=None, help="write the timeline as FILE.html and FILE.png beside it")
    parser.add_argument("--force", action="store_true", help="replace existing figures at --out")
    parser.set_defaults(func=cmd_follow, simulates=False)
