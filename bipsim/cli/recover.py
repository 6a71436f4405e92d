"""The ``bipsim recover`` subcommand: replications, analyses and twins, and how well each method recovers the truth."""

from __future__ import annotations

import argparse
import sys

from bipsim.cli.common import UsageError, progress_bar, sized_scenario
from bipsim.cli.ensemble import (
    add_common_arguments,
    as_usage_errors,
    check_common_arguments,
    check_ensemble_size,
    parallel_runs,
    where_runs_go,
)
from bipsim.cli.ensemble import run_manifest as ensemble_manifest


@as_usage_errors
def cmd_recover(args: argparse.Namespace) -> int:
    """Run the recovery study of a scenario, print the ADEMP table and write the results folder."""
    from bipsim.cli.size import record_runs_speed
    from bipsim.recovery.study import recover
    from bipsim.reports.recovery import format_report, write_recovery

    check_common_arguments(args)
    scenario = sized_scenario(args.scenario, args)
    check_ensemble_size(args, scenario, kind="recovery")
    print(
        f"bipsim: {args.replications} replication(s) of {scenario.name!r} on {where_runs_go(args)}; each runs the "
        "model, the instruments, the analyses and the twins their estimands need",
        file=sys.stderr,
    )
    progress = progress_bar(
        f"recover {scenario.name}",
        args.replications,
        unit="replication",
        parallel=parallel_runs(args, args.replications),
    )
    try:
        recovery = recover(
            scenario,
            args.replications,
            seed=args.seed,
            workers=args.workers,
            scheduler=args.scheduler,
            progress=progress,
        )
    except (OSError, TimeoutError) as exc:
        if args.scheduler:
            raise UsageError(f"cannot use the Dask scheduler at {args.scheduler}: {exc}") from None
        raise
    record_runs_speed(
        "recovery",
        recovery.runs.assign(citizens=scenario.population.citizens, weeks=scenario.population.weeks),
    )
    if recovery.failed:
        first = recovery.runs[recovery.runs["status"] != "ok"].iloc[0]
        print(
            f"bipsim: warning: {recovery.failed} of {len(recovery.runs)} replication(s) failed; they are recorded "
            f"in runs.parquet (first: replication {first['replication']}: {first['error']})",
            file=sys.stderr,
        )
    everything_failed = recovery.failed == len(recovery.runs)
    if everything_failed:
        print(f"bipsim recover: every replication failed; nothing to report (first error: {first['error']})")
    else:
        print(format_report(recovery))
    if args.out is not None:
        manifest = ensemble_manifest(args, recovery.plan, design="recovery study (ADEMP)")
        path = write_recovery(recovery, args.out, manifest, force=args.force, language=args.language)
        print(
            f"bipsim: wrote {path} (performance.parquet/.csv, replications.parquet, truth.parquet, runs.parquet, "
            "recovery.html, manifest.json)"
        )
    return 1 if everything_failed else 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``bipsim recover`` to the command line."""
    from bipsim.recovery import EXTENDING

    parser = subparsers.add_parser(
        "recover",
        help="replicate a scenario, run the analyses and the twins, and report bias and coverage (ADEMP)",
        description="Replicate a scenario; in each replication run the study's analyses on the observed data and "
        "compute each method's own estimand from counterfactual twins; report every ADEMP measure with its Monte "
        "Carlo SE.",
        epilog=EXTENDING,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "scenario", nargs="?", default=None, help="a scenario file or built-in name (default: baseline)"
    )
    add_common_arguments(parser, replications=100, out_required=False)
    parser.add_argument(
        "--language", default="en", choices=["en", "da"], help="language of recovery.html (default: en)"
    )
    parser.set_defaults(func=cmd_recover)
