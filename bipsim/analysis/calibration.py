"""Calibration: the published BIP figures next to the same figures computed from simulated observed data.

Each target of :data:`TARGETS` is one row of design.md §4: the published value and a function that computes the
figure from the observed tables only (register, survey, background), the way the real study computed it (the
adjusted associations run the study's own hazard model). What the figure is to the model (an *input* it is given,
an *outcome* it must produce, a *rule*), its source and the uncertainty the source implies are declared once in
:mod:`bipsim.analysis.published`; a figure is reproduced when its implausibility is at most
:data:`~bipsim.analysis.published.IMPLAUSIBILITY_CUTOFF`, not within a hand-set tolerance.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from bipsim.analysis.horizontal import RegisterStudy
from bipsim.analysis.measures import SurveyWaves, history_shares
from bipsim.analysis.published import (
    ASSOCIATION_SE,
    IMPLAUSIBILITY_CUTOFF,
    PUBLISHED,
    Published,
    from_model_scale,
    to_model_scale,
)
from bipsim.analysis.register_weeks import EDUCATION, JOB, SOCIAL_ASSISTANCE, ObservedData, RegisterWeeks

YEAR = 52
__all__ = [
    "ASSOCIATION_SE",
    "SOCIAL_ASSISTANCE",
    "TARGET",
    "TARGETS",
    "ObservedData",
    "RegisterWeeks",
    "Target",
    "calibrate",
]


def _first_wave_belief(panel: RegisterWeeks) -> pd.Series:
    survey = panel.data.survey
    item = survey[(survey["indicator"] == "caseworker_job_belief") & (survey["respondent"] == "caseworker")]
    first = item[item["wave"] == item["wave"].min()]
    return first.set_index("citizen_id")["score"]


def _job_within_year_by_belief(panel: RegisterWeeks, scores: tuple[int, ...]) -> float:
    belief = _first_wave_belief(panel)
    chosen = belief[belief.isin(scores)].index.to_numpy()
    if chosen.size == 0:
        return np.nan
    return float(panel.in_job()[panel.row_of(chosen), 1 : YEAR + 1].any(axis=1).mean())


def _belief_share(panel: RegisterWeeks, scores: tuple[int, ...]) -> float:
    belief = _first_wave_belief(panel)
    return float(belief.isin(scores).mean())


def _share_with_change(panel: RegisterWeeks) -> float:
    return float(panel.caseworker_changed().any(axis=1).mean())


def _job_hazard_ratio_after_change(panel: RegisterWeeks) -> float:
    """Weekly job-entry rate from social assistance after a caseworker change relative to without one.

    A Mantel-Haenszel rate ratio stratified by week, so that the comparison is between citizens at the
    same time (later weeks have both more changes and fewer employable citizens left).
    """
    changed_before = (np.cumsum(panel.caseworker_changed(), axis=1) > 0)[:, :-1]
    at_risk = panel.on_assistance()[:, :-1]
    entry = panel.in_job()[:, 1:] & at_risk
    exposed, unexposed = at_risk & changed_before, at_risk & ~changed_before
    n1, n0 = exposed.sum(axis=0), unexposed.sum(axis=0)
    a, b = (entry & exposed).sum(axis=0), (entry & unexposed).sum(axis=0)
    total = np.maximum(n0 + n1, 1)
    denominator = (b * n1 / total).sum()
    return float((a * n0 / total).sum() / denominator) if denominator > 0 else np.nan


def _caseworker_extremes(panel: RegisterWeeks, best: bool) -> float:
    """Share into job or education within two years for the best (least successful) fifth of caseworkers.

    Each caseworker's raw share is shrunk toward the overall share in proportion to its sampling noise
    (empirical Bayes, beta-binomial), so that the extremes reflect differences between caseworkers and not
    the luck of small caseloads.
    """
    start_cw = panel.caseworker[:, 0]
    window = panel.code[:, 1 : 2 * YEAR + 1]
    success = ((window == JOB) | (window == EDUCATION)).any(axis=1)
    frame = pd.DataFrame({"caseworker": start_cw, "success": success})
    counts = frame[frame["caseworker"] >= 0].groupby("caseworker")["success"].agg(["sum", "size"])
    rates = counts["sum"] / counts["size"]
    mean = counts["sum"].sum() / counts["size"].sum()
    noise = (mean * (1 - mean) / counts["size"]).mean()
    between = max(float(rates.var()) - noise, 1e-6)
    prior_size = max(mean * (1 - mean) / between - 1.0, 0.0)  # beta prior worth this many citizens
    shrunk = ((counts["sum"] + prior_size * mean) / (counts["size"] + prior_size)).sort_values()
    fifth = max(1, len(shrunk) // 5)
    return float(shrunk.iloc[-fifth:].mean() if best else shrunk.iloc[:fifth].mean())


def _share_at_least(values: np.ndarray, threshold: float) -> float:
    known = values[~np.isnan(values)]
    return float((known >= threshold).mean())


def _job_spells(panel: RegisterWeeks) -> pd.DataFrame:
    """Ordinary-job spells starting after week 0: start week and length (censored at the end)."""
    in_job = panel.in_job()
    starts = np.argwhere(in_job[:, 1:] & ~in_job[:, :-1])
    rows, start = starts[:, 0], starts[:, 1] + 1
    not_in_job = ~in_job
    lengths = np.empty(rows.size, dtype=int)
    for i, (r, s) in enumerate(zip(rows, start, strict=True)):
        ends = np.flatnonzero(not_in_job[r, s:])
        lengths[i] = ends[0] if ends.size else panel.weeks - s
    return pd.DataFrame({"start": start, "length": lengths})


def _stopped_within(panel: RegisterWeeks, weeks: int) -> float:
    spells = _job_spells(panel)
    observable = spells[spells["start"] <= panel.weeks - weeks]
    return float((observable["length"] < weeks).mean())


def _no_offer_within(panel: RegisterWeeks, weeks: int) -> float:
    """Share without any activity within ``weeks`` among those on social assistance most of that time."""
    mostly = panel.on_assistance()[:, :weeks].mean(axis=1) >= 0.8
    return float((~panel.activity[mostly, :weeks].any(axis=1)).mean())


@functools.lru_cache(maxsize=1)
def _associations(panel: RegisterWeeks) -> dict[str, float]:
    """BIP's published adjusted job-entry associations in ``panel``'s observed data (log hazard ratios).

    One fit serves the four association targets of a panel (the cache holds the last panel only).
    """
    survey = getattr(panel.data, "survey", None)
    if survey is None or survey.empty:
        return {}
    return RegisterStudy(panel, SurveyWaves.of(panel)).published_associations()


def _association(key: str) -> Callable[[RegisterWeeks], float]:
    return lambda panel: math.exp(_associations(panel).get(key, math.nan))


@dataclass(frozen=True)
class Target:
    """One published figure and how it is computed from observed data.

    Its role, source and uncertainty are :data:`~bipsim.analysis.published.PUBLISHED`'s entry for its ``key``
    (:attr:`declared`); whether a simulated value reproduces it is its :meth:`implausibility`.
    """

    key: str
    figure: str
    published: float | None
    compute: Callable[[RegisterWeeks], float] | None
    note: str = ""

    @property
    def declared(self) -> Published:
        """The figure's role, scale, source and uncertainty (:mod:`bipsim.analysis.published`)."""
        return PUBLISHED[self.key]

    @property
    def role(self) -> str:
        return self.declared.role

    @property
    def source(self) -> str:
        return self.declared.source

    @property
    def uncertainty(self) -> float | None:
        """The published figure's own standard deviation on its published scale (sampling and rounding)."""
        return None if self.published is None or self.role == "rule" else self.declared.uncertainty(self.published)

    @property
    def tolerance(self) -> float | None:
        """Half-width, on the published scale, of the values whose implausibility is within the cutoff.

        Derived from the source's uncertainty and (for outcomes) the model discrepancy, not set by hand; the exact
        test is :meth:`implausibility`, on the model scale where the band is symmetric.
        """
        if self.published is None or self.role == "rule":
            return None
        declared = self.declared
        centre = to_model_scale(declared.scale, self.published)
        spread = IMPLAUSIBILITY_CUTOFF * math.sqrt(declared.variance(self.published))
        low, high = from_model_scale(declared.scale, centre - spread), from_model_scale(declared.scale, centre + spread)
        return float(f"{(high - low) / 2:.3g}")

    def implausibility(self, value: float | None, mc_variance: float = 0.0) -> float:
        """How many standard deviations ``value`` lies from the published figure (``mc_variance``: of a mean)."""
        if self.published is None or self.role == "rule":
            return math.nan
        return self.declared.implausibility(self.published, value, mc_variance)

    def check(self, panel: RegisterWeeks) -> dict[str, Any]:
        value = self.compute(panel) if self.compute is not None else None
        score = self.implausibility(value)
        return {
            "key": self.key,
            "role": self.role,
            "figure": self.figure,
            "published": self.published,
            "simulated": value,
            "tolerance": self.tolerance,
            "implausibility": score,
            "within": None if math.isnan(score) else bool(score <= IMPLAUSIBILITY_CUTOFF),
            "note": self.note,
        }


