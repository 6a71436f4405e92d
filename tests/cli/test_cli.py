"""The command line: good runs print the summary; bad input gives exit code 2 and one line, no traceback."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest

from bipsim.cli import main
from bipsim.scenario import GROUPS

SMALL = ["--citizens", "60", "--weeks", "6"]


def test_run_prints_the_summary(capsys):
    assert main(["run", *SMALL, "--seed", "3"]) == 0
    out, err = capsys.readouterr()
    assert "scenario 'baseline', seed 3, 60 citizens, 6 weeks" in out
    for figure in ("share ever in job", "share with caseworker change", "share ever waiting"):
        assert figure in out
    assert "Traceback" not in err


def test_run_is_deterministic_and_seed_matters(capsys):
    outputs = []
    for seed in ("1", "1", "2"):
        assert main(["run", "--citizens", "300", "--weeks", "20", "--seed", seed]) == 0
        outputs.append(capsys.readouterr().out.split("\n", 1)[1])
    assert outputs[0] == outputs[1]
    assert outputs[0] != outputs[2]


def test_run_a_scenario_file(tmp_path, capsys):
    path = tmp_path / "small.toml"
    path.write_text("[population]\ncitizens = 40\nweeks = 3\n[turnover]\nenabled = false\n", encoding="utf-8")
    assert main(["run", str(path)]) == 0
    out = capsys.readouterr().out
    assert "scenario 'small'" in out and "40 citizens, 3 weeks" in out


def test_params_lists_every_group_and_parameter(capsys):
    assert main(["params"]) == 0
    out = capsys.readouterr().out
    for group in GROUPS:
        assert f"[{group}]" in out
    assert "quit_probability = " in out and "Allowed: a number from 0.0 to 1.0" in out


def test_params_of_one_group(capsys):
    assert main(["params", "turnover"]) == 0
    out = capsys.readouterr().out
    assert "[turnover]" in out and "[waiting]" not in out


def test_scenarios_lists_baseline(capsys):
    assert main(["scenarios"]) == 0
    assert "baseline" in capsys.readouterr().out


def assert_one_line_error(capsys, *names: str) -> str:
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("bipsim: error: ")
    for name in names:
        assert name in lines[0]
    assert "share ever in job" not in out
    return lines[0]


def test_bad_scenario_value_in_file(tmp_path, capsys):
    path = tmp_path / "bad.toml"
    path.write_text("[turnover]\nquit_probability = 7\n", encoding="utf-8")
    assert main(["run", str(path)]) == 2
    assert_one_line_error(capsys, str(path), "turnover.quit_probability", "7", "a number from 0.0 to 1.0")


def test_missing_scenario_file(tmp_path, capsys):
    path = tmp_path / "missing.toml"
    assert main(["run", str(path)]) == 2
    assert_one_line_error(capsys, str(path), "baseline")


def test_malformed_scenario_file(tmp_path, capsys):
    path = tmp_path / "broken.toml"
    path.write_text("[population\n", encoding="utf-8")
    assert main(["run", str(path)]) == 2
    assert_one_line_error(capsys, str(path), "malformed TOML")


def test_size_override_out_of_bounds(capsys):
    assert main(["run", "--citizens", "5", "--weeks", "2"]) == 2
    assert_one_line_error(capsys, "population.citizens", "5", "a whole number from 10")


def test_negative_seed_is_a_usage_error(capsys):
    try:
        code = main(["run", *SMALL, "--seed", "-1"])
    except ValueError:
        code = "traceback"
    assert code == 2
    assert_one_line_error(capsys, "seed", "-1")


def test_argument_that_is_not_a_number(capsys):
    with pytest.raises(SystemExit) as info:
        main(["run", "--citizens", "many"])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert err.strip().splitlines() == [
        "bipsim run: error: argument --citizens: expected a whole number, not 'many' (see bipsim run --help)"
    ]


def test_installed_command_reports_a_bad_scenario_without_traceback(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text('[waiting]\nplaces_per_1000 = "many"\n', encoding="utf-8")
    script = Path(sys.executable).with_name("bipsim")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "bipsim"]
    result = subprocess.run([*command, "run", str(path)], capture_output=True, text=True, timeout=3600)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert str(path) in lines[0] and "waiting.places_per_1000" in lines[0] and "'many'" in lines[0]
    assert result.stdout == ""


def test_python_dash_m_runs_and_prints_the_summary():
    result = subprocess.run(
        [sys.executable, "-m", "bipsim", "run", *SMALL], capture_output=True, text=True, timeout=3600
    )
    assert result.returncode == 0, result.stderr
    assert "60 citizens, 6 weeks" in result.stdout
    assert "share ever in job" in result.stdout
    assert "Traceback" not in result.stderr


def test_analyze_replaces_an_earlier_report_only_with_force(tmp_path, capsys):
    bundle, report = tmp_path / "bundle", tmp_path / "report"
    assert main(["run", "--citizens", "300", "--weeks", "60", "--out", str(bundle)]) == 0
    assert main(["analyze", str(bundle), "--out", str(report), "--no-html"]) == 0
    tables = sorted(p.name for p in (report / "tables").iterdir())
    capsys.readouterr()
    assert main(["analyze", str(bundle), "--out", str(report), "--no-html"]) == 2
    assert_one_line_error(capsys, "--out", "already holds a report", "--force")
    assert main(["analyze", str(bundle), "--out", str(report), "--no-html", "--force"]) == 0
    assert sorted(p.name for p in (report / "tables").iterdir()) == tables
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bundle", "report"]


def test_app_checks_let_a_free_port_through():
    from bipsim.cli.app import check_listening_place

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        free = probe.getsockname()[1]
    check_listening_place("127.0.0.1", free)
    check_listening_place("localhost", 0)
