"""Intervention allocation: who gets which combination of help, and what it does to them.

Rule:
    At a meeting, a citizen with no running or queued intervention gets an offer when a legal deadline is due
    or otherwise with ``interventions.offer_probability`` per meeting, raised by the municipality's incentives
    (see :mod:`bipsim.mechanisms.rules`). A first offer is due from the last meeting before
    ``rules.first_offer_weeks`` on benefit (one ``meetings.interval_weeks`` before it), later ones every
    ``rules.repeat_offer_weeks``; a due offer is made with ``rules.deadline_compliance``. A share
    ``interventions.parallel_share`` of offers combine a job-focused intervention (work placement at a private
    or public employer, wage-subsidised job) with a support intervention (skills course, mentor, health
    intervention) in parallel; the rest follow a staircase: support first, and job-focused help only once the
    caseworker perceives readiness of at least ``interventions.staircase_threshold``.

    Caseworkers send those they see as readier to private employers: from a perceived readiness of
    ``interventions.wage_subsidy_readiness`` a share ``interventions.wage_subsidy_share`` of job-focused offers
    are wage-subsidised jobs and the rest private placements; from ``interventions.private_placement_readiness``
    a share ``interventions.private_placement_share`` are private placements; all others are public
    placements. For support they choose the intervention that matches the weakest domain they see, each domain
    seen up to ``interventions.domain_view_error`` points off. Offers join the queues of
    :mod:`bipsim.mechanisms.waiting`; placements and wage-subsidised jobs go to an employer open to them.

    Where a human makes the caseworker's decisions (``CitizenState.decided_by_hand``, a student in class mode),
    no offer is made at their meetings, deadline or not: offering is theirs, and their offers join the same
    queues.

    In an intervention, the indicators of its row in ``vocabulary.INTERVENTIONS`` gain
    ``interventions.weekly_gain`` a week times their weight, weighted by how the citizen's orientation receives
    that kind of help (``vocabulary.ORIENTATION_RESPONSE``, its distance from 1 scaled by
    ``interventions.orientation_heterogeneity``): the same intervention means different things to different
    citizens. A completed intervention multiplies the citizen's chance of an employer contact for
    ``interventions.after_effect_weeks``: by ``interventions.private_placement_multiplier``,
    ``interventions.public_placement_multiplier`` or ``interventions.wage_subsidy_multiplier`` after
    job-focused help, and by ``interventions.other_activation_multiplier`` after support, which counts only when the
    citizen also has job-focused help at the time. A completion while a stronger after-effect is in force leaves
    that one as it was: a support course does not extend a placement's after-effect. A wage-subsidised job ends in a
    hire at the same employer with ``interventions.wage_subsidy_hire_probability``. A job or an exit cancels running
    interventions and queues.

Planted effect:
    The weekly indicator gains (modified by orientation); the after-effects on job chances; parallel versus
    staircase.

Switched off:
    With ``interventions.enabled = false`` nobody is offered anything. ``interventions.withheld`` withholds
    single intervention types, for twins that ask what one type does; ``interventions.without_readiness_gain``
    switches off only the weekly indicator gains of single types (they still run and keep their after-effects),
    for twins that ask how much of a type's effect runs through readiness.

Sources:
    BIP published +84%, +65% and +27% higher job-exit rates after completed private placements, public
    placements and other activation: adjusted *associations* in observed data, which are targets for the
    simulated observed data (``association_*`` in :mod:`bipsim.analysis.calibration`), not causal effects.
    The private and public placement multipliers are calibrated so that the study's adjusted model, run on
    the simulated observed data, shows the published associations (:func:`bipsim.ensemble.calibrate.fit_effects`,
    recorded in ``docs/effects.json``); the causal multiplier of public placements comes out larger than its
    association, because the association is diluted. The other-activation association hardly moves with its
    multiplier (support counts only alongside job-focused help), so that multiplier is an assumption; so is the
    wage-subsidy multiplier. The offer probability is calibrated
    with the deadline compliance to the published share without an offer. The rest are modelling assumptions.

Fixed assumptions:
    ``SUPPORT_DOMAINS``: the domain each support intervention answers (skills: labour-market knowledge;
    mentor: everyday coping; health: health). The types' durations, places and gain weights and the
    orientations' responses are tables of :mod:`bipsim.contract.vocabulary`.

Parameters:
    ``interventions.enabled`` (the switch), ``interventions.withheld`` and
    ``interventions.without_readiness_gain``; ``interventions.offer_probability``,
    ``interventions.parallel_share``, ``interventions.staircase_threshold`` and the readiness thresholds,
    shares and view error that choose the types (offers); ``interventions.weekly_gain`` and
    ``interventions.orientation_heterogeneity`` (gains); the four multipliers, ``interventions.after_effect_weeks``
    and ``interventions.wage_subsidy_hire_probability`` (after-effects). Reads ``rules.first_offer_weeks``,
    ``rules.repeat_offer_weeks``, ``rules.deadline_compliance`` and ``meetings.interval_weeks``.
"""

