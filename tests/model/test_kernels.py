"""The compiled weekly loops choose and order exactly what the array definitions of their rules do.

Each loop replaced numpy code whose order mattered (who is met first, who gets a place, which employer); the
references here are those array definitions, written out once more, and the loops must agree with them on
the state of a running model and on random inputs.
"""

from __future__ import annotations

import importlib
import pkgutil

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bipsim
from bipsim.contract.vocabulary import status_code
from bipsim.engine.columns import ON_BENEFIT
from bipsim.engine.kernels import NORMALS_COMPILED_FROM, pick_employers, standard_normal
from bipsim.mechanisms import meetings, waiting
from bipsim.model import BipModel
from bipsim.model.model import status_of
from bipsim.scenario import load_scenario


def rank_within_groups(sorted_groups: np.ndarray) -> np.ndarray:
    """Position of each element within its run of equal values in an already sorted array."""
    position = np.arange(sorted_groups.size)
    starts_here = np.ones(sorted_groups.size, dtype=bool)
    starts_here[1:] = sorted_groups[1:] != sorted_groups[:-1]
    return position - np.maximum.accumulate(np.where(starts_here, position, 0))


def model_at_week(week: int, seed: int = 5, citizens: int = 600) -> BipModel:
    model = BipModel(load_scenario("baseline").replace(population={"citizens": citizens, "weeks": week + 2}), seed=seed)
    for _ in range(week):
        model.step()
    return model


def reference_pick(pool, bounds, weights, jobcentres, draws):
    cumulative = np.concatenate(([0.0], np.cumsum(weights[pool], dtype=float)))
    low, high = cumulative[bounds[jobcentres]], cumulative[bounds[jobcentres + 1]]
    position = np.searchsorted(cumulative, low + draws * (high - low), side="right") - 1
    position = np.clip(position, bounds[jobcentres], bounds[jobcentres + 1] - 1)
    return np.where(high > low, pool[position], -1).astype(np.int32)


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), jobcentres=st.integers(1, 6), zero_share=st.floats(0.0, 1.0))
def test_pick_employers_matches_the_cumulative_search(seed, jobcentres, zero_share):
    rng = np.random.default_rng(seed)
    sizes = rng.integers(0, 6, jobcentres)  # a jobcentre may have no tied employer; the model has some
    sizes[0] = max(sizes[0], 1)
    bounds = np.concatenate(([0], np.cumsum(sizes)))
    employers = 12
    pool = rng.integers(0, employers, bounds[-1]).astype(np.int32)
    weights = np.where(rng.random(employers) < zero_share, 0.0, rng.random(employers))  # some have no weight
    centres = rng.integers(0, jobcentres, 40).astype(np.int16)
    draws = rng.random(40, dtype=np.float32)
    expected = reference_pick(pool, bounds, weights, centres, draws)
    np.testing.assert_array_equal(pick_employers(pool, bounds, weights, centres, draws), expected)


@pytest.mark.parametrize("week", [3, 30])
def test_meetings_are_held_in_each_caseworkers_order_of_urgency(week):
    model = model_at_week(week)
    c, cw = model.citizens, model.caseworkers
    priority = np.random.default_rng(week).random(c.size, dtype=np.float32)  # what the step draws first
    due = np.flatnonzero(
        (c.exit_status == ON_BENEFIT)
        & (c.sick_until <= week)
        & (c.caseworker >= 0)
        & (c.next_meeting <= week)
        & (c.exempt_until <= week)
    )
    overdue = (week - c.next_meeting[due]) + priority[due]
    order = np.lexsort((-overdue, c.caseworker[due]))
    ranked = due[order]
    expected = ranked[rank_within_groups(c.caseworker[ranked]) < cw.capacity[c.caseworker[ranked]]]
    assert expected.size > 0
    held = meetings.step(model, np.random.default_rng(week), np.ones(c.size))  # draws the same priorities first
    np.testing.assert_array_equal(held, expected)


