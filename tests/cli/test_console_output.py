"""What a user reads: progress in logs, estimates, readable tables, wrapped questions and no library warnings."""

from __future__ import annotations

import importlib
import io
import math
import re
import socket
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from bipsim.analysis.calibration import TARGETS
from bipsim.analysis.estimates import MIN_EXPOSED, not_estimable, row, table
from bipsim.cli import main
from bipsim.cli.progress import EVERY_SECONDS, Progress
from bipsim.cli.tables import format_calibration, format_estimates
from bipsim.scenario import builtin_scenarios

TINY = ["--citizens", "40", "--weeks", "6"]


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_redirected_progress_is_plain_lines_every_tenth_with_the_time_left():
    stream, clock = io.StringIO(), Clock()
    progress = Progress("recover baseline", 100, "replication", stream=stream, terminal=False, clock=clock)
    progress(0, 100)
    for done in range(1, 101):
        clock.now += 3.0
        progress(done, 100)
    lines = stream.getvalue().splitlines()
    assert "bipsim: recover baseline: 40/100 replications (40%), about 3 min left" in lines
    assert lines[-1] == "bipsim: recover baseline: 100/100 replications (100%) in 5 min"
    counted = [line for line in lines if re.search(r"\d+/100 replications", line)]
    assert len(counted) == 10  # a line at every tenth, none between


def test_redirected_progress_speaks_every_half_minute_when_tenths_are_slow():
    stream, clock = io.StringIO(), Clock()
    progress = Progress("sweep baseline", 1000, "run", stream=stream, terminal=False, clock=clock)
    clock.now = EVERY_SECONDS + 1
    progress(5, 1000)  # half a percent, but half a minute has passed
    assert "bipsim: sweep baseline: 5/1,000 runs (0%), about 1.7 h left" in stream.getvalue()


def test_the_first_run_estimates_the_rest_and_says_so():
    stream, clock = io.StringIO(), Clock()
    progress = Progress("sweep baseline", 30, "run", parallel=2, stream=stream, terminal=False, clock=clock)
    progress(0, 30)
    clock.now = 10.0
    progress(1, 30)
    assert (
        "bipsim: the first run took 10 s; about 2 min on this machine for 30 runs (estimated from the first run)"
        in stream.getvalue()
    )  # 10 s now and 15 more rounds of two runs at once


def test_short_work_tells_no_estimate_and_weeks_never(capsys):
    stream, clock = io.StringIO(), Clock()
    progress = Progress("compare", 4, "run", stream=stream, terminal=False, clock=clock)
    clock.now = 1.0
    progress(1, 4)
    weeks = Progress("bipsim baseline", 208, "week", stream=stream, terminal=False, clock=clock)
    clock.now = 100.0
    weeks(1, 208)
    assert "estimated from" not in stream.getvalue()


def test_a_redirected_sweep_reports_its_progress(tmp_path, capsys):
    assert main(["sweep", *TINY, "--replications", "2", "--out", str(tmp_path / "s")]) == 0
    err = capsys.readouterr().err
    assert "bipsim: sweep baseline: 2/2 runs (100%) in " in err


def test_a_redirected_run_to_a_log_file_shows_progress(tmp_path):
    log = tmp_path / "log.txt"
    with log.open("w") as stderr:
        result = subprocess.run(
            [sys.executable, "-m", "bipsim", "recover", *TINY, "--replications", "2"],
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            timeout=600,
        )
    assert result.returncode == 0
    assert re.search(r"^bipsim: recover baseline: 2/2 replications \(100%\) in \d+ s$", log.read_text(), re.M)


def _hold_port(port: int) -> socket.socket | None:
    holder = socket.socket()
    try:
        holder.bind(("", port))
        holder.listen()
    except OSError:
        holder.close()
        return None  # someone else holds it: the run below meets the same situation
    return holder


def test_local_clusters_leak_no_dask_warnings(tmp_path):
    holder = _hold_port(8787)
    try:
        result = subprocess.run(
            [sys.executable, "-m", "bipsim", "compare", "baseline", "null", *TINY, "--replications", "2"]
            + ["--workers", "2"],
            capture_output=True,
            text=True,
            timeout=600,
        )
    finally:
        if holder is not None:
            holder.close()
    assert result.returncode == 0, result.stderr
    output = result.stdout + result.stderr
    assert "8787" not in output and "Warning" not in output and "Traceback" not in output


def test_library_warnings_become_one_line(monkeypatch, capsys):
    cli_main = importlib.import_module("bipsim.cli.main")  # the package's ``main`` is the function
    original = cli_main.format_summary

    def warns(summary):
        np.mean(np.array([]))  # numpy: "Mean of empty slice"
        return original(summary)

    monkeypatch.setattr(cli_main, "format_summary", warns)
    monkeypatch.setattr(sys, "warnoptions", [])
    assert main(["run", *TINY]) == 0
    err = capsys.readouterr().err
    assert "Mean of empty slice" not in err and "RuntimeWarning:" not in err
    assert "bipsim: 2 warning(s) from the libraries bipsim uses (RuntimeWarning) not shown" in err


