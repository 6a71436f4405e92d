"""One replication of a recovery study: run, observe, analyse, and compute each estimand's truth for the same citizens.

The analyses see only the observed tables (:func:`bipsim.instruments.observe`). Each estimate is compared with the
truth of the estimand its method declares (:mod:`bipsim.analysis.methods`) for the same mechanism, computed for the
population the method used, on its scale (:data:`TRUTHS`):

- ``hazard_total``: the log odds ratio of weekly job entry, factual against the twin without the mechanism,
  pooled over the factual run's exposed weeks at risk within the twins' horizon (:data:`TWIN_WEEKS`);
- ``hazard_structural``: the mean log multiplier the exposure's planted rule puts on employer contacts in those
  weeks (replayed from the factual run, no twin);
- ``landmark_exposed_*``: for the citizens the register shows on social assistance at the landmark week and
  exposed before it, the mean of their outcome after the landmark minus their twin's;
- ``readiness_change``: for the survey's person-quarters exposed in the quarter (within the twins' horizon), the
  change of true readiness over the quarter minus the twin's;
- ``readiness_mediated_job``: for the mediation's exposed person-quarters, a job within a year after the later
  wave minus the same in the twin without the activity's readiness gains (the natural indirect effect);
- ``experience_share``: the share of the interviewed citizens who lived through the exposure (no twin).

Twins (:mod:`bipsim.counterfactual`) run with the same seed (common random numbers), one per contrast that an
estimate of this replication needs (:func:`twin_plan`), each only as long as its truths need: a truth no estimate
of the replication uses (a row too thin to estimate) costs no twin. An estimand kind without a truth (``no_truth``
in its declaration) gets none: recovery then reports only how often its method rejects "no effect".
"""

from __future__ import annotations

import copy
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from bipsim.analysis.analyze import Analysis
from bipsim.analysis.horizontal import LANDMARK, YEAR
from bipsim.analysis.methods import METHOD_KEYS, METHODS, reason
from bipsim.analysis.vertical import MEDIATION_WEEKS
from bipsim.contract.codes import IN_POPULATION, SELF_SUPPORTING
from bipsim.contract.estimands import PLANTED, contrast_of, estimand, estimand_kind, has_truth
from bipsim.contract.vocabulary import INTERVENTION_KEYS, status_code
from bipsim.counterfactual import (
    after_effects_in_force,
    at_risk_and_entries,
    believed,
    contrast_scenario,
    experienced_by,
    job_within,
    pooled_log_odds_ratio,
    readiness_change,
    structural_log_multiplier,
    waited,
)
from bipsim.engine.streams import SeedLike
from bipsim.ensemble.execute import describe_error, identity
from bipsim.ensemble.plan import RunSpec
from bipsim.instruments.register import benefit_codes_from_status
from bipsim.model.model import BipModel
from bipsim.scenario import DESIGN_GROUPS, Scenario

JOB = status_code("job")
LANDMARK_OUTCOMES = {"job_1y": YEAR, "self_sufficiency_2y": 2 * YEAR}
TWIN_WEEKS = LANDMARK + 1 + max(LANDMARK_OUTCOMES.values())
"""Weeks a twin runs at most: the landmark week, then two years (what the landmark outcomes need).

Running every twin for the study's four years would double the cost of a recovery study; the hazard and survey
truths are therefore those of the exposed weeks and quarters within this horizon.
"""
TRUTH_COLUMNS = ["estimand", "estimand_kind", "outcome", "scale", "truth", "n"]


@dataclass
class Replication:
    """The estimates of one replication joined with their truth, every truth computed, and the time spent."""

    estimates: pd.DataFrame
    truth: pd.DataFrame
    seconds: dict[str, float]


@dataclass(frozen=True)
class TwinRun:
    """A twin to run: its scenario changes, how many weeks, and the (mechanism, estimand kind) truths it gives."""

    contrast: str
    overrides: dict[str, dict[str, Any]]
    weeks: int
    truths: tuple[tuple[str, str], ...]


