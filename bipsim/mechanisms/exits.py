"""Exits: rehabilitation programme, flexi-job, disability pension, education, and leaving the population.

Rule:
    Each week a citizen on social assistance (not in a job) may leave it by competing routes:

    - education ("uddannelse", ``exits.education_rate``) below age ``exits.education_age``
      (``exits.education_older_factor`` of it from that age), ``exits.education_orientation_factor`` times as
      often when education-oriented, and in proportion to the square of goal-directedness / 3;
    - a rehabilitation programme ("ressourceforløb", ``exits.rehabilitation_rate``) after
      ``exits.rehabilitation_after_weeks`` on benefit with health below ``exits.rehabilitation_health``; it
      lasts ``exits.rehabilitation_weeks``, then the citizen returns to social assistance;
    - a flexi-job ("fleksjob", ``exits.flexi_job_rate``) with reduced capacity (a musculoskeletal disorder,
      or health below ``exits.flexi_job_health``) but readiness above ``exits.flexi_job_readiness``, enough
      to work some hours;
    - disability pension ("førtidspension", ``exits.pension_rate``) from age ``exits.pension_age`` with
      health below ``exits.pension_health``.

    Anybody still in the population may leave it (moving away, death) with ``exits.out_rate``, always on.

Planted effect:
    These routes take citizens out of the job-search population in a way that depends on health, age and
    orientation: a source of selection for any comparison of those who got a job and those who did not.

Switched off:
    With ``exits.enabled = false`` only leaving the population remains.

Sources:
    The rates are modelling assumptions of plausible size; the education rate is calibrated to keep the
    caseworker comparison on job or education close to the published spread. The age limits follow Danish
    rules: education assistance for those under 30, and since 2013 disability pension under 40 only by
    exception. The health and readiness thresholds are assumptions.

Fixed assumptions:
    ``GOAL_REFERENCE``: the education rate is ``exits.education_rate`` at goal-directedness 3, the middle of
    the scale, and grows with its square.

Parameters:
    ``exits.enabled`` (the switch) and, route by route, the rates, ages, durations and thresholds named
    above. Reads no other group.
"""

from __future__ import annotations

import numpy as np

from bipsim.contract.vocabulary import ORIENTATION_KEYS, indicator_index, status_code
from bipsim.engine.columns import NEVER, ON_BENEFIT
from bipsim.engine.kernels import kernel
from bipsim.engine.world import World

ROUTES = ("education", "rehabilitation", "flexi_job", "disability_pension", "out")
ROUTE_STATUS = np.array([status_code(r) for r in ROUTES], dtype=np.int8)
HEALTH = indicator_index("health")
GOAL = indicator_index("goal_directedness")
EDUCATION_ORIENTED = ORIENTATION_KEYS.index("education_oriented")
PENSION, EDUCATION, OUT = status_code("disability_pension"), status_code("education"), status_code("out")
REHABILITATION = status_code("rehabilitation")
GOAL_REFERENCE = 3.0
"""Goal-directedness at which the education rate is ``exits.education_rate`` itself: the middle of the 1-5 scale."""


def step(model: World, rng: np.random.Generator) -> None:
    """Draw this week's exits (competing risks) and end finished rehabilitation programmes."""
    c, p, week = model.citizens, model.params.exits, model.week
    happens, which, employer_draw = (
        rng.random(c.size, dtype=np.float32),
        rng.random(c.size, dtype=np.float32),
        rng.random(c.size, dtype=np.float32),
    )
    rates = np.array([p.education_rate, p.rehabilitation_rate, p.flexi_job_rate, p.pension_rate, p.out_rate])
    leaving, destination = _exits(
        happens=happens,
        which=which,
        exit_status=c.exit_status,
        rehabilitation_end=c.rehabilitation_end,
        next_meeting=c.next_meeting,
        latent=c.latent,
        readiness=c.readiness,
        age=c.age,
        orientation=c.orientation,
        benefit_weeks=c.benefit_weeks,
        musculoskeletal=c.musculoskeletal_disorder,
        week=week,
        enabled=p.enabled,
        rates=rates,
        education_age=p.education_age,
        education_older_factor=p.education_older_factor,
        education_orientation_factor=p.education_orientation_factor,
        rehabilitation_after_weeks=p.rehabilitation_after_weeks,
        rehabilitation_health=np.float32(p.rehabilitation_health),
        flexi_job_health=np.float32(p.flexi_job_health),
        flexi_job_readiness=np.float32(p.flexi_job_readiness),
        pension_age=p.pension_age,
        pension_health=np.float32(p.pension_health),
    )
    if leaving.size == 0:
        return
    model.leave_benefit(leaving, destination, employer_draw[leaving])
    rehab = leaving[destination == REHABILITATION]
    c.rehabilitation_end[rehab] = week + p.rehabilitation_weeks


@kernel
def _exits(
    happens,
    which,
    exit_status,
    rehabilitation_end,
    next_meeting,
    latent,
    readiness,
    age,
    orientation,
    benefit_weeks,
    musculoskeletal,
    week,
    enabled,
    rates,
    education_age,
    education_older_factor,
    education_orientation_factor,
    rehabilitation_after_weeks,
    rehabilitation_health,
    flexi_job_health,
    flexi_job_readiness,
    pension_age,
    pension_health,
):
    """End finished rehabilitation programmes, then draw the competing exits; returns leavers and statuses.

    Hazards are float64 and the thresholds float32 (the caller rounds them), as the latent indicators: a float32
    indicator is compared with the float32 nearest the threshold, as numpy compares it.
    """
    n = happens.size
    hazards = np.zeros(len(ROUTES))
    leaving = np.empty(n, dtype=np.int64)
    destination = np.empty(n, dtype=np.int8)
    count = 0
    for i in range(n):
        if rehabilitation_end[i] <= week:
            exit_status[i] = ON_BENEFIT
            rehabilitation_end[i] = NEVER
            next_meeting[i] = week
        status = exit_status[i]
        if status == PENSION or status == EDUCATION or status == OUT:
            continue  # absorbed: no route out is open (every hazard is zero)
        hazards[:4] = 0.0
        hazards[4] = rates[4]  # leaving the population: open to everybody else
        if enabled and status == ON_BENEFIT:
            health = latent[i, HEALTH]
            goal = latent[i, GOAL] / np.float32(GOAL_REFERENCE)
            young = 1.0 if age[i] < education_age else education_older_factor
            oriented = education_orientation_factor if orientation[i] == EDUCATION_ORIENTED else 1.0
            hazards[0] = rates[0] * young * oriented * np.float64(goal * goal)
            rehabilitation = health < rehabilitation_health and benefit_weeks[i] > rehabilitation_after_weeks
            hazards[1] = rates[1] if rehabilitation else 0.0
            reduced = (musculoskeletal[i] or health < flexi_job_health) and readiness[i] > flexi_job_readiness
            hazards[2] = rates[2] if reduced else 0.0
            hazards[3] = rates[3] if age[i] >= pension_age and health < pension_health else 0.0
        total = (((hazards[0] + hazards[1]) + hazards[2]) + hazards[3]) + hazards[4]
        if happens[i] < total:
            cut, cumulative, route = which[i] * total, 0.0, 0
            for k in range(len(ROUTES)):
                cumulative += hazards[k]
                route += cumulative < cut
            leaving[count] = i
            destination[count] = ROUTE_STATUS[min(route, len(ROUTES) - 1)]
            count += 1
    return leaving[:count].copy(), destination[:count].copy()  # copies: the log keeps them, not the buffers
