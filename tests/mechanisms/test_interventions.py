"""Intervention allocation: offers, withheld types, and the planted after-effects on job chances."""

from __future__ import annotations

import numpy as np
import pytest

from bipsim.contract.vocabulary import INTERVENTION_KEYS
from bipsim.mechanisms import interventions
from bipsim.mechanisms.labour_market import contact_chance

INTERVENTION_EVENTS = ["intervention_start", "intervention_end"]


def test_no_interventions_when_off(run, seed):
    off = run(seed, interventions={"enabled": False})
    assert not off.events["event"].isin(INTERVENTION_EVENTS).any()
    assert not off.events["event"].isin(["waiting_start", "waiting_end"]).any()
    assert "in_activity" not in off.statuses() and "waiting" not in off.statuses()
    assert (off.truth.weekly["activity"] == "none").all()


def test_every_type_is_used_when_on(run, seed):
    starts = run(seed).events.query("event == 'intervention_start'")
    assert set(starts["detail"]) == set(INTERVENTION_KEYS)


def test_withheld_type_is_never_started(run, seed):
    withheld = run(seed, interventions={"withheld": ["private_placement"]})
    starts = withheld.events.query("event == 'intervention_start'")
    assert "private_placement" not in set(starts["detail"])
    assert not (withheld.truth.weekly["activity"] == "private_placement").any()
    assert set(starts["detail"]) == set(INTERVENTION_KEYS) - {"private_placement"}


def test_interventions_raise_job_entries(run, seed):
    on, off = run(seed), run(seed, interventions={"enabled": False})
    assert on.count("hire") > off.count("hire")


def test_private_placements_raise_their_participants_job_entries(run, seed):
    """Citizens who got a private placement find more jobs than their twins in the world without them."""
    full, withheld = run(seed), run(seed, interventions={"withheld": ["private_placement"]})
    starts = full.events.query("event == 'intervention_start' and detail == 'private_placement'")
    placed = starts["citizen_id"].unique()
    assert placed.size > 50

    def hires(r) -> int:
        return int(((r.events["event"] == "hire") & r.events["citizen_id"].isin(placed)).sum())

    assert hires(full) > hires(withheld)


def test_after_multipliers_follow_the_scenario(built):
    p = built(1).params.interventions
    multipliers = dict(zip(INTERVENTION_KEYS, interventions.after_multipliers(p), strict=True))
    assert multipliers["private_placement"] == p.private_placement_multiplier
    assert multipliers["public_placement"] == p.public_placement_multiplier
    assert multipliers["wage_subsidy"] == p.wage_subsidy_multiplier
    for key in ("skills", "mentor", "health"):
        assert multipliers[key] == p.other_activation_multiplier
    assert min(p.private_placement_multiplier, p.public_placement_multiplier) > p.other_activation_multiplier > 1


def test_completed_private_placement_multiplies_contact_chance(built):
    model = built(1, steps=3, labour_market={"contact_rate": 0.01}, search={"enabled": False})  # no lock-in
    c = model.citizens
    seekers = np.arange(c.size)
    c.after_until[:] = 0
    before = contact_chance(model, seekers)
    slot, code = 0, interventions.CODE["private_placement"]
    c.programme[:, slot], c.programme_end[:, slot] = code, model.week
    interventions.finish(model, seekers, slot, np.ones(c.size), model.events.detail_codes(INTERVENTION_KEYS))
    assert (c.programme[:, slot] == -1).all()
    after = contact_chance(model, seekers)
    np.testing.assert_allclose(after / before, model.params.interventions.private_placement_multiplier)
    model.week += model.params.interventions.after_effect_weeks
    np.testing.assert_allclose(contact_chance(model, seekers), before)  # the after-effect has worn off


@pytest.mark.parametrize("alongside", [True, False])
def test_support_counts_only_alongside_job_focused_help(built, alongside):
    model = built(1, steps=3)
    c = model.citizens
    seekers = np.arange(c.size)
    c.after_until[:] = 0
    c.job_help_until[:] = model.week + 5 if alongside else model.week - 1
    slot, code = 1, interventions.CODE["mentor"]
    c.programme[:, slot], c.programme_end[:, slot] = code, model.week
    interventions.finish(model, seekers, slot, np.ones(c.size), model.events.detail_codes(INTERVENTION_KEYS))
    expected = model.params.interventions.other_activation_multiplier if alongside else 1.0
    np.testing.assert_allclose(c.after_multiplier, expected)


def test_a_support_course_does_not_extend_a_placements_after_effect(built):
    model = built(1, steps=3, search={"enabled": False})
    c, p = model.citizens, model.params.interventions
    who = np.arange(5)
    labels = model.events.detail_codes(INTERVENTION_KEYS)
    c.after_until[who] = 0
    c.programme[who, 0], c.programme_end[who, 0] = interventions.CODE["private_placement"], model.week
    interventions.finish(model, who, 0, np.ones(c.size), labels)
    until = c.after_until[who].copy()
    model.week += 4
    c.job_help_until[who] = model.week  # support counts alongside job-focused help
    c.programme[who, 1], c.programme_end[who, 1] = interventions.CODE["mentor"], model.week
    interventions.finish(model, who, 1, np.ones(c.size), labels)
    np.testing.assert_array_equal(c.after_until[who], until)
    np.testing.assert_allclose(c.after_multiplier[who], p.private_placement_multiplier)
