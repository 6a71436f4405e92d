"""The labour market: a moving business cycle, employers who hire on contextual readiness, and job loss.

Rule:
    Labour demand follows a business cycle, ``1 + labour_market.cycle_amplitude * sin(2π (week /
    labour_market.cycle_period_weeks + labour_market.cycle_phase))``, lowered by
    ``labour_market.recession_depth`` for ``labour_market.recession_weeks`` from
    ``labour_market.recession_start_week``. Each employer opens vacancies in proportion to its size (spread
    ``labour_market.employer_size_sd``) and to demand, ``labour_market.vacancies_per_employer`` a week at an
    average employer in a normal market.

    A citizen on benefit who is not sick contacts an employer with weekly chance
    ``labour_market.contact_rate`` x (job search / 3) ^ ``labour_market.job_search_elasticity`` x demand,
    multiplied by the planted multipliers of other mechanisms: the caseworker's belief
    (``meetings.belief_effect`` from a belief of ``meetings.belief_effect_threshold``), brokering
    (``meetings.continuity_job_effect``) and quality, which belong to :mod:`bipsim.mechanisms.meetings` and
    act only while ``meetings.enabled``; the after-effect of a completed intervention
    (:mod:`bipsim.mechanisms.interventions`); and referrals from employed ties
    (:mod:`bipsim.mechanisms.network`). The contacted employer is one with a vacancy tied to the citizen's
    jobcentre (every employer is tied to its home jobcentre, a share ``labour_market.shared_employer_share``
    to a second one). It hires when the readiness it sees (true readiness plus
    ``labour_market.hiring_noise_sd`` noise) clears its threshold, drawn around
    ``labour_market.hiring_threshold``, shifted by sector and spread ``labour_market.threshold_sd``;
    thresholds rise by ``labour_market.competition_sensitivity`` per unit of demand below normal. Competition
    for jobs moves a citizen's distance to work even when the citizen does not change.

    Jobs end with weekly chance ``labour_market.separation_early`` in the first 13 weeks and
    ``labour_market.separation_late`` after, raised by ``labour_market.separation_readiness_slope`` (log
    hazard) per point of readiness below 3, and divided by demand; the citizen then returns to social
    assistance and to the caseworker.

Planted effect:
    The cycle (and a recession) on contacts, thresholds and job loss.

Switched off:
    With ``labour_market.enabled = false`` demand is flat and thresholds are fixed; contacts, hiring and job
    loss go on.

Sources:
    The separation probabilities reproduce the published retention (26% stop within 3 months, 50% stay a
    year, at average readiness). The contact rate, the hiring threshold and the hiring noise are calibrated to
    the published share in a job after a year with and without the caseworker's belief. The cycle parameters
    are assumptions.

Fixed assumptions:
    ``EARLY_WEEKS``: a job's early weeks are 13, as the published retention counts three months.
    ``DEMAND_FLOOR``: demand never falls below 5% of normal. ``JOB_SEARCH_REFERENCE`` and
    ``SEPARATION_REFERENCE_READINESS``: the contact rate and the separation rates are those at the middle of
    the 1-5 scale (3).

Parameters:
    ``labour_market.enabled`` (the switch); the cycle and recession parameters above (demand);
    ``labour_market.vacancies_per_employer``, ``labour_market.contact_rate`` and
    ``labour_market.job_search_elasticity`` (contacts); ``labour_market.hiring_noise_sd`` and
    ``labour_market.competition_sensitivity`` (hiring); the separation parameters (job loss); and, used when
    the employers are made, ``labour_market.hiring_threshold``, ``labour_market.threshold_sd``,
    ``labour_market.employer_size_sd`` and ``labour_market.shared_employer_share``. Reads
    ``meetings.enabled``, ``meetings.belief_effect``, ``meetings.belief_effect_threshold`` and
    ``meetings.continuity_job_effect``.
"""

from __future__ import annotations

import numpy as np

from bipsim.contract.vocabulary import indicator_index, status_code
from bipsim.engine.columns import ON_BENEFIT
from bipsim.engine.kernels import kernel
from bipsim.engine.world import World
from bipsim.mechanisms import employer_learning, search

