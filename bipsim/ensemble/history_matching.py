"""Calibration by history matching: rule out the behaviour parameters that cannot reproduce the published figures.

History matching (Craig et al. 1997; Vernon, Goldstein & Bower 2010; Andrianakis et al. 2015; the R package
``hmer``) does not look for one best parameter vector. It asks which vectors are *not implausible*: for a target
``t`` with published value ``z_t`` the implausibility of a vector ``x`` is

    I_t(x) = |z_t - E[f_t(x)]| / sqrt(V_obs,t + V_disc,t + V_em,t(x))

on the target's model scale (logit for shares, log for ratios and counts): ``V_obs`` is the uncertainty of the
published figure itself (its sample size and rounding), ``V_disc`` a declared model discrepancy and ``V_em``
the emulator's uncertainty about the model's expected value at ``x``. Both come from
:mod:`bipsim.analysis.calibration`. A vector is ruled out when the second-largest ``I_t`` exceeds
:data:`CUTOFF` (one target may be missed, so that a single poor emulator cannot rule out the truth).

The search runs in waves. Wave 1 simulates a Latin hypercube over the ranges of :data:`CALIBRATED`; each later
wave simulates a space-filling set of vectors that every earlier wave left in the non-implausible region, so the
emulators learn where it matters and the region shrinks. An emulator per target is a linear regression on the
parameters plus a Gaussian process on its residuals (scikit-learn), with the simulator's run-to-run (Monte Carlo)
variance, estimated from repeated runs at the scenario's own values, as its fixed noise. Finally the *plausible
ensemble* is every simulated vector whose own simulated figures are not implausible (run-to-run variance in
place of the emulator's): each member is verified by simulation.

Every run goes through :func:`~bipsim.ensemble.execute.execute` (in this process, local processes or a Dask
scheduler) and every random draw descends from one ``SeedSequence(seed)``, so a fit is the same whatever the
number of workers. :func:`self_test` simulates the figures at known vectors, fits them, and says whether each
known vector stays in the non-implausible region and how far each parameter is narrowed.
"""

from __future__ import annotations

import json
import math
import os
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from bipsim.analysis.calibration import TARGETS
from bipsim.analysis.published import (
    DISCREPANCY_SD,
    IMPLAUSIBILITY_CUTOFF,
    PUBLISHED,
    from_model_scale,
    to_model_scale,
)
from bipsim.ensemble.calibrate import calibration_one
from bipsim.ensemble.execute import execute
from bipsim.ensemble.plan import Plan, Setting, declared
from bipsim.scenario import Scenario

CALIBRATED: dict[str, tuple[float, float, str]] = {
    "meetings.observation_sd": (0.6, 2.0, "how noisy caseworkers' judgements are: the belief shares and their jobs"),
    "meetings.belief_threshold": (2.3, 3.3, "where caseworkers start to believe: the belief shares"),
    "meetings.caseworker_quality_sd": (0.4, 1.2, "differences between caseworkers: best and least fifth"),
    "meetings.continuity_job_effect": (1.0, 2.5, "the value of continuity: job entry after a caseworker change"),
    "labour_market.contact_rate": (0.006, 0.02, "employer contacts: how many find a job at all"),
    "labour_market.hiring_threshold": (3.0, 4.0, "how ready employers want a hire: jobs by caseworker belief"),
    "labour_market.hiring_noise_sd": (0.15, 0.6, "how well employers see readiness: jobs of the doubted"),
    "turnover.quit_probability": (0.001, 0.005, "caseworker turnover: the share with a caseworker change"),
    "interventions.offer_probability": (0.005, 0.05, "offers outside deadlines: no offer within 65 weeks"),
    "rules.deadline_compliance": (0.1, 0.4, "offers at deadlines: no offer within 65 weeks"),
    "interventions.private_placement_multiplier": (1.0, 3.0, "the causal effect behind the published +84%"),
    "interventions.public_placement_multiplier": (1.0, 3.0, "the causal effect behind the published +65%"),
}
"""The behaviour parameters history matching searches over: name -> (low, high, the figures it moves).

The ranges are what a referee would still call possible for this cohort: about half to twice the baseline's
hand-tuned values for rates and spreads, thresholds within half a point of them on the 1-5 scale, and causal
multipliers from no effect (1) to three times the job chance. Everything else keeps the scenario's value."""