def test_a_runs_warnings_come_back_to_the_calling_process():
    from bipsim.ensemble.execute import WARNINGS, execute
    from bipsim.ensemble.plan import Plan
    from bipsim.scenario import load_scenario

    def task(spec):
        warnings.warn("a library's warning", RuntimeWarning, stacklevel=1)
        return {"replication": spec.replication}

    runs = Plan.sweep(load_scenario("baseline"), [{}], 2, 0).runs()
    with pytest.warns(RuntimeWarning, match="a library's warning"):
        rows = execute(runs, task=task)
    assert rows == [{"replication": 0}, {"replication": 1}] and all(WARNINGS not in r for r in rows)


def _estimates() -> pd.DataFrame:
    rows = [
        row("caseworker_change", "job_entry", "register_naive", "log_hazard_ratio", 0.4, 0.1, n=900, exposed=60),
        row("caseworker_change", "job_1y", "register_naive", "risk_difference", 0.05, 0.02, n=400, exposed=50),
        not_estimable(
            "caseworker_change",
            "job_1y",
            "interviews",
            "risk_difference",
            "too thin to estimate: 7 exposed citizens and 12 events (at least 20 and 10 needed)",
            exposed=7,
            events=12,
        ),
        row("wage_subsidy", "theme_prevalence", "interviews", "share", 0.0, math.nan, n=25),
    ]
    return table(rows)


def test_the_estimates_table_has_labels_scales_and_reasons_instead_of_nan():
    text = format_estimates(_estimates(), width=100)
    assert "Caseworker change" in text and "Naive hazard model" in text and "Job entry (log hazard ratio)" in text
    assert "Job within a year (risk difference)" in text and "Theme prevalence (share)" in text
    assert f"not estimable, 7 exposed < {MIN_EXPOSED}: A job in the narratives" in text
    assert "no interval" in text  # a share of 0 among 25: an estimate without an interval, said so
    assert "nan" not in text.lower() and "register_naive" not in text
    assert max(map(len, text.splitlines())) <= 100


def test_analyze_prints_the_readable_table(tmp_path, capsys):
    assert main(["run", "--citizens", "80", "--weeks", "30", "--out", str(tmp_path / "b")]) == 0
    capsys.readouterr()
    assert main(["analyze", str(tmp_path / "b"), "--out", str(tmp_path / "r"), "--no-html"]) == 0
    out = capsys.readouterr().out
    assert "scale" in out.lower() and "not estimable" in out
    assert "NaN" not in out and "nan " not in out


def test_calibrate_shows_each_figure_by_its_description(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "160")  # wide enough that no description wraps
    assert main(["calibrate", *TINY, "--replications", "1"]) == 0
    out = capsys.readouterr().out
    for target in TARGETS:
        assert target.figure in out, target.key
        assert not re.search(rf"^\s*{target.key}\b", out, re.M), target.key


def test_calibration_table_wraps_long_descriptions_within_the_width():
    frame = pd.DataFrame(
        [
            {"key": "a", "figure": "A long description " * 6, "published": 0.27, "tolerance": 0.08,
             "note": "", "simulated": 0.2, "mc_se": 0.01, "replications": 2, "within": True},
            {"key": "b", "figure": "A rule", "published": None, "tolerance": None,
             "note": "a rule of the model", "simulated": np.nan, "mc_se": np.nan, "replications": 2, "within": None},
        ]
    )  # fmt: skip
    text = format_calibration(frame, width=80)
    assert max(map(len, text.splitlines())) <= 80
    assert "A rule: a rule of the model" in text and "1 of 1 computed figures reproduced" in text


def test_scenarios_wraps_every_question_instead_of_cutting_it(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    assert main(["scenarios"]) == 0
    out = capsys.readouterr().out
    assert max(map(len, out.splitlines())) <= 80
    joined = " ".join(line.strip() for line in out.splitlines())
    from bipsim.cli.main import scenario_question

    for name, path in builtin_scenarios().items():
        question = scenario_question(path)
        assert question.endswith("?"), name
        assert " ".join(question.split()) in joined, name


def test_cli_errors_name_the_option_not_the_python_argument(tmp_path, capsys):
    assert main(["run", *TINY, "--out", str(tmp_path / "b")]) == 0
    capsys.readouterr()
    assert main(["run", *TINY, "--out", str(tmp_path / "b")]) == 2
    err = capsys.readouterr().err
    assert "--force" in err and "force=True" not in err


def test_sweep_intervals_of_shares_stay_within_0_and_1(tmp_path, capsys):
    assert main(["sweep", *TINY, "--replications", "2", "--out", str(tmp_path / "s")]) == 0
    summary = pd.read_parquet(Path(tmp_path / "s" / "summary.parquet"))
    shares = summary[summary["interval"] == "wilson"]
    assert len(shares) and (shares["low"] >= 0).all() and (shares["high"] <= 1).all()
    assert "Wilson score for shares" in capsys.readouterr().out