def horizon(kind: str, mechanism: str, scenario: Scenario) -> int:
    """Weeks a twin must run to give the truth of ``kind`` for ``mechanism`` (at most :data:`TWIN_WEEKS`).

    Every twin stops at :data:`TWIN_WEEKS`, which the landmark outcomes need: hazard and survey truths are those of
    the exposed weeks and quarters in that horizon (their methods assume one effect for every week of the study).
    """
    weeks = min(scenario.population.weeks, TWIN_WEEKS)
    if kind.startswith("landmark_"):
        return min(weeks, LANDMARK + 1 + LANDMARK_OUTCOMES[estimand_kind(kind).outcome])
    if kind == "readiness_mediated_job":
        return min(weeks, MEDIATION_WEEKS + 1 + YEAR)
    if kind == "readiness_change" and mechanism == "waiting":
        # waiting is seen only through the interviews, which end after the qualitative study's weeks
        return min(weeks, scenario.qualitative_study.study_weeks + 1)
    return weeks


def needed_truths(estimates: pd.DataFrame) -> set[tuple[str, str]]:
    """The (mechanism, estimand kind) truths the estimated rows of ``estimates`` are compared with."""
    needed = set()
    estimated = estimates[estimates["estimate"].notna()]
    for mechanism, method, outcome in zip(
        estimated["estimand"], estimated["method"], estimated["outcome"], strict=True
    ):
        if (method, outcome) in METHOD_KEYS:
            kind = METHODS[METHOD_KEYS.index((method, outcome))].estimand_kind
            if has_truth(mechanism, kind):
                needed.add((mechanism, kind))
    return needed


def declared_truths() -> set[tuple[str, str]]:
    """Every (mechanism, estimand kind) truth that some method's declaration asks for."""
    return {(m, e.estimand_kind) for e in METHODS for m in e.mechanisms if has_truth(m, e.estimand_kind)}


def twin_plan(scenario: Scenario, needed: set[tuple[str, str]] | None = None) -> list[TwinRun]:
    """The twins that give the ``needed`` truths (default: every declared one), each as long as they need.

    A truth's estimand kind names a contrast (:data:`bipsim.contract.estimands.CONTRASTS`) and the mechanism's
    estimand entry says which scenario change makes it (:func:`bipsim.contract.estimands.contrast_of`);
    truths that share a change share the twin.
    """
    plan: dict[str, dict[str, Any]] = {}
    for mechanism, kind in sorted(declared_truths() if needed is None else needed):
        overrides = contrast_of(estimand(mechanism), estimand_kind(kind).contrast)
        if not overrides:
            continue
        key = repr(sorted((g, sorted(v.items())) for g, v in overrides.items()))
        run = plan.setdefault(key, {"contrast": estimand_kind(kind).contrast, "overrides": overrides, "weeks": 0})
        run["weeks"] = max(run["weeks"], horizon(kind, mechanism, scenario))
        run.setdefault("truths", []).append((mechanism, kind))
    return [TwinRun(r["contrast"], r["overrides"], r["weeks"], tuple(r["truths"])) for r in plan.values()]


