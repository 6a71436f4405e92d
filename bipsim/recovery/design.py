"""A design study: the same worlds studied with different data strategies, each diagnosed against its own truths.

DeclareDesign's split (Blair, Cooper, Coppock & Humphreys 2019, "Declaring and diagnosing research designs", APSR
113:838-859): the *model* is the world (every scenario group but :data:`bipsim.scenario.DESIGN_GROUPS`), the
*inquiry* an estimand of :mod:`bipsim.contract.estimands` with its twin truth, the *data strategy* the design
groups (survey waves and spacing, respondents, sampling, non-response, rater error, the qualitative study's size
and length) plus the world's size where it is varied, and the *answer strategy* the analysis methods. Diagnosis is
the recovery study's (:mod:`bipsim.recovery.performance`) per design: bias, RMSE, coverage and power or type I error,
each with its Monte Carlo SE; redesign is the grid of designs and :func:`smallest_designs`.

Runs: designs that share a world (they differ only in design groups) study the same run: each replication runs
the world and its twins once and observes it with every design (:func:`bipsim.recovery.replicate.replicate_designs`).
Every world's replication ``r`` has the same seed (common random numbers), so differences between designs are
design effects, not luck. A task is a (world, replication) pair, so results do not depend on the executor.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import Any

import numpy as np
import pandas as pd

from bipsim.ensemble.execute import Progress, describe_error, execute, identity
from bipsim.ensemble.plan import Plan, RunSpec, grid
from bipsim.recovery.performance import KEYS, performance
from bipsim.recovery.replicate import replicate_designs
from bipsim.recovery.study import described, stacked
from bipsim.scenario import DESIGN_GROUPS, Scenario

POWER, COVERAGE = 0.8, 0.9
"""What :func:`smallest_designs` asks of a design: power at least 0.8 and coverage at least 0.9."""
DIAGNOSIS = (
    "estimand_kind",
    "has_truth",
    "true_value",
    "bias",
    "bias_mcse",
    "rmse",
    "rmse_mcse",
    "coverage",
    "coverage_mcse",
    "rejection",
    "rejection_mcse",
    "rejection_is",
    "replications",
    "estimable",
)
"""The diagnosands of a design table, in order (every measure of the recovery study is in ``performance``)."""


@dataclass(frozen=True)
class DesignRunSpec(RunSpec):
    """A world's replication and the designs that study it: ``(design_id, ((name, value), ...))`` each."""

    designs: tuple[tuple[int, tuple[tuple[str, Any], ...]], ...] = ()


@dataclass
class DesignStudy:
    """The results of :func:`design_study`.

    ``designs``: one row per design (``design_id``, ``label``, the value of every varied parameter, ``world_id``);
    ``replications`` and ``truth``: every estimate and truth with its ``design_id``; ``performance``: every
    recovery measure per design and (estimand, outcome, method, scale); ``runs``: one row per (world,
    replication) task; ``varied``: the varied parameters in the order given.
    """

    scenario: Scenario
    plan: Plan
    varied: list[str]
    designs: pd.DataFrame
    runs: pd.DataFrame
    replications: pd.DataFrame
    truth: pd.DataFrame
    performance: pd.DataFrame
    seconds: float

    @property
    def failed(self) -> int:
        """Tasks that raised (recorded in ``runs``)."""
        return int((self.runs["status"] != "ok").sum())


def is_design(name: str) -> bool:
    """Whether the dotted parameter ``name`` belongs to the data strategy rather than the world."""
    return name.partition(".")[0] in DESIGN_GROUPS


def design_label(setting: dict[str, Any]) -> str:
    """A design's name from its varied values, e.g. ``population.citizens=1000, survey.waves=4``."""
    return ", ".join(f"{name}={value}" for name, value in setting.items()) or "as declared"


def peak_memory_mb() -> float:
    """The peak resident memory of this process so far, in MiB (where the platform reports it; else NaN)."""
    try:
        import resource
    except ImportError:  # not on Windows
        return float("nan")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 / (1024 if sys.platform == "darwin" else 1)  # bytes on macOS, KiB on Linux


