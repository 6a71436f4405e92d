"""Size estimates: what a run holds per citizen-week, told before long runs, refused beyond the machine's memory."""

from __future__ import annotations

import json

import pytest

from bipsim.cli import main
from bipsim.cli import size as cli_size
from bipsim.cli.common import UsageError
from bipsim.model import BipModel
from bipsim.scenario import load_scenario

GIB = 2**30


@pytest.fixture(autouse=True)
def own_cache(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(cli_size, "_compiled", False)


def test_the_estimate_covers_the_models_weekly_records():
    citizens, weeks = 200, 30
    model = BipModel(load_scenario(None).replace(population={"citizens": citizens, "weeks": weeks}), seed=1)
    held = sum(a.nbytes for a in model._records.values()) + model.latent_record.nbytes
    per_citizen_week = held / (citizens * weeks)
    assert per_citizen_week <= cli_size.BYTES_PER_CITIZEN_WEEK["model"] / 1.5  # room for the summary's copies
    assert all(cli_size.BYTES_PER_CITIZEN_WEEK[k] > per_citizen_week for k in cli_size.BYTES_PER_CITIZEN_WEEK)


def test_sizes_beyond_memory_are_refused_naming_what_to_change(monkeypatch):
    monkeypatch.setattr(cli_size, "machine_memory", lambda: 4 * GIB)
    with pytest.raises(UsageError, match=r"--citizens 500000 --weeks 520: .* allowed here: .*--citizens \d+ for 520"):
        cli_size.check_size(500_000, 520, "study")
    with pytest.raises(UsageError, match=r"^--workers 8: 8 processes .* allowed here: 2 workers at most"):
        cli_size.check_size(100_000, 260, "model", replications=20, workers=8)
    with pytest.raises(UsageError, match=r"^--replications 1 --n 5000000000: .* runs at most"):
        cli_size.check_size(1000, 52, "model", settings=5_000_000_000, settings_from="--n 5000000000")
    remote = cli_size.check_size(1_000_000, 1000, "model", replications=10, remote=True)  # its memory is its own
    assert remote.memory < GIB


def test_the_estimate_is_shown_before_long_runs_only(monkeypatch, capsys):
    monkeypatch.setattr(cli_size, "machine_memory", lambda: 64 * GIB)
    cli_size.check_size(4000, 208, "model")
    assert capsys.readouterr().err == ""
    size = cli_size.check_size(100_000, 520, "study")
    err = capsys.readouterr().err
    assert err.startswith("bipsim: estimate: about ") and "this machine has 64.0 GiB" in err
    assert 3 * GIB < size.memory < 5 * GIB  # measured: 3.9 GiB for the national scale with its bundle
    assert size.seconds is None and "speed" not in err  # nothing measured here yet


def test_time_is_estimated_from_the_speed_measured_here(monkeypatch, capsys):
    monkeypatch.setattr(cli_size, "machine_memory", lambda: 64 * GIB)
    cli_size.record_speed("model", 10_000_000, 10.0)
    cli_size.record_speed("study", 10_000_000, 5.0)
    cli_size.record_speed("model", 1000, 100.0)  # too small to time: ignored
    assert cli_size.known_speeds() == {"model": 1_000_000.0, "study": 2_000_000.0}
    assert cli_size.check_size(100_000, 520, "study").seconds == pytest.approx(52 + 26)
    err = capsys.readouterr().err
    assert "about 78 s on this machine for 1 run (at the speed recorded in earlier runs here)" in err
    sweep = cli_size.check_size(10_000, 520, "model", replications=40, workers=4)
    assert sweep.seconds == pytest.approx(5.2 * 10)
    cli_size.note_compilation()  # a run that compiled is slow for another reason: not kept
    cli_size.record_speed("model", 10_000_000, 1000.0)
    assert cli_size.known_speeds()["model"] == 1_000_000.0


def test_a_large_run_records_its_speed(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(cli_size, "SPEED_MEASURED_FROM", 1000)
    assert main(["run", "--citizens", "100", "--weeks", "20"]) == 0
    speeds = json.loads((tmp_path / "cache" / "bipsim" / cli_size.SPEED_FILE).read_text())
    assert speeds["model"] > 0


def test_machine_memory_is_known_here():
    memory = cli_size.machine_memory()
    assert memory is None or memory > 256 * 2**20
