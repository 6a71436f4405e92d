"""Trust in the jobcentre: lost to caseworker changes, long waits, reversed decisions and being left alone.

Rule:
    Every citizen has a trust in the jobcentre between 0 and 1. It starts at ``trust.initial``
    (``trust.initial_resigned`` for a resigned and ``trust.initial_distrustful`` for a distrustful citizen).
    While on benefit it falls by ``trust.loss_caseworker_change`` at each caseworker change (the "kastebold":
    starting from the bottom again with someone new), by ``trust.loss_per_waiting_week`` for every week of
    waiting for a place beyond ``trust.wait_tolerance_weeks``, by ``trust.loss_per_exempt_week`` for every week
    of an exemption from contact beyond ``trust.exemption_tolerance_weeks`` (being "put on a side track"),
    and by ``trust.loss_reversal`` when a caseworker moves the citizen back from job-ready to activity-ready (a
    reversed decision). It rebuilds at each meeting by ``trust.gain_per_meeting`` times the continuity of the
    relationship times what is missing up to the citizen's starting trust (a caseworker one knows repairs the
    damage; a stranger hardly does), and by ``trust.gain_completed_placement`` when job-focused help is completed.

    Trust changes how help lands: a meeting's readiness gain is multiplied by
    ``1 + trust.meeting_sensitivity * (trust - REFERENCE_TRUST)`` and an intervention's weekly gains by
    ``1 + trust.intervention_sensitivity * (trust - REFERENCE_TRUST)`` (at least 0). Orientations drift: a
    citizen whose trust is below ``trust.drift_threshold`` turns distrustful with weekly chance
    ``trust.drift_rate`` (resigned instead, if exempted beyond the tolerance); a resigned or distrustful
    citizen who completes job-focused help with trust of at least ``trust.recovery_threshold`` turns back to
    work-first. Orientation changes are events (``orientation_change``).

Planted effect:
    Trust's factor on meeting and intervention gains, and the orientation drift it drives (which changes how
    later meetings and interventions are received, through the orientation factors of
    :mod:`bipsim.mechanisms.meetings` and :mod:`bipsim.mechanisms.interventions`).

Switched off:
    With ``trust.enabled = false`` trust stays at its starting value, orientations never change, and help lands
    as if trust were at the reference (factor 1).

Sources:
    The channels are the BIP qualitative study's: citizens tossed between ever new caseworkers ("one you can
    trust, instead of new, new, new all the time"), told they would be left alone for years, reversed
    decisions. Every strength is a modelling assumption, chosen so that a citizen with a caseworker change a
    year and an ordinary wait keeps roughly the trust they started with; ``docs/model.md`` lists them as
    assumptions.

Fixed assumptions:
    ``REFERENCE_TRUST``: the trust at which help lands as it would without the mechanism, near the mean
    starting trust, so switching the mechanism on does not change the average strength of help at the start.

Parameters:
    ``trust.enabled`` (the switch); ``trust.initial``, ``trust.initial_resigned`` and
    ``trust.initial_distrustful`` (start); ``trust.loss_caseworker_change``, ``trust.loss_per_waiting_week``,
    ``trust.wait_tolerance_weeks``, ``trust.loss_per_exempt_week``, ``trust.exemption_tolerance_weeks``,
    ``trust.loss_reversal``, ``trust.gain_per_meeting`` and ``trust.gain_completed_placement`` (how trust
    moves); ``trust.meeting_sensitivity`` and ``trust.intervention_sensitivity`` (what it changes);
    ``trust.drift_threshold``, ``trust.drift_rate`` and ``trust.recovery_threshold`` (orientation drift).
    Reads ``rules.exemption_weeks``.
"""

from __future__ import annotations

import numpy as np

from bipsim.contract.vocabulary import ORIENTATION_KEYS
from bipsim.engine.columns import JOB_SLOT, ON_BENEFIT, SUPPORT_SLOT
from bipsim.engine.world import World

REFERENCE_TRUST = 0.6
"""Trust at which help lands as it would without the mechanism (near the mean starting trust)."""
WORK_FIRST = ORIENTATION_KEYS.index("work_first")
RESIGNED = ORIENTATION_KEYS.index("resigned")
DISTRUSTFUL = ORIENTATION_KEYS.index("distrustful")


