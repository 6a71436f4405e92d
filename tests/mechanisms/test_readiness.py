"""Readiness dynamics: health shocks and regression without help."""

from __future__ import annotations

import numpy as np

from bipsim.contract.vocabulary import indicator_index, status_code
from bipsim.mechanisms import readiness


def test_no_health_shocks_and_nobody_sick_when_off(run, seed):
    off = run(seed, readiness={"enabled": False})
    assert off.count("health_shock") == 0
    assert "sick" not in off.statuses()


def test_health_shocks_happen_and_make_citizens_sick_when_on(run, seed):
    on = run(seed)
    assert on.count("health_shock") > 100
    assert "sick" in on.statuses()


def final_mean(run, keys) -> float:
    latent = run.truth.latent
    return float(latent.loc[latent["week"] == latent["week"].max(), keys].to_numpy().mean())


def test_shocks_and_regression_lower_readiness(run, seed):
    on, off = run(seed), run(seed, readiness={"enabled": False})
    assert final_mean(on, ["health", "health_coping"]) < final_mean(off, ["health", "health_coping"]) - 0.02
    dynamic = ["work_belief", "goal_directedness", "job_search", "everyday_coping", "cooperation"]
    assert final_mean(on, dynamic) < final_mean(off, dynamic)


def test_regression_without_help_lowers_dynamic_indicators(run, seed):
    regressing, not_regressing = run(seed), run(seed, readiness={"regression_per_week": 0.0})
    dynamic = ["work_belief", "goal_directedness", "job_search", "everyday_coping", "cooperation"]
    assert final_mean(regressing, dynamic) < final_mean(not_regressing, dynamic)


def test_a_shock_cuts_health_and_makes_citizens_on_benefit_sick(built):
    model = built(
        1,
        steps=2,
        readiness={
            "health_shock_probability": 1.0,
            "health_shock_size": 1.0,
            "drift_rate": 0.0,
            "weekly_noise_sd": 0.0,
        },
    )
    c = model.citizens
    health = indicator_index("health")
    c.latent[:, health] = 4.0
    readiness.step(model, model.streams("readiness", model.week))
    out = c.exit_status == status_code("out")
    np.testing.assert_allclose(c.latent[~out, health], 3.0, atol=1e-6)
    np.testing.assert_allclose(c.latent[out, health], 4.0, atol=1e-6)  # those who left are not shocked
    on_benefit = c.on_benefit()
    assert on_benefit.sum() > 0
    assert (c.sick_until[on_benefit] == model.week + model.params.readiness.sick_weeks).all()
    log = model.events.to_frame()
    assert (log.query("event == 'health_shock'")["week"] == model.week).sum() == (~out).sum()
