"""What a new user waits for: the listing commands, the first ``bipsim run`` (compiling) and the second (cached).

Each command runs as the installed ``bipsim`` in a fresh process and is timed by the clock on the wall and by the
CPU time the process used (which a busy shared machine inflates less than the wall). The listing commands
(``--help``, ``params``, ``scenarios``) never load the compiled loops. ``bipsim run`` (the README's main job:
the default scenario, 4,000 citizens for 208 weeks) runs twice per round with a fresh, empty numba cache folder
(``NUMBA_CACHE_DIR``, so no cache that others use is touched): the first run compiles the loops it needs and
caches them, the second loads them. Their difference is what the first run on a machine pays for compiling.

Run: ``python benchmarks/first_run.py [--rounds N]``; print the machine's load (``uptime``) alongside.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

LISTING = (["--help"], ["params"], ["scenarios"])
MAIN_JOB = ["run"]


def timed(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds (user + system) of ``bipsim argv`` in a fresh process; it must exit 0."""
    bipsim = shutil.which("bipsim", path=str(Path(sys.executable).parent)) or "bipsim"
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([bipsim, *argv], env=env, check=True, capture_output=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def median_pair(pairs: list[tuple[float, float]]) -> str:
    """``wall 1.23 s, CPU 1.10 s``: the medians of (wall, CPU) pairs."""
    wall, cpu = (statistics.median(values) for values in zip(*pairs, strict=True))
    return f"wall {wall:6.2f} s, CPU {cpu:6.2f} s"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="rounds of every measurement (default 3)")
    args = parser.parse_args()
    listing: dict[str, list[tuple[float, float]]] = {" ".join(a): [] for a in LISTING}
    cold, warm = [], []
    for _ in range(args.rounds):
        for argv in LISTING:
            listing[" ".join(argv)].append(timed(argv, dict(os.environ)))
        with tempfile.TemporaryDirectory(prefix="bipsim-numba-") as cache:
            env = {**os.environ, "NUMBA_CACHE_DIR": cache}
            cold.append(timed(MAIN_JOB, env))
            warm.append(timed(MAIN_JOB, env))
    print(f"median of {args.rounds} round(s), each command in a fresh process")
    for name, pairs in listing.items():
        print(f"  bipsim {name:<24} {median_pair(pairs)}")
    print(f"  bipsim run, empty cache     {median_pair(cold)}")
    print(f"  bipsim run, cached          {median_pair(warm)}")
    compile_pairs = [(c[0] - w[0], c[1] - w[1]) for c, w in zip(cold, warm, strict=True)]
    print(f"  compiling (the difference)  {median_pair(compile_pairs)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
