"""Counterfactual twins: the true effect of each mechanism, from runs that differ only by that mechanism.

A twin is the same scenario and seed with one mechanism switched off or one intervention withheld.
Because every mechanism draws from its own per-week random stream (:mod:`bipsim.engine.streams`), the twin
sees the same random numbers everywhere else, so the difference between the runs is the mechanism's
effect and not noise. Three kinds of truth are reported for each estimand:

- ``population``: the average over all citizens of the outcome with the mechanism minus without it;
- ``exposed``: the same average over the citizens exposed in the factual run (the effect on the
  treated, which is what a register study of the exposed targets); each citizen is compared with their
  own twin;
- ``planted``: the strength written in the scenario, where one exists, on its own scale (a log hazard
  ratio of job contacts), for methods that estimate it directly.

Outcomes: ``job_1y``, in an ordinary job at some week within the first year (weeks 1-52), and
``self_sufficiency_2y``, the share of weeks 0-103 self-supporting (job or education).
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from bipsim.contract.estimands import ESTIMANDS
from bipsim.contract.vocabulary import EVENT_KEYS, INDICATOR_KEYS, INTERVENTION_KEYS, JOB_FOCUSED, status_code
from bipsim.engine.kernels import kernel
from bipsim.engine.streams import SeedLike
from bipsim.mechanisms.interventions import after_multipliers
from bipsim.model.model import BipModel
from bipsim.scenario import Scenario

JOB, EDUCATION, WAITING = status_code("job"), status_code("education"), status_code("waiting")
YEAR, TWO_YEARS = 52, 104
OUTCOMES: tuple[str, ...] = ("job_1y", "self_sufficiency_2y")


@dataclass(frozen=True)
class Twin:
    """An estimand's twin: the contrast that removes its mechanism, and who counts as exposed in the factual run.

    Built from :data:`bipsim.contract.estimands.ESTIMANDS`, one twin per estimand.
    """

    estimand: str
    description: str
    overrides: dict[str, dict[str, Any]]
    exposed: Callable[[BipModel], np.ndarray]
    planted: Callable[[Scenario], float] | None = None


def _changed_in_first_year(model: BipModel) -> np.ndarray:
    events = event_columns(model)
    kind = events["kind"] == _event_code("caseworker_change")
    first_year = kind & (events["week"] < YEAR)
    exposed = np.zeros(model.citizens.size, dtype=bool)
    exposed[events["citizen"][first_year]] = True
    return exposed


def _believed_at_first_wave(model: BipModel) -> np.ndarray:
    return model.record["belief"][min(12, model.week - 1)] >= 0.5


def _waited_in_first_year(model: BipModel) -> np.ndarray:
    return (model.record["status"][:YEAR] == WAITING).any(axis=0)


def _started_in_first_year(intervention: str) -> Callable[[BipModel], np.ndarray]:
    code = INTERVENTION_KEYS.index(intervention)

    def exposed(model: BipModel) -> np.ndarray:
        return (model.record["activity"][:YEAR] == code).any(axis=0)

    return exposed


def _everyone(model: BipModel) -> np.ndarray:
    return np.ones(model.citizens.size, dtype=bool)


def _event_code(kind: str) -> int:
    return EVENT_KEYS.index(kind)


_EVENT_COLUMNS: weakref.WeakKeyDictionary[BipModel, tuple[int, dict[str, np.ndarray]]] = weakref.WeakKeyDictionary()


def event_columns(model: BipModel) -> dict[str, np.ndarray]:
    """``model.events.columns()``, made once per week run (the truths read a finished run's log many times)."""
    cached = _EVENT_COLUMNS.get(model)
    if cached is None or cached[0] != model.week:
        cached = _EVENT_COLUMNS[model] = (model.week, model.events.columns())
    return cached[1]


def _intervention_multiplier(intervention: str) -> Callable[[Scenario], float]:
    def planted(scenario: Scenario) -> float:
        p = scenario.values().interventions
        if not p.enabled or intervention in p.withheld:
            return 0.0
        return float(np.log(after_multipliers(p)[INTERVENTION_KEYS.index(intervention)]))

    return planted


# Who counts as exposed in the factual run, and the planted strength where one exists, by estimand
EXPOSED: dict[str, Callable[[BipModel], np.ndarray]] = {
    "caseworker_change": _changed_in_first_year,
    "caseworker_belief": _believed_at_first_wave,
    "waiting": _waited_in_first_year,
    "business_cycle": _everyone,
    "trust": _everyone,
    "search": _everyone,
    "employer_learning": _everyone,
    **{key: _started_in_first_year(key) for key in INTERVENTION_KEYS},
}
PLANTED: dict[str, Callable[[Scenario], float]] = {
    "caseworker_belief": lambda s: float(np.log(s.meetings.belief_effect)) if s.meetings.enabled else 0.0,
    **{key: _intervention_multiplier(key) for key in INTERVENTION_KEYS},
}
TWINS: tuple[Twin, ...] = tuple(
    Twin(e.key, e.contrast_text, e.contrast, EXPOSED[e.key], PLANTED.get(e.key)) for e in ESTIMANDS
)


def outcomes(model: BipModel) -> dict[str, np.ndarray]:
    """Each outcome per citizen, from the model's records."""
    status = model.record["status"][: model.week]
    job_1y = (status[1 : YEAR + 1] == JOB).any(axis=0)
    window = status[:TWO_YEARS]
    self_sufficiency = ((window == JOB) | (window == EDUCATION)).mean(axis=0)
    return {"job_1y": job_1y.astype(float), "self_sufficiency_2y": self_sufficiency}


def twin_scenario(scenario: Scenario, twin: Twin) -> Scenario:
    """The scenario of ``twin``: the factual one with the twin's mechanism removed."""
    return contrast_scenario(scenario, twin.overrides)


def contrast_scenario(scenario: Scenario, overrides: dict[str, dict[str, Any]]) -> Scenario:
    """``scenario`` with a contrast's changes; a list (types withheld, gains switched off) joins the scenario's own."""
    changes = {group: dict(values) for group, values in overrides.items()}
    for group, values in changes.items():
        for name, value in values.items():
            if isinstance(value, list):
                values[name] = sorted(set(getattr(getattr(scenario, group), name)) | set(value))
    return scenario.replace(**changes)


def twin_runs(
    scenario: Scenario, seed: SeedLike, weeks: int = TWO_YEARS, twins: tuple[Twin, ...] = TWINS
) -> Iterator[tuple[Twin, BipModel]]:
    """Run each twin of ``scenario`` with ``seed`` for its first ``weeks`` weeks (at most the scenario's).

    Weeks are independent random streams, so stopping early changes no draw of the weeks that are run.
    """
    horizon = {"population": {"weeks": min(scenario.population.weeks, weeks)}}
    for twin in twins:
        yield twin, BipModel(twin_scenario(scenario, twin).replace(**horizon), seed=seed).run()


def effect_rows(twin: Twin, factual: BipModel, counterfactual: BipModel) -> list[dict[str, Any]]:
    """The population, exposed and planted truths of ``twin``, from the factual run and the twin's run."""
    factual_outcomes, twin_outcomes = outcomes(factual), outcomes(counterfactual)
    exposed = twin.exposed(factual)
    rows = []
    for outcome in OUTCOMES:
        difference = factual_outcomes[outcome] - twin_outcomes[outcome]
        scale = "risk_difference" if outcome == "job_1y" else "mean_difference"
        rows.append(
            {
                "estimand": twin.estimand,
                "outcome": outcome,
                "kind": "population",
                "scale": scale,
                "truth": float(difference.mean()),
                "n": int(difference.size),
            }
        )
        rows.append(
            {
                "estimand": twin.estimand,
                "outcome": outcome,
                "kind": "exposed",
                "scale": scale,
                "truth": float(difference[exposed].mean()) if exposed.any() else np.nan,
                "n": int(exposed.sum()),
            }
        )
    if twin.planted is not None:
        rows.append(
            {
                "estimand": twin.estimand,
                "outcome": "job_entry",
                "kind": "planted",
                "scale": "log_hazard_ratio",
                "truth": twin.planted(factual.scenario),
                "n": 0,
            }
        )
    return rows


def true_effects(
    scenario: Scenario, seed: SeedLike, factual: BipModel | None = None, twins: tuple[Twin, ...] = TWINS
) -> pd.DataFrame:
    """The true effect of every estimand on every outcome, from twin runs with common random numbers.

    ``factual`` is the already-finished run of ``scenario`` with ``seed``, when there is one.
    """
    factual = factual if factual is not None else BipModel(scenario, seed=seed).run()
    rows = []
    for twin, counterfactual in twin_runs(scenario, seed, TWO_YEARS, twins):
        rows += effect_rows(twin, factual, counterfactual)
    return pd.DataFrame(rows)


# --- truths on the methods' own scales, from a factual run and a twin ------------------------------------------

AT_RISK = np.array([status_code(s) for s in ("activity_ready", "job_ready", "in_activity", "waiting")])
"""Statuses the register codes as social assistance: the weeks at risk of job entry."""
READINESS_ITEMS = np.array([k for k, key in enumerate(INDICATOR_KEYS) if key != "caseworker_job_belief"])
"""The latent indicators whose mean is the citizen's readiness (the survey's readiness items)."""


def at_risk_and_entries(model: BipModel, weeks: int) -> tuple[np.ndarray, np.ndarray]:
    """(citizens, weeks - 1) masks: on social assistance in week t, and in an ordinary job in week t + 1."""
    status = model.record["status"][:weeks].T
    at_risk = np.isin(status[:, :-1], AT_RISK)
    return at_risk, at_risk & (status[:, 1:] == JOB)


def pooled_log_odds_ratio(
    window: np.ndarray, factual: tuple[np.ndarray, np.ndarray], twin: tuple[np.ndarray, np.ndarray]
) -> tuple[float, int]:
    """Log odds ratio of job entry, factual against twin, pooled over the cells of ``window`` at risk in each run.

    ``window`` (citizens, weeks) marks the factual run's exposed weeks; ``factual`` and ``twin`` are each run's
    (at risk, entry) masks of :func:`at_risk_and_entries` (the twin's may be shorter). Each run counts its own
    weeks at risk among the cells and its entries; the result is NaN when a run has no entry or no non-entry.
    Returns the log odds ratio and the factual run's exposed weeks at risk.
    """
    weeks = min(window.shape[1], factual[0].shape[1], twin[0].shape[1])
    cells = window[:, :weeks]
    counts = []
    for at_risk, entry in (factual, twin):
        n, e = int((cells & at_risk[:, :weeks]).sum()), int((cells & entry[:, :weeks]).sum())
        counts.append((n, e))
    (n_f, e_f), (n_t, e_t) = counts
    if min(e_f, e_t, n_f - e_f, n_t - e_t) <= 0:
        return np.nan, n_f
    return float(np.log(e_f / (n_f - e_f)) - np.log(e_t / (n_t - e_t))), n_f


def readiness_change(model: BipModel, citizens: np.ndarray, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Change of true readiness of ``citizens`` from week ``start`` to week ``end`` (one pair of weeks each)."""
    every = model.params.records.latent_every_weeks
    latent = model.latent_record[:, :, READINESS_ITEMS].astype(np.float64).mean(axis=2)
    return latent[citizens, np.asarray(end) // every] - latent[citizens, np.asarray(start) // every]


def job_within(model: BipModel, citizens: np.ndarray, after: np.ndarray, span: int) -> np.ndarray:
    """Whether each of ``citizens`` is in an ordinary job in some week of ``after + 1 .. after + span`` (float)."""
    in_job = model.record["status"] == JOB  # (weeks, citizens)
    cumulative = np.concatenate([np.zeros((1, in_job.shape[1]), int), np.cumsum(in_job, axis=0)], axis=0)
    last = np.minimum(np.asarray(after) + 1 + span, in_job.shape[0])
    return ((cumulative[last, citizens] - cumulative[np.asarray(after) + 1, citizens]) > 0).astype(float)


def believed(model: BipModel) -> np.ndarray:
    """(citizens, weeks): the caseworker's hidden belief is at or above the threshold from which it acts."""
    threshold = model.params.meetings.belief_effect_threshold
    return (model.record["belief"][: model.week] >= threshold).T


def waited(model: BipModel) -> np.ndarray:
    """(citizens, weeks): the citizen waits for a place that week."""
    return (model.record["status"][: model.week] == WAITING).T


def experienced_by(model: BipModel, estimand: str, citizens: np.ndarray, last_week: np.ndarray) -> np.ndarray:
    """Whether each of ``citizens`` lived through ``estimand``'s exposure by week ``last_week`` (inclusive).

    A caseworker change (its event), a week waiting, or taking part in the activity (a start of it).
    """
    events = event_columns(model)
    if estimand == "waiting":
        weeks = waited(model)
        return np.array([weeks[c, : w + 1].any() for c, w in zip(citizens, last_week, strict=True)])
    if estimand == "caseworker_change":
        mask = events["kind"] == _event_code("caseworker_change")
    elif estimand in INTERVENTION_KEYS:
        code = model.events.detail_codes(INTERVENTION_KEYS)[INTERVENTION_KEYS.index(estimand)]
        mask = (events["kind"] == _event_code("intervention_start")) & (events["detail"] == code)
    else:
        raise ValueError(f"no experience of {estimand!r} is defined")
    first = np.full(model.citizens.size, np.iinfo(np.int64).max)
    np.minimum.at(first, events["citizen"][mask], events["week"][mask])
    return first[citizens] <= np.asarray(last_week)


def after_effects_in_force(
    model: BipModel, without: str | None = None, citizens: np.ndarray | None = None
) -> np.ndarray:
    """(citizens, weeks): the after-effect multiplier on each citizen's employer contacts each week (1: none).

    Replays the planted rule of :func:`bipsim.mechanisms.interventions.finish` from the factual run's completions:
    a completed activity puts its multiplier in force for ``interventions.after_effect_weeks`` from its last week,
    support only while job-focused help ran within that many weeks, and a completion while a stronger after-effect
    is in force changes nothing (it neither replaces nor extends it). ``without``: replay as if that type's
    completions had set nothing (its spells still count as job-focused help), which isolates the type's own
    after-effect. ``citizens``: replay only these (the others keep 1).
    """
    p = model.params.interventions
    weeks, n = model.week, model.citizens.size
    in_force = np.ones((n, weeks))
    if not p.enabled:
        return in_force
    multipliers = after_multipliers(p)
    span = p.after_effect_weeks
    events = event_columns(model)
    kind_of_code = {int(code): k for k, code in enumerate(model.events.detail_codes(INTERVENTION_KEYS))}
    start, end = _event_code("intervention_start"), _event_code("intervention_end")
    chosen = np.isin(events["kind"], [start, end])
    if citizens is not None:
        chosen &= np.isin(events["citizen"], citizens)
    skipped = INTERVENTION_KEYS.index(without) if without is not None else -1
    detail_type = np.full(int(max(kind_of_code, default=0)) + 1, -1, dtype=np.int64)
    for code, k in kind_of_code.items():
        detail_type[code] = k
    job_focused = np.isin(np.arange(len(INTERVENTION_KEYS)), list(JOB_FOCUSED))
    _replay_after_effects(
        week=events["week"][chosen].astype(np.int64),
        is_start=events["kind"][chosen] == start,
        citizen=events["citizen"][chosen].astype(np.int64),
        kind=detail_type[events["detail"][chosen]],
        value=events["value"][chosen].astype(np.float64),
        multipliers=np.asarray(multipliers, dtype=np.float64),
        job_focused=job_focused,
        span=int(span),
        skipped=skipped,
        in_force=in_force,
    )
    return in_force


@kernel
def _replay_after_effects(week, is_start, citizen, kind, value, multipliers, job_focused, span, skipped, in_force):
    """The replay of :func:`after_effects_in_force`, citizen by citizen, their events in the log's order."""
    order = np.argsort(citizen, kind="mergesort")  # stable: each citizen's events stay in the log's order
    first = 0
    while first < order.size:
        c = citizen[order[first]]
        last = first
        while last < order.size and citizen[order[last]] == c:
            last += 1
        spell_start = np.empty(last - first)
        spell_end = np.empty(last - first)
        spells = 0
        before, until = 1.0, 0
        for position in range(first, last):
            j = order[position]
            k, w = kind[j], week[j]
            if is_start[j]:
                if job_focused[k]:
                    spell_start[spells], spell_end[spells] = w, np.inf
                    spells += 1
                continue
            if job_focused[k]:  # the end of the citizen's running job-focused spell
                spell_end[spells - 1] = w
            if value[j] != 1.0 or k == skipped:
                continue
            multiplier = multipliers[k]
            if not job_focused[k]:
                alongside = False
                for s in range(spells):
                    if spell_start[s] <= w and spell_end[s] + span >= w:
                        alongside = True
                        break
                if not alongside:
                    multiplier = 1.0
            if until > w and multiplier < before:
                continue  # a weaker completion leaves the stronger after-effect in force as it was
            before, until = multiplier, w + span
            in_force[c, w : min(w + span, in_force.shape[1])] = multiplier
        first = last


def completed(model: BipModel, intervention: str) -> np.ndarray:
    """The citizens who completed ``intervention`` at least once."""
    events = event_columns(model)
    code = model.events.detail_codes(INTERVENTION_KEYS)[INTERVENTION_KEYS.index(intervention)]
    done = (events["kind"] == _event_code("intervention_end")) & (events["detail"] == code) & (events["value"] == 1.0)
    return np.unique(events["citizen"][done])


def structural_log_multiplier(
    model: BipModel, estimand: str, window: np.ndarray, at_risk: np.ndarray, in_force: np.ndarray | None = None
) -> float:
    """Mean log multiplier the exposure's own rule puts on employer contacts over its exposed weeks at risk.

    The caseworker's belief: ``meetings.belief_effect`` in every week it acts (0 with meetings switched off). An
    activity: its after-effect in force (``in_force``, :func:`after_effects_in_force` of the run when given)
    against the same replay without its completions. NaN when there is no exposed week at risk.
    """
    weeks = min(window.shape[1], at_risk.shape[1])
    cells = window[:, :weeks] & at_risk[:, :weeks]
    if not cells.any():
        return np.nan
    if estimand == "caseworker_belief":
        m = model.params.meetings
        return float(np.log(m.belief_effect)) if m.enabled else 0.0
    if estimand not in INTERVENTION_KEYS:
        raise ValueError(f"no planted multiplier of {estimand!r}")
    with_it = after_effects_in_force(model) if in_force is None else in_force
    touched = completed(model, estimand)
    without = with_it.copy()
    without[touched] = after_effects_in_force(model, without=estimand, citizens=touched)[touched]
    return float((np.log(with_it[:, :weeks][cells]) - np.log(without[:, :weeks][cells])).mean())
