"""Compiled loops for the weekly mechanisms (numba).

The mechanisms draw their random numbers with numpy, from their own (mechanism, week) streams, and hand
them to loops compiled here by :func:`kernel`: one pass over the citizens instead of a dozen whole-array
numpy calls, whose fixed cost dominates a week at BIP scale. The loops repeat numpy's arithmetic operation
for operation, in the same precision, so a compiled week gives the same numbers as the array code it
replaced. Compiled code is cached on disk, so only the first run on a machine pays for compilation. The
cache does not notice when a compiled function defined in another file changes, so a loop calls only
loops of its own file (``tests/model/test_kernels.py`` checks this).

The cache lives in ``__pycache__`` beside the sources; where the package folder is read-only (a system
install), in the user's cache folder (``NUMBA_CACHE_DIR`` is set to ``~/.cache/bipsim/numba`` or the
platform's equivalent), and where neither takes files the loops are compiled in memory at every run.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import numba
import numpy as np
from numba.core import config, event
from numba.core.dispatcher import Dispatcher

from bipsim.contract.files import can_write_in, user_cache_dir


def cache_folder(sources: Path, user_cache: Path | None, provided: str | None) -> Path | None:
    """The folder to cache compiled loops in: the first that can be made and takes files, or ``None``.

    In order: ``provided`` (the ``NUMBA_CACHE_DIR`` a user set), ``__pycache__`` beside the ``sources``
    (numba's own choice), then ``user_cache``.
    """
    for folder in (Path(provided) if provided else None, sources / "__pycache__", user_cache):
        if folder is not None and can_write_in(folder):
            return folder
    return None


_user_cache = user_cache_dir()
CACHE_FOLDER = cache_folder(
    Path(__file__).parent, _user_cache / "numba" if _user_cache else None, os.environ.get("NUMBA_CACHE_DIR")
)
"""Where compiled loops are cached in this process; ``None``: nowhere writable, so they are compiled in memory."""
if CACHE_FOLDER is not None and CACHE_FOLDER != Path(__file__).parent / "__pycache__":
    os.environ["NUMBA_CACHE_DIR"] = str(CACHE_FOLDER)  # also for worker processes started from here
    config.reload_config()

_compile = numba.njit(cache=CACHE_FOLDER is not None, nogil=True, error_model="numpy")

LOOPS: list[Dispatcher] = []
"""Every loop made by :func:`kernel` in the modules imported so far: what a first run may have to compile."""


def kernel(function: Callable) -> Dispatcher:
    """Decorator for a weekly loop: compiled without the Python interpreter, cached, and releasing the GIL.

    Nothing is compiled here: numba compiles a loop when it is first called, so a run compiles only the loops
    it uses. The loop is listed in :data:`LOOPS` so that the announcement can count what is left.
    """
    loop = _compile(function)
    LOOPS.append(loop)
    return loop


COMPILING_NOTE = (
    "compiling the weekly loops for this machine, the first run only: later runs load them from the cache"
    if CACHE_FOLDER is not None
    else "compiling the weekly loops in memory, at every run: no writable folder to cache them in; set "
    "NUMBA_CACHE_DIR to one to keep them"
)


def announce_compilation(say: Callable[[str], None]) -> None:
    """Have ``say`` told about every loop of :data:`LOOPS` compiled instead of loaded from the cache.

    The first compilation is preceded by :data:`COMPILING_NOTE`; each loop then gets one line, "compiling
    loop 3 of up to 22 (meetings._hold)". The count is of the loops in :data:`LOOPS` that are neither loaded
    in this process nor cached on disk; a run may not need all of them (hence "up to"), and it grows when a
    step of the run imports more (the instruments, say). Loops that a loop calls, and numba's own helpers,
    are compiled as part of it and not counted. A later call replaces ``say`` and starts counting afresh:
    one listener per process, however often it is called.
    """
    global _listener
    if _listener is None:
        _listener = _Announcer()
        event.register("numba:compile", _listener)
    _listener.say = say
    _listener.noted = False
    _listener.announced = set()


def loop_name(loop: Dispatcher) -> str:
    """A loop's short name as in its cache files: its module's last part and its name (``meetings._hold``)."""
    return f"{loop.py_func.__module__.rpartition('.')[2]}.{loop.py_func.__qualname__}"


def called_loops(loop: Dispatcher) -> list[Dispatcher]:
    """The loops of :data:`LOOPS` that ``loop`` calls: numba compiles them as part of it."""
    function = loop.py_func
    named = [function.__globals__.get(name) for name in function.__code__.co_names]
    named += [cell.cell_contents for cell in function.__closure__ or ()]
    return [callee for callee in named if any(callee is known for known in LOOPS)]


def is_cached(loop: Dispatcher) -> bool:
    """Whether numba's disk cache holds ``loop`` compiled from its current source, for any argument types."""
    try:
        return bool(loop._cache._cache_file._load_index())  # numba's own freshness check of the index
    except (AttributeError, OSError, EOFError, ValueError):  # no disk cache (NullCache), or an unreadable index
        return False


class _Announcer(event.Listener):
    """Listens to numba's compile events; tells ``say`` about the outermost compilation of each loop once."""

    def __init__(self) -> None:
        self.say: Callable[[str], None] | None = None
        self.noted = False
        self.depth = 0  # numba compiles one function at a time (its compiler lock), nesting callees inside
        self.announced: set[int] = set()

    def on_start(self, ev: event.Event) -> None:
        self.depth += 1
        loop = ev.data["dispatcher"]
        if self.depth > 1 or self.say is None or id(loop) in self.announced:
            return
        if not any(loop is known for known in LOOPS):
            return
        self.announced.add(id(loop))
        if not self.noted:
            self.say(COMPILING_NOTE)
            self.noted = True
        callees = {id(callee) for caller in LOOPS for callee in called_loops(caller)}
        left = sum(
            1
            for other in LOOPS
            if id(other) not in self.announced | callees and not other.overloads and not is_cached(other)
        )
        done = len(self.announced)
        self.say(f"compiling loop {done} of up to {done + left} ({loop_name(loop)})")

    def on_end(self, _ev: event.Event) -> None:
        self.depth -= 1


_listener: _Announcer | None = None


def standard_normal(rng: np.random.Generator, shape: int | tuple[int, ...]) -> np.ndarray:
    """``rng.standard_normal(shape)``: the same numbers, drawn by numba's port of numpy's ziggurat.

    numpy's own array draw cost about 10 ns a number where we measured it, the compiled one about 4. But the
    first compiled draw in a process costs about 0.15 s (numba sets up its generator support) and each call
    6-10 µs, so only draws of :data:`NORMALS_COMPILED_FROM` numbers or more are compiled: the survey's noise
    at national scale, where this saved 0.4-0.7 s of the instruments' 6-7 s. Smaller draws are numpy's own.
    """
    size = int(np.prod(shape))
    if size < NORMALS_COMPILED_FROM:
        return rng.standard_normal(shape)
    return _fill_standard_normal(rng, out=np.empty(size)).reshape(shape)


NORMALS_COMPILED_FROM = 1_000_000
"""Draws of fewer numbers are numpy's: a BIP-scale run never pays the compiled draw's first-use cost."""


@kernel
def _fill_standard_normal(rng, out):
    for i in range(out.size):
        out[i] = rng.standard_normal()
    return out


@kernel
def pick_employers(pool, bounds, weights, jobcentres, draws):
    """For each draw, an employer of its jobcentre's pool, chosen in proportion to ``weights``; -1 if none.

    ``pool[bounds[j]:bounds[j + 1]]`` are the employers tied to jobcentre ``j``; ``draws`` are uniform.
    """
    cumulative = np.empty(pool.size + 1)
    cumulative[0] = total = 0.0
    for k in range(pool.size):
        total += weights[pool[k]]
        cumulative[k + 1] = total
    chosen = np.empty(jobcentres.size, dtype=np.int32)
    for position in range(jobcentres.size):
        first, end = bounds[jobcentres[position]], bounds[jobcentres[position] + 1]
        low, high = cumulative[first], cumulative[end]
        if not high > low:
            chosen[position] = -1
            continue
        at = np.searchsorted(cumulative, low + draws[position] * (high - low), side="right") - 1
        chosen[position] = pool[min(max(at, first), end - 1)]
    return chosen
