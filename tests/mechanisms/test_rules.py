"""Refusion and rules: the reimbursement schedules, the incentives they create, and exemptions."""

from __future__ import annotations

import numpy as np
import pytest

from bipsim.mechanisms import rules

WEEKS = np.array([0, 1, 2, 4, 5, 10, 26, 27, 40, 52, 53, 100, 520])


def test_refusion_2016_schedule():
    shares = rules.refusion_share(WEEKS, np.zeros(WEEKS.size, bool), "2016")
    expected = {
        1: 0.8,
        2: 0.8,
        4: 0.8,
        5: 0.4,
        10: 0.4,
        26: 0.4,
        27: 0.3,
        40: 0.3,
        52: 0.3,
        53: 0.2,
        100: 0.2,
        520: 0.2,
    }
    for week, share in zip(WEEKS, shares, strict=True):
        if week in expected:
            assert share == pytest.approx(expected[week]), week
    # activation does not change the 2016 share
    np.testing.assert_array_equal(rules.refusion_share(WEEKS, np.ones(WEEKS.size, bool), "2016"), shares)


def test_refusion_pre2016_schedule():
    active = np.array([True, False] * 3)
    shares = rules.refusion_share(np.array([1, 1, 30, 30, 200, 200]), active, "pre2016")
    np.testing.assert_allclose(shares, [0.5, 0.3] * 3)


@pytest.mark.parametrize("strength", [0.5, 2.0])
def test_incentives_differ_between_schedules_as_documented(built, strength):
    model = built(1, citizens=len(WEEKS) * 10)
    c = model.citizens
    c.benefit_weeks[:] = np.resize(WEEKS, c.size)

    model.params.rules.refusion_schedule, model.params.rules.incentive_strength = "2016", strength
    any_offer, job_offer = rules.incentives(model, np.arange(c.size))
    np.testing.assert_allclose(any_offer, 0.0)
    municipal = 1 - rules.refusion_share(c.benefit_weeks, np.zeros(c.size, bool), "2016")
    np.testing.assert_allclose(job_offer, strength * (municipal - 0.5))
    assert (job_offer[c.benefit_weeks > 52] > job_offer[(c.benefit_weeks > 4) & (c.benefit_weeks <= 26)].max()).all()
    assert (job_offer[(c.benefit_weeks >= 1) & (c.benefit_weeks <= 4)] < 0).all()  # early: the state pays most

    model.params.rules.refusion_schedule = "pre2016"
    any_offer, job_offer = rules.incentives(model, np.arange(c.size))
    np.testing.assert_allclose(any_offer, strength * (0.5 - 0.3))
    np.testing.assert_allclose(job_offer, 0.0)

    model.params.rules.enabled = False
    for incentive in rules.incentives(model, np.arange(c.size)):
        np.testing.assert_allclose(incentive, 0.0)


def test_no_exemptions_when_off(run, seed):
    assert run(seed, rules={"enabled": False}).count("exemption") == 0


def test_exemptions_happen_when_on(run, seed):
    assert run(seed).count("exemption") > 20


def test_exempted_citizens_have_no_meetings_while_exempt(run, seed):
    r = run(seed)
    e = r.events
    exemptions = e[e["event"] == "exemption"][["citizen_id", "week", "value"]]
    meetings = e[e["event"] == "meeting"][["citizen_id", "week"]]
    joined = meetings.merge(exemptions, on="citizen_id", suffixes=("", "_exempt"))
    inside = (joined["week"] > joined["week_exempt"]) & (joined["week"] < joined["week_exempt"] + joined["value"])
    assert len(exemptions) > 20
    assert not inside.any()


def test_pre2016_makes_more_offers_than_no_incentives(run, seed):
    strong = {"incentive_strength": 5.0, "exemption_probability": 0.0}
    pre = run(seed, rules={"refusion_schedule": "pre2016", **strong})
    none = run(seed, rules={"enabled": False})
    assert pre.model.citizens.offers.sum() > none.model.citizens.offers.sum()


def test_2016_schedule_steers_offers_toward_job_focused_help(run, seed):
    reform = run(seed, rules={"refusion_schedule": "2016", "incentive_strength": 5.0, "exemption_probability": 0.0})
    none = run(seed, rules={"enabled": False})

    def job_focused_share(r) -> float:
        starts = r.events.query("event == 'intervention_start'")
        return float(starts["detail"].isin(["private_placement", "public_placement", "wage_subsidy"]).mean())

    assert job_focused_share(reform) > job_focused_share(none) + 0.02


def test_the_rules_in_force_follow_the_calendar(built):
    model = built(1, rules={"reform_week": 10})
    p = model.params.rules
    assert p.refusion_schedule == "in_force"
    assert rules.schedule_in_force(p, 9) == "pre2016"
    assert rules.schedule_in_force(p, 10) == "2016"
    fixed = built(1, rules={"refusion_schedule": "pre2016"}).params.rules
    assert rules.schedule_in_force(fixed, 500) == "pre2016"
    citizens = np.arange(50)
    model.citizens.benefit_weeks[citizens] = 100  # long-term: the 2016 schedule favours job-focused help
    model.week = 9
    any_offer, job_focused = rules.incentives(model, citizens)
    assert (any_offer > 0).all() and (job_focused == 0).all()
    model.week = 10
    any_offer, job_focused = rules.incentives(model, citizens)
    assert (any_offer == 0).all() and (job_focused > 0).all()
