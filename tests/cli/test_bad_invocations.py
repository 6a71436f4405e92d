"""Every subcommand refuses bad input before any work: exit code 2, one line naming the argument, no traceback.

The table holds bad invocations for every subcommand of ``bipsim --help``; each runs in this process with the
machine's memory taken to be 8 GiB, so the sizes refused for memory are refused on any machine.
"""

from __future__ import annotations

import json
import shlex
import socket
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from bipsim.cli import main
from bipsim.cli import size as cli_size
from bipsim.cli.main import build_parser

BAD_BYTES = b"\xff\xfe[population]\ncitizens = 40\n"
REFI = 'xmlns="urn:QDA-XML:project:1.0"'
QDPX = {
    "empty.qdpx": {"sources/a.txt": "an answer"},
    "broken.qdpx": {"project.qde": f"<Project {REFI}><Users></Project>"},
    "hope.qdpx": {
        "project.qde": f'<Project {REFI} name="p"><CodeBook><Codes><Code guid="11111111-2222-3333-4444-555555555555" '
        'name="Luck" isCodable="true"/></Codes></CodeBook><Sources><TextSource guid="11111111-2222-3333-4444-'
        '666666666666" name="Citizen 1, wave 0"><PlainTextSelection guid="11111111-2222-3333-4444-777777777777" '
        'startPosition="0" endPosition="2"><Coding guid="11111111-2222-3333-4444-888888888888"><CodeRef '
        'targetGUID="11111111-2222-3333-4444-555555555555"/></Coding></PlainTextSelection></TextSource></Sources>'
        "</Project>"
    },
    "study.qdpx": {"project.qde": f'<Project {REFI} name="p"/>'},
}
"""Projects a student might hand in: no project.qde, malformed XML, a code of their own, no truth to score by."""


@dataclass(frozen=True)
class Bad:
    """A bad invocation: its arguments (``{tmp}`` and ``{port}`` filled in) and what its error line names."""

    argv: tuple[str, ...]
    names: tuple[str, ...]

    @property
    def command(self) -> str:
        return self.argv[0] if self.argv else ""


def bad(command_line: str, names: tuple[str, ...] | str) -> Bad:
    return Bad(tuple(shlex.split(command_line)), (names,) if isinstance(names, str) else names)


