"""Ensembles, sweeps and sensitivity: many runs of a scenario, mapped over an executor with identical results.

The data flow is ``plan`` (settings and seeds) -> ``execute`` (in-process or dask.distributed) -> one tidy
row of outcomes per run -> ``summarise`` (mean and interval per setting; paired comparison of two scenarios)
or ``sensitivity`` (Sobol indices or Morris screening with SALib). ``results`` writes the tables atomically.
Run a plan with ``bipsim.ensemble.execute.execute(plan.runs(), workers=2)``. ``execute`` and ``summarise``
are each a module and its main function, so only the plan's names are re-exported here.
"""

from bipsim.ensemble.execute import run_one
from bipsim.ensemble.plan import Plan, RunSpec, grid, latin_hypercube, parse_range, parse_vary

__all__ = [
    "Plan",
    "RunSpec",
    "grid",
    "latin_hypercube",
    "parse_range",
    "parse_vary",
    "run_one",
]
