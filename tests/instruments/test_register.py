from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bipsim.contract.codes import BACKGROUND_COLUMNS, BENEFIT_CODES, BENEFIT_KEYS
from bipsim.contract.vocabulary import STATUS_KEYS, status_code
from bipsim.instruments.register import (
    _history_spells,
    benefit_codes_from_status,
    self_sufficiency,
)
from bipsim.instruments.weekly import job_ready_category


def test_one_row_per_citizen_week_with_known_codes(observed_run):
    register, weekly = observed_run.observed.register_weeks, observed_run.truth.weekly
    assert len(register) == len(weekly)
    assert not register.duplicated(["citizen_id", "week"]).any()
    assert set(register["benefit_code"].astype(str)) <= set(BENEFIT_KEYS)


def test_self_supporting_flag_follows_the_code_table(observed_run):
    register = observed_run.observed.register_weeks
    flag = {b.key: b.self_supporting for b in BENEFIT_CODES}
    assert (register["benefit_code"].astype(str).map(flag) == register["self_supporting"]).all()
    job = register["benefit_code"] == "ordinary_job"
    assert job.any() and register.loc[job, "self_supporting"].all()


def test_activity_and_waiting_are_coded_by_the_last_category():
    ar, jr, act, wait, job = (status_code(s) for s in ("activity_ready", "job_ready", "in_activity", "waiting", "job"))
    status = np.array([[act, ar, jr, act, wait, job], [ar, act, act, act, act, act]])
    codes = np.array(BENEFIT_KEYS)[benefit_codes_from_status(status)]
    assert codes[0].tolist() == [
        "kh_activity_ready",
        "kh_activity_ready",
        "kh_job_ready",
        "kh_job_ready",
        "kh_job_ready",
        "ordinary_job",
    ]
    assert set(codes[1]) == {"kh_activity_ready"}


def test_self_sufficiency_matches_counting_codes(observed_run):
    register = observed_run.observed.register_weeks
    share = self_sufficiency(register, 0, 52)
    window = register[register["week"] < 52]
    in_population = window["benefit_code"] != "out"
    expected = (window["self_supporting"] & in_population).groupby(window["citizen_id"]).sum() / in_population.groupby(
        window["citizen_id"]
    ).sum()
    pd.testing.assert_series_equal(share, expected.rename("self_sufficiency"), check_names=False)
    assert 0 < share.mean() < 1


def test_history_is_consistent_with_the_citizens_history_shares(observed_run):
    history, citizens = observed_run.observed.register_history, observed_run.truth.citizens
    weeks = history.groupby("citizen_id")["weeks"].sum()
    assert (weeks == 260).all()
    job_or_education = history["benefit_code"].isin(["ordinary_job", "education"])
    share = (history["weeks"] * job_or_education).groupby(history["citizen_id"]).sum() / 260
    np.testing.assert_allclose(share, citizens["history_job_education_share"], atol=1 / 260)
    before = self_sufficiency(observed_run.observed.register_weeks, -260, 0, history)
    np.testing.assert_allclose(1 - before, citizens["history_support_share"], atol=1 / 260)
    assert (history["start_week"] < history["end_week"]).all() and history["end_week"].max() == 0


def test_background_holds_register_characteristics_only(observed_run):
    background = observed_run.observed.citizens
    assert tuple(background.columns) == BACKGROUND_COLUMNS
    assert not any(c.startswith("baseline_") or c == "orientation" for c in background.columns)


def _ranks_by_sorting_every_week(block_key: np.ndarray, block_weeks: int, span: int) -> np.ndarray:
    week_block = np.arange(span) // block_weeks
    key = block_key[:, week_block] + np.arange(span) * 1e-9
    rank = np.empty(key.shape, dtype=np.int32)
    np.put_along_axis(rank, np.argsort(key, axis=1), np.arange(span, dtype=np.int32)[None, :], axis=1)
    return rank


@pytest.mark.parametrize(("block_weeks", "span"), [(13, 260), (1, 52), (7, 100), (52, 520)])
def test_history_spells_follow_the_weeks_ranked_by_sorting_every_week(block_weeks, span):
    rng = np.random.default_rng(block_weeks)
    n = 500
    block_key = rng.standard_normal((n, -(-span // block_weeks)))
    if block_key.shape[1] > 2:  # neighbouring blocks whose keys overlap once the weeks' tie-breaks are added
        block_key[:100, 1] = block_key[:100, 0] + rng.choice([0.0, 1e-12, -1e-12, 5e-10, -5e-10], 100)
        block_key[::7, 2] = block_key[::7, 0]
    job_weeks = rng.integers(0, span // 2, n).astype(np.int32)
    support_weeks = rng.integers(0, span // 2, n).astype(np.int32)
    rank = _ranks_by_sorting_every_week(block_key, block_weeks, span)
    kind = np.zeros((n, span), dtype=np.int8)
    kind[rank < job_weeks[:, None]] = 1
    kind[rank >= span - support_weeks[:, None]] = 2
    new_spell = np.ones((n, span), dtype=bool)
    new_spell[:, 1:] = kind[:, 1:] != kind[:, :-1]
    starts, kinds = _history_spells(block_key, block_weeks, span, job_weeks, support_weeks)
    np.testing.assert_array_equal(starts, np.flatnonzero(new_spell))
    np.testing.assert_array_equal(kinds, kind.ravel()[np.flatnonzero(new_spell)])


CATEGORY_STATUSES = ["activity_ready", "job_ready", "sick", "job", "waiting"]


@given(
    st.integers(1, 12).flatmap(
        lambda weeks: st.lists(
            st.lists(st.sampled_from(CATEGORY_STATUSES), min_size=weeks, max_size=weeks), min_size=1, max_size=6
        )
    )
)
@settings(max_examples=200, deadline=None)
def test_job_ready_category_is_the_last_category_seen(rows):
    status = np.array([[status_code(s) for s in row] for row in rows], dtype=np.int8)
    expected = np.zeros(status.shape, dtype=bool)
    for i, row in enumerate(rows):
        category = "activity_ready"  # every citizen enters the study activity-ready
        for week, value in enumerate(row):
            if value in ("activity_ready", "job_ready"):
                category = value
            expected[i, week] = category == "job_ready"
    np.testing.assert_array_equal(job_ready_category(status), expected)


@given(st.lists(st.lists(st.sampled_from(STATUS_KEYS), min_size=5, max_size=5), min_size=1, max_size=6))
@settings(max_examples=100, deadline=None)
def test_every_week_gets_its_status_code_or_its_category_code(rows):
    status = np.array([[status_code(s) for s in row] for row in rows], dtype=np.int8)
    by_status = {s: b.key for b in BENEFIT_CODES for s in b.statuses}
    category = job_ready_category(status)
    codes = np.array(BENEFIT_KEYS)[benefit_codes_from_status(status)]
    for i, row in enumerate(rows):
        for week, value in enumerate(row):
            social_assistance = "kh_job_ready" if category[i, week] else "kh_activity_ready"
            assert codes[i, week] == by_status.get(value, social_assistance)
