"""Recovery studies: each estimate meets the truth of its own estimand for the same citizens; placebo truths are 0."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from bipsim.analysis.methods import METHOD_KEYS, METHODS
from bipsim.analysis.register_weeks import JOB, RegisterWeeks
from bipsim.cli import main
from bipsim.contract.estimands import estimand, estimand_kind, has_truth
from bipsim.counterfactual import after_effects_in_force, contrast_scenario
from bipsim.instruments import observe
from bipsim.model import BipModel
from bipsim.recovery.replicate import (
    LANDMARK,
    TWIN_WEEKS,
    YEAR,
    declared_truths,
    join_truth,
    landmark_outcomes,
    needed_truths,
    twin_plan,
)
from bipsim.recovery.study import DESCRIPTION, recover
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
    return recover(load_scenario("placebo").replace(population={"citizens": 2000, "weeks": 140}), 3, seed=5)


def test_landmark_outcomes_from_true_statuses_equal_the_registers():
    model = BipModel(small("baseline"), seed=1).run()
    panel = RegisterWeeks(observe(model))
    ids = panel.citizen_ids
    from_truth = landmark_outcomes(model, ids.astype(np.intp))
    window = slice(LANDMARK + 1, LANDMARK + 1 + YEAR)
    from_register = (panel.code[:, window] == JOB).any(axis=1).astype(float)
    np.testing.assert_array_equal(from_truth["job_1y"], from_register)
    assert 0 < from_register.mean() < 1


def test_each_estimate_is_matched_only_with_the_truth_of_its_own_estimand():
    estimates = pd.DataFrame(
        {
            "estimand": ["mentor"] * 4,
            "outcome": ["job_entry", "job_entry", "job_1y", "citizen_readiness"],
            "method": ["register_hazard", "register_naive", "register_ipw", "survey_progression"],
        }
    )
    truth = pd.DataFrame(
        {
            "estimand": ["mentor"] * 4 + ["health"],
            "estimand_kind": [
                "hazard_structural",
                "hazard_total",
                "landmark_exposed_job",
                "experience_share",
                "readiness_change",
            ],
            "truth": [0.2, 0.5, 0.05, 0.3, 0.9],
        }
    )
    joined = join_truth(estimates, truth)
    assert joined["estimand_kind"].tolist() == [
        "hazard_structural",
        "hazard_total",
        "landmark_average_job",  # weights towards everyone: the exposed's truth is not its truth
        "readiness_change",
    ]
    assert joined["truth"].tolist()[:2] == [0.2, 0.5]
    assert joined["truth"].iloc[2:].isna().all()  # no truth of another estimand or mechanism is borrowed
    assert joined["reason"].str.len().gt(0).all()


def test_every_estimate_row_has_a_declared_estimand(baseline_study):
    rows = baseline_study.replications
    declared = set(METHOD_KEYS)
    assert set(zip(rows["method"], rows["outcome"], strict=True)) <= declared
    assert (rows["estimand_kind"] != "undeclared").all()
    with_truth = rows[rows["truth"].notna()]
    assert all(has_truth(m, k) for m, k in zip(with_truth["estimand"], with_truth["estimand_kind"], strict=True))


def test_every_twin_makes_its_declared_contrast_and_stops_at_the_horizon():
    scenario = load_scenario("baseline")
    plan = twin_plan(scenario)
    covered = {truth for run in plan for truth in run.truths}
    assert covered == {t for t in declared_truths() if estimand_kind(t[1]).contrast not in ("structural", "factual")}
    for run in plan:
        assert run.weeks <= TWIN_WEEKS
        for mechanism, kind in run.truths:
            contrast = estimand_kind(kind).contrast
            expected = estimand(mechanism).contrast if contrast == "removed" else estimand(mechanism).channel_contrast
            assert run.overrides == expected
        contrast_scenario(scenario, run.overrides)  # a valid scenario


def test_rows_that_are_not_estimated_cost_no_twin():
    estimates = pd.DataFrame(
        {
            "estimand": ["mentor", "health"],
            "outcome": ["job_entry", "job_entry"],
            "method": ["register_naive", "register_naive"],
            "estimate": [0.1, np.nan],
        }
    )
    needed = needed_truths(estimates)
    assert needed == {("mentor", "hazard_total")}
    assert [run.truths for run in twin_plan(load_scenario("baseline"), needed)] == [(("mentor", "hazard_total"),)]


def test_the_replayed_after_effects_are_the_models_week_by_week():
    model = BipModel(load_scenario("baseline").replace(population={"citizens": 1500, "weeks": 90}), seed=2)
    in_force = []
    while model.running:
        model.step()
        c = model.citizens
        in_force.append(np.where(c.after_until > model.week - 1, c.after_multiplier, 1.0))
    replayed = after_effects_in_force(model)
    np.testing.assert_array_equal(replayed, np.array(in_force).T)
    assert (replayed > 1).any()


def test_null_scenario_runs_though_nothing_is_estimable():
    # What placebo does not test: a world without exposures. Every twin truth is 0, nothing fails.
    study = recover(small("null"), replications=1, seed=1)
    assert study.failed == 0
    effects = study.truth[study.truth["estimand_kind"] != "experience_share"]
    assert (effects["truth"].dropna() == 0).all()


def test_every_placebo_truth_is_exactly_zero(placebo_study):
    assert placebo_study.failed == 0
    truth = placebo_study.truth
    effects = truth[truth["estimand_kind"] != "experience_share"]  # a share of the interviewed, not an effect
    assert effects["truth"].notna().sum() >= 20
    assert (effects["truth"].dropna() == 0).all(), effects[effects["truth"] != 0]
    kinds = set(effects.loc[effects["truth"].notna(), "estimand_kind"])
    assert {"hazard_total", "hazard_structural", "readiness_change"} <= kinds


def test_under_placebo_the_survey_change_rarely_detects(placebo_study):
    rows = placebo_study.replications
    survey = rows[(rows["method"] == "survey_progression") & rows["estimate"].notna()]
    assert len(survey) >= 10
    assert (survey["p_value"] < 0.05).mean() <= 0.3
    covered = (survey["ci_low"] <= survey["truth"]) & (survey["truth"] <= survey["ci_high"])
    assert covered.mean() >= 0.7


def test_the_planted_directions_show_in_the_baseline_truths(baseline_study):
    truth = baseline_study.truth.set_index(["estimand", "estimand_kind"])["truth"]
    assert truth.loc[("private_placement", "hazard_total")].mean() > 0
    assert truth.loc[("private_placement", "hazard_structural")].mean() > 0.3  # log 1.84 in force, overlaps aside


def test_performance_has_every_measure_description_and_reason(baseline_study):
    perf = baseline_study.performance
    assert set(DESCRIPTION) <= set(perf.columns)
    planted = perf[(perf["estimand_kind"] == "hazard_structural") & (perf["with_truth"] > 1)]
    assert set(planted["estimand"]) >= {"caseworker_belief"}
    for column in ("bias", "bias_mcse", "empirical_se", "model_se", "coverage", "coverage_mcse", "rejection"):
        assert planted[column].notna().all(), column
    belief = planted.set_index("estimand").loc["caseworker_belief"]
    assert belief["true_value"] == pytest.approx(np.log(load_scenario().meetings.belief_effect))
    assert belief["planted"] == pytest.approx(belief["true_value"])
    assert perf["reason"].str.len().gt(0).all()
    assert set(perf["estimand_kind"]) <= {m.estimand_kind for m in METHODS}
    thin = perf[perf["estimable"] == 0]
    assert (thin["with_truth"] == 0).all()


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
    assert "Estimates compared with the truth of the estimand" in printed and "No truth for the method" in printed
    assert "Not estimable in any replication" in printed
    assert "wall time" in printed
    for name in ("performance.parquet", "performance.csv", "replications.parquet", "truth.parquet", "runs.parquet"):
        assert (out / name).is_file(), name
    performance = pd.read_csv(out / "performance.csv")
    assert {"bias", "bias_mcse", "coverage", "coverage_mcse", "empirical_se", "model_se"} <= set(performance)
    page = (out / "recovery.html").read_text(encoding="utf-8")
    assert "Bokeh" in page and "Mechanism by mechanism" in page and "estimand it targets" in page
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


def test_recover_help_says_how_to_add_an_estimand_and_a_method(capsys):
    from bipsim.analysis.estimates import MIN_EVENTS, MIN_EXPOSED

    with pytest.raises(SystemExit) as done:
        main(["recover", "--help"])
    assert done.value.code == 0
    text = capsys.readouterr().out
    assert "Adding an estimand and a method" in text
    for place in ("ESTIMAND_KINDS", "TRUTHS", "ESTIMANDS", "METHODS", "FAILURES", "--recover"):
        assert place in text, place
    assert f"fewer than {MIN_EXPOSED} exposed citizens or {MIN_EVENTS} events" in text
