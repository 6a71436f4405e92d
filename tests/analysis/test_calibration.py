"""Calibration: figures computed from observed data, checked on data with known answers and on the baseline."""

from __future__ import annotations

import json
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

import bipsim
from bipsim.analysis.calibration import TARGETS, RegisterWeeks, calibrate, summarise_replications
from bipsim.cli import main
from bipsim.contract.codes import BENEFIT_KEYS
from bipsim.instruments import observe


def register(codes: list[list[str]], caseworkers: list[list[int]] | None = None) -> SimpleNamespace:
    """Observed data whose register has the given weekly codes (one list per citizen)."""
    n, weeks = len(codes), len(codes[0])
    caseworkers = caseworkers or [[1] * weeks for _ in range(n)]
    frame = pd.DataFrame(
        {
            "citizen_id": np.repeat(np.arange(n), weeks),
            "week": np.tile(np.arange(weeks), n),
            "benefit_code": pd.Categorical(np.concatenate(codes), categories=list(BENEFIT_KEYS)),
            "activity": "none",
            "caseworker_id": pd.array(np.concatenate(caseworkers), dtype="Int32"),
        }
    )
    frame.loc[frame["caseworker_id"] < 0, "caseworker_id"] = pd.NA
    return SimpleNamespace(
        register_weeks=frame, citizens=pd.DataFrame(), register_history=pd.DataFrame(), survey=pd.DataFrame()
    )


def target(key: str):
    return next(t for t in TARGETS if t.key == key)


def test_job_spells_stopping_within_three_months_are_counted_from_the_register():
    kh, job = "kh_activity_ready", "ordinary_job"
    codes = [
        [kh] * 2 + [job] * 5 + [kh] * 73,  # a 5-week job: stops within 13 weeks
        [kh] * 2 + [job] * 78,  # a job that lasts
        [kh] * 80,  # never a job
        [kh] * 2 + [job] * 20 + [kh] * 58,  # stops after 20 weeks
    ]
    panel = RegisterWeeks(register(codes))
    assert target("job_stop_3m").compute(panel) == pytest.approx(1 / 3)
    assert target("job_stay_12m").compute(panel) == pytest.approx(1 / 3)


def test_caseworker_changes_are_read_from_consecutive_register_weeks():
    kh, job = "kh_activity_ready", "ordinary_job"
    codes = [[kh] * 10, [kh] * 10, [kh] * 4 + [job] * 2 + [kh] * 4]
    caseworkers = [
        [1] * 5 + [2] * 5,  # one change
        [1] * 10,  # none
        [3] * 4 + [-1] * 2 + [3] * 4,  # a gap in a job with the same caseworker after it: no change
    ]
    panel = RegisterWeeks(register(codes, caseworkers))
    assert target("change_share").compute(panel) == pytest.approx(1 / 3)


def test_stratified_rate_ratio_recovers_a_known_ratio():
    """Citizens with a change at week 1 enter jobs at half the weekly rate of those without."""
    rng = np.random.default_rng(7)
    weeks, n = 60, 4000
    changed = np.arange(n) < n // 2
    rate = np.where(changed, 0.01, 0.02)
    entry_week = np.where(rng.random((n, weeks)) < rate[:, None], 1, 0).argmax(axis=1)
    entry_week[entry_week == 0] = weeks
    codes, caseworkers = [], []
    for i in range(n):
        e = max(int(entry_week[i]), 2)
        codes.append(["kh_activity_ready"] * e + ["ordinary_job"] * (weeks - e))
        caseworkers.append([1] + [2 if changed[i] else 1] * (weeks - 1))
    ratio = target("change_job_ratio").compute(RegisterWeeks(register(codes, caseworkers)))
    assert ratio == pytest.approx(0.5, abs=0.08)


def test_summary_over_replications_has_mean_standard_error_and_implausibility():
    """The mean of the runs is judged: its distance from the published figure in SDs on the model scale."""
    from bipsim.analysis.published import DISCREPANCY_SD, to_model_scale

    key = "change_share"  # published 0.40, an outcome share known from ~4,000 citizens
    a = pd.DataFrame({"key": [key], "figure": ["x"], "published": [0.40], "note": [""], "simulated": [0.42]})
    b = a.assign(simulated=[0.46])
    out = summarise_replications([a, b]).set_index("key")
    assert out.loc[key, "simulated"] == pytest.approx(0.44)
    assert out.loc[key, "mc_se"] == pytest.approx(0.02)
    declared = target(key).declared
    mc_variance = np.var([to_model_scale("share", 0.42), to_model_scale("share", 0.46)], ddof=1) / 2
    variance = declared.observation_variance(0.40) + DISCREPANCY_SD**2 + mc_variance
    expected = abs(to_model_scale("share", 0.44) - to_model_scale("share", 0.40)) / np.sqrt(variance)
    assert out.loc[key, "implausibility"] == pytest.approx(expected)
    assert bool(out.loc[key, "within"]) is bool(expected <= 3)
    assert out.loc[key, "role"] == "outcome"


