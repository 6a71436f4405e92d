"""Meetings ("samtalen"): what a meeting does depends on continuity, style and the caseworker's belief.

Rule:
    A citizen on benefit who is neither sick nor exempted is due a meeting ("samtale") every
    ``meetings.interval_weeks``. Each caseworker holds at most about ``meetings.capacity_per_week`` meetings a
    week (capacities differ by up to ``meetings.capacity_spread`` between caseworkers), the most overdue first,
    so meetings slip when caseloads are large. A meeting raises work belief, goal-directedness, job search and
    the experienced coherence of the effort by ``meetings.readiness_effect`` times

    - the continuity of the relationship, which builds over the meetings held with the same caseworker from 0
      toward 1: ``1 - exp(-m / meetings.continuity_meetings)`` after ``m`` meetings, and fades without contact:
      after ``meetings.continuity_memory_weeks`` with neither a meeting nor a week in an intervention, one
      meeting is forgotten every ``meetings.continuity_fade_weeks`` (an exemption of years leaves a stranger);
    - how much the citizen trusts the jobcentre (:mod:`bipsim.mechanisms.trust`);
    - the caseworker's style: ``meetings.style_factor_job_focused``, ``meetings.style_factor_supportive`` or
      ``meetings.style_factor_administrative``; caseworkers have the styles in the proportions
      ``meetings.style_weight_job_focused``, ``meetings.style_weight_supportive`` and
      ``meetings.style_weight_administrative``;
    - the caseworker's quality, drawn around 1 with spread ``meetings.caseworker_quality_sd``;
    - how the citizen's orientation receives a meeting: ``meetings.orientation_factor_work_first``,
      ``meetings.orientation_factor_health_first``, ``meetings.orientation_factor_education_oriented``,
      ``meetings.orientation_factor_resigned`` or ``meetings.orientation_factor_distrustful`` (the
      distrustful and resigned gain least from talk alone).

    At each meeting the caseworker sees the citizen's readiness with noise (``meetings.observation_sd``) and
    updates a running average, in which the category's typical readiness counts as one more observation. The
    caseworker's belief in a job within a year rises steeply (logistically) with this perceived readiness:
    ``1 / (1 + exp(-meetings.belief_slope * (perceived - meetings.belief_threshold)))``. The caseworker
    reclassifies the citizen as job-ready when perceived readiness reaches ``meetings.job_ready_threshold``,
    and back to activity-ready when it falls ``meetings.job_ready_hysteresis`` below it.

    Where a human makes the caseworker's decisions (``CitizenState.decided_by_hand``, a student in class mode),
    the meeting still happens and perceived readiness still updates, but the belief is the human's: it stands
    until they change it.

Planted effect:
    (1) The readiness gain per meeting, which needs continuity. (2) ``meetings.continuity_job_effect``: the
    job-chance multiplier of a caseworker who knows the citizen and brokers employer contacts, reached in full
    with continuity (``1 + (effect - 1) * continuity``) and lost at a caseworker change. (3)
    ``meetings.belief_effect``: the job-chance multiplier when the caseworker believes in a job (belief at
    least ``meetings.belief_effect_threshold``). Both multipliers, and the
    caseworker's quality, act on employer contacts in :mod:`bipsim.mechanisms.labour_market`.

Switched off:
    With ``meetings.enabled = false`` meetings still happen and beliefs still form, but meetings do not move
    readiness and neither continuity, belief nor caseworker quality changes job chances.

Sources:
    ``meetings.belief_effect`` is an assumption: BIP's +33% is an adjusted *association* of the caseworker's
    answer with job entry, a target for the simulated observed data (``association_belief`` in
    :mod:`bipsim.analysis.calibration`), not a causal effect; and in this model that association hardly moves
    with the causal effect (it is made by who the caseworker believes in), so it cannot calibrate it (the
    recorded fit, ``docs/effects.json``). The default reads the published figure as if it were causal and
    is labelled an assumption. ``meetings.belief_threshold`` and
    ``meetings.observation_sd`` are calibrated so that the beliefs are spread as published and predict jobs as
    strongly. Caseworker quality also multiplies job chances directly, which spreads success between
    caseworkers; its spread is calibrated to the published 23% vs 7% into job or education. The other
    defaults are modelling assumptions.

Fixed assumptions:
    ``MEETING_GAINS``: the indicators a meeting raises. ``ANCHOR_BELOW_JOB_READY``: a caseworker who does not
    know a citizen assumes the job-ready threshold for a job-ready citizen and a point below it for an
    activity-ready one.

Parameters:
    ``meetings.enabled`` (the switch); ``meetings.interval_weeks``, ``meetings.capacity_per_week`` and
    ``meetings.capacity_spread`` (who is met); ``meetings.readiness_effect``,
    ``meetings.continuity_meetings``, ``meetings.continuity_memory_weeks``, ``meetings.continuity_fade_weeks``,
    ``meetings.caseworker_quality_sd`` and the style weights, style factors
    and orientation factors named above (what a meeting does); ``meetings.observation_sd``,
    ``meetings.belief_threshold``, ``meetings.belief_slope``, ``meetings.job_ready_threshold`` and
    ``meetings.job_ready_hysteresis`` (what the caseworker sees and believes); ``meetings.continuity_job_effect``,
    ``meetings.belief_effect`` and ``meetings.belief_effect_threshold`` (the job-chance multipliers, applied by
    the labour market). Reads no other group.
"""