def _background_share(column: str, value: bool) -> Callable[[RegisterWeeks], float]:
    return lambda panel: float((panel.data.citizens[column] == value).mean())


TARGETS: tuple[Target, ...] = (
    Target("participants", "Activity-ready citizens in the study", 4000, lambda p: float(p.citizen_ids.size)),
    Target("jobcentres", "Jobcentres", 10, lambda p: float(p.data.citizens["jobcentre"].nunique())),
    Target(
        "caseworkers",
        "Caseworkers responsible at some point (published: more than 300)",
        330,
        lambda p: float(np.unique(p.caseworker[p.caseworker >= 0]).size),
    ),
    Target(
        "job_1y_believed",
        "In a job within a year when the caseworker answers 'yes' at the first wave",
        0.27,
        lambda p: _job_within_year_by_belief(p, (5,)),
    ),
    Target(
        "job_1y_not_believed",
        "In a job within a year when the caseworker answers 'no' or 'doubtful'",
        0.01,
        lambda p: _job_within_year_by_belief(p, (1, 2)),
    ),
    Target(
        "belief_yes",
        "Caseworker answers 'yes, a job within a year' at the first wave",
        0.06,
        lambda p: _belief_share(p, (5,)),
    ),
    Target(
        "belief_good",
        "Caseworker answers 'good chances' at the first wave",
        0.20,
        lambda p: _belief_share(p, (4,)),
    ),
    Target(
        "belief_no",
        "Caseworker answers 'no' or 'doubtful' at the first wave",
        0.50,
        lambda p: _belief_share(p, (1, 2)),
    ),
    Target("change_share", "Citizens with at least one caseworker change", 0.40, _share_with_change),
    Target(
        "change_job_ratio",
        "Job-entry rate after a caseworker change relative to none (published -22%)",
        0.78,
        _job_hazard_ratio_after_change,
        "weekly rates from social assistance, stratified by week",
    ),
    Target(
        "caseworker_best",
        "Into job or education within two years, best fifth of caseworkers",
        0.23,
        lambda p: _caseworker_extremes(p, best=True),
        "caseworker at week 0; shrunk (empirical Bayes)",
    ),
    Target(
        "caseworker_least",
        "Into job or education within two years, least successful fifth",
        0.07,
        lambda p: _caseworker_extremes(p, best=False),
        "caseworker at week 0; shrunk (empirical Bayes)",
    ),
    Target(
        "history_job_education",
        "Share of the previous 5 years in job or education",
        0.14,
        lambda p: float(np.nanmean(history_shares(p)[0])),
    ),
    Target(
        "history_long_support",
        "On public support at least 80% of the previous 5 years",
        0.63,
        lambda p: _share_at_least(history_shares(p)[1], 0.8),
    ),
    Target(
        "no_vocational_qualification",
        "Without a vocational qualification",
        0.70,
        _background_share("vocational_qualification", False),
    ),
    Target(
        "psychiatric_diagnosis",
        "With a psychiatric diagnosis",
        0.50,
        _background_share("psychiatric_diagnosis", True),
    ),
    Target(
        "musculoskeletal_disorder",
        "With a musculoskeletal disorder",
        0.20,
        _background_share("musculoskeletal_disorder", True),
    ),
    Target(
        "job_stop_3m",
        "Of those leaving assistance for a job, share who stop within 3 months",
        0.26,
        lambda p: _stopped_within(p, 13),
    ),
    Target(
        "job_stay_12m",
        "Of those leaving assistance for a job, share still in it after 12 months",
        0.50,
        lambda p: 1.0 - _stopped_within(p, YEAR),
    ),
    Target(
        "no_offer_65w",
        "No offer (activity) within 65 weeks",
        0.25,
        lambda p: _no_offer_within(p, 65),
        "citizens on social assistance at least 80% of the first 65 weeks",
    ),
    Target(
        "association_belief",
        "Adjusted job-entry hazard ratio when the caseworker answers 'good chances' or 'yes' (published +33%)",
        1.33,
        _association("caseworker_belief"),
        "an association in observed data: the study's adjusted hazard model; not the causal effect",
    ),
    Target(
        "association_private_placement",
        "Adjusted job-entry hazard ratio after a completed private placement (published +84%)",
        1.84,
        _association("private_placement"),
        "an association in observed data: the study's adjusted hazard model; not the causal effect",
    ),
    Target(
        "association_public_placement",
        "Adjusted job-entry hazard ratio after a completed public placement (published +65%)",
        1.65,
        _association("public_placement"),
        "an association in observed data: the study's adjusted hazard model; not the causal effect",
    ),
    Target(
        "association_other_activation",
        "Adjusted job-entry hazard ratio after other completed activation (published +27%)",
        1.27,
        _association("other_activation"),
        "skills, mentor and health support pooled, as published; an association, not the causal effect",
    ),
    Target(
        "refusion",
        "Refusion 80/40/30/20% by benefit weeks (2016 reform)",
        None,
        None,
        "a rule of the model (rules.refusion_schedule), not an outcome",
    ),
)


