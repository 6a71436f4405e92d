"""Summaries: t-intervals per setting; paired comparisons that find no difference in identical runs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from bipsim.ensemble.summarise import compare, outcome_names, summarise, verdict


def runs_table(values_by_setting, status=None):
    rows = []
    for setting_id, values in values_by_setting.items():
        for replication, value in enumerate(values):
            rows.append(
                {
                    "setting_id": setting_id,
                    "replication": replication,
                    "status": "ok",
                    "error": "",
                    "share_job": value,
                    "waiting": 2 * value,
                }
            )
    table = pd.DataFrame(rows)
    for (setting_id, replication), text in (status or {}).items():
        at = (table["setting_id"] == setting_id) & (table["replication"] == replication)
        table.loc[at, ["status", "error", "share_job", "waiting"]] = ["error", text, np.nan, np.nan]
    return table


def test_outcomes_follow_the_error_column():
    assert outcome_names(runs_table({0: [0.1]})) == ["share_job", "waiting"]


def test_mean_and_t_interval_per_setting_and_failures_counted():
    values = [0.1, 0.2, 0.3, 0.6]
    table = summarise(runs_table({0: values, 1: [0.5, 0.5, 0.5]}, status={(1, 2): "boom"}))
    row = table[(table["setting_id"] == 0) & (table["outcome"] == "share_job")].iloc[0]
    se = np.std(values, ddof=1) / 2
    assert row["mean"] == pytest.approx(0.3)
    assert row["high"] - row["mean"] == pytest.approx(stats.t.ppf(0.975, 3) * se)
    failed = table[(table["setting_id"] == 1) & (table["outcome"] == "waiting")].iloc[0]
    assert (failed["runs_ok"], failed["runs_failed"], failed["values"], failed["mean"]) == (2, 1, 2, 1.0)


def test_identical_runs_show_no_difference():
    a = runs_table({0: [0.1, 0.4, 0.2]})
    table = compare(a, a.copy())
    assert not table["clear_difference"].any()
    assert (table["difference"] == 0).all() and (table["se"] == 0).all()
    assert verdict(table.iloc[0]) == "identical in every pair: no difference"


def test_a_consistent_paired_shift_is_found_although_replications_vary_more():
    a = runs_table({0: [0.1, 0.5, 0.3, 0.9, 0.2]})
    b = runs_table({0: [0.12, 0.51, 0.33, 0.91, 0.22]})
    row = compare(a, b, ["share_job"]).iloc[0]
    assert row["difference"] == pytest.approx(0.018)
    assert row["low"] > 0 and row["clear_difference"]
    assert verdict(row).startswith("B higher than A")


def test_pairs_need_both_runs_ok():
    a = runs_table({0: [0.1, 0.2, 0.3]}, status={(0, 1): "boom"})
    b = runs_table({0: [0.1, 0.2, 0.4]})
    row = compare(a, b, ["share_job"]).iloc[0]
    assert row["pairs"] == 2
    assert row["mean_b"] == pytest.approx(0.25)


def test_shares_get_wilson_intervals_within_0_and_1_and_other_outcomes_t_intervals():
    table = runs_table({0: [0.0, 0.02, 0.0]}).rename(columns={"share_job": "share_job_within_1_year"})
    table["mean_caseworker_changes"] = [0.0, 0.02, 0.0]
    table["citizens"] = 100
    summary = summarise(table, ["share_job_within_1_year", "mean_caseworker_changes"]).set_index("outcome")
    share, mean = summary.loc["share_job_within_1_year"], summary.loc["mean_caseworker_changes"]
    assert share["interval"] == "wilson" and 0 <= share["low"] <= share["mean"] <= share["high"] <= 1
    assert mean["interval"] == "t" and mean["low"] < 0  # a mean of counts keeps its t-interval
    every_run_alike = summarise(table.assign(share_job_within_1_year=0.0), ["share_job_within_1_year"]).iloc[0]
    assert every_run_alike["low"] == pytest.approx(0, abs=1e-12)  # 0 of 300 citizens: at 0, and still unsure above
    assert 0 < every_run_alike["high"] < 0.02
