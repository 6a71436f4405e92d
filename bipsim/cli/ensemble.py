"""Subcommands ``bipsim sweep``, ``bipsim compare`` and ``bipsim sensitivity``: many runs, one table.

Each maps (setting, replication) pairs over an executor chosen with ``--workers`` and ``--scheduler``: this
process (1 worker), a local Dask cluster (more), or an existing Dask scheduler. Seeds depend only on
``--seed`` and the pair, so the tables are identical whatever the executor. The ensemble package is
imported only when a command runs (it loads the model), so ``bipsim --help`` stays light.

``compare`` and ``sweep`` take ``--ensemble FILE`` (or ``--ensemble baseline``, the shipped plausible
ensemble): every setting runs under every plausible parameter vector, and the intervals include parameter
uncertainty beside the Monte Carlo-only ones (:mod:`bipsim.ensemble.uncertainty`).
"""

from __future__ import annotations

import argparse
import functools
import io
import re
import shlex
import socket
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from bipsim.cli.common import (
    SET_HELP,
    UsageError,
    check_output,
    check_seed,
    parameter_setting,
    progress_bar,
    sized_scenario,
    whole_number,
)
from bipsim.contract.outcomes import COMPARABLE, HEADLINE, OUTCOME_KEYS
from bipsim.contract.outcomes import outcome as declared_outcome
from bipsim.reports import whatif
from bipsim.scenario import ScenarioError

if TYPE_CHECKING:
    from bipsim.ensemble.plan import Plan
    from bipsim.ensemble.uncertainty import ParameterEnsemble
    from bipsim.scenario import Scenario

SHOWN_SETTINGS = 20
SEEDING = {
    True: "common random numbers: replication r of every setting uses SeedSequence(seed).spawn(R)[r]",
    False: "independent: pair (setting s, replication r) uses SeedSequence(seed) entropy with spawn key (r, s)",
}
SEEDING_ACROSS_VECTORS = (
    "common random numbers within a vector: replication r of every setting under vector v (position) uses "
    "SeedSequence(seed).spawn(R)[r].spawn(V)[v]; vectors have independent seeds"
)
ENSEMBLE_FIGURE_NOTES = {
    "en": "A = {a}, B = {b}: {vectors} plausible parameter vectors × {replications} paired replications of "
    "{citizens:,} citizens × {weeks} weeks. The interval includes parameter uncertainty (the vectors disagree) "
    "and Monte Carlo uncertainty. Dark: it excludes 0; grey: it includes 0.",
    "da": "A = {a}, B = {b}: {vectors} plausible parametervektorer × {replications} parrede gentagelser af "
    "{citizens:,} borgere × {weeks} uger. Intervallet rummer parameterusikkerhed (vektorerne er uenige) og "
    "Monte Carlo-usikkerhed. Mørk: det udelukker 0; grå: det indeholder 0.",
}
ENSEMBLE_FIGURE_TITLES = {
    "en": "{b} − {a}: difference with 95% interval including parameter uncertainty",
    "da": "{b} − {a}: forskel med 95%-interval inklusive parameterusikkerhed",
}
SWEEP_ENSEMBLE_NOTES = {
    "en": "Every setting under {vectors} plausible parameter vectors × {replications} replications of {citizens:,} "
    "citizens × {weeks} weeks; the band or bar is the 95% interval including parameter uncertainty.",
    "da": "Hver indstilling under {vectors} plausible parametervektorer × {replications} gentagelser af "
    "{citizens:,} borgere × {weeks} uger; båndet eller stregen er 95%-intervallet inklusive parameterusikkerhed.",
}


