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


def test_cancel_stops_the_work_and_says_so_in_the_page_language():
    job = Job("run", "running")
    steps = []

    def counted(progress):  # noqa: ANN001
        for week in range(1, 2001):
            progress(week, 2000)
            steps.append(week)
            time.sleep(0.002)
        return "finished"

    async def press_and_cancel():
        task = asyncio.create_task(job.submit(counted, total=2000))
        await asyncio.sleep(0.3)
        assert job.running and job.cancel_button.visible
        job.cancel()
        return await task

    assert in_own_loop(press_and_cancel()) is None
    assert len(steps) < 2000 and job.completed == 0
    assert not job.running and not job.progress.visible and not job.error.visible
    assert job.status.object == "Cancelled. The figures show the last finished run."
    job.language = "da"
    assert job.status.object.startswith("Annulleret.") and job.cancel_button.label == "✕ Annullér"


def shared_cache(weeks: int = 300) -> tuple[ResultCache, list[int], SimpleNamespace]:
    """A cache whose computations count how often they run, and a scenario to ask it for."""
    started: list[int] = []

    def compute(scenario, seed, progress):  # noqa: ANN001, ANN202
        started.append(seed)
        return slow(f"run of seed {seed}", scenario.population.weeks, progress)

    scenario = SimpleNamespace(to_toml=lambda: "the same scenario", population=SimpleNamespace(weeks=weeks))
    return ResultCache(compute=compute), started, scenario


def test_two_sessions_share_a_run_and_one_changing_its_mind_does_not_stop_the_others():
    """A and B ask for the same run; A presses Run again with another seed: B still gets the shared run."""
    cache, started, scenario = shared_cache()
    a, b = Job("run", "running"), Job("run", "running")

    async def two_sessions():
        first_a = asyncio.create_task(a.submit(cache.run, scenario, 3, total=300))
        await asyncio.sleep(0.1)
        first_b = asyncio.create_task(b.submit(cache.run, scenario, 3, total=300))
        await asyncio.sleep(0.2)
        second_a = await a.submit(cache.run, scenario, 4, total=300)
        return await first_a, await first_b, second_a

    assert in_own_loop(two_sessions()) == (None, "run of seed 3", "run of seed 4")
    assert started == [3, 4]  # B waited for A's computation, which went on for B; it never started a second


def test_cancelling_a_wait_for_a_shared_run_leaves_the_other_session_waiting():
    cache, started, scenario = shared_cache()
    a, b = Job("run", "running"), Job("run", "running")

    async def two_sessions():
        first_a = asyncio.create_task(a.submit(cache.run, scenario, 5, total=300))
        await asyncio.sleep(0.1)
        first_b = asyncio.create_task(b.submit(cache.run, scenario, 5, total=300))
        await asyncio.sleep(0.3)
        b.cancel()  # the waiter cancels: the computation goes on for A
        return await first_a, await first_b

    assert in_own_loop(two_sessions()) == ("run of seed 5", None)
    assert started == [5] and b.status.object.startswith("Cancelled")


def test_a_run_nobody_waits_for_any_more_stops_early_and_is_computed_again_when_asked():
    cache, started, scenario = shared_cache(weeks=2000)
    job = Job("run", "running")

    async def cancel_then_ask_again():
        first = asyncio.create_task(job.submit(cache.run, scenario, 6, total=2000))
        await asyncio.sleep(0.2)
        job.cancel()
        assert await first is None
        return await job.submit(cache.run, scenario, 6, total=2000)

    began = time.perf_counter()
    assert in_own_loop(cancel_then_ask_again()) == "run of seed 6"
    assert started == [6, 6] and time.perf_counter() - began < 2 * 2000 * 0.002 + 5


def test_runs_are_computed_one_per_core_and_a_queued_run_can_be_cancelled():
    """Twenty presses at once get their runs one after another at full speed, not all at once at a twentieth."""
    from bipsim.app.runs import COMPUTING

    cores = COMPUTING._initial_value
    running, most = [0], [0]
    lock = threading.Lock()

    def compute(scenario, seed, progress):  # noqa: ANN001, ANN202
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        try:
            return slow(f"seed {seed}", 50, progress)
        finally:
            with lock:
                running[0] -= 1

    cache = ResultCache(compute=compute)
    jobs = [Job("run", "running") for _ in range(cores + 3)]

    async def everybody_presses_run():
        def scenario(seed: int) -> SimpleNamespace:
            return SimpleNamespace(to_toml=lambda: f"scenario {seed}", population=SimpleNamespace(weeks=50))

        tasks = [asyncio.create_task(job.submit(cache.run, scenario(i), i, total=50)) for i, job in enumerate(jobs)]
        await asyncio.sleep(0.05)
        jobs[-1].cancel()  # the last one waits in the queue, and gives up
        return await asyncio.gather(*tasks)

    results = in_own_loop(everybody_presses_run())
    assert most[0] <= cores
    assert results[:-1] == [f"seed {i}" for i in range(cores + 2)] and results[-1] is None
