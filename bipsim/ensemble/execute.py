"""Run an ensemble's runs: in this process, on a local Dask cluster, or on an existing Dask scheduler.

Each run is a plain :class:`~bipsim.ensemble.plan.RunSpec` handed to a task: :func:`run_one`, or another
top-level function a worker process can import (recovery runs analyses and twins too). Its seed travels with
it, so the rows do not depend on the executor; they are returned in plan order whatever order they finish
in. Every run uses one BLAS thread wherever it runs: Dask workers do anyway, and a sum split over a different
number of threads rounds differently, enough to tip a near-singular fit one way or the other. A run that raises
is recorded (status ``error`` and the error text) and the ensemble goes on.
"""

from __future__ import annotations

import logging
import multiprocessing
import time
import traceback
import uuid
import warnings
from collections.abc import Callable, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any

from threadpoolctl import threadpool_limits

from bipsim.ensemble.plan import RunSpec
from bipsim.model import BipModel

if TYPE_CHECKING:
    from distributed import LocalCluster

Progress = Callable[[int, int], None]
Task = Callable[[RunSpec], dict[str, Any]]
WARNINGS = "_warnings"
"""The key under which a run's row carries its warnings back to the calling process (removed there)."""

# Local workers run the model as fast as this process does. Dask's nanny sets MALLOC_TRIM_THRESHOLD_, which
# fixes glibc's mmap threshold, so each of the model's many temporary arrays is mapped and faulted in afresh
# (about 20% slower per run); nobody reads the statistical profile without a dashboard.
# Ctrl+C in a terminal reaches every process of the command, local workers too; each would print a traceback
# of its own. They ignore it (:func:`dask_setup`, run at their start) and the command closes the cluster.
LOCAL_WORKER_CONFIG = {
    "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
    "distributed.worker.profile.enabled": False,
    "distributed.worker.preload": [__name__],
}


def dask_setup(worker: object) -> None:
    """Dask's preload hook, run in each local worker as it starts: leave Ctrl+C to the command that started it.

    The command stops on Ctrl+C and closes its cluster, which ends the workers without a word from them.
    """
    import signal

    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    except ValueError:  # not the worker's main thread: it keeps Python's own handling
        pass


def run_one(spec: RunSpec) -> dict[str, Any]:
    """Run one (setting, replication) pair; return its tidy row: ids, setting, seed, time, status, outcomes."""
    row = identity(spec)
    start = time.perf_counter()
    try:
        summary = BipModel(spec.scenario(), seed=spec.seed()).run().summary()
    except Exception as exc:  # noqa: BLE001 - a failed run is data, not a crash of the ensemble
        row.update(wall_seconds=time.perf_counter() - start, status="error", error=describe_error(exc))
        return row
    row.update(wall_seconds=time.perf_counter() - start, status="ok", error="", **summary)
    return row


def run_single_threaded(task: Task, spec: RunSpec) -> dict[str, Any]:
    """Run ``task`` on ``spec`` with one BLAS thread, so its numbers are the same in any process.

    Warnings the run raises are kept with its row (:data:`WARNINGS`) rather than printed where it ran: a Dask
    worker would print them on the terminal past the command's own filters. :func:`execute` raises them again in
    the calling process, where its warning filters decide.
    """
    with threadpool_limits(limits=1), warnings.catch_warnings(record=True) as caught:
        row = task(spec)
    if caught:
        row[WARNINGS] = [(str(w.message), w.category, w.filename, w.lineno) for w in caught]
    return row


def _reissue(row: dict[str, Any]) -> dict[str, Any]:
    """``row`` without the warnings its run kept, which are raised again here."""
    for message, category, filename, lineno in row.pop(WARNINGS, ()):
        warnings.warn_explicit(message, category, filename, lineno)
    return row


def describe_error(exc: BaseException) -> str:
    """One line for a failed run's ``error`` column: the exception and where it was raised."""
    last = traceback.extract_tb(exc.__traceback__)[-1:]
    where = f" (at {last[0].filename.rpartition('/')[2]}:{last[0].lineno})" if last else ""
    return f"{type(exc).__name__}: {exc}{where}"


