"""The ``bipsim`` command line: run scenarios, write and describe dataset bundles, list parameters and scenarios.

Every subcommand turns a bad scenario or argument into one clear message on stderr and exit code 2,
without a traceback, and checks its output locations and size before any work. Ctrl+C ends any command
with one line and exit code 130; a failure while working (a full disk, say) is one line and exit code 1.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from bipsim.cli.common import (
    EXIT_DAMAGED,
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_USAGE,
    SET_HELP,
    Parser,
    UsageError,
    check_output,
    check_seed,
    in_cli_words,
    library_warnings_counted,
    parameter_setting,
    progress_bar,
    scenario_with_size,
    whole_number,
)
from bipsim.cli.fit import add_fit_arguments
from bipsim.dataset.bundle import BUNDLE_FILES, BundleError
from bipsim.scenario import GROUPS, MECHANISMS, ScenarioError, builtin_scenarios, describe_allowed


def format_summary(summary: dict[str, float]) -> str:
    """Format the run's headline figures as aligned text."""
    width = max(len(k) for k in summary)
    lines = []
    for key, value in summary.items():
        text = f"{value:,.0f}" if key in ("citizens", "weeks") else f"{value:.3f}"
        lines.append(f"  {key.replace('_', ' '):<{width}}  {text}")
    return "\n".join(lines)


def cmd_run(args: argparse.Namespace) -> int:
    """Run a scenario and print a short summary."""
    from bipsim.cli.size import Stopwatch, check_size, record_speed
    from bipsim.model import BipModel

    check_seed(args.seed)
    scenario = scenario_with_size(args)
    if args.out is not None:
        from bipsim.dataset.bundle import check_target

        check_output("--out", args.out, check_target, args.force)
    citizen_weeks = scenario.population.citizens * scenario.population.weeks
    check_size(scenario.population.citizens, scenario.population.weeks, "model" if args.out is None else "study")
    model = BipModel(scenario, seed=args.seed)
    with Stopwatch() as watch:
        model.run(progress_bar(f"bipsim {scenario.name}", scenario.population.weeks))
    record_speed("model", citizen_weeks, watch.seconds)
    print(
        f"bipsim: scenario {scenario.name!r}, seed {args.seed}, {scenario.population.citizens:,} citizens, "
        f"{scenario.population.weeks} weeks"
    )
    print(format_summary(model.summary()))
    if args.out is not None:
        from bipsim.dataset import read_manifest
        from bipsim.instruments import write_study

        with Stopwatch() as watch:
            path = write_study(
                model, args.out, force=args.force, progress=progress_bar("writing bundle", BUNDLE_FILES, unit="file")
            )
        record_speed("study", citizen_weeks, watch.seconds)
        print(f"bipsim: wrote bundle {path}")
        print(format_bundle(read_manifest(path)))
    return 0


def format_bundle(manifest: dict) -> str:
    """Format the tables of a bundle's manifest as aligned text: file, kind and rows."""
    tables = manifest["tables"]
    if not tables:
        return "  (no tables)"
    width = max(len(entry["file"]) for entry in tables.values())

    def rows(entry: dict) -> str:
        return f"{entry['rows']:>9,}" if isinstance(entry.get("rows"), int) else f"{'?':>9}"

    return "\n".join(
        f"  {entry['file']:<{width}}  {entry.get('kind', '?')!s:<8}  {rows(entry)} rows" for entry in tables.values()
    )


def cmd_describe(args: argparse.Namespace) -> int:
    """Print a bundle's manifest summary and check every file's hash; exit 1 when a hash does not match."""
    from bipsim.dataset import read_manifest, verify

    manifest = read_manifest(args.directory)
    about = {key: manifest.get(key, "?") for key in ("bipsim_version", "scenario_name", "seed", "created")}
    print(
        f"bipsim bundle {args.directory}: bipsim {about['bipsim_version']}, scenario "
        f"{about['scenario_name']!r}, seed {about['seed']}, created {about['created']}"
    )
    print(format_bundle(manifest))
    problems = verify(args.directory)
    if problems:
        for problem in problems:
            print(f"bipsim: error: {problem}", file=sys.stderr)
        return EXIT_DAMAGED
    print(f"bipsim: all {len(manifest['tables']) + len(manifest.get('documents', {}))} files match the manifest")
    return 0


