"""The tidy estimates table that every analysis method writes into.

One row per (estimand, outcome, method): ``estimand, outcome, method, scale, estimate, se, ci_low,
ci_high, p_value, n, exposed, events, note``. Intervals are 95% Wald intervals on the row's scale. The estimands
(which mechanism, how its exposure shows in the observed data, what removes it in a twin) and the outcomes with
their scales are declared once in :mod:`bipsim.contract.estimands`, the methods (what each targets and assumes)
in :mod:`bipsim.analysis.methods`; rows are ordered as the estimand table. ``n`` counts the rows the estimate
uses, ``exposed`` the exposed citizens among them and ``events`` their outcome events (job entries, citizens
with a job; for a continuous outcome the exposed observations).

A method that cannot see an estimand writes a row with a NaN estimate and the reason in ``note`` (e.g.
waiting is not in the register; no observed table holds labour demand). So does a method whose exposed
citizens or events are fewer than :data:`MIN_EXPOSED` or :data:`MIN_EVENTS`: such a row is too thin to be an
estimate, and its note shows the counts (:func:`too_thin`). Landmark outcomes are measured after the landmark
week of :mod:`bipsim.analysis.horizontal`.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy.stats import norm

from bipsim.contract.estimands import ESTIMAND_KEYS

COLUMNS: tuple[str, ...] = (
    "estimand",
    "outcome",
    "method",
    "scale",
    "estimate",
    "se",
    "ci_low",
    "ci_high",
    "p_value",
    "n",
    "exposed",
    "events",
    "note",
)
MIN_EXPOSED = 20
"""Fewest exposed citizens an estimate may rest on."""
MIN_EVENTS = 10
"""Fewest outcome events among the exposed an estimate may rest on."""
Z95 = float(norm.ppf(0.975))


def row(
    estimand: str,
    outcome: str,
    method: str,
    scale: str,
    estimate: float,
    se: float = math.nan,
    n: int = 0,
    note: str = "",
    p_value: float | None = None,
    exposed: int = 0,
    events: int = 0,
    interval: tuple[float, float] | None = None,
) -> dict[str, object]:
    """One row of the estimates table; the interval (unless given) and p-value come from a normal Wald test.

    Pass ``interval`` where a Wald interval would leave the scale, e.g. a Wilson interval for a share.
    """
    estimate, se = float(estimate), float(se)
    ok = math.isfinite(estimate) and math.isfinite(se) and se > 0
    if p_value is None:
        p_value = float(2 * norm.sf(abs(estimate / se))) if ok else math.nan
    if interval is not None:
        low, high = (float(v) for v in interval)
        return _row(estimand, outcome, method, scale, estimate, se, low, high, p_value, n, exposed, events, note)
    low, high = (estimate - Z95 * se, estimate + Z95 * se) if ok else (math.nan, math.nan)
    return _row(
        estimand, outcome, method, scale, estimate, se if ok else math.nan, low, high, p_value, n, exposed, events, note
    )


def _row(
    estimand: str,
    outcome: str,
    method: str,
    scale: str,
    estimate: float,
    se: float,
    low: float,
    high: float,
    p_value: float,
    n: int,
    exposed: int,
    events: int,
    note: str,
) -> dict[str, object]:
    return {
        "estimand": estimand,
        "outcome": outcome,
        "method": method,
        "scale": scale,
        "estimate": estimate,
        "se": se,
        "ci_low": low,
        "ci_high": high,
        "p_value": p_value,
        "n": int(n),
        "exposed": int(exposed),
        "events": int(events),
        "note": note,
    }


def not_estimable(
    estimand: str, outcome: str, method: str, scale: str, note: str, n: int = 0, exposed: int = 0, events: int = 0
) -> dict[str, object]:
    """A row whose estimate is NaN, with the reason in ``note``."""
    return row(estimand, outcome, method, scale, math.nan, n=n, note=note, exposed=exposed, events=events)


def too_thin(exposed: int, events: int) -> str | None:
    """Why an estimate on ``exposed`` exposed citizens and ``events`` events would be too thin (``None``: not)."""
    if exposed >= MIN_EXPOSED and events >= MIN_EVENTS:
        return None
    return (
        f"too thin to estimate: {exposed} exposed citizens and {events} events "
        f"(at least {MIN_EXPOSED} and {MIN_EVENTS} needed)"
    )


def table(rows: list[dict[str, object]]) -> pd.DataFrame:
    """The tidy estimates table, in a stable order (mechanism, outcome, method)."""
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    order = {k: i for i, k in enumerate(ESTIMAND_KEYS)}
    frame["_order"] = frame["estimand"].map(order).fillna(len(order))
    frame = frame.sort_values(["_order", "outcome", "method"], kind="stable").drop(columns="_order")
    for column in ("n", "exposed", "events"):
        frame[column] = frame[column].astype(np.int64)
    return frame.reset_index(drop=True)
