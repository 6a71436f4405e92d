"""What-ifs with parameter uncertainty: a comparison (or sweep) run over the plausible parameter vectors.

The plausible ensemble is a CSV file: one column per scenario parameter, named by its dotted name
(``meetings.observation_sd``), one row per plausible parameter vector, and optionally a first column
``vector_id``. History matching (``bipsim calibrate --fit``) makes it for the baseline; :data:`PLAUSIBLE_ENSEMBLE`
is where bipsim ships it, and ``--ensemble baseline`` refers to it. Each vector is applied to both scenarios
(see :func:`bipsim.ensemble.plan.with_vector`), and within a vector A and B share their seeds.

**Statistics.** With V vectors and R paired replications, ``d[v, r]`` is the difference B − A of replication
``r`` under vector ``v``, ``m[v]`` its mean over the vector's ``n[v]`` pairs and ``s²[v]`` their variance.
The question is: what difference does the model give at the true parameter vector, which we know only to be
one of the plausible ones? Its estimate is the mean of the per-vector means, ``m̄``. By the law of total
variance a per-vector mean varies as ``Var(m[v]) = τ² + E[σ²[v] / n[v]]``: ``τ²``, the spread of the
model's true differences over the plausible vectors (parameter uncertainty), plus the Monte Carlo error of a
mean of ``n[v]`` replications. Hence (one-way random-effects analysis of variance, method of moments):

- ``B`` = the sample variance of the ``m[v]`` (V − 1 degrees of freedom), which estimates both parts;
- ``M`` = the mean of ``s²[v] / n[v]``, the Monte Carlo part;
- ``τ̂²`` = ``max(B − M, 0)``, the parameter part. Adding ``M`` to ``B`` instead would count the Monte
  Carlo error twice, since ``B`` contains it already.

The true vector's difference differs from ``m̄`` by its own deviation (variance ``τ²``) and by the error of
``m̄`` (variance ``(τ² + M) / V``), so the **interval with parameter uncertainty** is
``m̄ ± t(V − 1) · √(τ̂² (1 + 1/V) + M / V)``, a prediction interval for the difference at a plausible vector:
``τ̂² (1 + 1/V)`` is its parameter part and ``M / V`` its Monte Carlo part (where ``B ≥ M`` the sum is
``τ̂² + B / V``). The **Monte Carlo-only interval** beside it is ``m̄ ± t(Σ(n[v] − 1)) · √(M / V)``: what the
same runs would say if every vector had the same true difference (the parameters known). The first always
contains the second (more variance, fewer degrees of freedom), so adding parameter uncertainty never makes
an answer look surer, also when by chance ``B < M``. A percentile interval over vectors was not chosen: with
the few vectors an app or a quick check affords, its ends are single, noisy vectors.

**Sign agreement.** The share of vectors whose own mean difference has the sign of ``m̄`` says how many
plausible worlds agree on the direction; the share whose own 95% Monte Carlo interval (Student's *t* over
its pairs) excludes 0 on that side says in how many the replications show it clearly.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from bipsim.ensemble.plan import Setting, check_setting, parse_value
from bipsim.ensemble.summarise import LEVEL, PROPORTIONS, STATUS_OK, t_interval
from bipsim.scenario import Scenario, ScenarioError

PLAUSIBLE_ENSEMBLE = Path(__file__).parent / "data" / "plausible_baseline.csv"
"""The shipped plausible ensemble of the baseline (history matching); point this at the real file."""
PACKAGED = "baseline"
"""The name ``--ensemble`` gives the shipped ensemble."""
VECTOR_ID = "vector_id"
FORMAT_HINT = (
    "expected a CSV file with one column per scenario parameter (dotted names, e.g. meetings.observation_sd), "
    "one row per plausible parameter vector and optionally a first column vector_id"
)


class EnsembleFileError(ValueError):
    """An ensemble file that cannot be used: missing, unreadable, or naming an unknown parameter or value."""


@dataclass(frozen=True)
class ParameterEnsemble:
    """Plausible parameter vectors read from a file: ids, parameter names and one setting per vector."""

    source: str
    names: list[str]
    vector_ids: list[int]
    vectors: list[Setting]
    sha256: str

    def table(self) -> pd.DataFrame:
        """One row per vector: ``vector_id`` and each parameter's value."""
        return pd.DataFrame([{VECTOR_ID: i, **v} for i, v in zip(self.vector_ids, self.vectors, strict=True)])


def packaged_available() -> bool:
    """Whether this installation ships the plausible ensemble (:data:`PLAUSIBLE_ENSEMBLE`)."""
    return PLAUSIBLE_ENSEMBLE.is_file()


