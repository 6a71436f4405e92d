"""What a caseworker sees of a citizen before a round: observed data only, never the latent truth.

A case file holds the register's background and history, the register status this week, the case itself
(weeks on benefit, meetings held with this caseworker, help running or waited for, an exemption), the latest
survey wave's answers of the citizen and of the caseworker side, what happened since the last round, and a
short note in the citizen's words from the last meeting. The survey and register are BIP's instruments
(:mod:`bipsim.instruments`) applied to the run so far; the note is worded by the qualitative instrument's
grammar (:mod:`bipsim.instruments.narratives`) from the citizen's own survey answers and recent events.

A caseworker does not see a citizen's trust in the jobcentre, so the case file never shows it; it shows, as
in life, only in what the citizen says: the note places the barrier in the citizen or in the system by the
interviews' rule (:func:`bipsim.instruments.interviews.barrier`), in which lost trust, like waiting or a new
caseworker, leans toward the system, and the citizen speaks from an orientation that lost trust may have
turned distrustful.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from bipsim.classroom.adapter import class_rng
from bipsim.classroom.decisions import SLOTS
from bipsim.contract.vocabulary import INTERVENTION_KEYS, ORIENTATION_KEYS
from bipsim.engine.columns import NEVER
from bipsim.instruments import narratives
from bipsim.instruments.interviews import barrier
from bipsim.instruments.parameters import instrument_parameters
from bipsim.instruments.register import background, register_history, register_weeks
from bipsim.instruments.survey import progression_survey
from bipsim.instruments.weekly import WeeklyPanel
from bipsim.model.model import BipModel
from bipsim.model.truth import Truth

SHOWN_EVENTS = (
    "meeting",
    "caseworker_change",
    "waiting_start",
    "waiting_end",
    "intervention_start",
    "intervention_end",
    "exemption",
    "hire",
    "separation",
    "status_change",
)
"""Events a caseworker learns of; a health shock shows only as the sickness it may cause (a status change)."""
SHOWN_STATUSES = ("sick", "rehabilitation", "flexi_job", "disability_pension", "education", "out")
SELF_SUPPORTING_CODES = ("ordinary_job", "education", "other_self_supporting")
NOTE_PURPOSE_BASE = 100
BARRIER_PURPOSE_BASE = 200
"""Class mode's stream purposes for a round's notes: their wording, and where each citizen places the barrier."""
TOLD_AS = {"waiting_start": "waiting", "caseworker_change": "caseworker_change", "exemption": "exemption"}
"""The case events the interviews count as experiences of the system, by the topic they are told as."""
UNKNOWN_HEALTH = 3.0
"""The health a note assumes where the citizen has not answered the survey: the scale's middle."""
HOPE_FROM, RESIGNED_UNTIL = 4, 2  # the citizen's own answer (1-5) on belief in being able to hold a job
UNIFORMS = 48


@dataclass
class CaseFile:
    """One citizen as their caseworker sees them before a round (language-independent values)."""

    citizen: int
    background: dict[str, object]
    history: dict[str, float]
    register: dict[str, object]
    case: dict[str, object]
    survey: dict[str, object]
    events: list[tuple[int, str, str]] = field(default_factory=list)
    note: dict[str, object] | None = None


@dataclass
class Observations:
    """The instruments applied to the run so far: the truth they read, the survey and the register."""

    truth: Truth
    survey: pd.DataFrame
    register: pd.DataFrame
    background: pd.DataFrame


def observe_so_far(model: BipModel) -> Observations:
    """Survey and register of the weeks run so far (what a jobcentre's systems hold now)."""
    truth = model.truth()
    panel = WeeklyPanel(truth.weekly)
    params = instrument_parameters(model.scenario)
    survey = progression_survey(truth, params, model.streams.seed_sequence, panel)
    return Observations(truth, survey, register_weeks(truth, panel), background(truth).set_index("citizen_id"))


def history_shares(model: BipModel) -> pd.DataFrame:
    """Each citizen's previous five years in the register: shares of weeks self-supporting and on benefit."""
    truth = model.truth()
    spells = register_history(
        truth, instrument_parameters(model.scenario).register_history, model.streams.seed_sequence
    )
    own = spells["benefit_code"].astype(str).isin(SELF_SUPPORTING_CODES).to_numpy()
    weeks = spells["weeks"].to_numpy(np.float64)
    frame = (
        pd.DataFrame({"citizen_id": spells["citizen_id"], "self": weeks * own, "benefit": weeks * ~own, "all": weeks})
        .groupby("citizen_id")[["self", "benefit", "all"]]
        .sum()
    )
    return pd.DataFrame(
        {"job_education_share": frame["self"] / frame["all"], "support_share": frame["benefit"] / frame["all"]}
    )


