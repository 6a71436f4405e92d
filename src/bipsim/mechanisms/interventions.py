"""Intervention allocation: who gets which combination of help, and what it does to them.

Rule: at a meeting, a citizen with no running or queued intervention gets an offer when a deadline is due
(``rules.first_offer_weeks``, ``rules.repeat_offer_weeks``) or with ``interventions.offer_probability``
(raised by the municipality's incentives, see :mod:`bipsim.mechanisms.rules`). A share
``interventions.parallel_share`` of offers combine a job-focused intervention (private or public work
placement, wage subsidy) with a support intervention (skills, mentor, health) in parallel; the rest follow
a staircase: support first, job-focused only once the caseworker perceives readiness of at least
``interventions.staircase_threshold``. Caseworkers send those they see as readier to private placements and
wage subsidies, and choose the support that matches the weakest domain they see. Offers join the queue of
:mod:`bipsim.mechanisms.waiting`.

In an intervention, the indicators in its row of ``vocabulary.INTERVENTIONS`` gain
``interventions.weekly_gain`` a week, weighted by how the citizen's orientation receives that kind of help
(``vocabulary.ORIENTATION_RESPONSE``, scaled by ``interventions.orientation_heterogeneity``): the same
intervention means different things to different citizens. A completed intervention multiplies the
citizen's job chances for ``interventions.after_effect_weeks``: ``private_placement_multiplier`` (published
+84%), ``public_placement_multiplier`` (+65%), ``wage_subsidy_multiplier``, and
``other_activation_multiplier`` (+27%) for support, which only counts alongside job-focused help. A wage
subsidy ends in a hire with ``interventions.wage_subsidy_hire_probability``.

Switched off: nobody is offered anything. ``interventions.withheld`` withholds single types (twins).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from bipsim.mechanisms import rules
from bipsim.model.state import JOB_SLOT, NEVER, SUPPORT_SLOT
from bipsim.vocabulary import (
    INDICATOR_KEYS,
    INTERVENTION_KEYS,
    INTERVENTIONS,
    ORIENTATION_KEYS,
    ORIENTATION_RESPONSE,
    indicator_index,
)

if TYPE_CHECKING:
    from bipsim.model.model import BipModel

CODE = {key: code for code, key in enumerate(INTERVENTION_KEYS)}
DURATION = np.array([i.duration_weeks for i in INTERVENTIONS])
EMPLOYER_BASED = np.array([i.employer_based for i in INTERVENTIONS])
GAINS = np.zeros((len(INTERVENTIONS), len(INDICATOR_KEYS)))
for _code, _intervention in enumerate(INTERVENTIONS):
    for _key, _weight in _intervention.effects:
        GAINS[_code, indicator_index(_key)] = _weight
KIND_OF = np.array([0 if i.kind == "job_focused" else 1 for i in INTERVENTIONS])
RESPONSE = np.array(
    [[ORIENTATION_RESPONSE[o]["job_focused"], ORIENTATION_RESPONSE[o]["support"]] for o in ORIENTATION_KEYS]
)
# The domain each support intervention answers, in the order of the support codes.
SUPPORT_DOMAINS = (("skills", "labour_market_knowledge"), ("mentor", "everyday_coping"), ("health", "health"))
PRIVATE_PLACEMENT_READINESS = 2.8  # perceived readiness from which caseworkers try private employers
WAGE_SUBSIDY_READINESS = 3.1


def allocate(model: BipModel, held: np.ndarray, rng: np.random.Generator) -> None:
    """Make offers at this week's meetings; offers join the queues."""
    c, p, week = model.citizens, model.params.interventions, model.week
    offer_draw, parallel_draw, type_draw = (
        rng.random(c.size, dtype=np.float32),
        rng.random(c.size, dtype=np.float32),
        rng.random(c.size, dtype=np.float32),
    )
    domain_noise = rng.random((c.size, len(SUPPORT_DOMAINS)), dtype=np.float32)
    if not p.enabled or held.size == 0:
        return
    idle = held[~c.in_programme()[held] & ~c.queued()[held]]
    gain_any, gain_job = rules.incentives(model, idle)
    r = model.params.rules
    deadline = (
        (c.offers[idle] == 0) & (c.benefit_weeks[idle] >= r.first_offer_weeks - model.params.meetings.interval_weeks)
    ) | (week - c.last_offer[idle] >= r.repeat_offer_weeks)
    chance = np.where(deadline, r.deadline_compliance, 0.0) + p.offer_probability * (1.0 + gain_any)
    offered = offer_draw[idle] < chance
    idle, gain_job = idle[offered], gain_job[offered]
    if idle.size == 0:
        return
    perceived = c.perceived_readiness[idle]
    parallel = parallel_draw[idle] < p.parallel_share
    job = parallel | (perceived >= p.staircase_threshold - gain_job)
    support = parallel | ~job
    job_type = np.where(
        perceived >= WAGE_SUBSIDY_READINESS,
        np.where(type_draw[idle] < 0.5, CODE["wage_subsidy"], CODE["private_placement"]),
        np.where(
            (perceived >= PRIVATE_PLACEMENT_READINESS) & (type_draw[idle] < 0.6),
            CODE["private_placement"],
            CODE["public_placement"],
        ),
    )
    seen = np.column_stack([c.latent[idle, indicator_index(domain)] for _, domain in SUPPORT_DOMAINS])
    weakest = np.argmin(seen + domain_noise[idle], axis=1)  # the caseworker's view is about a point off
    support_type = np.array([CODE[k] for k, _ in SUPPORT_DOMAINS])[weakest]
    withheld = np.array([CODE[k] for k in p.withheld], dtype=int)
    if withheld.size:
        job &= ~np.isin(job_type, withheld)
        support &= ~np.isin(support_type, withheld)
    for slot, wanted, types in ((JOB_SLOT, job, job_type), (SUPPORT_SLOT, support, support_type)):
        c.queue[idle[wanted], slot] = types[wanted]
        c.queue_since[idle[wanted], slot] = week
    made = job | support
    c.offers[idle[made]] += 1
    c.last_offer[idle[made]] = week


