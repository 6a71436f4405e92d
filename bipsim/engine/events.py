"""The event log: what happened to whom and when, recorded column-wise as the model runs."""

from __future__ import annotations

import numpy as np
import pandas as pd

from bipsim.contract.vocabulary import EVENT_KEYS

COLUMNS = ("week", "kind", "citizen", "caseworker", "employer", "detail", "value")
DTYPES = (np.int32, np.int16, np.int32, np.int32, np.int32, np.int32, np.float64)


class EventLog:
    """Append-only log; ``add`` takes arrays so a week's events of one kind are logged in one call.

    ``detail`` is a label whose meaning depends on the event kind (an intervention key, a new status);
    ``value`` a number (waiting weeks, a belief, whether a contact led to a hire). Scalars broadcast.
    Entries are kept as given and only assembled into columns by :meth:`to_frame`, which keeps logging
    cheap inside the weekly loop.
    """

    def __init__(self) -> None:
        self._entries: list[tuple] = []
        self._details: list[str] = []
        self._codes: dict[str, int] = {}
        self._tables: dict[tuple[str, ...], np.ndarray] = {}

    def add(
        self,
        week: int,
        kind: str,
        citizen: np.ndarray,
        *,
        caseworker: np.ndarray | int = -1,
        employer: np.ndarray | int = -1,
        detail: str | np.ndarray | None = None,
        value: np.ndarray | float = np.nan,
    ) -> None:
        """Log one event per entry of ``citizen``."""
        if len(citizen) == 0:
            return
        if isinstance(detail, str):
            detail = self._detail_code(detail)
        elif detail is None:
            detail = -1
        self._entries.append((week, EVENT_KEYS.index(kind), citizen, caseworker, employer, detail, value))

    def _detail_code(self, detail: str) -> int:
        code = self._codes.get(detail)
        if code is None:
            code = self._codes[detail] = len(self._details)
            self._details.append(detail)
        return code

    def detail_codes(self, labels: tuple[str, ...]) -> np.ndarray:
        """Detail codes for a table of labels, so callers can pass ``codes[index_array]``."""
        codes = self._tables.get(labels)
        if codes is None:
            codes = self._tables[labels] = np.array([self._detail_code(label) for label in labels], dtype=np.int32)
        return codes

    def columns(self) -> dict[str, np.ndarray]:
        """The log as equal-length arrays, in the order events were logged."""
        if not self._entries:
            return {c: np.empty(0, dtype=d) for c, d in zip(COLUMNS, DTYPES, strict=True)}
        by_column = list(zip(*self._entries, strict=True))
        lengths = np.fromiter(map(len, by_column[2]), dtype=np.int64, count=len(self._entries))
        out = {}
        for column, dtype, values in zip(COLUMNS, DTYPES, by_column, strict=True):
            is_array = [kind is np.ndarray for kind in map(type, values)]
            if all(is_array):
                out[column] = np.concatenate(values).astype(dtype, copy=False)
                continue
            # Scalars broadcast over their entry's events in one repeat; the array entries, joined, fill the
            # rows of their entries in one masked assignment (a mask keeps their order).
            scalars = np.array([0 if array else v for v, array in zip(values, is_array, strict=True)], dtype=dtype)
            column_values = np.repeat(scalars, lengths)
            if any(is_array):
                arrays = [v for v, array in zip(values, is_array, strict=True) if array]
                column_values[np.repeat(np.array(is_array), lengths)] = np.concatenate(arrays)
            out[column] = column_values
        return out

    def to_frame(self) -> pd.DataFrame:
        """The log as a tidy table, ordered by week and then by the order events happened."""
        columns = self.columns()
        if np.any(np.diff(columns["week"]) < 0):  # entries are logged week by week, so this is rare
            order = np.argsort(columns["week"], kind="stable")
            columns = {c: v[order] for c, v in columns.items()}
        detail = columns["detail"]
        labels = pd.array([*self._details, None], dtype="string")
        return pd.DataFrame(
            {
                "week": columns["week"],
                "event": pd.Categorical.from_codes(columns["kind"], list(EVENT_KEYS)),
                "citizen_id": columns["citizen"],
                "caseworker_id": pd.arrays.IntegerArray(columns["caseworker"], columns["caseworker"] < 0),
                "employer_id": pd.arrays.IntegerArray(columns["employer"], columns["employer"] < 0),
                "detail": labels[np.where(detail < 0, len(self._details), detail)],
                "value": columns["value"],
            },
            copy=False,  # fresh arrays: no copy into consolidated blocks
        )
