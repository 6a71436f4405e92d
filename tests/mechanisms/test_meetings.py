"""Meetings: readiness gains from meetings, and the caseworker's belief multiplying job chances."""

from __future__ import annotations

import numpy as np
import pytest

from bipsim.contract.vocabulary import INDICATOR_KEYS
from bipsim.mechanisms import meetings
from bipsim.mechanisms.labour_market import contact_chance
from bipsim.mechanisms.meetings import belief

GAINED = ["work_belief", "goal_directedness", "job_search"]


def chances_with_belief(model, value: float) -> np.ndarray:
    seekers = np.arange(model.citizens.size)
    model.citizens.belief[:] = value
    return contact_chance(model, seekers)


def test_belief_raises_contact_chance_by_belief_effect(built, seed):
    model = built(seed, steps=3, labour_market={"contact_rate": 0.01})
    believes = model.params.meetings.belief_effect_threshold
    doubting, believing = chances_with_belief(model, believes - 0.01), chances_with_belief(model, believes)
    assert (doubting > 0).all() and (believing < 1).all()
    np.testing.assert_allclose(believing / doubting, model.params.meetings.belief_effect)
    assert model.params.meetings.belief_effect > 1


def test_believed_citizens_have_higher_contact_chance_in_a_run(built, seed):
    model = built(seed, citizens=1500, steps=26)
    c = model.citizens
    seekers = np.flatnonzero(c.on_benefit())
    chance = contact_chance(model, seekers)
    believed = c.belief[seekers] >= model.params.meetings.belief_effect_threshold
    assert 10 < believed.sum() < seekers.size - 10
    assert chance[believed].mean() > chance[~believed].mean()


def test_belief_has_no_effect_when_meetings_are_off(built, seed):
    model = built(seed, steps=3, meetings={"enabled": False})
    np.testing.assert_allclose(chances_with_belief(model, 0.9), chances_with_belief(model, 0.1))


def test_belief_rises_with_perceived_readiness():
    perceived = np.linspace(1, 5, 41)
    b = belief(perceived, 3.3, 4.0)
    assert (np.diff(b) > 0).all() and b[0] < 0.01 and b[-1] > 0.99
    assert belief(np.array([3.3]), 3.3, 4.0)[0] == pytest.approx(0.5)


def final_latent(run, key: str) -> float:
    latent = run.truth.latent
    return float(latent.loc[latent["week"] == latent["week"].max(), key].mean())


def test_meetings_raise_the_indicators_they_work_on(run, seed):
    on, off = run(seed), run(seed, meetings={"enabled": False})
    for key in GAINED:
        assert final_latent(on, key) > final_latent(off, key) + 0.05, key


def test_meetings_raise_job_entries(run, seed):
    on, off = run(seed), run(seed, meetings={"enabled": False})
    assert on.count("hire") > 1.1 * off.count("hire")


def test_meetings_still_happen_and_beliefs_still_form_when_off(run, seed):
    off = run(seed, meetings={"enabled": False})
    assert off.count("meeting") > 1000
    belief_values = off.truth.weekly["caseworker_belief"]
    assert belief_values.std() > 0.05
    # the caseworker's belief is mirrored in the latent caseworker_job_belief indicator (1 + 4 * belief)
    assert "caseworker_job_belief" in INDICATOR_KEYS


def test_caseworker_capacity_limits_meetings_per_week(run, seed):
    r = run(seed)
    meetings = r.events[r.events["event"] == "meeting"]
    per_week = meetings.groupby(["week", "caseworker_id"]).size()
    capacity = r.truth.caseworkers.set_index("caseworker_id")["capacity"]
    assert (per_week.to_numpy() <= capacity.loc[per_week.index.get_level_values(1)].to_numpy()).all()


def test_a_relationship_fades_without_contact(built):
    model = built(1, steps=1)
    c, p = model.citizens, model.params.meetings
    who = np.flatnonzero((c.exit_status == -1) & (c.caseworker >= 0))[:3]
    c.meetings_with_caseworker[who] = 5
    silent = p.continuity_memory_weeks + p.continuity_fade_weeks
    c.last_help[who] = model.week - np.array([silent, silent - 1, 1])
    meetings.fade_continuity(model)
    np.testing.assert_array_equal(c.meetings_with_caseworker[who], [4, 5, 5])