def cmd_calibrate(args: argparse.Namespace) -> int:
    """Run replications of a scenario and compare the published figures with their simulated values."""
    import json

    from bipsim.analysis.calibration import summarise_replications
    from bipsim.cli.size import Stopwatch, check_size, record_speed
    from bipsim.cli.tables import format_calibration
    from bipsim.ensemble.calibrate import calibration_replications

    check_seed(args.seed)
    if args.replications < 1:
        raise UsageError(f"--replications must be at least 1, not {args.replications}")
    if args.fit_effects and args.fit:
        raise UsageError("--fit and --fit-effects are two different fits; choose one")
    if args.fit_effects:
        return fit_effects_command(args)
    if args.fit:
        from bipsim.cli.fit import fit_command

        return fit_command(args)
    scenario = scenario_with_size(args)
    check_size(scenario.population.citizens, scenario.population.weeks, "calibration", args.replications)
    update = progress_bar(f"calibrate {scenario.name}", args.replications, unit="replication")
    with Stopwatch() as watch:
        tables = calibration_replications(scenario, args.seed, args.replications, update)
    citizen_weeks = scenario.population.citizens * scenario.population.weeks
    record_speed("calibration", citizen_weeks * args.replications, watch.seconds, runs=args.replications)
    table = summarise_replications(tables)
    if args.json:
        rows = table.astype(object).where(table.notna(), None).to_dict(orient="records")
        print(
            json.dumps(
                {"scenario": scenario.name, "seed": args.seed, "replications": args.replications, "figures": rows},
                indent=2,
            )
        )
    else:
        print(
            f"bipsim calibrate: scenario {scenario.name!r}, seed {args.seed}, {args.replications} replication(s) "
            f"of {scenario.population.citizens:,} citizens x {scenario.population.weeks} weeks"
        )
        print(format_calibration(table))
    return 0


def fit_effects_command(args: argparse.Namespace) -> int:
    """``bipsim calibrate --fit-effects``: fit the causal effects to the published associations and print them."""
    import json

    from bipsim.ensemble.calibrate import EFFECTS, fit_effects

    args.points = 24 if args.points is None else args.points
    if args.points < 2 * len(EFFECTS):
        raise UsageError(f"--points must be at least {2 * len(EFFECTS)} (two per fitted effect), not {args.points}")
    if args.workers < 1:
        raise UsageError(f"--workers must be at least 1, not {args.workers}")
    scenario = scenario_with_size(args)
    runs = args.points * args.replications
    update = progress_bar(f"fit effects {scenario.name}", runs, unit="run", parallel=args.workers)
    fit = fit_effects(scenario, args.seed, args.points, args.replications, args.workers, update)
    if args.json:
        rows = fit.solution.astype(object).where(fit.solution.notna(), None).to_dict(orient="records")
        print(json.dumps({**fit.settings, "solution": rows}, indent=2))
        return 0
    print(
        f"bipsim calibrate --fit-effects: scenario {scenario.name!r}, seed {args.seed}, {args.points} settings x "
        f"{args.replications} run(s) of {scenario.population.citizens:,} citizens x {scenario.population.weeks} weeks"
    )
    for row in fit.solution.itertuples():
        association = f"association {row.emulated_association:.2f} (published {row.published:.2f})"
        if row.identified:
            print(f"  {row.parameter:<45} {row.value:5.2f}  [{row.mc_low:.2f}, {row.mc_high:.2f}]  {association}")
        else:
            print(
                f"  {row.parameter:<45} {row.value:5.2f}  not identified: the association moves by "
                f"{row.association_reach:.2f} (log) over the design; the value is kept  {association}"
            )
    print("Identified values are where the study's adjusted associations equal the published ones (95% Monte Carlo")
    print("interval of the emulators in brackets); copy them into the scenario to use them.")
    return 0


