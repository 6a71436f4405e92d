"""Summaries of an ensemble's runs: mean and interval per setting, and a paired comparison of two scenarios.

The mean of an outcome over replications has a Student-t interval, except for a share of citizens (an outcome
whose declared unit is a share, :data:`PROPORTIONS`): its interval is a Wilson score interval, which stays
within 0 and 1 where a t-interval of a few replications near 0 would not. The Wilson interval uses the
effective number of citizens (Korn and Graubard 1998): the share's binomial variance over its variance between
replications, scaled by (z / t)² for the replications' degrees of freedom and never more than the citizens in
all the runs, so it is as wide as the replications' spread says (citizens of one run share caseworkers and a
labour market, and are not independent draws). Differences of means keep their t-intervals.

A comparison pairs replication ``i`` of scenario A with replication ``i`` of B (they share a seed: common random
numbers), so the interval of the difference is the interval of the paired differences, much narrower than two
independent intervals would give.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from bipsim.contract.outcomes import OUTCOMES

LEVEL = 0.95
STATUS_OK = "ok"
PROPORTIONS: frozenset[str] = frozenset(o.key for o in OUTCOMES if o.unit.startswith("share"))
"""Outcomes that are shares of citizens (or citizen-weeks): their intervals are Wilson score intervals."""


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


def share_interval(
    values: np.ndarray, citizens: float, level: float = LEVEL
) -> tuple[int, float, float, float, float, float]:
    """Like :func:`t_interval`, but the interval is a Wilson score interval, within 0 and 1, for a share.

    ``values`` are one share per run and ``citizens`` the citizens of all those runs together (``inf``: not
    known); the interval rests on the effective number of citizens (see the module's docstring).
    """
    from statsmodels.stats.proportion import proportion_confint

    n, mean, sd, se, low, high = t_interval(values, level)
    if n < 2 or not 0 <= mean <= 1:
        return n, mean, sd, se, low, high
    if se > 0:
        z, t = stats.norm.ppf(0.5 + level / 2), stats.t.ppf(0.5 + level / 2, n - 1)
        effective = min(mean * (1 - mean) / se**2 * (z / t) ** 2, citizens)
    else:
        effective = citizens  # every run gave the same share: only the number of citizens bounds it
    if not np.isfinite(effective) or effective <= 0:
        return n, mean, sd, se, mean, mean
    low, high = proportion_confint(mean * effective, effective, alpha=1 - level, method="wilson")
    return n, mean, sd, se, float(low), float(high)


def summarise(runs: pd.DataFrame, outcomes: Sequence[str] | None = None, level: float = LEVEL) -> pd.DataFrame:
    """One row per (setting, outcome): runs ok and failed, values, mean, sd, se and the ``level`` interval.

    ``values`` counts the runs that are ok and have the outcome defined (some are NaN when nobody got a job).
    ``interval`` names the interval: ``t`` (Student-t over replications) or ``wilson`` (a share; see
    :func:`share_interval`), which uses the runs' ``citizens`` column where the table has one.
    """
    outcomes = list(outcomes or outcome_names(runs))
    rows = []
    for setting_id, group in runs.groupby("setting_id", sort=True):
        ok = group[group["status"] == STATUS_OK]
        failed = int(len(group) - len(ok))
        for outcome in outcomes:
            values = ok[outcome].to_numpy(dtype=float) if outcome in ok else np.array([])
            share = outcome in PROPORTIONS
            if share:
                defined = ~np.isnan(values)
                citizens = float(ok["citizens"].to_numpy(dtype=float)[defined].sum()) if "citizens" in ok else np.inf
                n, mean, sd, se, low, high = share_interval(values, citizens, level)
            else:
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
                    "interval": "wilson" if share else "t",
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
        return "no pair of runs where both are ok and the outcome is defined"
    if row["se"] == 0 and row["difference"] == 0:
        return "identical in every pair: no difference"
    if np.isnan(row["low"]):
        return "too few pairs for an interval"
    if not row["clear_difference"]:
        return f"no clear difference: the {percent} interval includes 0"
    return f"B {'higher' if row['difference'] > 0 else 'lower'} than A ({percent} interval excludes 0)"
