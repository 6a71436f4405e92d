"""The register as citizen x week matrices, built once and shared by every analysis of one data set.

:class:`RegisterWeeks` reads only the observed ``register_weeks`` table (and keeps the observed data it was built
from as ``data``), so it works on any folder of observed tables in the documented schema.
"""

from __future__ import annotations

from functools import cached_property
from typing import Protocol

import numpy as np
import pandas as pd

from bipsim.contract.codes import BENEFIT_KEYS, SELF_SUPPORTING
from bipsim.contract.vocabulary import INTERVENTION_KEYS

JOB = BENEFIT_KEYS.index("ordinary_job")
EDUCATION = BENEFIT_KEYS.index("education")
OUT = BENEFIT_KEYS.index("out")
KH_ACTIVITY_READY, KH_JOB_READY = BENEFIT_KEYS.index("kh_activity_ready"), BENEFIT_KEYS.index("kh_job_ready")
SOCIAL_ASSISTANCE = (KH_ACTIVITY_READY, KH_JOB_READY)
NO_ACTIVITY = -1


class ObservedData(Protocol):
    """Observed tables as attributes: a bundle (:func:`bipsim.read_bundle`) or :func:`bipsim.instruments.observe`."""

    citizens: pd.DataFrame
    register_weeks: pd.DataFrame
    register_history: pd.DataFrame
    survey: pd.DataFrame


def _in_order(weeks: pd.DataFrame) -> bool:
    citizen = weeks["citizen_id"].to_numpy()
    week = weeks["week"].to_numpy()
    return bool((np.diff(citizen) >= 0).all() and ((np.diff(week) == 1) | (np.diff(citizen) > 0)).all())