def cmd_params(args: argparse.Namespace) -> int:
    """List every scenario parameter with its default, allowed values and doc."""
    for group, cls in GROUPS.items():
        if args.group and group != args.group:
            continue
        kind = "mechanism" if group in MECHANISMS else "group"
        print(f"[{group}]  ({kind}) {(cls.__doc__ or '').strip()}")
        for name, p in cls.param.objects("existing").items():
            if name == "name":
                continue
            print(f"  {name} = {p.default!r}  -- {p.doc} Allowed: {describe_allowed(p)}.")
        print()
    return 0


def cmd_scenarios(args: argparse.Namespace) -> int:
    """List the built-in scenarios, each with the question it answers, wrapped to the terminal's width."""
    from bipsim.cli.text import terminal_width, wrapped

    names = builtin_scenarios()
    width = max(map(len, names), default=0)
    indent = " " * (width + 4)
    for name, path in names.items():
        lines = wrapped(scenario_question(path), terminal_width(), first=f"  {name:<{width}}  ")
        kind, what = scenario_kind(path)
        if kind:
            label = "one change: " if kind == "single" else "package: "
            lines += wrapped(f"{label}{what}]", terminal_width(), first=indent + "[", rest=indent + " ")
        print("\n".join(lines))
    return 0


def scenario_kind(path: os.PathLike[str] | str) -> tuple[str, str]:
    """Whether a scenario file changes one thing or is a package, from its ``# Changes:`` or ``# Package:`` line.

    Returns ``("single", "group.a, group.b")`` (the parameters of the one change), ``("package", "what it
    bundles")`` or ``("", "")`` when the file says neither. A declaration may continue on the comment lines
    that follow it, up to an empty comment line.
    """
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    for i, line in enumerate(lines):
        for prefix, kind in (("# Changes:", "single"), ("# Package:", "package")):
            if line.startswith(prefix):
                parts = [line.removeprefix(prefix).strip()]
                if kind == "package":
                    for more in lines[i + 1 :]:
                        text = more.removeprefix("#").strip()
                        if not more.startswith("#") or not text:
                            break
                        parts.append(text)
                return kind, " ".join(parts)
    return "", ""


def scenario_question(path: os.PathLike[str] | str) -> str:
    """The question a scenario file answers: its ``# Question:`` comment and the comment lines that continue it.

    The question ends at an empty comment line, a line that is not a comment, or a line ending with ``?``.
    """
    lines = iter(Path(path).read_text(encoding="utf-8").splitlines())
    parts: list[str] = []
    for line in lines:
        if line.startswith("# Question:"):
            parts.append(line.removeprefix("# Question:").strip())
            break
    else:
        return ""
    for line in lines:
        text = line.removeprefix("#").strip()
        if parts[-1].endswith("?") or not line.startswith("#") or not text:
            break
        parts.append(text)
    return " ".join(parts)


def _add_scenario_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "scenario", nargs="?", default=None, help="a scenario file or built-in name (default: baseline)"
    )
    parser.add_argument("--seed", type=whole_number, default=0, help="random seed (default: 0)")
    parser.add_argument("--citizens", type=whole_number, default=None, help="override population.citizens")
    parser.add_argument("--weeks", type=whole_number, default=None, help="override population.weeks")
    parser.add_argument("--set", type=parameter_setting, action="append", metavar="GROUP.NAME=VALUE", help=SET_HELP)


