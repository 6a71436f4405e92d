"""Calibration runs: the published BIP figures computed from replications of a simulated study.

The figures themselves are computed from observed data only (:mod:`bipsim.analysis.calibration`); this
module runs the replications that feed them, on the one ensemble runner (:func:`execute`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pandas as pd

from bipsim.analysis.calibration import calibrate
from bipsim.ensemble.execute import describe_error, execute, identity
from bipsim.ensemble.plan import Plan, RunSpec
from bipsim.instruments import observe
from bipsim.model import BipModel
from bipsim.scenario import Scenario


def calibration_one(spec: RunSpec) -> dict[str, Any]:
    """Run one replication and compute its calibration table (in the row's ``calibration`` entry)."""
    row = identity(spec)
    start = time.perf_counter()
    try:
        table = calibrate(observe(BipModel(spec.scenario(), seed=spec.seed()).run()))
    except Exception as exc:  # noqa: BLE001 - a failed run is data, not a crash of the ensemble
        row.update(wall_seconds=time.perf_counter() - start, status="error", error=describe_error(exc))
        return row
    row.update(wall_seconds=time.perf_counter() - start, status="ok", error="", calibration=table)
    return row


def calibration_replications(
    scenario: Scenario, seed: int, replications: int, progress: Callable[[int, int], None] | None = None
) -> list[pd.DataFrame]:
    """The calibration table of each of ``replications`` runs of ``scenario``, as ``bipsim calibrate`` computes them.

    Replication ``r`` runs with the ``r``-th child of ``numpy.random.SeedSequence(seed)``, so the first
    replications of a longer series equal those of a shorter one. A failed replication raises.
    """
    rows = execute(Plan.sweep(scenario, [{}], replications, seed).runs(), progress=progress, task=calibration_one)
    failed = [row for row in rows if row["status"] != "ok"]
    if failed:
        raise RuntimeError(f"calibration replication {failed[0]['replication']} failed: {failed[0]['error']}")
    return [row["calibration"] for row in rows]
