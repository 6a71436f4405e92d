"""The qualitative longitudinal study (the relational lens): themes and narratives over the interview waves.

WHAT IT DOES. From the coded interviews (and, for the case timelines, the register weeks of the same
citizens): theme counts per wave, sequences (which theme follows which at the next interview), a case
timeline per interviewed citizen, individual versus institutional barriers per citizen, and the themes the
narratives report that the survey cannot see (waiting, opaque decisions, standstill) or that the register
sees only as a code (caseworker changes).

ESTIMATES (method ``interviews``). Theme groups come from the bundle's theme codes
(:mod:`bipsim.contract.themes`): exposure themes ``caseworker_change`` and ``waiting``; an activity type
counts as mentioned when a ``placement`` or ``activity`` narrative names it (its English label in
``text_en``). For each exposure: ``theme_prevalence`` (scale ``share``): the share of interviewed citizens
who raise it at least once; and ``job_1y`` (scale ``risk_difference``): among interviews followed by four
more, the share followed by a ``job`` theme within those four (about a year), exposed minus not, with
standard errors cluster-robust by citizen. The caseworker's belief is not something citizens narrate: its
rows are NaN with a note. With about 25 citizens these are small-sample, descriptive contrasts, and a contrast
with fewer exposed citizens or later jobs than :mod:`bipsim.analysis.estimates` asks for is not estimated.
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
from bipsim.contract.themes import THEMES
from bipsim.contract.vocabulary import INTERVENTION_KEYS, INTERVENTIONS

METHOD = "interviews"
GROUP = {t.key: t.group for t in THEMES}
FOLLOW_UP = 4
# What each other instrument can see of a theme (declared from the instruments' documentation).
VISIBILITY: dict[str, tuple[bool, bool, str]] = {
    "waiting": (False, False, "queued citizens are coded as social assistance with no activity; no survey item"),
    "caseworker_change": (True, False, "the register has the caseworker id, but not what the change meant"),
    "exemption": (False, False, "an exemption is a decision with no register code and no survey item"),
    "standstill": (False, False, "weeks without meetings are not in the register; the survey is quarterly"),
    "coping": (False, True, "the survey's coping items see the fall, not its cause"),
    "health": (False, True, "a health shock shows as sickness benefit only when it stops participation"),
}


def _theme_lists(interviews: pd.DataFrame) -> list[list[str]]:
    return [list(t) if t is not None else [] for t in interviews["themes"]]


class InterviewStudy:
    """The interview analyses of one data set."""

    def __init__(self, interviews: pd.DataFrame, panel: RegisterWeeks | None = None) -> None:
        self.interviews = interviews.sort_values(["citizen_id", "wave"]).reset_index(drop=True)
        self.themes = _theme_lists(self.interviews)
        self.panel = panel

    def theme_counts(self) -> pd.DataFrame:
        """Interviews raising each theme, per wave, with the theme's group."""
        long = pd.DataFrame(
            [(w, t) for w, themes in zip(self.interviews["wave"], self.themes, strict=True) for t in themes],
            columns=["wave", "theme"],
        )
        counts = long.groupby(["wave", "theme"]).size().rename("interviews").reset_index()
        total = self.interviews.groupby("wave").size().rename("interviews_held").reset_index()
        counts = counts.merge(total, on="wave")
        counts["share"] = counts["interviews"] / counts["interviews_held"]
        counts["group"] = counts["theme"].map(GROUP).fillna("other")
        return counts

    def sequences(self) -> pd.DataFrame:
        """How often a theme at one interview is followed by another theme at the citizen's next interview."""
        pairs = []
        citizens = self.interviews["citizen_id"].to_numpy()
        for i in range(len(self.themes) - 1):
            if citizens[i] == citizens[i + 1]:
                pairs += [(a, b) for a in self.themes[i] for b in self.themes[i + 1]]
        frame = pd.DataFrame(pairs, columns=["from_theme", "to_theme"])
        return frame.groupby(["from_theme", "to_theme"]).size().rename("count").reset_index()

    def case_timelines(self) -> pd.DataFrame:
        """One row per interview: the citizen's themes next to their register code that week."""
        frame = self.interviews[["citizen_id", "wave", "week"]].copy()
        frame["themes"] = ["; ".join(t) for t in self.themes]
        frame["individual"] = [sum(GROUP.get(x) == "individual" for x in t) for t in self.themes]
        frame["institutional"] = [sum(GROUP.get(x) == "institutional" for x in t) for t in self.themes]
        frame["labour_market"] = [sum(GROUP.get(x) == "labour_market" for x in t) for t in self.themes]
        if self.panel is not None:
            rows = self.panel.row_of(frame["citizen_id"].to_numpy())
            weeks = np.minimum(frame["week"].to_numpy(), self.panel.weeks - 1)
            ok = rows < self.panel.citizen_ids.size
            codes = np.full(len(frame), -1)
            codes[ok] = self.panel.code[rows[ok], weeks[ok]]
            frame["benefit_code"] = [BENEFIT_KEYS[c] if c >= 0 else "" for c in codes]
        frame["text_en"] = self.interviews["text_en"].to_numpy()
        return frame

    def barriers(self) -> pd.DataFrame:
        """Per citizen: mentions of individual, institutional and labour-market themes, and which dominates."""
        timelines = self.case_timelines()
        per = timelines.groupby("citizen_id")[["individual", "institutional", "labour_market"]].sum().reset_index()
        per["dominant"] = np.where(
            per["institutional"] > per["individual"],
            "institutional",
            np.where(per["individual"] > per["institutional"], "individual", "balanced"),
        )
        return per

    def invisible(self) -> pd.DataFrame:
        """Themes the narratives report that the survey or register cannot see, with an example quote."""
        out = []
        for theme, (register, survey, why) in VISIBILITY.items():
            raised = np.array([theme in t for t in self.themes], dtype=bool)
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

    # --- estimates -----------------------------------------------------------------------------------------

    def exposure_mentions(self) -> dict[str, np.ndarray]:
        """Per interview, whether it raises each exposure (themes; activity types named in the narrative)."""
        mentions = {
            key: np.array([key in t for t in self.themes], dtype=bool) for key in ("caseworker_change", "waiting")
        }
        text = self.interviews["text_en"].fillna("").str.lower()
        offered = np.array([("placement" in t) or ("activity" in t) or ("waiting" in t) for t in self.themes])
        for intervention in INTERVENTIONS:
            named = text.str.contains(intervention.en.lower(), regex=False).to_numpy()
            mentions[intervention.key] = named & offered
        return mentions

    def interview_rows(self) -> list[dict[str, object]]:
        """Theme prevalence and the later-job contrast for every exposure (see the module doc)."""
        interviews = self.interviews
        citizens = interviews["citizen_id"].to_numpy()
        waves = interviews["wave"].to_numpy()
        n_citizens = int(np.unique(citizens).size)
        job = np.array(["job" in t for t in self.themes])
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
        return out


__all__ = ["INTERVENTION_KEYS", "InterviewStudy"]
