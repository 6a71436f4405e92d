"""Ensemble speed-up: 100 replications at BIP scale, serially and on a local Dask cluster of 2 workers.

The required figure (issue 6): Dask with 2 workers at least 1.7x faster than serial on a 2-core machine.
A shared machine's speed drifts by tens of percent over minutes, so the replications are timed in rounds:
each round runs the same slice of the plan serially in this process and then on the running cluster, and
the figures compare the sums. Two Dask figures are printed: the running cluster (what a long sweep and
``--scheduler`` see), and the same with the cluster's start-up (until every worker has run a task) and
shut-down added (what ``bipsim sweep --workers 2`` sees). Both must give the serial table; the benchmark
checks it. The median run times tell how much two runs at once slow each other on this machine.

Run: ``python benchmarks/ensemble.py [--replications 100] [--rounds 5] [--workers 2]``.
"""

from __future__ import annotations

import argparse
import os
import time

import pandas as pd

from bipsim.ensemble.execute import execute, local_cluster
from bipsim.ensemble.plan import Plan
from bipsim.scenario import load_scenario

CITIZENS, WEEKS = 4000, 208
REQUIRED_SPEEDUP = 1.7


def timed_rows(runs: list, **where: object) -> tuple[float, pd.DataFrame]:
    start = time.perf_counter()
    rows = pd.DataFrame(execute(runs, **where))
    return time.perf_counter() - start, rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replications", type=int, default=100, help="runs of the baseline (default 100)")
    parser.add_argument("--rounds", type=int, default=5, help="rounds the runs are timed in (default 5)")
    parser.add_argument("--workers", type=int, default=2, help="Dask workers (default 2)")
    parser.add_argument("--citizens", type=int, default=CITIZENS, help=f"default {CITIZENS}")
    parser.add_argument("--weeks", type=int, default=WEEKS, help=f"default {WEEKS}")
    args = parser.parse_args()
    scenario = load_scenario("baseline").replace(population={"citizens": args.citizens, "weeks": args.weeks})
    runs = Plan.sweep(scenario, [{}], args.replications, seed=0).runs()
    print(
        f"ensemble   {args.replications} replications of {args.citizens:,} citizens x {args.weeks} weeks in"
        f" {args.rounds} rounds; {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} at start"
    )
    execute(runs[:1], workers=1)  # this process loads the compiled loops once, as a worker does at start-up
    start = time.perf_counter()
    cluster = local_cluster(args.workers)  # as bipsim sweep --workers starts it
    warm = Plan.sweep(scenario.replace(population={"citizens": 50, "weeks": 2}), [{}], 2 * args.workers)
    execute(warm.runs(), scheduler=cluster.scheduler_address)
    start_up = time.perf_counter() - start
    serial = running = 0.0
    serial_rows, dask_rows = [], []
    size = -(-len(runs) // args.rounds)
    for first in range(0, len(runs), size):
        chunk = runs[first : first + size]
        seconds, rows = timed_rows(chunk, workers=1)
        serial, serial_rows = serial + seconds, [*serial_rows, rows]
        seconds, rows = timed_rows(chunk, scheduler=cluster.scheduler_address)
        running, dask_rows = running + seconds, [*dask_rows, rows]
    start = time.perf_counter()
    cluster.close()
    shut_down = time.perf_counter() - start
    serial_table, dask_table = pd.concat(serial_rows), pd.concat(dask_rows)
    with_start = running + start_up + shut_down
    verdict = "ok" if serial / running >= REQUIRED_SPEEDUP else "TOO SLOW"
    print(f"serial     in this process:                           {serial:7.2f} s")
    print(
        f"dask       {args.workers} workers, cluster running:                {running:7.2f} s  speed-up"
        f" {serial / running:.2f}x (required >= {REQUIRED_SPEEDUP}: {verdict})"
    )
    print(
        f"dask       {args.workers} workers, with start-up {start_up:.1f} s and shut-down {shut_down:.1f} s:"
        f" {with_start:7.2f} s  speed-up {serial / with_start:.2f}x"
    )
    print(
        f"runs       median {serial_table['wall_seconds'].median():.3f} s serially,"
        f" {dask_table['wall_seconds'].median():.3f} s on the cluster (two at once)"
    )
    identical = serial_table.drop(columns="wall_seconds").equals(dask_table.drop(columns="wall_seconds"))
    print(f"identical  serial and Dask tables: {'yes' if identical else 'NO'}")
    print(f"load       average {os.getloadavg()[0]:.2f} at the end (other work on the machine slows every figure)")
    return 0 if identical else 1


if __name__ == "__main__":
    raise SystemExit(main())
