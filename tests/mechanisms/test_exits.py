"""Exits: education, rehabilitation, flexi-job, disability pension, and leaving the population."""

from __future__ import annotations

import numpy as np

from bipsim.contract.vocabulary import STATUS_KEYS

ROUTES = {"education", "disability_pension", "flexi_job", "rehabilitation"}


def test_only_leaving_the_population_remains_when_off(run, seed):
    off = run(seed, exits={"enabled": False})
    assert not (ROUTES & off.statuses())
    assert "out" in off.statuses()  # always on


def test_every_route_is_used_when_on(run, seed):
    assert ROUTES | {"out"} <= run(seed).statuses()


def first_week_in(run, status: str):
    weekly = run.truth.weekly
    return weekly[weekly["status"] == status].groupby("citizen_id")["week"].min()


def test_education_goes_mostly_to_the_young_and_education_oriented(run, seed):
    r = run(seed)
    citizens = r.truth.citizens.set_index("citizen_id")
    entered = first_week_in(r, "education").index
    assert entered.size > 20
    assert (citizens.loc[entered, "age"] < 30).mean() > 2 * (citizens["age"] < 30).mean()
    oriented = citizens["orientation"] == "education_oriented"
    assert oriented.loc[entered].mean() > oriented.mean()


def test_disability_pension_only_from_age_40(run, seed):
    r = run(seed)
    citizens = r.truth.citizens.set_index("citizen_id")
    entered = first_week_in(r, "disability_pension").index
    assert entered.size > 5
    assert (citizens.loc[entered, "age"] >= 40).all()


def test_exits_take_citizens_out_of_job_search(run, seed):
    on, off = run(seed), run(seed, exits={"enabled": False})
    searching = ["activity_ready", "job_ready", "in_activity", "waiting"]
    last = {
        name: r.truth.weekly.query("week == 103")["status"].isin(searching).sum()
        for name, r in (("on", on), ("off", off))
    }
    assert last["on"] < last["off"]


def test_absorbing_statuses_are_never_left_in_small_runs(run, seed):
    r = run(seed, citizens=400)
    status = r.model.record["status"]
    for key in ("disability_pension", "education"):
        code = STATUS_KEYS.index(key)
        was = np.maximum.accumulate(status == code, axis=0)
        assert (status[was] == code).all(), key


def test_out_is_never_left_even_after_a_rehabilitation_programme(run, seed):
    r = run(seed, citizens=2000, weeks=208)
    status = r.model.record["status"]
    out = STATUS_KEYS.index("out")
    was_out = np.maximum.accumulate(status == out, axis=0)
    came_back = np.flatnonzero((was_out & (status != out)).any(axis=0))
    rehabilitation = (status == STATUS_KEYS.index("rehabilitation")).any(axis=0)
    assert came_back.size == 0, f"{came_back.size} left 'out', {rehabilitation[came_back].sum()} after rehabilitation"