CUTOFF = IMPLAUSIBILITY_CUTOFF
"""Implausibility above which a vector is ruled out: Pukelsheim's three-sigma rule (at least 95% of any unimodal
distribution lies within three standard deviations), as in Vernon et al. (2010) and hmer."""

RANK = 2
"""Which largest implausibility is compared with :data:`CUTOFF`: the second largest, so that one target may be
missed (Vernon et al. 2010 use the second and third largest in early waves); the largest is recorded too."""

CANDIDATES = 20_000
"""Vectors of a Latin hypercube over the full ranges whose emulated implausibility a wave evaluates to find and
measure the non-implausible region (its share of these is the region's size)."""


@dataclass(frozen=True)
class Observation:
    """One outcome figure to match: its published (or self-test) value and its variance on the model scale.

    ``variance`` is the published figure's own uncertainty plus the declared model discrepancy.
    """

    key: str
    scale: str
    value: float
    observed: float
    variance: float


def outcome_observations(
    values: Mapping[str, float] | None = None, noise: Mapping[str, float] | None = None
) -> list[Observation]:
    """The outcome targets of :data:`~bipsim.analysis.calibration.TARGETS` as observations.

    ``values`` replaces the published values (a self-test's simulated figures) and ``noise`` adds their own
    variance on the model scale (a mean of simulated runs varies too); the source's uncertainty and the
    discrepancy stay, so a self-test is judged as the published figures are.
    """
    observations = []
    for target in TARGETS:
        published = PUBLISHED[target.key]
        if published.role != "outcome":
            continue
        value = float(target.published if values is None else values[target.key])
        observations.append(
            Observation(
                key=target.key,
                scale=published.scale,
                value=value,
                observed=to_model_scale(published.scale, value),
                variance=published.observation_variance(float(target.published))
                + DISCREPANCY_SD**2
                + (noise or {}).get(target.key, 0.0),
            )
        )
    return observations


