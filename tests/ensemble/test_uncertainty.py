"""Parameter uncertainty: the decomposition against a worked example, the ensemble file, and the plan's seeds."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from bipsim.ensemble import uncertainty
from bipsim.ensemble.plan import Plan, with_vector
from bipsim.ensemble.uncertainty import EnsembleFileError, across_vectors, compare_over_vectors, read_ensemble
from bipsim.scenario import load_scenario

HEADER = "vector_id,interventions.private_placement_multiplier,meetings.belief_effect,turnover.quit_probability\n"
ROWS = "7,1.79,1.33,0.0025\n8,1.40,1.10,0.0020\n9,2.20,1.60,0.0030\n"


def test_the_decomposition_reproduces_a_worked_example():
    """Three vectors of two pairs each: differences (1, 3), (4, 6), (7, 9), worked out by hand.

    Per-vector means 2, 5, 8 (overall 5); between-vector variance B = (9 + 0 + 9) / 2 = 9; each vector's pairs
    have variance 2, so its mean's Monte Carlo variance is 2 / 2 = 1 and M = 1; the parameter variance is
    9 - 1 = 8, its part of the interval 8 (1 + 1/3) = 32/3 and the Monte Carlo part 1/3, together 11. The
    interval with parameters is 5 ± t(0.975, 2) √11; Monte Carlo only 5 ± t(0.975, 3) √(1/3).
    """
    result = across_vectors([np.array([1.0, 3.0]), np.array([4.0, 6.0]), np.array([7.0, 9.0])])
    assert result.vectors == 3 and result.mean == 5.0
    assert result.between == pytest.approx(9.0) and result.monte_carlo == pytest.approx(1.0)
    assert result.parameter == pytest.approx(8.0)
    assert result.parameter_part == pytest.approx(32 / 3) and result.monte_carlo_part == pytest.approx(1 / 3)
    assert result.parameter_share == pytest.approx((32 / 3) / 11)
    assert result.high - 5 == pytest.approx(4.302652729911275 * np.sqrt(11))
    assert result.mc_high - 5 == pytest.approx(3.182446305284263 * np.sqrt(1 / 3))
    assert 5 - result.low == pytest.approx(result.high - 5)
    assert result.same_sign == 1.0
    assert result.clear_same_sign == 0.0  # each vector's own interval is 2 ± 12.7 × 1 and so on: none is clear


def test_monte_carlo_noise_alone_gives_no_parameter_part_and_never_a_narrower_interval():
    """Vectors with equal means: B = 0 < M, so the parameter part is 0 and the interval only the MC part."""
    groups = [np.array([1.0, 3.0]), np.array([0.0, 4.0]), np.array([2.0, 2.0])]
    result = across_vectors(groups)
    assert result.between == 0.0 and result.parameter == 0.0 and result.parameter_part == 0.0
    assert result.monte_carlo == pytest.approx((1 + 4 + 0) / 3)
    assert result.monte_carlo_part == pytest.approx(result.monte_carlo / 3)
    assert result.parameter_share == 0.0
    assert result.low <= result.mc_low < result.mc_high <= result.high


def test_sign_agreement_and_clear_vectors_are_counted_against_the_overall_sign():
    groups = [
        np.array([10.0, 10.1, 9.9]),  # clearly positive
        np.array([5.0, 5.2, 4.8]),  # clearly positive
        np.array([-0.5, 1.0, -1.0]),  # negative mean, interval includes 0
        np.array([-3.0, -3.1, -2.9]),  # clearly negative
    ]
    result = across_vectors(groups)
    assert result.mean > 0
    assert result.same_sign == 0.5 and result.clear_same_sign == 0.5 and result.clear_opposite_sign == 0.25


def test_identical_values_give_zero_width_intervals_and_nan_is_left_out():
    result = across_vectors([np.array([0.0, 0.0]), np.array([0.0, np.nan, 0.0])])
    assert result.vectors == 2 and (result.low, result.high, result.mc_low, result.mc_high) == (0, 0, 0, 0)
    assert across_vectors([np.array([np.nan])]).vectors == 0


def _runs(differences: dict[int, list[float]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A runs table and settings table of a comparison over vectors: A is 0 everywhere, B the difference."""
    settings, runs = [], []
    for position, (vector_id, values) in enumerate(differences.items()):
        for origin in (0, 1):
            setting_id = 2 * position + origin
            settings.append({"setting_id": setting_id, "origin_id": origin, "vector_id": vector_id})
            for r, d in enumerate(values):
                value = d if origin else 0.0
                runs.append({"setting_id": setting_id, "replication": r, "status": "ok", "x": value})
    return pd.DataFrame(runs), pd.DataFrame(settings)


def test_compare_over_vectors_gives_the_overall_and_the_per_vector_tables():
    runs, settings = _runs({7: [1.0, 3.0], 8: [4.0, 6.0], 9: [7.0, 9.0]})
    runs.loc[(runs["setting_id"] == 5) & (runs["replication"] == 0), "status"] = "failed"  # one pair of vector 9
    overall, per_vector = compare_over_vectors(runs, settings, [7, 8, 9], ["x"])
    row = overall.iloc[0]
    assert row["pairs"] == 5 and row["vectors"] == 3
    assert row["difference"] == pytest.approx((2 + 5 + 9) / 3)
    assert row["mean_a"] == 0 and row["mean_b"] == pytest.approx(row["difference"])
    assert list(per_vector["vector_id"]) == [7, 8, 9] and list(per_vector["pairs"]) == [2, 2, 1]
    assert per_vector["difference"].tolist() == [2.0, 5.0, 9.0]
    assert np.isnan(per_vector["low"].iloc[2])  # one pair: no interval of its own
    # the single pair adds to B but not to M: M is the mean over the two vectors with two pairs
    assert row["sd_monte_carlo"] == pytest.approx(np.sqrt(1.0 / 3))
    b = np.var([2.0, 5.0, 9.0], ddof=1)
    assert row["high"] - row["difference"] == pytest.approx(
        stats.t.ppf(0.975, 2) * np.sqrt((b - 1) * (1 + 1 / 3) + 1 / 3)
    )


