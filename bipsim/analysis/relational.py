"""The qualitative longitudinal study (the relational lens): what the coded interviews say, beside register and survey.

WHAT IT DOES. From the coded interviews (``interviews.themes``: the first coder's codes; the codebook is
:mod:`bipsim.contract.themes`) and, where given, the register weeks and the progression survey of the same
citizens:

- ``theme_counts``: interviews raising each code, per wave; ``sequences``: which code follows which at the
  citizen's next interview;
- ``around_exposures``: sequences around caseworker changes and waits: how often an interview that tells of one,
  and the citizen's next interview, voice each interpretive code, against interviews that do not;
- ``meaning_by_orientation``: the same help's meaning by orientation (moderation): among interviews telling of a
  placement (job-focused help) or a support offer, the share told as helping rather than pointless, by the
  orientation the citizen voiced at the first interview (a code, not the truth); ``moderation``: the log odds
  ratio of "it helped" for job-focused help, work-first versus health-first citizens;
- ``case_timelines``: one row per interview: codes, the register's benefit code that week, the citizen's
  survey answer on belief in work that wave, and the narrative's belief (hope, giving up or neither); ``case``:
  one citizen's register spells, own survey answers and interviews on one timeline;
- ``belief_comparison``: the survey item "belief in work" against what the narrative says (the seed's example);
- ``barriers``: per citizen, how often they locate their barriers in themself or in the system (interpretive
  codes); which dominates is the analysis' result, not a property of the codebook; with the survey, the
  citizen's own health and coping scores beside it; ``disagreements``: where the survey points to individual
  barriers and the narratives to institutional ones, or the other way (the seed's "methods chaos");
- ``invisible``: codes the narratives report that the survey or register cannot see.

ESTIMATES (method ``interviews``). For each exposure (caseworker change, waiting, and each intervention named
in a told placement or offer): ``theme_prevalence`` (scale ``share``): the share of interviewed citizens who
tell it at least once; and ``job_1y`` (scale ``risk_difference``): among interviews followed by four more, the
share followed by a ``job`` code within those four (about a year), exposed minus not, with standard errors
cluster-robust by citizen. The caseworker's belief is not something citizens narrate: its rows are NaN with a
note. With about 25 citizens these are small-sample, descriptive contrasts, and a contrast with fewer exposed
citizens or later jobs than :mod:`bipsim.analysis.estimates` asks for is not estimated.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from statsmodels.stats.proportion import proportion_confint

from bipsim.analysis.estimates import not_estimable, row, too_thin
from bipsim.analysis.horizontal import fit_wls
from bipsim.analysis.register_weeks import RegisterWeeks
from bipsim.contract.codes import BENEFIT_KEYS
from bipsim.contract.estimands import NOT_OBSERVED
from bipsim.contract.themes import INTERPRETIVE_KEYS, SPOKEN_INTERVENTIONS, THEMES
from bipsim.contract.vocabulary import INTERVENTION_KEYS, INTERVENTIONS, ORIENTATION_KEYS

METHOD = "interviews"
KIND = {t.key: t.kind for t in THEMES}
FOLLOW_UP = 4
LABOUR_MARKET = ("placement", "employer_contact", "job", "job_loss")
HELP = {"placement": "job_focused", "activity": "support"}
"""The codes of told help and the kind of help each is."""
MEANINGS = tuple(k for k in INTERPRETIVE_KEYS if k not in ORIENTATION_KEYS)
BELIEF_ITEM = "work_belief"
BARRIER_ITEMS = ("health", "health_coping", "everyday_coping")
"""The citizen's survey items that speak of individual barriers; a mean at or below ``LOW_SCORE`` is a barrier."""
LOW_SCORE = 2.5
# What each other instrument can see of a theme (declared from the instruments' documentation).
VISIBILITY: dict[str, tuple[bool, bool, str]] = {
    "waiting": (False, False, "queued citizens are coded as social assistance with no activity; no survey item"),
    "caseworker_change": (True, False, "the register has the caseworker id, but not what the change meant"),
    "exemption": (False, False, "an exemption is a decision with no register code and no survey item"),
    "standstill": (False, False, "weeks without meetings are not in the register; the survey is quarterly"),
    "coping": (False, True, "the survey's coping items see the fall, not its cause"),
    "health": (False, True, "a health shock shows as sickness benefit only when it stops participation"),
    "lost_time": (False, False, "what waiting and new caseworkers meant to the citizen is in no register or item"),
    "control": (False, False, "how a meeting felt is in no register; the survey asks about cooperation, not this"),
}