def as_usage_errors(command: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """Turn the ensemble's own errors and missing optional packages into one-line usage errors (exit 2)."""

    @functools.wraps(command)
    def wrapped(args: argparse.Namespace) -> int:
        from bipsim.ensemble.results import ResultsError
        from bipsim.ensemble.sensitivity import SensitivityError
        from bipsim.ensemble.uncertainty import EnsembleFileError

        try:
            return command(args)
        except (ResultsError, SensitivityError, EnsembleFileError) as exc:
            raise UsageError(str(exc)) from None
        except ModuleNotFoundError as exc:
            extra = {"distributed": "dask", "dask": "dask", "SALib": "sensitivity", "ema_workbench": "discovery"}.get(
                exc.name or "", "all"
            )
            raise UsageError(f"this needs the package {exc.name!r}: pip install 'bipsim[{extra}]'") from None

    return wrapped


# --- shared argument handling ----------------------------------------------------------------------------


def check_common_arguments(args: argparse.Namespace) -> None:
    """Check the arguments every ensemble command shares, the output folder included, before any work."""
    from bipsim.ensemble.results import check_target

    check_seed(args.seed)
    if args.replications < 1:
        raise UsageError(f"--replications must be at least 1, not {args.replications}")
    if args.workers < 1:
        raise UsageError(f"--workers must be at least 1, not {args.workers}")
    if args.scheduler is not None:
        check_scheduler(args.scheduler)
    if getattr(args, "ensemble", None) is not None and args.replications < 2:
        raise UsageError(
            f"--replications {args.replications}: with --ensemble give at least 2, so that Monte Carlo and "
            "parameter uncertainty can be told apart"
        )
    if getattr(args, "out", None) is not None:
        check_output("--out", args.out, check_target, args.force)


SCHEDULER_ADDRESS = re.compile(r"(?:(?P<protocol>[a-z]+)://)?(?P<host>\[[^\]]+\]|[^:/\s\[\]]+):(?P<port>\d+)/?")
SCHEDULER_PROTOCOLS = ("tcp", "tls", "ws", "wss")


def check_scheduler(address: str) -> None:
    """Refuse a ``--scheduler`` that is no Dask scheduler address, or whose host has no address.

    Whether a scheduler answers there is found out when the runs are sent, before any of them starts.
    """
    example = "e.g. tcp://192.168.1.10:8786 (PROTOCOL://HOST:PORT, protocol one of " + ", ".join(SCHEDULER_PROTOCOLS)
    match = SCHEDULER_ADDRESS.fullmatch(address)
    if match is None or (match["protocol"] or "tcp") not in SCHEDULER_PROTOCOLS:
        raise UsageError(f"--scheduler {address}: not a Dask scheduler address; expected {example})")
    if not 1 <= int(match["port"]) <= 65535:
        raise UsageError(f"--scheduler {address}: port {match['port']} is not from 1 to 65535; {example})")
    host = match["host"].strip("[]")
    try:
        socket.getaddrinfo(host, int(match["port"]), type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise UsageError(f"--scheduler {address}: the host {host} has no address ({exc}); {example})") from None


def parsed(option: str, text: str, parse: Callable[[Any, str], Any], scenario: Any) -> Any:
    """``parse(scenario, text)``, its error named after the ``option`` it came from."""
    try:
        return parse(scenario, text)
    except (ScenarioError, UsageError) as exc:
        message = str(exc)
        raise UsageError(message if message.startswith(option) else f"{option} {text!r}: {message}") from None


def check_ensemble_size(
    args: argparse.Namespace, scenario: Any, settings: int = 1, settings_from: str = "", kind: str = "model"
) -> None:
    """Estimate the ensemble's memory (and time where known); refuse it when this machine cannot hold it.

    ``settings_from`` names the arguments that make the ``settings``, e.g. ``--n 64``.
    """
    from bipsim.cli.size import check_size

    population = scenario.population
    remote = args.scheduler is not None
    check_size(
        population.citizens,
        population.weeks,
        kind,
        args.replications,
        settings,
        args.workers,
        remote=remote,
        settings_from=settings_from,
    )


def _outcomes(text: str | None, known: Sequence[str], default: Sequence[str]) -> list[str]:
    if text is None:
        return list(default)
    names = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name not in known]
    if unknown or not names:
        raise UsageError(f"unknown outcome {', '.join(unknown) or text!r}; outcomes: {', '.join(known)}")
    return names


def known_outcomes() -> list[str]:
    """The outcome names a run's summary offers (:data:`bipsim.contract.outcomes.OUTCOMES`)."""
    return list(OUTCOME_KEYS)


def _execute(plan: Plan, args: argparse.Namespace, description: str) -> pd.DataFrame:
    from bipsim.cli.size import record_runs_speed
    from bipsim.ensemble.execute import execute

    runs = plan.runs()
    print(f"bipsim: {len(runs)} run(s) on {where_runs_go(args)}", file=sys.stderr)
    progress = progress_bar(description, len(runs), unit="run", parallel=parallel_runs(args, len(runs)))
    try:
        rows = execute(runs, args.workers, args.scheduler, progress)
    except (OSError, TimeoutError) as exc:
        if args.scheduler:
            raise UsageError(f"cannot use the Dask scheduler at {args.scheduler}: {exc}") from None
        raise
    table = pd.DataFrame(rows)
    record_runs_speed("model", table)
    failed = table[table["status"] != "ok"]
    if len(failed):
        first = failed.iloc[0]
        print(
            f"bipsim: warning: {len(failed)} of {len(table)} run(s) failed; they are recorded in the runs table "
            f"(first: setting {first['setting_id']}, replication {first['replication']}: {first['error']})",
            file=sys.stderr,
        )
    return table


def where_runs_go(args: argparse.Namespace) -> str:
    """Where ``--workers`` and ``--scheduler`` send the runs, for the line that starts them."""
    if args.scheduler:
        return f"Dask scheduler {args.scheduler}"
    return "this process" if args.workers == 1 else f"a local Dask cluster of {args.workers} workers"


def parallel_runs(args: argparse.Namespace, runs: int) -> int:
    """How many runs go at once: 1 here, the local workers, or 0 (unknown) on a scheduler's workers."""
    if args.scheduler:
        return 0
    return max(1, min(args.workers, runs))


def run_manifest(args: argparse.Namespace, plan: Plan, **extra: Any) -> dict[str, Any]:
    """What a results folder records of how it was made: command, scenarios, seeds and executor."""
    arguments = {k: v for k, v in vars(args).items() if k != "func"}
    return {
        "command": args.command,
        "command_line": shlex.join(["bipsim", *sys.argv[1:]]) if Path(sys.argv[0]).stem == "bipsim" else None,
        "arguments": arguments,
        "scenarios": {label: s.to_dict() for label, s in zip(plan.labels, plan.scenarios, strict=True)},
        "seeds": {
            "seed": plan.seed,
            "entropy": str(plan.root.entropy),
            "scheme": SEEDING_ACROSS_VECTORS
            if plan.vectors is not None and plan.common_random_numbers
            else SEEDING[plan.common_random_numbers],
            "replications": plan.replications,
        },
        "executor": {"workers": args.workers, "scheduler": args.scheduler},
        **extra,
    }


def ensemble_manifest(ensemble: Any, count: int, kept: Any, reference: Any) -> dict[str, Any]:
    """What a results folder records of the plausible parameter vectors it ran under (``--ensemble``)."""
    return {
        "file": ensemble.source,
        "sha256": ensemble.sha256,
        "vectors": count,
        "parameters": ensemble.names,
        "kept_by_scenario": kept,
        "reference_scenario": reference.name,
    }


def _cell(mean: float, low: float, high: float) -> str:
    if pd.isna(mean):
        return "no value"
    if pd.isna(low):
        return f"{mean:.3f}"
    return f"{mean:.3f} [{low:.3f}, {high:.3f}]"


def outcome_label(key: str) -> str:
    """An outcome's English label from :data:`bipsim.contract.outcomes.OUTCOMES` (its key where undeclared)."""
    return declared_outcome(key).en if key in OUTCOME_KEYS else key.replace("_", " ")


def format_summary(settings: pd.DataFrame, summary: pd.DataFrame, outcomes: Sequence[str]) -> str:
    """Aligned text: one line per setting with its varied values and each outcome's mean [interval]."""
    varied = [c for c in settings.columns if c not in ("setting_id", "scenario")]
    header = ["setting", *varied, *map(outcome_label, outcomes), "runs ok"]
    lines = []
    for _, setting in settings.head(SHOWN_SETTINGS).iterrows():
        part = summary[summary["setting_id"] == setting["setting_id"]].set_index("outcome")
        cells = [str(setting["setting_id"]), *(_value(setting[c]) for c in varied)]
        cells += [_cell(*part.loc[o, ["mean", "low", "high"]]) for o in outcomes]
        first = part.iloc[0]
        cells.append(f"{first['runs_ok']}/{first['runs_ok'] + first['runs_failed']}")
        lines.append(cells)
    widths = [max(len(h), *(len(row[i]) for row in lines)) for i, h in enumerate(header)]
    text = ["  " + "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip()]
    text += ["  " + "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in lines]
    if len(settings) > SHOWN_SETTINGS:
        text.append(f"  ... {len(settings) - SHOWN_SETTINGS} more setting(s) in summary.parquet")
    return "\n".join(text)


def _number(value: float, form: str) -> str:
    return "" if pd.isna(value) else form.format(value)


def _value(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, list):
        return "+".join(value) or "none"
    return str(value)


# --- bipsim sweep ---------------------------------------------------------------------------------------------


@as_usage_errors
def cmd_sweep(args: argparse.Namespace) -> int:
    """Run every (setting, replication) pair of a grid or Latin-hypercube sweep and write the tables."""
    from bipsim.ensemble.plan import Plan, grid, latin_hypercube, parse_range, parse_vary
    from bipsim.ensemble.results import write_results
    from bipsim.ensemble.summarise import LEVEL, outcome_names, summarise

    check_common_arguments(args)
    scenario = sized_scenario(args.scenario, args)
    ensemble = read_parameter_ensemble(args, [scenario]) if args.ensemble is not None else None
    per_setting = len(ensemble[0].vectors) if ensemble else 1  # each setting runs under every plausible vector
    under = f" x {per_setting} vectors" if ensemble else ""
    if args.sample is None:
        if args.ranges or args.n is not None:
            raise UsageError("--ranges and --n belong to --sample lhs; use --vary name=v1,v2 for a grid")
        varied = [parsed("--vary", text, parse_vary, scenario) for text in args.vary or []]
        names = [name for name, _ in varied]
        if len(set(names)) < len(names):
            raise UsageError(f"--vary names a parameter twice: {', '.join(names)}")
        count = int(np.prod([len(values) for _, values in varied]))
        check_ensemble_size(
            args, scenario, count * per_setting, f"--vary ({count:,} settings{under})" if count > 1 or ensemble else ""
        )
        settings = grid(varied)
        design = {"design": "grid", "vary": {name: values for name, values in varied}}
    else:
        if args.vary:
            raise UsageError("use either --vary (a grid) or --sample lhs with --ranges, not both")
        if not args.ranges:
            raise UsageError("--sample lhs needs --ranges name=lo:hi (one or more)")
        if args.n is None or args.n < 1:
            raise UsageError(f"--sample lhs needs --n, the number of settings (at least 1), not {args.n}")
        ranges = [parsed("--ranges", text, parse_range, scenario) for text in args.ranges]
        check_ensemble_size(args, scenario, args.n * per_setting, f"--n {args.n}{under}")
        settings = latin_hypercube(ranges, args.n, np.random.SeedSequence(args.seed))
        design = {"design": "latin hypercube (scipy.stats.qmc, seeded from SeedSequence(seed))", "ranges": ranges}
    known = known_outcomes()
    shown = _outcomes(args.outcomes, known, HEADLINE)
    if ensemble is not None:
        return sweep_over_ensemble(args, scenario, settings, ensemble, design, shown)
    plan = Plan.sweep(scenario, settings, args.replications, args.seed, not args.independent_seeds)
    runs = _execute(plan, args, f"sweep {scenario.name}")
    settings_table = plan.settings_table()
    summary = summarise(runs, [o for o in outcome_names(runs) if o in known] or known)
    summary = settings_table.merge(summary, on="setting_id")
    figures = whatif.sweep_figures(summary, settings_table, shown, scenario, args.replications, args.language)
    path = write_results(
        args.out,
        {"runs": runs, "settings": settings_table, "summary": summary},
        run_manifest(args, plan, **design, runs=len(runs), failed=int((runs["status"] != "ok").sum())),
        files=figures.writers(),
        force=args.force,
    )
    print(
        f"bipsim sweep: scenario {scenario.name!r}, {len(settings)} setting(s) x {args.replications} replication(s) "
        f"of {scenario.population.citizens:,} citizens x {scenario.population.weeks} weeks; "
        f"mean [{LEVEL:.0%} interval: Wilson score for shares, t for other outcomes]"
    )
    print(format_summary(settings_table, summary, shown))
    print(f"bipsim: wrote {path} (runs.parquet, settings.parquet, summary.parquet, manifest.json)")
    print_figures(figures, path)
    return 0 if (runs["status"] == "ok").any() else 1


# --- bipsim compare -------------------------------------------------------------------------------------------


@as_usage_errors
def cmd_compare(args: argparse.Namespace) -> int:
    """Run two scenarios with the same seeds and report the paired difference B - A of each outcome."""
    from bipsim.ensemble.plan import Plan
    from bipsim.ensemble.results import write_results
    from bipsim.ensemble.summarise import LEVEL, compare, verdict

    check_common_arguments(args)
    a, b = sized_scenario(args.scenario_a, args), sized_scenario(args.scenario_b, args)
    larger = max(a, b, key=lambda s: s.population.citizens * s.population.weeks)
    known = known_outcomes()
    shown = _outcomes(args.outcomes, known, list(COMPARABLE))
    if args.ensemble is not None:
        return compare_over_ensemble(args, a, b, larger, shown)
    check_ensemble_size(args, larger, 2, "(scenarios A and B)")
    plan = Plan([a, b], [{}, {}], args.replications, args.seed, labels=["A", "B"])
    runs = _execute(plan, args, f"compare {a.name} {b.name}")
    table = compare(runs[runs["setting_id"] == 0], runs[runs["setting_id"] == 1], shown)
    table["verdict"] = [verdict(row) for _, row in table.iterrows()]
    print(
        f"bipsim compare: A = {a.name!r}, B = {b.name!r}, {args.replications} paired replication(s) "
        f"(same seeds) of {a.population.citizens:,} citizens x {a.population.weeks} weeks; "
        f"difference B - A with {LEVEL:.0%} interval"
    )
    print(format_comparison(table))
    found = int(table["clear_difference"].sum())
    print(
        f"bipsim: {found} of {len(table)} outcome(s) differ clearly (their {LEVEL:.0%} interval excludes 0)"
        if found
        else f"bipsim: no difference found: no outcome's {LEVEL:.0%} interval excludes 0"
    )
    if args.out is not None:
        figures = whatif.comparison_figures(table, a, b, args.language)
        path = write_results(
            args.out,
            {"runs": runs, "settings": plan.settings_table(), "comparison": table},
            run_manifest(args, plan, design="paired comparison B - A", runs=len(runs)),
            files=figures.writers(),
            force=args.force,
        )
        print(f"bipsim: wrote {path}")
        print_figures(figures, path)
    return 0 if table["pairs"].gt(0).any() else 1


def print_figures(figures: whatif.Figures, folder: Path) -> None:
    """Name the figures written to ``folder``; say on stderr why any were left out."""
    for warning in figures.warnings:
        print(f"bipsim: warning: {warning}", file=sys.stderr)
    if figures.files:
        print(f"bipsim: figures {' and '.join(str(p) for p in figures.paths(folder))}")


def format_comparison(table: pd.DataFrame) -> str:
    """Aligned text: outcome, mean A, mean B, difference, SE, interval and verdict."""
    from bipsim.ensemble.summarise import LEVEL

    header = ["outcome", "A", "B", "B - A", "SE", f"{LEVEL:.0%} interval", ""]
    rows = []
    for _, row in table.iterrows():
        interval = "" if pd.isna(row["low"]) else f"[{row['low']:+.4f}, {row['high']:+.4f}]"
        rows.append(
            [
                outcome_label(row["outcome"]),
                _number(row["mean_a"], "{:.4f}"),
                _number(row["mean_b"], "{:.4f}"),
                _number(row["difference"], "{:+.4f}"),
                _number(row["se"], "{:.4f}"),
                interval,
                row["verdict"],
            ]
        )
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]
    lines = ["  " + "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip()]
    lines += ["  " + "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    return "\n".join(lines)


# --- compare and sweep over the plausible ensemble -----------------------------------------------------------


def read_parameter_ensemble(
    args: argparse.Namespace, scenarios: Sequence[Scenario]
) -> tuple[ParameterEnsemble, Scenario]:
    """The ensemble ``--ensemble`` names, checked against ``scenarios``, and the scenario it was calibrated to."""
    from bipsim.ensemble.uncertainty import read_ensemble
    from bipsim.scenario import load_scenario

    ensemble = read_ensemble(args.ensemble, scenarios[0])
    return ensemble, load_scenario("baseline")


def kept_parameters(scenario: Scenario, ensemble: ParameterEnsemble, reference: Scenario) -> list[str]:
    """The ensemble's parameters that ``scenario`` sets itself (its own value wins over the vectors')."""
    from bipsim.ensemble.plan import with_vector

    return with_vector(scenario, {}, ensemble.vectors[0], reference)[1]


def describe_ensemble(ensemble: ParameterEnsemble, kept: dict[str, list[str]]) -> list[str]:
    """Lines that say which vectors ran and which scenario kept which of its own values."""
    lines = [
        f"bipsim: ensemble {ensemble.source}: {len(ensemble.vectors)} plausible parameter vector(s) of "
        f"{', '.join(ensemble.names)}"
    ]
    for label, names in kept.items():
        if names:
            lines.append(
                f"bipsim: {label} keeps its own {', '.join(names)} (a scenario's own change wins over the vectors')"
            )
    return lines


def _png_bytes(drawer: Callable[..., Any], *arguments: Any) -> bytes:
    buffer = io.BytesIO()
    drawer(*arguments, buffer)
    return buffer.getvalue()


def ensemble_comparison_figures(
    table: pd.DataFrame, a: Scenario, b: Scenario, vectors: int, replications: int, language: str
) -> whatif.Figures:
    """``comparison.png`` and ``comparison.html`` of the comparison over vectors (intervals with parameters)."""
    frame = whatif.comparison_frame(table, language)
    title = ENSEMBLE_FIGURE_TITLES[language].format(a=a.name, b=b.name)
    note = ENSEMBLE_FIGURE_NOTES[language].format(
        a=a.name,
        b=b.name,
        vectors=vectors,
        replications=replications,
        citizens=a.population.citizens,
        weeks=a.population.weeks,
    )
    return whatif.draw(
        {
            "comparison.png": lambda: _png_bytes(whatif.draw_comparison_png, frame, title, note, language),
            "comparison.html": lambda: whatif.comparison_page(frame, title, note, language).encode("utf-8"),
        }
    )


def compare_over_ensemble(
    args: argparse.Namespace, a: Scenario, b: Scenario, larger: Scenario, shown: list[str]
) -> int:
    """``bipsim compare A B --ensemble FILE``: the paired comparison under every plausible parameter vector."""
    from bipsim.ensemble.plan import Plan
    from bipsim.ensemble.results import write_results
    from bipsim.ensemble.summarise import LEVEL
    from bipsim.ensemble.uncertainty import compare_over_vectors, verdict

    ensemble, reference = read_parameter_ensemble(args, [a, b])
    count = len(ensemble.vectors)
    check_ensemble_size(args, larger, 2 * count, f"--ensemble ({count} vectors x scenarios A and B)")
    kept = {"A": kept_parameters(a, ensemble, reference), "B": kept_parameters(b, ensemble, reference)}
    plan = Plan.across_vectors(
        [a, b], [{}, {}], ["A", "B"], ensemble.vectors, ensemble.vector_ids, reference, args.replications, args.seed
    )
    runs = _execute(plan, args, f"compare {a.name} {b.name} over {count} vectors")
    settings = plan.settings_table()
    table, per_vector = compare_over_vectors(runs, settings, ensemble.vector_ids, shown)
    table["verdict"] = [verdict(row) for _, row in table.iterrows()]
    per_vector = per_vector.merge(ensemble.table(), on="vector_id", how="left")
    print(
        f"bipsim compare: A = {a.name!r}, B = {b.name!r}, {count} plausible parameter vector(s) x "
        f"{args.replications} paired replication(s) (A and B share seeds within a vector) of "
        f"{a.population.citizens:,} citizens x {a.population.weeks} weeks; difference B - A with {LEVEL:.0%} "
        "intervals, Monte Carlo only and with parameter uncertainty"
    )
    for line in describe_ensemble(ensemble, kept):
        print(line)
    print(format_ensemble_comparison(table))
    print(
        "Where the uncertainty comes from: the variance of the interval with parameters, split into its parameter "
        "part (the plausible vectors give different differences) and its Monte Carlo part (finitely many "
        "replications), each as a standard deviation:"
    )
    print(format_uncertainty_parts(table))
    found = int(table["clear_difference"].sum())
    plain = int(((table["mc_low"] > 0) | (table["mc_high"] < 0)).sum())
    print(
        f"bipsim: {found} of {len(table)} outcome(s) differ clearly with parameter uncertainty (their {LEVEL:.0%} "
        f"interval excludes 0); with Monte Carlo uncertainty only, {plain}"
    )
    if args.out is not None:
        figures = ensemble_comparison_figures(table, a, b, count, args.replications, args.language)
        manifest = run_manifest(
            args,
            plan,
            design="paired comparison B - A over plausible parameter vectors",
            runs=len(runs),
            ensemble=ensemble_manifest(ensemble, count, kept, reference),
        )
        path = write_results(
            args.out,
            {
                "runs": runs,
                "settings": settings,
                "comparison": table,
                "vectors": per_vector,
                "ensemble": ensemble.table(),
            },
            manifest,
            files=figures.writers(),
            force=args.force,
        )
        print(f"bipsim: wrote {path} (comparison.parquet; vectors.parquet: the difference under each vector)")
        print_figures(figures, path)
    return 0 if table["pairs"].gt(0).any() else 1


def _interval(low: float, high: float) -> str:
    return "" if pd.isna(low) else f"[{low:+.4f}, {high:+.4f}]"


def _aligned(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]
    lines = ["  " + "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip()]
    lines += ["  " + "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    return "\n".join(lines)


def format_ensemble_comparison(table: pd.DataFrame) -> str:
    """Aligned text: outcome, A, B, B - A, the Monte Carlo-only interval, the interval with parameters, verdict."""
    from bipsim.ensemble.summarise import LEVEL

    header = ["outcome", "A", "B", "B - A", f"{LEVEL:.0%} Monte Carlo only", f"{LEVEL:.0%} with parameters", ""]
    rows = [
        [
            outcome_label(row["outcome"]),
            _number(row["mean_a"], "{:.4f}"),
            _number(row["mean_b"], "{:.4f}"),
            _number(row["difference"], "{:+.4f}"),
            _interval(row["mc_low"], row["mc_high"]),
            _interval(row["low"], row["high"]),
            row["verdict"],
        ]
        for _, row in table.iterrows()
    ]
    return _aligned(header, rows)


def format_uncertainty_parts(table: pd.DataFrame) -> str:
    """Aligned text: per outcome the parameter and Monte Carlo SDs, the parameter share and the sign agreement."""
    from bipsim.ensemble.summarise import LEVEL

    header = [
        "outcome",
        "parameter SD",
        "Monte Carlo SD",
        "parameter share",
        "vectors with the same sign",
        f"of them clearly (own {LEVEL:.0%} interval)",
    ]
    rows = []
    for _, row in table.iterrows():
        vectors = int(row["vectors"])
        share = row["parameter_share"]
        rows.append(
            [
                outcome_label(row["outcome"]),
                _number(row["sd_parameter"], "{:.4f}"),
                _number(row["sd_monte_carlo"], "{:.4f}"),
                "" if pd.isna(share) else f"{share:.0%}",
                "" if not vectors else f"{round(row['same_sign'] * vectors)}/{vectors} ({row['same_sign']:.0%})",
                "" if not vectors else f"{round(row['clear_same_sign'] * vectors)}/{vectors}",
            ]
        )
    return _aligned(header, rows)


def sweep_over_ensemble(
    args: argparse.Namespace,
    scenario: Scenario,
    settings: list[dict[str, Any]],
    ensemble_and_reference: tuple[ParameterEnsemble, Scenario],
    design: dict[str, Any],
    shown: list[str],
) -> int:
    """``bipsim sweep --ensemble FILE``: every setting under every plausible vector, means with parameters."""
    from bipsim.ensemble.plan import Plan
    from bipsim.ensemble.results import write_results
    from bipsim.ensemble.summarise import LEVEL, outcome_names
    from bipsim.ensemble.uncertainty import summarise_over_vectors

    ensemble, reference = ensemble_and_reference
    count = len(ensemble.vectors)
    settings = settings or [{}]
    base = Plan.sweep(scenario, settings, args.replications, args.seed)
    plan = Plan.across_vectors(
        [scenario] * len(settings),
        settings,
        [scenario.name] * len(settings),
        ensemble.vectors,
        ensemble.vector_ids,
        reference,
        args.replications,
        args.seed,
        not args.independent_seeds,
    )
    runs = _execute(plan, args, f"sweep {scenario.name} over {count} vectors")
    crossed = plan.settings_table()
    known = known_outcomes()
    summary = summarise_over_vectors(runs, crossed, [o for o in outcome_names(runs) if o in known] or known)
    settings_table = base.settings_table()
    summary = settings_table.merge(summary.rename(columns={"origin_id": "setting_id"}), on="setting_id")
    frame = whatif.sweep_frame(summary, settings_table, shown)
    title = whatif.word("sweep_title", args.language, scenario=scenario.name)
    note = SWEEP_ENSEMBLE_NOTES[args.language].format(
        vectors=count,
        replications=args.replications,
        citizens=scenario.population.citizens,
        weeks=scenario.population.weeks,
    )
    outcomes = [o for o in shown if o in set(frame["outcome"])]
    parameters = whatif.varied_parameters(settings_table)[: whatif.SHOWN_PARAMETERS]
    figures = whatif.draw(
        {
            "sweep.png": lambda: _png_bytes(
                whatif.draw_sweep_png, frame, outcomes, parameters, title, note, args.language
            ),
            "sweep.html": lambda: whatif.sweep_page(frame, outcomes, parameters, title, note, args.language).encode(
                "utf-8"
            ),
        }
    )
    kept = {"the sweep's scenario": kept_parameters(scenario, ensemble, reference)}
    manifest = run_manifest(
        args,
        plan,
        **design,
        runs=len(runs),
        failed=int((runs["status"] != "ok").sum()),
        ensemble=ensemble_manifest(ensemble, count, kept, reference),
    )
    path = write_results(
        args.out,
        {"runs": runs, "settings": crossed, "summary": summary, "ensemble": ensemble.table()},
        manifest,
        files=figures.writers(),
        force=args.force,
    )
    print(
        f"bipsim sweep: scenario {scenario.name!r}, {len(settings)} setting(s) x {count} plausible parameter "
        f"vector(s) x {args.replications} replication(s) of {scenario.population.citizens:,} citizens x "
        f"{scenario.population.weeks} weeks; mean [{LEVEL:.0%} interval with parameter uncertainty]"
    )
    for line in describe_ensemble(ensemble, kept):
        print(line)
    print(format_summary(settings_table, summary, shown))
    print(
        f"bipsim: wrote {path} (runs.parquet, settings.parquet: setting x vector, summary.parquet with mc_low, "
        "mc_high (Monte Carlo only), sd_parameter, sd_monte_carlo, ensemble.parquet, manifest.json)"
    )
    print_figures(figures, path)
    return 0 if (runs["status"] == "ok").any() else 1


# --- bipsim sensitivity ---------------------------------------------------------------------------------------


@as_usage_errors
def cmd_sensitivity(args: argparse.Namespace) -> int:
    """Sobol indices or Morris screening of chosen outcomes to chosen parameters, with a figure."""
    from bipsim.ensemble import sensitivity
    from bipsim.ensemble.plan import Plan, default_range, parse_range
    from bipsim.ensemble.results import write_results

    check_common_arguments(args)
    if args.n < 1:
        raise UsageError(f"--n must be at least 1, not {args.n}")
    scenario = sized_scenario(args.scenario, args)
    names = [name.strip() for name in args.params.split(",") if name.strip()]
    if not names or len(set(names)) < len(names):
        raise UsageError(
            f"--params must name distinct parameters, e.g. turnover.quit_probability,meetings.interval_weeks; "
            f"got {args.params!r}"
        )
    given = {
        name: (lo, hi)
        for name, lo, hi in (parsed("--ranges", text, parse_range, scenario) for text in args.ranges or [])
    }
    stray = sorted(set(given) - set(names))
    if stray:
        raise UsageError(f"--ranges names {', '.join(stray)}, which --params does not list")
    ranges = {name: given.get(name) or default_range(scenario, name) for name in names}
    for name, (lo, hi) in ranges.items():
        if not lo < hi:
            raise UsageError(f"{name}: its range {lo}:{hi} is empty; give one with --ranges {name}=lo:hi")
    outcomes = _outcomes(args.outcome, known_outcomes(), [])
    points_per_n = len(names) + (2 if args.method == "sobol" else 1)  # Saltelli's scheme; a Morris trajectory
    check_ensemble_size(args, scenario, args.n * points_per_n, f"--n {args.n} ({points_per_n} points each)")
    spec = sensitivity.problem(ranges)
    # The sample and SALib's bootstrap draw from the root seed itself; the runs from its spawned children.
    root = np.random.SeedSequence(args.seed)
    points = sensitivity.sample(spec, args.method, args.n, root)
    plan = Plan.sweep(scenario, sensitivity.settings(spec, points), args.replications, args.seed)
    runs = _execute(plan, args, f"sensitivity {scenario.name}")
    indices = sensitivity.run_analysis(spec, args.method, points, runs, outcomes, root)
    title = f"{args.method.capitalize()} sensitivity, scenario {scenario.name!r} ({len(points)} points)"
    path = write_results(
        args.out,
        {"indices": indices, "runs": runs, "settings": plan.settings_table()},
        run_manifest(
            args,
            plan,
            design=f"SALib {args.method}",
            ranges={k: list(v) for k, v in ranges.items()},
            points=len(points),
            runs=len(runs),
        ),
        files={"sensitivity.png": lambda target: sensitivity.draw_figure(indices, args.method, target, title)},
        force=args.force,
    )
    print(
        f"bipsim sensitivity: {args.method}, scenario {scenario.name!r}, {len(names)} parameter(s), "
        f"{len(points)} sample point(s) x {args.replications} replication(s) of "
        f"{scenario.population.citizens:,} citizens x {scenario.population.weeks} weeks"
    )
    print(format_indices(indices, args.method, ranges))
    print(f"bipsim: wrote {path} (indices.parquet, runs.parquet, settings.parquet, sensitivity.png, manifest.json)")
    return 0


def format_indices(indices: pd.DataFrame, method: str, ranges: dict[str, tuple[float, float]]) -> str:
    """Aligned text per outcome: each parameter's range and its indices with 95% half-widths."""
    from bipsim.ensemble.sensitivity import INDICES

    shown = INDICES[method]
    width = max(len(name) for name in ranges)
    lines = []
    for outcome, table in indices.groupby("outcome", sort=False):
        if table["value"].isna().all():
            lines.append(f"  {outcome}: does not vary over the sample, so it has no indices")
            continue
        lines.append(f"  {outcome}")
        lines.append(f"    {'parameter':<{width}}  {'range':<22}" + "".join(f"  {i:>17}" for i in shown))
        for name, (lo, hi) in ranges.items():
            part = table[table["parameter"] == name].set_index("index")
            cells = []
            for index in shown:
                value, conf = part.loc[index, "value"], part.loc[index, "conf"]
                cells.append(f"{value:8.3f}" + (f" ± {conf:6.3f}" if not pd.isna(conf) else " " * 9))
            lines.append(f"    {name:<{width}}  {f'{lo:.4g}:{hi:.4g}':<22}" + "".join(f"  {c:>17}" for c in cells))
    return "\n".join(lines)


# --- registration ---------------------------------------------------------------------------------------------


def add_common_arguments(parser: argparse.ArgumentParser, replications: int, out_required: bool) -> None:
    parser.add_argument("--seed", type=whole_number, default=0, help="root seed of all runs (default: 0)")
    parser.add_argument("--citizens", type=whole_number, default=None, help="override population.citizens")
    parser.add_argument("--weeks", type=whole_number, default=None, help="override population.weeks")
    parser.add_argument("--set", type=parameter_setting, action="append", metavar="GROUP.NAME=VALUE", help=SET_HELP)
    parser.add_argument(
        "--replications", type=whole_number, default=replications, help=f"runs per setting (default: {replications})"
    )
    parser.add_argument(
        "--workers", type=whole_number, default=1, help="1: run here; more: a local Dask cluster of that many processes"
    )
    parser.add_argument("--scheduler", default=None, help="address of a running Dask scheduler (tcp://host:8786)")
    parser.add_argument("--out", required=out_required, default=None, help="write the results folder here")
    parser.add_argument("--force", action="store_true", help="replace an existing results folder at --out")


def add_ensemble_argument(parser: argparse.ArgumentParser) -> None:
    """``--ensemble FILE``: run every setting under every plausible parameter vector of FILE."""
    parser.add_argument(
        "--ensemble",
        default=None,
        metavar="FILE",
        help="run under every plausible parameter vector of FILE (CSV: a column per parameter, e.g. "
        "meetings.observation_sd, a row per vector) or 'baseline' (the shipped plausible ensemble), and give "
        "intervals that include parameter uncertainty",
    )


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``sweep``, ``compare`` and ``sensitivity`` to the ``bipsim`` command line."""
    sweep = subparsers.add_parser(
        "sweep", help="run many settings x replications of a scenario and write one table of outcomes"
    )
    sweep.add_argument("scenario", nargs="?", default=None, help="a scenario file or built-in name (default: baseline)")
    sweep.add_argument(
        "--vary",
        nargs="+",
        action="extend",
        metavar="NAME=V1,V2",
        help="values of a parameter, e.g. turnover.quit_probability=0.001,0.005; several --vary make a grid",
    )
    sweep.add_argument("--sample", choices=["lhs"], default=None, help="sample settings: lhs (Latin hypercube)")
    sweep.add_argument("--n", type=whole_number, default=None, help="number of sampled settings (with --sample)")
    sweep.add_argument(
        "--ranges", nargs="+", action="extend", metavar="NAME=LO:HI", help="ranges of sampled parameters"
    )
    sweep.add_argument(
        "--independent-seeds",
        action="store_true",
        help="give each (setting, replication) pair its own seed instead of common random numbers across settings",
    )
    sweep.add_argument("--outcomes", default=None, help=f"outcomes to print (default: {','.join(HEADLINE)})")
    sweep.add_argument("--language", default="en", choices=["en", "da"], help="language of the figures (default: en)")
    add_ensemble_argument(sweep)
    add_common_arguments(sweep, replications=10, out_required=True)
    sweep.set_defaults(func=cmd_sweep)

    comp = subparsers.add_parser("compare", help="paired comparison of two scenarios over replications")
    comp.add_argument("scenario_a", metavar="A", help="first scenario (file or built-in name)")
    comp.add_argument("scenario_b", metavar="B", help="second scenario, compared as B - A")
    comp.add_argument("--outcomes", default=None, help="outcomes to compare (default: all)")
    comp.add_argument("--language", default="en", choices=["en", "da"], help="language of the figures (default: en)")
    add_ensemble_argument(comp)
    add_common_arguments(comp, replications=20, out_required=False)
    comp.set_defaults(func=cmd_compare)

    sens = subparsers.add_parser("sensitivity", help="Sobol indices or Morris screening of outcomes (SALib)")
    sens.add_argument("scenario", nargs="?", default=None, help="a scenario file or built-in name (default: baseline)")
    sens.add_argument("--params", required=True, help="comma-separated parameters, e.g. turnover.quit_probability")
    sens.add_argument(
        "--ranges",
        nargs="+",
        action="extend",
        metavar="NAME=LO:HI",
        help="ranges (default: half to 1.5 times the scenario's value, within the declared bounds)",
    )
    sens.add_argument("--method", choices=["sobol", "morris"], default="sobol", help="default: sobol")
    sens.add_argument(
        "--n",
        type=whole_number,
        default=64,
        help="Sobol: base sample (a power of 2; n x (params + 2) points); Morris: trajectories (default: 64)",
    )
    sens.add_argument("--outcome", required=True, help="comma-separated outcomes, e.g. share_job_within_1_year")
    add_common_arguments(sens, replications=1, out_required=True)
    sens.set_defaults(func=cmd_sensitivity)
