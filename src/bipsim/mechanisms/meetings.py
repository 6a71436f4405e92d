"""Meetings ("samtalen"): what a meeting does depends on continuity, style and the caseworker's belief.

Rule: a citizen on benefit (not sick, not exempted) is due a meeting every ``meetings.interval_weeks``;
each caseworker holds at most about ``meetings.capacity_per_week`` meetings a week, most overdue first,
so meetings slip when caseloads are large. A meeting raises work belief, goal-directedness, job search and
the experienced coherence of the effort by ``meetings.readiness_effect`` times the continuity of the
relationship (``1 - exp(-m / meetings.continuity_meetings)`` after ``m`` meetings with this caseworker),
the caseworker's style and quality (``meetings.caseworker_quality_sd``), and how the citizen's orientation
receives a meeting. The caseworker sees the citizen's readiness with noise (``meetings.observation_sd``)
and averages what they have seen; belief in a job within a year rises with perceived readiness
(``meetings.belief_threshold``, ``meetings.belief_slope``). The caseworker reclassifies the citizen as
job-ready above ``meetings.job_ready_threshold`` and back to activity-ready half a point below it.

Planted effects: the readiness gain per meeting (needs continuity); ``meetings.continuity_job_effect``,
the job-chance multiplier of a caseworker who knows the citizen and brokers employer contacts, reached
in full with continuity (``1 + (effect - 1) * continuity``) and lost at a caseworker change; and
``meetings.belief_effect``: the job-chance multiplier when the caseworker believes in a job (belief >=
0.5; published +33% adjusted). Both multipliers, and the caseworker's quality, are applied in
:mod:`bipsim.mechanisms.labour_market`.
Switched off: meetings still happen and beliefs still form, but meetings do not move readiness and
neither continuity, belief nor caseworker quality changes job chances.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from scipy.special import expit

from bipsim.model.arrays import rank_within_groups
from bipsim.vocabulary import CASEWORKER_STYLES, ORIENTATION_KEYS, indicator_index

if TYPE_CHECKING:
    from bipsim.model.model import BipModel

MEETING_GAINS = np.array(
    [indicator_index(k) for k in ("work_belief", "goal_directedness", "job_search", "coherence_progress")]
)
STYLE_FACTOR = {"job_focused": 1.2, "supportive": 1.1, "administrative": 0.5}
# How a meeting lands with each orientation: the distrustful and resigned gain less from talk alone.
ORIENTATION_FACTOR = {
    "work_first": 1.0,
    "health_first": 0.8,
    "education_oriented": 1.0,
    "resigned": 0.7,
    "distrustful": 0.5,
}
STYLE_FACTORS = np.array([STYLE_FACTOR[s.key] for s in CASEWORKER_STYLES])
ORIENTATION_FACTORS = np.array([ORIENTATION_FACTOR[k] for k in ORIENTATION_KEYS])
BELIEVES = 0.5


def step(model: BipModel, rng: np.random.Generator) -> np.ndarray:
    """Hold this week's meetings; return the indices of the citizens met."""
    c, p, week = model.citizens, model.params.meetings, model.week
    priority_draw = rng.random(c.size, dtype=np.float32)
    observation = rng.standard_normal(c.size)
    due = np.flatnonzero(
        c.on_benefit()
        & (c.sick_until <= week)
        & (c.caseworker >= 0)
        & (c.next_meeting <= week)
        & (c.exempt_until <= week)
    )
    if due.size == 0:
        return due
    overdue = (week - c.next_meeting[due]) + priority_draw[due]
    order = np.lexsort((-overdue, c.caseworker[due]))
    due, caseworker = due[order], c.caseworker[due[order]]
    held = due[rank_within_groups(caseworker) < model.caseworkers.capacity[caseworker]]
    caseworker = c.caseworker[held]

    before = c.meetings_with_caseworker[held].astype(float)
    c.meetings_with_caseworker[held] += 1
    c.last_help[held] = week
    c.next_meeting[held] = week + p.interval_weeks
    if p.enabled:
        continuity = relationship(before + 1.0, p.continuity_meetings)
        gain = (
            p.readiness_effect
            * continuity
            * STYLE_FACTORS[model.caseworkers.style[caseworker]]
            * model.caseworkers.quality[caseworker]
            * ORIENTATION_FACTORS[c.orientation[held]]
        )
        for indicator in MEETING_GAINS:  # column by column: cheaper than a (held, MEETING_GAINS) block
            c.latent[held, indicator] += gain

    signal = c.readiness[held] + p.observation_sd * observation[held]
    c.perceived_readiness[held] += (signal - c.perceived_readiness[held]) / (before + 2.0)
    c.belief[held] = belief(c.perceived_readiness[held], p.belief_threshold, p.belief_slope)
    c.job_ready[held] = np.where(
        c.perceived_readiness[held] >= p.job_ready_threshold,
        True,
        np.where(c.perceived_readiness[held] < p.job_ready_threshold - 0.5, False, c.job_ready[held]),
    )
    model.events.add(week, "meeting", held, caseworker=caseworker, value=c.belief[held])
    return held


def relationship(meetings_held: np.ndarray, continuity_meetings: float) -> np.ndarray:
    """Continuity of the relationship after ``meetings_held`` meetings with the same caseworker (0 to 1)."""
    return 1.0 - np.exp(-meetings_held / continuity_meetings)


def belief(perceived: np.ndarray, threshold: float, slope: float) -> np.ndarray:
    """The caseworker's subjective chance of a job within a year, from perceived readiness."""
    return expit(slope * (perceived - threshold))


def category_anchor(job_ready: np.ndarray, threshold: float) -> np.ndarray:
    """What a caseworker who does not yet know a citizen assumes: the category's typical readiness."""
    return np.where(job_ready, threshold, threshold - 1.0)
