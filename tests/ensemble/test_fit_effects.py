"""The causal effects fitted to the published associations (``bipsim.ensemble.calibrate.fit_effects``)."""

from __future__ import annotations

import numpy as np
import pytest

from bipsim.ensemble.calibrate import EFFECTS, fit_effects
from bipsim.scenario import Scenario


@pytest.fixture(scope="module")
def small_fit():
    scenario = Scenario().replace(population={"citizens": 800, "weeks": 110})
    return scenario, fit_effects(scenario, seed=3, points=6, replications=1)


def test_the_fit_runs_every_design_setting_and_emulates_each_target(small_fit):
    _, fit = small_fit
    assert len(fit.runs) == 6
    assert list(fit.emulator["target"]) == [target for target, *_ in EFFECTS.values()]
    for name, (_, _, low, high) in EFFECTS.items():
        assert fit.runs[name].between(low, high).all()


def test_unidentified_effects_keep_their_value_and_identified_ones_stay_in_bounds(small_fit):
    scenario, fit = small_fit
    for row in fit.solution.itertuples():
        group, key = row.parameter.split(".")
        if row.identified:
            assert EFFECTS[row.parameter][2] <= row.value <= 5.0
            assert row.mc_low <= row.value <= row.mc_high
        else:
            assert row.value == pytest.approx(getattr(getattr(scenario, group), key))
            assert np.isnan(row.mc_low)


def test_the_fit_is_the_same_on_two_workers(small_fit):
    scenario, fit = small_fit
    again = fit_effects(scenario, seed=3, points=6, replications=1, workers=2)
    assert np.allclose(
        again.runs.drop(columns=["setting_id", "replication"]).to_numpy(dtype=float),
        fit.runs.drop(columns=["setting_id", "replication"]).to_numpy(dtype=float),
        equal_nan=True,
    )
    assert np.allclose(again.solution["value"], fit.solution["value"])


def test_the_scenario_defaults_are_the_recorded_fit():
    """docs/effects.json is the recorded fit; the declared defaults must be its values (to two decimals)."""
    import json
    from pathlib import Path

    record = json.loads((Path(__file__).parents[2] / "docs" / "effects.json").read_text(encoding="utf-8"))
    defaults = Scenario()
    for row in record["solution"]:
        group, key = row["parameter"].split(".")
        assert getattr(getattr(defaults, group), key) == pytest.approx(row["value"], abs=0.005), (
            f"{row['parameter']}: the default differs from the recorded fit; run `python -m bipsim.reports.docs "
            "--fit-effects` and copy its values into bipsim/scenario.py"
        )
