"""Register-based effect measurement (the horizontal lens): job effects as regularities in register data.

WHAT IT DOES. From the register, background and survey (observed tables only):

- compares those who got an ordinary job during the study with those who did not, at baseline
  (background, history, first-wave indicators), and follows the self-sufficiency degree quarter by quarter;
- fits a discrete-time hazard of job entry: person-weeks at risk are weeks on social assistance
  (``kh_activity_ready``/``kh_job_ready``), the event is an ordinary job the next week. The adjusted model
  (method ``register_hazard``) is a logit GLM with every exposure of :mod:`bipsim.analysis.estimates`
  at once, the last survey wave's indicators (carried forward; the citizen's and the caseworker's mean
  score, with missing flags), whether the citizen is in an activity this week (lock-in) and job-ready,
  background, register history, jobcentre and quarter of the study (the baseline hazard).
  Standard errors are cluster-robust by the week's caseworker;
- estimates each exposure's effect the way a register study would: ``register_naive`` (the same hazard
  with the exposure alone) and, for activities, ``register_ipw`` and ``register_ipw_att`` (the exposure alone,
  weighted by inverse propensity weights from a logit of the exposure on background, history, first-wave
  indicators and belief, jobcentre and time — pre-study covariates, so mediators are not adjusted away).
  ``register_ipw`` weights towards the whole population (stabilised weights for exposed and unexposed: the
  average effect had every week been exposed), ``register_ipw_att`` towards the exposed (the unexposed weighted
  by their propensity odds: the effect on the exposed). The gap between naive and adjusted is selection: who
  gets which activity, and whom a caseworker believes in;
- person-level outcomes from a landmark week (``LANDMARK`` = 26): citizens on social assistance at the
  landmark, exposure from the weeks before it, ``job_1y`` (any job week in the 52 weeks after) and
  ``self_sufficiency_2y`` (share of self-supporting weeks in the 104 after) as naive and weighted (both
  targets) risk / mean differences (weighted least squares, cluster-robust by the caseworker at the landmark).

Which estimand each method targets and what it assumes is declared in :mod:`bipsim.analysis.methods`. An
exposure with fewer than ``MIN_EXPOSED`` exposed citizens or ``MIN_EVENTS`` events among them
(:mod:`bipsim.analysis.estimates`) is not estimated: its rows say how many there were.

HOW IT STAYS FAST. Exposures are citizen x week matrices (numpy). Non-event person-weeks are sampled
(``controls_per_event`` per job entry, all entries kept; a case-control design in time). Logit slopes
are unchanged by sampling on the outcome (Prentice & Pyke 1979), so no weights are needed; only the
intercept shifts. Weekly job-entry hazards are below 1%, where the odds ratio equals the hazard ratio, so
coefficients are reported as log hazard ratios. Propensities are fitted on an outcome-independent random
sample of at-risk weeks. IPW standard errors treat the weights as known (usually conservative). Designs are
column-major arrays; Newton starts near the solution (the intercept-only fit; for an exposure alone, its closed
form) and each exposure's propensity model is fitted once, for both weightings: the estimates are those of
Newton from zero, to rounding (held by the tests).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd
from scipy.special import expit
from scipy.stats import norm

from bipsim.analysis.estimates import Z95, not_estimable, row, too_thin
from bipsim.analysis.measures import BELIEF_HIGH, RESPONDENTS, SurveyWaves, background
from bipsim.analysis.register_weeks import JOB, KH_JOB_READY, OUT, RegisterWeeks
from bipsim.contract.codes import BENEFIT_KEYS
from bipsim.contract.estimands import NOT_OBSERVED
from bipsim.contract.vocabulary import INTERVENTION_KEYS, INTERVENTIONS, SUPPORT

AFTER_WEEKS = 26
LANDMARK = 26
YEAR = 52
QUARTER = 13
CONTROLS_PER_EVENT = 40
PROPENSITY_SAMPLE = 20_000
SEED = 20130101
BACKGROUND = (
    "age10",
    "female",
    "non_western",
    "vocational_qualification",
    "psychiatric_diagnosis",
    "musculoskeletal_disorder",
    "children",
    "history_job_education",
    "history_support",
)
WAITING_NOTE = (
    "waiting is not in the register: a queued citizen is coded as social assistance with activity 'none', "
    "like anybody without an offer; only the interviews (theme 'waiting') see it"
)
PUBLISHED_EXPOSURES: dict[str, tuple[str, ...]] = {
    "caseworker_belief": ("caseworker_belief",),
    "private_placement": ("private_placement",),
    "public_placement": ("public_placement",),
    "other_activation": tuple(INTERVENTIONS[k].key for k in SUPPORT),
}
"""The exposures of BIP's published adjusted job-entry model, each from the register exposures it pools.