# Feature packages that add their own subcommands: each module defines ``register(subparsers)``, which
# adds parsers whose ``func`` takes the parsed arguments and returns an exit code.
COMMAND_MODULES: tuple[str, ...] = (
    "bipsim.cli.analyze",
    "bipsim.cli.app",
    "bipsim.cli.classroom",
    "bipsim.cli.design",
    "bipsim.cli.ensemble",
    "bipsim.cli.export",
    "bipsim.cli.follow",
    "bipsim.cli.qda",
    "bipsim.cli.recover",
)


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser with every subcommand."""
    parser = Parser(prog="bipsim", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="run a scenario and print a summary")
    _add_scenario_arguments(run)
    run.add_argument("--out", default=None, help="write a dataset bundle to this folder")
    run.add_argument("--force", action="store_true", help="replace an existing bundle at --out")
    run.set_defaults(func=cmd_run)
    describe = sub.add_parser("describe", help="summarise a dataset bundle and check its hashes")
    describe.add_argument("directory", help="a bundle folder written by bipsim run --out")
    describe.set_defaults(func=cmd_describe, simulates=False)
    calibrate = sub.add_parser("calibrate", help="compare the published BIP figures with simulated ones")
    _add_scenario_arguments(calibrate)
    calibrate.add_argument(
        "--replications",
        type=whole_number,
        default=5,
        help="runs whose mean is compared with the published figures (default: 5)",
    )
    calibrate.add_argument("--json", action="store_true", help="print the table as JSON")
    calibrate.add_argument(
        "--fit-effects",
        action="store_true",
        help="instead fit the causal effects behind BIP's published associations (+33%%, +84%%, +65%%, +27%%): "
        "--points settings of a Latin hypercube, each run --replications times (about 1.5 minutes at BIP "
        "scale with 24 x 4 on 2 workers)",
    )
    calibrate.add_argument(
        "--points",
        type=whole_number,
        default=None,
        help="with --fit: vectors in wave 1 (default: 60); with --fit-effects: design settings (default: 24)",
    )
    calibrate.add_argument(
        "--workers", type=whole_number, default=1, help="with --fit or --fit-effects: local processes (default: 1)"
    )
    add_fit_arguments(calibrate)
    calibrate.set_defaults(func=cmd_calibrate)
    params = sub.add_parser("params", help="list the scenario parameters")
    params.add_argument("group", nargs="?", choices=list(GROUPS), help="only this group")
    params.set_defaults(func=cmd_params, simulates=False)
    scenarios = sub.add_parser("scenarios", help="list the built-in scenarios")
    scenarios.set_defaults(func=cmd_scenarios, simulates=False)
    for module in COMMAND_MODULES:
        if importlib.util.find_spec(module.rpartition(".")[0]) and importlib.util.find_spec(module):
            importlib.import_module(module).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``bipsim`` command."""
    try:
        args = build_parser().parse_args(argv)
        if getattr(args, "simulates", True):  # listing commands never load (or compile) the weekly loops
            _announce_compilation()
        with library_warnings_counted():
            return args.func(args)
    except (ScenarioError, UsageError, BundleError) as exc:
        print(f"bipsim: error: {in_cli_words(exc)}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        # Writers remove their temporary folders on the way out; nothing else is worth a traceback.
        print("bipsim: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except SystemError as exc:
        # Ctrl+C while numba loads a compiled loop from its cache arrives wrapped in a SystemError
        if not _caused_by_interrupt(exc):
            raise
        print("bipsim: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader stopped early (``bipsim ... | head``): not an error of ours; silence Python's own report.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as exc:
        print(f"bipsim: error: {exc}", file=sys.stderr)
        return EXIT_FAILED


def _caused_by_interrupt(exc: BaseException) -> bool:
    """Whether a ``KeyboardInterrupt`` is anywhere in the chain of causes of ``exc``."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, KeyboardInterrupt):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__  # type: ignore[assignment]
    return False


def _announce_compilation() -> None:
    from bipsim.cli.size import note_compilation
    from bipsim.engine import kernels

    def say(note: str) -> None:
        note_compilation()
        print(f"bipsim: {note}", file=sys.stderr, flush=True)

    kernels.announce_compilation(say)


if __name__ == "__main__":
    sys.exit(main())
