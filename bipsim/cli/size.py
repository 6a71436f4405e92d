"""How big a request is, told before long runs and refused when it cannot fit in this machine's memory.

Memory grows with citizens x weeks: the model keeps a record of every citizen in every week (``_records`` in
``bipsim/model/model.py``: status, activity, caseworker, employer, belief and meetings, 16 bytes a
citizen-week), and the truth tables, instruments and analyses built from them multiply that. The factors
below are peaks measured at 2 to 26 million citizen-weeks, rounded up. Time is told only where this machine
has measured it: ``bipsim run`` records its speed in the user's cache folder, and later estimates use it.
"""

from __future__ import annotations

import json
import math
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from bipsim.cli.common import UsageError
from bipsim.cli.progress import ESTIMATED_UNITS, duration, plural
from bipsim.contract.files import user_cache_dir

if TYPE_CHECKING:
    import pandas as pd

GIB = 2**30
PROCESS_BYTES = GIB // 2
"""A bipsim process before any run: Python, numpy, pandas, numba, mesa and the analyses (measured 0.35-0.5 GiB)."""

BYTES_PER_CITIZEN_WEEK = {
    "model": 32,  # the weekly records and the summary's working copies (measured 27-30)
    "study": 72,  # + truth tables, instruments and the bundle writer: bipsim run --out (measured 70)
    "calibration": 160,  # + the observed data whole and the published figures recomputed (measured 150)
    "recovery": 176,  # + the analyses; the twins run one after another (measured 164)
}
"""Peak memory of one run of each kind, per citizen-week, beyond :data:`PROCESS_BYTES`."""

ROW_BYTES = {"model": 2048, "study": 2048, "calibration": 16_384, "recovery": 262_144}
"""Memory per run in the process that collects the results: the run's plan entry and its rows."""

LONG_WORK = 20_000_000
"""Citizen-weeks in all from which the estimate is shown (BIP scale, 4,000 citizens x 208 weeks, is 832,000)."""
LARGE_MEMORY = 2 * GIB
"""Estimated memory from which the estimate is shown."""
LONG_SECONDS = 60.0
"""Estimated time from which the estimate is shown (where this machine has a recorded speed)."""
SPEED_MEASURED_FROM = 2_000_000
"""Work of fewer citizen-weeks in all is not timed for later estimates: fixed costs would dominate."""
RUN_MEASURED_FROM = 200_000
"""Ensemble runs of fewer citizen-weeks each are not timed either: each run's own fixed costs would dominate."""
SPEED_FILE = "speed.json"

_compiled = False


@dataclass
class Size:
    """What a request will take: peak memory of all its processes, and its time where known."""

    memory: int
    seconds: float | None
    citizen_weeks: int


def check_size(
    citizens: int,
    weeks: int,
    kind: str,
    replications: int = 1,
    settings: int = 1,
    workers: int = 1,
    remote: bool = False,
    settings_from: str = "",
) -> Size:
    """Estimate a request; refuse it (:class:`UsageError`) when it needs more memory than this machine has.

    ``replications`` x ``settings`` runs of ``citizens`` x ``weeks`` of ``kind`` (a key of
    :data:`BYTES_PER_CITIZEN_WEEK`) run in this process (``workers == 1``), in ``workers`` local processes, or
    on a remote Dask cluster (``remote``), whose memory is its own. ``settings_from`` names the arguments that
    set the number of settings, for the message. The estimate is printed on stderr when the request is long or
    large.
    """
    request = _Request(citizens, weeks, kind, replications, settings, workers, remote, settings_from)
    runs = request.runs
    one = None if remote else run_seconds(kind, citizens * weeks)
    seconds = None if one is None else one * math.ceil(runs / max(1, request.parallel))
    size = Size(request.memory, seconds, citizens * weeks * runs)
    total = machine_memory()
    if total is not None and request.memory > total:
        raise UsageError(request.refusal(total))
    if size.citizen_weeks >= LONG_WORK or size.memory >= LARGE_MEMORY or (seconds or 0.0) >= LONG_SECONDS:
        print(f"bipsim: {describe(size, total, runs, RUN_UNIT.get(kind, 'run'))}", file=sys.stderr, flush=True)
    return size


RUN_UNIT = {"calibration": "replication", "recovery": "replication"}
"""What one run of each kind is called in messages (default: run)."""


def run_seconds(kind: str, citizen_weeks: int) -> float | None:
    """Seconds one run of ``kind`` and ``citizen_weeks`` takes at the speed recorded here (``None``: none recorded).

    A study (``bipsim run --out``) is the model and then the instruments and bundle, each with its own speed.
    """
    speed = known_speeds()
    parts = ("model", "study") if kind == "study" else (kind,)
    if not all(part in speed for part in parts):
        return None
    return sum(citizen_weeks / speed[part] for part in parts)


def describe(size: Size, total: int | None, runs: int = 1, unit: str = "run") -> str:
    """One line: the estimated memory (and this machine's), and the time where a speed was recorded here."""
    text = f"estimate: about {_bytes(size.memory)} of memory at most"
    text += f" (this machine has {_bytes(total)})" if total is not None else ""
    if size.seconds is not None:
        text += (
            f"; about {duration(size.seconds)} on this machine for {plural(runs, unit)} "
            "(at the speed recorded in earlier runs here)"
        )
    elif unit in ESTIMATED_UNITS and runs > 1:
        text += f"; the time for {plural(runs, unit)} is estimated from the first {unit}"
    return text