def start(model: BipModel, citizens: np.ndarray, slot: int, rng_draw: np.ndarray) -> None:
    """Start the queued intervention in ``slot`` for ``citizens``.

    Placements go to an employer open to placements, wage-subsidised jobs to one open to wage subsidy.
    """
    c, week = model.citizens, model.week
    types = c.queue[citizens, slot].astype(int)
    waited = week - c.queue_since[citizens, slot]
    c.programme[citizens, slot] = types
    c.programme_end[citizens, slot] = week + DURATION[types]
    c.queue[citizens, slot] = -1
    c.queue_since[citizens, slot] = NEVER
    c.last_help[citizens] = week
    subsidised = types == CODE["wage_subsidy"]
    for chosen, openness in ((EMPLOYER_BASED[types] & ~subsidised, "placement"), (subsidised, "subsidy")):
        at_employer = citizens[chosen]
        if at_employer.size:
            c.employer[at_employer] = model.pick_employers(
                c.jobcentre[at_employer], rng_draw[at_employer], weights=openness
            )
    labels = model.events.detail_codes(INTERVENTION_KEYS)
    model.events.add(
        week,
        "waiting_end",
        citizens[waited > 0],
        caseworker=c.caseworker[citizens[waited > 0]],
        detail=labels[types[waited > 0]],
        value=waited[waited > 0],
    )
    model.events.add(
        week,
        "intervention_start",
        citizens,
        caseworker=c.caseworker[citizens],
        employer=c.employer[citizens] if slot == JOB_SLOT else -1,
        detail=labels[types],
    )