def case_files(
    model: BipModel,
    seen: Observations,
    history: pd.DataFrame,
    citizens: np.ndarray,
    since: int,
    round_number: int,
) -> list[CaseFile]:
    """The case files of ``citizens`` now, with what happened since week ``since``."""
    c, week = model.citizens, model.week
    survey = seen.survey[seen.survey["citizen_id"].isin(citizens)]
    events = seen.truth.events
    events = events[(events["week"] >= since) & events["citizen_id"].isin(citizens)]
    events = events[events["event"].isin(SHOWN_EVENTS)]
    register = seen.register[seen.register["week"] == week - 1].set_index("citizen_id") if week else None
    uniforms = class_rng(model, NOTE_PURPOSE_BASE + round_number).random((c.size, 2, UNIFORMS))
    barrier_draws = class_rng(model, BARRIER_PURPOSE_BASE + round_number).random(c.size)
    files = []
    for i in citizens.tolist():
        b = seen.background.loc[i]
        mine = events[events["citizen_id"] == i]
        happened = [
            (int(e.week), str(e.event), "" if pd.isna(e.detail) else str(e.detail))
            for e in mine.itertuples()
            if e.event != "status_change" or str(e.detail) in SHOWN_STATUSES
        ]
        help_now = {}
        for slot, kind in enumerate(SLOTS):
            if c.programme[i, slot] >= 0:
                help_now[kind] = (INTERVENTION_KEYS[c.programme[i, slot]], "running", int(c.programme_end[i, slot]))
            elif c.queue[i, slot] >= 0:
                help_now[kind] = (INTERVENTION_KEYS[c.queue[i, slot]], "waiting", int(c.queue_since[i, slot]))
        answers = _latest_answers(survey[survey["citizen_id"] == i])
        files.append(
            CaseFile(
                citizen=i,
                background={k: _plain(b[k]) for k in b.index if k != "jobcentre"},
                history={k: float(history.at[i, k]) for k in history.columns} if i in history.index else {},
                register={
                    "week": week - 1,
                    "benefit_code": str(register.at[i, "benefit_code"]) if register is not None else "",
                    "activity": ""
                    if register is None or pd.isna(register.at[i, "activity"])
                    else str(register.at[i, "activity"]),
                },
                case={
                    "benefit_weeks": int(c.benefit_weeks[i]),
                    "meetings_with_you": int(c.meetings_with_caseworker[i]),
                    "help": help_now,
                    "exempt_until": int(c.exempt_until[i]) if c.exempt_until[i] > week else None,
                    "next_meeting": int(c.next_meeting[i]) if c.next_meeting[i] < NEVER else None,
                },
                survey=answers,
                events=happened,
                note=_note(model, i, answers, happened, uniforms[i], barrier_draws[i]),
            )
        )
    return files


def _plain(value: object) -> object:
    return value.item() if isinstance(value, np.generic) else value


def _latest_answers(rows: pd.DataFrame) -> dict[str, object]:
    """The latest wave's answers: per indicator the citizen's and the caseworker side's score (or None)."""
    if rows.empty:
        return {"wave": None, "week": None, "answers": {}}
    latest = rows[rows["wave"] == rows["wave"].max()]
    answers: dict[str, dict[str, int | None]] = {}
    for r in latest.itertuples():
        answers.setdefault(str(r.indicator), {"citizen": None, "caseworker": None})[str(r.respondent)] = int(r.score)
    return {"wave": int(latest["wave"].iloc[0]), "week": int(latest["week"].iloc[0]), "answers": answers}


def _note(
    model: BipModel,
    citizen: int,
    answers: dict[str, object],
    happened: list,
    uniforms: np.ndarray,
    barrier_draw: float,
) -> dict[str, object] | None:
    """The citizen's words at the last meeting: how they see the future and what stands in their way.

    The future is worded from the citizen's own survey answer on work belief; the barrier by the interviews' rule,
    from the orientation the citizen speaks from, their own health answer, the system's doings in the case's
    events, and their trust in the jobcentre, which shows only in where they place it. Both languages make the
    same choices.
    """
    meetings = [w for w, kind, _ in happened if kind == "meeting"]
    if not meetings:
        return None
    own = answers.get("answers", {})  # type: ignore[union-attr]
    belief = (own.get("work_belief") or {}).get("citizen")
    health = (own.get("health") or {}).get("citizen")
    future = (
        "ambivalent"
        if belief is None
        else "hope"
        if belief >= HOPE_FROM
        else ("resignation" if belief <= RESIGNED_UNTIL else "ambivalent")
    )
    c = model.citizens
    orientation = ORIENTATION_KEYS[c.orientation[citizen]]
    recent = [TOLD_AS[kind] for week, kind, _ in happened if week <= max(meetings) and kind in TOLD_AS]
    where = barrier(
        {"health": UNKNOWN_HEALTH if health is None else float(health)},
        orientation,
        float(c.trust[citizen]),
        recent,
        pd.Series({"psychiatric_diagnosis": bool(c.psychiatric_diagnosis[citizen])}),
        barrier_draw,
    )
    voice = {"orientation": orientation, "fillers": [0, 1, 2]}
    told = (narratives.Told("future", {}, (future,)), where)
    text = {
        language: " ".join(narratives.render_answer(t, voice, uniforms[k], language) for k, t in enumerate(told))
        for language in ("da", "en")
    }
    return {"week": max(meetings), **text}
