"""The truth tables: shapes, keys and agreement with the headline summary."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from bipsim.contract.vocabulary import EVENT_KEYS, INDICATOR_KEYS, INTERVENTION_KEYS, STATUS_KEYS
from bipsim.scenario import load_scenario

SIZE = {"citizens": 500, "weeks": 60}


@pytest.fixture(scope="module")
def model(run):
    return run(6, **SIZE)


def test_table_shapes_and_keys(model):
    t, n, weeks = model.truth, SIZE["citizens"], SIZE["weeks"]
    assert len(t.citizens) == n and list(t.citizens["citizen_id"]) == list(range(n))
    assert len(t.weekly) == n * weeks
    waves = list(range(0, weeks, model.model.params.records.latent_every_weeks))
    assert len(t.latent) == n * len(waves) and sorted(t.latent["week"].unique()) == waves
    assert list(t.latent.columns) == ["citizen_id", "week", *INDICATOR_KEYS]
    assert list(t.market["week"]) == list(range(weeks))
    assert list(t.weekly["status"].cat.categories) == list(STATUS_KEYS)
    assert list(t.weekly["activity"].cat.categories) == [*INTERVENTION_KEYS, "none"]
    assert list(t.events["event"].cat.categories) == list(EVENT_KEYS)
    assert t.events["week"].is_monotonic_increasing
    assert len(t.caseworkers) == model.model.caseworkers.size
    assert len(t.employers) == model.model.employers.size


def test_caseworker_and_employer_ids_point_into_their_tables(model):
    t = model.truth
    for table, column in ((t.caseworkers, "caseworker_id"), (t.employers, "employer_id")):
        ids = pd.concat([t.weekly[column], t.events[column]]).dropna()
        assert ids.between(0, len(table) - 1).all()


def test_off_benefit_weeks_have_no_activity(model):
    w = model.truth.weekly
    off_benefit = w["status"].isin(["job", "education", "out", "disability_pension"])
    assert off_benefit.sum() > 0
    assert (w.loc[off_benefit, "activity"] == "none").all()
    assert (w.loc[w["status"] == "in_activity", "activity"] != "none").all()


def test_summary_agrees_with_the_weekly_table(model):
    w, summary = model.truth.weekly, model.model.summary()
    in_job = w["status"].isin(["job", "flexi_job"])
    ever = in_job.groupby(w["citizen_id"]).any()
    assert summary["share_ever_in_job"] == pytest.approx(ever.mean())
    last = w[w["week"] == SIZE["weeks"] - 1]
    assert summary["share_in_job_at_end"] == pytest.approx(last["status"].isin(["job", "flexi_job"]).mean())
    assert summary["share_out_at_end"] == pytest.approx((last["status"] == "out").mean())
    waited = (w["status"] == "waiting").groupby(w["citizen_id"]).any()
    assert summary["share_ever_waiting"] == pytest.approx(waited.mean())
    changes = model.events.query("event == 'caseworker_change'")["citizen_id"].nunique()
    assert summary["share_with_caseworker_change"] == pytest.approx(changes / SIZE["citizens"])
    assert all(np.isfinite(v) for v in summary.values())


def test_hires_are_followed_by_job_weeks(model):
    w = model.truth.weekly.set_index(["citizen_id", "week"])["status"]
    hires = model.events.query("event == 'hire'")
    assert len(hires) > 5
    statuses = w.loc[list(zip(hires["citizen_id"], hires["week"], strict=True))]
    assert (statuses == "job").mean() > 0.9  # the hire shows in the same week unless the job ended at once


def test_records_read_during_a_run_match_the_finished_run():
    from bipsim.model import BipModel

    scenario = load_scenario("baseline").replace(population={"citizens": 200, "weeks": 40})
    stepped, whole = BipModel(scenario, seed=3), BipModel(scenario, seed=3).run()
    seen = {}
    for _ in range(40):
        stepped.step()
        if stepped.week in (5, 21, 33):  # inside and across the blocks in which weeks are staged
            seen[stepped.week] = {k: v[: stepped.week].copy() for k, v in stepped.record.items()}
            stepped.truth()
    for week, record in seen.items():
        for name, values in record.items():
            assert values.shape == (week, 200)
            assert (values == whole.record[name][:week]).all(), (week, name)
    weekly = whole.truth().weekly
    assert (weekly["status"].cat.codes.to_numpy().reshape(200, 40) == whole.record["status"].T).all()
    assert stepped.truth().weekly.equals(weekly)
