"""Helpers that turn the truth's long tables into (citizen, week) matrices for vectorised instruments."""

from __future__ import annotations

import numpy as np
import pandas as pd

from bipsim.vocabulary import STATUS_KEYS, status_code

ACTIVITY_READY, JOB_READY = status_code("activity_ready"), status_code("job_ready")


def panel_shape(weekly: pd.DataFrame) -> tuple[int, int]:
    """(citizens, weeks) of a truth ``weekly`` table."""
    return int(weekly["citizen_id"].max()) + 1, int(weekly["week"].max()) + 1


def weekly_matrix(weekly: pd.DataFrame, values: np.ndarray, fill: float | int = -1) -> np.ndarray:
    """Place one value per row of ``weekly`` into a (citizens, weeks) matrix; missing cells get ``fill``."""
    n, weeks = panel_shape(weekly)
    out = np.full((n, weeks), fill, dtype=values.dtype)
    out[weekly["citizen_id"].to_numpy(), weekly["week"].to_numpy()] = values
    return out


def status_codes(status: pd.Series) -> np.ndarray:
    """Integer status codes (positions in :data:`bipsim.vocabulary.STATUSES`) of a status column."""
    if isinstance(status.dtype, pd.CategoricalDtype) and list(status.cat.categories) == list(STATUS_KEYS):
        return status.cat.codes.to_numpy(np.int8)
    return pd.Categorical(status, categories=list(STATUS_KEYS)).codes.astype(np.int8)


def nullable_ids(column: pd.Series) -> np.ndarray:
    """Return an id column as int32 with -1 for missing."""
    return column.astype("Int32").fillna(-1).to_numpy(dtype=np.int32)


def job_ready_category(status: np.ndarray) -> np.ndarray:
    """Whether each citizen-week falls in the job-ready category, from a (citizens, weeks) status matrix.

    The category is the last activity-ready or job-ready status seen up to that week; before any such
    status a citizen counts as activity-ready, the category every BIP citizen enters the study with.
    """
    n, weeks = status.shape
    categorised = (status == ACTIVITY_READY) | (status == JOB_READY)
    last = np.where(categorised, np.arange(weeks, dtype=np.int32)[None, :], -1)
    np.maximum.accumulate(last, axis=1, out=last)
    seen = np.take_along_axis(status, np.maximum(last, 0), axis=1)
    return (last >= 0) & (seen == JOB_READY)