from __future__ import annotations

import numpy as np
from scipy.special import expit

from bipsim.contract.vocabulary import CASEWORKER_STYLES, ORIENTATION_KEYS, indicator_index
from bipsim.engine.columns import ON_BENEFIT
from bipsim.engine.kernels import kernel
from bipsim.engine.world import World

MEETING_GAINS = np.array(
    [indicator_index(k) for k in ("work_belief", "goal_directedness", "job_search", "coherence_progress")]
)
"""The indicators a meeting raises."""
ANCHOR_BELOW_JOB_READY = 1.0
"""How far below ``meetings.job_ready_threshold`` a caseworker places an activity-ready citizen they do not know."""
SMALL_GROUP = 32  # up to this many due with one caseworker, an insertion sort beats a merge sort


def style_factors(p: object) -> np.ndarray:
    """The factor on a meeting's gain of each caseworker style, in the order of the style codes."""
    return np.array([getattr(p, f"style_factor_{s.key}") for s in CASEWORKER_STYLES])


def orientation_factors(p: object) -> np.ndarray:
    """The factor on a meeting's gain of each orientation, in the order of the orientation codes."""
    return np.array([getattr(p, f"orientation_factor_{k}") for k in ORIENTATION_KEYS])


def step(model: World, rng: np.random.Generator, trust_factor: np.ndarray) -> np.ndarray:
    """Hold this week's meetings; return the indices of the citizens met, caseworker by caseworker.

    ``trust_factor``: each citizen's factor on a meeting's gain from their trust in the jobcentre
    (:func:`bipsim.mechanisms.trust.meeting_factor`).
    """
    c, p, cw = model.citizens, model.params.meetings, model.caseworkers
    priority_draw = rng.random(c.size, dtype=np.float32)
    observation = rng.standard_normal(c.size)
    fade_continuity(model)
    held = _hold(
        priority_draw=priority_draw,
        observation=observation,
        exit_status=c.exit_status,
        sick_until=c.sick_until,
        caseworker=c.caseworker,
        next_meeting=c.next_meeting,
        exempt_until=c.exempt_until,
        meetings_with_caseworker=c.meetings_with_caseworker,
        last_help=c.last_help,
        latent=c.latent,
        readiness=c.readiness,
        perceived=c.perceived_readiness,
        job_ready=c.job_ready,
        orientation=c.orientation,
        trust_factor=trust_factor,
        capacity=cw.capacity,
        style=cw.style,
        quality=cw.quality,
        continuity=model.continuity,
        week=model.week,
        interval_weeks=p.interval_weeks,
        enabled=p.enabled,
        readiness_effect=p.readiness_effect,
        style_factor=style_factors(p),
        orientation_factor=orientation_factors(p),
        observation_sd=p.observation_sd,
        job_ready_threshold=p.job_ready_threshold,
        job_ready_hysteresis=p.job_ready_hysteresis,
    )
    if held.size:
        by_model = held[~c.decided_by_hand[held]]  # a human caseworker's belief stands
        c.belief[by_model] = belief(c.perceived_readiness[by_model], p.belief_threshold, p.belief_slope)
        model.events.add(model.week, "meeting", held, caseworker=c.caseworker[held], value=c.belief[held])
    return held


