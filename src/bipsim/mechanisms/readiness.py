"""Readiness dynamics: drift toward a personal baseline, health shocks, regression without help.

Rule: every week each latent indicator closes ``readiness.drift_rate`` of its gap to the citizen's
personal baseline and fluctuates by ``readiness.weekly_noise_sd`` (uniform shocks with that standard
deviation: cheap to draw, and their sum over weeks is close to normal). A citizen on benefit who has had neither
a meeting nor an intervention for more than ``readiness.regression_grace_weeks`` loses
``readiness.regression_per_week`` points on the dynamic indicators (work belief, goal-directedness, job
search, everyday coping, cooperation). A health shock strikes with ``readiness.health_shock_probability``
(doubled with a psychiatric diagnosis or a musculoskeletal disorder), cuts health and health coping by
``readiness.health_shock_size`` and makes a citizen on benefit sick for ``readiness.sick_weeks``.

Planted effect: periods without help cause regression (published: "periods without help cause
regression"); health shocks interrupt progress. Switched off: no regression and no shocks; drift and
fluctuation remain, as background.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from bipsim.vocabulary import indicator_index, status_code

if TYPE_CHECKING:
    from bipsim.model.model import BipModel

DYNAMIC = np.array(
    [indicator_index(k) for k in ("work_belief", "goal_directedness", "job_search", "everyday_coping", "cooperation")]
)
SHOCKED = np.array([indicator_index("health"), indicator_index("health_coping")])
BELIEF_COLUMN = indicator_index("caseworker_job_belief")
OUT = status_code("out")
UNIFORM_TO_UNIT_SD = np.sqrt(12.0)  # a uniform on (-1/2, 1/2) has standard deviation 1/sqrt(12)


def step(model: BipModel, rng: np.random.Generator) -> None:
    """Advance every citizen's latent indicators by one week."""
    c, p, week = model.citizens, model.params.readiness, model.week
    noise = rng.random(c.latent.shape, dtype=np.float32)
    shock_draw = rng.random(c.size, dtype=np.float32)
    # latent += drift * (baseline - latent) + sd * (noise - 1/2), in place: no temporary (citizens, indicators) arrays
    noise -= np.float32(0.5)
    noise *= np.float32(p.weekly_noise_sd * UNIFORM_TO_UNIT_SD)
    drift = np.subtract(c.baseline, c.latent)
    drift *= np.float32(p.drift_rate)
    drift += noise
    c.latent += drift
    if p.enabled:
        on_benefit = c.on_benefit()
        unhelped = on_benefit & (week - c.last_help > p.regression_grace_weeks)
        # Column by column on whole columns (subtracting 0 elsewhere): cheaper than an (unhelped, DYNAMIC) block
        regression = np.where(unhelped, np.float32(p.regression_per_week), np.float32(0.0))
        for indicator in DYNAMIC:
            c.latent[:, indicator] -= regression
        risk = p.health_shock_probability * np.where(c.psychiatric_diagnosis | c.musculoskeletal_disorder, 2.0, 1.0)
        shocked = np.flatnonzero((shock_draw < risk) & (c.exit_status != OUT))
        if shocked.size:
            c.latent[np.ix_(shocked, SHOCKED)] -= p.health_shock_size
            ill = shocked[on_benefit[shocked]]
            c.sick_until[ill] = week + p.sick_weeks
            model.events.add(week, "health_shock", shocked, caseworker=c.caseworker[shocked], value=p.health_shock_size)
    np.clip(c.latent, 1.0, 5.0, out=c.latent)
    c.latent[:, BELIEF_COLUMN] = 1.0 + 4.0 * c.belief
