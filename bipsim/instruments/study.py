"""A simulated run as a study: its truth and observed tables, written as one dataset bundle.

:class:`Study` is the :class:`bipsim.dataset.BundleSource` of a finished run: it builds the truth tables
and applies every instrument, handing each table to the bundle writer as soon as it is made, so Parquet
encoding overlaps the instruments. :func:`write_study` is what ``bipsim run --out`` and
``bipsim.write_bundle(model, folder)`` call.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bipsim.dataset import write_bundle
from bipsim.dataset.bundle import TableSink
from bipsim.engine.streams import stream_keys
from bipsim.instruments.observe import observe

if TYPE_CHECKING:
    from bipsim.model.model import BipModel


class Study:
    """The study of a finished run, as a bundle source: truth tables first, then the observed ones."""

    def __init__(self, model: BipModel) -> None:
        self.model = model

    def describe(self) -> dict[str, Any]:
        """The run's manifest fields: seed (an integer, or a spawned seed's entropy and key), scenario, size."""
        model = self.model
        if isinstance(model.seed, int):
            seed: int | dict[str, Any] = model.seed
        else:
            sequence = model.streams.seed_sequence
            seed = {"entropy": int(sequence.entropy), "spawn_key": list(sequence.spawn_key)}
        return {
            "seed": seed,
            "scenario_name": model.scenario.name,
            "scenario": model.scenario.to_dict(),
            "weeks": int(model.week),
            "citizens": int(model.citizens.size),
            "random_streams": {"model": "spawn key (*root, stream index, week + 1)", "instruments": stream_keys()},
        }

    def produce(self, on_truth: TableSink, on_observed: TableSink) -> None:
        """Build the truth (the writer starts on the weekly table at once), then observe the run."""
        truth = self.model.truth(on_table=on_truth)
        observe(self.model, truth, on_table=on_observed, on_truth=on_truth)


def write_study(
    model: BipModel,
    directory: str | Path,
    force: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> Path:
    """Write the bundle of a finished run to ``directory`` atomically and return its path.

    Raises :class:`bipsim.dataset.BundleExistsError` when the folder exists and ``force`` is false;
    ``progress(done, total)`` is called after each file.
    """
    return write_bundle(Study(model), directory, force=force, progress=progress)
