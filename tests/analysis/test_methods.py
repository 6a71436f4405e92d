"""The declared methods: what each estimates, sees and assumes, and that every estimate row is one of them."""

from __future__ import annotations

import math

import pytest

import bipsim
from bipsim.analysis import analyze
from bipsim.analysis.estimates import MIN_EVENTS, MIN_EXPOSED, too_thin
from bipsim.analysis.methods import ASSUMPTION_KEYS, FAILURES, LENSES, METHOD_KEYS, METHODS, method, reason
from bipsim.contract.estimands import ESTIMAND_KEYS, ESTIMAND_KIND_KEYS, estimand_kind
from bipsim.instruments import observe


@pytest.fixture(scope="module")
def estimates():
    return analyze(observe(bipsim.simulate("baseline", seed=5, citizens=3000, weeks=140)), tables=False).estimates


def test_every_method_targets_a_declared_estimand_on_its_own_outcome():
    assert len(set(METHOD_KEYS)) == len(METHOD_KEYS)
    for entry in METHODS:
        assert entry.estimand_kind in ESTIMAND_KIND_KEYS, entry.key
        assert estimand_kind(entry.estimand_kind).outcome == entry.outcome, entry.key
        assert entry.lens in {lens.key for lens in LENSES}
        assert entry.mechanisms and set(entry.mechanisms) <= set(ESTIMAND_KEYS)
        assert entry.assumptions and set(entry.assumptions) <= set(ASSUMPTION_KEYS)
        assert entry.en and entry.da and entry.description
    for mechanism, name in FAILURES:
        assert mechanism in ESTIMAND_KEYS and name in ASSUMPTION_KEYS


def test_weights_towards_everyone_and_towards_the_exposed_target_different_estimands():
    for outcome in ("job_entry", "job_1y", "self_sufficiency_2y"):
        average, exposed = method("register_ipw", outcome), method("register_ipw_att", outcome)
        assert estimand_kind(average.estimand_kind).contrast == "forced"  # no twin gives it
        assert estimand_kind(exposed.estimand_kind).contrast == "removed"


def test_every_estimate_row_is_a_declared_method_and_every_declared_row_is_estimated(estimates):
    rows = set(zip(estimates["estimand"], estimates["method"], estimates["outcome"], strict=True))
    assert {(m, o) for _, m, o in rows} <= set(METHOD_KEYS)
    declared = {(mechanism, m.key, m.outcome) for m in METHODS for mechanism in m.mechanisms}
    assert declared <= rows


def test_rows_rest_on_enough_exposed_citizens_and_events_or_say_how_few(estimates):
    assert too_thin(MIN_EXPOSED, MIN_EVENTS) is None
    assert "19 exposed citizens and 50 events" in too_thin(MIN_EXPOSED - 1, 50)
    contrasts = estimates[estimates["outcome"] != "theme_prevalence"]
    estimated = contrasts[contrasts["estimate"].notna()]
    assert len(estimated) > 20
    assert (estimated["exposed"] >= MIN_EXPOSED).all() and (estimated["events"] >= MIN_EVENTS).all()
    thin = contrasts[contrasts["note"].str.startswith("too thin")]
    assert len(thin) and thin["estimate"].isna().all()
    for row in thin.itertuples():
        assert f"{row.exposed} exposed citizens and {row.events} events" in row.note


def test_the_mediation_is_the_product_of_its_two_paths(monkeypatch):
    import bipsim.analysis.estimates as estimates_module

    monkeypatch.setattr(estimates_module, "MIN_EVENTS", 1)  # a small run: every activity estimable
    monkeypatch.setattr(estimates_module, "MIN_EXPOSED", 5)
    observed = observe(bipsim.simulate("baseline", seed=6, citizens=2000, weeks=140))
    rows = analyze(observed, tables=False).estimates
    rows = rows[(rows["method"] == "survey_mediation") & rows["estimate"].notna()]
    assert len(rows) >= 2
    for row in rows.itertuples():
        alpha, beta = (float(part.split()[0]) for part in row.note.split(": ")[1].split(" x "))
        assert row.estimate == pytest.approx(alpha * beta, abs=1e-3)
        assert math.isfinite(row.se) and row.se > 0


def test_the_reason_names_the_assumptions_that_fail():
    text = reason("register_hazard", "job_entry", "caseworker_belief")
    assert "exposure measured as it acts fails" in text and "0.3" in text
    assert reason("register_hazard", "job_entry", "waiting") == "the method cannot see this exposure"
    assert "support has its after-effect only alongside job-focused help" in reason(
        "register_naive", "job_entry", "mentor"
    )
