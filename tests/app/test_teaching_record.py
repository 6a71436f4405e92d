"""The teachers' guide names the numbers the sandbox shows: its record is the app's, and the guide pastes it."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from bipsim.app import teaching
from bipsim.reports import docs
from bipsim.scenario import load_scenario

DOCS = Path(__file__).resolve().parents[2] / "docs"
RECORD = json.loads((DOCS / "teaching.json").read_text(encoding="utf-8"))


def test_the_guide_pastes_every_exercise_of_the_record_as_the_app_words_it():
    guide = (DOCS / "teaching.md").read_text(encoding="utf-8")
    assert docs.render(guide, DOCS) == guide, "run python -m bipsim.reports.docs"
    for name, exercise in RECORD["exercises"].items():
        assert f"<!-- generated: teaching teaching.json {name} -->" in guide
        assert exercise["lines"] == teaching.sentences(name, exercise["values"]), "run python -m bipsim.app.teaching"
    assert set(RECORD["exercises"]) == set(teaching.SENTENCES)
    assert RECORD["settings"] == teaching.SETTINGS


def test_the_places_exercise_6_names_are_the_scenarios_declared_values():
    numbers = RECORD["exercises"]["exercise6"]["values"]
    assert numbers["places_job_first"] == load_scenario("job_first").waiting.places_per_1000
    assert numbers["places_staircase"] == load_scenario("staircase").waiting.places_per_1000


def test_a_section_of_an_exercise_the_record_lacks_is_refused():
    with pytest.raises(ValueError, match="the teaching record has no 'exercise9'"):
        docs.teaching_section(RECORD, "exercise9")


@pytest.mark.slow
def test_the_record_is_what_the_app_shows_now():
    """Every number of the guide, recomputed with the app's own runs and comparisons at its defaults."""
    now = teaching.values()
    for name, recorded in RECORD["exercises"].items():
        for key, value in recorded["values"].items():
            if isinstance(value, str):
                assert now[name][key] == value, (name, key)
            else:
                assert math.isclose(now[name][key], value, rel_tol=1e-5, abs_tol=1e-6), (name, key)
