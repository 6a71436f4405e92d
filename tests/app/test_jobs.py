"""A button's work off the event loop (:class:`~bipsim.app.jobs.Job`) and the shared cache of finished runs."""

from __future__ import annotations

import asyncio
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace

from bipsim.app.jobs import Job
from bipsim.app.runs import ResultCache


def in_own_loop(coroutine):  # noqa: ANN001, ANN201
    """Run ``coroutine`` on an event loop of its own thread (the browser tests' driver may own this thread's)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result(timeout=30)


def slow(label: str, weeks: int, progress) -> str:  # noqa: ANN001
    """A job of ``weeks`` short steps that reports each."""
    for week in range(1, weeks + 1):
        progress(week, weeks)
        time.sleep(0.002)
    return label


def test_a_second_press_replaces_the_first_and_only_the_second_is_shown():
    job = Job("run", "running")

    async def press_twice():
        first = asyncio.create_task(job.submit(slow, "first", 200, total=200))
        await asyncio.sleep(0.05)
        second = await job.submit(slow, "second", 200, total=200)
        return await first, second

    assert in_own_loop(press_twice()) == (None, "second")
    assert job.completed == 1
    assert not job.progress.visible and not job.error.visible


def test_a_failure_is_shown_in_words_of_the_page_language():
    job = Job("compare", "comparing")

    def broken(progress):  # noqa: ANN001
        progress(1, 4)
        raise RuntimeError("deliberate failure")

    assert in_own_loop(job.submit(broken, total=4)) is None
    assert job.error.visible and job.error.object == "The run failed: RuntimeError: deliberate failure"
    job.language = "da"
    assert job.error.object == "Kørslen mislykkedes: RuntimeError: deliberate failure"
    job.hide_error()
    assert not job.error.visible


def test_the_status_line_follows_the_language():
    job = Job("run", "running", "tabulating")
    job.say("running", done=3, total=10)
    job.language = "da"
    assert job.status.object == "Kører uge 3 af 10…"


def test_progress_is_shown_a_few_times_a_second_not_at_every_step():
    job = Job("recover", "recovering")
    shown = []
    job.status.param.watch(lambda event: shown.append(event.new), "object")
    assert in_own_loop(job.submit(slow, "done", 1000, total=1000)) == "done"
    assert shown[0] == "Recovery: replication 0 of 1000…"
    assert 3 <= len(shown) < 100  # the work reported 1000 steps in about two seconds
    done = [int(text.split()[2]) for text in shown]
    assert done == sorted(done) and done[-1] > 0
    assert not job.progress.visible


def test_pressing_run_twice_on_the_same_scenario_and_seed_shows_the_run():
    """The second press waits for the first press's computation, which stops because it was replaced."""
    started = threading.Event()

    def compute(scenario, seed, progress):  # noqa: ANN001, ANN202
        started.set()
        return slow(f"run of seed {seed}", scenario.population.weeks, progress)

    cache = ResultCache(compute=compute)
    scenario = SimpleNamespace(to_toml=lambda: "the same scenario", population=SimpleNamespace(weeks=200))
    job = Job("run", "running")

    async def press_twice():
        first = asyncio.create_task(job.submit(cache.run, scenario, 0, total=200))
        await asyncio.to_thread(started.wait, 10)
        second = await job.submit(cache.run, scenario, 0, total=200)
        return await first, second

    assert in_own_loop(press_twice()) == (None, "run of seed 0")