def initial(orientation: np.ndarray, p: object) -> np.ndarray:
    """Each citizen's starting trust, by orientation."""
    trust = np.full(orientation.size, p.initial)  # type: ignore[attr-defined]
    trust[orientation == RESIGNED] = p.initial_resigned  # type: ignore[attr-defined]
    trust[orientation == DISTRUSTFUL] = p.initial_distrustful  # type: ignore[attr-defined]
    return trust


def help_factor(trust: np.ndarray, sensitivity: float, enabled: bool) -> np.ndarray:
    """The factor trust puts on the gains of help: 1 at the reference trust, never below 0."""
    if not enabled:
        return np.ones(trust.size)
    return np.maximum(1.0 + sensitivity * (trust - REFERENCE_TRUST), 0.0)


def meeting_factor(model: World) -> np.ndarray:
    """This week's factor of each citizen's trust on the readiness gain of a meeting."""
    p = model.params.trust
    return help_factor(model.citizens.trust, p.meeting_sensitivity, p.enabled)


def intervention_factor(model: World) -> np.ndarray:
    """This week's factor of each citizen's trust on the weekly gains of an intervention."""
    p = model.params.trust
    return help_factor(model.citizens.trust, p.intervention_sensitivity, p.enabled)


def step(model: World, held: np.ndarray, job_help_before: np.ndarray, rng: np.random.Generator) -> None:
    """Move trust with this week's changes, waits, exemptions, reversals, meetings and completions; drift.

    ``held``: the citizens met this week; ``job_help_before``: who had job-focused help running before this
    week's interventions progressed (those of them on benefit without it now have completed it).
    """
    c, p, week = model.citizens, model.params.trust, model.week
    draw = rng.random(c.size, dtype=np.float32)
    changes = c.caseworker_changes - c.changes_seen
    c.changes_seen[:] = c.caseworker_changes
    reversed_now = c.job_ready_seen & ~c.job_ready
    c.job_ready_seen[:] = c.job_ready
    if not p.enabled:
        return
    on_benefit = c.exit_status == ON_BENEFIT
    trust = c.trust
    loss = p.loss_caseworker_change * changes
    loss += p.loss_reversal * reversed_now
    # column by column: numpy's reductions along a two-wide axis cost more than the rest of the step
    queued = (c.queue[:, JOB_SLOT] >= 0) | (c.queue[:, SUPPORT_SLOT] >= 0)
    idle = (c.programme[:, JOB_SLOT] < 0) & (c.programme[:, SUPPORT_SLOT] < 0)
    waited = week - np.minimum(c.queue_since[:, JOB_SLOT], c.queue_since[:, SUPPORT_SLOT])
    loss += p.loss_per_waiting_week * (queued & idle & (waited > p.wait_tolerance_weeks))
    exempt_for = week - (c.exempt_until - model.params.rules.exemption_weeks)
    long_exempt = (c.exempt_until > week) & (exempt_for > p.exemption_tolerance_weeks)
    loss += p.loss_per_exempt_week * long_exempt
    gain = np.zeros(c.size)
    missing = np.maximum(initial(c.start_orientation[held], p) - trust[held], 0.0)
    gain[held] = p.gain_per_meeting * model.continuity[c.meetings_with_caseworker[held]] * missing
    completed = job_help_before & (c.programme[:, JOB_SLOT] < 0) & on_benefit
    gain += p.gain_completed_placement * completed
    np.clip(trust + np.where(on_benefit, gain - loss, 0.0), 0.0, 1.0, out=trust)

    settled = (c.orientation == RESIGNED) | (c.orientation == DISTRUSTFUL)
    drifting = np.flatnonzero(on_benefit & ~settled & (trust < p.drift_threshold) & (draw < p.drift_rate))
    recovering = np.flatnonzero(completed & settled & (trust >= p.recovery_threshold))
    new = np.where(long_exempt[drifting], RESIGNED, DISTRUSTFUL)
    for citizens, orientation in ((drifting, new), (recovering, WORK_FIRST)):
        if citizens.size == 0:
            continue
        c.orientation[citizens] = orientation
        labels = model.events.detail_codes(ORIENTATION_KEYS)
        model.events.add(
            week,
            "orientation_change",
            citizens,
            caseworker=c.caseworker[citizens],
            detail=labels[c.orientation[citizens]],
            value=trust[citizens],
        )