from __future__ import annotations

import functools

import numpy as np

from bipsim.contract.vocabulary import (
    INDICATOR_KEYS,
    INTERVENTION_KEYS,
    INTERVENTIONS,
    ORIENTATION_KEYS,
    ORIENTATION_RESPONSE,
    indicator_index,
)
from bipsim.engine.columns import JOB_SLOT, NEVER, SUPPORT_SLOT
from bipsim.engine.kernels import kernel
from bipsim.engine.world import World
from bipsim.mechanisms import rules

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
SUPPORT_DOMAINS = (("skills", "labour_market_knowledge"), ("mentor", "everyday_coping"), ("health", "health"))
"""The domain (indicator) each support intervention answers, in the order of the support codes."""
SUPPORT_COLUMNS = np.array([indicator_index(domain) for _, domain in SUPPORT_DOMAINS])
SUPPORT_CODES = np.array([CODE[key] for key, _ in SUPPORT_DOMAINS])
WAGE_SUBSIDY, PRIVATE_PLACEMENT = CODE["wage_subsidy"], CODE["private_placement"]
PUBLIC_PLACEMENT = CODE["public_placement"]


def allocate(model: World, held: np.ndarray, rng: np.random.Generator) -> None:
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
    by_model = held[~c.decided_by_hand[held]]  # a human caseworker makes their own offers
    idle = _idle(by_model, programme=c.programme, queue=c.queue)
    gain_any, gain_job = rules.incentives(model, idle)
    r = model.params.rules
    withheld = withheld_types(tuple(p.withheld))
    _offer(
        idle=idle,
        gain_any=gain_any,
        gain_job=gain_job,
        offer_draw=offer_draw,
        parallel_draw=parallel_draw,
        type_draw=type_draw,
        domain_noise=domain_noise,
        offers=c.offers,
        last_offer=c.last_offer,
        benefit_weeks=c.benefit_weeks,
        perceived_readiness=c.perceived_readiness,
        latent=c.latent,
        queue=c.queue,
        queue_since=c.queue_since,
        week=week,
        first_offer_weeks=r.first_offer_weeks - model.params.meetings.interval_weeks,
        repeat_offer_weeks=r.repeat_offer_weeks,
        deadline_compliance=r.deadline_compliance,
        offer_probability=p.offer_probability,
        parallel_share=np.float32(p.parallel_share),
        staircase_threshold=p.staircase_threshold,
        private_placement_readiness=p.private_placement_readiness,
        private_placement_share=np.float32(p.private_placement_share),
        wage_subsidy_readiness=p.wage_subsidy_readiness,
        wage_subsidy_share=np.float32(p.wage_subsidy_share),
        domain_view_error=np.float32(p.domain_view_error),
        withheld=withheld,
    )


@functools.cache
def withheld_types(keys: tuple[str, ...]) -> np.ndarray:
    """Mask over the intervention codes: which types are withheld (read-only; made once per set of keys)."""
    mask = np.zeros(len(INTERVENTIONS), dtype=bool)
    mask[[CODE[k] for k in keys]] = True
    mask.flags.writeable = False
    return mask


@kernel
def _idle(held, programme, queue):
    """Those of ``held`` in no intervention and no queue, in the order of ``held``."""
    idle = np.empty(held.size, dtype=np.int64)
    count = 0
    for i in held:
        if max(programme[i, JOB_SLOT], programme[i, SUPPORT_SLOT], queue[i, JOB_SLOT], queue[i, SUPPORT_SLOT]) < 0:
            idle[count] = i
            count += 1
    return idle[:count].copy()