def ensemble_path(text: str | Path) -> Path:
    """The file ``--ensemble`` names: :data:`PACKAGED` is the shipped ensemble, anything else a path."""
    if str(text) == PACKAGED and not Path(text).exists():
        if not packaged_available():
            raise EnsembleFileError(
                f"--ensemble {PACKAGED}: the plausible ensemble of the baseline is not shipped with this version of "
                f"bipsim yet; give the path of an ensemble file instead ({FORMAT_HINT})"
            )
        return PLAUSIBLE_ENSEMBLE
    path = Path(text)
    if not path.is_file():
        problem = "is a folder" if path.is_dir() else "no such file"
        raise EnsembleFileError(f"--ensemble {text}: {problem}; give {PACKAGED!r} or a file ({FORMAT_HINT})")
    return path


def read_ensemble(text: str | Path, scenario: Scenario) -> ParameterEnsemble:
    """Read and check the ensemble ``text`` names: every column a declared parameter, every vector valid.

    Values are read as the declared types (as ``--vary`` reads them), and each vector must be a valid change
    of ``scenario``; a problem is raised as :class:`EnsembleFileError` naming the file, row, column and value.
    """
    path = ensemble_path(text)
    where = f"--ensemble {text}"
    try:
        raw = path.read_bytes()
        rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    except OSError as exc:
        raise EnsembleFileError(f"{where}: cannot read it ({exc.strerror})") from None
    except (UnicodeDecodeError, csv.Error) as exc:
        raise EnsembleFileError(f"{where}: not a UTF-8 CSV file ({exc}); {FORMAT_HINT}") from None
    rows = [row for row in rows if row]  # blank lines (a trailing newline) are no vectors
    if len(rows) < 2:
        raise EnsembleFileError(f"{where}: no parameter vectors in it; {FORMAT_HINT}")
    header = [cell.strip() for cell in rows[0]]
    with_ids = header[0] == VECTOR_ID
    names = header[1:] if with_ids else header
    if not names or VECTOR_ID in names:
        raise EnsembleFileError(f"{where}: the columns {', '.join(header)} are not allowed; {FORMAT_HINT}")
    doubled = sorted({name for name in names if names.count(name) > 1})
    if doubled:
        raise EnsembleFileError(f"{where}: the column {', '.join(doubled)} appears more than once")
    ids, vectors = [], []
    for number, row in enumerate(rows[1:], start=2):
        if len(row) != len(header):
            raise EnsembleFileError(f"{where}: line {number} has {len(row)} values for {len(header)} columns")
        cells = [cell.strip() for cell in row]
        if with_ids:
            try:
                ids.append(int(cells[0]))
            except ValueError:
                raise EnsembleFileError(
                    f"{where}: line {number}, {VECTOR_ID} = {cells[0]!r} is not allowed; expected a whole number"
                ) from None
            cells = cells[1:]
        else:
            ids.append(number - 2)
        vector = {}
        for name, cell in zip(names, cells, strict=True):
            if not cell:
                raise EnsembleFileError(f"{where}: line {number}, {name} has no value")
            try:
                vector[name] = parse_value(name, cell)
            except ScenarioError as exc:
                raise EnsembleFileError(f"{where}: line {number}: {exc}") from None
        try:  # one check of the whole vector: the scenario names the value out of range
            check_setting(scenario, vector, f"line {number}:")
        except ScenarioError as exc:
            raise EnsembleFileError(f"{where}: {str(exc).removeprefix('setting ')}") from None
        vectors.append(vector)
    if len(set(ids)) < len(ids):
        raise EnsembleFileError(f"{where}: a {VECTOR_ID} appears more than once")
    if len(vectors) < 2:
        raise EnsembleFileError(f"{where}: one parameter vector cannot show parameter uncertainty; give two or more")
    return ParameterEnsemble(str(path), names, ids, vectors, hashlib.sha256(raw).hexdigest())


@dataclass(frozen=True)
class AcrossVectors:
    """The decomposition of a difference (or mean) over plausible vectors; see the module's docstring."""

    vectors: int  # vectors with at least one value
    mean: float  # m̄, the mean of the per-vector means
    between: float  # B, variance of the per-vector means
    monte_carlo: float  # M, mean Monte Carlo variance of a per-vector mean
    parameter: float  # τ̂², the spread of the true per-vector values
    low: float  # the interval with parameter uncertainty
    high: float
    mc_low: float  # the Monte Carlo-only interval
    mc_high: float
    parameter_part: float  # τ̂² (1 + 1/V): the parameter part of the interval's variance
    monte_carlo_part: float  # M / V: its Monte Carlo part
    same_sign: float  # share of vectors whose mean has the sign of m̄
    clear_same_sign: float  # share whose own Monte Carlo interval excludes 0 on m̄'s side
    clear_opposite_sign: float  # share whose own Monte Carlo interval excludes 0 on the other side

    @property
    def parameter_share(self) -> float:
        """The parameter part's share of the interval's variance (NaN when the variance is 0 or unknown)."""
        total = self.parameter_part + self.monte_carlo_part
        return self.parameter_part / total if total > 0 else np.nan