def design_one(spec: DesignRunSpec) -> dict[str, Any]:
    """The executor's task: one replication of a world, observed and analysed with each of its designs."""
    row = identity(spec)
    start = time.perf_counter()
    try:
        world = spec.scenario()
        designs = [world.replace(overrides=dict(values)) if values else world for _, values in spec.designs]
        results = replicate_designs(world, spec.seed(), designs)
    except Exception as exc:  # noqa: BLE001 - a failed replication is recorded, the study goes on
        row.update(wall_seconds=time.perf_counter() - start, status="error", error=describe_error(exc))
        return row
    seconds: dict[str, float] = {}
    for result in results:
        for phase, value in result.seconds.items():
            seconds[f"seconds_{phase}"] = seconds.get(f"seconds_{phase}", 0.0) + value
    ids = [design_id for design_id, _ in spec.designs]
    row.update(
        wall_seconds=time.perf_counter() - start,
        status="ok",
        error="",
        designs=len(ids),
        peak_memory_mb=peak_memory_mb(),
        **seconds,
        estimates=pd.concat([r.estimates.assign(design_id=i) for i, r in zip(ids, results, strict=True)]),
        truth=pd.concat([r.truth.assign(design_id=i) for i, r in zip(ids, results, strict=True)]),
    )
    return row


def design_plan(
    scenario: Scenario, varied: Sequence[tuple[str, Sequence[Any]]], replications: int, seed: int = 0
) -> tuple[Plan, pd.DataFrame, list[DesignRunSpec]]:
    """The designs of the grid of ``varied`` values, the worlds they need and one task per (world, replication).

    Designs whose varied values differ only in design groups share a world. Returns the plan of the worlds, the
    designs table and the tasks.
    """
    settings = grid(varied) if varied else [{}]
    worlds: dict[tuple, list[tuple[int, tuple[tuple[str, Any], ...]]]] = {}
    rows = []
    for design_id, setting in enumerate(settings):
        world = tuple((k, v) for k, v in setting.items() if not is_design(k))
        own = tuple((k, v) for k, v in setting.items() if is_design(k))
        world_id = list(worlds).index(world) if world in worlds else len(worlds)
        worlds.setdefault(world, []).append((design_id, own))
        rows.append({"design_id": design_id, "label": design_label(setting), "world_id": world_id, **setting})
    plan = Plan.sweep(scenario, [dict(world) for world in worlds], replications, seed)
    members = list(worlds.values())
    tasks = [
        DesignRunSpec(
            **{f.name: getattr(spec, f.name) for f in fields(RunSpec)}, designs=tuple(members[spec.setting_id])
        )
        for spec in plan.runs()
    ]
    return plan, pd.DataFrame(rows), tasks


def design_study(
    scenario: Scenario,
    varied: Sequence[tuple[str, Sequence[Any]]],
    replications: int,
    seed: int = 0,
    workers: int = 1,
    scheduler: str | None = None,
    progress: Progress | None = None,
) -> DesignStudy:
    """Diagnose every design of the grid of ``varied`` values over ``replications`` replications of each world."""
    if replications < 1:
        raise ValueError(f"replications must be at least 1, not {replications}")
    start = time.perf_counter()
    plan, designs, tasks = design_plan(scenario, varied, replications, seed)
    rows = execute(tasks, workers, scheduler, progress, task=design_one)
    estimates, truth = [], []
    for row in rows:
        for key, kept in (("estimates", estimates), ("truth", truth)):
            frame = row.pop(key, None)
            if frame is not None:
                kept.append(frame.assign(replication=row["replication"]))
    runs = pd.DataFrame(rows).rename(columns={"setting_id": "world_id"})
    replications_table = stacked(estimates, first=("design_id", "replication"))
    truth_table = stacked(truth, first=("design_id", "replication"))
    return DesignStudy(
        scenario,
        plan,
        [name for name, _ in varied],
        designs,
        runs,
        replications_table,
        truth_table,
        diagnose(replications_table, designs),
        time.perf_counter() - start,
    )


def diagnose(replications: pd.DataFrame, designs: pd.DataFrame) -> pd.DataFrame:
    """Every recovery measure per design and (estimand, outcome, method, scale), with the design's values.

    ``rejection_is`` says what the rejection rate measures: ``power`` where the mean truth is not zero, ``type I
    error`` where it is (an estimand switched off), empty where the estimand has no truth or its method no test.
    """
    if replications.empty:
        return pd.DataFrame(columns=["design_id", *KEYS, *DIAGNOSIS])
    measures = performance(replications, keys=["design_id", *KEYS])
    description = pd.concat(
        [described(frame).assign(design_id=design_id) for design_id, frame in replications.groupby("design_id")]
    )
    table = measures.merge(description, on=["design_id", *KEYS], how="left")
    truth_known = (
        table["has_truth"].fillna(False).astype(bool) & table["true_value"].notna() & table["rejection"].notna()
    )
    table["rejection_is"] = np.where(
        truth_known, np.where(table["true_value"].abs() > 1e-12, "power", "type I error"), ""
    )
    return designs.merge(table, on="design_id", how="right")