@dataclass
class Context:
    """What the truths need besides the twin: the factual run, whom the analyses compared, the interview sample."""

    factual: BipModel
    analysis: Analysis
    interviews: pd.DataFrame | None = None

    @cached_property
    def factual_risk(self) -> tuple[np.ndarray, np.ndarray]:
        """The factual run's (at risk, entry) masks."""
        return at_risk_and_entries(self.factual, self.factual.week)

    @cached_property
    def after_effects(self) -> np.ndarray:
        """The factual run's after-effect multipliers in force, citizen by week."""
        return after_effects_in_force(self.factual)

    @cached_property
    def believed(self) -> np.ndarray:
        return believed(self.factual)

    @cached_property
    def waited(self) -> np.ndarray:
        return waited(self.factual)

    def hazard_window(self, mechanism: str) -> np.ndarray | None:
        """(citizens, weeks) the exposure acts in the factual run, as the hazard models count exposed weeks."""
        if mechanism == "caseworker_belief":
            return self.believed
        exposures = self.analysis.exposures
        return None if exposures is None else exposures.matrices.get(mechanism)

    def quarter_exposure(self, mechanism: str) -> tuple[np.ndarray, np.ndarray] | None:
        """The survey's person-quarters used for ``mechanism`` and which of them were truly exposed."""
        quarters = self.analysis.quarters
        if quarters is None:
            return None
        use = quarters.known[mechanism]
        if mechanism == "caseworker_belief":
            exposed = self.believed[quarters.rows, quarters.start_week]
        elif mechanism == "waiting":
            cumulative = np.concatenate([np.zeros((self.waited.shape[0], 1), int), self.waited.cumsum(axis=1)], axis=1)
            rows = quarters.rows
            exposed = cumulative[rows, quarters.end_week + 1] - cumulative[rows, quarters.start_week + 1] > 0
        else:
            exposed = quarters.exposed[mechanism]
        return use, exposed & use


def _hazard(context: Context, mechanism: str, twin: BipModel | None) -> tuple[float, int]:
    window = context.hazard_window(mechanism)
    if window is None or twin is None:
        return np.nan, 0
    return pooled_log_odds_ratio(window, context.factual_risk, at_risk_and_entries(twin, twin.week))


def _structural(context: Context, mechanism: str, twin: BipModel | None) -> tuple[float, int]:
    window = context.hazard_window(mechanism)
    if window is None:
        return np.nan, 0
    at_risk = context.factual_risk[0]
    weeks = min(window.shape[1], at_risk.shape[1])
    exposed = int((window[:, :weeks] & at_risk[:, :weeks]).sum())
    in_force = context.after_effects if mechanism in INTERVENTION_KEYS else None
    return structural_log_multiplier(context.factual, mechanism, window, at_risk, in_force), exposed


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


def _landmark(outcome: str) -> Callable[[Context, str, BipModel | None], tuple[float, int]]:
    def truth(context: Context, mechanism: str, twin: BipModel | None) -> tuple[float, int]:
        landmark = context.analysis.landmark
        if landmark is None or twin is None or mechanism not in landmark.exposed:
            return np.nan, 0
        citizens = landmark.exposed_ids(mechanism).astype(np.intp)
        difference = landmark_outcomes(context.factual, citizens)[outcome] - landmark_outcomes(twin, citizens)[outcome]
        if not citizens.size or not np.isfinite(difference).all():
            return np.nan, int(citizens.size)
        return float(difference.mean()), int(citizens.size)

    return truth


def _readiness_change(context: Context, mechanism: str, twin: BipModel | None) -> tuple[float, int]:
    found = context.quarter_exposure(mechanism)
    if found is None or twin is None:
        return np.nan, 0
    quarters, (_, exposed) = context.analysis.quarters, found
    exposed = exposed & (quarters.end_week < twin.week)  # the quarters within the twin's horizon
    rows, start, end = quarters.rows[exposed], quarters.start_week[exposed], quarters.end_week[exposed]
    if not rows.size:
        return np.nan, 0
    difference = readiness_change(context.factual, rows, start, end) - readiness_change(twin, rows, start, end)
    return float(difference.mean()), int(rows.size)


def _mediated(context: Context, mechanism: str, twin: BipModel | None) -> tuple[float, int]:
    quarters, sample = context.analysis.quarters, context.analysis.mediation
    if quarters is None or sample is None or twin is None:
        return np.nan, 0
    exposed = sample & quarters.exposed[mechanism]
    rows, end = quarters.rows[exposed], quarters.end_week[exposed]
    if not rows.size or end.max() + 1 + YEAR > twin.week:
        return np.nan, int(rows.size)
    difference = job_within(context.factual, rows, end, YEAR) - job_within(twin, rows, end, YEAR)
    return float(difference.mean()), int(rows.size)