@kernel
def _offer(
    idle,
    gain_any,
    gain_job,
    offer_draw,
    parallel_draw,
    type_draw,
    domain_noise,
    offers,
    last_offer,
    benefit_weeks,
    perceived_readiness,
    latent,
    queue,
    queue_since,
    week,
    first_offer_weeks,
    repeat_offer_weeks,
    deadline_compliance,
    offer_probability,
    parallel_share,
    staircase_threshold,
    private_placement_readiness,
    private_placement_share,
    wage_subsidy_readiness,
    wage_subsidy_share,
    domain_view_error,
    withheld,
):
    """Offer idle citizens interventions: the offer, parallel or staircase, and the types; they join queues."""
    for position in range(idle.size):
        i = idle[position]
        deadline = (offers[i] == 0 and benefit_weeks[i] >= first_offer_weeks) or (
            week - last_offer[i] >= repeat_offer_weeks
        )
        chance = (deadline_compliance if deadline else 0.0) + offer_probability * (1.0 + gain_any[position])
        if not offer_draw[i] < chance:
            continue
        perceived = perceived_readiness[i]
        parallel = parallel_draw[i] < parallel_share
        job = parallel or perceived >= staircase_threshold - gain_job[position]
        support = parallel or not job
        if perceived >= wage_subsidy_readiness:
            job_type = WAGE_SUBSIDY if type_draw[i] < wage_subsidy_share else PRIVATE_PLACEMENT
        elif perceived >= private_placement_readiness and type_draw[i] < private_placement_share:
            job_type = PRIVATE_PLACEMENT
        else:
            job_type = PUBLIC_PLACEMENT
        weakest = 0  # the caseworker sees each domain up to domain_view_error off
        lowest = latent[i, SUPPORT_COLUMNS[0]] + domain_noise[i, 0] * domain_view_error
        for d in range(1, SUPPORT_COLUMNS.size):
            seen = latent[i, SUPPORT_COLUMNS[d]] + domain_noise[i, d] * domain_view_error
            if seen < lowest:
                weakest, lowest = d, seen
        support_type = SUPPORT_CODES[weakest]
        job = job and not withheld[job_type]
        support = support and not withheld[support_type]
        if job:
            queue[i, JOB_SLOT] = job_type
            queue_since[i, JOB_SLOT] = week
        if support:
            queue[i, SUPPORT_SLOT] = support_type
            queue_since[i, SUPPORT_SLOT] = week
        if job or support:
            offers[i] += 1
            last_offer[i] = week


def start(model: World, citizens: np.ndarray, slot: int, rng_draw: np.ndarray) -> None:
    """Start the queued intervention in ``slot`` for ``citizens``.

    Placements go to an employer open to placements, wage-subsidised jobs to one open to wage subsidy.
    """
    c = model.citizens
    types, waited, placed, subsidised = _start(
        citizens,
        queue=c.queue,
        queue_since=c.queue_since,
        programme=c.programme,
        programme_end=c.programme_end,
        last_help=c.last_help,
        slot=slot,
        week=model.week,
    )
    for chosen, openness in ((placed, "placement"), (subsidised, "subsidy")):
        at_employer = citizens[chosen]
        if at_employer.size:
            c.employer[at_employer] = model.pick_employers(c.jobcentre[at_employer], rng_draw[at_employer], openness)
    labels = model.events.detail_codes(INTERVENTION_KEYS)
    waiting = waited > 0
    model.events.add(
        model.week,
        "waiting_end",
        citizens[waiting],
        caseworker=c.caseworker[citizens[waiting]],
        detail=labels[types[waiting]],
        value=waited[waiting],
    )
    model.events.add(
        model.week,
        "intervention_start",
        citizens,
        caseworker=c.caseworker[citizens],
        employer=c.employer[citizens] if slot == JOB_SLOT else -1,
        detail=labels[types],
    )


@kernel
def _start(citizens, queue, queue_since, programme, programme_end, last_help, slot, week):
    """Move ``citizens`` from the queue of ``slot`` into its intervention.

    Returns the types, the weeks waited, and masks of who starts a placement and who a wage-subsidised job
    (both need an employer).
    """
    types = np.empty(citizens.size, dtype=np.int64)
    waited = np.empty(citizens.size, dtype=np.int32)
    placed = np.zeros(citizens.size, dtype=np.bool_)
    subsidised = np.zeros(citizens.size, dtype=np.bool_)
    for position in range(citizens.size):
        i = citizens[position]
        kind = queue[i, slot]
        types[position], waited[position] = kind, week - queue_since[i, slot]
        programme[i, slot] = kind
        programme_end[i, slot] = week + DURATION[kind]
        queue[i, slot] = -1
        queue_since[i, slot] = NEVER
        last_help[i] = week
        subsidised[position] = kind == WAGE_SUBSIDY
        placed[position] = EMPLOYER_BASED[kind] and kind != WAGE_SUBSIDY
    return types, waited, placed, subsidised


