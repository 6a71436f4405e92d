"""The event log: what happened to whom and when, recorded column-wise as the model runs."""

from __future__ import annotations

import numpy as np
import pandas as pd

from bipsim.vocabulary import EVENT_KEYS


class EventLog:
    """Append-only columns of events; ``add`` takes arrays so a week's events are logged in one call.

    ``detail`` is a short code whose meaning depends on the event kind (an intervention key, an exit
    status); ``value`` a number (waiting weeks, a belief, whether a contact led to a hire).
    """

    _columns = ("week", "kind", "citizen", "caseworker", "employer", "detail", "value")

    def __init__(self) -> None:
        self._chunks: dict[str, list[np.ndarray]] = {c: [] for c in self._columns}
        self._details: list[str] = []

    def add(self, week: int, kind: str, citizen: np.ndarray | int, *, caseworker: np.ndarray | int = -1,
            employer: np.ndarray | int = -1, detail: str | np.ndarray | None = None,
            value: np.ndarray | float = np.nan) -> None:
        """Log one event per entry of ``citizen`` (scalars broadcast)."""
        citizen = np.atleast_1d(np.asarray(citizen, dtype=np.int64))
        n = citizen.size
        if n == 0:
            return
        if detail is None:
            detail_codes = np.full(n, -1, dtype=np.int32)
        elif isinstance(detail, str):
            detail_codes = np.full(n, self._detail_code(detail), dtype=np.int32)
        else:
            detail_codes = np.asarray(detail, dtype=np.int32)
        parts = {
            "week": np.full(n, week, dtype=np.int32),
            "kind": np.full(n, EVENT_KEYS.index(kind), dtype=np.int16),
            "citizen": citizen.astype(np.int32),
            "caseworker": np.broadcast_to(np.asarray(caseworker, dtype=np.int32), n),
            "employer": np.broadcast_to(np.asarray(employer, dtype=np.int32), n),
            "detail": detail_codes,
            "value": np.broadcast_to(np.asarray(value, dtype=np.float64), n),
        }
        for column, values in parts.items():
            self._chunks[column].append(values)

    def _detail_code(self, detail: str) -> int:
        if detail not in self._details:
            self._details.append(detail)
        return self._details.index(detail)

    def detail_codes(self, labels: tuple[str, ...]) -> np.ndarray:
        """Detail codes for a table of labels, so callers can pass ``codes[index_array]``."""
        return np.array([self._detail_code(label) for label in labels], dtype=np.int32)

    def to_frame(self) -> pd.DataFrame:
        """The log as a tidy table, ordered by week and then by the order events happened."""
        if not self._chunks["week"]:
            columns = {c: np.empty(0, dtype=np.int32) for c in self._columns}
        else:
            columns = {c: np.concatenate(chunks) for c, chunks in self._chunks.items()}
        order = np.argsort(columns["week"], kind="stable")
        detail = columns["detail"][order]
        labels = np.array([*self._details, ""], dtype=object)
        frame = pd.DataFrame({
            "week": columns["week"][order],
            "event": pd.Categorical.from_codes(columns["kind"][order].astype(np.int16), EVENT_KEYS),
            "citizen_id": columns["citizen"][order],
            "caseworker_id": pd.array(np.where(columns["caseworker"][order] < 0, -1,
                                               columns["caseworker"][order]), dtype="Int32"),
            "employer_id": pd.array(columns["employer"][order], dtype="Int32"),
            "detail": pd.array(labels[np.where(detail < 0, len(labels) - 1, detail)], dtype="string"),
            "value": columns["value"][order],
        })
        for column in ("caseworker_id", "employer_id"):
            frame.loc[frame[column] < 0, column] = pd.NA
        frame.loc[frame["detail"] == "", "detail"] = pd.NA
        return frame
