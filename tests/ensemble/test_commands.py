"""bipsim sweep, compare and sensitivity: tables on disk, identical for 1 and 2 workers; bad input exits 2."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from bipsim.cli import main
from bipsim.contract.outcomes import outcome

TINY = ["--citizens", "80", "--weeks", "12"]


def sweep(tmp_path, name, *extra):
    out = tmp_path / name
    code = main(["sweep", *TINY, "--replications", "2", "--out", str(out), *extra])
    return code, out


def test_sweep_writes_runs_settings_summary_and_manifest(tmp_path, capsys):
    code, out = sweep(tmp_path, "grid", "--vary", "turnover.quit_probability=0.001,0.02", "meetings.interval_weeks=4,8")
    assert code == 0
    printed = capsys.readouterr().out
    assert "4 setting(s) x 2 replication(s) of 80 citizens x 12 weeks" in printed
    assert outcome("share_job_within_1_year").en in printed and "share_job_within_1_year" not in printed
    runs = pd.read_parquet(out / "runs.parquet")
    assert len(runs) == 8 and (runs["status"] == "ok").all()
    assert {"turnover.quit_probability", "seed_entropy", "seed_spawn_key", "wall_seconds", "error"} <= set(runs)
    settings = pd.read_parquet(out / "settings.parquet")
    assert len(settings) == 4 and set(settings["meetings.interval_weeks"]) == {4, 8}
    summary = pd.read_parquet(out / "summary.parquet")
    assert {"mean", "low", "high", "runs_ok"} <= set(summary) and (summary["runs_ok"] == 2).all()
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["format"] == "bipsim-ensemble" and manifest["seeds"]["seed"] == 0
    assert manifest["vary"]["meetings.interval_weeks"] == [4, 8]
    assert not list(tmp_path.glob(".grid*"))  # no temporary folder left behind


def test_sweep_refuses_to_overwrite_without_force(tmp_path, capsys):
    assert sweep(tmp_path, "again")[0] == 0
    code, out = sweep(tmp_path, "again")
    assert code == 2
    assert "already exists; choose another folder or pass --force" in capsys.readouterr().err
    assert sweep(tmp_path, "again", "--force", "--seed", "3")[0] == 0
    assert json.loads((out / "manifest.json").read_text())["seeds"]["seed"] == 3
    (tmp_path / "precious").mkdir()
    (tmp_path / "precious" / "thesis.txt").write_text("keep")
    assert sweep(tmp_path, "precious", "--force")[0] == 2
    assert (tmp_path / "precious" / "thesis.txt").exists()


def test_sweep_tables_are_identical_with_one_and_two_workers(tmp_path):
    vary = ["--vary", "turnover.quit_probability=0.001,0.02"]
    assert sweep(tmp_path, "one", *vary)[0] == 0
    assert sweep(tmp_path, "two", *vary, "--workers", "2")[0] == 0
    for table in ("runs", "settings", "summary"):
        one = pd.read_parquet(tmp_path / "one" / f"{table}.parquet")
        two = pd.read_parquet(tmp_path / "two" / f"{table}.parquet")
        pd.testing.assert_frame_equal(
            one.drop(columns="wall_seconds", errors="ignore"), two.drop(columns="wall_seconds", errors="ignore")
        )


def test_latin_hypercube_sweep(tmp_path):
    code, out = sweep(
        tmp_path, "lhs", "--sample", "lhs", "--n", "3", "--ranges", "turnover.quit_probability=0.001:0.01"
    )
    assert code == 0
    settings = pd.read_parquet(out / "settings.parquet")
    assert len(settings) == 3 and settings["turnover.quit_probability"].between(0.001, 0.01).all()


@pytest.mark.parametrize(
    ("arguments", "shown"),
    [
        (
            ["--vary", "turnover.quit_probability=1.5"],
            "turnover.quit_probability = 1.5 is not allowed; expected a number from 0.0 to 1.0",
        ),
        (["--vary", "turnover.nonsense=1"], "unknown parameter 'turnover.nonsense'"),
        (["--vary", "a.b=1", "--sample", "lhs"], "either --vary"),
        (["--sample", "lhs", "--n", "3"], "needs --ranges"),
        (["--sample", "lhs", "--ranges", "turnover.quit_probability=0:0.1"], "needs --n"),
        (["--sample", "lhs", "--n", "2", "--ranges", "turnover.quit_probability=0.5:2"], "= 2.0 is not allowed"),
        (["--replications", "0"], "--replications must be at least 1"),
        (["--workers", "0"], "--workers must be at least 1"),
        (["--outcomes", "happiness"], "unknown outcome 'happiness'"),
    ],
)
def test_bad_sweep_input_exits_2_with_one_line(tmp_path, capsys, arguments, shown):
    assert main(["sweep", *TINY, "--out", str(tmp_path / "x"), *arguments]) == 2
    err = capsys.readouterr().err
    assert shown in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "x").exists()


def test_compare_a_scenario_with_itself_finds_no_difference(tmp_path, capsys):
    out = tmp_path / "self"
    assert main(["compare", "baseline", "baseline", *TINY, "--replications", "3", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "no difference found" in printed and "B higher" not in printed and "B lower" not in printed
    comparison = pd.read_parquet(out / "comparison.parquet")
    assert not comparison["clear_difference"].any() and (comparison["difference"].fillna(0) == 0).all()


def test_compare_finds_the_planted_turnover_difference(capsys):
    arguments = ["compare", "null", "high_turnover", "--citizens", "150", "--weeks", "30", "--replications", "4"]
    assert main([*arguments, "--outcomes", "share_with_caseworker_change"]) == 0
    assert "B higher than A" in capsys.readouterr().out


def test_sensitivity_sobol_writes_indices_and_figure(tmp_path, capsys):
    out = tmp_path / "sobol"
    arguments = ["sensitivity", *TINY, "--params", "turnover.quit_probability,meetings.interval_weeks", "--n", "4"]
    assert main([*arguments, "--outcome", "share_with_caseworker_change", "--out", str(out)]) == 0
    assert "sobol" in capsys.readouterr().out
    indices = pd.read_parquet(out / "indices.parquet")
    assert set(indices["index"]) == {"S1", "ST"} and len(indices) == 4
    assert (out / "sensitivity.png").read_bytes()[:4] == b"\x89PNG"
    assert len(pd.read_parquet(out / "runs.parquet")) == 4 * (2 + 2)


def test_sensitivity_morris_screens_out_a_parameter_without_effect(tmp_path):
    out = tmp_path / "morris"
    arguments = ["sensitivity", *TINY, "--method", "morris", "--n", "4", "--outcome", "share_with_caseworker_change"]
    params = [
        "--params",
        "turnover.quit_probability,qualitative_study.citizens",
        "--ranges",
        "turnover.quit_probability=0.001:0.05",
    ]
    assert main([*arguments, *params, "--out", str(out)]) == 0
    indices = pd.read_parquet(out / "indices.parquet").set_index(["parameter", "index"])["value"]
    assert indices["turnover.quit_probability", "mu_star"] > 0
    assert indices["qualitative_study.citizens", "mu_star"] == 0  # the interviews do not change the model


@pytest.mark.parametrize(
    ("arguments", "shown"),
    [
        (["--params", "turnover.enabled"], "only numeric parameters can be sampled"),
        (
            ["--params", "turnover.quit_probability", "--ranges", "meetings.interval_weeks=2:5"],
            "which --params does not list",
        ),
        (["--params", "turnover.quit_probability", "--outcome", "happiness"], "unknown outcome 'happiness'"),
    ],
)
def test_bad_sensitivity_input_exits_2(tmp_path, capsys, arguments, shown):
    base = ["sensitivity", *TINY, "--outcome", "share_ever_waiting", "--out", str(tmp_path / "x")]
    assert main([*base, *arguments]) == 2
    err = capsys.readouterr().err
    assert shown in err and "Traceback" not in err