def _file(tmp_path, text: str):
    path = tmp_path / "plausible.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_an_ensemble_file_is_read_with_its_ids_and_declared_types(tmp_path):
    ensemble = read_ensemble(_file(tmp_path, HEADER + ROWS), load_scenario("baseline"))
    assert ensemble.vector_ids == [7, 8, 9]
    assert ensemble.names == HEADER.strip().split(",")[1:]
    assert ensemble.vectors[1] == {
        "interventions.private_placement_multiplier": 1.4,
        "meetings.belief_effect": 1.1,
        "turnover.quit_probability": 0.002,
    }
    assert len(ensemble.sha256) == 64
    no_ids = read_ensemble(_file(tmp_path, "meetings.observation_sd\n1.0\n1.5\n"), load_scenario("baseline"))
    assert no_ids.vector_ids == [0, 1] and no_ids.table().columns.tolist() == ["vector_id", "meetings.observation_sd"]


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("turnover.nonsense\n1\n2\n", "unknown parameter 'turnover.nonsense'"),
        ("turnover.quit_probability\n0.5\n1.5\n", "line 3: turnover.quit_probability = 1.5 is not allowed"),
        ("turnover.quit_probability\n0.5\n", "one parameter vector cannot show parameter uncertainty"),
        ("turnover.quit_probability\n", "no parameter vectors"),
        ("vector_id,turnover.quit_probability\n1,0.1\n1,0.2\n", "a vector_id appears more than once"),
        ("vector_id,turnover.quit_probability\nx,0.1\n2,0.2\n", "vector_id = 'x' is not allowed"),
        ("turnover.quit_probability,turnover.quit_probability\n0.1,0.1\n0.2,0.2\n", "appears more than once"),
        ('turnover.quit_probability\n0.1\n""\n0.2\n', "has no value"),
        ("turnover.quit_probability,meetings.belief_effect\n0.1\n0.2,1.2\n", "line 2 has 1 values for 2 columns"),
    ],
)
def test_a_bad_ensemble_file_is_refused_naming_line_column_and_value(tmp_path, text, shown):
    with pytest.raises(EnsembleFileError, match="--ensemble .*plausible.csv") as caught:
        read_ensemble(_file(tmp_path, text), load_scenario("baseline"))
    assert shown in str(caught.value)


def test_the_packaged_ensemble_is_named_baseline_and_refused_clearly_while_not_shipped(tmp_path, monkeypatch):
    monkeypatch.setattr(uncertainty, "PLAUSIBLE_ENSEMBLE", tmp_path / "missing.csv")
    with pytest.raises(EnsembleFileError, match="--ensemble baseline: the plausible ensemble .* not shipped"):
        uncertainty.ensemble_path("baseline")
    shipped = _file(tmp_path, HEADER + ROWS)
    monkeypatch.setattr(uncertainty, "PLAUSIBLE_ENSEMBLE", shipped)
    assert uncertainty.packaged_available() and uncertainty.ensemble_path("baseline") == shipped
    with pytest.raises(EnsembleFileError, match="no such file"):
        uncertainty.ensemble_path(tmp_path / "elsewhere.csv")


def test_a_vector_applies_where_the_scenario_keeps_the_baseline_and_the_setting_wins():
    baseline, high = load_scenario("baseline"), load_scenario("high_turnover")
    vector = {"turnover.quit_probability": 0.002, "meetings.belief_effect": 1.1}
    assert with_vector(baseline, {}, vector, baseline) == (vector, [])
    combined, kept = with_vector(high, {}, vector, baseline)
    assert combined == {"meetings.belief_effect": 1.1} and kept == ["turnover.quit_probability"]
    combined, kept = with_vector(baseline, {"meetings.belief_effect": 2.0}, vector, baseline)
    assert combined == {"turnover.quit_probability": 0.002, "meetings.belief_effect": 2.0} and kept == []


def test_across_vectors_a_and_b_share_seeds_within_a_vector_and_vectors_differ():
    baseline, high = load_scenario("baseline"), load_scenario("high_turnover")
    vectors = [{"meetings.belief_effect": 1.1}, {"meetings.belief_effect": 1.6}, {"meetings.belief_effect": 1.3}]
    plan = Plan.across_vectors([baseline, high], [{}, {}], ["A", "B"], vectors, [7, 8, 9], baseline, 2, seed=4)
    runs = plan.runs()
    assert len(runs) == 3 * 2 * 2
    seeds = {(plan.vectors[r.setting_id], plan.origins[r.setting_id], r.replication): r.spawn_key for r in runs}
    for v in range(3):
        for r in range(2):
            assert seeds[v, 0, r] == seeds[v, 1, r] == (r, v)
    assert len({key for key in seeds.values()}) == 3 * 2
    first = np.random.SeedSequence(4).spawn(2)[1].spawn(3)[2]
    assert runs[-1].seed().generate_state(2).tolist() == first.generate_state(2).tolist()
    table = plan.settings_table()
    assert table["vector_id"].tolist() == [7, 7, 8, 8, 9, 9] and table["scenario"].tolist() == ["A", "B"] * 3
    assert table["meetings.belief_effect"].tolist() == [1.1, 1.1, 1.6, 1.6, 1.3, 1.3]
    assert runs[3].scenario().turnover.quit_probability == high.turnover.quit_probability
