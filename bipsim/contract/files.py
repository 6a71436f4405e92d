"""Atomic folder output: results are built in a hidden sibling folder and swapped into place when complete.

An interrupted run therefore never leaves a half-written folder under the final name; the temporary
sibling carries a random suffix and a leading dot so it is neither mistaken for results nor overwritten.
It holds a small owner file (host, process, boot) while it is being built, so a later run into the same
parent can tell a sibling left by a killed run from one still being written, and removes only the former.
Output locations are checked before any work starts (:func:`output_problem`).

Several writers may move into one target at once: each move either puts one writer's complete folder in
place or raises :class:`OutputError`, and never leaves a set-aside folder behind. On Linux the finished
folder and the old target are exchanged in one step, so the target is never missing in between.

Files that are no output of a run (compiled loops, measured speeds) go to :func:`user_cache_dir`.
"""

from __future__ import annotations

import ctypes
import errno
import glob
import json
import os
import random
import shutil
import socket
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

OWNER_FILE = ".bipsim-owner.json"
SIBLING_KINDS = ("partial", "replaced")  # being built / set aside while replaced
MOVE_ATTEMPTS = 100
"""Tries before a move that other writers keep getting ahead of gives up with :class:`OutputError`."""

_TARGET_TAKEN = {errno.EEXIST, errno.ENOTEMPTY}
_UNSUPPORTED = {errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP, errno.ENOSYS}  # a rename flag this system lacks


class OutputError(OSError):
    """An output folder that cannot be put in place; the message says which folder and why."""


def output_problem(target: Path) -> str | None:
    """Why no folder could be written at ``target`` (about its parent, not the target itself), or ``None``.

    The nearest existing ancestor must be a folder where this process can create files. That is tried,
    not read off permission bits, which do not tell for root, read-only file systems or ``/proc``.
    """
    ancestor = Path(os.path.abspath(target)).parent
    try:
        while not ancestor.exists() and ancestor != ancestor.parent:
            ancestor = ancestor.parent
        if not ancestor.is_dir():
            return f"its parent {ancestor} is a file, not a folder"
        with tempfile.TemporaryFile(dir=ancestor):
            pass
    except OSError as exc:
        return f"cannot create files in {ancestor} ({exc.strerror or exc})"
    return None


def can_write_in(folder: Path) -> bool:
    """Whether ``folder`` exists or can be made, and this process can create files in it (tried)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except (OSError, ValueError):
        return False
    return True


def user_cache_dir() -> Path | None:
    """The user's cache folder for bipsim, by the platform's convention; ``None`` when there is no home.

    Linux and other Unix: ``$XDG_CACHE_HOME/bipsim``, by default ``~/.cache/bipsim``; macOS:
    ``~/Library/Caches/bipsim``; Windows: ``bipsim`` in ``%LOCALAPPDATA%``.
    """
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "bipsim"
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if sys.platform not in ("win32", "darwin") and os.path.isabs(xdg):
        return Path(xdg) / "bipsim"
    try:
        home = Path.home()
    except (RuntimeError, KeyError):
        return None
    if sys.platform == "win32":
        return home / "AppData" / "Local" / "bipsim"
    if sys.platform == "darwin":
        return home / "Library" / "Caches" / "bipsim"
    return home / ".cache" / "bipsim"


def temporary_sibling(target: Path) -> Path:
    """Create and return an empty hidden folder beside ``target`` to build its contents in.

    Siblings of the same target left by runs that were killed are removed first.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_siblings(target)
    temporary = target.parent / f".{target.name}.partial-{uuid.uuid4().hex[:12]}"
    temporary.mkdir()
    _claim(temporary)
    return temporary


def remove_stale_siblings(target: Path) -> list[Path]:
    """Remove the hidden siblings of ``target`` whose owner process has ended on this host; return them.

    A sibling without a readable owner file, or owned on another host, is left alone: it is not known
    to be abandoned.
    """
    removed = []
    for kind in SIBLING_KINDS:
        for folder in target.parent.glob(f".{glob.escape(target.name)}.{kind}-*"):
            if folder.is_dir() and not folder.is_symlink() and _abandoned(_owner_of(folder)):
                remove_sibling(folder)
                removed.append(folder)
    return removed


def move_into_place(temporary: Path, target: Path, *, replace: bool = True) -> None:
    """Move the finished ``temporary`` folder to ``target``, replacing what is there when ``replace``.

    Callers decide beforehand whether an existing ``target`` may be replaced; with ``replace=False`` a
    target that appeared meanwhile raises :class:`FileExistsError`. Raises :class:`OutputError` when
    other writers to the same target got ahead of this one :data:`MOVE_ATTEMPTS` times in a row;
    ``temporary`` is then still there for the caller to remove.
    """
    if not temporary.is_dir():
        raise OutputError(f"cannot move {temporary} to {target}: it is not a folder any more")
    (temporary / OWNER_FILE).unlink(missing_ok=True)
    try:
        for attempt in range(MOVE_ATTEMPTS):
            if _put(temporary, target, replace):
                return
            time.sleep(random.uniform(0, 0.0005 * (attempt + 1)))  # let the writer ahead finish its move
    except BaseException:
        if temporary.is_dir():
            _claim(temporary)
        raise
    _claim(temporary)
    raise OutputError(
        f"cannot move the finished folder into {target}: other writers replaced it {MOVE_ATTEMPTS} times "
        "in a row; try again, or write to another folder"
    )


