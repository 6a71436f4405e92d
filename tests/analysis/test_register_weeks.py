"""The register's citizen x week matrices: vectorised measures against week-by-week loops."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from bipsim.analysis.horizontal import exposures
from bipsim.analysis.register_weeks import RegisterWeeks
from bipsim.contract.codes import BENEFIT_KEYS
from bipsim.contract.vocabulary import INTERVENTION_KEYS

caseworkers = st.integers(1, 6).flatmap(
    lambda n: st.integers(1, 30).flatmap(lambda weeks: arrays(np.int64, (n, weeks), elements=st.integers(-1, 3)))
)


def register(caseworker: np.ndarray) -> RegisterWeeks:
    n, weeks = caseworker.shape
    table = pd.DataFrame(
        {
            "citizen_id": np.repeat(np.arange(n), weeks),
            "week": np.tile(np.arange(weeks), n),
            "benefit_code": pd.Categorical(np.full(n * weeks, "kh_activity_ready"), categories=list(BENEFIT_KEYS)),
            "activity": pd.Categorical(np.full(n * weeks, "none"), categories=[*INTERVENTION_KEYS, "none"]),
            "caseworker_id": pd.array(np.where(caseworker >= 0, caseworker, 0).ravel(), dtype="Int32"),
        }
    )
    table.loc[caseworker.ravel() < 0, "caseworker_id"] = pd.NA
    return RegisterWeeks(SimpleNamespace(register_weeks=table))


@given(caseworkers)
def test_a_caseworker_change_is_a_new_caseworker_after_the_last_one_known(caseworker):
    changed = register(caseworker).caseworker_changed()
    for i, weeks in enumerate(caseworker):
        last = -1
        for t, current in enumerate(weeks):
            if current >= 0:
                assert changed[i, t] == (last >= 0 and current != last)
                last = current
            else:
                assert not changed[i, t]
    ever = exposures(register(caseworker), None).matrices["caseworker_change"]
    np.testing.assert_array_equal(ever, np.cumsum(changed, axis=1) > 0)


@given(arrays(bool, st.tuples(st.integers(1, 5), st.integers(1, 40))), st.integers(1, 30))
def test_within_after_marks_the_weeks_after_each_marked_week(marked, weeks):
    within = register(np.zeros(marked.shape, dtype=np.int64)).within_after(marked, weeks)
    for i, row in enumerate(marked):
        for t in range(row.size):
            assert within[i, t] == row[max(0, t - weeks) : t].any()