def test_every_target_has_a_declared_role_source_and_uncertainty():
    from bipsim.analysis.published import PUBLISHED

    assert set(PUBLISHED) == {t.key for t in TARGETS}
    for t in TARGETS:
        assert t.source
        if t.role != "rule":
            assert t.uncertainty is not None and t.uncertainty >= 0
            assert t.tolerance is not None and t.tolerance > 0
    roles = {t.key: t.role for t in TARGETS}
    assert roles["psychiatric_diagnosis"] == "input" and roles["change_share"] == "outcome"


@pytest.fixture(scope="module")
def baseline_calibration():
    seeds = np.random.SeedSequence(20261125).spawn(3)
    return summarise_replications([calibrate(observe(bipsim.simulate(seed=s))) for s in seeds])


def test_baseline_reproduces_every_computable_published_figure(baseline_calibration):
    computable = baseline_calibration[baseline_calibration["within"].notna()]
    assert len(computable) >= 18
    outside = computable[~computable["within"].astype(bool)]
    assert outside.empty, outside[["key", "published", "simulated", "tolerance"]].to_string()


def test_null_scenario_misses_the_figures_the_mechanisms_produce():
    """Calibration is not vacuous: without the mechanisms, beliefs and caseworkers no longer matter."""
    table = calibrate(observe(bipsim.simulate("null", seed=3))).set_index("key")
    assert table.loc["change_share", "simulated"] == 0.0
    assert not table.loc["change_share", "within"]


def test_calibrate_command_prints_json(capsys):
    code = main(["calibrate", "--citizens", "600", "--weeks", "110", "--replications", "2", "--json"])
    assert code == 0
    result = json.loads(capsys.readouterr().out)
    assert result["replications"] == 2
    keys = {row["key"] for row in result["figures"]}
    assert {"change_share", "job_1y_believed", "history_job_education"} <= keys
    assert all(row["simulated"] is None or isinstance(row["simulated"], float) for row in result["figures"])


def test_calibrate_refuses_zero_replications(capsys):
    assert main(["calibrate", "--replications", "0"]) == 2
    assert "replications" in capsys.readouterr().err


def test_published_associations_are_targets_computed_by_the_studys_adjusted_model(baseline_calibration):
    """The published +33/+84/+65/+27% are associations the simulated observed data must show, as hazard ratios."""
    table = baseline_calibration.set_index("key")
    for key, published in (
        ("association_belief", 1.33),
        ("association_private_placement", 1.84),
        ("association_public_placement", 1.65),
        ("association_other_activation", 1.27),
    ):
        assert table.loc[key, "published"] == published
        assert np.isfinite(table.loc[key, "simulated"]) and table.loc[key, "simulated"] > 0
        assert "association" in table.loc[key, "note"]


def test_other_activation_pools_the_support_interventions_as_published():
    from bipsim.analysis.horizontal import PUBLISHED_EXPOSURES
    from bipsim.contract.vocabulary import INTERVENTIONS

    support = {i.key for i in INTERVENTIONS if i.kind == "support"}
    assert set(PUBLISHED_EXPOSURES["other_activation"]) == support
    assert PUBLISHED_EXPOSURES["private_placement"] == ("private_placement",)


def test_association_uncertainty_is_the_adjusted_models_standard_error():
    from bipsim.analysis.calibration import ASSOCIATION_SE

    row = target("association_private_placement")
    assert row.uncertainty == pytest.approx(1.84 * np.sqrt(ASSOCIATION_SE**2 + (0.005 / 1.84) ** 2 / 3))


def test_calibrate_fit_effects_prints_the_fitted_effects_as_json(capsys):
    from bipsim.ensemble.calibrate import EFFECTS

    argv = ["calibrate", "--fit-effects", "--citizens", "600", "--weeks", "100", "--points", "8"]
    assert main([*argv, "--replications", "1", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert [row["parameter"] for row in result["solution"]] == list(EFFECTS)
    assert result["points"] == 8 and result["replications"] == 1
    for row in result["solution"]:
        assert 1.0 <= row["value"] <= 5.0


def test_calibrate_fit_effects_refuses_too_few_points(capsys):
    assert main(["calibrate", "--fit-effects", "--points", "3"]) == 2
    assert "--points" in capsys.readouterr().err


def test_calibrate_fit_runs_a_small_history_match_and_writes_its_record(tmp_path, capsys):
    out = tmp_path / "fit"
    argv = ["calibrate", "--fit", "--citizens", "600", "--weeks", "110", "--waves", "1", "--points", "15"]
    assert main([*argv, "--verify", "2", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "wave  runs  region left" in printed
    record = json.loads((out / "history_matching.json").read_text(encoding="utf-8"))
    assert record["waves"] and (out / "plausible.csv").is_file()


def test_calibrate_fit_refuses_too_few_points_and_two_fits_at_once(capsys):
    assert main(["calibrate", "--fit", "--points", "3"]) == 2
    assert "--points" in capsys.readouterr().err
    assert main(["calibrate", "--fit", "--fit-effects"]) == 2
    assert "choose one" in capsys.readouterr().err