class Emulator:
    """The expected value of one figure (model scale) as a function of the parameters (unit cube).

    A least-squares linear trend plus a Gaussian process (constant x anisotropic squared-exponential kernel) on
    its residuals; the run-to-run variance ``noise`` is the process's fixed nugget, so the emulator predicts the
    model's expected figure, not one run's.
    """

    def __init__(self, unit: np.ndarray, y: np.ndarray, noise: float, random_state: int) -> None:
        from sklearn.gaussian_process import GaussianProcessRegressor
        from sklearn.gaussian_process.kernels import RBF, ConstantKernel

        ok = np.isfinite(y)
        self.runs = int(ok.sum())
        unit, y = unit[ok], y[ok]
        self.noise = noise
        self.informative = self.runs > unit.shape[1] + 2 and float(np.ptp(y)) > 0
        if not self.informative:  # too few runs gave the figure: the emulator knows nothing and rules nothing out
            self.diagnostics = {
                "runs": self.runs,
                "loo_r_squared": math.nan,
                "loo_within_3sd": math.nan,
                "noise_sd": math.sqrt(noise),
                "signal_sd": math.nan,
                "length_scales": [],
            }
            return
        design = np.column_stack([np.ones(len(unit)), unit])
        self.trend, *_ = np.linalg.lstsq(design, y, rcond=None)
        residual = y - design @ self.trend
        self.scale = float(np.std(residual)) or 1.0
        d = unit.shape[1]
        kernel = ConstantKernel(1.0, (1e-2, 1e2)) * RBF(np.full(d, 0.5), (0.05, 50.0))
        self.gp = GaussianProcessRegressor(
            kernel, alpha=max(noise / self.scale**2, 1e-6), n_restarts_optimizer=2, random_state=random_state
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # convergence notes of the optimiser at a bound are no error
            self.gp.fit(unit, residual / self.scale)
        self.diagnostics = self._leave_one_out(y)

    def predict(self, unit: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The emulated expected figure and its variance at each row of ``unit``."""
        if not self.informative:
            return np.zeros(len(unit)), np.full(len(unit), np.inf)
        mean, sd = self.gp.predict(unit, return_std=True)
        design = np.column_stack([np.ones(len(unit)), unit])
        return design @ self.trend + mean * self.scale, (sd * self.scale) ** 2

    def _leave_one_out(self, y: np.ndarray) -> dict[str, float]:
        """Leave-one-out checks from the fitted process (closed form, hyperparameters and trend kept)."""
        from scipy.linalg import cho_solve

        inverse = cho_solve((self.gp.L_, True), np.eye(len(y)))
        diagonal = np.diag(inverse)
        error = self.gp.alpha_.ravel() / diagonal * self.scale
        sd = np.sqrt(1 / diagonal) * self.scale
        standardised = error / sd
        spread = float(np.sum((y - y.mean()) ** 2))
        return {
            "runs": self.runs,
            "loo_r_squared": 1 - float(np.sum(error**2)) / spread if spread > 0 else math.nan,
            "loo_within_3sd": float(np.mean(np.abs(standardised) <= 3)),
            "noise_sd": math.sqrt(self.noise),
            "signal_sd": math.sqrt(float(self.gp.kernel_.k1.constant_value)) * self.scale,
            "length_scales": [float(v) for v in np.atleast_1d(self.gp.kernel_.k2.length_scale)],
        }


def implausibility(
    emulators: Mapping[str, Emulator], observations: Sequence[Observation], unit: np.ndarray
) -> np.ndarray:
    """Emulated implausibility of every target (columns, in ``observations``' order) at each row of ``unit``."""
    columns = []
    for obs in observations:
        mean, variance = emulators[obs.key].predict(unit)
        columns.append(np.abs(obs.observed - mean) / np.sqrt(obs.variance + variance))
    return np.column_stack(columns)


def overall(implausibilities: np.ndarray, rank: int = RANK) -> np.ndarray:
    """The ``rank``-th largest implausibility of each row (missing targets count as 0)."""
    values = np.nan_to_num(implausibilities, nan=0.0)
    rank = min(rank, values.shape[1])
    return -np.sort(-values, axis=1)[:, rank - 1]


@dataclass
class Wave:
    """One wave: its design, the runs' figures, the emulators built on all runs so far and the region left."""

    number: int
    design: pd.DataFrame
    emulators: dict[str, Emulator]
    diagnostics: pd.DataFrame
    nroy_share: float


@dataclass
class HistoryMatch:
    """A history match: every wave, every run's figures, the plausible ensemble and the settings.

    ``runs``: one row per simulated run (wave, point, parameters, each outcome figure on its own scale and the
    run's simulated implausibility); ``ensemble``: the plausible parameter vectors (dotted names), each verified
    by simulation; ``region``: per parameter, the range left in the non-implausible region by the last wave's
    emulators against the searched range.
    """

    waves: list[Wave]
    runs: pd.DataFrame
    ensemble: pd.DataFrame
    region: pd.DataFrame
    mc_variance: dict[str, float]
    observations: list[Observation]
    settings: dict[str, Any] = field(default_factory=dict)

    def nroy(self, vectors: pd.DataFrame) -> np.ndarray:
        """Whether each row of ``vectors`` (dotted parameter columns) is non-implausible by every wave's emulators."""
        unit = to_unit(vectors[list(CALIBRATED)].to_numpy(dtype=float))
        keep = np.ones(len(unit), dtype=bool)
        for wave in self.waves:
            keep &= overall(implausibility(wave.emulators, self.observations, unit)) <= CUTOFF
        return keep

    def max_implausibility(self, vectors: pd.DataFrame) -> np.ndarray:
        """The last wave's overall (second-largest) implausibility of each row of ``vectors``."""
        unit = to_unit(vectors[list(CALIBRATED)].to_numpy(dtype=float))
        return overall(implausibility(self.waves[-1].emulators, self.observations, unit))


Stage = Callable[[str, int], Callable[[int, int], None] | None]
"""Progress of a history match: called with a stage's description and its runs, returns that stage's callback."""


def bounds() -> tuple[np.ndarray, np.ndarray]:
    """The searched ranges of :data:`CALIBRATED` as arrays of lows and highs."""
    return np.array([v[0] for v in CALIBRATED.values()]), np.array([v[1] for v in CALIBRATED.values()])


def to_unit(x: np.ndarray) -> np.ndarray:
    """Parameter vectors mapped to the unit cube of the searched ranges."""
    low, high = bounds()
    return (x - low) / (high - low)


def from_unit(unit: np.ndarray) -> np.ndarray:
    """Unit-cube points as parameter vectors, rounded to six significant digits (what is run is what is recorded)."""
    low, high = bounds()
    x = low + unit * (high - low)
    return np.vectorize(lambda v: float(f"{v:.6g}"))(x) if x.size else x


def check_ranges(scenario: Scenario) -> None:
    """Raise :class:`ValueError` unless every range of :data:`CALIBRATED` lies within the declared bounds."""
    for name, (low, high, _) in CALIBRATED.items():
        lo, hi = declared(name).bounds
        if not (lo <= low < high <= hi):
            raise ValueError(f"{name}: searched range {low}-{high} is not within the declared bounds {lo}-{hi}")


def _seed_int(sequence: np.random.SeedSequence) -> int:
    return int(sequence.generate_state(1, np.uint32)[0])


def _simulate(
    scenario: Scenario,
    vectors: np.ndarray,
    seed: np.random.SeedSequence,
    replications: int,
    workers: int,
    scheduler: str | None,
    progress: Callable[[int, int], None] | None,
) -> list[dict[str, float]]:
    """Each outcome figure (model scale) of every run: vectors in order, each ``replications`` times.

    Every run has a seed of its own (independent replications), so the runs also measure run-to-run variance.
    """
    settings: list[Setting] = [dict(zip(CALIBRATED, map(float, row), strict=True)) for row in vectors]
    plan = Plan.sweep(scenario, settings, replications, _seed_int(seed), common_random_numbers=False)
    rows = execute(plan.runs(), workers=workers, scheduler=scheduler, progress=progress, task=calibration_one)
    failed = [row for row in rows if row["status"] != "ok"]
    if len(failed) > len(rows) // 2:
        raise RuntimeError(f"{len(failed)} of {len(rows)} calibration runs failed, e.g. {failed[0]['error']}")
    scales = {t.key: PUBLISHED[t.key].scale for t in TARGETS if PUBLISHED[t.key].role == "outcome"}
    figures = []
    for row in rows:
        if row["status"] != "ok":
            figures.append(dict.fromkeys(scales, math.nan))
            continue
        values = row["calibration"].set_index("key")["simulated"]
        figures.append({key: to_model_scale(scale, values[key]) for key, scale in scales.items()})
    return figures


def maximin(candidates: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` rows of ``candidates`` chosen greedily so that each is as far as possible from those chosen before."""
    if len(candidates) <= n:
        return candidates
    chosen = [int(rng.integers(len(candidates)))]
    distance = np.linalg.norm(candidates - candidates[chosen[0]], axis=1)
    for _ in range(n - 1):
        chosen.append(int(np.argmax(distance)))
        distance = np.minimum(distance, np.linalg.norm(candidates - candidates[chosen[-1]], axis=1))
    return candidates[chosen]


def _non_implausible(
    waves: Sequence[Wave], observations: Sequence[Observation], needed: int, rng: np.random.Generator
) -> tuple[np.ndarray, float]:
    """Points of the non-implausible region of ``waves`` (unit cube) and the region's share of the full ranges.

    A Latin hypercube of :data:`CANDIDATES` over the full ranges measures the region; when it leaves fewer than
    ``needed`` points, clouds around those it kept (a tenth of the range across) add more, as hmer does.
    """
    from scipy.stats import qmc

    d = len(CALIBRATED)

    def keep(unit: np.ndarray) -> np.ndarray:
        ok = np.ones(len(unit), dtype=bool)
        for wave in waves:
            ok &= overall(implausibility(wave.emulators, observations, unit)) <= CUTOFF
        return unit[ok]

    start = qmc.LatinHypercube(d=d, rng=rng).random(CANDIDATES)
    kept = keep(start)
    share = len(kept) / CANDIDATES
    for _ in range(4):
        if len(kept) >= needed or len(kept) == 0:
            break
        cloud = kept[rng.integers(len(kept), size=CANDIDATES // 4)] + rng.normal(0, 0.1, (CANDIDATES // 4, d))
        kept = np.vstack([kept, keep(np.clip(cloud, 0, 1))])
    return kept, share


def _build_emulators(
    unit: np.ndarray, figures: pd.DataFrame, observations: Sequence[Observation], noise: Mapping[str, float], seed: int
) -> tuple[dict[str, Emulator], pd.DataFrame]:
    emulators, rows = {}, []
    for i, obs in enumerate(observations):
        emulator = Emulator(unit, figures[obs.key].to_numpy(dtype=float), noise[obs.key], random_state=seed + i)
        emulators[obs.key] = emulator
        rows.append({"target": obs.key, **emulator.diagnostics})
    return emulators, pd.DataFrame(rows)


def history_match(
    scenario: Scenario,
    seed: int = 0,
    waves: int = 3,
    first_points: int = 60,
    points: int = 40,
    verify: int = 20,
    mc_replications: int = 4,
    workers: int = 1,
    scheduler: str | None = None,
    observed: Mapping[str, float] | None = None,
    observed_noise: Mapping[str, float] | None = None,
    stage: Stage | None = None,
    reuse: HistoryMatch | None = None,
) -> HistoryMatch:
    """History-match ``scenario``'s :data:`CALIBRATED` parameters to the outcome targets.

    ``mc_replications`` runs at the scenario's own values estimate the run-to-run variance of every figure;
    wave 1 simulates ``first_points`` vectors of a Latin hypercube, each later wave ``points`` vectors of the
    region left; ``verify`` more vectors from the final region are simulated, and every simulated vector that
    its own run does not rule out joins the plausible ensemble. ``observed`` replaces the published values (the
    self-test) and ``observed_noise`` gives their own variance on the model scale; ``reuse`` takes the
    run-to-run variance and wave 1's runs from an earlier match of the same scenario, seed and first wave
    (they do not depend on the values matched). ``stage(description, runs)`` gives each stage's progress
    callback.
    """
    check_ranges(scenario)
    observations = outcome_observations(observed, observed_noise)
    root = np.random.SeedSequence(seed)
    design_seed, mc_seed, verify_seed, *wave_seeds = root.spawn(3 + waves)
    rng = np.random.Generator(np.random.PCG64(design_seed))

    def progress(description: str, runs: int) -> Callable[[int, int], None] | None:
        return stage(description, runs) if stage is not None else None

    if reuse is not None:
        mc_figures = reuse.runs[reuse.runs["wave"] == 0][[o.key for o in observations]].to_dict("records")
    else:
        mc_figures = _simulate(
            scenario,
            np.empty((0, len(CALIBRATED))),
            mc_seed,
            mc_replications,
            workers,
            scheduler,
            progress("run-to-run variance at the scenario's values", mc_replications),
        )
    mc_frame = pd.DataFrame(mc_figures)
    mc_variance = {o.key: _variance(mc_frame[o.key]) for o in observations}
    base = np.array([float(getattr(getattr(scenario, n.split(".")[0]), n.split(".")[1])) for n in CALIBRATED])
    run_rows = [
        {"wave": 0, "point": 0, "replication": r, **dict(zip(CALIBRATED, base, strict=True)), **fig}
        for r, fig in enumerate(mc_figures)
    ]

    from scipy.stats import qmc

    done: list[Wave] = []
    for number in range(1, waves + 1):
        if number == 1:
            unit = qmc.LatinHypercube(d=len(CALIBRATED), rng=rng).random(first_points)
            share = 1.0
        else:
            region, share = _non_implausible(done, observations, 2 * points, rng)
            if len(region) == 0:
                break
            unit = maximin(region, points, rng)
        if done:
            done[-1].nroy_share = share
        vectors = from_unit(unit)
        if number == 1 and reuse is not None:
            first = reuse.runs[reuse.runs["wave"] == 1]
            figures = first[[o.key for o in observations]].to_dict("records")
            vectors = first[list(CALIBRATED)].to_numpy(dtype=float)
        else:
            figures = _simulate(
                scenario,
                vectors,
                wave_seeds[number - 1],
                1,
                workers,
                scheduler,
                progress(f"wave {number} of {waves}: {len(vectors)} parameter vectors", len(vectors)),
            )
        run_rows += [
            {"wave": number, "point": i, "replication": 0, **dict(zip(CALIBRATED, v, strict=True)), **fig}
            for i, (v, fig) in enumerate(zip(vectors, figures, strict=True))
        ]
        design_runs = pd.DataFrame([r for r in run_rows if r["wave"] >= 1])
        for key, variance in mc_variance.items():
            if not math.isfinite(variance):  # the repeated runs gave the figure fewer than twice: all runs' spread
                mc_variance[key] = _variance(design_runs[key])
        emulators, diagnostics = _build_emulators(
            to_unit(design_runs[list(CALIBRATED)].to_numpy(dtype=float)),
            design_runs,
            observations,
            mc_variance,
            _seed_int(wave_seeds[number - 1]) % 2**31,
        )
        design = pd.DataFrame(vectors, columns=list(CALIBRATED))
        done.append(Wave(number, design, emulators, diagnostics, nroy_share=math.nan))

    region, share = _non_implausible(done, observations, max(verify, 1) * 50, rng)
    done[-1].nroy_share = share
    if verify and len(region):
        vectors = from_unit(maximin(region, verify, rng))
        figures = _simulate(
            scenario,
            vectors,
            verify_seed,
            1,
            workers,
            scheduler,
            progress(f"verifying {len(vectors)} vectors of the final region", len(vectors)),
        )
        run_rows += [
            {"wave": waves + 1, "point": i, "replication": 0, **dict(zip(CALIBRATED, v, strict=True)), **fig}
            for i, (v, fig) in enumerate(zip(vectors, figures, strict=True))
        ]
    runs = pd.DataFrame(run_rows)
    runs = _simulated_implausibility(runs, observations, mc_variance)
    ensemble = _plausible(runs)
    return HistoryMatch(
        waves=done,
        runs=runs,
        ensemble=ensemble,
        region=_region_table(region),
        mc_variance=mc_variance,
        observations=observations,
        settings={
            "scenario": scenario.name,
            "seed": seed,
            "waves": waves,
            "waves_run": len(done),
            "first_points": first_points,
            "points": points,
            "verify": verify,
            "mc_replications": mc_replications,
            "citizens": scenario.population.citizens,
            "weeks": scenario.population.weeks,
            "cutoff": CUTOFF,
            "rank": RANK,
            "discrepancy_sd": DISCREPANCY_SD,
        },
    )


def _variance(values: pd.Series) -> float:
    """Sample variance of the finite values (NaN with fewer than two)."""
    finite = values.to_numpy(dtype=float)
    finite = finite[np.isfinite(finite)]
    return float(np.var(finite, ddof=1)) if finite.size > 1 else math.nan


def _simulated_implausibility(
    runs: pd.DataFrame, observations: Sequence[Observation], mc_variance: Mapping[str, float]
) -> pd.DataFrame:
    """Each run's implausibility from its own figures: run-to-run variance in place of the emulator's.

    The runs at the scenario's values (wave 0) are judged by their mean, with the variance of a mean.
    """
    runs = runs.copy()
    repeats = runs.groupby(["wave", "point"])[[o.key for o in observations]].transform("mean")
    size = runs.groupby(["wave", "point"])["replication"].transform("size").to_numpy()
    columns = {}
    for obs in observations:
        variance = obs.variance + mc_variance[obs.key] / size
        columns[obs.key] = np.abs(obs.observed - repeats[obs.key].to_numpy()) / np.sqrt(variance)
    table = pd.DataFrame(columns)
    runs["implausibility"] = overall(table.to_numpy())
    runs["implausibility_max"] = table.max(axis=1).to_numpy()
    runs["worst_target"] = table.idxmax(axis=1).to_numpy()
    return runs


def _plausible(runs: pd.DataFrame) -> pd.DataFrame:
    """The distinct simulated vectors whose own runs are not implausible (dotted parameter columns)."""
    kept = runs[runs["implausibility"] <= CUTOFF].drop_duplicates(subset=["wave", "point"])
    return kept[list(CALIBRATED)].reset_index(drop=True)


def _region_table(region: np.ndarray) -> pd.DataFrame:
    """Per parameter: the searched range and the 2.5-97.5% range of the final region (how far it is pinned down)."""
    low, high = bounds()
    rows = []
    for j, (name, (lo, hi, why)) in enumerate(CALIBRATED.items()):
        if len(region):
            q = np.quantile(region[:, j], [0.025, 0.975]) * (high[j] - low[j]) + low[j]
            left = float((q[1] - q[0]) / (hi - lo))
        else:
            q, left = (math.nan, math.nan), math.nan
        rows.append(
            {
                "parameter": name,
                "searched_low": lo,
                "searched_high": hi,
                "region_low": float(q[0]),
                "region_high": float(q[1]),
                "share_of_range": left,
                "moves": why,
            }
        )
    return pd.DataFrame(rows)


IDENTIFIED = 0.5
"""A parameter counts as pinned down when the final region's central 95% spans at most this share of its range."""


def identified(region: pd.DataFrame) -> pd.Series:
    """Whether each parameter of a region table is pinned down by the figures (:data:`IDENTIFIED`)."""
    return region.set_index("parameter")["share_of_range"] <= IDENTIFIED


def self_test(
    scenario: Scenario,
    vectors: int = 3,
    seed: int = 0,
    replications: int = 4,
    workers: int = 1,
    scheduler: str | None = None,
    stage: Stage | None = None,
    reuse: HistoryMatch | None = None,
    **fit: Any,
) -> pd.DataFrame:
    """Fit figures simulated at known vectors and report whether each known vector is left non-implausible.

    ``vectors`` known vectors are drawn from a Latin hypercube over the searched ranges (their own seed);
    each gives its figures as the mean of ``replications`` runs (their variance added to the figures'
    uncertainty), and :func:`history_match` (with ``fit``'s
    sizes, sharing the first wave and the run-to-run variance, also with ``reuse``, a fit of the same scenario, seed
    and sizes) is fitted to them. One row per known vector and
    parameter: the known value, the final region's range and whether it holds the known value; and per
    vector whether the whole known vector is non-implausible by every wave and the region's size.
    """
    from scipy.stats import qmc

    check_ranges(scenario)
    root = np.random.SeedSequence(seed).spawn(2)[1]
    known_seed, figures_seed = root.spawn(2)
    unit = qmc.LatinHypercube(d=len(CALIBRATED), rng=np.random.Generator(np.random.PCG64(known_seed))).random(vectors)
    known = from_unit(unit)
    figures = _simulate(
        scenario,
        known,
        figures_seed,
        replications,
        workers,
        scheduler,
        stage(f"self-test: figures at {vectors} known vectors", vectors * replications) if stage else None,
    )
    by_vector = pd.DataFrame(figures).groupby(np.repeat(np.arange(vectors), replications))
    per_vector = by_vector.mean()
    noise = (by_vector.var(ddof=1) / replications).fillna(0.0) if replications > 1 else per_vector * 0.0
    scales = {t.key: PUBLISHED[t.key].scale for t in TARGETS if PUBLISHED[t.key].role == "outcome"}
    rows = []
    shared = reuse
    for v in range(vectors):
        observed = {key: from_model_scale(scales[key], per_vector.loc[v, key]) for key in scales}
        match = history_match(
            scenario,
            seed=seed,
            workers=workers,
            scheduler=scheduler,
            observed=observed,
            observed_noise=noise.loc[v].to_dict(),
            stage=stage,
            reuse=shared,
            **fit,
        )
        shared = shared or match
        frame = pd.DataFrame([known[v]], columns=list(CALIBRATED))
        inside = bool(match.nroy(frame)[0])
        score = float(match.max_implausibility(frame)[0])
        for j, row in enumerate(match.region.itertuples()):
            rows.append(
                {
                    "vector": v,
                    "parameter": row.parameter,
                    "known": float(known[v, j]),
                    "region_low": row.region_low,
                    "region_high": row.region_high,
                    "share_of_range": row.share_of_range,
                    "covers_known": bool(row.region_low <= known[v, j] <= row.region_high),
                    "known_non_implausible": inside,
                    "known_implausibility": score,
                    "region_share": match.waves[-1].nroy_share,
                    "ensemble_size": len(match.ensemble),
                }
            )
    return pd.DataFrame(rows)


ENSEMBLE_ID = "vector_id"
"""First column of a plausible-ensemble CSV; the others are dotted scenario parameter names, one row per vector."""


def write_ensemble(ensemble: pd.DataFrame, path: str | os.PathLike[str]) -> None:
    """Write a plausible ensemble as CSV (``vector_id`` then dotted parameter names), replacing ``path`` at once.

    The file is written beside ``path`` and renamed over it, so a reader never sees half a file.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    table = ensemble.reset_index(drop=True)
    table.insert(0, ENSEMBLE_ID, range(len(table)))
    temporary = target.with_name(f".{target.name}.partial-{os.getpid()}")
    table.to_csv(temporary, index=False, float_format="%.6g", lineterminator="\n")
    os.replace(temporary, target)


def _plain(value: Any) -> Any:
    """A value for JSON: numpy scalars as Python numbers, NaN as null."""
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (np.bool_, bool)):
        return bool(value)
    if isinstance(value, (np.integer, int)):
        return int(value)
    if isinstance(value, (np.floating, float)):
        number = float(value)
        return float(f"{number:.6g}") if math.isfinite(number) else None
    return value


def _rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{k: _plain(v) for k, v in row.items()} for row in frame.to_dict("records")]


def to_record(match: HistoryMatch, self_test: pd.DataFrame | None = None, **about: Any) -> dict[str, Any]:
    """A history match as a tidy, JSON-ready record: settings, observations, every wave, run, region and vector.

    ``about`` adds entries such as the wall time; ``self_test`` is a table of :func:`self_test`.
    """
    record: dict[str, Any] = {**match.settings, **{k: _plain(v) for k, v in about.items()}}
    record["parameters"] = [
        {"parameter": name, "low": low, "high": high, "moves": why} for name, (low, high, why) in CALIBRATED.items()
    ]
    record["observations"] = [
        {
            "target": o.key,
            "scale": o.scale,
            "value": _plain(o.value),
            "observed": _plain(o.observed),
            "sd": _plain(math.sqrt(o.variance)),
            "mc_sd": _plain(math.sqrt(match.mc_variance[o.key])),
        }
        for o in match.observations
    ]
    record["waves"] = [
        {
            "wave": wave.number,
            "runs": len(wave.design),
            "region_share_after": _plain(wave.nroy_share),
            "emulators": _rows(wave.diagnostics),
        }
        for wave in match.waves
    ]
    record["runs"] = _rows(match.runs)
    record["region"] = _rows(match.region.assign(identified=identified(match.region).to_numpy()))
    record["ensemble"] = _rows(match.ensemble)
    if self_test is not None:
        record["self_test"] = _rows(self_test)
    return record


def record_json(record: Mapping[str, Any]) -> str:
    """A record as JSON with one line per row of its tables, so that a diff shows which rows moved."""
    lines = []
    for key, value in record.items():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            rows = ",\n".join(f"    {json.dumps(row, ensure_ascii=False)}" for row in value)
            lines.append(f"  {json.dumps(key)}: [\n{rows}\n  ]")
        else:
            lines.append(f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}")
    return "{\n" + ",\n".join(lines) + "\n}\n"
