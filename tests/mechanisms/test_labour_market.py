"""The labour market: business cycle, recessions and hiring."""

from __future__ import annotations

import numpy as np

from bipsim.mechanisms import labour_market

RECESSION = {"recession_depth": 0.5, "recession_start_week": 30, "recession_weeks": 40}


def test_demand_is_flat_when_off(run, seed):
    off = run(seed, labour_market={"enabled": False})
    market = off.truth.market
    assert len(market) == off.model.params.population.weeks
    assert (market["demand"] == 1.0).all()
    assert (market["threshold_shift"] == 0.0).all()


def test_demand_follows_the_cycle_when_on(run, seed):
    on = run(seed)
    market = on.truth.market
    p = on.model.params.labour_market
    np.testing.assert_allclose(market["demand"], labour_market.demand(market["week"].to_numpy(), p))
    assert market["demand"].std() > 0.01
    np.testing.assert_allclose(market["threshold_shift"], p.competition_sensitivity * (1 - market["demand"]))


def test_demand_formula():
    class P:
        enabled, cycle_amplitude, cycle_period_weeks, cycle_phase = True, 0.2, 100, 0.0
        recession_depth, recession_start_week, recession_weeks = 0.3, 10, 5

    weeks = np.arange(30)
    d = labour_market.demand(weeks, P)
    expected = 1 + 0.2 * np.sin(2 * np.pi * weeks / 100) - 0.3 * ((weeks >= 10) & (weeks < 15))
    np.testing.assert_allclose(d, expected)
    P.enabled = False
    np.testing.assert_allclose(labour_market.demand(weeks, P), 1.0)
    assert labour_market.demand(3, P) == 1.0


def test_recession_lowers_demand_vacancies_and_hires(run, seed):
    normal = run(seed)
    recession = run(seed, labour_market=RECESSION)
    during = slice(30, 70)
    a, b = normal.truth.market.set_index("week"), recession.truth.market.set_index("week")
    np.testing.assert_allclose(b["demand"].loc[30:69], a["demand"].loc[30:69] - 0.5)
    np.testing.assert_allclose(b["demand"].loc[:29], a["demand"].loc[:29])
    assert b["vacancies"].loc[30:69].sum() < 0.7 * a["vacancies"].loc[30:69].sum()

    def hires(r) -> int:
        e = r.events
        return int(((e["event"] == "hire") & e["week"].between(during.start, during.stop - 1)).sum())

    assert hires(recession) < 0.8 * hires(normal), (hires(recession), hires(normal))
    early = [
        r.events.query("event == 'hire' and week < 30")[["week", "citizen_id"]].reset_index(drop=True)
        for r in (normal, recession)
    ]
    assert early[0].equals(early[1])  # twins: identical until the recession starts


def test_hires_are_at_employers_tied_to_the_citizens_jobcentre(run, seed):
    r = run(seed)
    hires = r.events.query("event == 'hire'")
    assert len(hires) > 100
    jobcentre = r.truth.citizens.set_index("citizen_id")["jobcentre"]
    tied = {
        (j, e)
        for j, pool in enumerate(np.split(r.model.employer_pool, r.model.employer_pool_bounds[1:-1]))
        for e in pool
    }
    pairs = set(zip(jobcentre.loc[hires["citizen_id"]].to_numpy(), hires["employer_id"].to_numpy(), strict=True))
    assert pairs <= tied


def test_jobs_end_more_often_early(run, seed):
    r = run(seed)
    lengths = r.events.query("event == 'separation'")["value"]
    assert len(lengths) > 30
    assert (lengths >= 0).all()
    assert (lengths < 13).mean() > 0.3
