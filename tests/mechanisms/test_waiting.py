"""Waiting: limited places make citizens queue, and waiting erodes work belief."""

from __future__ import annotations

import numpy as np

from bipsim.mechanisms import waiting

LATENT_EVERY_WEEK = {"records": {"latent_every_weeks": 1}}


def test_nobody_waits_when_off(run, seed):
    off = run(seed, waiting={"enabled": False})
    assert "waiting" not in off.statuses()
    assert off.count("waiting_start") == 0 and off.count("waiting_end") == 0
    assert off.count("intervention_start") > 100  # offers still lead to interventions, at once
    assert off.model.summary()["share_ever_waiting"] == 0.0


def test_citizens_wait_when_on(run, seed):
    on = run(seed)
    assert "waiting" in on.statuses()
    assert on.count("waiting_start") > 50 and on.count("waiting_end") > 50
    ended = on.events[on.events["event"] == "waiting_end"]["value"]
    assert (ended >= 0).all() and ended.max() >= 4  # some waited for weeks


def work_belief_of(run, citizens, week: int) -> float:
    latent = run.truth.latent
    at = latent[(latent["week"] == week) & latent["citizen_id"].isin(citizens)]
    assert len(at) == len(citizens)
    return float(at["work_belief"].mean())


def test_waiting_lowers_work_belief_relative_to_twins_without_waiting(run, seed):
    """With scarce places (as in scenarios/long_waiting.toml) waiting is long enough to show its erosion."""
    on = run(seed, waiting={"places_per_1000": 150.0}, **LATENT_EVERY_WEEK)
    off = run(seed, waiting={"places_per_1000": 150.0, "enabled": False}, **LATENT_EVERY_WEEK)
    weekly = on.truth.weekly
    waited = weekly.loc[weekly["status"] == "waiting", "citizen_id"].unique()
    assert waited.size > 100
    for week in (52, 103):
        assert work_belief_of(on, waited, week) < work_belief_of(off, waited, week) - 0.03


def test_erosion_is_what_lowers_work_belief_while_waiting(run, seed):
    eroding = run(seed, **LATENT_EVERY_WEEK)
    no_erosion = run(seed, waiting={"erosion_per_week": 0.0}, **LATENT_EVERY_WEEK)
    weekly = eroding.truth.weekly
    long_waits = weekly[weekly["status"] == "waiting"].groupby("citizen_id").size()
    waited = long_waits[long_waits >= 8].index.to_numpy()
    assert waited.size > 30
    assert work_belief_of(eroding, waited, 103) < work_belief_of(no_erosion, waited, 103)


def test_places_follow_places_per_1000_and_shares():
    per_jobcentre = np.array([1000, 500])
    places = waiting.places(per_jobcentre, 200.0)
    assert places.shape == (2, 6)
    assert 200 <= places[0].sum() <= 206 and 100 <= places[1].sum() <= 106
    assert (places > 0).all()


def test_fewer_places_mean_more_waiting(run, seed):
    scarce, ample = run(seed, waiting={"places_per_1000": 50.0}), run(seed, waiting={"places_per_1000": 1000.0})
    assert scarce.model.summary()["share_ever_waiting"] > ample.model.summary()["share_ever_waiting"]
