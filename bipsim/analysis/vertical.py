"""Survey-based progression measurement (the vertical lens): readiness indicators as mechanisms.

WHAT IT DOES. From the quarterly survey (linked to the register by citizen and week):

- indicator trajectories by wave, respondent and group (got an ordinary job during the study or not), and
  the change of each indicator over a year (wave 0 to wave 4, citizens answering both);
- which indicators predict job entry: for every person-wave on social assistance whose following 52
  weeks are in the register, the area under the ROC curve (AUC) of each single indicator for "a job
  within a year", and of logit models on sets of predictors: register history and background,
  forward-looking indicators (job search, labour-market knowledge, goal-directedness, work belief, the
  caseworker's belief), all indicators, and register plus indicators (BIP: forward-looking indicators
  predict better than register history). AUCs are in-sample (few predictors, thousands of rows);
- citizen-caseworker agreement per indicator at the same wave: quadratic-weighted kappa, exact agreement
  and the mean difference (caseworker minus citizen);
- attrition: who is measured at each wave, and where those not measured are in the register.

ESTIMATES (method ``survey_progression``, outcome ``citizen_readiness``, scale ``mean_difference``): the
quarterly change of the citizen's mean score over their readiness items between consecutive waves, for
citizens answering both, regressed on the exposure in the quarter between them and the wave (a change score),
cluster-robust by citizen. The earlier score is not adjusted for: it is measured with error, and exposures go
to those the caseworker sees as readier (or weaker) than their answers say, so a regression on the earlier
score shows the answers' regression to the mean as an effect (under the ``placebo`` scenario it "detected"
the belief in every replication). Exposures as in :mod:`bipsim.analysis.estimates`, in the quarter: a
caseworker change; a completed spell of the activity; the caseworker's belief (4-5 vs 1-3) at the earlier wave;
waiting as reported in the interview held at the later wave (the interview sample only: the survey cannot see
waiting, the interviews can, and linking them is mixed methods). :attr:`ProgressionStudy.quarters` says whom
these compare (recovery computes the truth for the same person-quarters).

MEDIATION (method ``survey_mediation``, outcome ``job_1y``, scale ``risk_difference``): readiness as the
mechanism between an activity and a job. For person-quarters whose later wave falls in the first six quarters
(``MEDIATION_WEEKS``), on social assistance then and with a year of register after it, the activity's effect on
the quarter's change of the citizen's mean score (path a, the change score above) times the effect of that
change on a job within 52 weeks after the later wave, given the activity, the earlier score, background and
wave (path b, a linear probability model): the natural indirect effect by the product of coefficients, with
Sobel's delta-method standard error, cluster-robust by citizen. It assumes the survey measures the readiness
that carries the effect, and nothing else moves both.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from bipsim.analysis.estimates import not_estimable, row, too_thin
from bipsim.analysis.horizontal import (
    BACKGROUND,
    YEAR,
    covariate_frame,
    filled,
    fit_logit,
    fit_wls,
    identified,
    indicators,
)
from bipsim.analysis.measures import BELIEF_HIGH, FORWARD_LOOKING, RESPONDENTS, SurveyWaves
from bipsim.analysis.measures import background as measured_background
from bipsim.analysis.register_weeks import RegisterWeeks
from bipsim.contract.codes import BENEFIT_KEYS
from bipsim.contract.estimands import ESTIMAND_KEYS, NOT_OBSERVED
from bipsim.contract.vocabulary import INDICATOR_KEYS, INDICATORS, INTERVENTION_KEYS

OUTCOME = "citizen_readiness"
METHOD = "survey_progression"
MEDIATION = "survey_mediation"
MEDIATION_WEEKS = 78
"""The mediation uses quarters whose later wave falls in the first 78 weeks (six quarters), each followed for a year."""


def auc(score: np.ndarray, outcome: np.ndarray) -> float:
    """Area under the ROC curve (Mann-Whitney, ties counted half); NaN without both outcomes."""
    score, outcome = np.asarray(score, dtype=float), np.asarray(outcome, dtype=bool)
    positives, negatives = outcome.sum(), (~outcome).sum()
    if positives == 0 or negatives == 0:
        return math.nan
    ranks = pd.Series(score).rank().to_numpy()
    return float((ranks[outcome].sum() - positives * (positives + 1) / 2) / (positives * negatives))


def weighted_kappa(a: np.ndarray, b: np.ndarray, categories: int = 5) -> float:
    """Quadratic-weighted Cohen's kappa of two ratings on 1..``categories``."""
    a, b = np.asarray(a, dtype=int) - 1, np.asarray(b, dtype=int) - 1
    if a.size == 0:
        return math.nan
    observed = np.zeros((categories, categories))
    np.add.at(observed, (a, b), 1)
    observed /= a.size
    expected = np.outer(observed.sum(axis=1), observed.sum(axis=0))
    i, j = np.indices((categories, categories))
    weight = (i - j) ** 2 / (categories - 1) ** 2
    denominator = (weight * expected).sum()
    return float(1 - (weight * observed).sum() / denominator) if denominator > 0 else math.nan