def across_vectors(groups: Sequence[np.ndarray], level: float = LEVEL) -> AcrossVectors:
    """Decompose values grouped by vector (``groups[v]``: one value per replication, NaNs dropped).

    Returns NaN for what cannot be computed: intervals need two vectors with a value, the Monte Carlo part a
    vector with two values.
    """
    groups = [g[~np.isnan(g)] for g in (np.asarray(g, dtype=float) for g in groups)]
    groups = [g for g in groups if g.size]
    v = len(groups)
    nan = np.nan
    if v == 0:
        return AcrossVectors(0, *[nan] * 13)
    means = np.array([g.mean() for g in groups])
    centre = float(means.mean())
    spread = [g.var(ddof=1) / g.size for g in groups if g.size >= 2]
    monte_carlo = float(np.mean(spread)) if spread else nan
    df_mc = sum(g.size - 1 for g in groups)
    q = 0.5 + level / 2
    if spread and monte_carlo == 0 and np.all(means == centre):
        between = 0.0  # every replication of every vector gave the same value
    else:
        between = float(means.var(ddof=1)) if v >= 2 else nan
    parameter = max(between - monte_carlo, 0.0) if v >= 2 and spread else nan
    total = parameter * (1 + 1 / v) + monte_carlo / v
    half = float(stats.t.ppf(q, v - 1)) * np.sqrt(total) if v >= 2 and spread else nan
    mc_half = float(stats.t.ppf(q, df_mc)) * np.sqrt(monte_carlo / v) if spread and df_mc >= 1 else nan
    sign = np.sign(centre)
    own = [t_interval(g, level) for g in groups]
    clear_same = np.mean([(lo > 0 and sign > 0) or (hi < 0 and sign < 0) for _, _, _, _, lo, hi in own])
    clear_opposite = np.mean([(lo > 0 and sign < 0) or (hi < 0 and sign > 0) for _, _, _, _, lo, hi in own])
    return AcrossVectors(
        vectors=v,
        mean=centre,
        between=between,
        monte_carlo=monte_carlo,
        parameter=parameter,
        low=float(centre - half),
        high=float(centre + half),
        mc_low=float(centre - mc_half),
        mc_high=float(centre + mc_half),
        parameter_part=parameter * (1 + 1 / v),
        monte_carlo_part=monte_carlo / v,
        same_sign=float(np.mean(np.sign(means) == sign)),
        clear_same_sign=float(clear_same),
        clear_opposite_sign=float(clear_opposite),
    )


def paired(runs: pd.DataFrame, settings: pd.DataFrame, outcome: str) -> pd.DataFrame:
    """Paired values of ``outcome`` per (vector, replication): columns vector_id, replication, a, b.

    ``settings`` is the plan's settings table (origin 0 is A, origin 1 is B); pairs where either run failed
    or the outcome is undefined are left out.
    """
    ok = runs[runs["status"] == STATUS_OK].merge(settings[["setting_id", "origin_id", "vector_id"]], on="setting_id")
    wide = ok.pivot_table(index=["vector_id", "replication"], columns="origin_id", values=outcome, dropna=False)
    wide = wide.reindex(columns=[0, 1]).dropna()
    wide.columns = ["a", "b"]
    return wide.reset_index()


