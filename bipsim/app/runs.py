"""Finished runs, shared by every session of the server: a small process-wide cache keyed by (scenario, seed).

A run is a pure function of its scenario and seed and its tables are read-only, so sessions can share finished
runs without sharing any state. A run under way is shared too: a session that asks for it waits for it, and the
run stops early only when every session that asked for it has stopped waiting (cancelled or pressed Run again).
:func:`warm_up` starts the first page's run when the server starts.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import os
import threading
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout

from bipsim.app.data import Progress, RunResult, run_scenario
from bipsim.scenario import Scenario

CACHE_SIZE = 6
WAIT_REPORT_SECONDS = 0.2  # how often a session waiting for another's computation hears its progress
COMPUTING = threading.BoundedSemaphore(max(os.cpu_count() or 1, 1))
"""Computations that run at once, one per core: twenty students pressing Run together get their runs one after
another at full speed (the first in seconds) instead of all at a twentieth of the speed (all after minutes)."""
LATER_TABLES_AFTER = 2.0
"""Seconds after a run is delivered that its remaining tables are made: the server's event loop builds and sends
the open tab's figures in that time, and Python threads share one interpreter lock, so making the tables at once
made Run -> figures a quarter slower at BIP scale. A tab opened sooner makes the table it needs itself."""
Runner = Callable[..., RunResult]
"""``runner(scenario, seed, progress)``: a run of the model reduced to the sandbox's tables."""


def release_memory() -> None:
    """Give the memory of a finished computation's model and tables back to the system, not only to Python.

    The reduced tables of a run are a few hundred kB, its model and tables hundreds of MB; once they are freed,
    C's allocator keeps most of that for later unless asked to return it (glibc's ``malloc_trim``), so a
    shared server would keep the peak of its biggest run for good.
    """
    gc.collect()
    name = ctypes.util.find_library("c")
    if name:
        trim = getattr(ctypes.CDLL(name), "malloc_trim", None)
        if trim is not None:
            trim(0)


def complete(result: RunResult) -> None:
    """Make a delivered run's remaining tables (:data:`~bipsim.app.data.LATER`), then give its model's memory back.

    It waits for a core like a run does, so a class's queued runs are not slowed by it.
    """
    try:
        with COMPUTING:
            result.complete()
    finally:
        release_memory()


class Unwanted(Exception):
    """Raised inside a computation that no session waits for any more, so it stops early."""


class _Computation:
    """A run being computed (or computed): its future, how many still want it, and its latest progress."""

    def __init__(self) -> None:
        self.future: Future = Future()
        self.wanted = 1
        self.reported = (0, 1)


class ResultCache:
    """A thread-safe, bounded cache of finished runs by (scenario as TOML, seed).

    A run asked for while the same run is already being computed (say by :func:`warm_up` at server start, or by
    another session with the same settings) waits for that computation instead of starting a second one, and
    sees its progress. Whoever stops waiting (its ``progress`` raises, as a cancelled or replaced job's does)
    leaves the computation to the others; it stops only when nobody wants it any more.
    """

    def __init__(self, size: int = CACHE_SIZE, compute: Runner = run_scenario) -> None:
        self._items: OrderedDict[tuple[str, int], _Computation] = OrderedDict()
        self._lock = threading.Lock()
        self.size = size
        self.compute = compute

    def run(self, scenario: Scenario, seed: int, progress: Progress | None = None) -> RunResult:
        """The run of (scenario, seed): from the cache, from a computation under way, or computed now."""
        key = (scenario.to_toml(), seed)
        with self._lock:
            computation = self._items.get(key)
            mine = computation is None
            if mine:
                computation = self._items[key] = _Computation()
                while len(self._items) > self.size:
                    self._items.popitem(last=False)
            else:
                self._items.move_to_end(key)
                if not computation.future.done():
                    computation.wanted += 1
        if mine:
            return self._compute(key, computation, scenario, seed, progress)
        return self._wait(key, computation, progress)

    def _let_go(self, key: tuple[str, int], computation: _Computation) -> bool:
        """One asker stops waiting; True when nobody wants the computation any more (it is then forgotten)."""
        with self._lock:
            computation.wanted -= 1
            if computation.wanted > 0:
                return False
            if self._items.get(key) is computation:
                del self._items[key]
            return True

    def _compute(
        self, key: tuple[str, int], computation: _Computation, scenario: Scenario, seed: int, progress: Progress | None
    ) -> RunResult:
        own = [progress]  # the asker's own progress, None once it stopped waiting

        def shared(done: int, total: int) -> None:
            computation.reported = (done, total)
            report = own[0]
            if report is None:
                if computation.wanted <= 0:
                    raise Unwanted
                return
            try:
                report(done, total)
            except Exception:
                own[0] = None
                if self._let_go(key, computation):
                    raise
                # others still wait: go on computing for them; this asker's result will be dropped

        try:
            while not COMPUTING.acquire(timeout=WAIT_REPORT_SECONDS):  # queued: a cancel still stops the wait
                if progress is not None:
                    shared(0, scenario.population.weeks)
            try:
                result = self.compute(scenario, seed, shared if progress is not None else None)
            finally:
                COMPUTING.release()
        except BaseException as exc:
            with self._lock:
                if self._items.get(key) is computation:
                    del self._items[key]
            computation.future.set_exception(exc)
            release_memory()
            raise
        computation.future.set_result(result)
        if isinstance(result, RunResult):
            later = threading.Timer(LATER_TABLES_AFTER, complete, args=(result,))
            later.name, later.daemon = "bipsim-later-tables", True
            later.start()
        else:  # a stand-in computation (tests)
            release_memory()
        return result

    def _wait(self, key: tuple[str, int], computation: _Computation, progress: Progress | None) -> RunResult:
        """Wait for another asker's computation, passing its progress on; raise what ``progress`` raises."""
        while True:
            try:
                result = computation.future.result(timeout=WAIT_REPORT_SECONDS)
            except FutureTimeout:
                if progress is not None:
                    try:
                        progress(*computation.reported)
                    except Exception:
                        self._let_go(key, computation)
                        raise
                continue
            if progress is not None:
                progress(*computation.reported)
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