def identity(spec: RunSpec) -> dict[str, Any]:
    """The columns that say which run a row belongs to: setting, replication, scenario and seed."""
    return {
        "setting_id": spec.setting_id,
        "replication": spec.replication,
        "scenario": spec.scenario_name,
        **spec.setting,
        "seed_entropy": str(spec.entropy),
        "seed_spawn_key": ",".join(map(str, spec.spawn_key)),
    }


def lost_run(spec: RunSpec, exc: BaseException) -> dict[str, Any]:
    """The row of a run whose worker was lost (the run itself never reported back)."""
    return {**identity(spec), "wall_seconds": float("nan"), "status": "error", "error": f"{type(exc).__name__}: {exc}"}


def execute(
    runs: Sequence[RunSpec],
    workers: int = 1,
    scheduler: str | None = None,
    progress: Progress | None = None,
    task: Task = run_one,
) -> list[dict[str, Any]]:
    """Run ``task`` on every spec and return their rows in the order of ``runs``.

    ``workers == 1`` and no ``scheduler``: in this process. ``workers > 1``: a local Dask cluster of that many
    single-threaded worker processes (no more than there are runs), closed afterwards. ``scheduler``: the
    address of a running Dask scheduler (``workers`` is then ignored); its workers must be able to import bipsim.
    ``task`` must not raise for a failed run: it returns the run's row with ``status`` and ``error`` instead.
    ``progress(done, total)`` is called with ``done == 0`` when the runs start (after a local cluster is up) and
    after each run.
    """
    if workers < 1:
        raise ValueError(f"workers must be at least 1, not {workers}")
    if not runs:
        return []
    if scheduler is None and workers == 1:
        rows = []
        if progress is not None:
            progress(0, len(runs))
        for done, spec in enumerate(runs, start=1):
            rows.append(_reissue(run_single_threaded(task, spec)))
            if progress is not None:
                progress(done, len(runs))
        return rows
    return _execute_dask(runs, workers, scheduler, progress, task)


def local_cluster(workers: int, task: Task = run_one) -> LocalCluster:
    """A local Dask cluster of ``workers`` single-threaded worker processes, ready to run ``task``.

    Where the platform has a fork server (Linux, macOS), the workers are forked from one that has imported the
    model and ``task``'s module once: a spawned worker imports numpy, pandas, numba and bipsim afresh, and two
    of them took 3.5-5 s to start in our measurements, against 1.6-2.3 s forked.
    """
    import dask
    from distributed import LocalCluster

    config = dict(LOCAL_WORKER_CONFIG)
    if "forkserver" in multiprocessing.get_all_start_methods():
        # Only a hint: a fork server already running (this process's earlier clusters) keeps its imports.
        multiprocessing.set_forkserver_preload(["bipsim.model", task.__module__])
        config["distributed.worker.multiprocessing-method"] = "forkserver"
    with dask.config.set(config):
        return LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            # Even without a dashboard the scheduler serves its health pages, by default on port 8787; a free port
            # on this machine only keeps "Port 8787 is already in use" (another cluster) off the user's screen.
            scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
            silence_logs=logging.ERROR,
        )


def _execute_dask(
    runs: Sequence[RunSpec], workers: int, scheduler: str | None, progress: Progress | None, task: Task
) -> list[dict[str, Any]]:
    from distributed import Client, as_completed

    cluster = None
    try:
        if scheduler is None:
            cluster = local_cluster(min(workers, len(runs)), task)
            client = Client(cluster)
        else:
            client = Client(scheduler, timeout="10s")
        with client:
            # Unique keys: a shared scheduler must never mistake these runs for another ensemble's.
            token = uuid.uuid4().hex[:12]
            keys = [f"bipsim-run-{token}-{i}" for i in range(len(runs))]
            futures = client.map(partial(run_single_threaded, task), list(runs), key=keys)
            if progress is not None:
                progress(0, len(runs))  # the workers are up: the runs' own time starts now
            position = {future.key: i for i, future in enumerate(futures)}
            rows: list[dict[str, Any] | None] = [None] * len(runs)
            for done, future in enumerate(as_completed(futures), start=1):
                i = position[future.key]
                try:
                    rows[i] = _reissue(future.result())
                except Exception as exc:  # noqa: BLE001 - e.g. the worker died; the task itself never raises
                    rows[i] = lost_run(runs[i], exc)
                if progress is not None:
                    progress(done, len(runs))
                future.release()
    finally:
        if cluster is not None:
            cluster.close()
    return [row for row in rows if row is not None]
