"""Analyses of observed data: known answers on synthetic bundles, refusals, and no reading of the truth."""

from __future__ import annotations

import math
import re
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
import statsmodels.api as sm

import bipsim
from bipsim.analysis import AnalysisError, analyze, horizontal, read_observed, triangulation_table
from bipsim.analysis.estimates import COLUMNS
from bipsim.analysis.horizontal import fit_logit
from bipsim.analysis.vertical import auc, weighted_kappa
from bipsim.cli import main
from bipsim.contract.codes import BENEFIT_KEYS
from bipsim.contract.estimands import ESTIMAND_KEYS
from bipsim.contract.vocabulary import INTERVENTION_KEYS
from bipsim.instruments import observe

CHANGE_EFFECT = 0.7  # planted log-odds of weekly job entry after a caseworker change
PLACEMENT_EFFECT = 0.8  # planted log-odds after a completed private placement
CONFOUNDING = -1.0  # psychiatric diagnosis: lowers job entry and raises the chance of a placement


def synthetic(n: int = 4000, weeks: int = 104, seed: int = 3) -> SimpleNamespace:
    """Observed tables whose job-entry hazard is built with known coefficients.

    Weekly logit of job entry from social assistance: -4.5 + CHANGE_EFFECT x (caseworker changed before)
    + PLACEMENT_EFFECT x (private placement completed in the last 26 weeks) + CONFOUNDING x psychiatric.
    Citizens with a psychiatric diagnosis are three times as likely to get a placement (selection).
    """
    rng = np.random.default_rng(seed)
    psychiatric = rng.random(n) < 0.5
    change_week = np.where(rng.random(n) < 0.5, rng.integers(1, weeks, n), weeks + 1)
    placed = rng.random(n) < np.where(psychiatric, 0.45, 0.15)
    placement_start = np.where(placed, rng.integers(0, weeks - 20, n), weeks + 1)
    code = np.full((n, weeks), BENEFIT_KEYS.index("kh_activity_ready"), dtype=np.int16)
    activity = np.full((n, weeks), "none", dtype=object)
    caseworker = np.repeat((np.arange(n) % 100)[:, None], weeks, axis=1)
    caseworker[np.arange(weeks)[None, :] >= change_week[:, None]] += 100
    draws = rng.random((n, weeks))
    for i in range(n):
        for t in range(weeks - 1):
            if placement_start[i] <= t < placement_start[i] + 13:
                activity[i, t] = "private_placement"
            after = placement_start[i] + 13 <= t < placement_start[i] + 13 + 26
            changed = t >= change_week[i]
            logit = -4.5 + CHANGE_EFFECT * changed + PLACEMENT_EFFECT * after + CONFOUNDING * psychiatric[i]
            if draws[i, t] < 1 / (1 + math.exp(-logit)):
                code[i, t + 1 :] = BENEFIT_KEYS.index("ordinary_job")
                break
    in_job = code == BENEFIT_KEYS.index("ordinary_job")
    activity[in_job] = "none"
    register = pd.DataFrame(
        {
            "citizen_id": np.repeat(np.arange(n, dtype=np.int32), weeks),
            "week": np.tile(np.arange(weeks, dtype=np.int32), n),
            "benefit_code": pd.Categorical.from_codes(code.ravel(), categories=list(BENEFIT_KEYS)),
            "self_supporting": in_job.ravel(),
            "activity": pd.Categorical(activity.ravel(), categories=[*INTERVENTION_KEYS, "none"]),
            "caseworker_id": pd.array(np.where(in_job, -1, caseworker).ravel(), dtype="Int32"),
            "employer_id": pd.array([pd.NA] * (n * weeks), dtype="Int32"),
        }
    )
    register.loc[register["caseworker_id"] < 0, "caseworker_id"] = pd.NA
    citizens = pd.DataFrame(
        {
            "citizen_id": np.arange(n, dtype=np.int32),
            "jobcentre": (np.arange(n) % 2).astype(np.int16),
            "age": rng.integers(20, 60, n).astype(np.int16),
            "sex": pd.Categorical(rng.choice(["female", "male"], n)),
            "origin": pd.Categorical(np.full(n, "danish_or_western")),
            "vocational_qualification": rng.random(n) < 0.3,
            "psychiatric_diagnosis": psychiatric,
            "musculoskeletal_disorder": rng.random(n) < 0.2,
            "children": rng.random(n) < 0.3,
        }
    )
    return SimpleNamespace(citizens=citizens, register_weeks=register, register_history=None, survey=None)


