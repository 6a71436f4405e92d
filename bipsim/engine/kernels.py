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

kernel = numba.njit(cache=CACHE_FOLDER is not None, nogil=True, error_model="numpy")
"""Decorator for a weekly loop: compiled without the Python interpreter, cached, and releasing the GIL."""

COMPILING_NOTE = (
    "compiling the weekly loops for this machine (the first run only, about half a minute)"
    if CACHE_FOLDER is not None
    else "compiling the weekly loops in memory, at every run (about half a minute): no writable folder to "
    "cache them in; set NUMBA_CACHE_DIR to one to keep them"
)


def announce_compilation(say: Callable[[str], None]) -> None:
    """Have ``say(COMPILING_NOTE)`` called once when a loop is compiled instead of loaded from the cache.

    A later call replaces ``say`` (and announces again): one listener per process, however often it is called.
    """
    global _listener
    if _listener is None:
        _listener = _FirstCompilation()
        event.register("numba:compile", _listener)
    _listener.say = say


class _FirstCompilation(event.Listener):
    say: Callable[[str], None] | None = None

    def on_start(self, _event: event.Event) -> None:
        if self.say is not None:
            self.say(COMPILING_NOTE)
            self.say = None

    def on_end(self, _event: event.Event) -> None:
        pass


_listener: _FirstCompilation | None = None


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
