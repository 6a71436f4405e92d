"""Plans: parameter names and values checked against the declaration; grids, Latin hypercubes and seeds."""

from __future__ import annotations

import numpy as np
import pytest

from bipsim.ensemble.plan import (
    Plan,
    default_range,
    grid,
    latin_hypercube,
    parse_range,
    parse_value,
    parse_vary,
)
from bipsim.scenario import ScenarioError, load_scenario


@pytest.fixture(scope="module")
def baseline():
    return load_scenario("baseline")


@pytest.mark.parametrize(
    ("name", "text", "value"),
    [
        ("turnover.quit_probability", "0.01", 0.01),
        ("meetings.interval_weeks", "4", 4),
        ("meetings.interval_weeks", "4.0", 4),
        ("waiting.enabled", "false", False),
        ("waiting.enabled", "On", True),
        ("interventions.withheld", "private_placement+public_placement", ["private_placement", "public_placement"]),
        ("interventions.withheld", "none", []),
    ],
)
def test_values_take_the_declared_type(name, text, value):
    parsed = parse_value(name, text)
    assert parsed == value and type(parsed) is type(value)


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("turnover.nonsense=1", "unknown parameter 'turnover.nonsense'; allowed parameters in [turnover]: enabled"),
        ("nogroup.x=1", "unknown parameter group 'nogroup'"),
        ("quit_probability=1", "must be written group.parameter"),
        (
            "turnover.quit_probability=1.5",
            "--vary turnover.quit_probability = 1.5 is not allowed; expected a number from 0.0 to 1.0",
        ),
        (
            "turnover.quit_probability=abc",
            "turnover.quit_probability = 'abc' is not allowed; expected a number from 0.0",
        ),
        (
            "meetings.interval_weeks=2.5",
            "meetings.interval_weeks = '2.5' is not allowed; expected a whole number from 1 to 52",
        ),
        ("waiting.enabled=maybe", "waiting.enabled = 'maybe' is not allowed; expected true or false"),
        ("turnover.quit_probability", "must be written name=v1,v2"),
    ],
)
def test_bad_vary_names_the_field_value_and_range(baseline, text, shown):
    with pytest.raises(ScenarioError) as error:
        parse_vary(baseline, text)
    assert shown in str(error.value)


def test_ranges_are_checked(baseline):
    assert parse_range(baseline, "turnover.quit_probability=0.001:0.01") == ("turnover.quit_probability", 0.001, 0.01)
    for text, shown in [
        ("turnover.quit_probability=0.5:2", "turnover.quit_probability = 2.0 is not allowed"),
        ("turnover.quit_probability=0.5:0.1", "low end must be below the high end"),
        ("turnover.enabled=0:1", "only numeric parameters can be sampled"),
        ("turnover.quit_probability=0.1", "must be written name=lo:hi"),
    ]:
        with pytest.raises(ScenarioError, match=shown):
            parse_range(baseline, text)


def test_default_range_is_half_to_one_and_a_half_times_within_bounds(baseline):
    assert default_range(baseline, "meetings.interval_weeks") == (3.0, 9.0)
    assert default_range(baseline, "labour_market.recession_depth") == (0.0, 0.9)  # value 0: declared bounds
    lo, hi = default_range(baseline.replace(overrides={"turnover.quit_probability": 0.9}), "turnover.quit_probability")
    assert (lo, hi) == (0.45, 1.0)


def test_grid_is_every_combination():
    settings = grid([("a.x", [1, 2]), ("b.y", [True, False, None])])
    assert len(settings) == 6 and {"a.x": 2, "b.y": None} in settings
    assert grid([]) == [{}]


def test_latin_hypercube_is_stratified_reproducible_and_typed():
    ranges = [("turnover.quit_probability", 0.0, 0.01), ("meetings.interval_weeks", 2.0, 12.0)]
    first = latin_hypercube(ranges, 10, np.random.SeedSequence(5))
    again = latin_hypercube(ranges, 10, np.random.SeedSequence(5))
    other = latin_hypercube(ranges, 10, np.random.SeedSequence(6))
    assert first == again and first != other
    quits = np.array([s["turnover.quit_probability"] for s in first])
    assert sorted(np.floor(quits / 0.001).astype(int)) == list(range(10))  # one point in each tenth
    assert all(isinstance(s["meetings.interval_weeks"], int) and 2 <= s["meetings.interval_weeks"] <= 12 for s in first)


def test_common_random_numbers_share_a_replication_seed_across_settings(baseline):
    plan = Plan.sweep(baseline, [{"turnover.enabled": True}, {"turnover.enabled": False}], 3, seed=11)
    runs = plan.runs()
    assert [(r.setting_id, r.replication) for r in runs] == [(s, r) for s in range(2) for r in range(3)]
    children = np.random.SeedSequence(11).spawn(3)
    for run in runs:
        assert run.seed().generate_state(4).tolist() == children[run.replication].generate_state(4).tolist()
    independent = Plan.sweep(baseline, plan.settings, 3, seed=11, common_random_numbers=False).runs()
    keys = {r.spawn_key for r in independent}
    assert len(keys) == 6


def test_a_run_spec_builds_its_scenario(baseline):
    (spec,) = Plan.sweep(baseline, [{"turnover.quit_probability": 0.02}], 1).runs()
    assert spec.scenario().turnover.quit_probability == 0.02
    assert spec.scenario().name == "baseline"