def _theme_lists(interviews: pd.DataFrame) -> list[list[str]]:
    return [list(t) if t is not None else [] for t in interviews["themes"]]


def _log_odds_ratio(a: int, b: int, c: int, d: int) -> tuple[float, float]:
    """Log odds ratio of a 2x2 table (a/b against c/d) and its Woolf standard error, with 0.5 added to every cell."""
    a, b, c, d = (x + 0.5 for x in (a, b, c, d))
    return math.log(a / b) - math.log(c / d), math.sqrt(1 / a + 1 / b + 1 / c + 1 / d)


class InterviewStudy:
    """The interview analyses of one data set: coded interviews, with the register and the survey when given."""

    def __init__(
        self, interviews: pd.DataFrame, panel: RegisterWeeks | None = None, survey: pd.DataFrame | None = None
    ) -> None:
        self.interviews = interviews.sort_values(["citizen_id", "wave"]).reset_index(drop=True)
        self.themes = _theme_lists(self.interviews)
        self.panel = panel
        self.survey = survey

    def _has(self, key: str) -> np.ndarray:
        return np.array([key in t for t in self.themes], dtype=bool)

    def theme_counts(self) -> pd.DataFrame:
        """Interviews raising each code, per wave, with the code's kind (descriptive or interpretive)."""
        long = pd.DataFrame(
            [(w, t) for w, themes in zip(self.interviews["wave"], self.themes, strict=True) for t in themes],
            columns=["wave", "theme"],
        )
        counts = long.groupby(["wave", "theme"]).size().rename("interviews").reset_index()
        total = self.interviews.groupby("wave").size().rename("interviews_held").reset_index()
        counts = counts.merge(total, on="wave")
        counts["share"] = counts["interviews"] / counts["interviews_held"]
        counts["kind"] = counts["theme"].map(KIND).fillna("descriptive")
        return counts

    def _next(self) -> np.ndarray:
        """Per interview, the position of the citizen's next interview (-1 when none)."""
        citizens = self.interviews["citizen_id"].to_numpy()
        following = np.full(len(citizens), -1)
        same = citizens[:-1] == citizens[1:]
        following[:-1][same] = np.flatnonzero(same) + 1
        return following

    def sequences(self) -> pd.DataFrame:
        """How often a code at one interview is followed by another code at the citizen's next interview."""
        pairs = []
        for i, j in enumerate(self._next()):
            if j >= 0:
                pairs += [(a, b) for a in self.themes[i] for b in self.themes[j]]
        frame = pd.DataFrame(pairs, columns=["from_theme", "to_theme"])
        return frame.groupby(["from_theme", "to_theme"]).size().rename("count").reset_index()

    def around_exposures(self, exposures: tuple[str, ...] = ("caseworker_change", "waiting")) -> pd.DataFrame:
        """Interpretive codes in the interview telling of an exposure and in the next one, against the rest.

        One row per (exposure, code, when): ``when`` is ``same`` (the interview that tells of it) or ``next``
        (the citizen's next interview); shares among exposed and unexposed interviews and their difference.
        """
        following = self._next()
        rows = []
        for exposure in exposures:
            exposed = self._has(exposure)
            for when in ("same", "next"):
                use = np.ones(len(exposed), dtype=bool) if when == "same" else following >= 0
                target = np.arange(len(exposed)) if when == "same" else following
                for code in MEANINGS:
                    has = self._has(code)[np.where(use, target, 0)]
                    with_, without = has[use & exposed], has[use & ~exposed]
                    rows.append(
                        {
                            "exposure": exposure,
                            "theme": code,
                            "when": when,
                            "exposed": int(with_.size),
                            "unexposed": int(without.size),
                            "share_exposed": float(with_.mean()) if with_.size else math.nan,
                            "share_unexposed": float(without.mean()) if without.size else math.nan,
                        }
                    )
        frame = pd.DataFrame(rows)
        frame["difference"] = frame["share_exposed"] - frame["share_unexposed"]
        return frame

    def orientations(self) -> pd.Series:
        """The orientation each citizen voiced, as coded at their first interview ("" when none was coded)."""
        first = self.interviews.groupby("citizen_id").head(1)
        coded = [next((t for t in self.themes[i] if t in ORIENTATION_KEYS), "") for i in first.index]
        return pd.Series(coded, index=first["citizen_id"].to_numpy(), name="orientation")

    def meaning_by_orientation(self) -> pd.DataFrame:
        """Among interviews telling of one kind of help, the share told as helping, by the voiced orientation."""
        orientation = self.orientations().reindex(self.interviews["citizen_id"]).to_numpy()
        helped, pointless = self._has("helped"), self._has("pointless")
        rows = []
        for theme, kind in HELP.items():
            told = self._has(theme) & ~self._has(next(t for t in HELP if t != theme))  # one kind: meaning is its
            for key in ORIENTATION_KEYS:
                mine = told & (orientation == key)
                yes, no = int((mine & helped).sum()), int((mine & pointless).sum())
                rows.append(
                    {
                        "help": kind,
                        "orientation": key,
                        "interviews": int(mine.sum()),
                        "citizens": int(self.interviews.loc[mine, "citizen_id"].nunique()),
                        "helped": yes,
                        "pointless": no,
                        "share_helped": yes / (yes + no) if yes + no else math.nan,
                    }
                )
        return pd.DataFrame(rows)

    def moderation(self, high: str = "work_first", low: str = "health_first") -> dict[str, object]:
        """The log odds ratio of job-focused help told as helping, ``high`` against ``low`` orientation.

        Estimand: how much more the help means to one orientation than another, which in bipsim is the log of
        the ratio of the two orientations' responses to job-focused help (``vocabulary.ORIENTATION_RESPONSE``
        scaled by ``interventions.orientation_heterogeneity``); coders' misses and false codes attenuate it.
        """
        table = self.meaning_by_orientation().set_index(["help", "orientation"])
        a, b = (int(table.at[("job_focused", high), c]) for c in ("helped", "pointless"))
        c, d = (int(table.at[("job_focused", low), c]) for c in ("helped", "pointless"))
        estimate, se = _log_odds_ratio(a, b, c, d)
        enough = min(a + b, c + d) >= 3
        return {
            "estimand": f"meaning of job-focused help, {high} vs {low}",
            "scale": "log_odds_ratio",
            "estimate": estimate if enough else math.nan,
            "se": se if enough else math.nan,
            "ci_low": estimate - 1.96 * se if enough else math.nan,
            "ci_high": estimate + 1.96 * se if enough else math.nan,
            "n": a + b + c + d,
            "note": "" if enough else "fewer than 3 told placements with a meaning in an orientation",
        }

    def _survey_item(self, items: tuple[str, ...]) -> pd.Series:
        """The citizen's own mean answer on ``items`` per (citizen, week)."""
        if self.survey is None or self.survey.empty:
            return pd.Series(dtype=float)
        own = self.survey[(self.survey["respondent"] == "citizen") & self.survey["indicator"].isin(items)]
        return own.groupby(["citizen_id", "week"])["score"].mean()

    def case_timelines(self) -> pd.DataFrame:
        """One row per interview: codes, the register's code that week, survey belief and narrative belief."""
        frame = self.interviews[["citizen_id", "wave", "week"]].copy()
        frame["themes"] = ["; ".join(t) for t in self.themes]
        frame["individual"] = self._has("self_attribution").astype(int)
        frame["institutional"] = self._has("system_attribution").astype(int)
        frame["labour_market"] = [sum(x in LABOUR_MARKET for x in t) for t in self.themes]
        if self.panel is not None:
            rows = self.panel.row_of(frame["citizen_id"].to_numpy())
            weeks = np.minimum(frame["week"].to_numpy(), self.panel.weeks - 1)
            ok = rows < self.panel.citizen_ids.size
            codes = np.full(len(frame), -1)
            codes[ok] = self.panel.code[rows[ok], weeks[ok]]
            frame["benefit_code"] = [BENEFIT_KEYS[c] if c >= 0 else "" for c in codes]
        belief = self._survey_item((BELIEF_ITEM,))
        keys = pd.MultiIndex.from_frame(frame[["citizen_id", "week"]])
        frame["survey_work_belief"] = belief.reindex(keys).to_numpy() if len(belief) else math.nan
        frame["narrative_belief"] = np.select(
            [self._has("hope"), self._has("resignation")], ["hope", "resignation"], default="neither"
        )
        frame["text_en"] = self.interviews["text_en"].to_numpy()
        return frame

    def case(self, citizen_id: int) -> pd.DataFrame:
        """One citizen's case on one timeline: register spells, own survey answers and interviews, by week.

        ``source`` is ``register`` (a spell of the same benefit code, activity and caseworker: ``week`` to
        ``until``), ``survey`` (the citizen's own answers on belief in work and health that wave) or
        ``interview`` (its codes in ``what``, the answers in ``text_en``).
        """
        rows: list[dict[str, object]] = []
        if self.panel is not None:
            weeks = self.panel.data.register_weeks
            mine = weeks[weeks["citizen_id"].to_numpy() == citizen_id].sort_values("week")
            caseworker = mine["caseworker_id"].astype("Int64").astype(str)
            key = mine["benefit_code"].astype(str) + "|" + mine["activity"].astype(str) + "|" + caseworker
            for _, spell in mine.groupby((key != key.shift()).cumsum().to_numpy()):
                first = spell.iloc[0]
                what = f"{first['benefit_code']}; activity {first['activity']}; caseworker {caseworker.loc[first.name]}"
                rows.append(
                    {
                        "week": int(first["week"]),
                        "until": int(spell["week"].iloc[-1]),
                        "source": "register",
                        "what": what,
                    }
                )
        if self.survey is not None and not self.survey.empty:
            own = self.survey[
                (self.survey["citizen_id"] == citizen_id)
                & (self.survey["respondent"] == "citizen")
                & self.survey["indicator"].isin((BELIEF_ITEM, "health"))
            ]
            for week, answers in own.groupby("week"):
                what = ", ".join(f"{i} {int(v)}" for i, v in zip(answers["indicator"], answers["score"], strict=True))
                rows.append({"week": int(week), "until": int(week), "source": "survey", "what": what})
        mine = self.interviews[self.interviews["citizen_id"] == citizen_id]
        for i, interview in mine.iterrows():
            rows.append(
                {
                    "week": int(interview["week"]),
                    "until": int(interview["week"]),
                    "source": "interview",
                    "what": ", ".join(self.themes[i]),
                    "text_en": interview["text_en"],
                }
            )
        frame = pd.DataFrame(rows, columns=["week", "until", "source", "what", "text_en"])
        order = frame["source"].map({"register": 0, "survey": 1, "interview": 2})
        return frame.assign(order=order).sort_values(["week", "order"]).drop(columns="order").reset_index(drop=True)

    def belief_comparison(self) -> pd.DataFrame:
        """The survey's belief in work (citizen's answer, 1-5) by what the narrative of the same wave says."""
        timelines = self.case_timelines().dropna(subset=["survey_work_belief"])
        out = (
            timelines.groupby("narrative_belief")["survey_work_belief"]
            .agg(interviews="size", mean_score="mean", low_scores=lambda s: int((s <= 2).sum()))
            .reindex(["hope", "neither", "resignation"])
            .reset_index()
        )
        out["interviews"] = out["interviews"].fillna(0).astype(int)
        return out

    def barriers(self) -> pd.DataFrame:
        """Per citizen: barriers located in themself or in the system, which dominates, and the survey beside it."""
        timelines = self.case_timelines()
        per = timelines.groupby("citizen_id")[["individual", "institutional", "labour_market"]].sum().reset_index()
        per["dominant"] = np.select(
            [
                per["institutional"] > per["individual"],
                per["individual"] > per["institutional"],
                per["individual"] > 0,
            ],
            ["institutional", "individual", "balanced"],
            default="none",
        )
        scores = self._survey_item(BARRIER_ITEMS)
        if len(scores):
            per["survey_health_coping"] = (
                scores.groupby(level="citizen_id").mean().reindex(per["citizen_id"]).to_numpy()
            )
        return per

    def disagreements(self) -> pd.DataFrame:
        """Per citizen: the survey's barrier (low own health and coping scores: individual) and the narrative's.

        ``agree`` is NA where either method names no barrier; the disagreements are the seed's "methods chaos".
        """
        per = self.barriers()
        if "survey_health_coping" not in per:
            per["survey_health_coping"] = math.nan
        survey = np.where(per["survey_health_coping"] <= LOW_SCORE, "individual", "none")
        survey = np.where(per["survey_health_coping"].isna(), "", survey)
        narrative = per["dominant"].to_numpy()
        named = (survey == "individual") & np.isin(narrative, ("individual", "institutional"))
        agree = pd.array([bool(s == n) if k else pd.NA for s, n, k in zip(survey, narrative, named, strict=True)])
        return pd.DataFrame(
            {
                "citizen_id": per["citizen_id"],
                "survey_health_coping": per["survey_health_coping"],
                "survey_barrier": survey,
                "narrative_barrier": narrative,
                "agree": pd.array(agree, dtype="boolean"),
            }
        )

    def invisible(self) -> pd.DataFrame:
        """Codes the narratives report that the survey or register cannot see, with an example answer."""
        out = []
        for theme, (register, survey, why) in VISIBILITY.items():
            raised = self._has(theme)
            example = self.interviews.loc[raised, "text_en"].iloc[0] if raised.any() else ""
            out.append(
                {
                    "theme": theme,
                    "seen_in_register": register,
                    "seen_in_survey": survey,
                    "why": why,
                    "interviews": int(raised.sum()),
                    "citizens": int(self.interviews.loc[raised, "citizen_id"].nunique()),
                    "example": example,
                }
            )
        return pd.DataFrame(out)

    def tables(self) -> dict[str, pd.DataFrame]:
        """Every table of the relational lens by name."""
        return {
            "theme_counts": self.theme_counts(),
            "theme_sequences": self.sequences(),
            "around_exposures": self.around_exposures(),
            "meaning_by_orientation": self.meaning_by_orientation(),
            "moderation": pd.DataFrame([self.moderation()]),
            "case_timelines": self.case_timelines(),
            "belief_comparison": self.belief_comparison(),
            "barriers": self.barriers(),
            "disagreements": self.disagreements(),
            "invisible_to_survey": self.invisible(),
        }

    # --- estimates -----------------------------------------------------------------------------------------

    def exposure_mentions(self) -> dict[str, np.ndarray]:
        """Per interview, whether it tells each exposure (codes; interventions named in told help or waiting)."""
        mentions = {key: self._has(key) for key in ("caseworker_change", "waiting")}
        text = self.interviews["text_en"].fillna("").str.lower()
        offered = np.array([("placement" in t) or ("activity" in t) or ("waiting" in t) for t in self.themes])
        for intervention in INTERVENTIONS:
            names = (intervention.en.lower(), SPOKEN_INTERVENTIONS[intervention.key]["en"].lower())
            named = np.zeros(len(text), dtype=bool)
            for name in names:
                named |= text.str.contains(name, regex=False).to_numpy()
            mentions[intervention.key] = named & offered
        return mentions

    def interview_rows(self) -> list[dict[str, object]]:
        """Theme prevalence and the later-job contrast for every exposure (see the module doc)."""
        interviews = self.interviews
        citizens = interviews["citizen_id"].to_numpy()
        waves = interviews["wave"].to_numpy()
        n_citizens = int(np.unique(citizens).size)
        job = self._has("job")
        later_job = np.zeros(len(interviews), dtype=bool)
        followed = np.zeros(len(interviews), dtype=bool)
        for i in range(len(interviews)):
            ahead = (citizens == citizens[i]) & (waves > waves[i]) & (waves <= waves[i] + FOLLOW_UP)
            followed[i] = waves.max() >= waves[i] + FOLLOW_UP  # the study ran long enough to see a year
            later_job[i] = job[ahead].any()
        out = []
        for estimand, mentioned in self.exposure_mentions().items():
            per_citizen = pd.Series(mentioned).groupby(citizens).any()
            share = float(per_citizen.mean()) if n_citizens else math.nan
            se = math.sqrt(share * (1 - share) / n_citizens) if n_citizens else math.nan
            # a share of 25 citizens: the Wilson interval stays within [0, 1] where the Wald interval does not
            wilson = proportion_confint(int(per_citizen.sum()), n_citizens, method="wilson") if n_citizens else None
            out.append(
                row(
                    estimand,
                    "theme_prevalence",
                    METHOD,
                    "share",
                    share,
                    se,
                    n_citizens,
                    "share of interviewed citizens raising it at least once",
                    p_value=math.nan,
                    exposed=int(per_citizen.sum()),
                    events=int(per_citizen.sum()),
                    interval=wilson,
                )
            )
            use = followed & ~job
            exposure = mentioned[use]
            counts = (int(np.unique(citizens[use][exposure]).size), int(later_job[use][exposure].sum()))
            problem = too_thin(*counts)
            if problem is None and (use.sum() < 5 or exposure.all()):
                problem = "too few interviews without it"
            if problem is not None:
                out.append(
                    not_estimable(estimand, "job_1y", METHOD, "risk_difference", problem, int(use.sum()), *counts)
                )
                continue
            x = pd.DataFrame({"const": 1.0, estimand: exposure.astype(float)})
            result = fit_wls(later_job[use].astype(float), x, citizens[use])
            out.append(
                row(
                    estimand,
                    "job_1y",
                    METHOD,
                    "risk_difference",
                    result.params[estimand],
                    result.bse[estimand],
                    int(use.sum()),
                    f"a job theme within the next {FOLLOW_UP} interviews; {int(exposure.sum())} exposed interviews",
                    p_value=float(result.pvalues[estimand]),
                    exposed=counts[0],
                    events=counts[1],
                )
            )
        note = "citizens do not narrate the caseworker's belief; the interviews cannot see it"
        out.append(not_estimable("caseworker_belief", "job_1y", METHOD, "risk_difference", note))
        out.append(
            not_estimable("business_cycle", "job_1y", METHOD, "risk_difference", "no interview theme on labour demand")
        )
        out += [not_estimable(e, "job_1y", METHOD, "risk_difference", note) for e, note in NOT_OBSERVED.items()]
        return out


__all__ = ["INTERVENTION_KEYS", "InterviewStudy"]
