"""Performance measures of a simulation study, with their Monte Carlo standard errors.

Definitions follow Morris, White & Crowther (2019), "Using simulation studies to evaluate statistical
methods", Statistics in Medicine 38:2074-2102, Table 6. Each replication contributes an estimate, its
model standard error, a 95% interval, a p-value and the true value of the estimand in that replication
(twins give a truth per replication, so bias is the mean of estimate minus truth).

Measures that need no truth (mean estimate, empirical SE, model SE, rejection rate) use every replication
with an estimate; bias and coverage use those that also have a truth. An estimate without a truth is a
detection question only: how often does the method reject "no effect" (power, or the type I error rate
where the truth is zero)?
"""

from __future__ import annotations

import numpy as np
import pandas as pd

KEYS = ["estimand", "outcome", "method", "scale"]
ALPHA = 0.05
MEASURES = (
    "replications",
    "replications_missing",
    "with_truth",
    "true_value",
    "mean_estimate",
    "bias",
    "bias_mcse",
    "empirical_se",
    "empirical_se_mcse",
    "model_se",
    "model_se_mcse",
    "coverage",
    "coverage_mcse",
    "rejection",
    "rejection_mcse",
)


def performance(replications: pd.DataFrame, keys: list[str] | None = None) -> pd.DataFrame:
    """Bias, empirical SE, model SE, coverage and rejection rate, each with its Monte Carlo SE, per group.

    ``replications`` has one row per (replication, estimand, method) with columns ``estimate``, ``se``,
    ``ci_low``, ``ci_high``, optionally ``p_value``, and ``truth`` (NaN where no truth is known); rows
    without an estimate are left out and counted in ``replications_missing``.
    """
    keys = keys or [k for k in KEYS if k in replications]
    rows = []
    for group, frame in replications.groupby(keys, sort=True, dropna=False, observed=True):
        estimated = frame.dropna(subset=["estimate"])
        rows.append(
            {
                **dict(zip(keys, group if isinstance(group, tuple) else (group,), strict=True)),
                **_measures(estimated),
                "replications_missing": len(frame) - len(estimated),
            }
        )
    return pd.DataFrame(rows, columns=[*keys, *MEASURES])


def _measures(frame: pd.DataFrame) -> dict[str, float]:
    n = len(frame)
    estimate = frame["estimate"].to_numpy(float)
    truth = frame["truth"].to_numpy(float) if "truth" in frame else np.full(n, np.nan)
    known = np.isfinite(truth)
    out: dict[str, float] = dict.fromkeys(MEASURES, np.nan)
    out |= {"replications": n, "with_truth": int(known.sum()), "mean_estimate": _mean(estimate)}
    out["true_value"] = _mean(truth[known])
    if n > 1:
        empirical = float(estimate.std(ddof=1))
        out["empirical_se"] = empirical
        out["empirical_se_mcse"] = empirical / np.sqrt(2 * (n - 1))
    se = frame["se"].to_numpy(float) if "se" in frame else np.full(n, np.nan)
    variance = se[np.isfinite(se)] ** 2
    if variance.size:
        model = float(np.sqrt(variance.mean()))
        out["model_se"] = model
        if variance.size > 1 and model > 0:
            out["model_se_mcse"] = float(np.sqrt(variance.var(ddof=1) / (4 * variance.size * model**2)))
    if "p_value" in frame:
        p = frame["p_value"].to_numpy(float)
        p = p[np.isfinite(p)]
        if p.size:
            out["rejection"] = float((p < ALPHA).mean())
            out["rejection_mcse"] = _proportion_mcse(out["rejection"], p.size)
    m = int(known.sum())
    if m:
        error = estimate[known] - truth[known]
        out["bias"] = float(error.mean())
        out["bias_mcse"] = float(error.std(ddof=1) / np.sqrt(m)) if m > 1 else np.nan
        low, high = (
            frame[c].to_numpy(float)[known] if c in frame else np.full(m, np.nan) for c in ("ci_low", "ci_high")
        )
        with_interval = np.isfinite(low) & np.isfinite(high)
        if with_interval.all():
            covered = (low <= truth[known]) & (truth[known] <= high)
            out["coverage"] = float(covered.mean())
            out["coverage_mcse"] = _proportion_mcse(out["coverage"], m)
    return out


def _proportion_mcse(share: float, n: int) -> float:
    return float(np.sqrt(share * (1 - share) / n))


def _mean(values: np.ndarray) -> float:
    return float(values.mean()) if values.size else np.nan