def progress(model: World, rng: np.random.Generator, trust_factor: np.ndarray) -> None:
    """A week in an intervention: indicator gains, completions and their after-effects.

    ``trust_factor``: each citizen's factor on the gains from their trust in the jobcentre
    (:func:`bipsim.mechanisms.trust.intervention_factor`).
    """
    c, p, week = model.citizens, model.params.interventions, model.week
    hire_draw = rng.random(c.size, dtype=np.float32)
    labels = model.events.detail_codes(INTERVENTION_KEYS)
    for slot in (JOB_SLOT, SUPPORT_SLOT):
        done = _take_part(
            programme=c.programme,
            programme_end=c.programme_end,
            orientation=c.orientation,
            trust_factor=trust_factor,
            latent=c.latent,
            last_help=c.last_help,
            job_help_until=c.job_help_until,
            slot=slot,
            week=week,
            weekly_gain=p.weekly_gain,
            orientation_heterogeneity=p.orientation_heterogeneity,
            after_effect_weeks=p.after_effect_weeks,
            gainless=withheld_types(tuple(p.without_readiness_gain)),
        )
        if done is not None and done.size:
            finish(model, done, slot, hire_draw, labels)


@kernel
def _take_part(
    programme,
    programme_end,
    orientation,
    trust_factor,
    latent,
    last_help,
    job_help_until,
    slot,
    week,
    weekly_gain,
    orientation_heterogeneity,
    after_effect_weeks,
    gainless,
):
    """A week in the interventions of ``slot``: the gains; returns who completes one (None: nobody takes part).

    Gains are float64 added to the float32 indicators and rounded back, as numpy's in-place sum does; types
    marked in ``gainless`` give none.
    """
    done = np.empty(programme.shape[0], dtype=np.int64)
    count, members = 0, 0
    for i in range(programme.shape[0]):
        kind = programme[i, slot]
        if kind < 0:
            continue
        members += 1
        if not gainless[kind]:
            response = 1.0 + orientation_heterogeneity * (RESPONSE[orientation[i], KIND_OF[kind]] - 1.0)
            response *= trust_factor[i]
            for k in range(latent.shape[1]):
                latent[i, k] = np.float32(latent[i, k] + weekly_gain * GAINS[kind, k] * response)
        last_help[i] = week
        if slot == JOB_SLOT:
            job_help_until[i] = week + after_effect_weeks
        if programme_end[i, slot] <= week:
            done[count] = i
            count += 1
    if members == 0:
        return None
    return done[:count].copy()


def finish(model: World, citizens: np.ndarray, slot: int, hire_draw: np.ndarray, labels: np.ndarray) -> None:
    """Complete the intervention in ``slot``: after-effect on job chances; wage subsidies may end in a hire."""
    c, p, week = model.citizens, model.params.interventions, model.week
    employers = c.employer[citizens]
    types, hiring = _finish(
        citizens,
        slot=slot,
        hire_draw=hire_draw,
        hire_probability=hire_draw.dtype.type(p.wage_subsidy_hire_probability),
        multipliers=after_multipliers(p),
        programme=c.programme,
        programme_end=c.programme_end,
        job_help_until=c.job_help_until,
        after_multiplier=c.after_multiplier,
        after_until=c.after_until,
        employer=c.employer,
        week=week,
        after_effect_weeks=p.after_effect_weeks,
    )
    model.events.add(
        week,
        "intervention_end",
        citizens,
        caseworker=c.caseworker[citizens],
        employer=employers if slot == JOB_SLOT else -1,
        detail=labels[types],
        value=1.0,
    )
    hired = citizens[hiring]
    if hired.size:
        model.hire(hired, c.employer[hired])


