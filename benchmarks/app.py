"""How long a user of the sandbox waits, measured in headless Chromium (issues 5 and 18).

First, one session at a time: the median over fresh sessions (tabs) of the app served in this process as
``bipsim app`` serves it, from opening the page to the first rendered figure (held to 3 s), and from pressing Run
after switching a mechanism off to updated figures at BIP scale, 4,000 citizens over 208 weeks (held to 1.5 s);
each session runs its own seed, so every run is computed, none found in the cache.

Then a class on one server: ``--class-size`` sessions (default 20) open the page at once, each chooses a preset
and a seed and presses Run, some press twice (the second time with another seed, while the first run is under
way), and the benchmark prints the slowest and the median time from a session's last press to its own updated
figures, and the server's peak memory (this process's resident set, sampled every 0.1 s; the browser is apart).
This part takes a few minutes on two cores. Needs Debian's ``chromium`` (as root: ``apt-get update && apt-get
install -y chromium``).

Run: ``python benchmarks/app.py [--sessions 5] [--class-size 20]``.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

from bipsim.app.browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    FINGERPRINT_JS,
    chromium,
    open_app,
    rerun_without_turnover,
    served,
    set_seed,
)

FIRST_FIGURE_SECONDS = 3.0
RERUN_SECONDS = 1.5
CLASS_TIMEOUT_MS = 600_000  # a session of a loaded class server may wait minutes, not forever
PRESETS = ("low_turnover", "long_waiting", "recession", "job_first", "staircase", "null", "high_turnover", "boom")


def resident_mb() -> float:
    """This process's resident memory now, in MB (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class PeakMemory:
    """The highest resident memory of this process while the ``with`` block runs, sampled every 0.1 s."""

    def __enter__(self) -> PeakMemory:
        self.peak = self.start = resident_mb()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self) -> None:
        while not self._stop.wait(0.1):
            self.peak = max(self.peak, resident_mb())

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.end = resident_mb()


def one_at_a_time(address: str, sessions: int) -> tuple[list[float], list[float]]:
    """Seconds to the first figure and from Run to updated figures, for each fresh session after a warm-up one."""
    first, rerun = [], []
    with tempfile.TemporaryDirectory(prefix="bipsim-chromium-") as profile, chromium(profile) as context:
        for session in range(sessions + 1):  # the first session warms the browser up, untimed
            page = context.new_page()
            try:
                opened = open_app(page, f"{address}/sandbox")
                set_seed(page, 100 + session)  # a run of its own, not one an earlier session left in the cache
                updated = rerun_without_turnover(page)
                page.wait_for_timeout(500)  # let the server finish talking to the tab before it closes
            finally:
                page.close()
            first.append(opened)
            rerun.append(updated)
    return first[1:], rerun[1:]


async def student(context: object, address: str, number: int, ready: asyncio.Barrier) -> float:
    """One student: open the page, choose a preset and seed, press Run (some twice); seconds to their figures."""
    page = await context.new_page()
    preset = PRESETS[number % len(PRESETS)]
    seed = 1 + number % 4  # students n and n + 8 share a preset and a seed: their run is computed once
    twice = number % 3 == 0
    try:
        await page.goto(f"{address}/sandbox", timeout=CLASS_TIMEOUT_MS)
        await page.locator(".run-status", has_text="finished").wait_for(timeout=CLASS_TIMEOUT_MS)
        await page.locator(".sidebar select").first.select_option(preset)
        await page.locator(".seed input").fill(str(seed))
        await page.locator(".seed input").press("Enter")
        await page.wait_for_timeout(300)
        before = await page.evaluate(FINGERPRINT_JS)
        await ready.wait()  # every student presses Run at about the same time
        run = page.locator(".run-button button")
        await run.click()
        if twice:  # changes their mind while the first run is under way
            await page.wait_for_timeout(400)
            seed += 100
            await page.locator(".seed input").fill(str(seed))
            await page.locator(".seed input").press("Enter")
            await run.click()
        pressed = time.perf_counter()
        await page.locator(".run-status", has_text=f"{preset}, seed {seed},").wait_for(timeout=CLASS_TIMEOUT_MS)
        await page.wait_for_function(f"() => ({FINGERPRINT_JS})() !== {before!r}", timeout=CLASS_TIMEOUT_MS)
        return time.perf_counter() - pressed
    finally:
        await page.close()


async def a_class(address: str, size: int) -> list[float]:
    """``size`` students on one server at once: each one's seconds from their last press to their figures."""
    from playwright.async_api import async_playwright

    with tempfile.TemporaryDirectory(prefix="bipsim-chromium-") as profile:
        async with async_playwright() as p:
            context = await p.chromium.launch_persistent_context(
                profile, executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
            try:
                ready = asyncio.Barrier(size)
                return list(await asyncio.gather(*(student(context, address, n, ready) for n in range(size))))
            finally:
                await context.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=5, help="fresh sessions timed one at a time (default 5)")
    parser.add_argument("--class-size", type=int, default=20, help="sessions at once on one server (0: skip)")
    args = parser.parse_args()
    if not CHROMIUM.exists():
        print(f"app benchmark: Debian's chromium is not installed at {CHROMIUM}", file=sys.stderr)
        return 2
    with PeakMemory() as memory, served() as address:
        first, rerun = one_at_a_time(address, args.sessions)
        for label, times, bound in (
            ("page opened -> first figure", first, FIRST_FIGURE_SECONDS),
            ("Run pressed -> figures updated", rerun, RERUN_SECONDS),
        ):
            seconds = statistics.median(times)
            verdict = "ok" if seconds <= bound else "TOO SLOW"
            each = ", ".join(f"{t:.2f}" for t in times)
            print(f"app        {label:<32} {seconds:5.2f} s (median; required <= {bound:g}: {verdict})  [{each}]")
        single_peak = memory.peak
        if args.class_size > 0:
            started = time.perf_counter()
            waits: list[float] = []
            # in a thread with its own event loop: the server's loop runs in this process already
            with_class = threading.Thread(
                target=lambda: waits.extend(asyncio.run(a_class(address, args.class_size))), daemon=True
            )
            with_class.start()
            with_class.join()
            took = time.perf_counter() - started
            if len(waits) != args.class_size:
                print("app        class: not every session finished (see the errors above)", file=sys.stderr)
                return 1
            each = ", ".join(f"{w:.1f}" for w in sorted(waits))
            print(
                f"app        {args.class_size} sessions at once: Run pressed -> own figures updated: slowest "
                f"{max(waits):.1f} s, median {statistics.median(waits):.1f} s  [{each}]"
            )
            print(f"app        the class's part took {took:.0f} s in all")
    print(
        f"app        server memory (resident): {memory.start:.0f} MB at start, peak {single_peak:.0f} MB one session "
        f"at a time, peak {memory.peak:.0f} MB in all, {memory.end:.0f} MB at the end"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
