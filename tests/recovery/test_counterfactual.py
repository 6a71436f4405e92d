"""Counterfactual twins: exact zeros without mechanisms, and the planted directions with them."""

from __future__ import annotations

import numpy as np
import pytest

from bipsim.counterfactual import TWINS, outcomes, true_effects, twin_scenario
from bipsim.model import BipModel
from bipsim.scenario import load_scenario

SMALL = {"population": {"citizens": 1500, "weeks": 110}}


def test_every_effect_is_exactly_zero_in_the_null_scenario():
    truth = true_effects(load_scenario("null").replace(**SMALL), seed=1)
    assert truth["estimand"].nunique() == len(TWINS)
    assert (truth["truth"].fillna(0.0) == 0.0).all()


def test_twins_that_stop_after_two_years_give_the_same_outcomes():
    scenario = load_scenario().replace(population={"citizens": 600, "weeks": 160})
    twin = twin_scenario(scenario, TWINS[0])
    full = outcomes(BipModel(twin, seed=2).run())
    short = outcomes(BipModel(twin.replace(population={"weeks": 104}), seed=2).run())
    for name in full:
        np.testing.assert_array_equal(full[name], short[name])


def test_planted_strengths_are_reported_on_the_log_hazard_scale():
    scenario = load_scenario().replace(**SMALL)
    truth = true_effects(scenario, seed=1).set_index(["estimand", "kind", "outcome"])
    planted = {
        "caseworker_belief": scenario.meetings.belief_effect,
        "private_placement": scenario.interventions.private_placement_multiplier,
    }
    for estimand, multiplier in planted.items():
        assert truth.loc[(estimand, "planted", "job_entry"), "truth"] == pytest.approx(np.log(multiplier))


@pytest.mark.parametrize("seed", [1, 2])
def test_private_placements_help_those_who_get_them(seed):
    truth = true_effects(
        load_scenario().replace(population={"citizens": 4000, "weeks": 104}),
        seed=seed,
        twins=tuple(t for t in TWINS if t.estimand in ("private_placement", "business_cycle")),
    )
    exposed = truth.set_index(["estimand", "kind", "outcome"])["truth"]
    assert exposed[("private_placement", "exposed", "job_1y")] > 0.02
    assert exposed[("business_cycle", "population", "job_1y")] != 0.0