@pytest.fixture(scope="module")
def planted() -> pd.DataFrame:
    return analyze(synthetic(), tables=False).estimates


def estimate(estimates: pd.DataFrame, estimand: str, method: str, outcome: str = "job_entry") -> pd.Series:
    chosen = estimates[(estimates.estimand == estimand) & (estimates.method == method) & (estimates.outcome == outcome)]
    assert len(chosen) == 1
    return chosen.iloc[0]


def test_the_adjusted_hazard_recovers_a_planted_caseworker_change_effect_within_its_interval(planted):
    row = estimate(planted, "caseworker_change", "register_hazard")
    assert row.ci_low < CHANGE_EFFECT < row.ci_high
    assert row.p_value < 0.05


def test_adjustment_removes_the_selection_bias_that_the_naive_comparison_shows(planted):
    naive = estimate(planted, "private_placement", "register_naive")
    adjusted = estimate(planted, "private_placement", "register_hazard")
    weighted = estimate(planted, "private_placement", "register_ipw")
    assert adjusted.ci_low < PLACEMENT_EFFECT < adjusted.ci_high
    assert weighted.ci_low < PLACEMENT_EFFECT < weighted.ci_high
    assert naive.estimate < PLACEMENT_EFFECT - 0.2  # placements go to those less likely to find a job


PLANTED_ESTIMATES = {
    # (estimand, outcome, method): (estimate, se) as the analyses gave them before they were made faster
    ("caseworker_change", "job_1y", "register_ipw"): (0.18343751310980283, 0.025439695858906472),
    ("caseworker_change", "job_1y", "register_ipw_att"): (0.1832759914168785, 0.02503761805770229),
    ("caseworker_change", "job_1y", "register_naive"): (0.17671585779168208, 0.02507468352817637),
    ("caseworker_change", "job_entry", "register_hazard"): (0.6624098066357276, 0.04919826412094058),
    ("caseworker_change", "job_entry", "register_naive"): (0.6116679292234751, 0.04704393947830135),
    ("private_placement", "job_1y", "register_ipw"): (0.050978376884484485, 0.041601616099511324),
    ("private_placement", "job_1y", "register_ipw_att"): (0.08471833760318319, 0.04061059159115401),
    ("private_placement", "job_1y", "register_naive"): (0.020275942479595757, 0.039604543968859186),
    ("private_placement", "job_entry", "register_hazard"): (0.7619999988013457, 0.07095520515961884),
    ("private_placement", "job_entry", "register_ipw"): (0.6794794007320996, 0.07491087610018811),
    ("private_placement", "job_entry", "register_ipw_att"): (0.7485927391389297, 0.06978957663416618),
    ("private_placement", "job_entry", "register_naive"): (0.5293068259770722, 0.06794948708742372),
}


def test_the_register_estimates_are_those_the_analyses_always_gave(planted):
    """Speeding the fits up (starts near the solution, shared propensities, array designs) changed no estimate."""
    estimated = planted[planted["estimate"].notna()].set_index(["estimand", "outcome", "method"])
    assert set(estimated.index) == set(PLANTED_ESTIMATES)
    for key, (value, se) in PLANTED_ESTIMATES.items():
        assert estimated.loc[key, "estimate"] == pytest.approx(value, rel=1e-9), key
        assert estimated.loc[key, "se"] == pytest.approx(se, rel=1e-9), key


def test_estimates_table_has_every_mechanism_and_the_documented_columns(planted):
    assert tuple(planted.columns) == COLUMNS
    assert set(ESTIMAND_KEYS) <= set(planted["estimand"])
    waiting = planted[planted.estimand == "waiting"]
    assert waiting["estimate"].isna().all()
    assert waiting["note"].str.contains("not in the register").any()


