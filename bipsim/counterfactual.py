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

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from bipsim.contract.estimands import ESTIMANDS
from bipsim.contract.vocabulary import EVENT_KEYS, INTERVENTION_KEYS, status_code
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
    events = model.events.columns()
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
    overrides = {group: dict(values) for group, values in twin.overrides.items()}
    if "interventions" in overrides and "withheld" in overrides["interventions"]:
        already = list(scenario.interventions.withheld)
        overrides["interventions"]["withheld"] = sorted(set(already) | set(overrides["interventions"]["withheld"]))
    return scenario.replace(**overrides)


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
