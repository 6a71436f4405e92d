"""The labour market: a moving business cycle, employers who hire on contextual readiness, and job loss.

Rule: demand follows a business cycle ``1 + labour_market.cycle_amplitude * sin(2π (week /
cycle_period_weeks + cycle_phase))``, lowered by ``labour_market.recession_depth`` during a recession. Each
employer opens vacancies at a rate proportional to its size and to demand
(``labour_market.vacancies_per_employer``). A citizen on benefit who is not sick contacts an employer with
weekly chance ``labour_market.contact_rate`` x (job search / 3) ^ ``job_search_elasticity`` x demand,
multiplied by the planted multipliers: the caseworker's belief (``meetings.belief_effect``), brokering
(``meetings.continuity_job_effect``) and quality (these three belong to the meetings mechanism), a
completed intervention (see :mod:`bipsim.mechanisms.interventions`), and referrals from
employed ties (:mod:`bipsim.mechanisms.network`). The contacted employer, one tied to the citizen's
jobcentre with a vacancy, hires when the readiness it sees (readiness plus ``hiring_noise_sd`` noise)
clears its threshold; thresholds rise when demand falls (``competition_sensitivity``): competition for
jobs moves a citizen's distance to work even when the citizen does not change. Jobs end with weekly
chance ``separation_early`` in the first 13 weeks and ``separation_late`` after (published: 26% stop
within 3 months, 50% stay a year), higher at lower readiness and in a downturn.

Planted effect: the cycle on contacts and thresholds. Switched off: demand is flat and thresholds fixed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from bipsim.mechanisms.meetings import BELIEVES, relationship
from bipsim.model.arrays import rank_within_groups
from bipsim.model.state import ON_BENEFIT
from bipsim.vocabulary import indicator_index, status_code

if TYPE_CHECKING:
    from bipsim.model.model import BipModel

JOB = status_code("job")
JOB_SEARCH = indicator_index("job_search")
EARLY_WEEKS = 13


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
    return np.maximum(cycle - p.recession_depth * in_recession, 0.05)  # type: ignore[attr-defined]


def open_vacancies(model: BipModel, rng: np.random.Generator) -> None:
    """Set this week's demand, threshold shift and vacancies per employer."""
    p = model.params.labour_market
    model.demand = float(demand(model.week, p))
    model.threshold_shift = p.competition_sensitivity * (1.0 - model.demand) if p.enabled else 0.0
    model.vacancies = rng.poisson(p.vacancies_per_employer * model.employers.size_weight * model.demand)


def search_and_hire(model: BipModel, rng: np.random.Generator) -> None:
    """Employer contacts and hires for this week's job seekers."""
    c, p, week = model.citizens, model.params.labour_market, model.week
    contact_draw, employer_draw, view_noise = (
        rng.random(c.size, dtype=np.float32),
        rng.random(c.size, dtype=np.float32),
        rng.standard_normal(c.size),
    )
    seekers = np.flatnonzero((c.exit_status == ON_BENEFIT) & (c.sick_until <= week))
    chance = contact_chance(model, seekers)
    contacting = seekers[contact_draw[seekers] < chance]
    if contacting.size == 0:
        return
    employer = model.pick_employers(c.jobcentre[contacting], employer_draw[contacting], weights="vacancies")
    reached = employer >= 0
    contacting, employer = contacting[reached], employer[reached]
    seen = c.readiness[contacting] + p.hiring_noise_sd * view_noise[contacting]
    accepted = np.flatnonzero(seen >= model.employers.threshold[employer] + model.threshold_shift)
    accepted = accepted[np.argsort(employer[accepted], kind="stable")]
    within = accepted[rank_within_groups(employer[accepted]) < model.vacancies[employer[accepted]]]
    hired, hired_at = contacting[within], employer[within]
    np.subtract.at(model.vacancies, hired_at, 1)
    outcome = np.zeros(contacting.size)
    outcome[within] = 1.0
    model.events.add(
        week, "employer_contact", contacting, caseworker=c.caseworker[contacting], employer=employer, value=outcome
    )
    if hired.size:
        model.hire(hired, hired_at)


def contact_chance(model: BipModel, seekers: np.ndarray) -> np.ndarray:
    """Weekly chance of an employer contact for ``seekers``, with every planted multiplier applied."""
    c, p, week = model.citizens, model.params, model.week
    # Computed on whole columns and gathered once: cheaper than gathering every column for the seekers.
    chance = (
        p.labour_market.contact_rate
        * model.demand
        * (c.latent[:, JOB_SEARCH] / 3.0) ** (p.labour_market.job_search_elasticity)
    )
    if p.meetings.enabled:
        chance = chance * np.where(c.belief >= BELIEVES, p.meetings.belief_effect, 1.0)
        continuity = relationship(c.meetings_with_caseworker, p.meetings.continuity_meetings)
        chance *= 1.0 + (p.meetings.continuity_job_effect - 1.0) * continuity
        chance *= np.where(c.caseworker >= 0, model.caseworkers.quality[c.caseworker], 1.0)
    chance *= np.where(c.after_until > week, c.after_multiplier, 1.0)
    chance *= model.referral_multiplier
    return np.minimum(chance[seekers], 1.0)


def separate(model: BipModel, rng: np.random.Generator) -> None:
    """Jobs end: early separations are common, later ones rarer; low readiness and downturns raise them."""
    c, p, week = model.citizens, model.params.labour_market, model.week
    draw = rng.random(c.size, dtype=np.float32)
    employed = np.flatnonzero(c.exit_status == JOB)
    if employed.size == 0:
        return
    tenure = week - c.job_start[employed]
    base = np.where(tenure < EARLY_WEEKS, p.separation_early, p.separation_late)
    hazard = base * np.exp(p.separation_readiness_slope * (3.0 - c.readiness[employed])) / model.demand
    leaving = employed[draw[employed] < np.minimum(hazard, 1.0)]
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