JOB = status_code("job")
JOB_SEARCH = indicator_index("job_search")
EARLY_WEEKS = 13
"""A job's early weeks, with ``labour_market.separation_early``: the published retention counts three months."""
DEMAND_FLOOR = 0.05
"""Demand never falls below this share of normal, however deep the recession (job loss divides by demand)."""
JOB_SEARCH_REFERENCE = 3.0
"""Job search at which the contact chance is ``labour_market.contact_rate`` itself: the middle of the 1-5 scale."""
SEPARATION_REFERENCE_READINESS = 3.0
"""Readiness at which job loss happens at the published rates: the middle of the 1-5 scale."""


def demand(week: int | np.ndarray, p: object) -> np.ndarray | float:
    """Labour demand relative to normal (1.0) in ``week``."""
    if not p.enabled:  # type: ignore[attr-defined]
        return np.ones_like(week, dtype=float) if isinstance(week, np.ndarray) else 1.0
    cycle = 1.0 + p.cycle_amplitude * np.sin(
        2
        * np.pi
        * (
            week / p.cycle_period_weeks  # type: ignore[attr-defined]
            + p.cycle_phase
        )
    )  # type: ignore[attr-defined]
    in_recession = (week >= p.recession_start_week) & (
        week
        < p.recession_start_week  # type: ignore[attr-defined]
        + p.recession_weeks
    )  # type: ignore[attr-defined]
    return np.maximum(cycle - p.recession_depth * in_recession, DEMAND_FLOOR)  # type: ignore[attr-defined]


def open_vacancies(model: World, rng: np.random.Generator) -> None:
    """Set this week's demand, threshold shift and vacancies per employer."""
    p = model.params.labour_market
    model.demand = float(demand(model.week, p))
    model.threshold_shift = p.competition_sensitivity * (1.0 - model.demand) if p.enabled else 0.0
    model.vacancies = rng.poisson(p.vacancies_per_employer * model.employers.size_weight * model.demand)


def search_and_hire(model: World, rng: np.random.Generator) -> None:
    """Employer contacts and hires for this week's job seekers."""
    c, p, week = model.citizens, model.params.labour_market, model.week
    contact_draw, employer_draw, view_noise = (
        rng.random(c.size, dtype=np.float32),
        rng.random(c.size, dtype=np.float32),
        rng.standard_normal(c.size),
    )
    seekers = _seekers(exit_status=c.exit_status, sick_until=c.sick_until, week=week)
    chance = contact_chance(model, seekers)
    contacting = seekers[contact_draw[seekers] < chance]
    employer = model.pick_employers(c.jobcentre[contacting], employer_draw[contacting], "vacancies")
    reached = employer >= 0
    contacting, employer = contacting[reached], employer[reached]
    hired_at_contact = _hire(
        contacting=contacting,
        employer=employer,
        view_noise=view_noise,
        readiness=c.readiness,
        vacancies=model.vacancies,
        threshold=model.employers.threshold,
        learned=model.employers.learned_shift,
        threshold_shift=model.threshold_shift,
        hiring_noise_sd=p.hiring_noise_sd,
    )
    search.remember(model, contacting, hired_at_contact)
    if contacting.size == 0:
        return
    model.events.add(
        week,
        "employer_contact",
        contacting,
        caseworker=c.caseworker[contacting],
        employer=employer,
        value=hired_at_contact.astype(np.float64),
    )
    hired = np.flatnonzero(hired_at_contact)
    if hired.size:
        hired = hired[np.argsort(employer[hired], kind="stable")]  # employer by employer
        model.hire(contacting[hired], employer[hired])


@kernel
def _seekers(exit_status, sick_until, week):
    """Citizens on benefit who are not sick: they look for ordinary work."""
    return np.flatnonzero((exit_status == ON_BENEFIT) & (sick_until <= week))


