"""Triangulation: for each planted mechanism, does each method detect it, and do the methods agree?

One row per (mechanism, method) with the method's primary estimate: the first available of the outcomes
``job_entry``, ``job_1y``, ``citizen_readiness`` (so a method is judged on its own kind of evidence).
``detected`` is p < :data:`ALPHA` (NA when the method cannot estimate it); ``sign`` is the direction of the
estimate; ``agree_with_others`` is whether that direction is the same as every other method's estimate for
the mechanism (NA when no other method has one). ``expected_sign`` is the direction BIP published (or the
model's documentation states), so users can see which methods point the right way.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from bipsim.contract.estimands import ESTIMAND_KEYS, EXPECTED_SIGN

ALPHA = 0.05
PRIMARY_OUTCOMES: tuple[str, ...] = ("job_entry", "job_1y", "citizen_readiness")
COLUMNS = (
    "mechanism",
    "method",
    "outcome",
    "scale",
    "detected",
    "sign",
    "estimate",
    "ci_low",
    "ci_high",
    "p_value",
    "agree_with_others",
    "expected_sign",
)


def _sign(value: float) -> str | None:
    if not np.isfinite(value):
        return None
    return "+" if value > 0 else "-" if value < 0 else "0"


def triangulation_table(analysis: Any) -> pd.DataFrame:
    """The mechanism x method matrix (tidy) of an :class:`~bipsim.analysis.Analysis` or an estimates table."""
    estimates = analysis if isinstance(analysis, pd.DataFrame) else analysis.estimates
    # plain arrays: looking rows up in a pandas frame of string columns costs more than the whole table
    column = {c: estimates[c].to_numpy(dtype=object) for c in ("estimand", "method", "outcome", "scale")}
    value = {c: estimates[c].to_numpy(dtype=float) for c in ("estimate", "ci_low", "ci_high", "p_value")}
    positions: dict[tuple[str, str], list[int]] = {}
    for i, (mechanism, method) in enumerate(zip(column["estimand"], column["method"], strict=True)):
        positions.setdefault((mechanism, method), []).append(i)
    rows = []
    for mechanism in ESTIMAND_KEYS:
        for (of, method), candidates in positions.items():
            if of != mechanism:
                continue
            chosen = candidates[0]
            for outcome in PRIMARY_OUTCOMES:
                hit = [i for i in candidates if column["outcome"][i] == outcome and np.isfinite(value["estimate"][i])]
                if hit:
                    chosen = hit[0]
                    break
            estimate, p = value["estimate"][chosen], value["p_value"][chosen]
            rows.append(
                {
                    "mechanism": mechanism,
                    "method": method,
                    "outcome": column["outcome"][chosen],
                    "scale": column["scale"][chosen],
                    "detected": pd.NA if not np.isfinite(estimate) or not np.isfinite(p) else bool(p < ALPHA),
                    "sign": _sign(estimate),
                    "estimate": float(estimate),
                    "ci_low": float(value["ci_low"][chosen]),
                    "ci_high": float(value["ci_high"][chosen]),
                    "p_value": float(p),
                    "expected_sign": EXPECTED_SIGN.get(mechanism),
                }
            )
    table = pd.DataFrame(rows, columns=[c for c in COLUMNS if c != "agree_with_others"])
    signs: dict[str, list[tuple[str, str | None]]] = {}
    for row in rows:
        signs.setdefault(row["mechanism"], []).append((row["method"], row["sign"]))
    agree = []
    for row in rows:
        others = [sign for method, sign in signs[row["mechanism"]] if method != row["method"] and sign is not None]
        agree.append(pd.NA if row["sign"] is None or not others else all(sign == row["sign"] for sign in others))
    table["agree_with_others"] = pd.array(agree, dtype="boolean")
    table["detected"] = pd.array(table["detected"].tolist(), dtype="boolean")
    return table[list(COLUMNS)]


def finding(row: Any) -> str:
    """What one method says about one mechanism, in a few words (for the app's matrix)."""
    if pd.isna(row.detected):
        return "cannot see it"
    direction = {"+": "raises", "-": "lowers", "0": "no change in"}.get(row.sign, "?")
    verdict = "detected" if row.detected else "not significant"
    return f"{verdict}: {direction} {row.outcome.replace('_', ' ')} ({row.estimate:+.2f}, p={row.p_value:.2g})"
