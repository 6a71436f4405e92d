"""Helpers that turn the truth's long tables into (citizen, week) matrices for vectorised instruments.

:class:`WeeklyPanel` builds each matrix once per truth, so the instruments of one :func:`bipsim.instruments.observe`
call share them instead of pivoting the 800,000-row weekly table again for every instrument.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from bipsim.contract.vocabulary import STATUS_KEYS, status_code
from bipsim.engine.kernels import kernel

if TYPE_CHECKING:
    from bipsim.model.truth import Truth

ACTIVITY_READY, JOB_READY = status_code("activity_ready"), status_code("job_ready")


def panel_shape(weekly: pd.DataFrame) -> tuple[int, int]:
    """(citizens, weeks) of a truth ``weekly`` table."""
    return int(weekly["citizen_id"].max()) + 1, int(weekly["week"].max()) + 1


def in_panel_order(weekly: pd.DataFrame, n: int, weeks: int) -> bool:
    """Whether ``weekly`` holds every citizen-week, citizen by citizen and week by week (the truth's order)."""
    if len(weekly) != n * weeks:
        return False
    citizen = weekly["citizen_id"].to_numpy().reshape(n, weeks)
    week = weekly["week"].to_numpy().reshape(n, weeks)
    return bool((citizen == np.arange(n)[:, None]).all() and (week == np.arange(weeks)[None, :]).all())


def weekly_matrix(
    weekly: pd.DataFrame, values: np.ndarray, fill: float | int = -1, shape: tuple[int, int] | None = None
) -> np.ndarray:
    """Place one value per row of ``weekly`` into a (citizens, weeks) matrix; missing cells get ``fill``.

    ``shape`` is (citizens, weeks); by default the largest id and week in the table, plus one.
    """
    n, weeks = shape if shape is not None else panel_shape(weekly)
    out = np.full((n, weeks), fill, dtype=values.dtype)
    out[weekly["citizen_id"].to_numpy(), weekly["week"].to_numpy()] = values
    return out


def status_codes(status: pd.Series) -> np.ndarray:
    """Integer status codes (positions in :data:`bipsim.contract.vocabulary.STATUSES`) of a status column."""
    if isinstance(status.dtype, pd.CategoricalDtype) and list(status.cat.categories) == list(STATUS_KEYS):
        return status.cat.codes.to_numpy(np.int8)
    return pd.Categorical(status, categories=list(STATUS_KEYS)).codes.astype(np.int8)


def nullable_ids(column: pd.Series) -> np.ndarray:
    """Return an id column as int32 with -1 for missing."""
    return column.to_numpy(dtype=np.int32, na_value=-1)


def job_ready_category(status: np.ndarray) -> np.ndarray:
    """Whether each citizen-week falls in the job-ready category, from a (citizens, weeks) status matrix.

    The category is the last activity-ready or job-ready status seen up to that week; before any such
    status a citizen counts as activity-ready, the category every BIP citizen enters the study with.
    """
    category = np.empty(status.shape, dtype=bool)
    _carry_category(status, category=category)
    return category


@kernel
def _carry_category(status, category):
    """Carry each citizen's last categorised status forward through the weeks."""
    for i in range(status.shape[0]):
        job_ready = False
        for week in range(status.shape[1]):
            if status[i, week] == JOB_READY:
                job_ready = True
            elif status[i, week] == ACTIVITY_READY:
                job_ready = False
            category[i, week] = job_ready


def _read_only(matrix: np.ndarray) -> np.ndarray:
    matrix.flags.writeable = False  # shared between instruments, and may be a view of the truth's columns
    return matrix


class WeeklyPanel:
    """The truth's weekly table as read-only (citizens, weeks) matrices, each built on first use.

    Build one with :meth:`of` per truth and pass it to every instrument of a run.
    """

    def __init__(self, weekly: pd.DataFrame, shape: tuple[int, int] | None = None) -> None:
        self.weekly = weekly
        self.citizens, self.weeks = shape if shape is not None else panel_shape(weekly)
        self._in_order = in_panel_order(weekly, self.citizens, self.weeks)

    @classmethod
    def of(cls, truth: Truth, panel: WeeklyPanel | None = None) -> WeeklyPanel:
        """Return ``panel`` when given (built from this truth), else build one for ``truth``."""
        return panel if panel is not None else cls(truth.weekly)

    def at_weeks(self, weeks: np.ndarray) -> WeeklyPanel:
        """The panel of the same citizens at ``weeks`` only (sorted), which become its weeks 0, 1, 2, ...

        ``panel.at_weeks(waves).belief`` equals ``panel.belief[:, waves]`` without building the whole
        (citizens, weeks) matrix: the survey needs 16 of 208 weeks (40 of 520 at national scale).
        """
        if self._in_order:
            rows = (np.arange(self.citizens)[:, None] * self.weeks + weeks[None, :]).ravel()
            table = self.weekly.iloc[rows]
        else:
            table = self.weekly[self.weekly["week"].isin(weeks)]
        position = np.searchsorted(weeks, table["week"].to_numpy()).astype(np.int32)
        return WeeklyPanel(table.assign(week=position), shape=(self.citizens, weeks.size))

    def matrix(self, values: np.ndarray, fill: float | int = -1) -> np.ndarray:
        """Place one value per row of the weekly table into a read-only (citizens, weeks) matrix."""
        if self._in_order:
            return _read_only(values.reshape(self.citizens, self.weeks))  # rows are citizen-major: no pivot
        return _read_only(weekly_matrix(self.weekly, values, fill, (self.citizens, self.weeks)))

    def rows(self, matrix: np.ndarray) -> np.ndarray:
        """The values of a (citizens, weeks) matrix for each row of the weekly table, in its order."""
        if self._in_order:
            return matrix.ravel()
        return matrix[self.weekly["citizen_id"].to_numpy(), self.weekly["week"].to_numpy()]

    @cached_property
    def status(self) -> np.ndarray:
        """Status codes (int8)."""
        return self.matrix(status_codes(self.weekly["status"]))

    @cached_property
    def job_ready(self) -> np.ndarray:
        """Whether the citizen-week is in the job-ready category (see :func:`job_ready_category`)."""
        return _read_only(job_ready_category(self.status))

    @cached_property
    def caseworker(self) -> np.ndarray:
        """Caseworker ids, -1 for none (int32)."""
        return self.matrix(nullable_ids(self.weekly["caseworker_id"]))

    @cached_property
    def belief(self) -> np.ndarray:
        """The caseworker's belief (float64; NaN in cells the table lacks)."""
        return self.matrix(self.weekly["caseworker_belief"].to_numpy(np.float64), np.nan)

    @cached_property
    def meetings(self) -> np.ndarray:
        """Meetings with the current caseworker so far (int16; 0 in cells the table lacks)."""
        return self.matrix(self.weekly["meetings_with_caseworker"].to_numpy(np.int16), 0)

    @cached_property
    def in_activity(self) -> np.ndarray:
        """Whether the citizen is in an intervention (bool)."""
        return self.matrix((self.weekly["activity"] != "none").to_numpy())
