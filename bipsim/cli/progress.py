"""Progress of a long command on stderr: a bar on a terminal, plain periodic lines in a log.

Every long command (``run``, ``compare``, ``sweep``, ``sensitivity``, ``recover``, ``calibrate``, ``analyze``,
``export``) reports through :func:`progress`. On a terminal it draws a tqdm bar that disappears when done. When
stderr is redirected to a file or a pipe, a bar would be a single line rewritten in place (a log sees it only
at the end), so it writes a plain line each time another tenth is done or half a minute has passed, whichever
comes first, with the time left at the rate so far::

    bipsim: recover baseline: 40/100 replications (40%), about 3 min left

For runs and replications it also tells, once the first one is done and the rest will take a while, how long
the whole command will take at the pace of that first one, and says that this is where the estimate comes from.
"""

from __future__ import annotations

import math
import sys
import time
from collections.abc import Callable
from typing import TextIO

EVERY_FRACTION = 0.1
"""A plain line each time this share more of the work is done ..."""
EVERY_SECONDS = 30.0
"""... or this many seconds after the last line, whichever comes first."""
FEWEST_SECONDS = 1.0
"""No two plain lines closer than this (a fast command would otherwise print ten lines in a second)."""
ESTIMATE_FROM_SECONDS = 20.0
"""The first run's estimate is told only when the rest will take at least this long."""
ESTIMATED_UNITS = ("run", "replication")
"""Units of work that each take about as long as the first: the first one's time estimates the rest."""


def duration(seconds: float) -> str:
    """A duration as people say it: ``8 s``, ``3 min``, ``1.5 h``, ``2.0 days``."""
    if seconds < 90:
        return f"{max(1, round(seconds))} s"
    if seconds < 90 * 60:
        return f"{round(seconds / 60)} min"
    if seconds < 48 * 3600:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.1f} days"


def plural(count: int, unit: str) -> str:
    """``1 run``, ``2 runs``."""
    return f"{count:,} {unit}" + ("" if count == 1 else "s")


class Progress:
    """A progress callback ``progress(done, total)`` that shows a bar on a terminal and plain lines elsewhere.

    ``parallel`` is how many units run at the same time (local Dask workers), so the first one's time
    estimates the rest as ``ceil(rest / parallel)`` of it; 0 means unknown (a remote scheduler's workers), and
    then no estimate is told from the first unit. ``terminal`` and ``clock`` are for tests.
    """

    def __init__(
        self,
        description: str,
        total: int,
        unit: str = "run",
        *,
        parallel: int = 1,
        stream: TextIO | None = None,
        terminal: bool | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.description = description
        self.total = total
        self.unit = unit
        self.parallel = parallel
        self.stream = stream if stream is not None else sys.stderr
        self.clock = clock
        self.start = clock()
        self.last_line = self.start
        self.next_mark = 1  # the next line is due when this many tenths (EVERY_FRACTION) are done
        # Nothing to estimate from a week or a step, nor from a first run beside an unknown number of others.
        self.estimated = unit not in ESTIMATED_UNITS or parallel < 1
        self.finished = False
        self.started = False
        self.bar = None
        if terminal if terminal is not None else _is_terminal(self.stream):
            from tqdm import tqdm

            self.bar = tqdm(total=total, desc=description, unit=unit, leave=False, file=self.stream)

    def __call__(self, done: int, total: int) -> None:
        """Record that ``done`` of ``total`` units are finished; ``done == 0`` (before any) restarts the clock."""
        if self.finished:
            return
        self.total = total
        now = self.clock()
        if done == 0 and not self.started:
            # The work itself starts now (a cluster is up): time the runs, not the preparations.
            self.start = self.last_line = now
        self.started = self.started or done > 0
        elapsed = now - self.start
        if not self.estimated and done >= 1:
            self.estimated = True
            self._tell_estimate(done, elapsed)
        if self.bar is not None:
            self.bar.update(done - self.bar.n)
        elif done >= total or self._line_due(done, now):
            self.say(self._line(done, elapsed))
            self.last_line = now
            while self._mark(self.next_mark) <= done:
                self.next_mark += 1
        if done >= total:
            self.close()

    def _mark(self, step: int) -> int:
        """The units done at the ``step``-th mark (rounded up, so no float sum drifts past a mark)."""
        return max(1, math.ceil(round(step * EVERY_FRACTION * self.total, 6)))

    def _line_due(self, done: int, now: float) -> bool:
        since = now - self.last_line
        return since >= EVERY_SECONDS or (done >= self._mark(self.next_mark) and since >= FEWEST_SECONDS)

    def _line(self, done: int, elapsed: float) -> str:
        text = f"bipsim: {self.description}: {done:,}/{plural(self.total, self.unit)} ({done / max(self.total, 1):.0%})"
        if done >= self.total:
            return f"{text} in {duration(elapsed)}"
        if done == 0:
            return text
        return f"{text}, about {duration(elapsed / done * (self.total - done))} left"

    def _tell_estimate(self, done: int, elapsed: float) -> None:
        rest = self.total - done
        if rest <= 0:
            return
        # In parallel the first finishes about when the first round does: the whole takes rounds of its time.
        rounds = math.ceil(self.total / self.parallel)
        left = elapsed * (rounds - 1) if self.parallel > 1 else elapsed / done * rest
        if left < ESTIMATE_FROM_SECONDS:
            return
        first = f"the first {self.unit}" if done == 1 else f"the first {plural(done, self.unit)}"
        self.say(
            f"bipsim: {first} took {duration(elapsed)}; about {duration(elapsed + left)} on this machine for "
            f"{plural(self.total, self.unit)} (estimated from {first})"
        )

    def say(self, text: str) -> None:
        """Write one line without breaking the bar."""
        if self.bar is not None:
            self.bar.write(text, file=self.stream)
        else:
            print(text, file=self.stream, flush=True)

    def close(self) -> None:
        """Remove the bar (if any); later calls do nothing."""
        self.finished = True
        if self.bar is not None:
            self.bar.close()


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def progress(description: str, total: int, unit: str = "week", parallel: int = 1) -> Progress:
    """The progress callback of a long command: ``total`` units of ``unit`` described as ``description``."""
    return Progress(description, total, unit, parallel=parallel)
