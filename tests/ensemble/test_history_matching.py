"""History matching (``bipsim.ensemble.history_matching``): emulators, implausibility, waves, ensemble, self-test."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from bipsim.ensemble import history_matching as hm
from bipsim.scenario import Scenario

TINY = {"waves": 2, "first_points": 16, "points": 8, "verify": 4, "mc_replications": 2}


def tiny_scenario() -> Scenario:
    return Scenario().replace(population={"citizens": 400, "weeks": 110})


def test_an_emulator_learns_a_smooth_function_and_knows_its_run_to_run_noise():
    rng = np.random.default_rng(1)
    unit = rng.random((40, 3))
    truth = lambda u: 1.5 * u[:, 0] - np.sin(3 * u[:, 1])  # noqa: E731 - the function the emulator must learn
    y = truth(unit) + rng.normal(0, 0.05, 40)
    emulator = hm.Emulator(unit, y, noise=0.05**2, random_state=0)
    new = rng.random((200, 3))
    mean, variance = emulator.predict(new)
    assert np.sqrt(np.mean((mean - truth(new)) ** 2)) < 0.1
    assert np.all(variance >= 0)
    assert emulator.diagnostics["loo_r_squared"] > 0.9
    assert emulator.diagnostics["loo_within_3sd"] >= 0.9


def test_an_emulator_without_enough_runs_rules_nothing_out():
    unit = np.random.default_rng(2).random((5, 12))
    emulator = hm.Emulator(unit, np.array([0.1, np.nan, np.nan, 0.2, np.nan]), noise=0.01, random_state=0)
    assert not emulator.informative
    observation = hm.Observation("x", "share", 0.5, 0.0, 0.01)
    assert np.all(hm.implausibility({"x": emulator}, [observation], unit) == 0)


def test_the_overall_implausibility_is_the_second_largest_of_a_vectors_targets():
    values = np.array([[0.5, 4.0, 2.0], [5.0, 3.5, 0.1], [np.nan, 1.0, 0.2]])
    assert list(hm.overall(values)) == [2.0, 3.5, 0.2]
    assert list(hm.overall(values, rank=1)) == [4.0, 5.0, 1.0]


def test_outcome_observations_carry_the_sources_uncertainty_plus_the_declared_discrepancy():
    from bipsim.analysis.calibration import TARGETS
    from bipsim.analysis.published import DISCREPANCY_SD, PUBLISHED

    observations = hm.outcome_observations()
    outcomes = [t for t in TARGETS if PUBLISHED[t.key].role == "outcome"]
    assert [o.key for o in observations] == [t.key for t in outcomes]
    for obs, target in zip(observations, outcomes, strict=True):
        source = PUBLISHED[target.key]
        assert obs.variance == pytest.approx(source.observation_variance(target.published) + DISCREPANCY_SD**2)
        assert obs.variance > DISCREPANCY_SD**2  # the source's own uncertainty is never left out
        assert hm.from_model_scale(obs.scale, obs.observed) == pytest.approx(target.published)
    inputs = {t.key for t in TARGETS if PUBLISHED[t.key].role == "input"}
    assert {"participants", "psychiatric_diagnosis", "history_long_support"} <= inputs
    assert inputs.isdisjoint(o.key for o in observations)


def test_the_searched_ranges_hold_the_baseline_and_lie_within_the_declared_bounds():
    baseline = Scenario()
    hm.check_ranges(baseline)
    for name, (low, high, _) in hm.CALIBRATED.items():
        group, key = name.split(".")
        assert low <= getattr(getattr(baseline, group), key) <= high, name


def test_maximin_spreads_its_choice():
    rng = np.random.default_rng(3)
    candidates = np.vstack([np.zeros((50, 2)) + rng.normal(0, 0.01, (50, 2)), [[1.0, 1.0]]])
    chosen = hm.maximin(candidates, 2, np.random.default_rng(0))
    assert any(np.allclose(row, [1.0, 1.0]) for row in chosen)


@pytest.fixture(scope="module")
def tiny_figures():
    """Figures a small cohort gives at the baseline's values: reachable targets (the published ones are not at
    this size, where caseworkers, changes and job spells are too few)."""
    from bipsim.analysis.calibration import summarise_replications
    from bipsim.analysis.published import to_model_scale
    from bipsim.ensemble.calibrate import calibration_replications

    tables = calibration_replications(tiny_scenario(), seed=99, replications=2)
    table = summarise_replications(tables)
    figures = dict(zip(table["key"], table["simulated"], strict=True))
    noise = {}
    for obs in hm.outcome_observations():
        runs = [to_model_scale(obs.scale, t.set_index("key").loc[obs.key, "simulated"]) for t in tables]
        noise[obs.key] = float(np.nan_to_num(np.var(runs, ddof=1) / len(runs)))
    return figures, noise


@pytest.fixture(scope="module")
def tiny_match(tiny_figures):
    figures, noise = tiny_figures
    return hm.history_match(tiny_scenario(), seed=5, observed=figures, observed_noise=noise, **TINY)


def test_a_history_match_runs_every_wave_and_keeps_a_tidy_record(tiny_match):
    match = tiny_match
    assert [w.number for w in match.waves] == list(range(1, match.settings["waves_run"] + 1))
    counts = match.runs.groupby("wave").size()
    assert counts[0] == TINY["mc_replications"] and counts[1] == TINY["first_points"]
    assert set(match.waves[0].diagnostics["target"]) == {o.key for o in match.observations}
    low, high = hm.bounds()
    values = match.runs[list(hm.CALIBRATED)].to_numpy(dtype=float)
    assert np.all((values >= low - 1e-9) & (values <= high + 1e-9))
    for wave in match.waves[1:]:  # later waves sample only where the earlier waves left room
        earlier = hm.HistoryMatch(
            match.waves[: wave.number - 1],
            match.runs,
            match.ensemble,
            match.region,
            match.mc_variance,
            match.observations,
        )
        assert earlier.nroy(wave.design).all()
    assert 0 < match.waves[-1].nroy_share <= 1


def test_every_member_of_the_plausible_ensemble_was_verified_by_its_own_simulation(tiny_match):
    match = tiny_match
    assert list(match.ensemble.columns) == list(hm.CALIBRATED)
    simulated = match.runs.set_index(list(hm.CALIBRATED))
    for vector in match.ensemble.itertuples(index=False):
        assert (simulated.loc[tuple(vector), "implausibility"] <= hm.CUTOFF).all()
    assert len(match.ensemble) >= 1, "the baseline's own figures leave no simulated vector plausible"


def test_a_history_match_is_the_same_on_two_workers(tiny_match, tiny_figures):
    figures, noise = tiny_figures
    again = hm.history_match(tiny_scenario(), seed=5, workers=2, observed=figures, observed_noise=noise, **TINY)
    columns = list(hm.CALIBRATED) + [o.key for o in tiny_match.observations]
    pd.testing.assert_frame_equal(again.runs[columns], tiny_match.runs[columns])
    pd.testing.assert_frame_equal(again.ensemble, tiny_match.ensemble)


def test_the_self_test_says_whether_each_known_vector_stays_non_implausible():
    table = hm.self_test(tiny_scenario(), vectors=1, seed=5, replications=2, **TINY)
    assert list(table["parameter"]) == list(hm.CALIBRATED)
    assert table["known_non_implausible"].dtype == bool
    low, high = hm.bounds()
    assert np.all((table["known"].to_numpy() >= low) & (table["known"].to_numpy() <= high))
    share = table["share_of_range"]
    # an empty final region (possible with so few, so small runs) has no range; otherwise it is a share of it
    assert share.between(0, 1).all() or share.isna().all()


def test_the_packaged_plausible_ensemble_is_the_recorded_one_and_holds_the_baseline():
    """bipsim ships the ensemble of docs/history_matching.json; the baseline's own values are one of its vectors."""
    import json
    from pathlib import Path

    from bipsim.ensemble.uncertainty import PLAUSIBLE_ENSEMBLE
    from bipsim.scenario import Scenario

    root = Path(__file__).parents[2]
    record = json.loads((root / "docs" / "history_matching.json").read_text(encoding="utf-8"))
    shipped = pd.read_csv(PLAUSIBLE_ENSEMBLE).drop(columns="vector_id")
    recorded = pd.DataFrame(record["ensemble"])[list(shipped.columns)]
    assert len(shipped) == len(recorded) > 0
    np.testing.assert_allclose(shipped.to_numpy(), recorded.to_numpy(), rtol=1e-5)
    baseline = Scenario()
    values = {name: getattr(getattr(baseline, name.split(".")[0]), name.split(".")[1]) for name in shipped.columns}
    assert any(np.allclose(row, list(values.values()), rtol=1e-6) for row in shipped.to_numpy())