def progress(model: BipModel, rng: np.random.Generator) -> None:
    """A week in an intervention: indicator gains, completions and their after-effects."""
    c, p, week = model.citizens, model.params.interventions, model.week
    hire_draw = rng.random(c.size, dtype=np.float32)
    labels = model.events.detail_codes(INTERVENTION_KEYS)
    for slot in (JOB_SLOT, SUPPORT_SLOT):
        members = np.flatnonzero(c.programme[:, slot] >= 0)
        if members.size == 0:
            continue
        types = c.programme[members, slot].astype(int)
        response = 1.0 + p.orientation_heterogeneity * (RESPONSE[c.orientation[members], KIND_OF[types]] - 1.0)
        c.latent[members] += p.weekly_gain * GAINS[types] * response[:, None]
        c.last_help[members] = week
        if slot == JOB_SLOT:
            c.job_help_until[members] = week + p.after_effect_weeks
        done = members[c.programme_end[members, slot] <= week]
        if done.size:
            finish(model, done, slot, hire_draw, labels)


def finish(model: BipModel, citizens: np.ndarray, slot: int, hire_draw: np.ndarray, labels: np.ndarray) -> None:
    """Complete the intervention in ``slot``: after-effect on job chances; wage subsidies may end in a hire."""
    c, p, week = model.citizens, model.params.interventions, model.week
    types = c.programme[citizens, slot].astype(int)
    multiplier = after_multipliers(p)[types]
    if slot == SUPPORT_SLOT:
        multiplier = np.where(c.job_help_until[citizens] >= week, multiplier, 1.0)
    still = c.after_until[citizens] > week
    c.after_multiplier[citizens] = np.where(still, np.maximum(c.after_multiplier[citizens], multiplier), multiplier)
    c.after_until[citizens] = week + p.after_effect_weeks
    model.events.add(
        week,
        "intervention_end",
        citizens,
        caseworker=c.caseworker[citizens],
        employer=c.employer[citizens] if slot == JOB_SLOT else -1,
        detail=labels[types],
        value=1.0,
    )
    c.programme[citizens, slot] = -1
    c.programme_end[citizens, slot] = NEVER
    if slot == JOB_SLOT:
        subsidy = types == CODE["wage_subsidy"]
        hiring = subsidy & (hire_draw[citizens] < p.wage_subsidy_hire_probability)
        hired = citizens[hiring]
        c.employer[citizens[~hiring]] = -1
        if hired.size:
            model.hire(hired, c.employer[hired])


def after_multipliers(p: object) -> np.ndarray:
    """The planted job-chance multiplier after completing each intervention type."""
    by_key = {
        "private_placement": p.private_placement_multiplier,  # type: ignore[attr-defined]
        "public_placement": p.public_placement_multiplier,  # type: ignore[attr-defined]
        "wage_subsidy": p.wage_subsidy_multiplier,
    }  # type: ignore[attr-defined]
    return np.array([by_key.get(k, p.other_activation_multiplier) for k in INTERVENTION_KEYS])  # type: ignore[attr-defined]


def cancel(model: BipModel, citizens: np.ndarray) -> None:
    """Stop running interventions and leave queues, e.g. when a citizen gets a job or exits."""
    c, week = model.citizens, model.week
    if not ((c.programme[citizens] >= 0).any() or (c.queue[citizens] >= 0).any()):
        return
    labels = model.events.detail_codes(INTERVENTION_KEYS)
    for slot in (JOB_SLOT, SUPPORT_SLOT):
        running = citizens[c.programme[citizens, slot] >= 0]
        model.events.add(
            week,
            "intervention_end",
            running,
            caseworker=c.caseworker[running],
            detail=labels[c.programme[running, slot].astype(int)],
            value=0.0,
        )
        c.programme[running, slot] = -1
        c.programme_end[running, slot] = NEVER
        queued = citizens[c.queue[citizens, slot] >= 0]
        model.events.add(
            week,
            "waiting_end",
            queued,
            caseworker=c.caseworker[queued],
            detail=labels[c.queue[queued, slot].astype(int)],
            value=(week - c.queue_since[queued, slot]).astype(float),
        )
        c.queue[queued, slot] = -1
        c.queue_since[queued, slot] = NEVER
