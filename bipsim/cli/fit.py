"""``bipsim calibrate --fit``: history matching of the behaviour parameters to the published outcome figures.

Kept apart from :mod:`bipsim.cli.main` because it imports scikit-learn and the model only when it runs.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bipsim.cli.common import UsageError, check_output, progress_bar, scenario_with_size

RECORD = "history_matching.json"
ENSEMBLE = "plausible.csv"


def fit_command(args: argparse.Namespace) -> int:
    """History-match the behaviour parameters; print each wave, the region and the plausible ensemble.

    With ``--out DIR`` the record (:data:`RECORD`) and the plausible ensemble (:data:`ENSEMBLE`, the file
    ``bipsim compare --ensemble`` reads) are written to a folder that appears only when complete.
    """
    from bipsim.cli.size import Stopwatch
    from bipsim.contract.files import move_into_place, remove_sibling, temporary_sibling
    from bipsim.ensemble import history_matching as hm

    args.points = 60 if args.points is None else args.points
    for option, value, least in (
        ("--waves", args.waves, 1),
        ("--points", args.points, len(hm.CALIBRATED) + 3),
        ("--later-points", args.later_points, 2),
        ("--verify", args.verify, 0),
        ("--workers", args.workers, 1),
        ("--self-test", args.self_test, 0),
    ):
        if value < least:
            raise UsageError(f"{option} must be at least {least}, not {value}")
    if args.out is not None:
        check_output("--out", args.out, _check_fit_output, args.force)
    scenario = scenario_with_size(args)
    sizes = {"waves": args.waves, "first_points": args.points, "points": args.later_points, "verify": args.verify}

    def stage(description: str, runs: int) -> Callable[[int, int], None]:
        return progress_bar(description, runs, unit="run", parallel=args.workers)

    print(
        f"bipsim calibrate --fit: scenario {scenario.name!r}, seed {args.seed}, {len(hm.CALIBRATED)} parameters, "
        f"{args.waves} wave(s) ({args.points} then {args.later_points} vectors) at "
        f"{scenario.population.citizens:,} citizens x {scenario.population.weeks} weeks",
        flush=True,
    )
    with Stopwatch() as watch:
        match = hm.history_match(
            scenario, args.seed, workers=args.workers, scheduler=args.scheduler, stage=stage, **sizes
        )
    test = None
    if args.self_test:
        test = hm.self_test(
            scenario,
            args.self_test,
            args.seed,
            workers=args.workers,
            scheduler=args.scheduler,
            stage=stage,
            reuse=match,
            **sizes | {"verify": 0},
        )
    print(format_fit(match, test, watch.seconds))
    if args.out is not None:
        target = Path(args.out).absolute()
        temporary = temporary_sibling(target)
        try:
            record = hm.to_record(match, test, wall_seconds=round(watch.seconds, 1), workers=args.workers)
            (temporary / RECORD).write_text(hm.record_json(record), encoding="utf-8")
            hm.write_ensemble(match.ensemble, temporary / ENSEMBLE)
            move_into_place(temporary, target, replace=args.force)
        except BaseException:
            remove_sibling(temporary)
            raise
        print(f"bipsim: wrote {target / RECORD} and {target / ENSEMBLE}")
    return 0


def _check_fit_output(path: Path, force: bool) -> None:
    if path.exists() and not path.is_dir():
        raise ValueError(f"{path} is a file, not a folder")
    if path.exists() and not force:
        raise ValueError(f"{path} exists; add --force to replace it")


def format_fit(match: Any, test: Any, seconds: float) -> str:
    """What a history match found: each wave, how far each parameter is pinned down, the ensemble, the self-test."""
    from bipsim.ensemble.history_matching import identified

    lines = ["wave  runs  region left  emulators: median leave-one-out R², share of runs within 3 SD"]
    for wave in match.waves:
        diag = wave.diagnostics
        lines.append(
            f"{wave.number:>4}  {len(wave.design):>4}  {wave.nroy_share:>10.1%}   "
            f"{diag['loo_r_squared'].median():.2f}, {diag['loo_within_3sd'].median():.0%}"
        )
    if match.region["region_low"].isna().all():
        lines.append(
            "no region left: no parameter vector reproduces the published outcome figures here (at a small "
            "--citizens or --weeks the counts and shares cannot reach BIP's; fit at BIP scale)"
        )
        lines.append(f"({len(match.runs)} runs in {seconds / 60:.1f} minutes)")
        return "\n".join(lines)
    pinned = identified(match.region)
    lines.append(
        "parameter                                   searched           non-implausible (central 95%)  share  pinned"
    )
    for row in match.region.itertuples():
        lines.append(
            f"{row.parameter:<43} {row.searched_low:>8.4g}-{row.searched_high:<8.4g}  "
            f"{row.region_low:>9.4g}-{row.region_high:<9.4g}            {row.share_of_range:>6.0%}  "
            f"{'yes' if pinned[row.parameter] else 'no'}"
        )
    lines.append(
        f"plausible ensemble: {len(match.ensemble)} parameter vectors, each verified by simulation "
        f"({len(match.runs)} runs in {seconds / 60:.1f} minutes)"
    )
    if test is not None:
        for vector, rows in test.groupby("vector"):
            first = rows.iloc[0]
            verdict = "non-implausible" if first["known_non_implausible"] else "RULED OUT"
            lines.append(
                f"self-test vector {vector}: {verdict} (implausibility {first['known_implausibility']:.2f}); "
                f"the region's central 95% holds {int(rows['covers_known'].sum())} of {len(rows)} known values"
            )
    return "\n".join(lines)


def add_fit_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``bipsim calibrate --fit``."""
    from bipsim.cli.common import whole_number

    parser.add_argument(
        "--fit",
        action="store_true",
        help="history-match the behaviour parameters to the published outcome figures (waves of designs, Gaussian "
        "process emulators, implausibility) and write the plausible ensemble with --out (about 8 minutes at BIP "
        "scale on 2 workers with the defaults)",
    )
    parser.add_argument("--waves", type=whole_number, default=3, help="with --fit: waves (default: 3)")
    parser.add_argument(
        "--later-points", type=whole_number, default=40, help="with --fit: vectors in each later wave (default: 40)"
    )
    parser.add_argument(
        "--verify", type=whole_number, default=20, help="with --fit: final-region vectors simulated (default: 20)"
    )
    parser.add_argument(
        "--self-test",
        type=whole_number,
        default=0,
        help="with --fit: also fit figures simulated at this many known vectors and say whether each is recovered",
    )
    parser.add_argument("--scheduler", default=None, help="with --fit: address of a running Dask scheduler")
    parser.add_argument("--out", default=None, help="with --fit: folder for the record and plausible.csv")
    parser.add_argument("--force", action="store_true", help="with --fit: replace an existing --out folder")