class RegisterWeeks:
    """The register as citizen x week matrices (rows: citizens in id order; columns: weeks 0 ... T-1)."""

    def __init__(self, data: ObservedData) -> None:
        weeks = data.register_weeks
        if not _in_order(weeks):
            weeks = weeks.sort_values(["citizen_id", "week"], kind="stable")
        citizen = weeks["citizen_id"].to_numpy()
        # in order, each citizen's rows are together: a new citizen where the id changes (as ``unique``, faster)
        self.citizen_ids = citizen[np.r_[True, citizen[1:] != citizen[:-1]]] if len(citizen) else citizen
        n = self.citizen_ids.size
        self.weeks = int(weeks["week"].max()) + 1 if len(weeks) else 0
        if len(weeks) != n * self.weeks or (len(weeks) and int(weeks["week"].min()) != 0):
            raise ValueError("register_weeks must have exactly one row per citizen and week, from week 0")
        self._frame = weeks
        codes = weeks["benefit_code"].astype(pd.CategoricalDtype(list(BENEFIT_KEYS))).cat.codes
        self.code = codes.to_numpy().reshape(n, self.weeks)
        self.caseworker = weeks["caseworker_id"].to_numpy(dtype=np.int64, na_value=-1).reshape(n, self.weeks)
        self.activity = _activity_labels_differ(weeks["activity"], "none").reshape(n, self.weeks)
        self.data = data
        self._completed: dict[int, np.ndarray] = {}

    def row_of(self, citizen_ids: np.ndarray) -> np.ndarray:
        """Row positions of ``citizen_ids`` in the matrices."""
        return np.searchsorted(self.citizen_ids, citizen_ids)

    def in_job(self) -> np.ndarray:
        """Weeks in an ordinary job."""
        return self.code == JOB

    def on_assistance(self) -> np.ndarray:
        """Weeks on social assistance (activity-ready or job-ready); read-only, computed once."""
        return self._on_assistance

    @cached_property
    def _on_assistance(self) -> np.ndarray:
        weeks = np.isin(self.code, SOCIAL_ASSISTANCE)
        weeks.flags.writeable = False
        return weeks

    @cached_property
    def activity_type(self) -> np.ndarray:
        """Intervention of each week as its position in ``INTERVENTION_KEYS`` (:data:`NO_ACTIVITY` when none)."""
        keys = [*INTERVENTION_KEYS, "none"]
        activity = self._frame["activity"]
        if isinstance(activity.dtype, pd.CategoricalDtype):  # map the categories, not every row's label
            lookup = np.append(pd.Index(keys).get_indexer(activity.cat.categories.astype(str)), -1)
            lookup[lookup == len(INTERVENTION_KEYS)] = NO_ACTIVITY  # "none"; unknown labels are -1 already
            # code -1 (missing) picks the appended -1
            return lookup.astype(np.int8)[activity.cat.codes.to_numpy()].reshape(self.code.shape)
        codes = activity.astype(str).astype(pd.CategoricalDtype(keys)).cat.codes.to_numpy()
        codes = np.where((codes == len(INTERVENTION_KEYS)) | (codes < 0), NO_ACTIVITY, codes)  # unknown: none too
        return codes.astype(np.int8).reshape(self.code.shape)

    @cached_property
    def self_supporting(self) -> np.ndarray:
        """Weeks coded self-supporting (no public benefit)."""
        return SELF_SUPPORTING[np.maximum(self.code, 0)] & (self.code >= 0)

    def caseworker_changed(self) -> np.ndarray:
        """True in the weeks a citizen's caseworker differs from the one of the previous week with one.

        Weeks without a caseworker (job, education, pension) are skipped: the last known caseworker is
        carried over them, so returning from a job to the same caseworker is no change. Read-only, computed once.
        """
        return self._caseworker_changed

    @cached_property
    def _caseworker_changed(self) -> np.ndarray:
        cw = self.caseworker
        # the weeks with a caseworker, in order: a change is a week whose caseworker differs from the one of the
        # citizen's previous week with a caseworker
        with_one = np.flatnonzero(cw >= 0)
        caseworker = cw.ravel()[with_one]
        citizen = with_one // cw.shape[1]
        switched = (citizen[1:] == citizen[:-1]) & (caseworker[1:] != caseworker[:-1])
        changed = np.zeros(cw.size, dtype=bool)
        changed[with_one[1:][switched]] = True
        changed = changed.reshape(cw.shape)
        changed.flags.writeable = False
        return changed

    def completed_spells(self, activity: int) -> np.ndarray:
        """True in the last week of each completed spell of ``activity`` (read-only, computed once per activity).

        A spell is completed when the citizen is still on social assistance the week after it ends (it was
        not cut short by a job, another track or leaving the population). Spells still running in the last
        register week are not completed.
        """
        if activity not in self._completed:
            ends = self._completed_spells(activity)
            ends.flags.writeable = False
            self._completed[activity] = ends
        return self._completed[activity]

    def _completed_spells(self, activity: int) -> np.ndarray:
        this = self.activity_type == activity
        ends = np.zeros_like(this)
        ends[:, :-1] = this[:, :-1] & ~this[:, 1:] & self.on_assistance()[:, 1:]
        return ends

    def within_after(self, ends: np.ndarray, weeks: int) -> np.ndarray:
        """True in the ``weeks`` weeks after a marked week (from the week after it)."""
        citizen, week = np.nonzero(ends)  # marked weeks are few: mark the weeks after each
        after = week[:, None] + np.arange(1, weeks + 1)
        inside = after < ends.shape[1]
        within = np.zeros(ends.shape, dtype=bool)
        within[np.broadcast_to(citizen[:, None], after.shape)[inside], after[inside]] = True
        return within


def _activity_labels_differ(activity: pd.Series, label: str) -> np.ndarray:
    """Rows whose activity, as text, is not ``label`` (a missing value is text "nan", so it differs)."""
    if isinstance(activity.dtype, pd.CategoricalDtype):
        codes = activity.cat.codes.to_numpy()
        differs = np.ones(codes.size, dtype=bool)
        for same in np.flatnonzero(activity.cat.categories.astype(str) == label):  # compare codes, not labels
            differs &= codes != same
        return differs
    return (activity.astype(str) != label).to_numpy()