BIP reported completed private and public placements and "other activation" (here: the support
interventions, pooled), and the caseworker's belief, as adjusted hazard ratios of leaving for a job. These are
associations in observed data; :mod:`bipsim.analysis.calibration` makes them targets the simulated observed
data must reproduce.
"""
CYCLE_NOTE = (
    "no observed table holds labour demand, and calendar time is confounded with time on benefit in one "
    "cohort: the business cycle is not estimable from these data (quarter of study is adjusted for instead)"
)


@dataclass
class Exposures:
    """Time-varying exposures as (citizens, weeks) matrices, by estimand."""

    matrices: dict[str, np.ndarray]
    belief_missing: np.ndarray


def exposures(panel: RegisterWeeks, waves: SurveyWaves | None) -> Exposures:
    """Every register-visible exposure of each citizen-week (see :mod:`bipsim.analysis.estimates`)."""
    changed = panel.caseworker_changed()
    first = np.where(changed.any(axis=1), changed.argmax(axis=1), changed.shape[1])
    matrices = {"caseworker_change": np.arange(changed.shape[1]) >= first[:, None]}  # from the first change on
    if waves is not None:
        belief = waves.by_week(waves.belief, panel.weeks)
        matrices["caseworker_belief"] = belief >= BELIEF_HIGH
        missing = np.isnan(belief)
    else:
        missing = np.ones(panel.code.shape, dtype=bool)
    for k, key in enumerate(INTERVENTION_KEYS):
        matrices[key] = panel.within_after(panel.completed_spells(k), AFTER_WEEKS)
    return Exposures(matrices, missing)


def identified(x: pd.DataFrame, tolerance: float = 1e-8) -> pd.DataFrame:
    """Drop constant and linearly dependent columns so the model is identified; earlier columns win.

    A column is kept when it adds to the rank of the columns kept before it (checked on the scaled
    cross-product matrix), so exposures listed first are never dropped for a later covariate. When every
    column is kept the result is ``x`` itself.
    """
    values = x.to_numpy(dtype=float)
    scale = values.std(axis=0)
    is_const = np.array([c == "const" for c in x.columns])
    usable = (scale > 0) | is_const
    constant = scale == 0
    if constant.any():
        scale[constant] = np.sqrt((values[:, constant] ** 2).mean(axis=0)) + 1
    gram = values.T @ values / max(len(values), 1) / np.outer(scale, scale)  # of the columns divided by ``scale``
    candidates = np.flatnonzero(usable)
    # No principal submatrix has a smaller eigenvalue than the whole (Cauchy's interlacing): when the usable
    # columns together clear the tolerance with room to spare, each is kept without checking them one by one.
    if candidates.size and np.linalg.eigvalsh(gram[np.ix_(candidates, candidates)])[0] > 2 * tolerance:
        return x if candidates.size == x.shape[1] else x.iloc[:, candidates]
    kept: list[int] = []
    for j in candidates:
        candidate = [*kept, int(j)]
        if np.linalg.eigvalsh(gram[np.ix_(candidate, candidate)])[0] > tolerance:
            kept = candidate
    return x.iloc[:, kept]


@dataclass
class Fit:
    """A fitted logit: coefficients, cluster-robust standard errors and p-values, by term."""

    params: pd.Series
    bse: pd.Series
    pvalues: pd.Series

    def conf_int(self) -> pd.DataFrame:
        return pd.DataFrame({0: self.params - Z95 * self.bse, 1: self.params + Z95 * self.bse})


def fit_logit(
    y: np.ndarray,
    x: pd.DataFrame,
    groups: np.ndarray,
    weights: np.ndarray | None = None,
    start: np.ndarray | None = None,
) -> Fit | None:
    """Logit by Newton-Raphson with standard errors cluster-robust by ``groups``; ``None`` if it fails.

    Weighted (``weights``: inverse propensity weights) it solves the weighted score equations. The
    sandwich and its small-sample factor G/(G-1) x (N-1)/(N-K) are those of statsmodels'
    ``cov_type="cluster"`` (checked against it in the tests). Newton starts from ``start`` (default: the
    intercept-only fit) and, if it does not converge from there, from zero (see :func:`_logit`).
    """
    X = _matrix(x)
    y = np.asarray(y, dtype=float)
    w = np.ones(len(y)) if weights is None else np.asarray(weights, dtype=float)
    fitted = _logit(X, y, w, _intercept_only(x, y, w) if start is None else start)
    if fitted is None:
        return None
    beta, p, bread = fitted
    return _clustered(beta, bread, X.T * (w * (y - p)), groups, x.columns)


def logit_coefficients(y: np.ndarray, x: pd.DataFrame) -> np.ndarray | None:
    """The coefficients :func:`fit_logit` gives, without standard errors (for propensities); ``None`` if it fails."""
    y = np.asarray(y, dtype=float)
    w = np.ones(len(y))
    fitted = _logit(_matrix(x), y, w, _intercept_only(x, y, w), standard_errors=False)
    return None if fitted is None else fitted[0]


def _matrix(x: pd.DataFrame) -> np.ndarray:
    """The design as a column-major array: its transpose, a view, is row-major (fast Hessians and cluster sums)."""
    return np.asfortranarray(x.to_numpy(dtype=float))


def _intercept_only(x: pd.DataFrame, y: np.ndarray, w: np.ndarray) -> np.ndarray | None:
    """The intercept-only fit as a start for Newton (``None`` without a ``const`` column or an outcome that varies)."""
    if "const" not in x.columns:
        return None
    share = float(w @ y / w.sum()) if w.sum() > 0 else math.nan
    if not 0 < share < 1:
        return None
    start = np.zeros(x.shape[1])
    start[x.columns.get_loc("const")] = math.log(share / (1 - share))
    return start


def _logit(
    X: np.ndarray, y: np.ndarray, w: np.ndarray, start: np.ndarray | None, standard_errors: bool = True
) -> tuple | None:
    """Coefficients, fitted probabilities and inverse Hessian of the weighted logit; ``None`` if it fails.

    Newton from a start near the solution (``start``) reaches the same maximum in fewer steps; where it does not
    converge from there (a fit that diverges, e.g. under separation), it runs from zero, so such a fit gives what
    it always gave. Without ``standard_errors`` a converged fit skips the inverse Hessian (probabilities and
    inverse are ``None``); one that did not converge still fails where the Hessian cannot be inverted.
    """
    Xt = X.T
    beta = None
    if start is not None and np.isfinite(start).all():
        try:
            beta, converged = _newton(X, Xt, y, w, np.array(start, dtype=float))
        except np.linalg.LinAlgError:
            converged = False
        if not converged or not np.isfinite(beta).all():
            beta = None
    try:
        if beta is None:
            beta, converged = _newton(X, Xt, y, w, np.zeros(X.shape[1]))
        if not np.isfinite(beta).all():
            return None
        if converged and not standard_errors:
            return beta, None, None
        p = expit(X @ beta)
        bread = np.linalg.inv((Xt * (w * p * (1 - p))) @ X)
    except np.linalg.LinAlgError:
        return None
    return beta, p, bread


def _newton(X: np.ndarray, Xt: np.ndarray, y: np.ndarray, w: np.ndarray, beta: np.ndarray) -> tuple[np.ndarray, bool]:
    """At most 50 Newton-Raphson steps of the weighted logit from ``beta``, and whether the last was below 1e-7."""
    for _ in range(50):
        p = expit(X @ beta)
        gradient = Xt @ (w * (y - p))
        hessian = (Xt * (w * p * (1 - p))) @ X
        step = np.linalg.solve(hessian, gradient)
        beta += step
        if np.max(np.abs(step)) < 1e-7:
            return beta, True
    return beta, False


def fit_wls(y: np.ndarray, x: pd.DataFrame, groups: np.ndarray, weights: np.ndarray | None = None) -> Fit | None:
    """Weighted least squares with standard errors cluster-robust by ``groups`` (statsmodels' sandwich)."""
    X = _matrix(x)
    y = np.asarray(y, dtype=float)
    w = np.ones(len(y)) if weights is None else np.asarray(weights, dtype=float)
    try:
        bread = np.linalg.inv((X * w[:, None]).T @ X)
    except np.linalg.LinAlgError:
        return None
    beta = bread @ (X.T @ (w * y))
    return _clustered(beta, bread, X.T * (w * (y - X @ beta)), groups, x.columns)


def _clustered(beta: np.ndarray, bread: np.ndarray, scores: np.ndarray, groups: np.ndarray, index: pd.Index) -> Fit:
    """Coefficients with the cluster-robust sandwich, small-sample factor G/(G-1) x (N-1)/(N-K).

    ``scores`` is (coefficients, rows): each coefficient's scores contiguous, to sum them by cluster.
    """
    cluster, g = _cluster_codes(np.asarray(groups))
    # per-cluster sums of the scores, coefficient by coefficient (np.add.at on rows is many times slower)
    summed = np.column_stack([np.bincount(cluster, weights=column, minlength=g) for column in scores])
    k, n = scores.shape
    factor = g / max(g - 1, 1) * (n - 1) / max(n - k, 1)
    cov = factor * bread @ (summed.T @ summed) @ bread
    se = np.sqrt(np.maximum(np.diag(cov), 0))
    with np.errstate(divide="ignore", invalid="ignore"):
        pvalues = 2 * norm.sf(np.abs(beta / np.where(se > 0, se, np.nan)))
    return Fit(pd.Series(beta, index=index), pd.Series(se, index=index), pd.Series(pvalues, index=index))


def _cluster_codes(groups: np.ndarray) -> tuple[np.ndarray, int]:
    """Each row's cluster as 0 .. G-1 in the order of the sorted cluster ids, and G (as ``np.unique``)."""
    if groups.dtype.kind in "iu" and groups.size:
        low, high = int(groups.min()), int(groups.max())
        if high - low <= 4 * groups.size:  # ids in a narrow range: count them instead of sorting
            present = np.bincount(groups - low if low else groups, minlength=high - low + 1) > 0
            position = np.cumsum(present) - 1
            return position[groups - low if low else groups], int(present.sum())
    codes, cluster = np.unique(groups, return_inverse=True)
    return cluster, codes.size


def indicators(values: np.ndarray, prefix: str) -> dict[str, np.ndarray]:
    """Indicator columns of each value but the smallest, named ``prefix_value`` (as ``pd.get_dummies``)."""
    return {f"{prefix}_{level}": values == level for level in _levels(values)[1:]}


def _levels(values: np.ndarray) -> np.ndarray:
    """The distinct values in order (``np.unique``), by counting when they are integers in a narrow range."""
    if values.dtype.kind in "iu" and values.size:
        low, high = int(values.min()), int(values.max())
        if high - low <= values.size:
            return np.flatnonzero(np.bincount(values - low if low else values)) + low
    return np.unique(values)


def covariate_frame(columns: dict[str, np.ndarray]) -> pd.DataFrame:
    """Named covariate columns as one float frame, column-major: the fits read its values without a copy."""
    names = list(columns)
    n = len(next(iter(columns.values()))) if columns else 0
    matrix = np.empty((n, len(names)), order="F")
    for j, name in enumerate(names):
        matrix[:, j] = columns[name]
    return pd.DataFrame(matrix, columns=names, copy=False)


@dataclass(frozen=True)
class Landmark:
    """Who a landmark comparison compares: the cohort on social assistance at week ``week``, and who was exposed.

    ``rows`` are the cohort's rows in the panel and ``citizen_ids`` their ids; ``exposed[estimand]`` and
    ``known[estimand]`` are boolean over the cohort (``known`` is false where the exposure was not observed,
    e.g. an unanswered belief item). Recovery uses it to compute the true effect for the same citizens.
    """

    week: int
    rows: np.ndarray
    citizen_ids: np.ndarray
    exposed: dict[str, np.ndarray]
    known: dict[str, np.ndarray]

    def exposed_ids(self, estimand: str) -> np.ndarray:
        """Ids of the cohort's citizens observed as exposed to ``estimand`` before the landmark."""
        return self.citizen_ids[self.exposed[estimand] & self.known[estimand]]


class RegisterStudy:
    """The register analyses of one data set: person-week design, hazard models, landmark comparisons."""

    def __init__(
        self,
        panel: RegisterWeeks,
        waves: SurveyWaves | None,
        controls_per_event: int | None = CONTROLS_PER_EVENT,
        seed: int = SEED,
    ) -> None:
        self.panel = panel
        self.waves = waves
        self.rng = np.random.default_rng(seed)
        self.background = background(panel)
        self.exposures = exposures(panel, waves)
        self.controls_per_event = controls_per_event
        self._propensities: dict[str, tuple[np.ndarray, float] | None] = {}
        self._design()

    # --- the person-week design ------------------------------------------------------------------------------

    def _design(self) -> None:
        panel = self.panel
        at_risk = panel.on_assistance()[:, :-1]
        event = at_risk & panel.in_job()[:, 1:]
        self.at_risk, self.event = at_risk, event
        self.at_risk_weeks = int(at_risk.sum())
        self.events = int(event.sum())
        rows, weeks = np.nonzero(at_risk)
        is_event = event[rows, weeks]
        keep = np.ones(rows.size, dtype=bool)
        controls = ~is_event
        if self.controls_per_event is not None and controls.sum() > self.controls_per_event * max(self.events, 1):
            share = self.controls_per_event * max(self.events, 1) / controls.sum()
            keep = is_event | (self.rng.random(rows.size) < share)
        self.rows, self.weeks, self.y = rows[keep], weeks[keep], is_event[keep].astype(float)
        # an outcome-independent random sample of at-risk weeks, for propensities
        take = min(PROPENSITY_SAMPLE, rows.size)
        sample = np.sort(self.rng.choice(rows.size, take, replace=False)) if take else np.empty(0, dtype=int)
        self.p_rows, self.p_weeks = rows[sample], weeks[sample]
        self.cluster = panel.caseworker[self.rows, self.weeks]
        self.x_adjusted = self._covariates(self.rows, self.weeks)

    @cached_property
    def _background_columns(self) -> dict[str, np.ndarray]:
        """The background of every citizen as float arrays (panel order), and the jobcentre as integers."""
        columns = {c: self.background[c].to_numpy(dtype=float) for c in BACKGROUND}
        return columns | {"jobcentre": self.background["jobcentre"].to_numpy()}

    def _baseline_covariates(self, rows: np.ndarray) -> dict[str, np.ndarray]:
        """Background, register history (missing: the mean), jobcentre and first-wave answers of citizens ``rows``."""
        background = self._background_columns
        x = {c: background[c][rows] for c in BACKGROUND}
        for column in ("history_job_education", "history_support"):
            values = x[column]
            missing = np.isnan(values)
            x[column] = np.where(missing, values[~missing].mean() if not missing.all() else 0.0, values)
        x |= indicators(background["jobcentre"][rows], "jobcentre")
        if self.waves is not None:
            for name, values in (
                ("citizen_score_w0", self._composite["citizen"][:, 0]),
                ("caseworker_score_w0", self._composite["caseworker"][:, 0]),
                ("belief_w0", self.waves.belief[:, 0]),
            ):
                x[name], x[f"{name}_missing"] = filled(values[rows])
        return x

    def _covariates(self, rows: np.ndarray, weeks: np.ndarray) -> pd.DataFrame:
        """The adjusted hazard model's covariates for person-weeks (rows, weeks)."""
        panel = self.panel
        cell = rows * panel.weeks + weeks  # position in the flattened (citizens, weeks) matrices
        x = {"const": np.ones(rows.size)}
        for key, matrix in self.exposures.matrices.items():
            x[key] = matrix.ravel()[cell]
        x["caseworker_belief_missing"] = self.exposures.belief_missing.ravel()[cell]
        x["in_activity_now"] = panel.activity.ravel()[cell]
        x["job_ready"] = panel.code.ravel()[cell] == KH_JOB_READY
        if self.waves is not None:
            wave = self.waves.last_wave_of_week(panel.weeks)[weeks]  # the last wave's answers, carried forward
            for respondent in RESPONDENTS:
                carried = self.waves.carried_forward(self._composite[respondent])[rows, np.maximum(wave, 0)]
                score = np.where(wave >= 0, carried, np.nan)
                x[f"{respondent}_score"], x[f"{respondent}_score_missing"] = filled(score)
        background = self._background_columns
        for column in BACKGROUND:
            values = background[column][rows]
            x[column] = np.where(np.isnan(values), np.nanmean(values) if (~np.isnan(values)).any() else 0, values)
        x |= indicators(background["jobcentre"][rows], "jobcentre") | indicators(weeks // QUARTER, "quarter")
        return covariate_frame(x)

    @cached_property
    def _composite(self) -> dict[str, np.ndarray]:
        """Each respondent's mean readiness score by citizen and wave (:meth:`SurveyWaves.composite`), computed once."""
        return {respondent: self.waves.composite(respondent) for respondent in RESPONDENTS}

    # --- estimates -------------------------------------------------------------------------------------------

    def hazard_model(self):  # noqa: ANN201
        """The adjusted discrete-time hazard model (statsmodels results) or ``None``."""
        if not hasattr(self, "_hazard"):
            x = identified(self.x_adjusted)
            self._hazard = fit_logit(self.y, x, self.cluster) if self.events else None
        return self._hazard

    def published_associations(self) -> dict[str, float]:
        """Log hazard ratios of job entry in BIP's published specification (:data:`PUBLISHED_EXPOSURES`).

        The adjusted model of :meth:`hazard_model` with the support interventions pooled into one exposure,
        "other activation", as the study reported them. NaN where an exposure has no exposed weeks or the
        model cannot be fitted.
        """
        x = self.x_adjusted.copy()
        pooled = {}
        for name, keys in PUBLISHED_EXPOSURES.items():
            present = [k for k in keys if k in x]
            if present:
                pooled[name] = x[present].max(axis=1)
        x = x.drop(columns=[k for keys in PUBLISHED_EXPOSURES.values() for k in keys if k in x])
        for position, (name, values) in enumerate(pooled.items(), start=1):
            x.insert(position, name, values)
        result = fit_logit(self.y, identified(x), self.cluster) if self.events else None
        return {
            name: float(result.params[name]) if result is not None and name in result.params.index else math.nan
            for name in PUBLISHED_EXPOSURES
        }

    def hazard_table(self) -> pd.DataFrame:
        """Every coefficient of the adjusted hazard model: log hazard ratio, interval, p-value."""
        result = self.hazard_model()
        if result is None:
            return pd.DataFrame(columns=["term", "estimate", "se", "ci_low", "ci_high", "p_value", "hazard_ratio"])
        ci = result.conf_int()
        return pd.DataFrame(
            {
                "term": result.params.index,
                "estimate": result.params.to_numpy(),
                "se": result.bse.to_numpy(),
                "ci_low": ci[0].to_numpy(),
                "ci_high": ci[1].to_numpy(),
                "p_value": result.pvalues.to_numpy(),
                "hazard_ratio": np.exp(result.params.to_numpy()),
            }
        )

    def _exposure_note(self, estimand: str) -> str | None:
        """Why an exposure cannot be estimated in the hazard (no exposed weeks or no entries among them)."""
        exposed = self.x_adjusted[estimand].to_numpy() > 0 if estimand in self.x_adjusted else None
        if exposed is None or not exposed.any():
            return "no exposed person-weeks at risk"
        if not self.y[exposed].any():
            return "no job entries in exposed person-weeks (the estimate does not exist)"
        if not self.y[~exposed].any():
            return "no job entries in unexposed person-weeks"
        return None

    def exposed_counts(self, estimand: str) -> tuple[int, int]:
        """Citizens with an exposed week at risk of ``estimand``, and the job entries in exposed weeks at risk."""
        matrix = self.exposures.matrices[estimand][:, :-1]
        exposed_at_risk = matrix & self.at_risk
        return int(exposed_at_risk.any(axis=1).sum()), int((exposed_at_risk & self.event).sum())

    def _coefficient(self, result, estimand: str, method: str, note: str, counts: tuple[int, int]) -> dict[str, object]:  # noqa: ANN001
        n = int(self.y.size)
        exposed, events = counts
        if result is None or estimand not in result.params.index:
            return not_estimable(
                estimand, "job_entry", method, "log_hazard_ratio", "model could not be fitted", n, exposed, events
            )
        return row(
            estimand,
            "job_entry",
            method,
            "log_hazard_ratio",
            result.params[estimand],
            result.bse[estimand],
            n,
            note,
            p_value=float(result.pvalues[estimand]),
            exposed=exposed,
            events=events,
        )

    def hazard_rows(self) -> list[dict[str, object]]:
        """Adjusted, naive and (activities) propensity-weighted log hazard ratios of job entry."""
        sampled = (
            f"{self.events} job entries, {self.y.size - self.events} of {self.at_risk_weeks - self.events} "
            "non-entry weeks sampled"
        )
        weighting = {
            "register_ipw": "inverse propensity weights towards everyone (stabilised), pre-study covariates",
            "register_ipw_att": "inverse propensity weights towards the exposed (odds), pre-study covariates",
        }
        rows = []
        for estimand in self.exposures.matrices:
            counts = self.exposed_counts(estimand)
            problem = too_thin(*counts) or self._exposure_note(estimand)
            methods = ["register_hazard", "register_naive"] + (list(weighting) if estimand in INTERVENTION_KEYS else [])
            if problem is not None:
                rows += [
                    not_estimable(estimand, "job_entry", m, "log_hazard_ratio", problem, int(self.y.size), *counts)
                    for m in methods
                ]
                continue
            rows.append(
                self._coefficient(self.hazard_model(), estimand, "register_hazard", f"adjusted; {sampled}", counts)
            )
            crude = self.x_adjusted[["const", estimand]]
            exposed = crude[estimand].to_numpy() > 0
            start = _exposure_alone(self.y, exposed, None)
            rows.append(
                self._coefficient(
                    fit_logit(self.y, crude, self.cluster, start=start),
                    estimand,
                    "register_naive",
                    "exposure alone",
                    counts,
                )
            )
            for method, note in weighting.items():
                if method not in methods:
                    continue
                weights = self._ipw_weights(estimand, towards_exposed=method == "register_ipw_att")
                result = None
                if weights is not None:
                    start = _exposure_alone(self.y, exposed, weights)
                    result = fit_logit(self.y, crude, self.cluster, weights, start=start)
                rows.append(self._coefficient(result, estimand, method, note, counts))
        if "caseworker_belief" not in self.exposures.matrices:
            rows += [
                not_estimable("caseworker_belief", "job_entry", m, "log_hazard_ratio", "no survey: belief not observed")
                for m in ("register_hazard", "register_naive")
            ]
        for method in ("register_hazard", "register_naive"):
            rows.append(not_estimable("waiting", "job_entry", method, "log_hazard_ratio", WAITING_NOTE))
            rows.append(not_estimable("business_cycle", "job_entry", method, "log_hazard_ratio", CYCLE_NOTE))
            rows += [not_estimable(e, "job_entry", method, "log_hazard_ratio", n) for e, n in NOT_OBSERVED.items()]
        return rows

    def _propensity_x(self, rows: np.ndarray, weeks: np.ndarray) -> pd.DataFrame:
        # time as a quadratic, not quarter dummies: a 26-week activity cannot be completed in the first
        # quarters, and dummies would separate perfectly
        year = weeks / YEAR
        return covariate_frame(
            {"const": np.ones(rows.size)} | self._baseline_covariates(rows) | {"year": year, "year_squared": year**2}
        )

    @cached_property
    def _propensity_design(self) -> tuple[pd.DataFrame, np.ndarray]:
        """Propensity covariates of the propensity sample (identified), and of the hazard's person-weeks.

        Shared by the exposures; the person-weeks have the sample's columns (a jobcentre absent there is dropped).
        """
        sample_x = identified(self._propensity_x(self.p_rows, self.p_weeks))
        design_x = self._propensity_x(self.rows, self.weeks).reindex(columns=sample_x.columns, fill_value=0.0)
        return sample_x, design_x.to_numpy()

    def _propensity(self, estimand: str) -> tuple[np.ndarray, float] | None:
        """Propensities of ``estimand`` for the hazard's person-weeks and the share exposed in the propensity sample.

        Fitted once per exposure (both weightings use them); ``None`` when the exposure does not vary in the
        sample or the model cannot be fitted.
        """
        if estimand not in self._propensities:
            a_fit = self.exposures.matrices[estimand][self.p_rows, self.p_weeks].astype(float)
            fitted = None
            if a_fit.min() != a_fit.max():
                sample_x, design_x = self._propensity_design
                beta = logit_coefficients(a_fit, sample_x)
                if beta is not None:
                    fitted = np.clip(expit(design_x @ beta), 1e-4, 1 - 1e-4), float(a_fit.mean())
            self._propensities[estimand] = fitted
        return self._propensities[estimand]

    def _ipw_weights(self, estimand: str, towards_exposed: bool = False) -> np.ndarray | None:
        """Truncated inverse propensity weights of the sampled person-weeks for ``estimand``.

        Towards everyone: stabilised weights, exposed ``m / p`` and unexposed ``(1 - m) / (1 - p)`` (``m`` the share
        exposed). Towards the exposed: exposed 1, unexposed their propensity odds ``p / (1 - p)``, scaled by
        ``(1 - m) / m`` so both groups keep their weight.
        """
        fitted = self._propensity(estimand)
        if fitted is None:
            return None
        p, marginal = fitted
        return propensity_weights(
            self.exposures.matrices[estimand][self.rows, self.weeks], p, marginal, towards_exposed
        )

    # --- landmark: person-level outcomes -----------------------------------------------------------------------

    def landmark(self) -> Landmark | None:
        """Who the landmark comparisons compare (``None`` when the register ends before the landmark week)."""
        return self._landmark

    @cached_property
    def _landmark(self) -> Landmark | None:
        panel = self.panel
        if panel.weeks <= LANDMARK:
            return None
        cohort = np.flatnonzero(panel.on_assistance()[:, LANDMARK])
        everyone = np.ones(cohort.size, dtype=bool)
        exposed = {"caseworker_change": panel.caseworker_changed()[cohort, : LANDMARK + 1].any(axis=1)}
        known = {"caseworker_change": everyone}
        if "caseworker_belief" in self.exposures.matrices:
            exposed["caseworker_belief"] = self.exposures.matrices["caseworker_belief"][cohort, LANDMARK]
            known["caseworker_belief"] = ~self.exposures.belief_missing[cohort, LANDMARK]
        for k, key in enumerate(INTERVENTION_KEYS):
            exposed[key] = panel.completed_spells(k)[cohort, :LANDMARK].any(axis=1)
            known[key] = everyone
        return Landmark(LANDMARK, cohort, panel.citizen_ids[cohort], exposed, known)

    def landmark_rows(self) -> list[dict[str, object]]:
        """Naive and weighted differences in ``job_1y`` and ``self_sufficiency_2y`` by exposure before the landmark."""
        panel = self.panel
        rows: list[dict[str, object]] = []
        outcomes = {"job_1y": (YEAR, "risk_difference"), "self_sufficiency_2y": (2 * YEAR, "mean_difference")}
        design = self.landmark()
        if design is None:
            return rows
        cohort = design.rows
        values = {}
        for outcome, (span, _scale) in outcomes.items():
            if panel.weeks < LANDMARK + 1 + span:
                values[outcome] = None
                continue
            window = slice(LANDMARK + 1, LANDMARK + 1 + span)
            if outcome == "job_1y":
                values[outcome] = (panel.code[cohort, window] == JOB).any(axis=1).astype(float)
            else:
                present = panel.code[cohort, window] != OUT
                supporting = panel.self_supporting[cohort, window] & present
                values[outcome] = supporting.sum(axis=1) / np.maximum(present.sum(axis=1), 1)
        groups = panel.caseworker[cohort, LANDMARK]
        x_base = identified(covariate_frame({"const": np.ones(cohort.size)} | self._baseline_covariates(cohort)))
        methods = ("register_naive", "register_ipw", "register_ipw_att")
        label = f"landmark week {LANDMARK}: on social assistance then; outcome over the next"
        propensities: dict[str, np.ndarray | None] = {}  # fitted when an estimate first needs them
        for estimand, a in design.exposed.items():
            use = design.known[estimand]
            exposed = a[use]
            varies = exposed.size > 0 and exposed.min() != exposed.max()  # no one known: e.g. no caseworker asked
            for outcome, (span, scale) in outcomes.items():
                y = values[outcome]
                if y is None:
                    rows += [
                        not_estimable(estimand, outcome, m, scale, f"register shorter than {LANDMARK + 1 + span} weeks")
                        for m in methods
                    ]
                    continue
                counts = (int(exposed.sum()), int((y[use][exposed] > 0).sum()))
                problem = too_thin(*counts)
                if problem is None and exposed.min() == exposed.max():
                    problem = "nobody (or everybody) exposed"
                if problem is not None:
                    rows += [
                        not_estimable(estimand, outcome, m, scale, problem, int(use.sum()), *counts) for m in methods
                    ]
                    continue
                for method in methods:
                    weights = None
                    if method != "register_naive":
                        if estimand not in propensities:
                            propensities[estimand] = _person_propensity(exposed, x_base[use]) if varies else None
                        propensity = propensities[estimand]
                        if propensity is None:
                            rows.append(
                                not_estimable(
                                    estimand,
                                    outcome,
                                    method,
                                    scale,
                                    "propensity model could not be fitted",
                                    int(use.sum()),
                                    *counts,
                                )
                            )
                            continue
                        weights = _truncated(
                            propensity_weights(exposed, propensity, exposed.mean(), method == "register_ipw_att")
                        )
                    x = covariate_frame({"const": np.ones(exposed.size), estimand: exposed})
                    result = fit_wls(y[use], x, groups[use], weights)
                    if result is None:
                        rows.append(
                            not_estimable(
                                estimand, outcome, method, scale, "model could not be fitted", int(use.sum()), *counts
                            )
                        )
                        continue
                    rows.append(
                        row(
                            estimand,
                            outcome,
                            method,
                            scale,
                            result.params[estimand],
                            result.bse[estimand],
                            int(use.sum()),
                            f"{label} {span} weeks",
                            p_value=float(result.pvalues[estimand]),
                            exposed=counts[0],
                            events=counts[1],
                        )
                    )
        return rows

    # --- descriptive tables -------------------------------------------------------------------------------------

    def baseline_comparison(self) -> pd.DataFrame:
        """Those who got an ordinary job during the study against those who did not, at baseline."""
        panel = self.panel
        got_job = panel.in_job()[:, 1:].any(axis=1)
        frame = self.background[list(BACKGROUND)].copy()
        if self.waves is not None:
            frame["citizen_score_w0"] = self.waves.composite("citizen")[:, 0]
            frame["caseworker_score_w0"] = self.waves.composite("caseworker")[:, 0]
            frame["belief_high_w0"] = np.where(
                np.isnan(self.waves.belief[:, 0]), np.nan, self.waves.belief[:, 0] >= BELIEF_HIGH
            )
        frame["age"] = frame.pop("age10") * 10
        frame["group"] = np.where(got_job, "got a job", "no job")
        long = frame.melt(id_vars="group", var_name="variable")
        out = long.groupby(["variable", "group"])["value"].agg(["mean", "std", "count"]).reset_index()
        return out.rename(columns={"count": "n"})

    def self_sufficiency(self) -> pd.DataFrame:
        """Self-sufficiency degree per quarter of the study, by the caseworker's belief at the first wave."""
        panel = self.panel
        group = np.full(panel.citizen_ids.size, "belief not answered", dtype=object)
        if self.waves is not None:
            belief = self.waves.belief[:, 0]
            group[belief >= BELIEF_HIGH] = "caseworker believes (4-5)"
            group[belief < BELIEF_HIGH] = "caseworker doubts (1-3)"
        present = panel.code != OUT
        supporting = panel.self_supporting & present
        quarters = panel.weeks // QUARTER
        rows = []
        for q in range(quarters):
            cols = slice(q * QUARTER, (q + 1) * QUARTER)
            weeks_in = present[:, cols].sum(axis=1)
            share = supporting[:, cols].sum(axis=1) / np.maximum(weeks_in, 1)
            for g in ("all", *np.unique(group)):
                chosen = (weeks_in > 0) & ((group == g) if g != "all" else True)
                rows.append(
                    {
                        "quarter": q,
                        "week": q * QUARTER,
                        "group": g,
                        "self_sufficiency": float(share[chosen].mean()) if chosen.any() else math.nan,
                        "n": int(chosen.sum()),
                    }
                )
        return pd.DataFrame(rows)

    def flows(self) -> pd.DataFrame:
        """Share of the cohort in each benefit code, every fourth week."""
        panel = self.panel
        rows = []
        for week in range(0, panel.weeks, 4):
            counts = np.bincount(panel.code[:, week][panel.code[:, week] >= 0], minlength=len(BENEFIT_KEYS))
            for code, key in enumerate(BENEFIT_KEYS):
                rows.append({"week": week, "benefit_code": key, "share": counts[code] / max(panel.citizen_ids.size, 1)})
        return pd.DataFrame(rows)


def filled(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Missing values filled with the mean, and the missing flag."""
    values = np.asarray(values, dtype=float)
    missing = np.isnan(values)
    fill = float(np.nanmean(values)) if (~missing).any() else 0.0
    return np.where(missing, fill, values), missing.astype(float)


def propensity_weights(a: np.ndarray, p: np.ndarray, marginal: float, towards_exposed: bool) -> np.ndarray:
    """Inverse propensity weights for exposure ``a`` with propensities ``p``, truncated at the 1st and 99th percentile.

    Towards everyone (the average effect): exposed ``m / p``, unexposed ``(1 - m) / (1 - p)`` with ``m`` the
    share exposed. Towards the exposed (the effect on the exposed): exposed 1, unexposed ``p / (1 - p)`` times
    ``(1 - m) / m``.
    """
    a = np.asarray(a, dtype=bool)
    if towards_exposed:
        weights = np.where(a, 1.0, p / (1 - p) * (1 - marginal) / max(marginal, 1e-12))
    else:
        weights = np.where(a, marginal / p, (1 - marginal) / (1 - p))
    return _truncated(weights)


def _truncated(weights: np.ndarray) -> np.ndarray:
    low, high = np.quantile(weights, [0.01, 0.99])
    return np.clip(weights, low, high)


def _person_propensity(a: np.ndarray, x: pd.DataFrame) -> np.ndarray | None:
    """Propensities of a person-level binary exposure from a logit on ``x`` (``None`` when it cannot be fitted)."""
    x = identified(x.reset_index(drop=True))
    beta = logit_coefficients(a.astype(float), x)
    if beta is None:
        return None
    return np.clip(expit(x.to_numpy() @ beta), 1e-3, 1 - 1e-3)


def _exposure_alone(y: np.ndarray, exposed: np.ndarray, weights: np.ndarray | None) -> np.ndarray | None:
    """The (weighted) logit of ``y`` on a constant and a binary exposure in closed form, as a start for Newton.

    The model is saturated, so its fit is the log odds of the unexposed and the log odds ratio of the (weighted)
    shares; ``None`` where a share is 0 or 1.
    """
    group = exposed.astype(np.intp)
    totals = np.bincount(group, weights=weights, minlength=2)
    events = np.bincount(group, weights=y if weights is None else weights * y, minlength=2)
    shares = [events[k] / totals[k] if totals[k] > 0 else math.nan for k in (0, 1)]
    if not all(0 < share < 1 for share in shares):
        return None
    unexposed, exposed_log_odds = (math.log(share / (1 - share)) for share in shares)
    return np.array([unexposed, exposed_log_odds - unexposed])
