"""How long a researcher waits for a recovery study and a design study at BIP scale (issue 20).

Two figures on a local Dask cluster (2 workers by default), cluster start included, as ``bipsim recover`` and
``bipsim design`` see them:

- ``bipsim recover baseline --replications 100 --workers 2`` at BIP scale (4,000 citizens, 208 weeks), against the
  bound of 60 s, with the median seconds per replication of each phase (model, instruments, analyses, twins);
- a design study of 5 designs (``survey.waves`` 4, 6, 8, 12 and 16: one world, observed five ways) x 100
  replications at BIP scale, against the bound of 10 minutes, with the peak memory of a worker.

Run: ``python benchmarks/recovery.py [--replications 100] [--workers 2] [--skip-design]``.
"""

from __future__ import annotations

import argparse
import time

from bipsim.recovery.design import design_study
from bipsim.recovery.study import recover
from bipsim.scenario import load_scenario

RECOVER_SECONDS = 60.0
DESIGN_SECONDS = 600.0
WAVES = [4, 6, 8, 12, 16]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replications", type=int, default=100, help="replications (default 100)")
    parser.add_argument("--workers", type=int, default=2, help="local Dask workers (default 2)")
    parser.add_argument("--skip-design", action="store_true", help="time the recovery study only")
    args = parser.parse_args()
    scenario = load_scenario("baseline")
    start = time.perf_counter()
    study = recover(scenario, args.replications, seed=0, workers=args.workers)
    seconds = time.perf_counter() - start
    runs = study.runs
    phases = ", ".join(
        f"{c.removeprefix('seconds_')} {runs[c].median():.2f} s" for c in runs.columns if c.startswith("seconds_")
    )
    verdict = "ok" if seconds <= RECOVER_SECONDS else "TOO SLOW"
    print(
        f"recover    {args.replications} replications, BIP scale, {args.workers} workers: {seconds:6.1f} s "
        f"(required <= {RECOVER_SECONDS:g}: {verdict}); per replication (median): {phases}"
    )
    if args.skip_design:
        return 0
    start = time.perf_counter()
    designs = design_study(scenario, [("survey.waves", WAVES)], args.replications, seed=0, workers=args.workers)
    seconds = time.perf_counter() - start
    verdict = "ok" if seconds <= DESIGN_SECONDS else "TOO SLOW"
    peak = designs.runs["peak_memory_mb"].max()
    print(
        f"design     {len(WAVES)} designs x {args.replications} replications, BIP scale, {args.workers} workers: "
        f"{seconds:6.1f} s (required <= {DESIGN_SECONDS:g}: {verdict}); peak memory of a worker {peak:.0f} MiB; "
        f"{designs.failed} failed"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