@kernel
def _finish(
    citizens,
    slot,
    hire_draw,
    hire_probability,
    multipliers,
    programme,
    programme_end,
    job_help_until,
    after_multiplier,
    after_until,
    employer,
    week,
    after_effect_weeks,
):
    """End the interventions of ``slot``, set their after-effects; returns the types and who is hired.

    Support counts only alongside job-focused help; a wage subsidy ends in a hire at its employer with
    ``hire_probability``, and any other job-focused intervention leaves the employer.
    """
    types = np.empty(citizens.size, dtype=np.int64)
    hiring = np.zeros(citizens.size, dtype=np.bool_)
    for position in range(citizens.size):
        i = citizens[position]
        kind = programme[i, slot]
        types[position] = kind
        multiplier = multipliers[kind]
        if slot == SUPPORT_SLOT and not job_help_until[i] >= week:
            multiplier = 1.0
        if after_until[i] <= week or multiplier >= after_multiplier[i]:
            after_multiplier[i] = multiplier  # a weaker completion leaves a stronger after-effect as it was
            after_until[i] = week + after_effect_weeks
        programme[i, slot] = -1
        programme_end[i, slot] = NEVER
        if slot == JOB_SLOT:
            hiring[position] = kind == WAGE_SUBSIDY and hire_draw[i] < hire_probability
            if not hiring[position]:
                employer[i] = -1
    return types, hiring


def after_multipliers(p: object) -> np.ndarray:
    """The planted job-chance multiplier after completing each intervention type."""
    by_key = {
        "private_placement": p.private_placement_multiplier,  # type: ignore[attr-defined]
        "public_placement": p.public_placement_multiplier,  # type: ignore[attr-defined]
        "wage_subsidy": p.wage_subsidy_multiplier,
    }  # type: ignore[attr-defined]
    return np.array([by_key.get(k, p.other_activation_multiplier) for k in INTERVENTION_KEYS])  # type: ignore[attr-defined]


def cancel(model: World, citizens: np.ndarray) -> None:
    """Stop running interventions and leave queues, e.g. when a citizen gets a job or exits."""
    c, week = model.citizens, model.week
    stopped = _cancel(
        citizens,
        programme=c.programme,
        programme_end=c.programme_end,
        queue=c.queue,
        queue_since=c.queue_since,
        week=week,
    )
    if stopped is None:
        return
    labels = model.events.detail_codes(INTERVENTION_KEYS)
    for slot in (JOB_SLOT, SUPPORT_SLOT):
        running, running_type, queued, queued_type, waited = stopped[slot]
        model.events.add(
            week, "intervention_end", running, caseworker=c.caseworker[running], detail=labels[running_type], value=0.0
        )
        model.events.add(
            week, "waiting_end", queued, caseworker=c.caseworker[queued], detail=labels[queued_type], value=waited
        )


@kernel
def _cancel(citizens, programme, programme_end, queue, queue_since, week):
    """Clear the programmes and queues of ``citizens``; None if they had none.

    Returns, for each slot, who stopped an intervention and its type, and who left a queue, its type and how
    long they had waited.
    """
    found = False
    for i in citizens:
        if programme[i, JOB_SLOT] >= 0 or programme[i, SUPPORT_SLOT] >= 0:
            found = True
        if queue[i, JOB_SLOT] >= 0 or queue[i, SUPPORT_SLOT] >= 0:
            found = True
    if not found:
        return None
    stopped = []
    for slot in (JOB_SLOT, SUPPORT_SLOT):
        running = np.empty(citizens.size, dtype=np.int64)
        running_type = np.empty(citizens.size, dtype=np.int64)
        queued = np.empty(citizens.size, dtype=np.int64)
        queued_type = np.empty(citizens.size, dtype=np.int64)
        waited = np.empty(citizens.size, dtype=np.float64)
        ran = waits = 0
        for i in citizens:
            if programme[i, slot] >= 0:
                running[ran], running_type[ran] = i, programme[i, slot]
                ran += 1
                programme[i, slot] = -1
                programme_end[i, slot] = NEVER
        for i in citizens:
            if queue[i, slot] >= 0:
                queued[waits], queued_type[waits] = i, queue[i, slot]
                waited[waits] = week - queue_since[i, slot]
                waits += 1
                queue[i, slot] = -1
                queue_since[i, slot] = NEVER
        stopped.append(
            (
                running[:ran].copy(),
                running_type[:ran],
                queued[:waits].copy(),
                queued_type[:waits],
                waited[:waits].copy(),
            )
        )
    return stopped
