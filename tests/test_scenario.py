"""Scenario declaration, TOML loading and validation: every bad input names file, key, value and what is allowed."""

from __future__ import annotations

from pathlib import Path

import param
import pytest

from bipsim.scenario import (
    GROUPS,
    MECHANISMS,
    UNITS_DA,
    Scenario,
    ScenarioError,
    builtin_scenarios,
    doc_of,
    label_of,
    load_scenario,
    option_label,
    parameter_names,
)

SCENARIO_DIR = Path(__file__).parents[1] / "scenarios"


def write(tmp_path: Path, text: str, name: str = "bad.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def error_for(path: Path) -> str:
    with pytest.raises(ScenarioError) as info:
        Scenario.from_toml(path)
    return str(info.value)


def test_every_mechanism_group_has_an_enabled_switch_defaulting_on():
    assert set(MECHANISMS) == {
        "readiness",
        "meetings",
        "waiting",
        "turnover",
        "interventions",
        "labour_market",
        "network",
        "rules",
        "exits",
        "trust",
        "search",
        "employer_learning",
    }
    for name in MECHANISMS:
        p = GROUPS[name].param["enabled"]
        assert isinstance(p, param.Boolean) and p.default is True


def test_every_parameter_is_documented_and_numeric_defaults_lie_within_bounds():
    for group, cls in GROUPS.items():
        for name in parameter_names(group):
            p = cls.param[name]
            assert p.doc, f"{group}.{name} has no doc"
            if isinstance(p, param.Number) and not isinstance(p, param.Boolean):
                lo, hi = p.bounds
                assert lo <= p.default <= hi, f"{group}.{name}"


def test_every_parameter_has_its_label_and_doc_in_danish_and_a_readable_english_label():
    missing, unreadable, units, options = [], [], [], []
    for group, cls in GROUPS.items():
        for name in parameter_names(group):
            p = cls.param[name]
            if not (label_of(p, "da") and doc_of(p, "da")):
                missing.append(f"{group}.{name}")
            if "_" in label_of(p, "en") or label_of(p, "en").lower().endswith((" sd", " min", " max")):
                unreadable.append(f"{group}.{name}: {label_of(p, 'en')}")
            if getattr(p, "unit", "") not in UNITS_DA:
                units.append(p.unit)
            if isinstance(p, param.Selector | param.ListSelector):
                options += [f"{group}.{name}: {o}" for o in p.objects if option_label(p, o, "da") == o]
    assert not missing, f"declare label_da= and doc_da= for {', '.join(missing)} in bipsim/scenario.py"
    assert not unreadable, f"declare a readable English label= for {unreadable}"
    assert not units, f"add the Danish of the units {sorted(set(units))} to UNITS_DA in bipsim/scenario.py"
    assert not options, f"name the options {options} in Danish (options_da=)"


def test_danish_docs_are_not_the_english_ones():
    same = [
        f"{group}.{name}"
        for group, cls in GROUPS.items()
        for name in parameter_names(group)
        if doc_of(cls.param[name], "da") == doc_of(cls.param[name], "en")
    ]
    assert not same
    assert label_of(GROUPS["turnover"].param["quit_probability"], "da").startswith("Sandsynlighed")


def test_unknown_section(tmp_path):
    path = write(tmp_path, "[turnvoer]\nenabled = false\n")
    message = error_for(path)
    assert str(path) in message
    assert "turnvoer" in message
    assert "unknown section" in message
    assert "turnover" in message  # what is allowed


def test_unknown_key(tmp_path):
    path = write(tmp_path, "[turnover]\nquit_prob = 0.5\n")
    message = error_for(path)
    assert str(path) in message
    assert "turnover.quit_prob" in message
    assert "unknown key" in message
    assert "quit_probability" in message  # the allowed keys are listed


def test_string_for_number(tmp_path):
    path = write(tmp_path, '[turnover]\nquit_probability = "often"\n')
    message = error_for(path)
    assert str(path) in message
    assert "turnover.quit_probability" in message
    assert "'often'" in message
    assert "a number from 0.0 to 1.0" in message


def test_bool_for_number(tmp_path):
    path = write(tmp_path, "[meetings]\nreadiness_effect = true\n")
    message = error_for(path)
    assert str(path) in message
    assert "meetings.readiness_effect" in message
    assert "True" in message
    assert "a number from 0.0 to 1.0" in message


def test_bool_for_integer(tmp_path):
    path = write(tmp_path, "[population]\nweeks = true\n")
    message = error_for(path)
    assert str(path) in message and "population.weeks" in message and "True" in message
    assert "a whole number from 1 to 1040" in message


def test_float_for_integer(tmp_path):
    path = write(tmp_path, "[turnover]\nhandover_weeks = 4.5\n")
    message = error_for(path)
    assert str(path) in message
    assert "turnover.handover_weeks" in message
    assert "4.5" in message
    assert "a whole number from 0 to 52" in message


def test_whole_float_for_integer_is_accepted(tmp_path):
    scenario = Scenario.from_toml(write(tmp_path, "[turnover]\nhandover_weeks = 4.0\n", "ok.toml"))
    assert scenario.turnover.handover_weeks == 4 and isinstance(scenario.turnover.handover_weeks, int)


@pytest.mark.parametrize(
    ("text", "shown", "allowed"),
    [
        ("[turnover]\nquit_probability = -0.1\n", "-0.1", "a number from 0.0 to 1.0"),
        ("[turnover]\nquit_probability = 1.5\n", "1.5", "a number from 0.0 to 1.0"),
        ("[population]\ncitizens = 9\n", "9", "a whole number from 10 to 2000000"),
        ("[population]\nweeks = 1041\n", "1041", "a whole number from 1 to 1040"),
    ],
    ids=["float-below", "float-above", "integer-below", "integer-above"],
)
def test_out_of_bounds(tmp_path, text, shown, allowed):
    path = write(tmp_path, text)
    message = error_for(path)
    key = ".".join((text.split("]")[0].strip("["), text.split("\n")[1].split(" =")[0]))
    assert str(path) in message
    assert key in message
    assert f"= {shown} " in message
    assert allowed in message


def test_bounds_are_inclusive(tmp_path):
    path = write(tmp_path, "[turnover]\nquit_probability = 1.0\nreassignment_probability = 0.0\n", "edge.toml")
    scenario = Scenario.from_toml(path)
    assert scenario.turnover.quit_probability == 1.0
    assert scenario.turnover.reassignment_probability == 0.0


def test_selector_value_not_offered(tmp_path):
    path = write(tmp_path, '[rules]\nrefusion_schedule = "2020"\n')
    message = error_for(path)
    assert str(path) in message and "rules.refusion_schedule" in message and "'2020'" in message
    assert "'2016'" in message and "'pre2016'" in message


def test_list_with_unknown_intervention(tmp_path):
    path = write(tmp_path, '[interventions]\nwithheld = ["yoga"]\n')
    message = error_for(path)
    assert str(path) in message and "interventions.withheld" in message and "yoga" in message
    assert "private_placement" in message


def test_section_that_is_not_a_table(tmp_path):
    path = write(tmp_path, "turnover = 3\n")
    message = error_for(path)
    assert str(path) in message and "[turnover]" in message and "3" in message


def test_malformed_toml(tmp_path):
    path = write(tmp_path, "[turnover\nquit_probability = 0.1\n")
    message = error_for(path)
    assert str(path) in message
    assert "malformed TOML" in message
    assert "line 1" in message  # where it is wrong


def test_missing_file(tmp_path):
    path = tmp_path / "nowhere.toml"
    message = error_for(path)
    assert str(path) in message and "cannot read" in message
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert str(path) in str(info.value)
    assert "baseline" in str(info.value)  # names the built-in scenarios that are allowed


def test_scenario_error_is_a_value_error():
    assert issubclass(ScenarioError, ValueError)


def test_override_validation_names_key_and_value():
    with pytest.raises(ScenarioError) as info:
        Scenario().replace({"turnover.quit_probability": 2.0})
    assert "turnover.quit_probability" in str(info.value) and "2.0" in str(info.value)
    with pytest.raises(ScenarioError, match="group.parameter"):
        Scenario().replace({"turnover": False})


def test_replace_returns_a_changed_copy_and_leaves_the_original():
    base = Scenario()
    before = base.to_dict()
    changed = base.replace(turnover={"enabled": False}, waiting={"places_per_1000": 10.0})
    assert changed.turnover.enabled is False and changed.waiting.places_per_1000 == 10.0
    assert base.to_dict() == before
    assert changed != base
    after = changed.to_dict()
    after["turnover"]["enabled"], after["waiting"]["places_per_1000"] = True, before["waiting"]["places_per_1000"]
    assert after == before  # nothing else changed


def test_switched_off():
    off = Scenario().switched_off()
    assert all(getattr(off, m).enabled is False for m in MECHANISMS)
    one = Scenario().switched_off("waiting")
    assert one.waiting.enabled is False
    assert all(getattr(one, m).enabled for m in MECHANISMS if m != "waiting")


def test_to_toml_round_trip_of_defaults(tmp_path):
    scenario = Scenario()
    loaded = Scenario.from_toml(write(tmp_path, scenario.to_toml(), "defaults.toml"))
    assert loaded == scenario
    assert loaded.to_dict() == scenario.to_dict()


def test_to_toml_round_trip_of_changed_values(tmp_path):
    scenario = Scenario().replace(
        population={"citizens": 123, "readiness_sd": 0.123456789},
        interventions={"withheld": ["private_placement", "mentor"]},
        rules={"refusion_schedule": "pre2016"},
        turnover={"enabled": False, "quit_probability": 1e-5},
    )
    loaded = Scenario.from_toml(write(tmp_path, scenario.to_toml(), "changed.toml"))
    assert loaded == scenario
    assert loaded.interventions.withheld == ["private_placement", "mentor"]
    assert loaded != Scenario()


def test_every_shipped_scenario_loads():
    files = sorted(SCENARIO_DIR.glob("*.toml"))
    assert files, "no scenario files shipped"
    builtin = builtin_scenarios()
    for path in files:
        scenario = Scenario.from_toml(path)
        assert scenario.name == path.stem
        assert path.stem in builtin
        assert load_scenario(path.stem) == scenario


def test_baseline_is_the_default_and_overrides_defaults():
    baseline = load_scenario(None)
    assert baseline == load_scenario("baseline")
    assert baseline.population.citizens == 4000 and baseline.population.weeks == 208
    assert load_scenario(baseline) is baseline
