"""Design studies: designs share their world's runs without changing any result; diagnosis, redesign and export."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from bipsim.model.model import BipModel
from bipsim.recovery.design import (
    DesignStudy,
    design_cost,
    design_plan,
    design_study,
    diagnose,
    smallest_designs,
    tidy_simulations,
)
from bipsim.recovery.replicate import as_designed, replicate, replicate_designs
from bipsim.scenario import Scenario, ScenarioError

SMALL = {"citizens": 500, "weeks": 140}


@pytest.fixture(scope="module")
def world() -> Scenario:
    return Scenario().replace(population=SMALL)


@pytest.mark.slow
def test_designs_sharing_a_run_get_what_each_gets_alone(world):
    designs = [world, world.replace(survey={"waves": 6}), world.replace(survey={"respondents": "citizens"})]
    shared = replicate_designs(world, 11, designs)
    for design, together in zip(designs, shared, strict=True):
        alone = replicate(design, 11)
        pd.testing.assert_frame_equal(together.estimates, alone.estimates)
        pd.testing.assert_frame_equal(together.truth, alone.truth)
    # the designs see different data: fewer waves change the survey's estimates
    survey = [r.estimates.query("method == 'survey_progression'")["estimate"].to_numpy() for r in shared[:2]]
    assert not np.allclose(survey[0], survey[1], equal_nan=True)


def test_a_design_may_not_change_the_world(world):
    model = BipModel(world, seed=1)
    with pytest.raises(ValueError, match="changes the world's turnover"):
        as_designed(model, world.replace(turnover={"enabled": False}))
    seen = as_designed(model, world.replace(survey={"waves": 3}))
    assert seen.scenario.survey.waves == 3 and model.scenario.survey.waves == 16
    assert seen.citizens is model.citizens  # the run is shared, not copied


def test_designs_of_one_world_are_one_task_per_replication(world):
    varied = [("population.citizens", [300, 600]), ("survey.waves", [4, 8, 16])]
    plan, designs, tasks = design_plan(world, varied, replications=5, seed=3)
    assert len(designs) == 6 and designs["world_id"].nunique() == 2
    assert len(tasks) == 2 * 5
    assert {len(task.designs) for task in tasks} == {3}
    # every world's replication r has the same seed: differences between worlds are not luck
    seeds = {(t.setting_id, t.replication): t.spawn_key for t in tasks}
    assert seeds[(0, 2)] == seeds[(1, 2)] and seeds[(0, 2)] != seeds[(0, 3)]
    assert designs.loc[designs["design_id"] == 4, "label"].item() == "population.citizens=600, survey.waves=8"


def test_survey_design_is_declared_and_checked():
    with pytest.raises(ScenarioError, match="multiple of 13"):
        Scenario().replace(survey={"interval_weeks": 20})
    fitting = Scenario().replace(records={"latent_every_weeks": 4}, survey={"interval_weeks": 8})
    assert fitting.survey.interval_weeks == 8


def _study(rows: list[dict], designs: pd.DataFrame, varied: list[str]) -> DesignStudy:
    performance = pd.DataFrame(rows).merge(designs, on="design_id")
    empty = pd.DataFrame()
    return DesignStudy(Scenario(), None, varied, designs, empty, empty, empty, performance, 0.0)  # type: ignore[arg-type]


def test_the_smallest_design_with_power_and_coverage_is_chosen():
    designs = pd.DataFrame(
        {
            "design_id": [0, 1, 2, 3],
            "label": ["n=1000 w=4", "n=1000 w=16", "n=4000 w=4", "n=4000 w=16"],
            "population.citizens": [1000, 1000, 4000, 4000],
            "survey.waves": [4, 16, 4, 16],
        }
    )
    assert design_cost(designs, ["population.citizens", "survey.waves"]).tolist() == [1.0, 4.0, 4.0, 16.0]
    key = {"estimand": "caseworker_change", "outcome": "job_entry", "method": "register_naive", "scale": "log"}
    rows = [
        {**key, "design_id": 0, "rejection": 0.50, "coverage": 0.95},
        {**key, "design_id": 1, "rejection": 0.85, "coverage": 0.80},  # powerful but badly covered
        {**key, "design_id": 2, "rejection": 0.90, "coverage": 0.93},
        {**key, "design_id": 3, "rejection": 0.99, "coverage": 0.94},
    ]
    rows = [r | {"rejection_is": "power", "estimand_kind": "hazard_total"} for r in rows]
    found = smallest_designs(_study(rows, designs, ["population.citizens", "survey.waves"]))
    assert found["design_id"].tolist() == [2]
    weak = [r | {"rejection": 0.3} for r in rows]
    none = smallest_designs(_study(weak, designs, ["population.citizens", "survey.waves"]))
    assert none["design_id"].isna().all() and none["best_rejection"].item() == 0.3


def test_rejection_is_power_or_type_one_error_by_the_truth():
    rows = []
    for replication in range(4):
        for truth, mechanism in ((0.0, "caseworker_change"), (0.5, "private_placement")):
            rows.append(
                {
                    "design_id": 0,
                    "replication": replication,
                    "estimand": mechanism,
                    "outcome": "job_entry",
                    "method": "register_naive",
                    "scale": "log_odds_ratio",
                    "estimand_kind": "hazard_total",
                    "estimate": truth + 0.1 * replication,
                    "se": 0.1,
                    "ci_low": truth - 0.2,
                    "ci_high": truth + 0.5,
                    "p_value": 0.01,
                    "truth": truth,
                    "planted": np.nan,
                    "exposed": 50,
                    "events": 20,
                    "reason": "",
                }
            )
    table = diagnose(pd.DataFrame(rows), pd.DataFrame({"design_id": [0], "label": ["as declared"]}))
    kinds = dict(zip(table["estimand"], table["rejection_is"], strict=True))
    assert kinds == {"caseworker_change": "type I error", "private_placement": "power"}


@pytest.mark.slow
def test_a_small_design_study_exports_the_layout_r_reads(world):
    study = design_study(world, [("survey.waves", [4, 12])], replications=2, seed=5)
    assert study.failed == 0 and set(study.performance["design_id"]) == {0, 1}
    tidy = tidy_simulations(study)
    declare_design = ["design", "sim_ID", "inquiry", "estimator", "estimate", "std.error", "conf.low", "conf.high"]
    assert tidy.columns[: len(declare_design)].tolist() == declare_design
    assert {"p.value", "estimand", "survey.waves"} <= set(tidy.columns)
    assert tidy["sim_ID"].min() == 1 and tidy["estimate"].notna().all()
    assert set(tidy["design"]) == {"survey.waves=4", "survey.waves=12"}
    # the same world studied twice: the interviews, which read no survey answer, give the same estimates
    register = tidy[tidy["estimator"] == "interviews"].pivot_table(
        index=["sim_ID", "inquiry"], columns="design", values="estimate"
    )
    assert len(register) and np.allclose(register["survey.waves=4"], register["survey.waves=12"])


def test_prim_finds_the_region_where_failures_concentrate():
    from bipsim.recovery.discover import find_boxes

    rng = np.random.default_rng(1)
    x = pd.DataFrame({"a": rng.random(80), "b": rng.random(80), "c": rng.random(80)})
    failed = ((x["a"] > 0.6) & (rng.random(80) < 0.9)).to_numpy()
    boxes = find_boxes(x, failed)
    assert boxes, "a box where a > 0.6"
    first = boxes[0]
    assert "a" in first.limits.index and 0.45 < first.limits.loc["a", "low"] < 0.7
    assert first.density > failed.mean() + 0.3 and first.coverage >= 0.5
    assert find_boxes(x, np.zeros(80, dtype=bool)) == []  # nothing fails: nothing to find


def test_a_failure_criterion_is_checked_before_it_is_evaluated():
    from bipsim.recovery.discover import CriterionError, check_criterion, failed

    measures = pd.DataFrame({"bias": [0.5, 0.01, np.nan], "bias_mcse": [0.1, 0.1, 0.1], "coverage": [0.5, 0.96, 0.9]})
    assert failed(measures, "abs(bias) > 2 * bias_mcse").tolist() == [True, False, False]
    assert failed(measures, "coverage < 0.9 or abs(bias) > 1").tolist() == [True, False, False]
    for bad in ("__import__('os')", "bias.real > 0", "bias", "luck > 1", "abs(bias, 2) > 1", "'a' < 'b'"):
        with pytest.raises(CriterionError):
            check_criterion(bad)
