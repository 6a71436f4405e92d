"""A model run a week at a time, as NetLogo's setup / step / go: the model and what it has shown so far.

:class:`SteppedRun` holds one :class:`~bipsim.model.BipModel` and, after every week it steps, notes the citizens
in each flow band, the readiness of those on social assistance and three monitors (in a job, waiting, caseworker
changes so far). :meth:`SteppedRun.step` runs on a worker thread (the page awaits it, so no session blocks
another) and stops at a deadline, so the page can draw what is new a few times a second; :meth:`SteppedRun.shown`
is read on the event loop. Both are guarded by a lock, so a figure never reads a half-written week.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from bipsim.app.data import EXITED, FLOW_BANDS
from bipsim.contract.vocabulary import STATUS_KEYS, status_code
from bipsim.model import BipModel
from bipsim.scenario import Scenario

QUARTER = 13
_BAND_OF_STATUS = np.array([FLOW_BANDS.index("exited" if key in EXITED else key) for key in STATUS_KEYS])
JOB, WAITING = status_code("job"), status_code("waiting")


@dataclass(frozen=True)
class Shown:
    """What a stepped run has shown so far: one row per week stepped, and its monitors now."""

    week: int  # weeks stepped
    weeks: int  # weeks of the scenario
    citizens: int
    flows: pd.DataFrame  # week x FLOW_BANDS, citizens
    readiness: pd.DataFrame  # week, mean, low, high: readiness of those on social assistance (mean, quartiles)
    in_job: int
    waiting: int
    caseworker_changes: int

    @property
    def finished(self) -> bool:
        """Whether every week of the scenario has been stepped."""
        return self.week >= self.weeks


class SteppedRun:
    """A model set up from (scenario, seed) and stepped a week at a time, with what each week showed."""

    def __init__(self, scenario: Scenario, seed: int) -> None:
        self.model = BipModel(scenario, seed=seed)
        self.weeks = scenario.population.weeks
        self._lock = threading.Lock()
        self._flows: list[np.ndarray] = []
        self._readiness: list[tuple[float, float, float]] = []
        self._monitors = (0, 0, 0)

    @property
    def finished(self) -> bool:
        return not self.model.running

    def step(self, weeks: int, deadline: float | None = None, stop: Callable[[], bool] | None = None) -> int:
        """Step up to ``weeks`` weeks, fewer when the run ends, ``time.monotonic()`` passes ``deadline`` or ``stop()``.

        Returns the weeks stepped; at least one unless the run has ended or ``stop()`` is true at once.
        """
        done = 0
        while done < weeks and self.model.running and not (stop is not None and stop()):
            self.model.step()
            self._note_week()
            done += 1
            if deadline is not None and time.monotonic() >= deadline:
                break
        return done

    def _note_week(self) -> None:
        c = self.model.citizens
        bands = np.bincount(_BAND_OF_STATUS[c.status], minlength=len(FLOW_BANDS))
        on_benefit = c.readiness[c.on_benefit()]
        if on_benefit.size:
            low, mean, high = np.percentile(on_benefit, 25), float(on_benefit.mean()), np.percentile(on_benefit, 75)
        else:
            low = mean = high = float("nan")
        monitors = (int((c.status == JOB).sum()), int((c.status == WAITING).sum()), int(c.caseworker_changes.sum()))
        with self._lock:
            self._flows.append(bands)
            self._readiness.append((mean, float(low), float(high)))
            self._monitors = monitors

    def shown(self) -> Shown:
        """What the run has shown so far (a copy: the worker thread may go on stepping)."""
        with self._lock:
            flows, readiness, monitors = list(self._flows), list(self._readiness), self._monitors
        week = len(flows)
        index = pd.RangeIndex(week, name="week")
        return Shown(
            week=week,
            weeks=self.weeks,
            citizens=int(self.model.citizens.size),
            flows=pd.DataFrame(np.array(flows).reshape(week, len(FLOW_BANDS)), columns=list(FLOW_BANDS), index=index),
            readiness=pd.DataFrame(np.array(readiness).reshape(week, 3), columns=["mean", "low", "high"], index=index),
            in_job=monitors[0],
            waiting=monitors[1],
            caseworker_changes=monitors[2],
        )