@kernel
def _hire(contacting, employer, view_noise, readiness, vacancies, threshold, learned, threshold_shift, hiring_noise_sd):
    """Whether each contact with an employer ends in a hire; vacancies filled are taken off ``vacancies``.

    An employer with ``v`` vacancies hires the first ``v`` accepted contacts, in citizen order; its threshold is
    its own plus the market's shift plus what it learned from earlier hires (``learned``).
    """
    hired = np.zeros(contacting.size, dtype=np.bool_)
    for position in range(contacting.size):
        i, e = contacting[position], employer[position]
        seen = readiness[i] + hiring_noise_sd * view_noise[i]
        if seen >= threshold[e] + threshold_shift + learned[e] and vacancies[e] > 0:
            vacancies[e] -= 1
            hired[position] = True
    return hired


def contact_chance(model: World, seekers: np.ndarray) -> np.ndarray:
    """Weekly chance of an employer contact for ``seekers``, with every planted multiplier applied."""
    c, p = model.citizens, model.params
    m = p.meetings
    # the power stays with numpy: its vectorised pow is the reference the compiled loop must not depart from
    search_intensity = (c.latent[:, JOB_SEARCH] / JOB_SEARCH_REFERENCE) ** (p.labour_market.job_search_elasticity)
    return _contact_chance(
        seekers=seekers,
        rate=np.float32(p.labour_market.contact_rate * model.demand),
        search=search_intensity * search.factor(model),
        meetings_enabled=m.enabled,
        belief=c.belief,
        believes_from=m.belief_effect_threshold,
        belief_effect=m.belief_effect,
        continuity=model.continuity[c.meetings_with_caseworker],
        continuity_gain=m.continuity_job_effect - 1.0,
        caseworker=c.caseworker,
        quality=model.caseworkers.quality,
        after_until=c.after_until,
        after_multiplier=c.after_multiplier,
        week=model.week,
        referral=model.referral_multiplier,
    )


@kernel
def _contact_chance(
    seekers,
    rate,
    search,
    meetings_enabled,
    belief,
    believes_from,
    belief_effect,
    continuity,
    continuity_gain,
    caseworker,
    quality,
    after_until,
    after_multiplier,
    week,
    referral,
):
    """The chance for each seeker, in the precision of the array code it replaced.

    With the meetings mechanism on, the multipliers are float64; with it off, the chance stays float32 and
    each float64 multiplier is applied in float64 and rounded back, as numpy's in-place products do.
    """
    if meetings_enabled:
        chance = np.empty(seekers.size, dtype=np.float64)
        for position in range(seekers.size):
            i = seekers[position]
            x = np.float64(rate * search[i])
            x *= belief_effect if belief[i] >= believes_from else 1.0
            x *= 1.0 + continuity_gain * continuity[i]
            x *= quality[caseworker[i]] if caseworker[i] >= 0 else 1.0
            x *= after_multiplier[i] if after_until[i] > week else 1.0
            x *= referral[i]
            chance[position] = min(x, 1.0)
        return chance
    chance32 = np.empty(seekers.size, dtype=np.float32)
    for position in range(seekers.size):
        i = seekers[position]
        y = rate * search[i]
        y = np.float32(y * (after_multiplier[i] if after_until[i] > week else 1.0))
        y = np.float32(y * referral[i])
        chance32[position] = min(y, np.float32(1.0))
    return chance32.astype(np.float64)


def separate(model: World, rng: np.random.Generator) -> None:
    """Jobs end: early separations are common, later ones rarer; low readiness and downturns raise them."""
    c, p, week = model.citizens, model.params.labour_market, model.week
    draw = rng.random(c.size, dtype=np.float32)
    employed = np.flatnonzero(c.exit_status == JOB)
    if employed.size == 0:
        return
    tenure = week - c.job_start[employed]
    base = np.where(tenure < EARLY_WEEKS, p.separation_early, p.separation_late)
    gap = SEPARATION_REFERENCE_READINESS - c.readiness[employed]
    hazard = base * np.exp(p.separation_readiness_slope * gap) / model.demand
    leaving = employed[draw[employed] < np.minimum(hazard, 1.0)]
    early = week - c.job_start[leaving] < EARLY_WEEKS
    employer_learning.learn_from_separations(model, c.employer[leaving], failed=early)
    if leaving.size:
        model.events.add(
            week,
            "separation",
            leaving,
            caseworker=c.caseworker[leaving],
            employer=c.employer[leaving],
            value=(week - c.job_start[leaving]).astype(float),
        )
        model.return_to_benefit(leaving)
