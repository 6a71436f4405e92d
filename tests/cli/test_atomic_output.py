"""Output folders: concurrent writers to one target, stale temporary folders, and checks before work."""

from __future__ import annotations

import json
import multiprocessing
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from bipsim.cli import main
from bipsim.contract import files
from bipsim.contract.files import (
    OWNER_FILE,
    OutputError,
    move_into_place,
    output_problem,
    remove_stale_siblings,
    temporary_sibling,
)

WRITERS = 8
MOVES = 100
PARTS = ("a.txt", "b.txt", "c.txt", "d.txt", "done.txt")


def _fill(folder: Path, generation: str) -> None:
    for part in PARTS:
        (folder / part).write_text(generation)


def _writer(target: str, writer: int, moves: int, exchange: bool, results: multiprocessing.Queue) -> None:
    """Build and move a complete folder into ``target`` ``moves`` times; report what happened."""
    if not exchange:  # the way of platforms without Linux's renameat2: set aside, then move
        files._exchange = files._no_replace = None
    done, clear, unclear = 0, 0, []
    for move in range(moves):
        temporary = temporary_sibling(Path(target))
        try:
            _fill(temporary, f"{writer}-{move}")
            move_into_place(temporary, Path(target))
            done += 1
        except OutputError as exc:
            clear += int(target in str(exc))
            if target not in str(exc):
                unclear.append(repr(exc))
        except Exception as exc:  # counted: the test fails on any
            unclear.append(repr(exc))
        finally:
            if temporary.exists():
                files.remove_sibling(temporary)
    results.put((done, clear, unclear))


def _observer(target: str, stop: multiprocessing.Event, results: multiprocessing.Queue) -> None:
    """Look at ``target`` until stopped: count complete, missing and incomplete sightings."""
    seen = {"complete": 0, "missing": 0, "incomplete": 0, "replaced while read": 0}
    while not stop.is_set():
        try:
            handle = os.open(target, os.O_RDONLY | os.O_DIRECTORY)
        except FileNotFoundError:
            seen["missing"] += 1
            continue
        try:
            names = set(os.listdir(handle))
            generations = set()
            for part in PARTS:
                opened = os.open(part, os.O_RDONLY, dir_fd=handle)  # in the folder being read, wherever it is now
                generations.add(os.read(opened, 100))
                os.close(opened)
            complete = names == set(PARTS) and len(generations) == 1
        except FileNotFoundError:
            complete = False
        still_target = os.fstat(handle).st_ino == _inode(target)
        os.close(handle)
        if complete:
            seen["complete"] += 1
        elif still_target:
            seen["incomplete"] += 1
        else:
            seen["replaced while read"] += 1  # a reader's race with the swap, not a half-written target
    results.put(seen)


def _inode(path: str) -> int | None:
    try:
        return os.stat(path).st_ino
    except FileNotFoundError:
        return None


@pytest.mark.parametrize("exchange", [True, False], ids=["exchange", "set-aside"])
def test_concurrent_moves_into_one_target(tmp_path, exchange):
    if exchange and files._exchange is None:
        pytest.skip("no renameat2 exchange on this platform")
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    target = tmp_path / "results"
    first = temporary_sibling(target)
    _fill(first, "start")
    move_into_place(first, target)
    results, sightings, stop = context.Queue(), context.Queue(), context.Event()
    observer = context.Process(target=_observer, args=(str(target), stop, sightings))
    observer.start()
    writers = [
        context.Process(target=_writer, args=(str(target), writer, MOVES, exchange, results))
        for writer in range(WRITERS)
    ]
    for process in writers:
        process.start()
    reports = [results.get(timeout=300) for _ in writers]
    for process in writers:
        process.join(timeout=60)
    stop.set()
    seen = sightings.get(timeout=60)
    observer.join(timeout=60)

    done = sum(r[0] for r in reports)
    clear = sum(r[1] for r in reports)
    unclear = [message for r in reports for message in r[2]]
    print(
        f"\n{WRITERS} writers x {MOVES} moves ({'exchange' if exchange else 'set aside'}): {done} moved, "
        f"{clear} refused with a clear error, {len(unclear)} other errors; target seen {seen}"
    )
    assert not unclear
    assert done + clear == WRITERS * MOVES
    assert done > 0
    assert seen["incomplete"] == 0
    if exchange:
        assert seen["missing"] == 0  # exchanged in one step: never absent once there
    assert sorted(p.name for p in target.iterdir()) == sorted(PARTS)
    assert len({(target / part).read_text() for part in PARTS}) == 1
    assert [p.name for p in tmp_path.iterdir()] == ["results"]  # no .partial-* or .replaced-* left


