"""ADEMP performance measures on simulated estimates whose properties are known."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from bipsim.recovery.performance import performance


def estimates(rng: np.random.Generator, n: int, truth: float, bias: float, sd: float, reported_se: float):
    estimate = truth + bias + rng.normal(0, sd, n)
    return pd.DataFrame(
        {
            "estimand": "x",
            "outcome": "y",
            "method": "m",
            "scale": "risk_difference",
            "estimate": estimate,
            "se": reported_se,
            "ci_low": estimate - 1.96 * reported_se,
            "ci_high": estimate + 1.96 * reported_se,
            "truth": truth,
        }
    )


def test_unbiased_estimator_with_correct_se_has_nominal_coverage():
    row = performance(estimates(np.random.default_rng(1), 4000, 0.3, 0.0, 0.1, 0.1)).iloc[0]
    assert abs(row["bias"]) < 3 * row["bias_mcse"]
    assert row["empirical_se"] == pytest.approx(0.1, abs=3 * row["empirical_se_mcse"])
    assert row["model_se"] == pytest.approx(0.1)
    assert row["coverage"] == pytest.approx(0.95, abs=3 * row["coverage_mcse"])


def test_bias_and_understated_se_show_up():
    row = performance(estimates(np.random.default_rng(2), 2000, 0.0, 0.2, 0.1, 0.05)).iloc[0]
    assert row["bias"] == pytest.approx(0.2, abs=4 * row["bias_mcse"])
    assert row["model_se"] < row["empirical_se"]
    assert row["coverage"] < 0.5


def test_monte_carlo_errors_shrink_with_replications():
    few = performance(estimates(np.random.default_rng(3), 50, 1.0, 0.0, 0.2, 0.2)).iloc[0]
    many = performance(estimates(np.random.default_rng(3), 5000, 1.0, 0.0, 0.2, 0.2)).iloc[0]
    assert many["bias_mcse"] < few["bias_mcse"] / 5
    assert many["coverage_mcse"] < few["coverage_mcse"]


def test_missing_estimates_are_counted_not_used():
    frame = estimates(np.random.default_rng(4), 10, 0.0, 0.0, 1.0, 1.0)
    frame.loc[:2, "estimate"] = np.nan
    row = performance(frame).iloc[0]
    assert row["replications"] == 7
    assert row["replications_missing"] == 3
