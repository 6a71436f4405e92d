"""Small array routines the mechanisms share."""

from __future__ import annotations

import numpy as np


def rank_within_groups(sorted_groups: np.ndarray) -> np.ndarray:
    """Position of each element within its run of equal values in an already sorted array.

    Used to fill capacities in order: sort candidates by (group, priority), then keep rank < capacity.
    """
    n = sorted_groups.size
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    position = np.arange(n)
    starts_here = np.empty(n, dtype=bool)
    starts_here[0] = True
    np.not_equal(sorted_groups[1:], sorted_groups[:-1], out=starts_here[1:])
    run_start = np.maximum.accumulate(np.where(starts_here, position, 0))
    return position - run_start