def compare_over_vectors(
    runs: pd.DataFrame, settings: pd.DataFrame, vector_ids: Sequence[int], outcomes: Sequence[str], level: float = LEVEL
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """B − A per outcome over the plausible vectors: the overall table and the per-vector table.

    Overall columns: outcome, vectors, pairs, mean_a, mean_b, difference, the interval with parameter
    uncertainty (low, high), the Monte Carlo-only interval (mc_low, mc_high), sd_parameter and sd_monte_carlo
    (square roots of the interval's two variance parts), parameter_share, same_sign, clear_same_sign,
    clear_opposite_sign and clear_difference (the interval with parameter uncertainty excludes 0). The
    per-vector table has vector_id, outcome, pairs, mean_a, mean_b, difference, se, low, high (its own Monte
    Carlo interval) and clear_difference.
    """
    overall, per_vector = [], []
    for outcome in outcomes:
        pairs = paired(runs, settings, outcome)
        groups = []
        for vector_id in vector_ids:
            part = pairs[pairs["vector_id"] == vector_id]
            d = (part["b"] - part["a"]).to_numpy(dtype=float)
            groups.append(d)
            n, mean, _, se, low, high = t_interval(d, level)
            identical = n > 0 and bool(np.all(d == 0))
            per_vector.append(
                {
                    "vector_id": vector_id,
                    "outcome": outcome,
                    "pairs": n,
                    "mean_a": float(part["a"].mean()) if n else np.nan,
                    "mean_b": float(part["b"].mean()) if n else np.nan,
                    "difference": mean,
                    "se": 0.0 if identical else se,
                    "low": 0.0 if identical else low,
                    "high": 0.0 if identical else high,
                    "clear_difference": not identical and n >= 2 and not bool(low <= 0 <= high),
                }
            )
        result = across_vectors(groups, level)
        means_a = pairs.groupby("vector_id")["a"].mean()
        means_b = pairs.groupby("vector_id")["b"].mean()
        identical = len(pairs) > 0 and bool((pairs["a"] == pairs["b"]).all())
        overall.append(
            {
                "outcome": outcome,
                "vectors": result.vectors,
                "pairs": len(pairs),
                "mean_a": float(means_a.mean()) if len(pairs) else np.nan,
                "mean_b": float(means_b.mean()) if len(pairs) else np.nan,
                "difference": result.mean,
                "low": result.low,
                "high": result.high,
                "mc_low": result.mc_low,
                "mc_high": result.mc_high,
                "sd_parameter": float(np.sqrt(result.parameter_part)),
                "sd_monte_carlo": float(np.sqrt(result.monte_carlo_part)),
                "parameter_share": result.parameter_share,
                "same_sign": result.same_sign,
                "clear_same_sign": result.clear_same_sign,
                "clear_opposite_sign": result.clear_opposite_sign,
                "clear_difference": not identical and not bool(result.low <= 0 <= result.high),
                "identical": identical,
            }
        )
    return pd.DataFrame(overall), pd.DataFrame(per_vector)


def summarise_over_vectors(
    runs: pd.DataFrame, settings: pd.DataFrame, outcomes: Sequence[str], level: float = LEVEL
) -> pd.DataFrame:
    """Mean of each outcome per sweep setting (``origin_id``) over the plausible vectors, as :func:`across_vectors`.

    One row per (origin_id, outcome): vectors, runs_ok, runs_failed, mean, low, high (with parameter
    uncertainty), mc_low, mc_high, sd_parameter, sd_monte_carlo and parameter_share. The intervals of a share
    of citizens (:data:`~bipsim.ensemble.summarise.PROPORTIONS`) are cut at 0 and 1, where a share ends.
    """
    merged = runs.merge(settings[["setting_id", "origin_id", "vector_id"]], on="setting_id")
    rows = []
    for origin, group in merged.groupby("origin_id", sort=True):
        ok = group[group["status"] == STATUS_OK]
        for outcome in outcomes:
            values = [part[outcome].to_numpy(dtype=float) for _, part in ok.groupby("vector_id", sort=True)]
            result = across_vectors(values, level)
            bounds = (0.0, 1.0) if outcome in PROPORTIONS else (-np.inf, np.inf)
            low, high, mc_low, mc_high = np.clip([result.low, result.high, result.mc_low, result.mc_high], *bounds)
            rows.append(
                {
                    "origin_id": origin,
                    "outcome": outcome,
                    "vectors": result.vectors,
                    "runs_ok": len(ok),
                    "runs_failed": len(group) - len(ok),
                    "mean": result.mean,
                    "low": float(low),
                    "high": float(high),
                    "mc_low": float(mc_low),
                    "mc_high": float(mc_high),
                    "sd_parameter": float(np.sqrt(result.parameter_part)),
                    "sd_monte_carlo": float(np.sqrt(result.monte_carlo_part)),
                    "parameter_share": result.parameter_share,
                }
            )
    return pd.DataFrame(rows)


def verdict(row: pd.Series | dict[str, Any], level: float = LEVEL) -> str:
    """A plain statement of one row of :func:`compare_over_vectors`."""
    percent = f"{level:.0%}"
    if row["pairs"] == 0:
        return "no pair of runs where both are ok and the outcome is defined"
    if row["identical"]:
        return "identical in every pair: no difference"
    if pd.isna(row["low"]):
        return "too few vectors or pairs for an interval"
    if not row["clear_difference"]:
        return f"no clear difference: the {percent} interval with parameter uncertainty includes 0"
    return f"B {'higher' if row['difference'] > 0 else 'lower'} than A ({percent} interval with parameters excludes 0)"
