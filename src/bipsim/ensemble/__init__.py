"""Ensembles, sweeps and sensitivity: many runs of a scenario, mapped over an executor with identical results.

The data flow is ``plan`` (settings and seeds) -> ``execute`` (in-process or dask.distributed) -> one tidy
row of outcomes per run -> ``summarise`` (mean and interval per setting; paired comparison of two scenarios)
or ``sensitivity`` (Sobol indices or Morris screening with SALib). ``results`` writes the tables atomically.
"""

from bipsim.ensemble.execute import execute, run_one
from bipsim.ensemble.plan import Plan, RunSpec, grid, latin_hypercube, parse_range, parse_vary
from bipsim.ensemble.summarise import compare, summarise

__all__ = [
    "Plan",
    "RunSpec",
    "compare",
    "execute",
    "grid",
    "latin_hypercube",
    "parse_range",
    "parse_vary",
    "run_one",
    "summarise",
]
