"""A recovery study (ADEMP): many replications of one scenario, each analysed and compared with its twins' truth.

Aims: does each method of the real study recover the mechanisms planted in bipsim? Data-generating mechanism:
the scenario, replicated with seeds spawned from one ``SeedSequence``. Estimands: a mechanism of
:data:`bipsim.contract.estimands.ESTIMANDS` with an estimand kind of
:data:`~bipsim.contract.estimands.ESTIMAND_KINDS` (population, contrast, outcome, scale, effect), their truths from
twins (:mod:`bipsim.recovery.replicate`). Methods: every analysis of :func:`bipsim.analysis.analyze`, each
declaring the estimand kind it targets (:mod:`bipsim.analysis.methods`); a method is scored only against the
truth of its own estimand. Performance measures: :mod:`bipsim.recovery.performance` (Morris, White & Crowther
2019), next to what describes each row: the estimand kind, the planted strength, how many replications could
estimate it and on how many exposed citizens and events, and the reason (which assumption fails).

Replications run on the ensemble executor (this process, a local Dask cluster or a Dask scheduler); a
replication's seed depends only on ``seed`` and its number, so the tables do not depend on the executor.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import pandas as pd

from bipsim.contract.estimands import ESTIMAND_KIND_KEYS, estimand_kind, has_truth
from bipsim.ensemble.execute import Progress, execute
from bipsim.ensemble.plan import Plan
from bipsim.recovery.performance import KEYS, MEASURES, PRECISION, performance
from bipsim.recovery.replicate import recover_one
from bipsim.scenario import Scenario

# The method every other method's precision is compared with, where it estimates the same estimand on the same
# scale: the naive register comparison, the simplest analysis a register study would run.
REFERENCE_METHOD = "register_naive"
# the tables a replication returns, by the name of the stacked table
TABLES = {"replications": "estimates", "truth": "truth"}


@dataclass
class Recovery:
    """The results of :func:`recover`.

    ``runs``: one row per replication (seed, status, error, seconds per phase); ``replications``: every
    estimate of every replication with the estimand kind its method targets, its truth, the planted strength and
    the reason; ``truth``: every truth of every replication; ``performance``: per (estimand, outcome, method,
    scale) the description of :data:`DESCRIPTION` and the ADEMP measures; ``seconds``: wall time.
    """

    scenario: Scenario
    plan: Plan
    runs: pd.DataFrame
    replications: pd.DataFrame
    truth: pd.DataFrame
    performance: pd.DataFrame
    seconds: float

    @property
    def failed(self) -> int:
        """Replications that raised (recorded in ``runs``)."""
        return int((self.runs["status"] != "ok").sum())


def recover(
    scenario: Scenario,
    replications: int,
    seed: int = 0,
    workers: int = 1,
    scheduler: str | None = None,
    progress: Progress | None = None,
) -> Recovery:
    """Run ``replications`` replications of ``scenario`` (analyses and twins) and measure each method's performance."""
    if replications < 1:
        raise ValueError(f"replications must be at least 1, not {replications}")
    start = time.perf_counter()
    plan = Plan.sweep(scenario, [{}], replications, seed)
    rows = execute(plan.runs(), workers, scheduler, progress, task=recover_one)
    tables: dict[str, list[pd.DataFrame]] = {name: [] for name in TABLES}
    for row in rows:
        for name, key in TABLES.items():
            frame = row.pop(key, None)
            if frame is not None:
                tables[name].append(frame.assign(replication=row["replication"]))
    runs = pd.DataFrame(rows).drop(columns=["setting_id"])
    estimates, truth = (stacked(tables[name]) for name in TABLES)
    if len(estimates):
        groups = estimates.loc[estimates["method"] == REFERENCE_METHOD, ["estimand", "outcome", "scale"]]
        reference = {tuple(g): REFERENCE_METHOD for g in groups.drop_duplicates().itertuples(index=False)}
        measures = performance(estimates, reference=reference)
        measures = _ordered(measures.merge(described(estimates), on=KEYS, how="left"), estimates)
    else:
        measures = pd.DataFrame(columns=[*KEYS, *DESCRIPTION, *MEASURES, *PRECISION])
    return Recovery(scenario, plan, runs, estimates, truth, measures, time.perf_counter() - start)


DESCRIPTION = (
    "estimand_kind",
    "effect",
    "has_truth",
    "truth_sd",
    "planted",
    "interval_low",
    "interval_high",
    "estimable",
    "exposed_median",
    "events_median",
    "reason",
)
"""What describes a row of the performance table besides its measures."""


def described(estimates: pd.DataFrame) -> pd.DataFrame:
    """The description of each (estimand, outcome, method, scale) row: the columns of :data:`DESCRIPTION`.

    Its estimand kind and effect, whether its estimand has a truth (declared: a twin contrast, the planted rule or
    a fact), the spread of the truth over replications, the planted strength, the mean 95% interval, the share of
    replications with an estimate, the median exposed citizens and events per replication, and the reason (which
    of the method's assumptions fail).
    """
    groups = estimates.groupby(KEYS, observed=True, sort=False)
    table = groups.agg(
        estimand_kind=("estimand_kind", "first"),
        truth_sd=("truth", lambda t: float(t.std(ddof=1)) if t.notna().sum() > 1 else np.nan),
        planted=("planted", "first"),
        interval_low=("ci_low", "mean"),
        interval_high=("ci_high", "mean"),
        estimable=("estimate", lambda e: float(e.notna().mean())),
        exposed_median=("exposed", "median"),
        events_median=("events", "median"),
        reason=("reason", "first"),
    ).reset_index()
    declared = [k in ESTIMAND_KIND_KEYS for k in table["estimand_kind"]]
    table["effect"] = [
        estimand_kind(k).effect if d else "" for k, d in zip(table["estimand_kind"], declared, strict=True)
    ]
    table["has_truth"] = [
        d and has_truth(m, k) for m, k, d in zip(table["estimand"], table["estimand_kind"], declared, strict=True)
    ]
    return table[[*KEYS, *DESCRIPTION]]


def stacked(frames: list[pd.DataFrame], first: tuple[str, ...] = ("replication",)) -> pd.DataFrame:
    """The replications' tables one below the other, the columns ``first`` first (empty without any)."""
    if not frames:
        return pd.DataFrame()
    frame = pd.concat(frames, ignore_index=True)
    return frame[[*first, *(c for c in frame.columns if c not in first)]]


def _ordered(measures: pd.DataFrame, estimates: pd.DataFrame) -> pd.DataFrame:
    """Rows in the estimates table's order (mechanism by mechanism), not alphabetical."""
    order = estimates.drop_duplicates(["estimand", "outcome", "method", "scale"]).reset_index(drop=True)
    order["_order"] = order.index
    keys = ["estimand", "outcome", "method", "scale"]
    merged = measures.merge(order[[*keys, "_order"]], on=keys, how="left")
    return merged.sort_values("_order", kind="stable").drop(columns="_order").reset_index(drop=True)