@kernel
def _hold(
    priority_draw,
    observation,
    exit_status,
    sick_until,
    caseworker,
    next_meeting,
    exempt_until,
    meetings_with_caseworker,
    last_help,
    latent,
    readiness,
    perceived,
    job_ready,
    orientation,
    trust_factor,
    capacity,
    style,
    quality,
    continuity,
    week,
    interval_weeks,
    enabled,
    readiness_effect,
    style_factor,
    orientation_factor,
    observation_sd,
    job_ready_threshold,
    job_ready_hysteresis,
):
    """Choose the meetings held (each caseworker's most overdue, up to capacity) and hold them.

    Updates everything a meeting changes but the belief, which numpy's logistic computes; returns the
    citizens met, ordered by caseworker and then by how overdue they were.
    """
    due = np.flatnonzero(
        (exit_status == ON_BENEFIT)
        & (sick_until <= week)
        & (caseworker >= 0)
        & (next_meeting <= week)
        & (exempt_until <= week)
    )
    # Each caseworker's due citizens, most overdue first (then by citizen): the order of
    # np.lexsort((-overdue, caseworker[due])), made by a counting sort on caseworkers and small sorts within.
    starts = np.zeros(capacity.size + 1, dtype=np.int64)
    for i in due:
        starts[caseworker[i] + 1] += 1
    starts = np.cumsum(starts)
    filled = starts[:-1].copy()
    grouped = np.empty(due.size, dtype=np.int64)
    for i in due:
        grouped[filled[caseworker[i]]] = i
        filled[caseworker[i]] += 1
    held = np.empty(due.size, dtype=np.int64)
    overdue = np.empty(due.size)
    count = 0
    for w in range(capacity.size):
        first, end = starts[w], starts[w + 1]
        for position in range(first, end):
            i = grouped[position]
            overdue[position] = np.float64(week - next_meeting[i]) + np.float64(priority_draw[i])
        if end - first > SMALL_GROUP:
            order = first + np.argsort(-overdue[first:end], kind="mergesort")
            grouped[first:end] = grouped[order]
        else:  # the few citizens due with one caseworker: an insertion sort, stable like mergesort
            for position in range(first + 1, end):
                i, urgency = grouped[position], overdue[position]
                at = position
                while at > first and overdue[at - 1] < urgency:
                    overdue[at], grouped[at] = overdue[at - 1], grouped[at - 1]
                    at -= 1
                overdue[at], grouped[at] = urgency, i
        for position in range(first, min(end, first + capacity[w])):
            held[count] = grouped[position]
            count += 1
    held = held[:count].copy()  # a copy: the event log keeps it, not the buffer
    for i in held:
        before = meetings_with_caseworker[i]
        meetings_with_caseworker[i] += 1
        last_help[i] = week
        next_meeting[i] = week + interval_weeks
        if enabled:
            w = caseworker[i]
            gain = (
                readiness_effect
                * continuity[before + 1]
                * style_factor[style[w]]
                * quality[w]
                * orientation_factor[orientation[i]]
                * trust_factor[i]
            )
            for k in MEETING_GAINS:
                latent[i, k] = np.float32(latent[i, k] + gain)
        signal = readiness[i] + observation_sd * observation[i]
        perceived[i] += (signal - perceived[i]) / (np.float64(before) + 2.0)
        if perceived[i] >= job_ready_threshold:
            job_ready[i] = True
        elif perceived[i] < job_ready_threshold - job_ready_hysteresis:
            job_ready[i] = False
    return held


def fade_continuity(model: World) -> None:
    """Relationships fade without contact: one meeting forgotten per ``meetings.continuity_fade_weeks``.

    Fading starts after ``meetings.continuity_memory_weeks`` without contact (no meeting, no week in an
    intervention); a citizen exempted for years comes back to a caseworker who hardly knows them.
    """
    c, p, week = model.citizens, model.params.meetings, model.week
    silent = week - c.last_help - p.continuity_memory_weeks
    fading = (silent > 0) & (silent % p.continuity_fade_weeks == 0) & (c.meetings_with_caseworker > 0)
    fading &= (c.exit_status == ON_BENEFIT) & (c.caseworker >= 0)
    c.meetings_with_caseworker[fading] -= 1


def relationship(meetings_held: np.ndarray, continuity_meetings: float) -> np.ndarray:
    """Continuity of the relationship after ``meetings_held`` meetings with the same caseworker (0 to 1)."""
    return 1.0 - np.exp(-meetings_held / continuity_meetings)


def belief(perceived: np.ndarray, threshold: float, slope: float) -> np.ndarray:
    """The caseworker's subjective chance of a job within a year, from perceived readiness."""
    return expit(slope * (perceived - threshold))


def category_anchor(job_ready: np.ndarray, threshold: float) -> np.ndarray:
    """What a caseworker who does not yet know a citizen assumes: the category's typical readiness."""
    return np.where(job_ready, threshold, threshold - ANCHOR_BELOW_JOB_READY)
