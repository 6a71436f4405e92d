"""Ensemble speed-up: 100 replications at BIP scale, serially and on a local Dask cluster of 2 workers.

The required figure (issue 6): Dask with 2 workers at least 1.7x faster than serial on a 2-core machine.
Two Dask figures are printed: the whole ``bipsim sweep --workers 2`` path (cluster start-up and shut-down
included), and a cluster that is already running (``--scheduler``), which is what a long sweep sees. Both
runs must give identical tables; the benchmark checks it. Each phase also prints the median run time and how
many runs were busy on average: other work on a 2-core machine slows the Dask figures far more than the
serial one, so run it when the machine is otherwise quiet.

Run: ``python benchmarks/ensemble.py [--replications 100] [--workers 2]``.
"""

from __future__ import annotations

import argparse
import logging
import os
import time

import pandas as pd

from bipsim.ensemble.execute import LOCAL_WORKER_CONFIG, execute
from bipsim.ensemble.plan import Plan
from bipsim.scenario import load_scenario

CITIZENS, WEEKS = 4000, 208
REQUIRED_SPEEDUP = 1.7


def timed_rows(plan: Plan, workers: int, scheduler: str | None = None) -> tuple[float, pd.DataFrame]:
    start = time.perf_counter()
    rows = pd.DataFrame(execute(plan.runs(), workers=workers, scheduler=scheduler))
    elapsed = time.perf_counter() - start
    runs = rows["wall_seconds"]
    # Busy workers: run time summed over runs per second of elapsed time (2.0 = both workers always running).
    print(
        f"           median run {runs.median():.3f} s, {runs.sum() / elapsed:.2f} runs in parallel on average, "
        f"load average {os.getloadavg()[0]:.2f}"
    )
    return elapsed, rows.drop(columns="wall_seconds")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replications", type=int, default=100, help="runs of the baseline (default 100)")
    parser.add_argument("--workers", type=int, default=2, help="Dask workers (default 2)")
    parser.add_argument("--citizens", type=int, default=CITIZENS, help=f"default {CITIZENS}")
    parser.add_argument("--weeks", type=int, default=WEEKS, help=f"default {WEEKS}")
    args = parser.parse_args()
    import dask
    from distributed import LocalCluster

    scenario = load_scenario("baseline").replace(population={"citizens": args.citizens, "weeks": args.weeks})
    plan = Plan.sweep(scenario, [{}], args.replications, seed=0)
    print(
        f"ensemble   {args.replications} replications of {args.citizens:,} citizens x {args.weeks} weeks; "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} at start"
    )
    serial, serial_rows = timed_rows(plan, 1)
    print(f"serial     in this process:                            {serial:7.2f} s")
    whole, whole_rows = timed_rows(plan, args.workers)
    print(
        f"dask       {args.workers} workers, cluster start-up included:        {whole:7.2f} s  "
        f"speed-up {serial / whole:.2f}x"
    )
    with (
        dask.config.set(LOCAL_WORKER_CONFIG),
        LocalCluster(
            n_workers=args.workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.ERROR,
        ) as cluster,
    ):
        warm = Plan.sweep(scenario.replace(population={"citizens": 50, "weeks": 2}), [{}], 2 * args.workers)
        execute(warm.runs(), scheduler=cluster.scheduler_address)
        running, running_rows = timed_rows(plan, args.workers, cluster.scheduler_address)
    speedup = serial / running
    verdict = "ok" if speedup >= REQUIRED_SPEEDUP else "TOO SLOW"
    print(
        f"dask       {args.workers} workers, cluster already running:       {running:7.2f} s  "
        f"speed-up {speedup:.2f}x (required >= {REQUIRED_SPEEDUP}: {verdict})"
    )
    identical = serial_rows.equals(whole_rows) and serial_rows.equals(running_rows)
    print(f"identical  serial and Dask tables: {'yes' if identical else 'NO'}")
    print(f"load       average {os.getloadavg()[0]:.2f} at the end (other work on the machine slows every figure)")
    return 0 if identical else 1


if __name__ == "__main__":
    raise SystemExit(main())
