"""bipsim compare and sweep with --ensemble: intervals with parameter uncertainty, tables on disk, clear refusals."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from bipsim.cli import main
from bipsim.ensemble import uncertainty

TINY = ["--citizens", "80", "--weeks", "12", "--replications", "2"]
ENSEMBLE = (
    "vector_id,interventions.private_placement_multiplier,meetings.belief_effect,turnover.quit_probability\n"
    "1,1.79,1.33,0.0025\n2,1.40,1.10,0.0020\n3,2.20,1.60,0.0030\n4,1.60,1.45,0.0015\n"
)


@pytest.fixture
def ensemble_file(tmp_path):
    path = tmp_path / "plausible.csv"
    path.write_text(ENSEMBLE, encoding="utf-8")
    return path


def test_compare_over_the_ensemble_prints_both_intervals_and_the_sign_agreement(tmp_path, capsys, ensemble_file):
    out = tmp_path / "whatif"
    arguments = ["compare", "baseline", "high_turnover", *TINY, "--ensemble", str(ensemble_file), "--out", str(out)]
    assert main(arguments) == 0
    printed = capsys.readouterr().out
    assert "4 plausible parameter vector(s) x 2 paired replication(s)" in printed
    assert "95% Monte Carlo only" in printed and "95% with parameters" in printed
    assert "B keeps its own turnover.quit_probability" in printed and "A keeps" not in printed
    assert "parameter SD" in printed and "Monte Carlo SD" in printed and "vectors with the same sign" in printed
    comparison = pd.read_parquet(out / "comparison.parquet").set_index("outcome")
    change = comparison.loc["share_with_caseworker_change"]
    assert change["vectors"] == 4 and change["pairs"] == 8
    assert change["low"] <= change["mc_low"] <= change["difference"] <= change["mc_high"] <= change["high"]
    assert 0 <= change["same_sign"] <= 1 and 0 <= change["parameter_share"] <= 1
    vectors = pd.read_parquet(out / "vectors.parquet")
    assert sorted(set(vectors["vector_id"])) == [1, 2, 3, 4] and len(vectors) == 4 * len(comparison)
    assert "meetings.belief_effect" in vectors  # each vector's parameter values beside its difference
    per_vector = vectors[vectors["outcome"] == "share_with_caseworker_change"]["difference"]
    assert per_vector.mean() == pytest.approx(change["difference"])
    settings = pd.read_parquet(out / "settings.parquet")
    assert len(settings) == 8 and set(settings["scenario"]) == {"A", "B"}
    b_rows = settings[settings["scenario"] == "B"]
    assert b_rows["turnover.quit_probability"].isna().all()  # B's own value, not the vectors'
    runs = pd.read_parquet(out / "runs.parquet")
    assert len(runs) == 16 and (runs["status"] == "ok").all()
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["ensemble"]["vectors"] == 4 and manifest["ensemble"]["kept_by_scenario"]["B"] == [
        "turnover.quit_probability"
    ]
    assert "spawn(V)[v]" in manifest["seeds"]["scheme"]
    assert (out / "comparison.png").read_bytes()[:4] == b"\x89PNG"
    assert "parameter uncertainty" in (out / "comparison.html").read_text(encoding="utf-8")
    assert not list(tmp_path.glob(".whatif*"))


def test_compare_over_the_ensemble_is_identical_with_one_and_two_workers(tmp_path, ensemble_file):
    for name, workers in (("one", "1"), ("two", "2")):
        arguments = ["compare", "baseline", "low_turnover", *TINY, "--ensemble", str(ensemble_file)]
        assert main([*arguments, "--workers", workers, "--out", str(tmp_path / name)]) == 0
    for table in ("comparison", "vectors", "settings"):
        one = pd.read_parquet(tmp_path / "one" / f"{table}.parquet")
        two = pd.read_parquet(tmp_path / "two" / f"{table}.parquet")
        pd.testing.assert_frame_equal(one, two)


def test_a_scenario_compared_with_itself_over_the_ensemble_is_identical(capsys, ensemble_file):
    assert main(["compare", "baseline", "baseline", *TINY, "--ensemble", str(ensemble_file)]) == 0
    printed = capsys.readouterr().out
    assert "identical in every pair" in printed and "B higher" not in printed and "B lower" not in printed


def test_sweep_over_the_ensemble_summarises_each_setting_over_the_vectors(tmp_path, capsys, ensemble_file):
    out = tmp_path / "sweep"
    arguments = ["sweep", *TINY, "--vary", "turnover.reassignment_probability=0.001,0.004"]
    assert main([*arguments, "--ensemble", str(ensemble_file), "--out", str(out)]) == 0
    assert "2 setting(s) x 4 plausible parameter vector(s) x 2 replication(s)" in capsys.readouterr().out
    summary = pd.read_parquet(out / "summary.parquet")
    assert sorted(set(summary["setting_id"])) == [0, 1]
    assert {"mc_low", "mc_high", "sd_parameter", "sd_monte_carlo"} <= set(summary)
    shares = summary[summary["outcome"] == "share_with_caseworker_change"]
    assert (shares["vectors"] == 4).all() and shares["turnover.reassignment_probability"].tolist() == [0.001, 0.004]
    assert shares["low"].between(0, 1).all() and shares["high"].between(0, 1).all()
    assert len(pd.read_parquet(out / "runs.parquet")) == 2 * 4 * 2
    assert (out / "sweep.png").exists() and (out / "ensemble.parquet").exists()


@pytest.mark.parametrize(
    ("extra", "shown"),
    [
        (["--replications", "1"], "--replications 1: with --ensemble give at least 2"),
        (["--ensemble", "nowhere.csv"], "--ensemble nowhere.csv: no such file"),
    ],
)
def test_bad_ensemble_invocations_exit_2_with_one_line(capsys, ensemble_file, extra, shown):
    arguments = ["compare", "baseline", "high_turnover", *TINY, "--ensemble", str(ensemble_file), *extra]
    assert main(arguments) == 2
    err = capsys.readouterr().err
    assert shown in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_a_bad_value_in_the_ensemble_file_names_line_parameter_and_allowed_values(tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_text("turnover.quit_probability\n0.002\n1.7\n", encoding="utf-8")
    assert main(["compare", "baseline", "high_turnover", *TINY, "--ensemble", str(path)]) == 2
    err = capsys.readouterr().err
    assert "line 3: turnover.quit_probability = 1.7 is not allowed; expected a number from 0.0 to 1.0" in err
    assert len(err.strip().splitlines()) == 1


def test_ensemble_baseline_exits_2_while_the_plausible_ensemble_is_not_shipped(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(uncertainty, "PLAUSIBLE_ENSEMBLE", tmp_path / "not_yet.csv")
    for command in (["compare", "baseline", "high_turnover"], ["sweep", "--out", str(tmp_path / "s")]):
        assert main([*command, *TINY, "--ensemble", "baseline"]) == 2
        err = capsys.readouterr().err
        assert "--ensemble baseline: the plausible ensemble of the baseline is not shipped" in err
        assert "one column per scenario parameter" in err and len(err.strip().splitlines()) == 1
