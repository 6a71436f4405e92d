"""A finished run with its model and every table, for what the reduced tables cannot answer.

:class:`~bipsim.app.data.RunResult` keeps only the few thousand rows the figures need. Following any citizen
(the Follow tab) and writing the run's bundle (the sidebar's export) need the whole run. A run is a pure
function of (scenario, seed), so rather than keep every session's model the page asks :func:`cached_full_run`
for the run again: it takes about as long as the run itself and is shared between sessions by a small
process-wide cache, like the reduced runs in :mod:`bipsim.app.runs`.
"""

from __future__ import annotations

from dataclasses import dataclass

from bipsim.app.data import Progress
from bipsim.app.runs import ResultCache
from bipsim.instruments import Observed, observe
from bipsim.model import BipModel
from bipsim.model.truth import Truth
from bipsim.scenario import Scenario

CACHE_SIZE = 3  # a whole run of the default size holds about 100 MB


@dataclass(frozen=True)
class FullRun:
    """A finished model run with its truth and observed tables (read-only once built)."""

    model: BipModel
    truth: Truth
    observed: Observed

    @property
    def citizen_ids(self) -> tuple[int, int]:
        """The lowest and highest citizen id of the run (every id between is a citizen)."""
        ids = self.truth.citizens["citizen_id"]
        return int(ids.min()), int(ids.max())


def full_run(scenario: Scenario, seed: int, progress: Progress | None = None) -> FullRun:
    """Run ``scenario`` with ``seed`` and keep the model, its truth and its observed tables."""
    model = BipModel(scenario, seed=seed).run(progress)
    truth = model.truth()
    return FullRun(model, truth, observe(model, truth))


FULL_RUNS = ResultCache(size=CACHE_SIZE, compute=full_run)


def cached_full_run(scenario: Scenario, seed: int, progress: Progress | None = None) -> FullRun:
    """:func:`full_run` through the process-wide :data:`FULL_RUNS` cache."""
    return FULL_RUNS.run(scenario, seed, progress)
