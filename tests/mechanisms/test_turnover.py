"""Caseworker turnover: changes happen only when switched on, and cost the changed citizens job chances."""

from __future__ import annotations

import numpy as np

from bipsim.mechanisms import turnover


def hires_after_first_change(run, changed_at) -> int:
    hires = run.events[run.events["event"] == "hire"][["citizen_id", "week"]]
    joined = hires.merge(changed_at.rename("first_change").reset_index(), on="citizen_id")
    return int((joined["week"] >= joined["first_change"]).sum())


def test_no_caseworker_change_when_off(run, seed):
    off = run(seed, turnover={"enabled": False})
    assert off.count("caseworker_change") == 0
    assert (off.model.citizens.caseworker_changes == 0).all()
    assert off.truth.caseworkers["end_week"].isna().all()
    assert off.model.summary()["share_with_caseworker_change"] == 0.0


def test_changes_happen_when_on(run, seed):
    on = run(seed)
    changes = on.events[on.events["event"] == "caseworker_change"]
    assert len(changes) > 100
    assert on.truth.caseworkers["end_week"].notna().sum() > 0  # some caseworkers left
    per_citizen = changes.groupby("citizen_id").size()
    counted = on.model.citizens.caseworker_changes
    np.testing.assert_array_equal(counted[per_citizen.index], per_citizen.to_numpy())
    assert counted.sum() == len(changes)


def test_changed_citizens_find_jobs_less_often_than_their_twins(run, seed):
    """Twins share every random number; the citizens who had a change in the world with turnover get fewer
    jobs after that change than the same citizens in the world without turnover."""
    size = {"citizens": 4000, "weeks": 156}  # enough changed citizens who later find jobs
    # A clear planted strength (the calibrated one is checked by bipsim calibrate), and caseworkers of equal
    # quality: with caseworker differences a change also redraws the caseworker, and citizens still on
    # assistance when reassigned had weaker caseworkers than average (regression to the mean), which can
    # outweigh the lost relationship. Here only turnover's own channel is tested.
    brokering = {"continuity_job_effect": 2.5, "caseworker_quality_sd": 0.0}
    on = run(seed, meetings=brokering, **size)
    off = run(seed, meetings=brokering, turnover={"enabled": False}, **size)
    changes = on.events[on.events["event"] == "caseworker_change"]
    first_change = changes.groupby("citizen_id")["week"].min()
    with_turnover, without = hires_after_first_change(on, first_change), hires_after_first_change(off, first_change)
    assert without >= 50
    assert with_turnover < 0.95 * without, (with_turnover, without)


def test_strong_turnover_lowers_job_entries_overall(run, seed):
    """At the calibrated rate only 40% ever have a change, so the overall effect is small; with frequent
    changes it must show in the whole population's job entries."""
    size = {"citizens": 4000, "weeks": 156}
    strong = {"quit_probability": 0.01, "reassignment_probability": 0.005}
    on, off = run(seed, turnover=strong, **size), run(seed, turnover={"enabled": False}, **size)
    assert on.model.summary()["share_with_caseworker_change"] > 0.7
    assert on.model.summary()["share_ever_in_job"] < 0.97 * off.model.summary()["share_ever_in_job"]


def test_reassign_resets_the_relationship_and_delays_the_next_meeting(built):
    model = built(1, steps=10)
    c = model.citizens
    movers = np.flatnonzero(c.on_benefit() & (c.meetings_with_caseworker > 0))[:20]
    assert movers.size == 20
    target = turnover.pick_other_caseworker(model, movers, np.linspace(0, 0.99, movers.size))
    assert (target != c.caseworker[movers]).all()
    assert (model.caseworkers.jobcentre[target] == c.jobcentre[movers]).all()
    changes = c.caseworker_changes[movers].copy()
    turnover.reassign(model, movers, target)
    assert (c.caseworker[movers] == target).all()
    assert (c.meetings_with_caseworker[movers] == 0).all()
    assert (c.next_meeting[movers] >= model.week + model.params.turnover.handover_weeks).all()
    assert (c.caseworker_changes[movers] == changes + 1).all()
