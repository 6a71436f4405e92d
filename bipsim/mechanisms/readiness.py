"""Readiness dynamics: drift toward a personal baseline, health shocks, regression without help.

Rule:
    Every week each latent indicator closes ``readiness.drift_rate`` of its gap to the citizen's personal
    baseline and fluctuates by ``readiness.weekly_noise_sd`` (uniform shocks with that standard deviation:
    cheap to draw, and their sum over weeks is close to normal); both are always on. A citizen on benefit
    who has had neither a meeting nor an intervention for longer than ``readiness.regression_grace_weeks``
    loses ``readiness.regression_per_week`` points a week on the dynamic indicators (work belief,
    goal-directedness, job search, everyday coping, cooperation). A health shock strikes with
    ``readiness.health_shock_probability`` a week, ``readiness.frailty_shock_factor`` times as often with a
    psychiatric diagnosis or a musculoskeletal disorder; it cuts health and health coping by
    ``readiness.health_shock_size`` and makes a citizen on benefit sick ("syg") for ``readiness.sick_weeks``,
    during which there are no meetings and no job search. Indicators stay within 1-5.

Planted effect:
    Regression in periods without help (published: "periods without help cause regression"); health shocks
    that interrupt progress.

Switched off:
    With ``readiness.enabled = false`` there is no regression and no shock; drift and fluctuation remain, as
    background.

Sources:
    The size of the regression and of the shocks are modelling assumptions chosen so that long gaps matter at
    the scale of a year; the direction is the published finding.

Fixed assumptions:
    ``DYNAMIC``: the indicators that regress without help (behaviour and belief, not health or knowledge).
    ``SHOCKED``: the indicators a health shock cuts (health, health coping). ``LOWEST`` and ``HIGHEST``: the
    1-5 scale the indicators stay within.

Parameters:
    ``readiness.enabled`` (the switch); ``readiness.drift_rate`` and ``readiness.weekly_noise_sd`` (the
    background); ``readiness.regression_grace_weeks`` and ``readiness.regression_per_week`` (regression);
    ``readiness.health_shock_probability``, ``readiness.frailty_shock_factor``,
    ``readiness.health_shock_size`` and ``readiness.sick_weeks`` (health shocks). Reads no other group.
"""

from __future__ import annotations

import numpy as np

from bipsim.contract.vocabulary import indicator_index, status_code
from bipsim.engine.columns import ON_BENEFIT
from bipsim.engine.kernels import kernel
from bipsim.engine.world import World

DYNAMIC = np.array(
    [indicator_index(k) for k in ("work_belief", "goal_directedness", "job_search", "everyday_coping", "cooperation")]
)
"""The indicators that regress without help: behaviour and belief, not health or knowledge."""
SHOCKED = np.array([indicator_index("health"), indicator_index("health_coping")])
"""The indicators a health shock cuts."""
LOWEST, HIGHEST = 1.0, 5.0
"""The indicators' scale: latent values stay within it."""
BELIEF_COLUMN = indicator_index("caseworker_job_belief")
OUT = status_code("out")
UNIFORM_TO_UNIT_SD = np.sqrt(12.0)  # a uniform on (-1/2, 1/2) has standard deviation 1/sqrt(12)


def step(model: World, rng: np.random.Generator) -> None:
    """Advance every citizen's latent indicators by one week."""
    c, p, week = model.citizens, model.params.readiness, model.week
    noise = rng.random(c.latent.shape, dtype=np.float32)
    shock_draw = rng.random(c.size, dtype=np.float32)
    shocked = np.empty(c.size, dtype=np.int64)
    count = _advance(
        latent=c.latent,
        baseline=c.baseline,
        noise=noise,
        shock_draw=shock_draw,
        belief=c.belief,
        exit_status=c.exit_status,
        last_help=c.last_help,
        frail=c.psychiatric_diagnosis | c.musculoskeletal_disorder,
        sick_until=c.sick_until,
        shocked=shocked,
        week=week,
        enabled=p.enabled,
        drift_rate=np.float32(p.drift_rate),
        noise_scale=np.float32(p.weekly_noise_sd * UNIFORM_TO_UNIT_SD),
        grace_weeks=p.regression_grace_weeks,
        regression=np.float32(p.regression_per_week),
        shock_probability=p.health_shock_probability,
        frailty_factor=p.frailty_shock_factor,
        shock_size=np.float32(p.health_shock_size),
        sick_until_week=week + p.sick_weeks,
    )
    if count:
        shocked = shocked[:count].copy()  # a copy: the event log keeps it, not the buffer
        model.events.add(week, "health_shock", shocked, caseworker=c.caseworker[shocked], value=p.health_shock_size)


@kernel
def _advance(
    latent,
    baseline,
    noise,
    shock_draw,
    belief,
    exit_status,
    last_help,
    frail,
    sick_until,
    shocked,
    week,
    enabled,
    drift_rate,
    noise_scale,
    grace_weeks,
    regression,
    shock_probability,
    frailty_factor,
    shock_size,
    sick_until_week,
):
    """Drift, fluctuation, regression and health shocks of every latent indicator, in float32.

    Fills ``shocked`` with the citizens hit by a health shock and returns how many there are.
    """
    half, low, high = np.float32(0.5), np.float32(LOWEST), np.float32(HIGHEST)
    count = 0
    for i in range(latent.shape[0]):
        for k in range(latent.shape[1]):
            latent[i, k] += (baseline[i, k] - latent[i, k]) * drift_rate + (noise[i, k] - half) * noise_scale
        if enabled:
            on_benefit = exit_status[i] == ON_BENEFIT
            if on_benefit and week - last_help[i] > grace_weeks:
                for k in DYNAMIC:
                    latent[i, k] -= regression
            risk = shock_probability * (frailty_factor if frail[i] else 1.0)
            if shock_draw[i] < risk and exit_status[i] != OUT:
                for k in SHOCKED:
                    latent[i, k] -= shock_size
                if on_benefit:
                    sick_until[i] = sick_until_week
                shocked[count] = i
                count += 1
        for k in range(latent.shape[1]):
            latent[i, k] = min(max(latent[i, k], low), high)
        latent[i, BELIEF_COLUMN] = LOWEST + (HIGHEST - LOWEST) * belief[i]  # the belief (0-1) on the scale
    return count
