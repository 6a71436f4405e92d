"""The declared-once tables of the contract agree with the code that iterates over them."""

from __future__ import annotations

import pytest

import bipsim
from bipsim.contract.estimands import (
    CHANNEL_TWINS,
    CONTRAST_KEYS,
    EFFECT_KEYS,
    EFFECT_OUTCOME_KEYS,
    EFFECT_OUTCOMES,
    ESTIMAND_KEYS,
    ESTIMAND_KINDS,
    ESTIMANDS,
    EXPECTED_SIGN,
    PLANTED,
    POPULATION_KEYS,
    contrast_of,
    estimand,
    has_truth,
)
from bipsim.contract.outcomes import COMPARABLE, HEADLINE, IN_APP, OUTCOME_KEYS, OUTCOMES
from bipsim.contract.vocabulary import INTERVENTION_KEYS
from bipsim.counterfactual import TWINS, twin_scenario
from bipsim.scenario import GROUPS, load_scenario


def test_a_run_summarises_exactly_the_declared_outcomes_in_their_order():
    summary = bipsim.simulate("baseline", seed=3, citizens=200, weeks=30).summary()
    assert tuple(summary) == OUTCOME_KEYS


def test_every_outcome_has_both_labels_and_the_subsets_are_declared_outcomes():
    for outcome in OUTCOMES:
        assert outcome.da and outcome.en and outcome.description and outcome.unit
    assert set(HEADLINE) <= set(COMPARABLE) and set(IN_APP) <= set(COMPARABLE)
    assert "citizens" not in COMPARABLE and "weeks" not in COMPARABLE


def test_every_estimand_names_a_scenario_mechanism_and_a_contrast_that_is_a_valid_scenario():
    baseline = load_scenario("baseline")
    for entry in ESTIMANDS:
        assert entry.mechanism in GROUPS
        assert entry.expected_sign in ("+", "-")
        assert entry.da and entry.en and entry.exposure and entry.contrast_text
        assert set(entry.contrast) <= set(GROUPS)
        baseline.replace(**entry.contrast)  # raises ScenarioError for an unknown or invalid parameter


def test_the_twins_are_the_estimands_with_their_declared_contrasts():
    assert tuple(t.estimand for t in TWINS) == ESTIMAND_KEYS
    baseline = load_scenario("baseline")
    for twin in TWINS:
        declared = estimand(twin.estimand)
        assert twin.overrides == declared.contrast
        changed = twin_scenario(baseline, twin).to_dict()
        for group, values in declared.contrast.items():
            for name, value in values.items():
                assert changed[group][name] == value


def test_expected_signs_and_outcomes_are_keyed_by_the_tables():
    assert set(EXPECTED_SIGN) == set(ESTIMAND_KEYS)
    assert len(set(EFFECT_OUTCOME_KEYS)) == len(EFFECT_OUTCOME_KEYS)
    with pytest.raises(ValueError):
        estimand("not_an_estimand")


def test_every_estimand_kind_is_declared_in_full():
    scale = {o.key: o.scale for o in EFFECT_OUTCOMES}
    for kind in ESTIMAND_KINDS:
        assert kind.population in POPULATION_KEYS and kind.contrast in CONTRAST_KEYS and kind.effect in EFFECT_KEYS
        assert kind.scale == scale[kind.outcome], kind.key
        assert kind.truth or kind.no_truth, f"{kind.key} says neither how its truth is made nor why there is none"
        if kind.contrast in ("forced", "none"):
            assert not kind.truth and kind.no_truth, kind.key


def test_every_declared_contrast_is_a_valid_scenario_and_gives_the_truths_it_claims():
    baseline = load_scenario("baseline")
    for entry in ESTIMANDS:
        for contrast in ("removed", "channel_removed"):
            overrides = contrast_of(entry, contrast)
            if overrides:
                baseline.replace(**overrides)
    assert set(CHANNEL_TWINS) <= set(INTERVENTION_KEYS)
    assert {e.key for e in ESTIMANDS if e.channel_contrast} == set(CHANNEL_TWINS)
    for kind in ESTIMAND_KINDS:
        for entry in ESTIMANDS:
            available = has_truth(entry.key, kind.key)
            if kind.contrast in ("removed", "channel_removed"):
                assert available == bool(kind.truth and contrast_of(entry, kind.contrast))
            if kind.contrast == "structural":
                assert available == (entry.key in PLANTED)


def test_planted_strengths_are_scenario_parameters():
    values = load_scenario("baseline").values()
    for mechanism, name in PLANTED.items():
        group, parameter = name.split(".")
        assert mechanism in ESTIMAND_KEYS
        assert getattr(getattr(values, group), parameter) >= 1.0  # a multiplier
