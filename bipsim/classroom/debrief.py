"""The debrief: each student's caseload against the simulated caseworkers and against its own counterfactual.

The counterfactual is the twin model: the same scenario, seed and posts, run under the jobcentre's standard
procedure. Every random draw comes from per-mechanism, per-week streams of one seed
(:mod:`bipsim.engine.streams`), so the twin's citizens meet the same luck; a difference between a caseload and
its counterfactual is what the student's decisions did. Outcomes are counted for the citizens each student
took over at the start (whether or not they stayed), from the class's first week:

- ``job_within_year``: share in an ordinary job at some week within 52 weeks;
- ``weeks_waiting``: mean weeks waiting for a place during the rounds;
- ``readiness_change``: mean change of the latent readiness composite over the rounds (revealed only here),
  and ``regressed``: the share whose readiness fell;
- ``trust``: mean trust in the jobcentre at the end of the rounds (the latent truth, 0 to 1), which the students
  knew only through what their citizens said.

The students' beliefs are held against a job within a year of the round in which they were given, as BIP
held caseworkers' beliefs (27% against 1%). The three methods are BIP's instruments applied to each world:
the survey's answers at the end of the rounds, the register's self-sufficiency degree over the year and the
interview themes coded for the students' citizens. :func:`methods_overview` reads them for the whole class, world
against world: the survey's and register's measures, the interviews held and the share of interviews raising the
themes in which trust shows (``TRUST_THEMES``) and the class's most frequent other themes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from bipsim.classroom.settings import ROUND_WEEKS, RUN_IN_WEEKS
from bipsim.contract.vocabulary import status_code
from bipsim.instruments.interviews import qualitative_interviews
from bipsim.instruments.parameters import instrument_parameters
from bipsim.instruments.register import register_weeks, self_sufficiency
from bipsim.instruments.survey import progression_survey
from bipsim.instruments.weekly import WeeklyPanel
from bipsim.model.model import BipModel

ClassSession = Any  # a bipsim.classroom.session.ClassSession, which imports this module: not named here
YEAR = 52
JOB, WAITING = status_code("job"), status_code("waiting")
BELIEVES = 0.5
"""A belief from which a student counts as believing in a job within a year (BIP's "yes" and "good chances")."""
WORLDS = ("class", "counterfactual")
OUTCOMES = ("job_within_year", "weeks_waiting", "readiness_change", "regressed", "trust")
WHOLE_CLASS = ""
"""The ``student`` of the methods rows about all the students' citizens together."""
TRUST_THEMES = ("system_attribution", "distrustful")
"""Interview themes in which a citizen's trust in the jobcentre shows: always in the methods overview."""
TOP_THEMES = 4
"""How many of the class's other most frequent interview themes the methods overview shows."""
THEME_PREFIX = "theme_"


@dataclass
class Debrief:
    """The debrief's tables: outcomes by student and world, beliefs against jobs, methods, and the export."""

    outcomes: pd.DataFrame  # student, group (class, counterfactual, simulated), citizens, the OUTCOMES
    beliefs: pd.DataFrame  # who (a student, the class, simulated caseworkers), believed, citizens, job_within_year
    methods: pd.DataFrame  # student (WHOLE_CLASS: all of them), world, method, measure, value
    table: pd.DataFrame  # tidy export: one row per student, round and citizen: decisions and outcomes

    def methods_overview(self) -> pd.DataFrame:
        """The methods of the whole class, one row per measure, world against world."""
        return methods_overview(self.methods)


def methods_overview(methods: pd.DataFrame) -> pd.DataFrame:
    """One row per method and measure (``theme``: the theme's key, or empty), a column per world.

    Survey and register rows are the measures themselves; a theme row is the share of the interviews that raised
    it; the themes are ``TRUST_THEMES`` and the ``TOP_THEMES`` others raised most often in the class and its
    counterfactual together.
    """
    whole = methods[methods["student"] == WHOLE_CLASS]
    wide = whole.pivot_table(index=["method", "measure"], columns="world", values="value", sort=False)
    wide = wide.reindex(columns=list(WORLDS)).fillna({w: 0.0 for w in WORLDS})
    themes = [m for _, m in wide.index if m.startswith(THEME_PREFIX)]
    interviews = wide.loc[("interviews", "interviews")]
    shares = wide.loc[[("interviews", m) for m in themes]] / interviews.replace(0.0, np.nan)
    others = shares.drop(index=[("interviews", THEME_PREFIX + t) for t in TRUST_THEMES], errors="ignore")
    top = others.sum(axis=1).sort_values(ascending=False, kind="stable").index[:TOP_THEMES]
    trust = [("interviews", THEME_PREFIX + t) for t in TRUST_THEMES]
    shares = shares.reindex([*trust, *top]).fillna(0.0)
    measures = wide.drop(index=[("interviews", m) for m in themes])
    table = pd.concat([measures, shares]).reset_index()
    table["theme"] = [m.removeprefix(THEME_PREFIX) if m.startswith(THEME_PREFIX) else "" for m in table["measure"]]
    table.loc[table["theme"] != "", "measure"] = "theme_share"
    table.columns.name = None
    return table[["method", "measure", "theme", *WORLDS]]


def citizen_outcomes(model: BipModel, start_snapshot, end_snapshot, twin: bool) -> pd.DataFrame:  # noqa: ANN001
    """Each citizen's outcomes in ``model`` from the class's first week (``twin``: read the twin's snapshots)."""
    status = model.record["status"]
    class_end = end_snapshot.week
    year = status[RUN_IN_WEEKS : RUN_IN_WEEKS + YEAR]
    readiness = (end_snapshot.twin_readiness if twin else end_snapshot.readiness) - (
        start_snapshot.twin_readiness if twin else start_snapshot.readiness
    )
    trust = end_snapshot.twin_trust if twin else end_snapshot.trust
    return pd.DataFrame(
        {
            "job_within_year": (year == JOB).any(axis=0).astype(float),
            "weeks_waiting": (status[RUN_IN_WEEKS:class_end] == WAITING).sum(axis=0).astype(float),
            "readiness_change": readiness,
            "regressed": (readiness < 0).astype(float),
            "trust": trust if trust is not None else np.nan,
        }
    )


def job_from(status: np.ndarray, week: int) -> np.ndarray:
    """Whether each citizen is in an ordinary job at some week within a year from ``week``."""
    return (status[week : week + YEAR] == JOB).any(axis=0)


def make_debrief(session: ClassSession) -> Debrief:
    """The debrief of a class whose models have run to their end."""
    model, twin = session.model, session.twin
    first, last = session.snapshots[0], session.snapshots[-1]
    worlds = {
        "class": citizen_outcomes(model, first, last, twin=False),
        "counterfactual": citizen_outcomes(twin, first, last, twin=True),
    }
    students = sorted(session.students.values(), key=lambda s: s.slot)
    taken = np.concatenate([session.start_caseloads[s] for s in range(len(session.posts))])
    c = model.citizens
    simulated = np.setdiff1d(
        np.flatnonzero((c.jobcentre == session.jobcentre) & (model.record["status"][RUN_IN_WEEKS - 1] < JOB)), taken
    )
    rows = []
    for s in students:
        mine = session.start_caseloads[s.slot]
        for world in WORLDS:
            rows.append({"student": s.name, "group": world, "citizens": mine.size, **worlds[world].iloc[mine].mean()})
    simulated_mean = worlds["class"].iloc[simulated].mean()
    rows.append({"student": "", "group": "simulated", "citizens": simulated.size, **simulated_mean})
    outcomes = pd.DataFrame(rows)

    status = model.record["status"]
    believed = []
    for record in session.history:
        week = RUN_IN_WEEKS + (record.number - 1) * ROUND_WEEKS
        job = job_from(status, week)
        for s in students:
            for d in record.decisions.get(s.slot, []):
                believed.append((s.name, record.number, d.citizen, d.belief, bool(job[d.citizen])))
    beliefs_given = pd.DataFrame(believed, columns=["student", "round", "citizen_id", "belief", "job_within_year"])
    belief_rows = []
    for who, group in [*beliefs_given.groupby("student"), ("class", beliefs_given)]:
        for flag in (True, False):
            part = group[(group["belief"] >= BELIEVES) == flag]
            belief_rows.append(
                {"who": who, "believed": flag, "citizens": len(part), "job_within_year": part["job_within_year"].mean()}
            )
    job = job_from(status, RUN_IN_WEEKS)
    simulated_belief = model.record["belief"][RUN_IN_WEEKS - 1, simulated]
    for flag in (True, False):
        part = simulated[(simulated_belief >= BELIEVES) == flag]
        belief_rows.append(
            {"who": "simulated", "believed": flag, "citizens": part.size, "job_within_year": job[part].mean()}
        )
    beliefs = pd.DataFrame(belief_rows)

    methods = pd.concat(
        [_methods(m, session, students, world) for m, world in ((model, "class"), (twin, "counterfactual"))],
        ignore_index=True,
    )
    table = _export(session, students, worlds)
    return Debrief(outcomes, beliefs, methods, table)


def _methods(model: BipModel, session: ClassSession, students: list, world: str) -> pd.DataFrame:
    """What survey, register and interviews record of each student's citizens in one world."""
    truth = model.truth()
    panel = WeeklyPanel(truth.weekly)
    params = instrument_parameters(model.scenario)
    root = model.streams.seed_sequence
    survey = progression_survey(truth, params, root, panel)
    class_end = session.snapshots[-1].week
    survey = survey[survey["week"] == survey["week"][survey["week"] <= class_end].max()]
    register = register_weeks(truth, panel)
    degree = self_sufficiency(register, RUN_IN_WEEKS, RUN_IN_WEEKS + YEAR)
    everyone = np.concatenate([session.start_caseloads[s.slot] for s in students]) if students else np.empty(0, int)
    interviews = qualitative_interviews(truth, params, root, panel, np.sort(everyone)).interviews
    interviews = interviews[(interviews["week"] >= RUN_IN_WEEKS) & (interviews["week"] <= class_end)]
    rows = []
    groups = [(s.name, session.start_caseloads[s.slot]) for s in students] + [(WHOLE_CLASS, everyone)]
    for who, mine in groups:
        answers = survey[survey["citizen_id"].isin(mine)]
        for respondent in ("citizen", "caseworker"):
            scores = answers[(answers["respondent"] == respondent) & (answers["indicator"] != "caseworker_job_belief")]
            rows.append((who, world, "survey", f"mean_score_{respondent}", scores["score"].mean()))
        rows.append((who, world, "register", "self_sufficiency", degree.reindex(mine).mean()))
        told = interviews[interviews["citizen_id"].isin(mine)]
        rows.append((who, world, "interviews", "interviews", float(len(told))))
        counts = pd.Series([t for themes in told["themes"] for t in themes], dtype=object).value_counts()
        rows += [(who, world, "interviews", f"{THEME_PREFIX}{theme}", float(n)) for theme, n in counts.items()]
    return pd.DataFrame(rows, columns=["student", "world", "method", "measure", "value"])


def _export(session: ClassSession, students: list, worlds: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per student, round and citizen decided for: the decision, where it came from, and the outcomes."""
    rows = []
    names = {s.slot: s.name for s in students}
    for record in session.history:
        for slot, decisions in record.decisions.items():
            if slot not in names:
                continue
            for d in decisions:
                row = {
                    "student": names[slot],
                    "round": record.number,
                    "source": record.sources.get(slot, ""),
                    **{k: v for k, v in d.to_dict().items() if k != "citizen"},
                    "citizen_id": d.citizen,
                }
                for world in WORLDS:
                    for outcome in OUTCOMES:
                        row[f"{outcome}_{world}"] = worlds[world].at[d.citizen, outcome]
                rows.append(row)
    columns = ["student", "round", "citizen_id", "source", "meet", "job_focused", "support", "exempt", "belief"]
    table = pd.DataFrame(rows)
    if table.empty:
        return pd.DataFrame(columns=columns)
    return table[columns + [c for c in table.columns if c not in columns]]
