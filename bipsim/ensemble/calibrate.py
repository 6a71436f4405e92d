"""Calibration runs: the published BIP figures computed from replications of a simulated study.

The figures themselves are computed from observed data only (:mod:`bipsim.analysis.calibration`); this
module runs the replications that feed them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from bipsim.analysis.calibration import calibrate
from bipsim.instruments import observe
from bipsim.model import BipModel


def calibration_replications(
    scenario: Any, seed: int, replications: int, progress: Callable[[int, int], None] | None = None
) -> list[pd.DataFrame]:
    """The calibration table of each of ``replications`` runs of ``scenario``, as ``bipsim calibrate`` computes them.

    Replication ``r`` runs with the ``r``-th child of ``numpy.random.SeedSequence(seed)``, so the first
    replications of a longer series equal those of a shorter one.
    """
    tables = []
    for done, child in enumerate(np.random.SeedSequence(seed).spawn(replications), start=1):
        tables.append(calibrate(observe(BipModel(scenario, seed=child).run())))
        if progress is not None:
            progress(done, replications)
    return tables
