"""Measures shared by the analyses: background and history per citizen, and the survey as wave arrays.

Everything here is computed from observed tables only. Rows follow the register :class:`RegisterWeeks` (citizens in
id order); a citizen missing from a table gets missing values, never an error.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from bipsim.analysis.register_weeks import EDUCATION, JOB, RegisterWeeks
from bipsim.contract.codes import BENEFIT_KEYS, PUBLIC_SUPPORT
from bipsim.contract.vocabulary import INDICATOR_KEYS

RESPONDENTS = ("citizen", "caseworker")
BELIEF = "caseworker_job_belief"
BELIEF_ITEM = INDICATOR_KEYS.index(BELIEF)
BELIEF_HIGH = 4  # 4 "good chances" or 5 "yes": the caseworker believes in a job within a year
HISTORY_WEEKS = 260
# Forward-looking indicators (what the citizen does and expects) versus resources (health and coping).
FORWARD_LOOKING = ("job_search", "labour_market_knowledge", "goal_directedness", "work_belief", "caseworker_job_belief")


def background(panel: RegisterWeeks) -> pd.DataFrame:
    """Background and register history per citizen (rows in panel order), as numbers a model can use.

    Columns: ``age10`` (age / 10), ``female``, ``non_western``, ``vocational_qualification``,
    ``psychiatric_diagnosis``, ``musculoskeletal_disorder``, ``children``, ``jobcentre``, and from the
    register history ``history_job_education`` and ``history_support`` (shares of the 260 weeks before week 0).
    """
    citizens = panel.data.citizens.set_index("citizen_id").reindex(panel.citizen_ids)
    frame = pd.DataFrame(index=pd.Index(panel.citizen_ids, name="citizen_id"))
    frame["age10"] = citizens["age"].to_numpy(dtype=float) / 10
    frame["female"] = (citizens["sex"].astype(str) == "female").to_numpy(dtype=float)
    frame["non_western"] = (citizens["origin"].astype(str) == "non_western").to_numpy(dtype=float)
    for column in ("vocational_qualification", "psychiatric_diagnosis", "musculoskeletal_disorder", "children"):
        frame[column] = citizens[column].astype(float).to_numpy()
    frame["jobcentre"] = citizens["jobcentre"].fillna(-1).to_numpy(dtype=int)
    frame["history_job_education"], frame["history_support"] = history_shares(panel)
    return frame


def history_shares(panel: RegisterWeeks) -> tuple[np.ndarray, np.ndarray]:
    """Per citizen (in panel order): share of the register history in job or education, and on support."""
    history = getattr(panel.data, "register_history", None)
    if not isinstance(history, pd.DataFrame) or history.empty:
        return np.full(panel.citizen_ids.size, np.nan), np.full(panel.citizen_ids.size, np.nan)
    weeks = history["weeks"].to_numpy(dtype=float)
    code = history["benefit_code"].astype(pd.CategoricalDtype(list(BENEFIT_KEYS))).cat.codes.to_numpy()
    frame = pd.DataFrame(
        {
            "citizen_id": history["citizen_id"],
            "job": weeks * np.isin(code, (JOB, EDUCATION)),
            "support": weeks * np.isin(code, PUBLIC_SUPPORT),
        }
    )
    shares = (frame.groupby("citizen_id")[["job", "support"]].sum() / HISTORY_WEEKS).reindex(panel.citizen_ids)
    return shares["job"].to_numpy(), shares["support"].to_numpy()


@dataclass
class SurveyWaves:
    """The survey as an array ``scores[citizen, wave, indicator, respondent]`` (NaN: no answer).

    ``wave_weeks`` is the register week of each wave (the most common week of its answers).
    """

    scores: np.ndarray
    wave_weeks: np.ndarray

    @classmethod
    def of(cls, panel: RegisterWeeks) -> SurveyWaves:
        survey = panel.data.survey
        waves = np.sort(survey["wave"].unique())
        wave_weeks = survey.groupby("wave")["week"].agg(lambda w: w.mode().iloc[0]).reindex(waves).to_numpy(int)
        scores = np.full((panel.citizen_ids.size, waves.size, len(INDICATOR_KEYS), 2), np.nan, dtype=np.float32)
        rows = panel.row_of(survey["citizen_id"].to_numpy())
        known = (rows < panel.citizen_ids.size) & (
            panel.citizen_ids[np.minimum(rows, panel.citizen_ids.size - 1)] == survey["citizen_id"].to_numpy()
        )
        item = pd.Categorical(survey["indicator"], categories=list(INDICATOR_KEYS)).codes
        who = pd.Categorical(survey["respondent"], categories=list(RESPONDENTS)).codes
        wave = np.searchsorted(waves, survey["wave"].to_numpy())
        ok = known & (item >= 0) & (who >= 0)
        scores[rows[ok], wave[ok], item[ok], who[ok]] = survey["score"].to_numpy(dtype=np.float32)[ok]
        return cls(scores, wave_weeks)

    def composite(self, respondent: str) -> np.ndarray:
        """Mean score over a respondent's readiness items (the caseworker's job belief excluded), (citizens, waves)."""
        items = [k for k in range(len(INDICATOR_KEYS)) if k != BELIEF_ITEM]
        values = self.scores[:, :, items, RESPONDENTS.index(respondent)]
        answered = ~np.isnan(values)
        total = np.where(answered, values, 0).sum(axis=2)
        count = answered.sum(axis=2)
        return np.where(count > 0, total / np.maximum(count, 1), np.nan)

    @cached_property
    def belief(self) -> np.ndarray:
        """The caseworker's job-belief answer, (citizens, waves)."""
        return self.scores[:, :, BELIEF_ITEM, RESPONDENTS.index("caseworker")]

    def last_wave_of_week(self, weeks: int) -> np.ndarray:
        """Index of the last wave held at or before each week (-1 before the first)."""
        return np.searchsorted(self.wave_weeks, np.arange(weeks), side="right") - 1

    @staticmethod
    def carried_forward(values: np.ndarray) -> np.ndarray:
        """Each wave's value, or the last earlier answered one (last observation carried forward)."""
        waves = np.arange(values.shape[1])
        last = np.where(~np.isnan(values), waves[None, :], -1)
        np.maximum.accumulate(last, axis=1, out=last)
        out = np.take_along_axis(values, np.maximum(last, 0), axis=1)
        out[last < 0] = np.nan
        return out

    def by_week(self, values: np.ndarray, weeks: int) -> np.ndarray:
        """A (citizens, waves) measure carried forward and placed on (citizens, weeks): the last wave's value."""
        carried = self.carried_forward(values)
        index = self.last_wave_of_week(weeks)
        out = carried[:, np.maximum(index, 0)]
        out[:, index < 0] = np.nan
        return out
