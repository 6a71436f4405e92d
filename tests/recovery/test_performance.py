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


def test_every_measure_matches_a_worked_example_computed_by_hand():
    # Four replications, truth 2 in each; estimates 1, 2, 3, 6 with SEs 1, 1, 2, 2 and 1.96-SE intervals.
    estimate = np.array([1.0, 2.0, 3.0, 6.0])
    se = np.array([1.0, 1.0, 2.0, 2.0])
    frame = pd.DataFrame(
        {
            "estimand": "x",
            "outcome": "y",
            "method": "m",
            "scale": "s",
            "estimate": estimate,
            "se": se,
            "ci_low": estimate - 1.96 * se,
            "ci_high": estimate + 1.96 * se,
            "p_value": [0.01, 0.2, 0.04, 0.5],
            "truth": 2.0,
        }
    )
    row = performance(frame).iloc[0]
    # By hand: errors -1, 0, 1, 4; deviations from the mean estimate 3: -2, -1, 0, 3 (sum of squares 14).
    expected = {
        "mean_estimate": 3.0,
        "bias": 1.0,
        "bias_mcse": (14 / 3) ** 0.5 / 2,
        "relative_bias": 0.5,
        "relative_bias_mcse": (14 / 3) ** 0.5 / 4,
        "empirical_se": (14 / 3) ** 0.5,
        "empirical_se_mcse": (14 / 3) ** 0.5 / 6**0.5,
        "model_se": 2.5**0.5,  # root of the mean variance (1 + 1 + 4 + 4) / 4
        "model_se_mcse": (3 / (4 * 4 * 2.5)) ** 0.5,  # variances 1, 1, 4, 4 have sample variance 3
        "model_se_error_pct": 100 * (2.5**0.5 / (14 / 3) ** 0.5 - 1),
        "model_se_error_pct_mcse": 100 * (2.5**0.5 / (14 / 3) ** 0.5) * (3 / (4 * 4 * 2.5**2) + 1 / 6) ** 0.5,
        "mse": 4.5,  # (1 + 0 + 1 + 16) / 4
        "mse_mcse": (177 / 12) ** 0.5,  # squared deviations of 1, 0, 1, 16 from 4.5 sum to 177
        "rmse": 4.5**0.5,
        "rmse_mcse": (177 / 12) ** 0.5 / (2 * 4.5**0.5),
        "coverage": 0.75,  # [2.08, 9.92] misses 2
        "coverage_mcse": (0.75 * 0.25 / 4) ** 0.5,
        "bias_eliminated_coverage": 0.75,  # truth + bias = 3: [-0.96, 2.96] misses it
        "bias_eliminated_coverage_mcse": (0.75 * 0.25 / 4) ** 0.5,
        "rejection": 0.5,  # p = 0.01 and 0.04 are below 0.05
        "rejection_mcse": 0.25,
    }
    for measure, value in expected.items():
        assert row[measure] == pytest.approx(value, rel=1e-12), measure


def test_relative_precision_against_a_reference_matches_a_worked_example():
    # Reference 1, 2, 3, 4 (variance 5/3); method 2, 2, 3, 3 (variance 1/3): precision ratio 5, i.e. +400%.
    # Their covariance is 2/3, so rho^2 = (2/3)^2 / (5/3 * 1/3) = 0.8 and the MCSE is 200 * 5 * sqrt(0.2 / 3).
    rows = []
    for method, values in (("reference", [1.0, 2.0, 3.0, 4.0]), ("method", [2.0, 2.0, 3.0, 3.0])):
        for replication, value in enumerate(values):
            rows.append(
                {
                    "replication": replication,
                    "estimand": "x",
                    "outcome": "y",
                    "method": method,
                    "scale": "s",
                    "estimate": value,
                    "se": 1.0,
                    "ci_low": value - 2,
                    "ci_high": value + 2,
                    "truth": 2.5,
                }
            )
    table = performance(pd.DataFrame(rows), reference={("x", "y", "s"): "reference"}).set_index("method")
    assert table.loc["method", "relative_precision_pct"] == pytest.approx(400.0)
    assert table.loc["method", "relative_precision_pct_mcse"] == pytest.approx(1000 * (0.2 / 3) ** 0.5)
    assert table.loc["reference", "relative_precision_pct"] == pytest.approx(0.0)
    assert table.loc["method", "reference_method"] == "reference"


def test_relative_bias_is_undefined_when_the_truth_is_zero():
    row = performance(estimates(np.random.default_rng(5), 50, 0.0, 0.1, 0.1, 0.1)).iloc[0]
    assert np.isnan(row["relative_bias"]) and np.isfinite(row["bias"])
