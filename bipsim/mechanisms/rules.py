"""Refusion and rules: the reimbursement schedule, the municipality's incentives, and exemptions.

Rule:
    The state reimburses a share of the municipality's benefit costs ("refusion"), by the rules in force: the run
    has a calendar, in which the 2016 reform takes effect in week ``rules.reform_week`` (``rules.refusion_schedule =
    "in_force"``); a scenario can also hold either schedule throughout, the counterfactuals "never reformed" and
    "reformed from the start". Under the 2016 schedule the share falls with the weeks on benefit: 80% in weeks 1-4,
    40% in weeks 5-26, 30% in weeks 27-52 and 20% after (published), so the municipality carries most of the cost of
    long spells and gains most from job-focused help for long-term recipients: where its share of the cost is above
    ``rules.incentive_neutral_share``, the staircase threshold is lowered (and raised where it is below). Under the
    earlier rules (``"pre2016"``) the share is 50% while the citizen is in an activity and 30% otherwise, so any
    activation pays: offers become more likely for everyone. ``rules.incentive_strength`` scales these effects.

    A caseworker may exempt a citizen whose perceived readiness is below ``rules.exemption_threshold`` from
    contact ("fritagelse"), with ``rules.exemption_probability`` per meeting, for ``rules.exemption_weeks``:
    no meetings and no offers. The offer deadlines, a first offer within ``rules.first_offer_weeks`` and later
    ones at least every ``rules.repeat_offer_weeks``, are the legal frame; a meeting at which one is due ends
    with an offer with ``rules.deadline_compliance`` (see :mod:`bipsim.mechanisms.interventions`), whether or
    not this mechanism is on.

    Where a human makes the caseworker's decisions (``CitizenState.decided_by_hand``, a student in class mode),
    the rule does not exempt and no deadline forces an offer: exempting and offering are theirs.

Planted effect:
    Incentives shift who is offered what; exemptions create long periods without help (and so regression, see
    :mod:`bipsim.mechanisms.readiness`).

Switched off:
    With ``rules.enabled = false`` no incentive steers offers and nobody is exempted; the deadlines still hold.

Sources:
    The 2016 schedule is the published reform and its date (4 January 2016) the published one; the run's start in
    October 2013 is an assumption within the published study period 2013-2016. The deadlines follow the legal frame;
    the deadline compliance is tuned to the published 1 in 4 without an offer within 65 weeks. The incentive
    strength, its neutral share and the exemption rule are modelling assumptions.

Fixed assumptions:
    ``REFUSION_2016``, ``PRE2016_ACTIVE`` and ``PRE2016_PASSIVE``: the reimbursement schedules, as legislated.

Parameters:
    ``rules.enabled`` (the switch); ``rules.refusion_schedule``, ``rules.reform_week``,
    ``rules.incentive_strength`` and ``rules.incentive_neutral_share`` (incentives); ``rules.exemption_threshold``,
    ``rules.exemption_probability`` and ``rules.exemption_weeks`` (exemptions); ``rules.first_offer_weeks``,
    ``rules.repeat_offer_weeks`` and ``rules.deadline_compliance`` (the deadlines, applied by the
    interventions). Reads no other group.
"""

from __future__ import annotations

import numpy as np

from bipsim.engine.world import World

REFUSION_2016: tuple[tuple[float, float], ...] = ((4, 0.8), (26, 0.4), (52, 0.3), (np.inf, 0.2))
"""(last benefit week of the band, share reimbursed by the state): the 2016 reform's schedule."""
PRE2016_ACTIVE, PRE2016_PASSIVE = 0.5, 0.3
"""Shares reimbursed before 2016: in an activity, and passive."""


def schedule_in_force(p: object, week: int) -> str:
    """The refusion schedule that applies in ``week``: ``"pre2016"`` or ``"2016"``."""
    schedule = p.refusion_schedule  # type: ignore[attr-defined]
    if schedule == "in_force":
        return "2016" if week >= p.reform_week else "pre2016"  # type: ignore[attr-defined]
    return schedule


def refusion_share(benefit_weeks: np.ndarray, in_activity: np.ndarray, schedule: str) -> np.ndarray:
    """Share of the benefit cost the state reimburses for each citizen this week."""
    if schedule == "pre2016":
        return np.where(in_activity, PRE2016_ACTIVE, PRE2016_PASSIVE)
    bounds = np.array([b for b, _ in REFUSION_2016])
    shares = np.array([s for _, s in REFUSION_2016])
    return shares[np.searchsorted(bounds, benefit_weeks, side="left")]


def incentives(model: World, citizens: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The municipality's gain from any offer, and from a job-focused offer, for each of ``citizens``."""
    p = model.params.rules
    zeros = np.zeros(citizens.size)
    if not p.enabled:
        return zeros, zeros
    if schedule_in_force(p, model.week) == "pre2016":
        return zeros + p.incentive_strength * (PRE2016_ACTIVE - PRE2016_PASSIVE), zeros
    weeks = model.citizens.benefit_weeks[citizens]
    municipal_share = 1.0 - refusion_share(weeks, np.zeros(citizens.size, bool), "2016")
    return zeros, p.incentive_strength * (municipal_share - p.incentive_neutral_share)


def exempt(model: World, held: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Exempt some of the citizens met this week from contact; return who remains in contact."""
    c, p, week = model.citizens, model.params.rules, model.week
    draw = rng.random(c.size, dtype=np.float32)
    if not p.enabled or held.size == 0:
        return held
    chosen = (c.perceived_readiness[held] < p.exemption_threshold) & (draw[held] < p.exemption_probability)
    chosen &= ~c.decided_by_hand[held]
    exempted = held[chosen]
    c.exempt_until[exempted] = week + p.exemption_weeks
    c.next_meeting[exempted] = week + p.exemption_weeks
    model.events.add(week, "exemption", exempted, caseworker=c.caseworker[exempted], value=p.exemption_weeks)
    return held[~chosen]