def design_cost(designs: pd.DataFrame, varied: Sequence[str]) -> pd.Series:
    """A design's size for "smallest": the product of its numeric varied values, each over its smallest value.

    With citizens and waves varied, a design of 1,000 citizens and 8 waves costs 2 (as many answers as 2,000
    citizens and 4 waves); booleans and names do not count.
    """
    cost = pd.Series(1.0, index=designs.index)
    for name in varied:
        values = designs[name]
        if pd.api.types.is_bool_dtype(values) or not pd.api.types.is_numeric_dtype(values):
            continue
        smallest = values.astype(float).min()
        if smallest > 0:
            cost *= values.astype(float) / smallest
    return cost


def smallest_designs(study: DesignStudy, power: float = POWER, coverage: float = COVERAGE) -> pd.DataFrame:
    """Per (estimand, outcome, method, scale) with a non-zero truth: the smallest design with enough power and coverage.

    "Smallest" is :func:`design_cost`, ties broken by the design's order. Rows where no design qualifies say so
    (``design_id`` missing), with the best power and coverage any design reached.
    """
    table = study.performance
    table = table[table["rejection_is"] == "power"].copy()
    cost = design_cost(study.designs, study.varied).rename("cost")
    table = table.merge(study.designs[["design_id"]].assign(cost=cost), on="design_id", how="left")
    rows = []
    for key, group in table.groupby(KEYS, sort=False):
        if group["rejection"].isna().all():
            continue  # never estimated: no design to recommend, nothing to say
        good = group[(group["rejection"] >= power) & (group["coverage"] >= coverage)]
        row = dict(zip(KEYS, key, strict=True))
        row["estimand_kind"] = group["estimand_kind"].iloc[0]
        if len(good):
            best = good.sort_values(["cost", "design_id"], kind="stable").iloc[0]
            row |= {
                "design_id": int(best["design_id"]),
                "label": best["label"],
                "rejection": best["rejection"],
                "coverage": best["coverage"],
            }
        else:
            row |= {
                "design_id": pd.NA,
                "label": "",
                "best_rejection": group["rejection"].max(),
                "best_coverage": group["coverage"].max(),
            }
        rows.append(row)
    return pd.DataFrame(rows)


def tidy_simulations(study: DesignStudy) -> pd.DataFrame:
    """The replication table in the layout DeclareDesign's ``diagnose_design(simulations_df = ...)`` and rsimsum read.

    One row per (design, replication, inquiry, estimator) with an estimate: ``design``, ``sim_ID`` (from 1),
    ``inquiry`` (``estimand:estimand_kind:outcome``), ``estimator`` (the method), ``estimate``, ``std.error``,
    ``conf.low``, ``conf.high``, ``p.value``, ``estimand`` (the true value, DeclareDesign's name for it), then bipsim's
    own ``mechanism``, ``estimand_kind``, ``outcome``, ``scale`` and every varied parameter.
    """
    frame = study.replications
    if frame.empty:
        return pd.DataFrame()
    frame = frame[frame["estimate"].notna()].merge(study.designs, on="design_id", how="left")
    tidy = pd.DataFrame(
        {
            "design": frame["label"],
            "sim_ID": frame["replication"].astype(int) + 1,
            "inquiry": frame["estimand"] + ":" + frame["estimand_kind"] + ":" + frame["outcome"],
            "estimator": frame["method"],
            "estimate": frame["estimate"],
            "std.error": frame["se"],
            "conf.low": frame["ci_low"],
            "conf.high": frame["ci_high"],
            "p.value": frame["p_value"],
            "estimand": frame["truth"],
            "mechanism": frame["estimand"],
            "estimand_kind": frame["estimand_kind"],
            "outcome": frame["outcome"],
            "scale": frame["scale"],
        }
    )
    for name in study.varied:
        tidy[name] = frame[name].to_numpy()
    return tidy.reset_index(drop=True)
