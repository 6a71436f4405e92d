"""Summaries of an ensemble's runs: mean and interval per setting, and a paired comparison of two scenarios.

Intervals are Student-t intervals over replications. A comparison pairs replication ``i`` of scenario A
with replication ``i`` of B (they share a seed: common random numbers), so the interval of the difference
is the interval of the paired differences, much narrower than two independent intervals would give.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

LEVEL = 0.95
STATUS_OK = "ok"


def outcome_names(runs: pd.DataFrame) -> list[str]:
    """The outcome columns of a runs table: the run summary's keys, which follow the ``error`` column."""
    return list(runs.columns[runs.columns.get_loc("error") + 1 :])


def t_interval(values: np.ndarray, level: float = LEVEL) -> tuple[int, float, float, float, float, float]:
    """n, mean, sd, se and the t-interval of ``values`` (NaNs dropped; spread is NaN below two values)."""
    values = values[~np.isnan(values)]
    n = values.size
    if n == 0:
        return 0, np.nan, np.nan, np.nan, np.nan, np.nan
    mean = float(values.mean())
    if n < 2:
        return n, mean, np.nan, np.nan, np.nan, np.nan
    sd = float(values.std(ddof=1))
    se = sd / np.sqrt(n)
    half = float(stats.t.ppf(0.5 + level / 2, n - 1)) * se
    return n, mean, sd, se, mean - half, mean + half


def summarise(runs: pd.DataFrame, outcomes: Sequence[str] | None = None, level: float = LEVEL) -> pd.DataFrame:
    """One row per (setting, outcome): runs ok and failed, values, mean, sd, se and the ``level`` interval.

    ``values`` counts the runs that are ok and have the outcome defined (some are NaN when nobody got a job).
    """
    outcomes = list(outcomes or outcome_names(runs))
    rows = []
    for setting_id, group in runs.groupby("setting_id", sort=True):
        ok = group[group["status"] == STATUS_OK]
        failed = int(len(group) - len(ok))
        for outcome in outcomes:
            values = ok[outcome].to_numpy(dtype=float) if outcome in ok else np.array([])
            n, mean, sd, se, low, high = t_interval(values, level)
            rows.append(
                {
                    "setting_id": setting_id,
                    "outcome": outcome,
                    "runs_ok": len(ok),
                    "runs_failed": failed,
                    "values": n,
                    "mean": mean,
                    "sd": sd,
                    "se": se,
                    "low": low,
                    "high": high,
                }
            )
    return pd.DataFrame(rows)


def compare(
    runs_a: pd.DataFrame, runs_b: pd.DataFrame, outcomes: Sequence[str] | None = None, level: float = LEVEL
) -> pd.DataFrame:
    """Paired differences B - A per outcome: replication ``i`` of A against replication ``i`` of B.

    Columns: outcome, pairs (both runs ok and the outcome defined), mean_a, mean_b, difference, se, low, high
    and ``clear_difference`` (an interval could be computed and it excludes 0).
    """
    outcomes = list(outcomes or outcome_names(runs_a))
    ok_a = runs_a[runs_a["status"] == STATUS_OK].set_index("replication")
    ok_b = runs_b[runs_b["status"] == STATUS_OK].set_index("replication")
    both = ok_a.index.intersection(ok_b.index).sort_values()
    rows = []
    for outcome in outcomes:
        a = ok_a.loc[both, outcome].to_numpy(dtype=float)
        b = ok_b.loc[both, outcome].to_numpy(dtype=float)
        defined = ~(np.isnan(a) | np.isnan(b))
        a, b = a[defined], b[defined]
        n, difference, _, se, low, high = t_interval(b - a, level)
        identical = n > 0 and bool(np.all(a == b))
        if identical:
            se, low, high = 0.0, 0.0, 0.0
        rows.append(
            {
                "outcome": outcome,
                "pairs": n,
                "mean_a": float(a.mean()) if n else np.nan,
                "mean_b": float(b.mean()) if n else np.nan,
                "difference": difference,
                "se": se,
                "low": low,
                "high": high,
                "clear_difference": not identical and n >= 2 and not bool(low <= 0 <= high),
            }
        )
    return pd.DataFrame(rows)


def verdict(row: pd.Series, level: float = LEVEL) -> str:
    """A plain statement of one comparison row."""
    percent = f"{level:.0%}"
    if row["pairs"] == 0:
        return "no paired runs to compare"
    if row["se"] == 0 and row["difference"] == 0:
        return "identical in every pair: no difference"
    if np.isnan(row["low"]):
        return "too few pairs for an interval"
    if not row["clear_difference"]:
        return f"no clear difference: the {percent} interval includes 0"
    return f"B {'higher' if row['difference'] > 0 else 'lower'} than A ({percent} interval excludes 0)"
