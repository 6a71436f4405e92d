"""Search effort: it falls with time on benefit, after rejections and while in a programme, and not when off."""

from __future__ import annotations

import numpy as np

from bipsim.engine.columns import JOB_SLOT
from bipsim.mechanisms import search


def test_the_factor_is_one_when_switched_off(built):
    model = built(1, steps=5, search={"enabled": False})
    model.citizens.benefit_weeks[:] = 500
    model.citizens.rejections[:] = 10
    np.testing.assert_array_equal(search.factor(model), 1.0)


def test_search_falls_with_duration_down_to_the_floor(built):
    model = built(1, steps=1)
    c, p = model.citizens, model.params.search
    c.programme[:] = -1
    c.rejections[:] = 0
    c.benefit_weeks[:3] = (0, 104, 5200)
    first, two_years, forever = search.factor(model)[:3]
    assert first == 1.0
    np.testing.assert_allclose(two_years, np.exp(-2 * p.duration_decline))
    assert forever == p.duration_floor


def test_rejections_discourage_and_fade(built):
    model = built(1, steps=1)
    c, p = model.citizens, model.params.search
    c.programme[:], c.benefit_weeks[:], c.rejections[:] = -1, 0, 0
    contacted = np.arange(4)
    search.remember(model, contacted, np.array([True, False, False, False]))
    np.testing.assert_array_equal(c.rejections[:4], [0, 1, 1, 1])
    np.testing.assert_allclose(search.factor(model)[1], 1 - p.rejection_effect)
    search.remember(model, np.array([], dtype=np.int64), np.array([], dtype=bool))
    np.testing.assert_allclose(c.rejections[1], np.exp(-1 / p.rejection_memory_weeks))


def test_a_programme_locks_search_in(built):
    model = built(1, steps=1)
    c, p = model.citizens, model.params.search
    c.programme[:], c.benefit_weeks[:], c.rejections[:] = -1, 0, 0
    c.programme[0, JOB_SLOT] = 0
    factor = search.factor(model)
    assert factor[0] == p.lock_in_factor and factor[1] == 1.0


def test_without_discouragement_and_lock_in_more_citizens_find_jobs(run, seed):
    """Twins with common random numbers: switching the mechanism off raises job entries."""
    on, off = run(seed), run(seed, search={"enabled": False})
    assert off.count("hire") > on.count("hire")