@dataclass
class _Request:
    citizens: int
    weeks: int
    kind: str
    replications: int
    settings: int
    workers: int
    remote: bool
    settings_from: str

    @property
    def runs(self) -> int:
        return self.replications * self.settings

    @property
    def run_bytes(self) -> int:
        """One run's own memory, beyond its process's."""
        return self.citizens * self.weeks * BYTES_PER_CITIZEN_WEEK[self.kind]

    @property
    def in_process(self) -> bool:
        return not self.remote and self.workers == 1

    @property
    def parallel(self) -> int:
        """Local worker processes, each holding one run at a time."""
        return 0 if self.remote or self.workers == 1 else min(self.workers, self.runs)

    @property
    def collecting(self) -> int:
        """This process: the plan and the results, and the runs themselves when it runs them."""
        return PROCESS_BYTES + self.runs * ROW_BYTES[self.kind] + (self.run_bytes if self.in_process else 0)

    @property
    def memory(self) -> int:
        return self.collecting + self.parallel * (PROCESS_BYTES + self.run_bytes)

    def refusal(self, total: int) -> str:
        """Why the request does not fit in ``total`` bytes, naming the argument to change and what fits."""
        have = _bytes(total)
        per_run = PROCESS_BYTES + self.run_bytes
        if not self.remote and per_run > total:
            most = (total - PROCESS_BYTES) // BYTES_PER_CITIZEN_WEEK[self.kind]
            return (
                f"--citizens {self.citizens} --weeks {self.weeks}: one run needs about {_bytes(per_run)} of memory, "
                f"more than this machine's {have}; allowed here: about {most:,} citizen-weeks a run at most "
                f"(e.g. --citizens {most // self.weeks} for {self.weeks} weeks)"
            )
        if self.collecting > total:
            room = total - PROCESS_BYTES - (self.run_bytes if self.in_process else 0)
            most = max(0, room) // ROW_BYTES[self.kind]
            given = f"--replications {self.replications}" + (f" {self.settings_from}" if self.settings_from else "")
            allowed = f"{most // self.settings} replications" if not self.settings_from else f"{most:,} runs"
            return (
                f"{given}: {self.runs:,} runs need about {_bytes(self.collecting)} of memory for their plan and "
                f"results, more than this machine's {have}; allowed here: about {allowed} at most"
            )
        most = (total - self.collecting) // per_run
        return (
            f"--workers {self.workers}: {self.parallel} processes of about {_bytes(per_run)} each need about "
            f"{_bytes(self.memory)} of memory, more than this machine's {have}; allowed here: {max(1, most)} "
            "workers at most at this size"
        )


def machine_memory() -> int | None:
    """This machine's memory in bytes, or a smaller limit set on this process's control group; ``None``: unknown."""
    total = None
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):
        try:
            for line in Path("/proc/meminfo").read_text().splitlines():
                if line.startswith("MemTotal:"):
                    total = int(line.split()[1]) * 1024
        except (OSError, ValueError, IndexError):
            pass
    for limit in ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"):
        try:
            value = int(Path(limit).read_text().strip())
        except (OSError, ValueError):
            continue  # absent, or "max": no limit
        total = value if total is None else min(total, value)
    return total if total and total > 0 else None


# --- measured speed ------------------------------------------------------------------------------------------


def note_compilation() -> None:
    """Remember that loops were compiled in this process: its runs are then not timed for later estimates."""
    global _compiled
    _compiled = True


def known_speeds() -> dict[str, float]:
    """Citizen-weeks per second measured here before: ``model`` (the simulation), ``study`` (instruments and bundle)."""
    folder = user_cache_dir()
    try:
        speeds = json.loads((folder / SPEED_FILE).read_text(encoding="utf-8")) if folder else {}
    except (OSError, ValueError):
        return {}
    if not isinstance(speeds, dict):
        return {}
    return {k: float(v) for k, v in speeds.items() if isinstance(v, int | float) and v > 0}


def record_speed(kind: str, citizen_weeks: int, seconds: float, runs: int = 1) -> None:
    """Keep the speed of ``runs`` runs of ``kind`` (``citizen_weeks`` and ``seconds`` in all) for later estimates.

    Only large work without compilation in this process is kept, and of an ensemble only runs that are large
    each (:data:`SPEED_MEASURED_FROM`, :data:`RUN_MEASURED_FROM`).
    """
    folder = user_cache_dir()
    too_small = citizen_weeks < SPEED_MEASURED_FROM or (runs > 1 and citizen_weeks / runs < RUN_MEASURED_FROM)
    if folder is None or _compiled or too_small or seconds <= 0:
        return
    speeds = {**known_speeds(), kind: citizen_weeks / seconds}
    try:
        folder.mkdir(parents=True, exist_ok=True)
        partial = folder / f".{SPEED_FILE}.{os.getpid()}"
        partial.write_text(json.dumps(speeds), encoding="utf-8")
        os.replace(partial, folder / SPEED_FILE)
    except OSError:
        pass  # a read-only cache only means no time in later estimates


def record_runs_speed(kind: str, runs: pd.DataFrame) -> None:
    """Keep the speed of an ensemble's successful runs (their ``citizens``, ``weeks`` and ``wall_seconds``)."""
    ok = runs[runs["status"] == "ok"] if "status" in runs else runs
    if ok.empty or not {"wall_seconds", "citizens", "weeks"} <= set(ok.columns):
        return
    record_speed(kind, int((ok["citizens"] * ok["weeks"]).sum()), float(ok["wall_seconds"].sum()), len(ok))


class Stopwatch:
    """Time a block: ``with Stopwatch() as watch: ...; watch.seconds``."""

    def __enter__(self) -> Stopwatch:
        self.start = time.perf_counter()
        self.seconds = 0.0
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.seconds = time.perf_counter() - self.start


def _bytes(count: int) -> str:
    for unit, size in (("TiB", 2**40), ("GiB", GIB), ("MiB", 2**20)):
        if count >= size:
            return f"{count / size:.1f} {unit}"
    return f"{count:,} bytes"