S = "--out {tmp}/results"  # where sweeps and sensitivity would write; a later option of the same name wins
SENS = "sensitivity --params turnover.quit_probability --outcome share_job_within_1_year --out {tmp}/results"
CASES = [
    bad("", "command"),
    # run
    bad("run {tmp}/latin1.toml", ("{tmp}/latin1.toml", "UTF-8")),
    bad("run {tmp}/folder", ("{tmp}/folder", "folder")),
    bad("run {tmp}/missing.toml", "{tmp}/missing.toml"),
    bad("run --citizens 0", ("--citizens", "0", "from 10")),
    bad("run --citizens -5", ("--citizens", "-5")),
    bad("run --citizens 3000000", ("--citizens", "3000000", "2000000")),
    bad("run --citizens many", ("--citizens", "many", "whole number")),
    bad("run --weeks 0", ("--weeks", "0", "from 1")),
    bad("run --weeks 2.5", ("--weeks", "2.5")),
    bad("run --citizens 2000000 --weeks 1040", ("--citizens", "--weeks", "memory", "allowed")),
    bad("run --seed -1", ("--seed", "-1")),
    bad("run --out /proc/bipsim-out", ("--out", "/proc/bipsim-out")),
    bad("run --out {tmp}/afile/bundle", ("--out", "{tmp}/afile", "not a folder")),
    bad("run --out {tmp}/bundle", ("--out", "already exists", "--force")),
    bad("run --out {tmp}/precious --force", ("--out", "not a bundle")),
    bad("run --what", "--what"),
    # describe
    bad("describe {tmp}/missing", "{tmp}/missing"),
    bad("describe {tmp}/afile", "{tmp}/afile"),
    bad("describe", "directory"),
    # calibrate
    bad("calibrate --replications 0", ("--replications", "0")),
    bad("calibrate --replications -3", ("--replications", "-3")),
    bad("calibrate --replications 1000000000", ("--replications", "1000000000", "memory")),
    bad("calibrate --citizens 0", ("--citizens", "0")),
    bad("calibrate {tmp}/latin1.toml", "{tmp}/latin1.toml"),
    # params, scenarios
    bad("params nosuchgroup", ("group", "nosuchgroup")),
    bad("params turnover waiting", "waiting"),
    bad("scenarios extra", "extra"),
    # analyze
    bad("analyze {tmp}/missing --out {tmp}/new-report", "{tmp}/missing"),
    bad("analyze {tmp}/bundle --out {tmp}/report", ("--out", "report", "--force")),
    bad("analyze {tmp}/bundle --out {tmp}/precious --force", ("--out", "not a bipsim report")),
    bad("analyze {tmp}/bundle --out /proc/bipsim-report", ("--out", "/proc/bipsim-report")),
    bad("analyze {tmp}/bundle --out {tmp}/afile/report", ("--out", "not a folder")),
    bad("analyze {tmp}/bundle", "--out"),
    # compare
    bad("compare baseline {tmp}/missing.toml", "{tmp}/missing.toml"),
    bad("compare baseline {tmp}/latin1.toml", "{tmp}/latin1.toml"),
    bad("compare baseline", "B"),
    bad("compare baseline null --replications 0", ("--replications", "0")),
    bad("compare baseline null --workers 0", ("--workers", "0")),
    bad("compare baseline null --scheduler notanaddress", ("--scheduler", "notanaddress")),
    bad("compare baseline null --out /proc/bipsim-compare", "--out"),
    # sweep
    bad(f"sweep {S} --scheduler notanaddress", ("--scheduler", "notanaddress", "tcp://")),
    bad(f"sweep {S} --scheduler tcp://host.invalid:8786", ("--scheduler", "host.invalid")),
    bad(f"sweep {S} --scheduler tcp://127.0.0.1:99999", ("--scheduler", "99999")),
    bad(f"sweep {S} --vary foo", ("--vary", "foo", "name=v1,v2")),
    bad(f"sweep {S} --vary turnover.quit_probability=a,b", ("--vary", "'a'", "0.0 to 1.0")),
    bad(f"sweep {S} --vary nosuch.thing=1,2", ("--vary", "nosuch")),
    bad(f"sweep {S} --vary turnover.quit_probability=", "--vary"),
    bad(f"sweep {S} --sample lhs --n 3 --ranges turnover.quit_probability=1", ("--ranges", "name=lo:hi")),
    bad(f"sweep {S} --sample lhs --n 0 --ranges turnover.quit_probability=0:1", ("--n", "0")),
    bad(f"sweep {S} --replications 0", ("--replications", "0")),
    bad(f"sweep {S} --replications -2", ("--replications", "-2")),
    bad(f"sweep {S} --replications 1000000000000", ("--replications", "memory")),
    bad(f"sweep {S} --citizens 100000 --weeks 520 --workers 10000", ("--workers", "10000", "memory")),
    bad(f"sweep {S} --citizens 1", ("--citizens", "1")),
    bad("sweep --out /proc/bipsim-sweep", ("--out", "/proc/bipsim-sweep")),
    bad("sweep --out {tmp}/sweep", ("--out", "already exists", "--force")),
    bad("sweep", "--out"),
    # sensitivity
    bad(f"{SENS} --ranges x=1:2", ("--ranges", "x=1:2")),
    bad(f"{SENS} --n 0", ("--n", "0")),
    bad(f"{SENS} --n 100000000000", ("--replications", "--n 100000000000", "memory")),
    bad(f"{SENS} --params turnover.quit_probability,turnover.quit_probability", "--params"),
    bad(f"{SENS} --outcome nosuch", "nosuch"),
    bad(f"{SENS} --out /proc/bipsim-sensitivity", ("--out", "/proc/bipsim-sensitivity")),
    bad(f"{SENS} --method guess", ("--method", "guess")),
    # recover
    bad("recover --replications 0", ("--replications", "0")),
    bad("recover --workers -1", ("--workers", "-1")),
    bad("recover --scheduler notanaddress", ("--scheduler", "notanaddress")),
    bad("recover --out /proc/bipsim-recover", "--out"),
    bad("recover --out {tmp}/afile", ("--out", "already exists")),
    bad("recover {tmp}/latin1.toml", "{tmp}/latin1.toml"),
    bad("recover {tmp}/folder", "{tmp}/folder"),
    bad("recover --replications 100000000", ("--replications", "memory")),
    # design
    bad("design --vary survey.waves=0,4", ("survey.waves", "0", "from 1")),
    bad("design --vary survey.colour=4", ("survey.colour", "allowed")),
    bad("design --vary survey.interval_weeks=20", ("survey.interval_weeks", "20", "multiple of 13")),
    bad("design --vary survey.waves=4 --vary survey.waves=8", ("--vary", "twice")),
    bad("design --estimand luck", ("--estimand", "luck", "known")),
    bad("design --replications 0", ("--replications", "0")),
    bad("design --out {tmp}/afile", ("--out", "already exists")),
    # discover
    bad("discover --estimand caseworker_change --method register_naive", "--ranges"),
    bad(
        "discover --ranges turnover.quit_probability=0.001:0.01 --estimand caseworker_change --method register_naive "
        "--criterion 'luck > 1'",
        ("--criterion", "luck", "allowed"),
    ),
    bad(
        "discover --ranges turnover.quit_probability=0.001:0.01 --estimand caseworker_change --method register_naive "
        "--criterion 'import os'",
        ("--criterion", "not an expression"),
    ),
    bad(
        "discover --ranges turnover.quit_probability=0.001:0.01 --estimand caseworker_change --method register_hazard",
        ("--method", "register_hazard", "no truth"),
    ),
    bad(
        "discover --ranges turnover.quit_probability=0.001:0.01 --estimand caseworker_change --method register_naive "
        "--n 2",
        ("--n", "2"),
    ),
    bad(
        "discover --ranges turnover.quit_probability=0.5:0.1 --estimand caseworker_change --method register_naive",
        "--ranges",
    ),
    # app: refused before anything is served
    bad("app --port -1", ("--port", "-1", "65535")),
    bad("app --port 70000", ("--port", "70000", "65535")),
    bad("app --port http", ("--port", "http")),
    bad("app --address host.invalid", ("--address", "host.invalid")),
    bad("app --address 203.0.113.7", ("--address", "203.0.113.7", "not an address of this computer")),
    bad("app --address 127.0.0.1 --port {port}", ("--port", "{port}", "in use")),
    # class
    bad("class --students 0", ("--students", "0", "from 1 to 60")),
    bad("class --caseload 100", ("--caseload", "100", "from 2 to 25")),
    bad("class --rounds 9", ("--rounds", "9", "from 1 to 8")),
    bad("class --resume {tmp}/folder", ("--resume", "{tmp}/folder", "no saved class")),
    bad("class nosuchscenario", ("nosuchscenario", "baseline")),
    # export (when present): bad format, missing bundle
    bad("export {tmp}/bundle --format pdf --out {tmp}/export", ("--format", "pdf")),
    bad("export {tmp}/missing --format csv --out {tmp}/export", "{tmp}/missing"),
    # follow
    bad("follow {tmp}/missing 1", "{tmp}/missing"),
    bad("follow {tmp}/bundle 1", "{tmp}/bundle"),
    bad("follow {tmp}/bundle one", ("CITIZEN_ID", "one", "whole number")),
    bad("follow {tmp}/bundle", "CITIZEN_ID"),
    bad("follow {tmp}/bundle 1 --language fr", ("--language", "fr")),
    bad("follow {tmp}/bundle 1 --out {tmp}/afile", ("--out", "{tmp}/afile", ".html")),
    bad("follow {tmp}/bundle 1 --out /proc/bipsim-life.html", ("--out", "/proc/bipsim-life.html")),
    # qda: export refuses its output before reading the bundle; score names what is wrong with the project
    bad("qda", "export|score"),
    bad("qda export {tmp}/missing --out {tmp}/new.qdpx", "{tmp}/missing"),
    bad("qda export {tmp}/bundle --out {tmp}/new.qdpx", "{tmp}/bundle"),
    bad("qda export {tmp}/bundle --out {tmp}/new.txt", ("--out", ".qdpx")),
    bad("qda export {tmp}/bundle --out {tmp}/study.qdpx", ("--out", "already exists", "--force")),
    bad("qda export {tmp}/bundle --out {tmp}/folder.qdpx --force", ("--out", "is a folder")),
    bad("qda export {tmp}/bundle --out /proc/bipsim.qdpx", ("--out", "/proc/bipsim.qdpx")),
    bad("qda export {tmp}/bundle --out {tmp}/new.qdpx --language fr", ("--language", "fr")),
    bad("qda score {tmp}/missing.qdpx", ("{tmp}/missing.qdpx", "no such file")),
    bad("qda score {tmp}/afile", ("{tmp}/afile", "not a zip file")),
    bad("qda score {tmp}/empty.qdpx", ("{tmp}/empty.qdpx", "no project.qde")),
    bad("qda score {tmp}/broken.qdpx", ("{tmp}/broken.qdpx", "not well-formed XML")),
    bad("qda score {tmp}/hope.qdpx", ("{tmp}/hope.qdpx", "'Luck'", "not in the bipsim codebook")),
    bad("qda score {tmp}/study.qdpx", ("{tmp}/study.qdpx", "no user 'truth'", "--bundle")),
    bad("qda score {tmp}/study.qdpx --bundle {tmp}/missing", "{tmp}/missing"),
]


