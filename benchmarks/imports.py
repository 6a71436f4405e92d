"""Import times: how long ``import bipsim``, ``import bipsim.analysis`` and ``import bipsim.cli`` take.

A researcher who only analyses observed data imports ``bipsim.analysis``; it must not load the simulator
(mesa, numba). Each import is timed inside a fresh Python process (the interpreter's own start-up is not counted), in
interleaved rounds so that a drifting machine slows them alike; the medians are printed with whether mesa
and numba were loaded.

Run: ``python benchmarks/imports.py [--rounds 7]``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys

MODULES = ("bipsim", "bipsim.analysis", "bipsim.cli")
PROBE = (
    "import time, sys; t = time.perf_counter(); import {module}; t = time.perf_counter() - t; "
    "import json; print(json.dumps([t, 'mesa' in sys.modules, 'numba' in sys.modules]))"
)


def timed(module: str) -> tuple[float, bool, bool]:
    """Seconds to import ``module`` in a fresh process, and whether mesa and numba were loaded."""
    probe = [sys.executable, "-c", PROBE.format(module=module)]
    out = subprocess.run(probe, capture_output=True, text=True, check=True)
    seconds, mesa, numba = json.loads(out.stdout)
    return seconds, mesa, numba


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7, help="fresh processes per module (default 7)")
    args = parser.parse_args()
    times: dict[str, list[float]] = {m: [] for m in MODULES}
    loaded: dict[str, tuple[bool, bool]] = {}
    for _ in range(args.rounds):
        for module in MODULES:
            seconds, mesa, numba = timed(module)
            times[module].append(seconds)
            loaded[module] = (mesa, numba)
    print(f"import times, median of {args.rounds} fresh processes")
    for module in MODULES:
        mesa, numba = loaded[module]
        spread = f"{min(times[module]):.2f}-{max(times[module]):.2f}"
        print(
            f"  import {module:<16} {statistics.median(times[module]):5.2f} s  (range {spread} s)  "
            f"mesa loaded: {mesa}, numba loaded: {numba}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