TARGET: dict[str, Target] = {target.key: target for target in TARGETS}
"""The targets by key."""


def calibrate(data: ObservedData) -> pd.DataFrame:
    """Every target for one set of observed data: published value, simulated value, tolerance, within."""
    panel = RegisterWeeks(data)
    return pd.DataFrame([target.check(panel) for target in TARGETS])


def summarise_replications(tables: list[pd.DataFrame]) -> pd.DataFrame:
    """Mean and Monte Carlo standard error of each figure over replications, and its implausibility.

    Published figures describe a population, so the model's expected value (the mean over replications) is what
    is judged: its implausibility counts the Monte Carlo variance of the mean (on the figure's model scale) with
    the source's uncertainty and the discrepancy, and ``within`` says whether it is at most the cutoff.
    """
    first = tables[0].set_index("key")
    values = pd.concat([t.set_index("key")["simulated"].astype(float) for t in tables], axis=1)
    out = first[["figure", "published", "note"]].copy()
    out["simulated"] = values.mean(axis=1)
    runs = values.shape[1]
    out["mc_se"] = values.std(axis=1, ddof=1) / np.sqrt(runs) if runs > 1 else np.nan
    out["replications"] = runs
    rows = []
    for key in out.index:
        target = TARGET[key]
        scaled = [to_model_scale(target.declared.scale, v) for v in values.loc[key]] if target.published else []
        finite = [v for v in scaled if math.isfinite(v)]
        mc_variance = float(np.var(finite, ddof=1) / len(finite)) if len(finite) > 1 else 0.0
        score = target.implausibility(out.loc[key, "simulated"], mc_variance)
        rows.append(
            {
                "role": target.role,
                "uncertainty": target.uncertainty,
                "tolerance": target.tolerance,
                "implausibility": score,
                "within": None if math.isnan(score) else bool(score <= IMPLAUSIBILITY_CUTOFF),
                "source": target.source,
            }
        )
    out = pd.concat([out, pd.DataFrame(rows, index=out.index)], axis=1)
    return out.reset_index()