def subcommands() -> list[str]:
    parser = build_parser()
    action = next(a for a in parser._actions if a.dest == "command")
    return list(action.choices)


def test_every_subcommand_has_bad_invocations():
    listed = subprocess.run(
        [sys.executable, "-m", "bipsim", "--help"], capture_output=True, text=True, timeout=120, check=True
    ).stdout
    commands = subcommands()
    assert commands and all(command in listed for command in commands)
    tried = {case.command for case in CASES}
    assert not [command for command in commands if command not in tried]


@pytest.fixture(scope="module")
def place(tmp_path_factory):
    """A folder with the things bad invocations point at: a bundle, a report, odd files and folders."""
    tmp = tmp_path_factory.mktemp("bad")
    (tmp / "latin1.toml").write_bytes(BAD_BYTES)
    (tmp / "folder").mkdir()
    (tmp / "afile").write_text("not a folder")
    (tmp / "precious").mkdir()
    (tmp / "precious" / "thesis.txt").write_text("keep")
    bundle = tmp / "bundle"
    bundle.mkdir()
    (bundle / "manifest.json").write_text(json.dumps({"format": "bipsim-bundle"}))
    (tmp / "report" / "tables").mkdir(parents=True)
    (tmp / "report" / "report.html").write_text("<html></html>")
    (tmp / "sweep").mkdir()
    (tmp / "sweep" / "manifest.json").write_text(json.dumps({"format": "bipsim-ensemble"}))
    (tmp / "folder.qdpx").mkdir()
    for name, members in QDPX.items():
        with zipfile.ZipFile(tmp / name, "w") as archive:
            for member, data in members.items():
                archive.writestr(member, data)
    return tmp


