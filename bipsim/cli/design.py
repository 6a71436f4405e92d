"""``bipsim design`` and ``bipsim discover``: how big a study, which design, and where a method fails."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bipsim.cli.common import UsageError, progress_bar, sized_scenario
from bipsim.cli.ensemble import (
    add_common_arguments,
    as_usage_errors,
    check_common_arguments,
    check_ensemble_size,
    parallel_runs,
    parsed,
    run_manifest,
    where_runs_go,
)

R_MAPPING = (
    "simulations.csv is the layout of DeclareDesign's diagnose_design(simulations_df = ...) and rsimsum's "
    "simsum(): see docs/research.md"
)


def _scheduler_errors(args: argparse.Namespace, work):  # noqa: ANN001, ANN202 - a thin wrapper
    try:
        return work()
    except (OSError, TimeoutError) as exc:
        if args.scheduler:
            raise UsageError(f"cannot use the Dask scheduler at {args.scheduler}: {exc}") from None
        raise


def _estimands(text: str | None) -> list[str] | None:
    from bipsim.contract.estimands import ESTIMANDS

    if text is None:
        return None
    known = [e.key for e in ESTIMANDS]
    names = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name not in known]
    if unknown or not names:
        unknown_text = ", ".join(unknown) or repr(text)
        raise UsageError(f"--estimand {text!r}: unknown estimand {unknown_text}; known: {', '.join(known)}")
    return names


@as_usage_errors
def cmd_design(args: argparse.Namespace) -> int:
    """Diagnose every design of the ``--vary`` grid: bias, RMSE, coverage and power per estimand and method."""
    from bipsim.ensemble.plan import parse_vary
    from bipsim.ensemble.results import write_results
    from bipsim.recovery.design import design_plan, design_study, smallest_designs, tidy_simulations
    from bipsim.reports.design import draw_design_png, format_design_table, format_smallest

    check_common_arguments(args)
    scenario = sized_scenario(args.scenario, args)
    varied = [parsed("--vary", text, parse_vary, scenario) for text in args.vary]
    names = [name for name, _ in varied]
    if len(set(names)) != len(names):
        raise UsageError(f"--vary names a parameter twice: {', '.join(names)}")
    estimands = _estimands(args.estimand)
    plan, designs, tasks = design_plan(scenario, varied, args.replications, args.seed)
    largest = max(plan.runs(), key=lambda spec: spec.scenario().population.citizens).scenario()
    check_ensemble_size(args, largest, settings=len(plan.settings), settings_from="--vary", kind="recovery")
    print(
        f"bipsim: {len(designs)} design(s) of {scenario.name!r} studying {len(plan.settings)} world(s), "
        f"{args.replications} replication(s) each, on {where_runs_go(args)}; each replication runs a world and its "
        "twins once and observes it with every design of that world",
        file=sys.stderr,
    )
    progress = progress_bar(
        f"design {scenario.name}", len(tasks), unit="replication", parallel=parallel_runs(args, len(tasks))
    )
    study = _scheduler_errors(
        args,
        lambda: design_study(scenario, varied, args.replications, args.seed, args.workers, args.scheduler, progress),
    )
    if study.failed:
        first = study.runs[study.runs["status"] != "ok"].iloc[0]
        print(
            f"bipsim: warning: {study.failed} of {len(study.runs)} replication(s) failed; they are recorded in "
            f"runs.parquet (first: world {first['world_id']}, replication {first['replication']}: {first['error']})",
            file=sys.stderr,
        )
        if study.failed == len(study.runs):
            print(f"bipsim design: every replication failed; nothing to report (first error: {first['error']})")
            return 1
    print(format_design_table(study, estimands))
    print()
    print(format_smallest(study, estimands))
    if args.out is not None:
        manifest = run_manifest(args, plan, design="design study (diagnosis per design)")
        manifest["designs"] = study.designs.to_dict("records")
        manifest["design"] = {"wall_seconds": round(study.seconds, 3), "failed": study.failed}
        tables = {
            "designs": study.designs,
            "performance": study.performance,
            "smallest": smallest_designs(study),
            "replications": study.replications,
            "truth": study.truth,
            "runs": study.runs,
        }
        files = {
            "performance.csv": lambda path: study.performance.to_csv(path, index=False),
            "simulations.csv": lambda path: tidy_simulations(study).to_csv(path, index=False),
            "design.png": lambda path: draw_design_png(study, path, estimands),
        }
        path = write_results(args.out, tables, manifest, files=files, force=args.force)
        print(f"bipsim: wrote {path} (design.png, performance.csv, simulations.csv, *.parquet, manifest.json)")
        print(f"bipsim: {R_MAPPING}", file=sys.stderr)
    return 0


@as_usage_errors
def cmd_discover(args: argparse.Namespace) -> int:
    """Sample the world's parameters, score one method on one estimand, and find PRIM's boxes where it fails."""
    from bipsim.ensemble.plan import parse_range
    from bipsim.ensemble.results import write_results
    from bipsim.recovery.discover import CriterionError, check_criterion, check_target, discover
    from bipsim.reports.design import draw_discovery_png, format_discovery

    check_common_arguments(args)
    if args.n < 4:
        raise UsageError(f"--n must be at least 4 (samples for PRIM to split), not {args.n}")
    scenario = sized_scenario(args.scenario, args)
    ranges = [parsed("--ranges", text, parse_range, scenario) for text in args.ranges]
    if not ranges:
        raise UsageError("give at least one --ranges name=lo:hi, e.g. --ranges turnover.quit_probability=0.001:0.01")
    (estimand,) = _estimands(args.estimand) or [None]
    try:
        check_criterion(args.criterion)
        method, outcome, _ = check_target(estimand, args.method, args.outcome)
    except CriterionError as exc:
        raise UsageError(str(exc)) from None
    check_ensemble_size(args, scenario, settings=args.n, settings_from=f"--n {args.n}", kind="recovery")
    print(
        f"bipsim: {args.n} sampled world(s) x {args.replications} replication(s) of {scenario.name!r} on "
        f"{where_runs_go(args)}; each replication runs the model, the instruments, the analyses and the twin of "
        f"{estimand} only",
        file=sys.stderr,
    )
    runs = args.n * args.replications
    progress = progress_bar(f"discover {scenario.name}", runs, unit="replication", parallel=parallel_runs(args, runs))
    found = _scheduler_errors(
        args,
        lambda: discover(
            scenario,
            ranges,
            args.n,
            estimand,
            method,
            outcome,
            args.criterion,
            args.replications,
            args.seed,
            args.workers,
            args.scheduler,
            progress,
        ),  # fmt: skip
    )
    print(format_discovery(found))
    if args.out is not None:
        manifest = run_manifest(
            args,
            found.plan,
            design="scenario discovery (PRIM)",
            discovery={
                "estimand": estimand,
                "method": method,
                "outcome": outcome,
                "criterion": args.criterion,
                "failures": found.failures,
                "boxes": [
                    {
                        "coverage": b.coverage,
                        "density": b.density,
                        "mass": b.mass,
                        "limits": {name: [row["low"], row["high"]] for name, row in b.limits.iterrows()},
                    }
                    for b in found.boxes
                ],
                "wall_seconds": round(found.seconds, 3),
            },
        )
        files = {
            "samples.csv": lambda path: found.samples.to_csv(path, index=False),
            "discovery.png": lambda path: draw_discovery_png(found, path),
        }
        tables = {"samples": found.samples, "replications": found.replications}
        path = write_results(args.out, tables, manifest, files=files, force=args.force)
        print(f"bipsim: wrote {Path(path)} (discovery.png, samples.csv, *.parquet, manifest.json)")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``bipsim design`` and ``bipsim discover`` to the command line."""
    design = subparsers.add_parser(
        "design",
        help="diagnose study designs: bias, RMSE, coverage and power per design, estimand and method",
        description="Study the same worlds with every design of a grid (--vary, e.g. survey.waves=4,8,16 and "
        "population.citizens=1000,4000): each replication runs a world and its twins once and observes it with "
        "every design of that world; reports per design, estimand and method the bias, RMSE, coverage and power "
        "(or type I error) with Monte Carlo SEs, the smallest design with power >= 0.8 and coverage >= 0.9, and a "
        "figure. The design groups (what a design may change without changing the world): survey, survey_response, "
        "citizen_rating, caseworker_rating, qualitative_study.",
    )
    design.add_argument(
        "scenario", nargs="?", default=None, help="a scenario file or built-in name (default: baseline)"
    )
    design.add_argument(
        "--vary",
        action="append",
        default=[],
        metavar="NAME=V1,V2",
        help="a design (or world) parameter and its values; repeat for a grid",
    )
    design.add_argument(
        "--estimand",
        default=None,
        help="comma-separated estimands to show (default: caseworker_change,private_placement); every one is computed",
    )
    add_common_arguments(design, replications=100, out_required=False)
    design.set_defaults(func=cmd_design)

    discover_parser = subparsers.add_parser(
        "discover",
        help="scenario discovery: the regions of parameter space where a method fails to recover its estimand (PRIM)",
        description="Sample the world's parameters (--ranges, a Latin hypercube of --n worlds), run a small recovery "
        "study of one method on one estimand in each (--replications, only that estimand's twin), mark the worlds "
        "where --criterion holds, and find with PRIM (EMA Workbench) the boxes where the failures concentrate.",
    )
    discover_parser.add_argument(
        "scenario", nargs="?", default=None, help="a scenario file or built-in name (default: baseline)"
    )
    discover_parser.add_argument(
        "--ranges", action="append", default=[], metavar="NAME=LO:HI", help="a world parameter's range; repeat"
    )
    discover_parser.add_argument("--n", type=int, default=48, help="sampled worlds (default: 48)")
    discover_parser.add_argument("--estimand", required=True, help="the mechanism, e.g. caseworker_change")
    discover_parser.add_argument("--method", required=True, help="the method, e.g. register_naive")
    discover_parser.add_argument(
        "--outcome", default=None, help="the method's outcome when it has several (e.g. job_entry)"
    )
    discover_parser.add_argument(
        "--criterion",
        default="abs(bias) > 2 * bias_mcse",
        help="when a sampled world counts as a failure, on its performance measures (bias, bias_mcse, coverage, "
        "rejection, rmse, true_value, ...); default: 'abs(bias) > 2 * bias_mcse'",
    )
    add_common_arguments(discover_parser, replications=4, out_required=False)
    discover_parser.set_defaults(func=cmd_discover)
