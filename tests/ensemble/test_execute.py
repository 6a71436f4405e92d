"""Execution: the same rows in the same order whatever the executor; a failing run is recorded, not fatal."""

from __future__ import annotations

import logging

import pandas as pd
import pytest

from bipsim.ensemble.execute import execute, local_cluster, run_one
from bipsim.ensemble.plan import Plan
from bipsim.scenario import load_scenario

TINY = {"citizens": 80, "weeks": 12}


@pytest.fixture(scope="module")
def plan():
    scenario = load_scenario("baseline").replace(population=TINY)
    settings = [
        {"turnover.quit_probability": 0.001},
        {"turnover.quit_probability": 2.0},  # out of bounds: only a run can find out, as a worker would
        {"turnover.quit_probability": 0.02},
    ]
    return Plan.sweep(scenario, settings, replications=3, seed=4)


@pytest.fixture(scope="module")
def serial(plan):
    return pd.DataFrame(execute(plan.runs(), workers=1))


def test_a_failing_setting_is_recorded_and_the_others_run(serial):
    failed = serial[serial["setting_id"] == 1]
    assert (failed["status"] == "error").all()
    assert failed["error"].str.contains("turnover.quit_probability = 2.0 is not allowed").all()
    assert failed["share_job_within_1_year"].isna().all()
    assert (serial[serial["setting_id"] != 1]["status"] == "ok").all()


def test_rows_follow_the_plan_and_carry_their_seed(plan, serial):
    assert list(zip(serial["setting_id"], serial["replication"], strict=True)) == [
        (s, r) for s in range(3) for r in range(3)
    ]
    assert (serial["seed_spawn_key"] == serial["replication"].astype(str)).all()
    assert (serial["wall_seconds"] >= 0).all()


def test_common_random_numbers_make_settings_differ_only_by_their_parameters(serial):
    ok = serial[serial["status"] == "ok"]
    low, high = (ok[ok["setting_id"] == s].set_index("replication") for s in (0, 2))
    assert (high["share_with_caseworker_change"] >= low["share_with_caseworker_change"]).all()
    assert (low["citizens"] == high["citizens"]).all()


def test_a_run_is_a_pure_function_of_its_spec(plan):
    spec = plan.runs()[0]
    first, again = run_one(spec), run_one(spec)
    first.pop("wall_seconds"), again.pop("wall_seconds")
    assert first == again


def spawned_cluster():
    """A cluster as a user would start one: Dask's defaults, workers spawned afresh."""
    distributed = pytest.importorskip("distributed")
    return distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=logging.ERROR
    )


@pytest.mark.parametrize("start", [spawned_cluster, lambda: local_cluster(2)], ids=["spawned", "bipsim's own"])
def test_dask_gives_the_same_rows_as_serial_execution(plan, serial, start):
    cluster = start()
    try:
        on_cluster = pd.DataFrame(execute(plan.runs(), scheduler=cluster.scheduler_address))
    finally:
        cluster.close()
    pd.testing.assert_frame_equal(on_cluster.drop(columns="wall_seconds"), serial.drop(columns="wall_seconds"))


def test_workers_must_be_positive(plan):
    with pytest.raises(ValueError, match="at least 1"):
        execute(plan.runs(), workers=0)