def _experience_share(context: Context, mechanism: str, twin: BipModel | None) -> tuple[float, int]:
    interviews = context.interviews
    if interviews is None or interviews.empty:
        return np.nan, 0
    last = interviews.groupby("citizen_id")["week"].max()
    citizens = last.index.to_numpy(dtype=np.intp)
    return float(experienced_by(context.factual, mechanism, citizens, last.to_numpy()).mean()), int(citizens.size)


TRUTHS: dict[str, Callable[[Context, str, BipModel | None], tuple[float, int]]] = {
    "hazard_total": _hazard,
    "hazard_structural": _structural,
    "landmark_exposed_job": _landmark("job_1y"),
    "landmark_exposed_self_sufficiency": _landmark("self_sufficiency_2y"),
    "readiness_change": _readiness_change,
    "readiness_mediated_job": _mediated,
    "experience_share": _experience_share,
}
"""How the truth of each estimand kind with a truth is computed: (context, mechanism, twin) -> (truth, n)."""


def _truth_row(mechanism: str, kind: str, value: float, n: int) -> dict[str, Any]:
    entry = estimand_kind(kind)
    return {
        "estimand": mechanism,
        "estimand_kind": kind,
        "outcome": entry.outcome,
        "scale": entry.scale,
        "truth": value,
        "n": n,
    }


def factual_truths(context: Context, needed: set[tuple[str, str]]) -> list[dict[str, Any]]:
    """The ``needed`` truths that need no twin: the planted rule replayed, and prevalences."""
    return [
        _truth_row(mechanism, kind, *TRUTHS[kind](context, mechanism, None))
        for mechanism, kind in sorted(needed)
        if estimand_kind(kind).contrast in ("structural", "factual")
    ]


def twin_truths(context: Context, run: TwinRun, twin: BipModel) -> list[dict[str, Any]]:
    """The truths ``run``'s twin gives."""
    return [_truth_row(mechanism, kind, *TRUTHS[kind](context, mechanism, twin)) for mechanism, kind in run.truths]


def planted(scenario: Scenario, mechanism: str) -> float:
    """The planted strength of ``mechanism`` as a log hazard ratio (0 when switched off or withheld; NaN: none)."""
    name = PLANTED.get(mechanism)
    if name is None:
        return np.nan
    group, parameter = name.split(".")
    values = scenario.values()
    if not getattr(values, group).enabled:
        return 0.0
    if mechanism in INTERVENTION_KEYS and mechanism in values.interventions.withheld:
        return 0.0
    return float(np.log(getattr(getattr(values, group), parameter)))


def join_truth(estimates: pd.DataFrame, truth: pd.DataFrame, scenario: Scenario | None = None) -> pd.DataFrame:
    """``estimates`` with the estimand kind each method targets, its truth, the planted strength and the reason.

    ``truth`` is NaN where the kind has none; ``reason`` says which of the method's assumptions fail for the
    mechanism (:func:`bipsim.analysis.methods.reason`); ``planted`` is added when ``scenario`` is given.
    """
    kinds, reasons = [], []
    for mechanism, method, outcome in zip(
        estimates["estimand"], estimates["method"], estimates["outcome"], strict=True
    ):
        declared = (method, outcome) in METHOD_KEYS
        kinds.append(METHODS[METHOD_KEYS.index((method, outcome))].estimand_kind if declared else "undeclared")
        reasons.append(reason(method, outcome, mechanism) if declared else "no declared estimand")
    joined = estimates.assign(estimand_kind=kinds)
    lookup = {}
    if len(truth):
        lookup = dict(zip(zip(truth["estimand"], truth["estimand_kind"], strict=True), truth["truth"], strict=True))
    joined["truth"] = [lookup.get(key, np.nan) for key in zip(joined["estimand"], joined["estimand_kind"], strict=True)]
    if scenario is not None:
        joined["planted"] = [planted(scenario, m) for m in joined["estimand"]]
    joined["reason"] = reasons
    return joined


