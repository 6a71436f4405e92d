"""Ctrl+C ends any command with one line and exit code 130, and leaves no temporary folder behind."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bipsim.cli import main


def _interrupt(*_args, **_kwargs):
    raise KeyboardInterrupt


def _assert_interrupted(code: int, capsys, parent: Path) -> None:
    assert code == 130
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert err.strip().splitlines()[-1] == "bipsim: interrupted"  # after what the command had said so far
    assert not [p.name for p in parent.iterdir() if ".partial-" in p.name or ".replaced-" in p.name]


def test_ctrl_c_while_writing_a_bundle(tmp_path, capsys, monkeypatch):
    from bipsim.dataset import bundle

    monkeypatch.setattr(bundle, "code_tables", _interrupt)  # while the writer thread encodes the truth
    code = main(["run", "--citizens", "40", "--weeks", "3", "--out", str(tmp_path / "bundle")])
    _assert_interrupted(code, capsys, tmp_path)
    assert not (tmp_path / "bundle").exists()


def test_ctrl_c_while_writing_ensemble_results(tmp_path, capsys, monkeypatch):
    from bipsim.ensemble import results

    monkeypatch.setattr(results, "_parquet_safe", _interrupt)  # the temporary folder exists by now
    code = main(["sweep", "--citizens", "40", "--weeks", "3", "--replications", "1", "--out", str(tmp_path / "s")])
    _assert_interrupted(code, capsys, tmp_path)
    assert not (tmp_path / "s").exists()


def test_ctrl_c_while_simulating(tmp_path, capsys, monkeypatch):
    from bipsim.model import BipModel

    monkeypatch.setattr(BipModel, "step", _interrupt)
    code = main(["run", "--citizens", "40", "--weeks", "3"])
    _assert_interrupted(code, capsys, tmp_path)


def _progress_seen(process: subprocess.Popen, unit: str) -> list[str]:
    """Read the command's stderr until its first progress line about ``unit`` (it is at work then), and return it.

    Waiting for the command to say it is working, instead of sleeping a fixed time, keeps the test independent of
    the machine's speed: a fast machine could finish before a fixed sleep ends, a slow one not have started.
    """
    seen = []
    for line in process.stderr:
        seen.append(line)
        if re.search(rf"\d+/\d+ {unit} \(\d+%\)", line):
            return seen
    raise AssertionError("the command ended before it reported progress:\n" + "".join(seen))


def _as_in_a_terminal() -> None:
    """In the child, before it starts: Ctrl+C (SIGINT) does what it does in a terminal.

    A process started in the background by a shell (as a CI script may start the tests) inherits SIGINT
    ignored, and Python then keeps ignoring it; a user's terminal does not.
    """
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_installed_command_exits_130_on_ctrl_c(tmp_path):
    """A real SIGINT to a running ``bipsim run``: one line, exit 130, no temporary folder left."""
    script = Path(sys.executable).with_name("bipsim")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "bipsim"]
    process = subprocess.Popen(
        [*command, "run", "--citizens", "100000", "--weeks", "520", "--out", str(tmp_path / "bundle")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_as_in_a_terminal,  # noqa: PLW1509 - only resets a signal, before exec
    )
    before = _progress_seen(process, "weeks")  # into the run: the first tenth of its weeks is done
    process.send_signal(signal.SIGINT)
    _, rest = process.communicate(timeout=600)
    err = "".join(before) + rest
    assert process.returncode == 130, err
    assert "Traceback" not in err
    assert err.strip().splitlines()[-1] == "bipsim: interrupted"
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow
def test_ctrl_c_in_a_terminal_stops_local_dask_workers_quietly(tmp_path):
    """Ctrl+C reaches the whole process group, workers too: still one line, exit 130, no worker left."""
    import os

    process = subprocess.Popen(
        [sys.executable, "-m", "bipsim", "sweep", "--citizens", "4000", "--weeks", "208", "--replications", "400"]
        + ["--workers", "2", "--out", str(tmp_path / "sweep")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        preexec_fn=_as_in_a_terminal,  # noqa: PLW1509 - only resets a signal, before exec
    )
    before = _progress_seen(process, "runs")  # the cluster has started and the first tenth of the runs is done
    os.killpg(process.pid, signal.SIGINT)  # what a terminal does on Ctrl+C
    _, rest = process.communicate(timeout=600)
    err = "".join(before) + rest
    assert process.returncode == 130, err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
    assert err.strip().splitlines()[-1] == "bipsim: interrupted"
    assert list(tmp_path.iterdir()) == []
    leftover = "?"
    for _ in range(20):  # the workers' processes are reaped within seconds
        leftover = subprocess.run(["ps", "-o", "pid=", "-g", str(process.pid)], capture_output=True, text=True).stdout
        if not leftover.strip():
            break
        time.sleep(1)
    assert leftover.strip() == ""


def test_an_interrupt_wrapped_by_a_compiled_loop_still_counts_as_ctrl_c():
    """Ctrl+C while numba loads a cached loop reaches the command as a SystemError caused by the interrupt."""
    from bipsim.cli.main import _caused_by_interrupt

    try:
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt as interrupt:
            raise SystemError("returned a result with an exception set") from interrupt
    except SystemError as wrapped:
        assert _caused_by_interrupt(wrapped)
    assert not _caused_by_interrupt(SystemError("a real error"))
