"""Performance measures of a simulation study, with their Monte Carlo standard errors.

Definitions follow Morris, White & Crowther (2019), "Using simulation studies to evaluate statistical
methods", Statistics in Medicine 38:2074-2102, Table 6. Each replication contributes an estimate, its
model standard error, a 95% interval and the true value of the estimand in that replication (twins give a
truth per replication, so bias is the mean of estimate minus truth).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

KEYS = ["estimand", "outcome", "method", "scale"]


def performance(replications: pd.DataFrame, keys: list[str] | None = None) -> pd.DataFrame:
    """Bias, empirical SE, model SE and coverage, each with its Monte Carlo SE, per estimand and method.

    ``replications`` has one row per (replication, estimand, method) with columns ``estimate``, ``se``,
    ``ci_low``, ``ci_high`` and ``truth``; rows without an estimate or a truth are left out and counted.
    """
    keys = keys or [k for k in KEYS if k in replications]
    rows = []
    for group, frame in replications.groupby(keys, sort=True, dropna=False, observed=True):
        usable = frame.dropna(subset=["estimate", "truth"])
        rows.append(
            {
                **dict(zip(keys, group if isinstance(group, tuple) else (group,), strict=True)),
                **_measures(usable),
                "replications_missing": len(frame) - len(usable),
            }
        )
    return pd.DataFrame(rows)


def _measures(frame: pd.DataFrame) -> dict[str, float]:
    n = len(frame)
    estimate, truth = frame["estimate"].to_numpy(float), frame["truth"].to_numpy(float)
    out: dict[str, float] = {"replications": n, "true_value": _mean(truth), "mean_estimate": _mean(estimate)}
    if n == 0:
        return out | dict.fromkeys(
            (
                "bias",
                "bias_mcse",
                "empirical_se",
                "empirical_se_mcse",
                "model_se",
                "model_se_mcse",
                "coverage",
                "coverage_mcse",
            ),
            np.nan,
        )
    error = estimate - truth
    out["bias"] = float(error.mean())
    out["bias_mcse"] = float(error.std(ddof=1) / np.sqrt(n)) if n > 1 else np.nan
    empirical = float(estimate.std(ddof=1)) if n > 1 else np.nan
    out["empirical_se"] = empirical
    out["empirical_se_mcse"] = empirical / np.sqrt(2 * (n - 1)) if n > 1 else np.nan
    se = frame["se"].to_numpy(float) if "se" in frame else np.full(n, np.nan)
    variance = se**2
    model = float(np.sqrt(np.nanmean(variance))) if np.isfinite(variance).any() else np.nan
    out["model_se"] = model
    out["model_se_mcse"] = (
        float(np.sqrt(np.nanvar(variance, ddof=1) / (4 * n * model**2))) if n > 1 and model > 0 else np.nan
    )
    if {"ci_low", "ci_high"} <= set(frame) and frame[["ci_low", "ci_high"]].notna().all(axis=None):
        covered = (frame["ci_low"].to_numpy(float) <= truth) & (truth <= frame["ci_high"].to_numpy(float))
        coverage = float(covered.mean())
        out["coverage"] = coverage
        out["coverage_mcse"] = float(np.sqrt(coverage * (1 - coverage) / n))
    else:
        out["coverage"] = out["coverage_mcse"] = np.nan
    return out


def _mean(values: np.ndarray) -> float:
    return float(values.mean()) if values.size else np.nan
