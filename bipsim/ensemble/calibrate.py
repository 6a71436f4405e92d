"""Calibration runs: the published BIP figures computed from replications of a simulated study.

The figures themselves are computed from observed data only (:mod:`bipsim.analysis.calibration`); this
module runs the replications that feed them, on the one ensemble runner (:func:`execute`).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from bipsim.analysis.calibration import calibrate
from bipsim.ensemble.execute import describe_error, execute, identity
from bipsim.ensemble.plan import Plan, RunSpec, declared, latin_hypercube
from bipsim.instruments import observe
from bipsim.model import BipModel
from bipsim.scenario import Scenario


def calibration_one(spec: RunSpec) -> dict[str, Any]:
    """Run one replication and compute its calibration table (in the row's ``calibration`` entry)."""
    row = identity(spec)
    start = time.perf_counter()
    try:
        table = calibrate(observe(BipModel(spec.scenario(), seed=spec.seed()).run()))
    except Exception as exc:  # noqa: BLE001 - a failed run is data, not a crash of the ensemble
        row.update(wall_seconds=time.perf_counter() - start, status="error", error=describe_error(exc))
        return row
    row.update(wall_seconds=time.perf_counter() - start, status="ok", error="", calibration=table)
    return row


def calibration_replications(
    scenario: Scenario, seed: int, replications: int, progress: Callable[[int, int], None] | None = None
) -> list[pd.DataFrame]:
    """The calibration table of each of ``replications`` runs of ``scenario``, as ``bipsim calibrate`` computes them.

    Replication ``r`` runs with the ``r``-th child of ``numpy.random.SeedSequence(seed)``, so the first
    replications of a longer series equal those of a shorter one. A failed replication raises.
    """
    rows = execute(Plan.sweep(scenario, [{}], replications, seed).runs(), progress=progress, task=calibration_one)
    failed = [row for row in rows if row["status"] != "ok"]
    if failed:
        raise RuntimeError(f"calibration replication {failed[0]['replication']} failed: {failed[0]['error']}")
    return [row["calibration"] for row in rows]


EFFECTS: dict[str, tuple[str, str, float, float]] = {
    "meetings.belief_effect": ("association_belief", "caseworker_belief", 1.0, 2.0),
    "interventions.private_placement_multiplier": ("association_private_placement", "private_placement", 1.0, 3.5),
    "interventions.public_placement_multiplier": ("association_public_placement", "public_placement", 1.0, 3.0),
    "interventions.other_activation_multiplier": ("association_other_activation", "other_activation", 1.0, 2.0),
}
"""The causal effects calibrated to BIP's published associations: parameter -> (its target, the published
exposure, the lower and upper end of the design). The published figures are associations in observed data
(:data:`bipsim.analysis.calibration.TARGETS`); the planted causal multipliers are the parameters that make the
simulated observed data show them."""


MC_DRAWS = 400
"""Draws of the emulators' coefficients behind the Monte Carlo interval of a calibrated value."""


@dataclass
class EffectFit:
    """The calibration of the causal effects (:data:`EFFECTS`) to the published associations.

    ``runs``: one row per design run (its parameter values and the associations it produced, log scale);
    ``emulator``: per target, the intercept and slopes of a linear model of the log association on the log
    parameters, with its R²; ``solution``: per parameter, the calibrated value (where the emulated
    associations equal the published ones, within the parameters' bounds), a Monte Carlo interval (emulator
    uncertainty) and the range of values that reproduce the published figure's own 95% interval.
    """

    runs: pd.DataFrame
    emulator: pd.DataFrame
    solution: pd.DataFrame
    settings: dict[str, Any]


def fit_effects(
    scenario: Scenario,
    seed: int = 0,
    points: int = 24,
    replications: int = 3,
    workers: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> EffectFit:
    """Calibrate the causal effects of :data:`EFFECTS` so that the study's adjusted associations match BIP's.

    A Latin hypercube of ``points`` settings over the effects' design ranges, each run ``replications``
    times (common random numbers), gives every run's associations; a linear emulator per target (log
    association on the log multipliers, ordinary least squares) is inverted by bounded least squares. Runs go
    through :func:`execute`, so the result is the same whatever the number of workers.
    """
    import statsmodels.api as sm
    from scipy.optimize import lsq_linear

    from bipsim.analysis.calibration import ASSOCIATION_SE, TARGETS

    published = {t.key: t.published for t in TARGETS}
    names = list(EFFECTS)
    ranges = [(name, EFFECTS[name][2], EFFECTS[name][3]) for name in names]
    root = np.random.SeedSequence(seed)
    settings = latin_hypercube(ranges, points, root.spawn(1)[0])
    plan = Plan.sweep(scenario, settings, replications, seed)
    rows = execute(plan.runs(), workers=workers, progress=progress, task=calibration_one)
    failed = [row for row in rows if row["status"] != "ok"]
    if failed:
        raise RuntimeError(
            f"calibration run {failed[0]['setting_id']}/{failed[0]['replication']} failed: {failed[0]['error']}"
        )
    records = []
    for row in rows:
        values = row["calibration"].set_index("key")["simulated"]
        record = {"setting_id": row["setting_id"], "replication": row["replication"]}
        record |= {name: settings[row["setting_id"]][name] for name in names}
        record |= {EFFECTS[name][0]: math.log(values[EFFECTS[name][0]]) for name in names}
        records.append(record)
    runs = pd.DataFrame(records)
    x = sm.add_constant(np.log(runs[names].to_numpy(dtype=float)))
    emulator_rows, slopes, intercepts, covariances = [], [], [], []
    for name in names:
        target = EFFECTS[name][0]
        y = runs[target].to_numpy(dtype=float)
        ok = np.isfinite(y)
        fit = sm.OLS(y[ok], x[ok]).fit()
        intercepts.append(fit.params[0])
        slopes.append(fit.params[1:])
        covariances.append(fit.cov_params())
        emulator_rows.append(
            {
                "target": target,
                "intercept": fit.params[0],
                **dict(zip(names, fit.params[1:], strict=True)),
                "r_squared": fit.rsquared,
                "residual_sd": math.sqrt(fit.scale),
                "runs": int(ok.sum()),
            }
        )
    a, b = np.array(intercepts), np.vstack(slopes)
    goal = np.array([math.log(published[EFFECTS[name][0]]) for name in names])
    lower = np.log([EFFECTS[name][2] for name in names])
    upper = np.log([declared_upper(name) for name in names])
    current = np.log([float(getattr(getattr(scenario, n.split(".")[0]), n.split(".")[1])) for n in names])
    # the association a parameter's target shows must move, over the design range, by more than the published
    # figure's own 95% interval; otherwise the figure cannot pin the parameter down and it keeps its value
    reach = np.abs(np.diag(b)) * (np.log([EFFECTS[n][3] for n in names]) - lower)
    identified = reach > 2 * 1.96 * ASSOCIATION_SE
    free = np.flatnonzero(identified)

    def solve(a: np.ndarray, b: np.ndarray, aim: np.ndarray) -> np.ndarray:
        """Log parameters whose emulated associations come closest to ``aim`` (the others fixed)."""
        x = current.copy()
        if free.size:
            fixed = a + b[:, ~identified] @ current[~identified]
            x[free] = lsq_linear(b[np.ix_(free, free)], (aim - fixed)[free], bounds=(lower[free], upper[free])).x
        return x

    best = solve(a, b, goal)
    draws = np.random.Generator(np.random.PCG64(root.spawn(2)[1]))
    sampled = []
    for _ in range(MC_DRAWS):
        coef = np.vstack(
            [draws.multivariate_normal(np.r_[ai, bi], cov) for ai, bi, cov in zip(a, b, covariances, strict=True)]
        )
        sampled.append(solve(coef[:, 0], coef[:, 1:], goal))
    sampled = np.exp(np.array(sampled))
    published_range = np.exp(
        np.vstack([solve(a, b, goal - 1.96 * ASSOCIATION_SE), solve(a, b, goal + 1.96 * ASSOCIATION_SE)])
    )
    solution = pd.DataFrame(
        {
            "parameter": names,
            "target": [EFFECTS[n][0] for n in names],
            "published": [published[EFFECTS[n][0]] for n in names],
            "identified": identified,
            "association_reach": reach,
            "value": np.exp(best),
            "mc_low": np.where(identified, np.percentile(sampled, 2.5, axis=0), np.nan),
            "mc_high": np.where(identified, np.percentile(sampled, 97.5, axis=0), np.nan),
            "published_interval_low": np.where(identified, published_range.min(axis=0), np.nan),
            "published_interval_high": np.where(identified, published_range.max(axis=0), np.nan),
            "emulated_association": np.exp(a + b @ best),
            "at_bound": identified & (np.isclose(best, lower) | np.isclose(best, upper)),
        }
    )
    return EffectFit(
        runs=runs,
        emulator=pd.DataFrame(emulator_rows),
        solution=solution,
        settings={
            "scenario": scenario.name,
            "seed": seed,
            "points": points,
            "replications": replications,
            "citizens": scenario.population.citizens,
            "weeks": scenario.population.weeks,
        },
    )


def declared_upper(name: str) -> float:
    """The upper bound declared for scenario parameter ``name`` (``group.key``)."""
    bounds = declared(name).bounds
    return float(bounds[1])