def test_move_without_replace_refuses_a_target_that_appeared(tmp_path):
    target = tmp_path / "out"
    target.mkdir()
    (target / "theirs.txt").write_text("keep")
    temporary = temporary_sibling(target)
    with pytest.raises(FileExistsError):
        move_into_place(temporary, target, replace=False)
    assert (target / "theirs.txt").read_text() == "keep"
    assert (temporary / OWNER_FILE).is_file()  # still owned: removable by a later run should this one die


def _owner(**changes) -> str:
    owner = files._this_process()
    owner.update(changes)
    return json.dumps(owner)


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def _sibling(parent: Path, name: str, owner: str | None) -> Path:
    folder = parent / name
    (folder / "truth").mkdir(parents=True)
    (folder / "truth" / "weekly.parquet").write_bytes(b"half")
    if owner is not None:
        (folder / OWNER_FILE).write_text(owner)
    return folder


@pytest.mark.skipif(os.name != "posix", reason="processes are looked up with os.kill(pid, 0) on POSIX")
def test_only_provably_stale_siblings_are_removed(tmp_path):
    dead = _dead_pid()
    stale = [
        _sibling(tmp_path, ".out.partial-dead", _owner(pid=dead)),
        _sibling(tmp_path, ".out.replaced-dead", _owner(pid=dead)),
    ]
    if files._started(os.getpid()) is not None:
        stale.append(_sibling(tmp_path, ".out.partial-reused", _owner(started=-1)))  # our pid, another start
    if files._boot_id() is not None:
        stale.append(_sibling(tmp_path, ".out.partial-lastboot", _owner(boot="another boot")))
    kept = [
        _sibling(tmp_path, ".out.partial-alive", _owner()),
        _sibling(tmp_path, ".out.partial-elsewhere", _owner(pid=dead, host=socket.gethostname() + "-other")),
        _sibling(tmp_path, ".out.partial-ownerless", None),
        _sibling(tmp_path, ".out.partial-garbled", "{not json"),
        _sibling(tmp_path, ".other.partial-dead", _owner(pid=dead)),  # another target's
    ]
    removed = remove_stale_siblings(tmp_path / "out")
    assert sorted(removed) == sorted(stale)
    assert not any(folder.exists() for folder in stale)
    assert all(folder.exists() for folder in kept)


def test_a_run_removes_stale_partial_folders_of_its_target(tmp_path, capsys):
    stale = _sibling(tmp_path, ".bundle.partial-0123456789ab", _owner(pid=_dead_pid()))
    alive = _sibling(tmp_path, ".bundle.partial-ba9876543210", _owner())
    assert main(["run", "--citizens", "40", "--weeks", "3", "--out", str(tmp_path / "bundle")]) == 0
    assert not stale.exists() and alive.exists()
    assert (tmp_path / "bundle" / "manifest.json").is_file()
    assert not (tmp_path / "bundle" / OWNER_FILE).exists()  # the owner file never reaches the results


def test_output_problem_names_the_parent(tmp_path):
    (tmp_path / "afile").write_text("x")
    assert output_problem(tmp_path / "new" / "deeper" / "out") is None
    assert "is a file" in output_problem(tmp_path / "afile" / "out")
    assert "cannot create files" in output_problem(Path("/proc/bipsim-out"))
    assert not (tmp_path / "new").exists()  # checking creates nothing
