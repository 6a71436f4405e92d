"""Exits: rehabilitation programme, flexi-job, disability pension, education, and leaving the population.

Rule: each week a citizen on benefit (not in a job) can leave social assistance for
- education (``exits.education_rate``) if under 30 (one fifth of it older), tripled when
  education-oriented, scaled by goal-directedness;
- a rehabilitation programme ("ressourceforløb", ``exits.rehabilitation_rate``) after two years on
  benefit with poor health; it lasts ``exits.rehabilitation_weeks``, then the citizen returns to benefit;
- a flexi-job (``exits.flexi_job_rate``) with reduced capacity (musculoskeletal disorder or poor health)
  but enough readiness to work some hours;
- disability pension (``exits.pension_rate``) from age 40 with very poor health.
Anybody in the population leaves it (moves, dies) with ``exits.out_rate`` (always on).

Planted effect: these routes take citizens out of the job-search population in a way that depends on
health, age and orientation. Switched off: only leaving the population remains.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from bipsim.model.state import NEVER, ON_BENEFIT
from bipsim.vocabulary import ORIENTATION_KEYS, indicator_index, status_code

if TYPE_CHECKING:
    from bipsim.model.model import BipModel

ROUTES = ("education", "rehabilitation", "flexi_job", "disability_pension", "out")
ROUTE_STATUS = np.array([status_code(r) for r in ROUTES], dtype=np.int8)
HEALTH = indicator_index("health")
GOAL = indicator_index("goal_directedness")
EDUCATION_ORIENTED = ORIENTATION_KEYS.index("education_oriented")
PENSION, EDUCATION, OUT = status_code("disability_pension"), status_code("education"), status_code("out")


def step(model: BipModel, rng: np.random.Generator) -> None:
    """Draw this week's exits (competing risks) and end finished rehabilitation programmes."""
    c, p, week = model.citizens, model.params.exits, model.week
    happens, which, employer_draw = (
        rng.random(c.size, dtype=np.float32),
        rng.random(c.size, dtype=np.float32),
        rng.random(c.size, dtype=np.float32),
    )
    back = np.flatnonzero(c.rehabilitation_end <= week)
    c.exit_status[back] = ON_BENEFIT
    c.rehabilitation_end[back] = NEVER
    c.next_meeting[back] = week

    health = c.latent[:, HEALTH]
    absorbed = (c.exit_status == PENSION) | (c.exit_status == EDUCATION) | (c.exit_status == OUT)
    hazards = [np.zeros(c.size)] * 4
    if p.enabled:
        on_benefit = c.on_benefit()
        young = np.where(c.age < 30, 1.0, 0.2)
        oriented = np.where(c.orientation == EDUCATION_ORIENTED, 3.0, 1.0)
        hazards = [
            p.education_rate * young * oriented * (c.latent[:, GOAL] / 3.0) ** 2 * on_benefit,
            p.rehabilitation_rate * ((health < 2.2) & (c.benefit_weeks > 104) & on_benefit),
            p.flexi_job_rate * ((c.musculoskeletal_disorder | (health < 2.5)) & (c.readiness > 2.5) & on_benefit),
            p.pension_rate * ((c.age >= 40) & (health < 1.8) & on_benefit),
        ]
    hazards.append(np.where(absorbed, 0.0, p.out_rate))
    total = sum(hazards)
    leaving = np.flatnonzero(happens < total)
    if leaving.size == 0:
        return
    cumulative = np.cumsum(np.column_stack([h[leaving] for h in hazards]), axis=1)
    route = (cumulative < (which[leaving] * total[leaving])[:, None]).sum(axis=1)
    destination = ROUTE_STATUS[np.minimum(route, len(ROUTES) - 1)]
    model.leave_benefit(leaving, destination, employer_draw[leaving])
    rehab = leaving[destination == status_code("rehabilitation")]
    c.rehabilitation_end[rehab] = week + p.rehabilitation_weeks
