"""Property tests: invariants that hold for every valid scenario (parameters drawn within declared bounds)."""

from __future__ import annotations

import dataclasses

import numpy as np
import param
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bipsim.contract.vocabulary import INDICATOR_KEYS, STATUS_KEYS
from bipsim.model import BipModel
from bipsim.scenario import GROUPS, Scenario, parameter_names

ABSORBING = ("disability_pension", "education", "out")
SIZE_LIMITS = {("population", "citizens"): (10, 200), ("population", "weeks"): (1, 30)}


def parameter_strategy(group: str, name: str) -> st.SearchStrategy:
    p = GROUPS[group].param[name]
    if (group, name) in SIZE_LIMITS:
        return st.integers(*SIZE_LIMITS[(group, name)])
    if isinstance(p, param.Boolean):
        return st.booleans()
    if isinstance(p, param.ListSelector):
        return st.lists(st.sampled_from(p.objects), unique=True, max_size=len(p.objects))
    if isinstance(p, param.Selector):
        return st.sampled_from(p.objects)
    lo, hi = p.bounds
    if isinstance(p, param.Integer):
        return st.integers(lo, min(hi, 10 * max(p.default, 1), lo + 2000))
    return st.floats(lo, hi, allow_nan=False, allow_infinity=False)


def fitting_together(values: dict) -> dict:
    """Values allowed one by one, made to fit together: survey waves fall on weeks the truth records."""
    every = values["records"]["latent_every_weeks"]
    values["survey"]["interval_weeks"] = every * max(1, values["survey"]["interval_weeks"] // every)
    return values


values_of_valid_scenarios = st.fixed_dictionaries(
    {
        group: st.fixed_dictionaries({name: parameter_strategy(group, name) for name in parameter_names(group)})
        for group in GROUPS
    }
).map(fitting_together)


# derandomize: the same 25 examples every run, so the suite is reproducible; widen max_examples locally to hunt.
@settings(max_examples=25, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(values=values_of_valid_scenarios, seed=st.integers(0, 2**32 - 1))
def test_invariants_of_any_valid_scenario(values, seed):
    scenario = Scenario(values, source="hypothesis")
    model = BipModel(scenario, seed=seed).run()
    n, weeks = scenario.population.citizens, scenario.population.weeks
    truth = model.truth()

    # every citizen is in exactly one status every week
    weekly = truth.weekly
    assert len(weekly) == n * weeks
    assert not weekly.duplicated(["citizen_id", "week"]).any()
    assert set(weekly["citizen_id"]) == set(range(n)) and set(weekly["week"]) == set(range(weeks))
    assert weekly["status"].notna().all()
    assert set(weekly["status"].astype(str)) <= set(STATUS_KEYS)
    counts = weekly.groupby("week", observed=True)["status"].value_counts().unstack(fill_value=0)
    assert (counts.sum(axis=1) == n).all()  # nobody appears or disappears
    assert len(truth.citizens) == n and truth.citizens["citizen_id"].is_unique

    # latent indicators stay on the 1-5 scale, recorded and current
    latent = truth.latent[list(INDICATOR_KEYS)].to_numpy()
    assert np.isfinite(latent).all() and latent.min() >= 1.0 and latent.max() <= 5.0
    assert model.citizens.latent.min() >= 1.0 and model.citizens.latent.max() <= 5.0
    expected_waves = len(range(0, weeks, scenario.records.latent_every_weeks))
    assert len(truth.latent) == n * expected_waves

    # no NaN anywhere in the numeric state
    for f in dataclasses.fields(model.citizens):
        column = np.asarray(getattr(model.citizens, f.name))
        if np.issubdtype(column.dtype, np.number):
            assert np.isfinite(column).all(), f.name
    assert np.isfinite(weekly["caseworker_belief"]).all()
    assert ((weekly["caseworker_belief"] >= 0) & (weekly["caseworker_belief"] <= 1)).all()
    assert np.isfinite(truth.market[["demand", "threshold_shift"]].to_numpy()).all()
    assert (truth.market["demand"] > 0).all() and (truth.market["vacancies"] >= 0).all()
    summary = model.summary()
    assert summary["citizens"] == n and summary["weeks"] == weeks
    for key, value in summary.items():
        assert key == "median_weeks_to_first_job" or np.isfinite(value), key

    # absorbing statuses are never left
    status = model.record["status"][:weeks]
    for key in ABSORBING:
        code = STATUS_KEYS.index(key)
        entered = (status == code).any(axis=0)
        first = np.where(entered, (status == code).argmax(axis=0), weeks)
        after = np.arange(weeks)[:, None] >= first[None, :]
        assert (status[after] == code).all(), key

    # the event log agrees with the weekly statuses
    events = truth.events
    assert events["week"].between(0, weeks - 1).all() and events["citizen_id"].between(0, n - 1).all()
    changed = int((status[1:] != status[:-1]).sum())
    assert (events["event"] == "status_change").sum() == changed

    # switched-off mechanisms leave no trace of their own events
    if not scenario.turnover.enabled:
        assert (events["event"] == "caseworker_change").sum() == 0
    if not scenario.readiness.enabled:
        assert (events["event"] == "health_shock").sum() == 0
    if not scenario.interventions.enabled:
        assert not events["event"].isin(["intervention_start", "intervention_end"]).any()
    if not scenario.waiting.enabled:
        assert not (weekly["status"] == "waiting").any()
    if not scenario.rules.enabled:
        assert (events["event"] == "exemption").sum() == 0


@pytest.mark.parametrize("share", [0.0, 1.0])
def test_history_share_at_its_bounds_runs(share):
    """Regression: these bounds once crashed population._history (rng.beta with a zero parameter)."""
    scenario = Scenario({"population": {"citizens": 50, "weeks": 2, "history_job_education_share": share}})
    model = BipModel(scenario, seed=0).run()
    assert model.truth().citizens["history_job_education_share"].between(0, 1).all()
