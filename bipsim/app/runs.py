"""Finished runs, shared by every session of the server: a small process-wide cache keyed by (scenario, seed).

A run is a pure function of its scenario and seed and its tables are read-only, so sessions can share finished
runs without sharing any state. :func:`warm_up` starts the first page's run when the server starts.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future

from bipsim.app.data import Progress, RunResult, run_scenario
from bipsim.scenario import Scenario

CACHE_SIZE = 6
Runner = Callable[..., RunResult]
"""``runner(scenario, seed, progress)``: a run of the model reduced to the sandbox's tables."""


class ResultCache:
    """A thread-safe, bounded cache of finished runs by (scenario as TOML, seed).

    A run asked for while the same run is already being computed (say by :func:`warm_up` at server start, or by
    the run that a second press of Run replaces) waits for that computation instead of starting a second one.
    If that computation does not finish (a replaced run stops early), the waiter computes the run itself.
    """

    def __init__(self, size: int = CACHE_SIZE, compute: Runner = run_scenario) -> None:
        self._items: OrderedDict[tuple[str, int], Future] = OrderedDict()
        self._lock = threading.Lock()
        self.size = size
        self.compute = compute

    def run(self, scenario: Scenario, seed: int, progress: Progress | None = None) -> RunResult:
        """The run of (scenario, seed): from the cache, from a computation under way, or computed now."""
        key = (scenario.to_toml(), seed)
        while True:
            with self._lock:
                future = self._items.get(key)
                mine = future is None
                if mine:
                    future = self._items[key] = Future()
                    while len(self._items) > self.size:
                        self._items.popitem(last=False)
                else:
                    self._items.move_to_end(key)
            if mine:
                break
            try:
                result = future.result()
            except Exception:  # noqa: BLE001, S112 - its owner stopped or failed and reports that itself
                continue
            if progress is not None:
                progress(scenario.population.weeks, scenario.population.weeks)
            return result
        try:
            result = self.compute(scenario, seed, progress)
        except BaseException as exc:
            with self._lock:
                self._items.pop(key, None)
            future.set_exception(exc)
            raise
        future.set_result(result)
        return result


CACHE = ResultCache()


def cached_run(scenario: Scenario, seed: int, progress: Progress | None = None) -> RunResult:
    """:func:`~bipsim.app.data.run_scenario` through the process-wide :data:`CACHE`."""
    return CACHE.run(scenario, seed, progress)


_warmed = threading.Event()


def warm_up(scenario: Scenario, seed: int = 0) -> None:
    """Start the first page's run in the background once per process, so the first visitor waits less."""
    if _warmed.is_set():
        return
    _warmed.set()

    def run() -> None:
        try:
            CACHE.run(scenario, seed)
        except Exception:  # noqa: BLE001, S110 - the session that asks for it reports the failure itself
            pass

    threading.Thread(target=run, name="bipsim-warm-up", daemon=True).start()