@pytest.mark.parametrize("slot", [0, 1])
def test_free_places_go_to_the_longest_waiting(slot):
    model = model_at_week(40, citizens=1500)
    c = model.citizens
    tie = np.random.default_rng(slot).random(c.size, dtype=np.float32)
    group_of, places = model.jobcentre_group_offset, model.places.ravel()
    queued = np.flatnonzero(c.queue[:, slot] >= 0)
    running = c.programme[:, slot] >= 0
    free = places - np.bincount(group_of[running] + c.programme[running, slot], minlength=places.size)
    group = group_of[queued] + c.queue[queued, slot]
    queued, group = queued[free[group] > 0], group[free[group] > 0]
    order = np.lexsort((tie[queued], c.queue_since[queued, slot], group))
    queued, group = queued[order], group[order]
    expected = np.sort(queued[rank_within_groups(group) < free[group]])
    admitted = waiting._admit(
        c.queue[:, slot], c.queue_since[:, slot], c.programme[:, slot], group_of, places, tie, True
    )
    assert admitted is not None
    np.testing.assert_array_equal(admitted, expected)


def test_status_follows_the_precedence_of_the_weekly_statuses():
    job, none = 0, -1
    assert status_of(status_code("job"), 99, job, job, job, job, True, 5) == status_code("job")
    assert status_of(ON_BENEFIT, 9, job, none, none, none, True, 5) == status_code("sick")
    assert status_of(ON_BENEFIT, 0, none, job, job, none, True, 5) == status_code("in_activity")
    assert status_of(ON_BENEFIT, 0, none, none, none, job, True, 5) == status_code("waiting")
    assert status_of(ON_BENEFIT, 0, none, none, none, none, True, 5) == status_code("job_ready")
    assert status_of(ON_BENEFIT, 0, none, none, none, none, False, 5) == status_code("activity_ready")


@pytest.mark.parametrize("shape", [1, NORMALS_COMPILED_FROM - 1, NORMALS_COMPILED_FROM, 4000, (317, 16), (700, 5, 11)])
@pytest.mark.parametrize("seed", [0, 7, 2**40])
def test_compiled_normals_are_numpys_normals(shape, seed):
    """Same numbers, and the generator is left where numpy leaves it: the next draw agrees as well."""
    compiled, reference = (np.random.Generator(np.random.PCG64(seed)) for _ in range(2))
    drawn, expected = standard_normal(compiled, shape), reference.standard_normal(shape)
    assert drawn.shape == expected.shape
    np.testing.assert_array_equal(drawn, expected)
    assert compiled.random() == reference.random()


def compiled_loops() -> list:
    """Every compiled loop (numba dispatcher) defined in bipsim's modules."""
    from numba.core.registry import CPUDispatcher

    loops = {}
    for info in pkgutil.walk_packages(bipsim.__path__, "bipsim."):
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if isinstance(value, CPUDispatcher) and value.py_func.__module__.startswith("bipsim."):
                loops[value.py_func.__qualname__, value.py_func.__module__] = value
    return list(loops.values())


def test_compiled_loops_call_compiled_loops_of_their_own_file_only():
    """numba's cache does not notice when a compiled function called from another file changes.

    A loop calling one from another file would then run, after an edit of that file, with its old version
    linked in (stale results, or a crash when the cached code is loaded next to the new one).
    """
    loops = compiled_loops()
    assert len(loops) > 20
    compiled = {id(loop) for loop in loops}
    across = []
    for loop in loops:
        home = loop.py_func.__code__.co_filename
        for name in loop.py_func.__code__.co_names:
            called = loop.py_func.__globals__.get(name)
            if id(called) in compiled and called.py_func.__code__.co_filename != home:
                across.append(f"{loop.py_func.__qualname__} calls {name}")
    assert not across, across


def test_each_loop_compiled_is_announced_once_with_how_many_are_left(monkeypatch):
    import numba

    from bipsim.engine import kernels

    inner = numba.njit(lambda x: x + 1)  # never cached: compiled here
    outer = numba.njit(lambda x: inner(x) * 2)
    unused = numba.njit(lambda x: x - 1)
    elsewhere = numba.njit(lambda x: x * 3)  # not a bipsim loop: not announced
    monkeypatch.setattr(kernels, "LOOPS", [inner, outer, unused])
    notes = []
    kernels.announce_compilation(notes.append)
    assert outer(1) + outer(2.0) + elsewhere(1) == 13
    assert notes == [kernels.COMPILING_NOTE, f"compiling loop 1 of up to 2 ({kernels.loop_name(outer)})"]
    assert kernels.called_loops(outer) == [inner]
