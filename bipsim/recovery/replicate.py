"""One replication of a recovery study: run, observe, analyse, and compute the truth for the same citizens.

The analyses see only the observed tables (:func:`bipsim.instruments.observe`). The truth comes from the
counterfactual twins of :mod:`bipsim.counterfactual`, run with the same seed (common random numbers),
and is matched to each estimate by what that estimate targets:

- hazard rows (outcome ``job_entry``, log hazard ratios) are compared with the **planted** strength, where the
  scenario plants one on that scale (the caseworker's belief and the after-effects of activities);
- landmark rows of the register methods (``job_1y``, ``self_sufficiency_2y``) are compared with the
  **landmark** truth: for the citizens the register shows on social assistance at the landmark week and
  exposed before it, the mean of their outcome after the landmark minus their twin's. The twin lacks the
  mechanism for the whole run, so this is the effect of the mechanism on those exposed early (it includes
  exposure after the landmark); a naive comparison also contrasts them with citizens who may be exposed later;
- survey and interview rows measure something else (readiness scores, themes): they get no truth, and
  recovery reports only how often they detect an effect.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from bipsim.analysis.horizontal import LANDMARK, YEAR, Landmark
from bipsim.contract.codes import IN_POPULATION, SELF_SUPPORTING
from bipsim.contract.vocabulary import status_code
from bipsim.counterfactual import Twin, effect_rows, twin_runs
from bipsim.engine.streams import SeedLike
from bipsim.ensemble.execute import describe_error, identity
from bipsim.ensemble.plan import RunSpec
from bipsim.instruments.register import benefit_codes_from_status
from bipsim.model.model import BipModel
from bipsim.scenario import Scenario

JOB = status_code("job")
# Twins run as long as the longest landmark window: the landmark week, then two years of outcome.
LANDMARK_OUTCOMES = {"job_1y": YEAR, "self_sufficiency_2y": 2 * YEAR}
HORIZON = LANDMARK + 1 + max(LANDMARK_OUTCOMES.values())
HAZARD_OUTCOME = "job_entry"
REGISTER_METHODS = ("register_naive", "register_ipw", "register_hazard")


@dataclass
class Replication:
    """The estimates of one replication joined with their truth, every truth computed, and the time spent."""

    estimates: pd.DataFrame
    truth: pd.DataFrame
    seconds: dict[str, float]


def landmark_outcomes(model: BipModel, citizens: np.ndarray) -> dict[str, np.ndarray]:
    """Each landmark outcome of ``citizens`` as the register would code it, from the model's true statuses.

    ``job_1y``: any ordinary-job week in the year after the landmark week; ``self_sufficiency_2y``: the share
    of in-population weeks coded self-supporting in the two years after it. NaN where the run is too short.
    """
    out = {}
    for outcome, span in LANDMARK_OUTCOMES.items():
        end = LANDMARK + 1 + span
        if model.week < end:
            out[outcome] = np.full(citizens.size, np.nan)
            continue
        status = model.record["status"][LANDMARK + 1 : end, citizens]
        if outcome == "job_1y":
            out[outcome] = (status == JOB).any(axis=0).astype(float)
        else:
            codes = benefit_codes_from_status(status.T)
            present = IN_POPULATION[codes]
            supporting = SELF_SUPPORTING[codes] & present
            out[outcome] = supporting.sum(axis=1) / np.maximum(present.sum(axis=1), 1)
    return out


def landmark_rows(twin: Twin, factual: BipModel, counterfactual: BipModel, landmark: Landmark | None) -> list[dict]:
    """The landmark truth of ``twin``: the mean effect on the citizens the register shows exposed before it."""
    if landmark is None or twin.estimand not in landmark.exposed:
        return []
    citizens = landmark.exposed_ids(twin.estimand).astype(np.intp)
    with_mechanism = landmark_outcomes(factual, citizens)
    without = landmark_outcomes(counterfactual, citizens)
    rows = []
    for outcome in LANDMARK_OUTCOMES:
        difference = with_mechanism[outcome] - without[outcome]
        rows.append(
            {
                "estimand": twin.estimand,
                "outcome": outcome,
                "kind": "landmark",
                "scale": "risk_difference" if outcome == "job_1y" else "mean_difference",
                "truth": float(difference.mean()) if citizens.size and np.isfinite(difference).all() else np.nan,
                "n": int(citizens.size),
            }
        )
    return rows


def truth_kind(outcome: str, method: str) -> str | None:
    """Which truth an estimate of ``outcome`` by ``method`` is compared with (``None``: detection only)."""
    if outcome == HAZARD_OUTCOME:
        return "planted"
    if outcome in LANDMARK_OUTCOMES and method in REGISTER_METHODS:
        return "landmark"
    return None


def join_truth(estimates: pd.DataFrame, truth: pd.DataFrame) -> pd.DataFrame:
    """``estimates`` with the columns ``truth_kind`` and ``truth`` (NaN where the estimate has no truth)."""
    kinds = [truth_kind(o, m) for o, m in zip(estimates["outcome"], estimates["method"], strict=True)]
    joined = estimates.assign(truth_kind=pd.Series(kinds, index=estimates.index, dtype=object))
    lookup = truth.drop_duplicates(["estimand", "outcome", "kind"]).set_index(["estimand", "outcome", "kind"])["truth"]
    keys = list(zip(joined["estimand"], joined["outcome"], joined["truth_kind"], strict=True))
    joined["truth"] = [lookup.get(key, np.nan) if key[2] is not None else np.nan for key in keys]
    joined["truth_kind"] = joined["truth_kind"].fillna("none")
    return joined


def replicate(scenario: Scenario, seed: SeedLike) -> Replication:
    """Run ``scenario`` with ``seed``, observe and analyse it, run its twins, and join estimates to truth."""
    from bipsim.analysis.analyze import analyze
    from bipsim.instruments import observe

    seconds = {}
    start = time.perf_counter()
    factual = BipModel(scenario, seed=seed).run()
    seconds["model"] = time.perf_counter() - start
    start = time.perf_counter()
    observed = observe(factual)
    seconds["instruments"] = time.perf_counter() - start
    start = time.perf_counter()
    analysis = analyze(observed, tables=False)
    seconds["analyses"] = time.perf_counter() - start
    start = time.perf_counter()
    rows: list[dict[str, Any]] = []
    for twin, counterfactual in twin_runs(scenario, seed, weeks=HORIZON):
        rows += effect_rows(twin, factual, counterfactual)
        rows += landmark_rows(twin, factual, counterfactual, analysis.landmark)
    truth = pd.DataFrame(rows)
    seconds["twins"] = time.perf_counter() - start
    return Replication(join_truth(analysis.estimates, truth), truth, seconds)


def recover_one(spec: RunSpec) -> dict[str, Any]:
    """The executor's task for one replication: identity, status, timings, and the two tables."""
    row = identity(spec)
    start = time.perf_counter()
    try:
        result = replicate(spec.scenario(), spec.seed())
    except Exception as exc:  # noqa: BLE001 - a failed replication is recorded, the study goes on
        row.update(wall_seconds=time.perf_counter() - start, status="error", error=describe_error(exc))
        return row
    row.update(
        wall_seconds=time.perf_counter() - start,
        status="ok",
        error="",
        **{f"seconds_{phase}": value for phase, value in result.seconds.items()},
        estimates=result.estimates,
        truth=result.truth,
    )
    return row