class ProgressionStudy:
    """The survey analyses of one data set."""

    def __init__(
        self,
        panel: RegisterWeeks,
        waves: SurveyWaves,
        interviews: pd.DataFrame | None = None,
        background: pd.DataFrame | None = None,
    ) -> None:
        """``background`` is :func:`~bipsim.analysis.measures.background` of ``panel`` when already computed."""
        self.panel = panel
        self.waves = waves
        self.interviews = interviews
        self.background = background if background is not None else measured_background(panel)
        self.got_job = panel.in_job()[:, 1:].any(axis=1)

    def trajectories(self) -> pd.DataFrame:
        """Mean score per wave, indicator, respondent and group (got a job during the study or not)."""
        scores = self.waves.scores
        rows = []
        for group, chosen in (("got a job", self.got_job), ("no job", ~self.got_job)):
            values = scores[chosen]
            counts = (~np.isnan(values)).sum(axis=0)
            means = np.where(counts > 0, np.nansum(values, axis=0) / np.maximum(counts, 1), np.nan)
            for w, week in enumerate(self.waves.wave_weeks):
                for k, key in enumerate(INDICATOR_KEYS):
                    for r, respondent in enumerate(RESPONDENTS):
                        if counts[w, k, r]:
                            rows.append(
                                {
                                    "wave": w,
                                    "week": int(week),
                                    "indicator": key,
                                    "respondent": respondent,
                                    "group": group,
                                    "mean": float(means[w, k, r]),
                                    "n": int(counts[w, k, r]),
                                }
                            )
        return pd.DataFrame(rows, columns=["wave", "week", "indicator", "respondent", "group", "mean", "n"])

    def change(self, later: int = 4) -> pd.DataFrame:
        """Mean within-citizen change of each indicator from wave 0 to wave ``later`` (a year), with its SE."""
        scores = self.waves.scores
        rows = []
        if scores.shape[1] <= later:
            return pd.DataFrame(columns=["indicator", "respondent", "mean_change", "se", "n"])
        for k, key in enumerate(INDICATOR_KEYS):
            for r, respondent in enumerate(RESPONDENTS):
                diff = scores[:, later, k, r] - scores[:, 0, k, r]
                diff = diff[~np.isnan(diff)]
                if diff.size > 1:
                    rows.append(
                        {
                            "indicator": key,
                            "respondent": respondent,
                            "mean_change": float(diff.mean()),
                            "se": float(diff.std(ddof=1) / math.sqrt(diff.size)),
                            "n": int(diff.size),
                        }
                    )
        return pd.DataFrame(rows, columns=["indicator", "respondent", "mean_change", "se", "n"])

    def _person_waves(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(rows, wave indices, job within a year) of person-waves on social assistance with a full year after."""
        panel = self.panel
        assistance = panel.on_assistance()
        rows, wave_index = [], []
        for w, week in enumerate(self.waves.wave_weeks):
            if week + YEAR >= panel.weeks:
                continue
            at = np.flatnonzero(assistance[:, week])
            rows.append(at)
            wave_index.append(np.full(at.size, w))
        if not rows:
            return np.empty(0, int), np.empty(0, int), np.empty(0, bool)
        rows_, waves_ = np.concatenate(rows), np.concatenate(wave_index)
        in_job = panel.in_job()
        cumulative = np.concatenate([np.zeros((in_job.shape[0], 1), int), np.cumsum(in_job, axis=1)], axis=1)
        start = self.waves.wave_weeks[waves_] + 1
        job = (cumulative[rows_, start + YEAR] - cumulative[rows_, start]) > 0
        return rows_, waves_, job

    def prediction(self) -> pd.DataFrame:
        """AUC of single indicators and of predictor sets for a job within a year after a wave."""
        rows_, waves_, job = self._person_waves()
        columns = ["predictors", "kind", "respondent", "auc", "n", "jobs"]
        if job.size == 0 or job.all() or not job.any():
            return pd.DataFrame(columns=columns)
        out = []
        scores = self.waves.scores[rows_, waves_]
        for k, indicator in enumerate(INDICATORS):
            for r, respondent in enumerate(RESPONDENTS):
                values = scores[:, k, r]
                answered = ~np.isnan(values)
                if answered.sum() > 10:
                    kind = "forward-looking" if indicator.key in FORWARD_LOOKING else "resources"
                    out.append(
                        {
                            "predictors": indicator.key,
                            "kind": f"single indicator ({kind})",
                            "respondent": respondent,
                            "auc": auc(values[answered], job[answered]),
                            "n": int(answered.sum()),
                            "jobs": int(job[answered].sum()),
                        }
                    )
        bg = self.background.iloc[rows_]
        history = pd.DataFrame({c: filled(bg[c].to_numpy(dtype=float))[0] for c in BACKGROUND})

        def indicator_columns(keys: tuple[str, ...]) -> pd.DataFrame:
            frame = {}
            for key in keys:
                k = INDICATOR_KEYS.index(key)
                for r, respondent in enumerate(RESPONDENTS):
                    values = scores[:, k, r]
                    if (~np.isnan(values)).any():
                        frame[f"{key}_{respondent}"], frame[f"{key}_{respondent}_missing"] = filled(values)
            return pd.DataFrame(frame)

        sets = {
            "register history and background": history,
            "forward-looking indicators": indicator_columns(FORWARD_LOOKING),
            "all indicators": indicator_columns(INDICATOR_KEYS),
            "register and all indicators": pd.concat([history, indicator_columns(INDICATOR_KEYS)], axis=1),
        }
        for name, x in sets.items():
            x = identified(pd.concat([pd.DataFrame({"const": np.ones(job.size)}), x], axis=1))
            fitted = fit_logit(job.astype(float), x, np.zeros(job.size))
            score = x.to_numpy() @ fitted.params.to_numpy() if fitted is not None else np.full(job.size, np.nan)
            out.append(
                {
                    "predictors": name,
                    "kind": "model (logit, in-sample)",
                    "respondent": "both" if "indicators" in name else "register",
                    "auc": auc(score, job) if fitted is not None else math.nan,
                    "n": int(job.size),
                    "jobs": int(job.sum()),
                }
            )
        return pd.DataFrame(out, columns=columns)

    def agreement(self) -> pd.DataFrame:
        """Citizen-caseworker agreement per indicator at the same wave."""
        scores = self.waves.scores
        out = []
        for k, key in enumerate(INDICATOR_KEYS):
            citizen, caseworker = scores[:, :, k, 0].ravel(), scores[:, :, k, 1].ravel()
            both = ~np.isnan(citizen) & ~np.isnan(caseworker)
            if both.sum() < 2:
                continue
            c, w = citizen[both], caseworker[both]
            diff = w - c
            out.append(
                {
                    "indicator": key,
                    "weighted_kappa": weighted_kappa(c, w),
                    "exact_agreement": float((c == w).mean()),
                    "mean_difference": float(diff.mean()),
                    "se": float(diff.std(ddof=1) / math.sqrt(diff.size)),
                    "n": int(both.sum()),
                }
            )
        return pd.DataFrame(
            out, columns=["indicator", "weighted_kappa", "exact_agreement", "mean_difference", "se", "n"]
        )

    def attrition(self) -> pd.DataFrame:
        """Per wave: citizens answering, caseworkers answering, and where the unmeasured are in the register."""
        panel = self.panel
        answered = ~np.isnan(self.waves.scores).all(axis=2)  # (citizens, waves, respondents)
        out = []
        for w, week in enumerate(self.waves.wave_weeks):
            if week >= panel.weeks:
                continue
            record = {
                "wave": w,
                "week": int(week),
                "cohort": int(panel.citizen_ids.size),
                "citizen_answered": int(answered[:, w, 0].sum()),
                "caseworker_answered": int(answered[:, w, 1].sum()),
            }
            record["share_citizen_answered"] = record["citizen_answered"] / max(record["cohort"], 1)
            codes = panel.code[~answered[:, w, 0], week]
            for code, key in enumerate(BENEFIT_KEYS):
                record[f"not_measured_{key}"] = int((codes == code).sum())
            out.append(record)
        return pd.DataFrame(out)

    # --- estimates -----------------------------------------------------------------------------------------

    @cached_property
    def quarters(self) -> Quarters | None:
        """Person-quarters between consecutive waves the citizen answered, with each exposure in the quarter."""
        panel, waves = self.panel, self.waves
        composite = waves.composite("citizen")
        weeks = waves.wave_weeks
        pairs = [(j - 1, j) for j in range(1, weeks.size) if weeks[j] < panel.weeks]
        if not pairs:
            return None
        changed = panel.caseworker_changed()
        ends = {key: panel.completed_spells(k) for k, key in enumerate(INTERVENTION_KEYS)}
        waiting = self._interview_waiting()
        told_citizen, told_week, told_value = (
            np.array([key[0] for key in waiting], dtype=np.int64),
            np.array([key[1] for key in waiting], dtype=np.int64),
            np.array(list(waiting.values()), dtype=int),
        )
        parts: dict[str, list[np.ndarray]] = {}

        def add(name: str, values: np.ndarray) -> None:
            parts.setdefault(name, []).append(values)

        for a, b in pairs:
            rows_ = np.flatnonzero(~np.isnan(composite[:, a]) & ~np.isnan(composite[:, b]))
            start, end = int(weeks[a]), int(weeks[b])
            add("rows", rows_)
            add("earlier", np.full(rows_.size, a))
            add("before", composite[rows_, a])
            add("after", composite[rows_, b])
            # events in weeks start+1 .. end (the quarter between the two waves)
            add("caseworker_change", changed[rows_, start + 1 : end + 1].any(axis=1))
            add("caseworker_belief", waves.belief[rows_, a] >= BELIEF_HIGH)
            add("caseworker_belief_known", ~np.isnan(waves.belief[rows_, a]))
            for key, spell_ends in ends.items():
                add(key, spell_ends[rows_, start:end].any(axis=1))  # spells ending in weeks start .. end-1
            told = self._told_at(told_citizen[told_week == end], told_value[told_week == end])[rows_]
            add("waiting", told > 0)
            add("waiting_known", told >= 0)
        joined = {name: np.concatenate(values) for name, values in parts.items()}
        rows_ = joined["rows"]
        exposed = {
            key: joined[key] for key in ("caseworker_change", "caseworker_belief", "waiting", *INTERVENTION_KEYS)
        }
        known = {key: np.ones(rows_.size, dtype=bool) for key in exposed}
        known |= {key: joined[f"{key}_known"] for key in ("caseworker_belief", "waiting")}
        earlier = joined["earlier"]
        return Quarters(
            rows=rows_,
            citizen_ids=panel.citizen_ids[rows_],
            earlier=earlier,
            start_week=weeks[earlier].astype(int),
            end_week=weeks[earlier + 1].astype(int),
            before=joined["before"],
            after=joined["after"],
            exposed=exposed,
            known=known,
        )

    def progression_rows(self) -> list[dict[str, object]]:
        """Change in the citizen's mean score over a quarter after each exposure (change score, see module doc)."""
        quarters = self.quarters
        if quarters is None:
            return [
                not_estimable(e, OUTCOME, METHOD, "mean_difference", "fewer than two survey waves")
                for e in ESTIMAND_KEYS
            ]
        change = quarters.after - quarters.before
        waves = indicators(quarters.earlier, "wave")
        out = []
        for estimand in ESTIMAND_KEYS:
            if estimand == "business_cycle":
                out.append(
                    not_estimable(estimand, OUTCOME, METHOD, "mean_difference", "no observed measure of labour demand")
                )
                continue
            if estimand in NOT_OBSERVED:
                out.append(not_estimable(estimand, OUTCOME, METHOD, "mean_difference", NOT_OBSERVED[estimand]))
                continue
            use = quarters.known[estimand]
            note = "quarterly change of the citizen's mean score, exposed against unexposed quarters and wave"
            if estimand == "waiting":
                note += "; exposure from the interview at the later wave (interview sample only)"
            exposure = quarters.exposed[estimand][use]
            counts = (int(np.unique(quarters.rows[use][exposure]).size), int(exposure.sum()))
            problem = too_thin(*counts)
            if problem is None and exposure.all():
                problem = "everybody exposed"
            if problem is not None:
                out.append(
                    not_estimable(estimand, OUTCOME, METHOD, "mean_difference", problem, int(use.sum()), *counts)
                )
                continue
            x = identified(
                covariate_frame(
                    {"const": np.ones(exposure.size), estimand: exposure} | {k: v[use] for k, v in waves.items()}
                )
            )
            result = fit_wls(change[use], x, quarters.rows[use])
            if result is None or estimand not in result.params.index:
                out.append(
                    not_estimable(
                        estimand,
                        OUTCOME,
                        METHOD,
                        "mean_difference",
                        "model could not be fitted",
                        int(use.sum()),
                        *counts,
                    )
                )
                continue
            out.append(
                row(
                    estimand,
                    OUTCOME,
                    METHOD,
                    "mean_difference",
                    result.params[estimand],
                    result.bse[estimand],
                    int(use.sum()),
                    note + f"; {counts[1]} exposed quarters",
                    p_value=float(result.pvalues[estimand]),
                    exposed=counts[0],
                    events=counts[1],
                )
            )
        return out

    def mediation_sample(self, quarters: Quarters) -> np.ndarray:
        """Person-quarters of the mediation: later wave in the first six quarters, on assistance then, a year after."""
        panel = self.panel
        end = quarters.end_week
        followed = (end + YEAR < panel.weeks) & (end <= MEDIATION_WEEKS)
        at_risk = panel.on_assistance()[quarters.rows, np.minimum(end, panel.weeks - 1)]
        return followed & at_risk

    def mediation_rows(self) -> list[dict[str, object]]:
        """The activity's effect on a job within a year through the quarter's readiness change (see module doc)."""
        quarters = self.quarters
        if quarters is None:
            return [
                not_estimable(e, "job_1y", MEDIATION, "risk_difference", "fewer than two survey waves")
                for e in INTERVENTION_KEYS
            ]
        panel = self.panel
        sample = self.mediation_sample(quarters)
        rows_, end = quarters.rows[sample], quarters.end_week[sample]
        in_job = panel.in_job()
        job = np.zeros(rows_.size, dtype=bool)
        for week in np.unique(end):  # a job in the 52 weeks after the later wave
            at = end == week
            job[at] = in_job[rows_[at], week + 1 : min(week + 1 + YEAR, panel.weeks)].any(axis=1)
        change = (quarters.after - quarters.before)[sample]
        waves = indicators(quarters.earlier[sample], "wave")
        bg = self.background.iloc[rows_]
        covariates = {c: filled(bg[c].to_numpy(dtype=float))[0] for c in BACKGROUND}
        covariates["before"] = quarters.before[sample]
        out = []
        note = "change of the citizen's mean score over the quarter x its effect on a job within 52 weeks after"
        for estimand in INTERVENTION_KEYS:
            exposure = quarters.exposed[estimand][sample]
            counts = (int(np.unique(rows_[exposure]).size), int(job[exposure].sum()))
            problem = too_thin(*counts) or ("everybody exposed" if exposure.all() else None)
            if problem is not None:
                out.append(
                    not_estimable(estimand, "job_1y", MEDIATION, "risk_difference", problem, int(sample.sum()), *counts)
                )
                continue
            a = {"const": np.ones(exposure.size), estimand: exposure}
            path_a = fit_wls(change, identified(covariate_frame(a | waves)), rows_)
            x_b = covariate_frame(a | {"change": change} | covariates | waves)
            path_b = fit_wls(job.astype(float), identified(x_b), rows_)
            if path_a is None or path_b is None or estimand not in path_a.params or "change" not in path_b.params:
                out.append(
                    not_estimable(
                        estimand,
                        "job_1y",
                        MEDIATION,
                        "risk_difference",
                        "model could not be fitted",
                        int(sample.sum()),
                        *counts,
                    )
                )
                continue
            alpha, beta = float(path_a.params[estimand]), float(path_b.params["change"])
            # Sobel's delta-method SE of the product (the two paths' estimates taken as independent)
            se = math.sqrt(beta**2 * float(path_a.bse[estimand]) ** 2 + alpha**2 * float(path_b.bse["change"]) ** 2)
            out.append(
                row(
                    estimand,
                    "job_1y",
                    MEDIATION,
                    "risk_difference",
                    alpha * beta,
                    se,
                    int(sample.sum()),
                    f"{note}: {alpha:+.3f} points x {beta:+.3f} per point",
                    exposed=counts[0],
                    events=counts[1],
                )
            )
        return out

    def _told_at(self, citizen_ids: np.ndarray, told: np.ndarray) -> np.ndarray:
        """Per panel row: ``told`` for the citizens ``citizen_ids`` (each at most once), -1 for everyone else."""
        rows = self.panel.row_of(citizen_ids)
        size = self.panel.citizen_ids.size
        known = rows < size
        known[known] = self.panel.citizen_ids[rows[known]] == citizen_ids[known]
        by_row = np.full(size, -1, dtype=int)
        by_row[rows[known]] = told[known]
        return by_row

    def _interview_waiting(self) -> dict[tuple[int, int], int]:
        """(citizen, week) -> 1 when the interview at that week raised waiting, 0 when not."""
        interviews = self.interviews
        if interviews is None or interviews.empty:
            return {}
        return {
            (int(c), int(w)): int("waiting" in list(t))
            for c, w, t in zip(interviews["citizen_id"], interviews["week"], interviews["themes"], strict=True)
        }


@dataclass(frozen=True)
class Quarters:
    """Who the survey's quarterly comparisons compare: person-quarters between two waves the citizen answered.

    One entry per person-quarter: panel ``rows`` and ``citizen_ids``, the ``earlier`` wave's index, the weeks of
    the two waves (``start_week``, ``end_week``), the citizen's mean score ``before`` and ``after``, and per
    estimand whether it was ``exposed`` in the quarter and whether that was ``known`` (the belief item answered,
    an interview held at the later wave). Recovery computes the truth for the same person-quarters.
    """

    rows: np.ndarray
    citizen_ids: np.ndarray
    earlier: np.ndarray
    start_week: np.ndarray
    end_week: np.ndarray
    before: np.ndarray
    after: np.ndarray
    exposed: dict[str, np.ndarray]
    known: dict[str, np.ndarray]
