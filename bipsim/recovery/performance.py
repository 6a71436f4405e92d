"""Performance measures of a simulation study, with their Monte Carlo standard errors.

Definitions follow Morris, White & Crowther (2019), "Using simulation studies to evaluate statistical
methods", Statistics in Medicine 38:2074-2102, Table 6: bias, relative bias, empirical SE, model SE, relative
% error in model SE, MSE, RMSE, coverage, bias-eliminated coverage, rejection rate, and the relative %
increase in precision against a reference method with its correlation-adjusted Monte Carlo SE
(n - 1 denominators where the paper has them). Each replication contributes an estimate, its
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
    "relative_bias",
    "relative_bias_mcse",
    "empirical_se",
    "empirical_se_mcse",
    "model_se",
    "model_se_mcse",
    "model_se_error_pct",
    "model_se_error_pct_mcse",
    "mse",
    "mse_mcse",
    "rmse",
    "rmse_mcse",
    "coverage",
    "coverage_mcse",
    "bias_eliminated_coverage",
    "bias_eliminated_coverage_mcse",
    "rejection",
    "rejection_mcse",
)
PRECISION = ("reference_method", "relative_precision_pct", "relative_precision_pct_mcse")


def performance(
    replications: pd.DataFrame, keys: list[str] | None = None, reference: dict[tuple, str] | None = None
) -> pd.DataFrame:
    """Every ADEMP performance measure with its Monte Carlo SE, per group of ``keys``.

    ``replications`` has one row per (replication, estimand, method) with columns ``estimate``, ``se``,
    ``ci_low``, ``ci_high``, optionally ``p_value`` and ``replication``, and ``truth`` (NaN where no truth is
    known); rows without an estimate are left out and counted in ``replications_missing``.

    ``reference`` maps a group without its method, e.g. ``(estimand, outcome, scale)``, to the method the
    others are compared with: the relative % increase in precision of each method against it (paired by
    ``replication``, with the correlation-adjusted Monte Carlo SE) is added in the columns of
    :data:`PRECISION`.
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
    table = pd.DataFrame(rows, columns=[*keys, *MEASURES])
    if reference:
        table = _with_precision(table, replications, keys, reference)
    return table


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
            spread = float(variance.var(ddof=1))
            out["model_se_mcse"] = float(np.sqrt(spread / (4 * variance.size * model**2)))
            empirical = out["empirical_se"]
            if np.isfinite(empirical) and empirical > 0:
                ratio = model / empirical
                out["model_se_error_pct"] = 100 * (ratio - 1)
                out["model_se_error_pct_mcse"] = float(
                    100 * ratio * np.sqrt(spread / (4 * variance.size * model**4) + 1 / (2 * (n - 1)))
                )
    if "p_value" in frame:
        p = frame["p_value"].to_numpy(float)
        p = p[np.isfinite(p)]
        if p.size:
            out["rejection"] = float((p < ALPHA).mean())
            out["rejection_mcse"] = _proportion_mcse(out["rejection"], p.size)
    m = int(known.sum())
    if m:
        out |= _against_truth(frame, estimate[known], truth[known], known)
    return out


def _against_truth(frame: pd.DataFrame, estimate: np.ndarray, truth: np.ndarray, known: np.ndarray) -> dict[str, float]:
    """Bias, relative bias, MSE, RMSE and the two coverages, against a truth that may differ by replication."""
    m = estimate.size
    out: dict[str, float] = {}
    error = estimate - truth
    bias = float(error.mean())
    out["bias"] = bias
    out["bias_mcse"] = float(error.std(ddof=1) / np.sqrt(m)) if m > 1 else np.nan
    true_value = float(truth.mean())
    if true_value != 0:
        out["relative_bias"] = bias / true_value
        out["relative_bias_mcse"] = out["bias_mcse"] / abs(true_value)
    squared = error**2
    mse = float(squared.mean())
    out["mse"] = mse
    if m > 1:
        out["mse_mcse"] = float(np.sqrt(((squared - mse) ** 2).sum() / (m * (m - 1))))
        out["rmse"] = float(np.sqrt(mse))
        out["rmse_mcse"] = out["mse_mcse"] / (2 * out["rmse"]) if mse > 0 else np.nan
    else:
        out["rmse"] = float(np.sqrt(mse))
    low, high = (frame[c].to_numpy(float)[known] if c in frame else np.full(m, np.nan) for c in ("ci_low", "ci_high"))
    if (np.isfinite(low) & np.isfinite(high)).all():
        covered = (low <= truth) & (truth <= high)
        out["coverage"] = float(covered.mean())
        out["coverage_mcse"] = _proportion_mcse(out["coverage"], m)
        # the interval would cover if the estimator had no bias: shift the truth by the mean error
        shifted = truth + bias
        eliminated = (low <= shifted) & (shifted <= high)
        out["bias_eliminated_coverage"] = float(eliminated.mean())
        out["bias_eliminated_coverage_mcse"] = _proportion_mcse(out["bias_eliminated_coverage"], m)
    return out


def relative_precision(reference: np.ndarray, method: np.ndarray) -> tuple[float, float]:
    """Relative % increase in precision of ``method`` against ``reference``, and its Monte Carlo SE.

    Both are estimates from the same replications (paired). Morris et al. (2019), Table 6:
    ``100 ((EmpSE_ref / EmpSE_method)^2 - 1)``, with MCSE ``200 (EmpSE_ref / EmpSE_method)^2
    sqrt((1 - rho^2) / (n - 1))`` where ``rho`` is the correlation of the two methods' estimates.
    """
    finite = np.isfinite(reference) & np.isfinite(method)
    reference, method = reference[finite], method[finite]
    n = reference.size
    if n < 3:
        return np.nan, np.nan
    sd_reference, sd_method = reference.std(ddof=1), method.std(ddof=1)
    if sd_method == 0 or sd_reference == 0:
        return np.nan, np.nan
    squared = (sd_reference / sd_method) ** 2
    rho = float(np.corrcoef(reference, method)[0, 1])
    return float(100 * (squared - 1)), float(200 * squared * np.sqrt((1 - rho**2) / (n - 1)))


def _with_precision(
    table: pd.DataFrame, replications: pd.DataFrame, keys: list[str], reference: dict[tuple, str]
) -> pd.DataFrame:
    others = [k for k in keys if k != "method"]
    table = table.assign(**dict.fromkeys(PRECISION, np.nan))
    table["reference_method"] = table["reference_method"].astype(object)
    for i, row in table.iterrows():
        group = tuple(row[k] for k in others)
        chosen = reference.get(group)
        if chosen is None:
            continue
        table.at[i, "reference_method"] = chosen
        mask = np.ones(len(replications), dtype=bool)
        for k in others:
            mask &= (replications[k] == row[k]).to_numpy()
        both = replications[mask].pivot_table(index="replication", columns="method", values="estimate", observed=True)
        if chosen not in both or row["method"] not in both:
            continue
        gain, mcse = relative_precision(both[chosen].to_numpy(float), both[row["method"]].to_numpy(float))
        table.at[i, "relative_precision_pct"] = gain
        table.at[i, "relative_precision_pct_mcse"] = mcse
    return table


def _proportion_mcse(share: float, n: int) -> float:
    return float(np.sqrt(share * (1 - share) / n))


def _mean(values: np.ndarray) -> float:
    return float(values.mean()) if values.size else np.nan
