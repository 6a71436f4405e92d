"""A recovery study (ADEMP): many replications of one scenario, each analysed and compared with its twins' truth.

Aims: does each method of the real study recover the mechanisms planted in bipsim? Data-generating mechanism:
the scenario, replicated with seeds spawned from one ``SeedSequence``. Estimands: the effects of
:mod:`bipsim.counterfactual` (planted strengths and landmark effects, see
:mod:`bipsim.recovery.replicate`). Methods: every analysis of :func:`bipsim.analysis.analyze`. Performance
measures: :mod:`bipsim.recovery.performance` (Morris, White & Crowther 2019).

Replications run on the ensemble executor (this process, a local Dask cluster or a Dask scheduler); a
replication's seed depends only on ``seed`` and its number, so the tables do not depend on the executor.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import pandas as pd

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
    estimate of every replication with its truth; ``truth``: every twin truth of every replication;
    ``performance``: the ADEMP measures per (estimand, outcome, method, scale); ``seconds``: wall time.
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
    estimates, truth = (_stacked(tables[name]) for name in TABLES)
    if len(estimates):
        groups = estimates.loc[estimates["method"] == REFERENCE_METHOD, ["estimand", "outcome", "scale"]]
        reference = {tuple(g): REFERENCE_METHOD for g in groups.drop_duplicates().itertuples(index=False)}
        measures = performance(estimates, reference=reference)
    else:
        measures = pd.DataFrame(columns=[*KEYS, *MEASURES, *PRECISION, "truth_kind"])
    if len(estimates):
        kinds = estimates.groupby(["estimand", "outcome", "method", "scale"], observed=True)["truth_kind"].first()
        measures = measures.merge(kinds.reset_index(), on=["estimand", "outcome", "method", "scale"], how="left")
        measures = _ordered(measures, estimates)
    return Recovery(scenario, plan, runs, estimates, truth, measures, time.perf_counter() - start)


def _stacked(frames: list[pd.DataFrame]) -> pd.DataFrame:
    if not frames:
        return pd.DataFrame()
    frame = pd.concat(frames, ignore_index=True)
    return frame[["replication", *(c for c in frame.columns if c != "replication")]]


def _ordered(measures: pd.DataFrame, estimates: pd.DataFrame) -> pd.DataFrame:
    """Rows in the estimates table's order (mechanism by mechanism), not alphabetical."""
    order = estimates.drop_duplicates(["estimand", "outcome", "method", "scale"]).reset_index(drop=True)
    order["_order"] = order.index
    keys = ["estimand", "outcome", "method", "scale"]
    merged = measures.merge(order[[*keys, "_order"]], on=keys, how="left")
    return merged.sort_values("_order", kind="stable").drop(columns="_order").reset_index(drop=True)