def _put(temporary: Path, target: Path, replace: bool) -> bool:
    """One try at moving ``temporary`` to ``target``; ``False`` when another writer got in the way."""
    if not replace:
        try:
            _rename_if_free(temporary, target)
        except OSError as exc:
            if _taken(exc):
                raise FileExistsError(exc.errno, f"{target} already exists", str(target)) from None
            raise
        return True
    exchanging = _exchange is not None
    if exchanging:
        try:
            _exchange(temporary, target)
        except FileNotFoundError:
            pass  # no target yet: a plain move below
        except OSError as exc:
            if exc.errno not in _UNSUPPORTED:
                raise
            exchanging = False  # this file system cannot exchange: set aside and move, as elsewhere
        else:
            remove_sibling(temporary)  # it now holds the old target
            return True
    try:
        _rename_if_free(temporary, target)
        return True
    except OSError as exc:
        if not _taken(exc):
            raise
        if exchanging:
            return False  # another writer got there first: exchange with theirs on the next try
    aside = target.parent / f".{target.name}.replaced-{uuid.uuid4().hex[:12]}"
    try:
        os.rename(target, aside)
    except FileNotFoundError:
        return False  # another writer set it aside first
    _claim(aside)
    try:
        _rename_if_free(temporary, target)
    except OSError as exc:
        if not _taken(exc):
            raise
        return False  # another writer moved in between: theirs is as new as the one set aside
    finally:
        remove_sibling(aside)
    return True


def _taken(exc: OSError) -> bool:
    """Whether a rename failed because something is at its destination."""
    return exc.errno in _TARGET_TAKEN or (os.name == "nt" and isinstance(exc, PermissionError))


def remove_sibling(folder: Path) -> None:
    """Remove a temporary or set-aside sibling folder, its owner file last.

    Should this process be stopped halfway, the owner file is still there and the next run into the same
    parent finishes the job.
    """
    if not folder.is_dir() or folder.is_symlink():
        folder.unlink(missing_ok=True)  # a file swapped out of the way
        return
    _claim(folder)
    for entry in folder.iterdir():
        if entry.name == OWNER_FILE:
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)
    shutil.rmtree(folder, ignore_errors=True)


# --- owners of sibling folders ----------------------------------------------------------------------------


def _claim(folder: Path) -> None:
    """Write this process's owner file into ``folder``."""
    try:
        (folder / OWNER_FILE).write_text(json.dumps(_this_process()), encoding="utf-8")
    except OSError:
        pass  # without an owner file the folder is never taken for abandoned: safe, only not tidied


def _this_process() -> dict[str, object]:
    return {"host": socket.gethostname(), "pid": os.getpid(), "boot": _boot_id(), "started": _started(os.getpid())}


def _owner_of(folder: Path) -> dict[str, object] | None:
    try:
        owner = json.loads((folder / OWNER_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return owner if isinstance(owner, dict) and isinstance(owner.get("pid"), int) else None


def _abandoned(owner: dict[str, object] | None) -> bool:
    """Whether the process named by ``owner`` has certainly ended (it ran on this host, and is gone)."""
    if owner is None or owner.get("host") != socket.gethostname():
        return False
    boot = _boot_id()
    if boot is not None and owner.get("boot") not in (None, boot):
        return True  # written before this machine last started
    pid = owner["pid"]
    if os.name != "posix":
        return False  # no harmless way to ask whether a process exists
    try:
        os.kill(pid, 0)  # type: ignore[arg-type]
    except ProcessLookupError:
        return True
    except PermissionError:
        pass  # a process of another user has this number
    started = _started(pid)  # type: ignore[arg-type]
    return started is not None and owner.get("started") not in (None, started)  # the number was reused


def _boot_id() -> str | None:
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text().strip()
    except OSError:
        return None


def _started(pid: int) -> int | None:
    """When process ``pid`` started, in clock ticks since boot (Linux); ``None`` where unknown."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return int(stat.rpartition(")")[2].split()[19])  # field 22, counted after the command name


# --- renames ---------------------------------------------------------------------------------------------


def _renameat2(flags: int) -> Callable[[Path, Path], None] | None:
    """Linux's ``renameat2`` with ``flags`` (1: only if free, 2: exchange); ``None`` where it is missing."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    at_cwd = -100

    def rename(source: Path, destination: Path) -> None:
        if function(at_cwd, os.fsencode(source), at_cwd, os.fsencode(destination), flags) != 0:
            code = ctypes.get_errno()
            raise OSError(code, os.strerror(code), str(source), None, str(destination))

    return rename


_exchange = _renameat2(2)
_no_replace = _renameat2(1)


def _rename_if_free(source: Path, destination: Path) -> None:
    """Rename ``source`` to ``destination`` unless something is there (EEXIST/ENOTEMPTY otherwise).

    Without Linux's ``renameat2`` an empty folder at ``destination`` is replaced (POSIX ``rename``).
    """
    if _no_replace is not None:
        try:
            _no_replace(source, destination)
            return
        except OSError as exc:
            if exc.errno not in _UNSUPPORTED:
                raise
    os.rename(source, destination)
