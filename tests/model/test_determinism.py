"""Determinism and common random numbers: same seed, same truth; one switch flipped, unaffected draws equal."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

import bipsim
from bipsim.model.truth import Truth

TABLES = [f.name for f in dataclasses.fields(Truth) if f.name not in ("scenario", "seed")]
SIZE = {"citizens": 600, "weeks": 60}


@pytest.fixture(scope="module")
def twice():
    return [bipsim.simulate(seed=11, **SIZE).truth() for _ in range(2)]


@pytest.fixture(scope="module", params=[1, 2])
def turnover_twins(request):
    seed = request.param
    on = bipsim.simulate(seed=seed, **SIZE)
    off = bipsim.simulate(seed=seed, turnover={"enabled": False}, **SIZE)
    return on.truth(), off.truth()


@pytest.mark.parametrize("table", TABLES)
def test_same_seed_gives_identical_tables(twice, table):
    first, second = twice
    assert len(getattr(first, table)) > 0
    pd.testing.assert_frame_equal(getattr(first, table), getattr(second, table))


def test_same_seed_gives_identical_summary_and_scenario(twice):
    first, second = twice
    assert first.scenario == second.scenario and first.seed == second.seed == 11
    a, b = bipsim.simulate(seed=11, **SIZE).summary(), bipsim.simulate(seed=11, **SIZE).summary()
    assert a == b


@pytest.mark.parametrize("table", ["citizens", "weekly", "latent", "events", "caseworkers", "employers", "network"])
def test_different_seeds_give_different_tables(twice, table):
    other = bipsim.simulate(seed=12, **SIZE).truth()
    assert not getattr(twice[0], table).equals(getattr(other, table))


def test_seed_sequence_and_integer_seed_agree():
    a = bipsim.simulate(seed=5, citizens=50, weeks=5).truth()
    b = bipsim.simulate(seed=np.random.SeedSequence(5), citizens=50, weeks=5).truth()
    pd.testing.assert_frame_equal(a.weekly, b.weekly)
    pd.testing.assert_frame_equal(a.events, b.events)


@pytest.mark.parametrize("table", ["citizens", "employers", "network"])
def test_twins_share_the_population(turnover_twins, table):
    on, off = turnover_twins
    pd.testing.assert_frame_equal(getattr(on, table), getattr(off, table))


def test_twins_share_the_initial_caseworkers(turnover_twins):
    on, off = turnover_twins
    columns = ["caseworker_id", "jobcentre", "style", "quality", "capacity", "start_week"]
    initial = len(off.caseworkers)
    assert len(on.caseworkers) > initial  # replacements were hired with turnover on
    pd.testing.assert_frame_equal(on.caseworkers[columns].iloc[:initial], off.caseworkers[columns])


def test_twins_share_week_zero_health_shocks_and_latent(turnover_twins):
    on, off = turnover_twins
    shocks = [
        t.events.query("week == 0 and event == 'health_shock'")[["citizen_id", "value"]].reset_index(drop=True)
        for t in (on, off)
    ]
    assert len(shocks[0]) > 0
    pd.testing.assert_frame_equal(*shocks)


def test_turnover_does_not_shift_the_readiness_stream(turnover_twins):
    """Health shocks depend only on the readiness stream and fixed traits (and on not having left the
    population), so with turnover switched off they are identical for every citizen who stays in both twins."""
    on, off = turnover_twins
    ever_out = set()
    for t in (on, off):
        ever_out |= set(t.weekly.loc[t.weekly["status"] == "out", "citizen_id"])
    shocks = []
    for t in (on, off):
        e = t.events
        shocks.append(
            e.loc[
                (e["event"] == "health_shock") & ~e["citizen_id"].isin(ever_out), ["week", "citizen_id", "value"]
            ].reset_index(drop=True)
        )
    assert len(shocks[0]) > 50
    pd.testing.assert_frame_equal(*shocks)
    # ... while the twins really differ where turnover acts
    assert (on.events["event"] == "caseworker_change").sum() > 0
    assert (off.events["event"] == "caseworker_change").sum() == 0
    assert not on.weekly["status"].equals(off.weekly["status"])