def test_analyses_refuse_data_without_the_tables_they_need():
    with pytest.raises(AnalysisError, match="register_weeks"):
        analyze(SimpleNamespace(citizens=pd.DataFrame({"citizen_id": [1]})))
    partial = synthetic(n=20, weeks=30)
    partial.register_weeks = partial.register_weeks.drop(columns=["caseworker_id"])
    with pytest.raises(AnalysisError, match="caseworker_id"):
        analyze(partial)


def test_the_command_refuses_a_folder_without_observed_tables_with_one_line(tmp_path, capsys):
    assert main(["analyze", str(tmp_path), "--out", str(tmp_path / "report")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("bipsim: error:") and err.count("\n") == 1 and "Traceback" not in err


def test_cluster_robust_logit_matches_statsmodels():
    rng = np.random.default_rng(0)
    x = pd.DataFrame({"const": 1.0, "a": (rng.random(3000) < 0.3).astype(float), "b": rng.normal(size=3000)})
    y = (rng.random(3000) < 1 / (1 + np.exp(-(-1 + x["a"] + 0.5 * x["b"])))).astype(float)
    groups = rng.integers(0, 60, 3000)
    reference = sm.GLM(y, x, family=sm.families.Binomial()).fit(cov_type="cluster", cov_kwds={"groups": groups})
    ours = fit_logit(y.to_numpy(), x, groups)
    np.testing.assert_allclose(ours.params, reference.params, rtol=1e-8)
    np.testing.assert_allclose(ours.bse, reference.bse, rtol=1e-8)


def test_cluster_robust_errors_do_not_depend_on_how_clusters_are_numbered():
    rng = np.random.default_rng(1)
    x = pd.DataFrame({"const": 1.0, "a": (rng.random(2000) < 0.3).astype(float)})
    y = (rng.random(2000) < 0.2).astype(float)
    groups = rng.integers(0, 40, 2000)
    counted = fit_logit(y, x, groups)  # ids in a narrow range are counted, others sorted
    for renumbered in (groups - 7, groups * 1_000_003, groups.astype(float), groups.astype(str)):
        np.testing.assert_allclose(fit_logit(y, x, renumbered).bse, counted.bse, rtol=1e-12)


def test_agreement_and_prediction_measures_have_known_values():
    assert weighted_kappa(np.array([1, 2, 3, 4, 5]), np.array([1, 2, 3, 4, 5])) == pytest.approx(1.0)
    assert weighted_kappa(np.array([1, 5, 1, 5]), np.array([5, 1, 5, 1])) < 0
    assert auc(np.array([1, 2, 3, 4]), np.array([0, 0, 1, 1])) == 1.0
    assert auc(np.array([1, 1, 1, 1]), np.array([0, 1, 0, 1])) == 0.5


def test_triangulation_marks_detection_and_agreement():
    rows = pd.DataFrame(
        {
            "estimand": ["caseworker_change"] * 3,
            "outcome": ["job_entry", "citizen_readiness", "job_1y"],
            "method": ["register_hazard", "survey_progression", "interviews"],
            "scale": ["log_hazard_ratio", "mean_difference", "risk_difference"],
            "estimate": [-0.3, -0.1, 0.05],
            "se": [0.1, 0.1, 0.1],
            "ci_low": [-0.5, -0.3, -0.15],
            "ci_high": [-0.1, 0.1, 0.25],
            "p_value": [0.003, 0.3, 0.6],
            "n": [1, 1, 1],
            "note": ["", "", ""],
        }
    )
    table = triangulation_table(rows).set_index("method")
    assert table.loc["register_hazard", "detected"] and not table.loc["survey_progression", "detected"]
    assert not table.loc["register_hazard", "agree_with_others"]  # the interviews point the other way
    assert table.loc["interviews", "sign"] == "+"


@pytest.fixture(scope="module")
def small_bundle(tmp_path_factory):
    model = bipsim.simulate("baseline", seed=2, citizens=600, weeks=80)
    path = tmp_path_factory.mktemp("bundle") / "b"
    bipsim.write_bundle(model, path)
    return model, path


def test_analyses_do_not_open_anything_under_truth(small_bundle, tmp_path, monkeypatch):
    _, path = small_bundle
    opened: list[str] = []
    original = pq.read_table

    def recording(source, *args, **kwargs):  # noqa: ANN001, ANN202
        opened.append(str(source))
        return original(source, *args, **kwargs)

    monkeypatch.setattr(pq, "read_table", recording)
    assert main(["analyze", str(path), "--out", str(tmp_path / "report"), "--no-html"]) == 0
    assert opened and not any("truth" in p for p in opened)

    bundle = bipsim.read_bundle(path)
    bundle.truth = SimpleNamespace()  # any access to the truth would raise AttributeError
    assert len(analyze(bundle, tables=False).estimates)


def test_analysis_of_a_run_gives_tables_and_a_self_contained_report(small_bundle, tmp_path):
    from bipsim.reports.analysis import write_report

    model, _ = small_bundle
    analysis = analyze(observe(model))
    for name in ("hazard_model", "trajectories", "agreement", "prediction", "theme_counts", "case_timelines"):
        assert len(analysis.tables[name]) > 0, name
    assert set(analysis.triangulation["mechanism"]) == set(ESTIMAND_KEYS)
    page = write_report(analysis, tmp_path).read_text(encoding="utf-8")
    assert "Bokeh" in page
    assert re.search(r"<(script|link|img)[^>]+(src|href)=[\"']?https?:", page) is None  # nothing fetched
    assert (tmp_path / "tables" / "estimates.csv").is_file()


def test_newton_started_near_the_solution_gives_what_newton_from_zero_gives(small_bundle, monkeypatch):
    """Every logit starts from a related fit (intercept only, the exposure-alone closed form); from zero, as the
    fits once did, every estimate is the same to 1e-9."""
    model, _ = small_bundle
    observed = observe(model)
    fast = analyze(observed, tables=False).estimates
    from_zero = horizontal._newton

    def cold(X, Xt, y, w, beta):  # noqa: ANN001, ANN202, N803
        return from_zero(X, Xt, y, w, np.zeros_like(beta))

    monkeypatch.setattr(horizontal, "_newton", cold)
    plain = analyze(observed, tables=False).estimates
    assert fast["estimate"].notna().sum() >= 10  # enough fitted estimates for the comparison to mean something
    for column in ("estimate", "se", "ci_low", "ci_high", "p_value"):
        np.testing.assert_allclose(fast[column], plain[column], rtol=1e-9, atol=1e-13, err_msg=column)
    pd.testing.assert_frame_equal(
        fast.drop(columns=["estimate", "se", "ci_low", "ci_high", "p_value"]),
        plain.drop(columns=["estimate", "se", "ci_low", "ci_high", "p_value"]),
    )


def test_read_observed_reads_a_plain_folder_of_tables(small_bundle, tmp_path):
    _, path = small_bundle
    for name in ("citizens", "register_weeks"):
        (tmp_path / f"{name}.parquet").write_bytes((path / f"{name}.parquet").read_bytes())
    observed = read_observed(tmp_path)
    assert observed.survey is None and len(observed.register_weeks)
    estimates = analyze(observed, tables=False).estimates
    assert estimates.loc[estimates.method == "survey_progression", "note"].eq("no survey").all()


def test_interview_shares_have_intervals_within_zero_and_one(small_bundle):
    """A share of a couple of dozen interviewed citizens gets a Wilson interval, never one below 0 or above 1."""
    from statsmodels.stats.proportion import proportion_confint

    model, _ = small_bundle
    estimates = analyze(observe(model), tables=False).estimates
    shares = estimates[(estimates["scale"] == "share") & estimates["estimate"].notna()]
    assert len(shares) > 0
    assert (shares["ci_low"] >= 0).all() and (shares["ci_high"] <= 1).all()
    first = shares.iloc[0]
    low, high = proportion_confint(int(first["exposed"]), int(first["n"]), method="wilson")
    assert (first["ci_low"], first["ci_high"]) == pytest.approx((low, high))
