"""Recovery studies: estimates meet the truth of the same citizens, and the study does not depend on the executor."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from bipsim.analysis.register_weeks import JOB, RegisterWeeks
from bipsim.cli import main
from bipsim.counterfactual import TWINS
from bipsim.instruments import observe
from bipsim.model import BipModel
from bipsim.recovery.replicate import LANDMARK, YEAR, join_truth, landmark_outcomes, truth_kind
from bipsim.recovery.study import recover
from bipsim.scenario import load_scenario

# Long enough for the landmark windows (week 26, then two years), small enough to be quick.
SIZE = {"citizens": 800, "weeks": 140}


def small(name: str):
    return load_scenario(name).replace(population=SIZE)


@pytest.fixture(scope="module")
def baseline_study():
    return recover(small("baseline"), replications=4, seed=3)


@pytest.fixture(scope="module")
def placebo_study():
    return recover(small("placebo"), replications=6, seed=5)


def test_landmark_outcomes_from_true_statuses_equal_the_registers():
    model = BipModel(small("baseline"), seed=1).run()
    panel = RegisterWeeks(observe(model))
    ids = panel.citizen_ids
    from_truth = landmark_outcomes(model, ids.astype(np.intp))
    window = slice(LANDMARK + 1, LANDMARK + 1 + YEAR)
    from_register = (panel.code[:, window] == JOB).any(axis=1).astype(float)
    np.testing.assert_array_equal(from_truth["job_1y"], from_register)
    assert 0 < from_register.mean() < 1


def test_each_estimate_is_matched_with_the_truth_of_what_it_estimates():
    assert truth_kind("job_entry", "register_hazard") == "planted"
    assert truth_kind("job_1y", "register_naive") == "landmark"
    assert truth_kind("self_sufficiency_2y", "register_ipw") == "landmark"
    assert truth_kind("job_1y", "interviews") is None
    assert truth_kind("citizen_readiness", "survey_progression") is None
    estimates = pd.DataFrame(
        {
            "estimand": ["mentor", "mentor", "mentor"],
            "outcome": ["job_entry", "job_1y", "citizen_readiness"],
            "method": ["register_hazard", "register_naive", "survey_progression"],
        }
    )
    truth = pd.DataFrame(
        {
            "estimand": ["mentor"] * 3,
            "outcome": ["job_entry", "job_1y", "job_1y"],
            "kind": ["planted", "landmark", "population"],
            "truth": [0.2, 0.05, 0.01],
        }
    )
    joined = join_truth(estimates, truth)
    assert joined["truth"].tolist()[:2] == [0.2, 0.05]
    assert np.isnan(joined["truth"].iloc[2])
    assert joined["truth_kind"].tolist() == ["planted", "landmark", "none"]


def test_null_scenario_truth_is_exactly_zero():
    study = recover(small("null"), replications=2, seed=1)
    assert study.failed == 0
    assert (study.truth["truth"].dropna() == 0).all()
    assert study.truth["truth"].notna().any()


def test_placebo_truth_is_zero_and_adjusted_hazard_estimates_centre_on_zero(placebo_study):
    assert placebo_study.failed == 0
    assert (placebo_study.truth["truth"].dropna() == 0).all()
    rows = placebo_study.replications
    hazard = rows[(rows["method"] == "register_hazard") & rows["estimate"].notna() & rows["se"].notna()]
    assert len(hazard) >= 20
    z = hazard["estimate"] / hazard["se"]
    # Centred on zero: the mean z-score of the adjusted estimates is small (it would be 0 +- 1/sqrt(n) if they
    # were independent), and the 95% intervals cover the zero truth about as often as they should.
    assert abs(z.mean()) < 0.6
    with_truth = hazard[hazard["truth"].notna()]
    covered = (with_truth["ci_low"] <= with_truth["truth"]) & (with_truth["truth"] <= with_truth["ci_high"])
    assert covered.mean() >= 0.8


def test_caseworker_change_has_the_planted_sign_in_the_baseline(baseline_study):
    truth = baseline_study.truth
    landmark = truth[(truth["estimand"] == "caseworker_change") & (truth["kind"] == "landmark")]
    assert landmark["truth"].mean() < 0
    rows = baseline_study.replications
    change = rows[(rows["estimand"] == "caseworker_change") & rows["method"].str.startswith("register_")]
    hazard = change[change["method"] == "register_hazard"]["estimate"]
    assert hazard.notna().all()
    assert hazard.mean() < 0


def test_performance_has_every_measure_with_monte_carlo_errors(baseline_study):
    perf = baseline_study.performance
    planted = perf[(perf["truth_kind"] == "planted") & (perf["with_truth"] > 0)]
    assert set(planted["estimand"]) >= {"caseworker_belief", "private_placement"}
    for column in ("bias", "bias_mcse", "empirical_se", "model_se", "coverage", "coverage_mcse", "rejection"):
        assert planted[column].notna().all(), column
    planted_truth = {t.estimand: t.planted(baseline_study.scenario) for t in TWINS if t.planted is not None}
    for _, row in planted.iterrows():
        assert row["true_value"] == pytest.approx(planted_truth[row["estimand"]])


def test_results_do_not_depend_on_the_number_of_workers():
    scenario = load_scenario("baseline").replace(population={"citizens": 300, "weeks": 140})
    serial = recover(scenario, replications=2, seed=7, workers=1)
    parallel = recover(scenario, replications=2, seed=7, workers=2)
    pd.testing.assert_frame_equal(serial.replications, parallel.replications)
    pd.testing.assert_frame_equal(serial.truth, parallel.truth)
    pd.testing.assert_frame_equal(serial.performance, parallel.performance)


def test_recover_command_prints_the_table_and_writes_the_folder(tmp_path, capsys):
    out = tmp_path / "recovery"
    code = main(["recover", "--citizens", "300", "--weeks", "140", "--replications", "2", "--out", str(out)])
    printed = capsys.readouterr().out
    assert code == 0
    assert "Estimates with a truth" in printed and "Detection only" in printed
    assert "wall time" in printed
    for name in ("performance.parquet", "performance.csv", "replications.parquet", "truth.parquet", "runs.parquet"):
        assert (out / name).is_file(), name
    performance = pd.read_csv(out / "performance.csv")
    assert {"bias", "bias_mcse", "coverage", "coverage_mcse", "empirical_se", "model_se"} <= set(performance)
    page = (out / "recovery.html").read_text(encoding="utf-8")
    assert "Bokeh" in page and "Estimates with a truth" in page
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["recovery"]["replications"] == 2
    assert manifest["seeds"]["seed"] == 0


@pytest.mark.parametrize(
    "arguments, message",
    [
        (["--replications", "0"], "--replications must be at least 1"),
        (["--workers", "0"], "--workers must be at least 1"),
        (["no-such-scenario"], "no-such-scenario"),
    ],
)
def test_recover_refuses_bad_input_with_exit_code_2(arguments, message, capsys):
    assert main(["recover", *arguments]) == 2
    error = capsys.readouterr().err
    assert message in error
    assert "Traceback" not in error


def test_a_study_whose_replications_all_fail_says_so_and_keeps_the_errors(tmp_path, capsys, monkeypatch):
    import bipsim.recovery.replicate as replicate

    def broken(scenario, seed):  # noqa: ANN001, ANN202
        raise RuntimeError("deliberate failure for the test")

    monkeypatch.setattr(replicate, "replicate", broken)
    out = tmp_path / "failed"
    code = main(["recover", "--citizens", "100", "--weeks", "30", "--replications", "2", "--out", str(out)])
    assert code == 1
    assert "every replication failed" in capsys.readouterr().out
    runs = pd.read_parquet(out / "runs.parquet")
    assert (runs["status"] == "error").all()
    assert runs["error"].str.contains("deliberate failure").all()