@pytest.fixture(scope="module")
def busy_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listening:
        listening.bind(("127.0.0.1", 0))
        listening.listen()
        yield listening.getsockname()[1]


@pytest.fixture(autouse=True)
def small_machine(monkeypatch, tmp_path):
    """8 GiB of memory and an empty user cache, whatever machine runs the tests; nothing is served."""
    monkeypatch.setattr(cli_size, "machine_memory", lambda: 8 * 2**30)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))

    def serve(*_args, **_kwargs):
        raise AssertionError("bipsim app got past its checks and would serve")

    monkeypatch.setattr("bipsim.cli.app.app_target", serve)


@pytest.mark.parametrize("case", CASES, ids=lambda case: " ".join(case.argv)[:70] or "(nothing)")
def test_bad_invocation_exits_2_with_one_line(case, place, busy_port, capsys):
    if case.command and case.command not in subcommands():
        pytest.skip(f"no subcommand {case.command} here")

    def fill(text: str) -> str:
        return text.format(tmp=place, port=busy_port)

    before = sorted(p.name for p in Path(place).iterdir())
    try:
        code = main([fill(arg) for arg in case.argv])
    except SystemExit as exit_:  # argparse's own refusals
        code = exit_.code
    out, err = capsys.readouterr()
    assert code == 2, err
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("bipsim") and "error: " in lines[0]
    for name in case.names:
        assert fill(name) in lines[0], lines[0]
    assert "share ever in job" not in out
    assert sorted(p.name for p in Path(place).iterdir()) == before  # nothing written, nothing left behind


def test_a_read_only_folder_is_refused_before_the_run(tmp_path, run_read_only):
    locked = tmp_path / "locked"
    locked.mkdir()
    result = run_read_only(
        [locked],
        [sys.executable, "-m", "bipsim", "run", "--citizens", "40", "--weeks", "3", "--out", str(locked / "b")],
    )
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and f"--out {locked / 'b'}" in lines[0] and "cannot create files" in lines[0]
    assert result.stdout == ""  # refused before the run: no summary