def replicate(scenario: Scenario, seed: SeedLike) -> Replication:
    """Run ``scenario`` with ``seed``, observe and analyse it, run its twins, and join estimates to truth."""
    return replicate_designs(scenario, seed, [scenario])[0]


def as_designed(model: BipModel, design: Scenario) -> BipModel:
    """``model``'s finished run as a study of ``design`` sees it (a shallow copy with the design's scenario).

    ``design`` may differ from the run's scenario only in the study's data strategy
    (:data:`bipsim.scenario.DESIGN_GROUPS`), which never changes the run; the run's state and records are shared,
    read only.
    """
    run, seen_by = model.scenario.to_dict(), design.to_dict()
    changed = [group for group, values in seen_by.items() if group not in DESIGN_GROUPS and values != run[group]]
    if changed:
        raise ValueError(
            f"a design may change only {', '.join(DESIGN_GROUPS)}; this one changes the world's {', '.join(changed)}"
        )
    seen = copy.copy(model)
    seen.scenario, seen.params = design, design.values()
    return seen


@dataclass
class _Study:
    """One design's study of the shared run: its view of the run, analysis, truth context and needed truths."""

    design: Scenario
    context: Context
    needed: set[tuple[str, str]]
    rows: list[dict[str, Any]]
    seconds: dict[str, float]


def replicate_designs(
    world: Scenario, seed: SeedLike, designs: list[Scenario], only: set[tuple[str, str]] | None = None
) -> list[Replication]:
    """One replication of every design in ``designs``, all studying the same run of the world with ``seed``.

    The designs differ from ``world`` (and from each other) only in :data:`bipsim.scenario.DESIGN_GROUPS`. The
    world is run once; each design observes and analyses it; twins are run once for every design that needs
    the same contrast over the same weeks, so their differences are design effects, not luck. The result of a
    design is the one :func:`replicate` gives for it alone. ``only``: compute just these (mechanism, estimand kind)
    truths (and run just their twins); the other estimates keep a missing truth.
    """
    from bipsim.analysis.analyze import analyze
    from bipsim.instruments import observe

    start = time.perf_counter()
    factual = BipModel(world, seed=seed).run()
    model_seconds = time.perf_counter() - start
    studies = []
    for design in designs:
        seconds = {"model": model_seconds / len(designs)}
        start = time.perf_counter()
        seen = as_designed(factual, design)
        observed = observe(seen)
        seconds["instruments"] = time.perf_counter() - start
        start = time.perf_counter()
        analysis = analyze(observed, tables=False)
        seconds["analyses"] = time.perf_counter() - start
        start = time.perf_counter()
        context = Context(seen, analysis, getattr(observed, "interviews", None))
        needed = needed_truths(analysis.estimates)
        if only is not None:
            needed &= only
        rows = factual_truths(context, needed)
        seconds["twins"] = time.perf_counter() - start
        studies.append(_Study(design, context, needed, rows, seconds))
    shared: dict[tuple[str, int], list[tuple[_Study, TwinRun]]] = {}
    for study in studies:
        for run in twin_plan(study.design, study.needed):
            key = (repr(sorted((g, sorted(v.items())) for g, v in run.overrides.items())), run.weeks)
            shared.setdefault(key, []).append((study, run))
    for users in shared.values():
        start = time.perf_counter()
        first = users[0][1]
        changed = contrast_scenario(world, {**first.overrides, "population": {"weeks": first.weeks}})
        twin = BipModel(changed, seed=seed).run()
        each = (time.perf_counter() - start) / len(users)
        for study, run in users:
            begin = time.perf_counter()
            study.rows += twin_truths(study.context, run, twin)
            study.seconds["twins"] += each + time.perf_counter() - begin
    replications = []
    for study in studies:
        truth = pd.DataFrame(study.rows, columns=TRUTH_COLUMNS)
        estimates = join_truth(study.context.analysis.estimates, truth, study.design)
        replications.append(Replication(estimates, truth, study.seconds))
    return replications


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
