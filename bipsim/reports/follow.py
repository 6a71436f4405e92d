"""One citizen's life in a bundle: register spells, caseworkers, activities, survey answers and interviews.

What a student or researcher does first with a new data set is to look at one case. :func:`read_life`
collects everything a bundle holds about one citizen — the weekly register (benefit code, activity,
caseworker, employer), observed meetings, survey answers of the citizen and the caseworker by wave and the
interviews, and with ``truth`` the hidden side: true weekly status, events the register does not record
and latent readiness. :func:`life_in_run` collects the same from a finished run in memory, so the sandbox
app follows a citizen of the run it shows without writing a bundle. :func:`timeline` turns the weeks into
spells and changes ("weeks 0-12 social assistance, activity-ready", "week 13 caseworker change 17→42");
:func:`draw_png`, :func:`figures` and :func:`page` draw the same life on lanes. Every label comes from the
contract's tables, in Danish or English.
"""

from __future__ import annotations

import html
import io
import os
import textwrap
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from math import ceil
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from bipsim.contract.codes import BENEFIT_CODES, RESPONDENT_TERMS
from bipsim.contract.schema import OBSERVED
from bipsim.contract.themes import THEMES
from bipsim.contract.vocabulary import (
    CASEWORKER_STYLES,
    EVENT_KINDS,
    INDICATORS,
    INTERVENTIONS,
    ORIENTATIONS,
    STATUSES,
    Term,
)
from bipsim.dataset.bundle import Bundle
from bipsim.engine.columns import READINESS_WEIGHTS
from bipsim.reports import palette

if TYPE_CHECKING:
    import holoviews as hv

    from bipsim.instruments import Observed
    from bipsim.model import BipModel
    from bipsim.model.truth import Truth

LANGUAGES = ("en", "da")
TRUTH_EVENTS = ("health_shock", "exemption", "hire", "separation")  # what happened that no register code shows
EXCERPT = 220  # characters of an interview shown on the console
LANES = ("register", "activity", "caseworker", "employer", "meetings", "interviews", "truth")
UNKNOWN_COLOUR = "#999999"

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "header": "citizen {cid} in {bundle} (scenario {scenario}, seed {seed}; {weeks} weeks)",
        "weeks": "weeks {a}-{b}",
        "week": "week {a}",
        "week_axis": "week",
        "timeline": "Timeline (register codes and activities, caseworkers, observed meetings, interviews)",
        "timeline_truth": "Timeline, with the truth (marked *) that the observed data do not show",
        "caseworker": "caseworker {new}",
        "caseworker_change": "caseworker change {old}→{new}",
        "no_caseworker": "no caseworker (was {old})",
        "activity": "activity: {label}",
        "employer": "at employer {id}",
        "meeting": "observed meeting with caseworker {id} ({style}), their meeting no. {n}",
        "offer": "; offered: {offer}",
        "exempted": "; exempted from contact",
        "interview": "interview, wave {wave}: {themes}",
        "true_status": "* status: {label}",
        "true_event": "* {label}",
        "survey": "Survey answers (1-5) by wave",
        "survey_none": "No survey answers: the citizen is not in the survey sample or never answered.",
        "wave": "wave",
        "interviews": "Interviews",
        "interviews_none": "Not interviewed: the citizen is not in the qualitative sample.",
        "themes": "themes",
        "readiness": "* hidden readiness (latent, 1-5)",
        "latent": "* latent indicators (1-5)",
        "orientation": "* orientation: {label}",
        "meetings_total": "* meetings with a caseworker: {n}",
        "yes": "yes",
        "no": "no",
        "none": "none",
        "mean_answer": "mean answer (1-5)",
        "title": "Citizen {cid}: {weeks} weeks in the register, the survey and the interviews",
        "lane_register": "register code",
        "lane_activity": "activity",
        "lane_caseworker": "caseworker",
        "lane_employer": "employer",
        "lane_meetings": "observed meetings",
        "lane_interviews": "interviews",
        "lane_truth": "true status",
    },
    "da": {
        "header": "borger {cid} i {bundle} (scenarie {scenario}, seed {seed}; {weeks} uger)",
        "weeks": "uge {a}-{b}",
        "week": "uge {a}",
        "week_axis": "uge",
        "timeline": "Forløb (registerkoder og indsatser, sagsbehandlere, observerede samtaler, interview)",
        "timeline_truth": "Forløb, med sandheden (markeret *) som de observerede data ikke viser",
        "caseworker": "sagsbehandler {new}",
        "caseworker_change": "sagsbehandlerskift {old}→{new}",
        "no_caseworker": "ingen sagsbehandler (havde {old})",
        "activity": "indsats: {label}",
        "employer": "hos arbejdsgiver {id}",
        "meeting": "observeret samtale med sagsbehandler {id} ({style}), deres samtale nr. {n}",
        "offer": "; tilbudt: {offer}",
        "exempted": "; fritaget fra kontakt",
        "interview": "interview, runde {wave}: {themes}",
        "true_status": "* status: {label}",
        "true_event": "* {label}",
        "survey": "Svar i progressionsmålingen (1-5) pr. runde",
        "survey_none": "Ingen svar: borgeren er ikke i målingens stikprøve eller svarede aldrig.",
        "wave": "runde",
        "interviews": "Interview",
        "interviews_none": "Ikke interviewet: borgeren er ikke i den kvalitative stikprøve.",
        "themes": "temaer",
        "readiness": "* skjult parathed (latent, 1-5)",
        "latent": "* latente indikatorer (1-5)",
        "orientation": "* orientering: {label}",
        "meetings_total": "* samtaler med en sagsbehandler: {n}",
        "yes": "ja",
        "no": "nej",
        "none": "ingen",
        "mean_answer": "gennemsnitligt svar (1-5)",
        "title": "Borger {cid}: {weeks} uger i registret, målingen og interviewene",
        "lane_register": "registerkode",
        "lane_activity": "indsats",
        "lane_caseworker": "sagsbehandler",
        "lane_employer": "arbejdsgiver",
        "lane_meetings": "observerede samtaler",
        "lane_interviews": "interview",
        "lane_truth": "sand status",
    },
}


def word(key: str, language: str, **values: Any) -> str:
    """The text ``key`` in ``language`` (da or en), with ``values`` filled in."""
    return WORDS[language][key].format(**values)


def _labels(terms: tuple[Term, ...], language: str) -> dict[str, str]:
    return {t.key: getattr(t, language) for t in terms}


class FollowError(Exception):
    """A citizen that cannot be followed (not in the bundle, or no truth to show); the message says why."""


@dataclass
class Life:
    """Everything a bundle (or a run in memory) holds about one citizen; the truth tables are ``None`` unless asked for.

    ``bundle`` is where the life was read: the bundle's folder, or a description of the run in memory.
    """

    citizen_id: int
    bundle: Path | str
    manifest: dict[str, Any]
    background: pd.Series
    register: pd.DataFrame
    survey: pd.DataFrame
    interviews: pd.DataFrame
    meetings: pd.DataFrame
    truth_weekly: pd.DataFrame | None = None
    truth_events: pd.DataFrame | None = None
    truth_latent: pd.DataFrame | None = None
    orientation: str | None = None

    @property
    def weeks(self) -> int:
        return int(self.register["week"].max()) + 1 if len(self.register) else 0

    @property
    def has_truth(self) -> bool:
        return self.truth_weekly is not None


def citizen_ids_text(ids: np.ndarray, interviewed: np.ndarray) -> str:
    """The allowed citizen ids, briefly: their range (or some of them) and some interviewed ones."""
    ids = np.unique(ids)
    if ids.size == 0:
        return "the bundle has no citizens"
    contiguous = ids[-1] - ids[0] + 1 == ids.size
    text = f"ids run from {ids[0]} to {ids[-1]}" if contiguous else f"ids include {', '.join(map(str, ids[:8]))}"
    interviewed = np.unique(interviewed)
    if interviewed.size:
        text += f"; interviewed citizens include {', '.join(map(str, interviewed[:8]))}"
    return text


OBSERVED_TABLES = ("citizens", "register_weeks", "survey", "interviews", "meetings_observed")
TRUTH_TABLES = ("weekly", "events", "latent", "citizens")


def read_life(bundle: Bundle, citizen_id: int, truth: bool = False) -> Life:
    """Collect citizen ``citizen_id``'s rows of every table of ``bundle`` (with its truth when ``truth``).

    Raises :class:`FollowError` when the citizen is not in the bundle's register, or when ``truth`` is asked
    for and the bundle has no truth tables.
    """
    register = bundle.register_weeks
    if not (register["citizen_id"] == citizen_id).any():
        raise FollowError(
            f"citizen {citizen_id} is not in {bundle.path}: its "
            f"{citizen_ids_text(register['citizen_id'].to_numpy(), bundle.interviews['citizen_id'].to_numpy())}"
        )
    if truth and not set(TRUTH_TABLES) <= set(bundle.truth.names):
        raise FollowError(
            f"--truth: {bundle.path} has no truth tables (truth/weekly, events, latent, citizens); "
            "a bundle written by bipsim run --out has them"
        )
    observed = {name: getattr(bundle, name) for name in OBSERVED_TABLES}
    hidden = {name: getattr(bundle.truth, name) for name in TRUTH_TABLES} if truth else None
    return collect_life(citizen_id, observed, hidden, bundle.manifest, bundle.path)


def life_in_run(model: BipModel, citizen_id: int, observed: Observed | None = None, truth: Truth | None = None) -> Life:
    """Citizen ``citizen_id``'s life in a finished ``model`` run in memory, always with the truth.

    ``observed`` and ``truth`` are the run's tables when they are already built (else they are built here).
    Raises :class:`FollowError` when the run has no such citizen.
    """
    from bipsim.instruments import observe

    truth = truth if truth is not None else model.truth()
    observed = observed if observed is not None else observe(model, truth)
    register = observed.register_weeks
    if not (register["citizen_id"] == citizen_id).any():
        raise FollowError(
            f"citizen {citizen_id} is not in this run: its "
            f"{citizen_ids_text(register['citizen_id'].to_numpy(), observed.interviews['citizen_id'].to_numpy())}"
        )
    manifest = {"scenario_name": model.scenario.name, "seed": model.seed}
    tables = {name: getattr(observed, name) for name in OBSERVED_TABLES}
    hidden = {name: getattr(truth, name) for name in TRUTH_TABLES}
    return collect_life(citizen_id, tables, hidden, manifest, "the run in memory")


def collect_life(
    citizen_id: int,
    observed: Mapping[str, pd.DataFrame],
    truth: Mapping[str, pd.DataFrame] | None,
    manifest: dict[str, Any],
    source: Path | str,
) -> Life:
    """One citizen's rows of the observed tables (and of the truth tables, unless ``truth`` is None).

    ``observed`` holds :data:`OBSERVED_TABLES` and ``truth`` :data:`TRUTH_TABLES` by name, as a bundle or a
    run in memory has them; the citizen is assumed to be in the register (the callers check, each naming its
    source in the message).
    """

    def rows(frame: pd.DataFrame, by: str = "week") -> pd.DataFrame:
        return frame[frame["citizen_id"] == citizen_id].sort_values(by).reset_index(drop=True)

    citizens = observed["citizens"]
    background = citizens[citizens["citizen_id"] == citizen_id]
    life = Life(
        citizen_id=citizen_id,
        bundle=source,
        manifest=manifest,
        background=background.iloc[0] if len(background) else pd.Series(dtype=object),
        register=rows(observed["register_weeks"]),
        survey=rows(observed["survey"], "wave"),
        interviews=rows(observed["interviews"], "wave"),
        meetings=rows(observed["meetings_observed"]),
    )
    if truth is not None:
        life.truth_weekly = rows(truth["weekly"])
        life.truth_events = rows(truth["events"])
        life.truth_latent = rows(truth["latent"])
        hidden = truth["citizens"]
        life.orientation = str(hidden.loc[hidden["citizen_id"] == citizen_id, "orientation"].iloc[0])
    return life


# --- the timeline -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """A line of the timeline: a spell (``start`` to ``end``, exclusive) or a change (``end`` = ``start`` + 1)."""

    start: int
    end: int
    lane: str
    text: str
    key: str = ""
    spell: bool = True


def spells(values: np.ndarray) -> list[tuple[int, int, Any]]:
    """Runs of equal values as ``(start, end, value)``, ``end`` exclusive; missing values form runs too."""
    if values.size == 0:
        return []
    keys = pd.Series(values).astype("string").fillna("<NA>").to_numpy()
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    ends = np.r_[starts[1:], keys.size]
    return [(int(a), int(b), values[a]) for a, b in zip(starts, ends, strict=True)]


def _missing(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value))


def timeline(life: Life, language: str = "en") -> list[Entry]:
    """The citizen's life as spells and changes, in week order (with the truth, marked, when ``life`` has it)."""
    weeks = life.register["week"].to_numpy()
    codes = _labels(BENEFIT_CODES, language)
    activities = _labels(INTERVENTIONS, language)
    styles = _labels(CASEWORKER_STYLES, language)
    themes = _labels(THEMES, language)
    entries: list[Entry] = []
    for a, b, code in spells(life.register["benefit_code"].astype(str).to_numpy()):
        entries.append(Entry(int(weeks[a]), int(weeks[b - 1]) + 1, "register", codes.get(code, code), code))
    for a, b, activity in spells(life.register["activity"].astype(str).to_numpy()):
        if activity != "none":
            text = word("activity", language, label=activities.get(activity, activity))
            entries.append(Entry(int(weeks[a]), int(weeks[b - 1]) + 1, "activity", text, activity))
    previous = None
    for a, _, caseworker in spells(life.register["caseworker_id"].to_numpy(dtype=object, na_value=None)):
        if _missing(caseworker):
            if previous is not None:
                text = word("no_caseworker", language, old=previous)
                entries.append(Entry(int(weeks[a]), int(weeks[a]) + 1, "caseworker", text, spell=False))
            continue
        key = "caseworker" if previous is None else "caseworker_change"
        text = word(key, language, old=previous, new=caseworker)
        entries.append(Entry(int(weeks[a]), int(weeks[a]) + 1, "caseworker", text, str(caseworker), spell=False))
        previous = caseworker
    for a, b, employer in spells(life.register["employer_id"].to_numpy(dtype=object, na_value=None)):
        if not _missing(employer):
            text = word("employer", language, id=employer)
            entries.append(Entry(int(weeks[a]), int(weeks[b - 1]) + 1, "employer", text, str(employer)))
    for row in life.meetings.itertuples():
        style = styles.get(str(row.caseworker_style), str(row.caseworker_style)).lower()
        text = word("meeting", language, id=row.caseworker_id, style=style, n=row.meeting_with_caseworker)
        offers = [o.strip() for o in str(row.offer).split(",") if o.strip() not in ("", "none")]
        if offers:
            text += word("offer", language, offer=", ".join(activities.get(o, o) for o in offers))
        if row.exemption:
            text += word("exempted", language)
        entries.append(Entry(int(row.week), int(row.week) + 1, "meetings", text, spell=False))
    for row in life.interviews.itertuples():
        named = ", ".join(themes.get(t, t) for t in row.themes) or "-"
        text = word("interview", language, wave=row.wave, themes=named)
        entries.append(Entry(int(row.week), int(row.week) + 1, "interviews", text, spell=False))
    if life.has_truth:
        entries += _truth_entries(life, language)
    order = {lane: k for k, lane in enumerate(LANES)}
    return sorted(entries, key=lambda e: (e.start, order[e.lane]))


def _truth_entries(life: Life, language: str) -> list[Entry]:
    statuses = _labels(STATUSES, language)
    events = _labels(EVENT_KINDS, language)
    weekly = life.truth_weekly
    weeks = weekly["week"].to_numpy()
    entries = [
        Entry(
            int(weeks[a]),
            int(weeks[b - 1]) + 1,
            "truth",
            word("true_status", language, label=statuses.get(s, s)),
            s,
        )
        for a, b, s in spells(weekly["status"].astype(str).to_numpy())
    ]
    shown = life.truth_events[life.truth_events["event"].astype(str).isin(TRUTH_EVENTS)]
    for row in shown.itertuples():
        text = word("true_event", language, label=events[str(row.event)])
        entries.append(Entry(int(row.week), int(row.week) + 1, "truth", text, str(row.event), spell=False))
    return entries


def format_timeline(entries: list[Entry], language: str = "en") -> str:
    """The timeline as aligned lines: the week or weeks, then what happened."""

    def when(entry: Entry) -> str:
        if entry.spell and entry.end - entry.start > 1:
            return word("weeks", language, a=entry.start, b=entry.end - 1)
        return word("week", language, a=entry.start)

    cells = [when(e) for e in entries]
    width = max((len(c) for c in cells), default=0)
    return "\n".join(f"  {c:<{width}}  {e.text}" for c, e in zip(cells, entries, strict=True))


# --- survey, interviews, truth ---------------------------------------------------------------------------------


def survey_table(life: Life, language: str = "en") -> str:
    """Each respondent's answers: one row per indicator, one column per wave ('.' where none)."""
    if life.survey.empty:
        return "  " + word("survey_none", language)
    waves = sorted(life.survey["wave"].unique())
    weeks = life.survey.groupby("wave")["week"].min()
    indicators = _labels(INDICATORS, language)
    respondents = _labels(RESPONDENT_TERMS, language)
    width = max(len(label) for label in indicators.values()) + 2
    lines = []
    for respondent in respondents:
        answers = life.survey[life.survey["respondent"].astype(str) == respondent]
        if answers.empty:
            continue
        grid = answers.pivot_table(index="indicator", columns="wave", values="score", aggfunc="first", observed=True)
        lines.append(f"  {respondents[respondent]}")
        lines.append(f"    {word('wave', language):<{width}}" + "".join(f"{w:>4}" for w in waves))
        lines.append(f"    {word('week_axis', language):<{width}}" + "".join(f"{weeks[w]:>4}" for w in waves))
        for key, text in indicators.items():
            if key not in grid.index:
                continue
            cells = [grid.loc[key].get(w, np.nan) for w in waves]
            lines.append(f"    {text:<{width}}" + "".join(f"{'.' if pd.isna(c) else int(c):>4}" for c in cells))
    return "\n".join(lines)


def hidden_readiness(life: Life) -> pd.DataFrame:
    """Latent indicators and readiness (their weighted mean, as the model defines it) at each recording week."""
    latent = life.truth_latent
    keys = [i.key for i in INDICATORS]
    return latent.assign(readiness=latent[keys].to_numpy(dtype=np.float64) @ READINESS_WEIGHTS.astype(np.float64))


def truth_table(life: Life, language: str = "en") -> str:
    """The hidden side: orientation, meetings, and latent indicators and readiness by recording week."""
    frame = hidden_readiness(life)
    indicators = _labels(INDICATORS, language)
    width = max(len(label) for label in indicators.values()) + 2
    meetings = int((life.truth_events["event"].astype(str) == "meeting").sum())
    lines = [
        "  " + word("orientation", language, label=_labels(ORIENTATIONS, language).get(life.orientation, "?")),
        "  " + word("meetings_total", language, n=meetings),
        "  " + word("latent", language),
        f"    {word('week_axis', language):<{width}}" + "".join(f"{w:>5}" for w in frame["week"]),
        f"    {word('readiness', language)[2:]:<{width}}" + "".join(f"{v:>5.1f}" for v in frame["readiness"]),
    ]
    for key, text in indicators.items():
        lines.append(f"    {text:<{width}}" + "".join(f"{v:>5.1f}" for v in frame[key]))
    return "\n".join(lines)


def interview_excerpts(life: Life, language: str = "en") -> str:
    """Each interview: wave, week, themes and the start of the narrative, in the chosen language."""
    if life.interviews.empty:
        return "  " + word("interviews_none", language)
    themes = _labels(THEMES, language)
    column = "text_da" if language == "da" else "text_en"
    lines = []
    for row in life.interviews.itertuples():
        named = ", ".join(themes.get(t, t) for t in row.themes) or "-"
        lines.append(f"  {word('wave', language)} {row.wave}, {word('week', language, a=row.week)}: {named}")
        text = textwrap.shorten(citizen_answers(str(getattr(row, column))), EXCERPT, placeholder=" ...")
        lines.append(textwrap.fill(f"“{text}”", 100, initial_indent="    ", subsequent_indent="     "))
    return "\n".join(lines)


ANSWER_PREFIXES = ("Citizen:", "Borger:")
"""How a transcript marks the citizen's turns (the interviewer's questions are left out of an excerpt)."""


def citizen_answers(transcript: str) -> str:
    """The citizen's turns of an interview transcript, joined: an excerpt shows what the citizen said."""
    turns = [line for line in transcript.splitlines() if line.startswith(ANSWER_PREFIXES)]
    if not turns:
        return transcript  # not a transcript of turns: the text as it is
    return " ".join(line.split(":", 1)[1].strip() for line in turns)


def background_text(life: Life, language: str = "en") -> str:
    """The citizen's background from the register, each value named by its declared column label."""
    columns = {c.name: c for c in OBSERVED[0].columns}
    parts = []
    for name, value in life.background.items():
        if name == "citizen_id" or name not in columns:
            continue
        shown = word("yes" if value else "no", language) if isinstance(value, (bool, np.bool_)) else value
        shown = str(shown).replace("_", " ")
        parts.append(f"{getattr(columns[name], language).rstrip('.')}: {shown}")
    return "; ".join(parts)


def format_life(life: Life, language: str = "en") -> str:
    """Everything the console shows: header, background, timeline, survey answers, interviews (and truth)."""
    manifest = life.manifest
    header = word(
        "header",
        language,
        cid=life.citizen_id,
        bundle=life.bundle,
        scenario=repr(manifest.get("scenario_name", "?")),
        seed=manifest.get("seed", "?"),
        weeks=life.weeks,
    )
    return f"bipsim follow: {header}\n{life_text(life, language)}"


def life_text(life: Life, language: str = "en") -> str:
    """The life without the console's header: background, timeline, survey answers, interviews (and truth)."""
    parts = [
        textwrap.fill(background_text(life, language), 110, initial_indent="  ", subsequent_indent="  "),
        "",
        word("timeline_truth" if life.has_truth else "timeline", language),
        format_timeline(timeline(life, language), language),
        "",
        word("survey", language),
        survey_table(life, language),
    ]
    if life.has_truth:
        parts += ["", truth_table(life, language)]
    parts += ["", word("interviews", language), interview_excerpts(life, language)]
    return "\n".join(parts)


# --- the figure --------------------------------------------------------------------------------------------------


def _colour_of(lane: str, key: str) -> str:
    """A spell's colour: terms from the shared palette, caseworkers and employers told apart by their id."""
    from matplotlib import colormaps
    from matplotlib.colors import to_hex

    if lane == "register":
        return palette.colour("benefit", key)
    if lane == "activity":
        return palette.colour("activity", key)
    if lane == "truth":
        return palette.colour("status", key)
    if lane in ("caseworker", "employer"):
        return to_hex(colormaps["Set2"](int(key) % 8)) if key.isdigit() else UNKNOWN_COLOUR
    return "#333333"


POINT_EVENTS = {"meetings": "meeting", "caseworker": "caseworker_change"}  # a point lane's event kind
POINT_MARKERS = {"meetings": "square", "interviews": "star", "caseworker": "inverted_triangle", "truth": "diamond"}
LEGEND_LANES = ("register", "activity", "truth")  # spell lanes whose colours stand for terms the legend names


def _point_event(lane: str, key: str) -> str:
    """The kind of a point on ``lane``: an event kind of the vocabulary, or ``interview``."""
    return "interview" if lane == "interviews" else POINT_EVENTS.get(lane, key)


def _point_colour(event: str) -> str:
    return palette.INTERVIEW_COLOUR if event == "interview" else palette.colour("event", event)


def figure_data(life: Life, language: str = "en") -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The figure's three tables: spells on lanes, point events on lanes, and mean answers (and readiness) by week.

    Every spell and point carries its colour from :mod:`bipsim.reports.palette`, so one kind has one colour for
    every citizen.
    """
    entries = timeline(life, language)
    lanes = [lane for lane in LANES if lane != "truth" or life.has_truth]
    y_of = {lane: float(len(lanes) - 1 - k) for k, lane in enumerate(lanes)}
    caseworkers = _caseworker_spells(life)
    names = {
        "register": _labels(BENEFIT_CODES, language),
        "activity": _labels(INTERVENTIONS, language),
        "truth": _labels(STATUSES, language),
    }
    spell_rows = [
        {"lane": e.lane, "start": e.start, "end": e.end, "text": names.get(e.lane, {}).get(e.key, e.text), "key": e.key}
        for e in entries
        if e.spell and e.lane in ("register", "activity", "employer", "truth")
    ] + caseworkers
    spells_frame = pd.DataFrame(spell_rows, columns=["lane", "start", "end", "text", "key"])
    spells_frame["y"] = spells_frame["lane"].map(y_of)
    spells_frame["colour"] = [
        _colour_of(lane, key) for lane, key in zip(spells_frame["lane"], spells_frame["key"], strict=True)
    ]
    point_rows = [
        {"lane": e.lane, "week": e.start, "text": e.text, "event": _point_event(e.lane, e.key)}
        for e in entries
        if not e.spell and e.lane in ("meetings", "interviews", "truth") or (e.lane == "caseworker" and "→" in e.text)
    ]
    points = pd.DataFrame(point_rows, columns=["lane", "week", "text", "event"])
    points["colour"] = [_point_colour(event) for event in points["event"]]
    points["y"] = points["lane"].map(y_of)
    means = (
        life.survey[life.survey["indicator"].astype(str) != "caseworker_job_belief"]
        .groupby(["respondent", "week"], observed=True)["score"]
        .mean()
        .reset_index()
    )
    respondents = _labels(RESPONDENT_TERMS, language)
    answers = pd.DataFrame(
        {
            "series": means["respondent"].astype(str).map(respondents),
            "week": means["week"].astype(int),
            "value": means["score"].astype(float),
        }
    )
    if life.has_truth:
        hidden = hidden_readiness(life)
        readiness = pd.DataFrame(
            {"series": word("readiness", language)[2:], "week": hidden["week"], "value": hidden["readiness"]}
        )
        answers = pd.concat([answers, readiness], ignore_index=True)
    return spells_frame, points, answers


def _caseworker_spells(life: Life) -> list[dict[str, Any]]:
    weeks = life.register["week"].to_numpy()
    out = []
    for a, b, caseworker in spells(life.register["caseworker_id"].to_numpy(dtype=object, na_value=None)):
        if not _missing(caseworker):
            out.append(
                {
                    "lane": "caseworker",
                    "start": int(weeks[a]),
                    "end": int(weeks[b - 1]) + 1,
                    "text": str(caseworker),
                    "key": str(caseworker),
                }
            )
    return out


def draw_png(life: Life, target: Any, language: str = "en") -> None:
    """The citizen's life on lanes (top) and their mean survey answers by week (bottom), to ``target``."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    spells_frame, points, answers = figure_data(life, language)
    lanes = [lane for lane in LANES if lane != "truth" or life.has_truth]
    fig, (top, bottom) = plt.subplots(
        2, 1, figsize=(13, 4.2 + 0.55 * len(lanes)), gridspec_kw={"height_ratios": [len(lanes), 3], "hspace": 0.45}
    )
    for row in spells_frame.itertuples():
        top.barh(row.y, row.end - row.start, left=row.start - 0.5, height=0.6, color=row.colour, edgecolor="white")
        if row.end - row.start >= max(life.weeks // 14, 3):
            top.text((row.start + row.end) / 2 - 0.5, row.y, _short(row.text), ha="center", va="center", fontsize=7)
    named = spells_frame[spells_frame["lane"].isin(["register", "activity", "truth"])].drop_duplicates("text")
    handles = [Patch(color=row.colour, label=row.text) for row in named.itertuples()]
    top.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.04), ncols=4, fontsize=8, frameon=False)
    markers = {"meetings": "s", "interviews": "*", "truth": "D", "caseworker": "v"}
    for lane, part in points.groupby("lane", sort=False):
        top.scatter(part["week"], part["y"], marker=markers.get(lane, "o"), color=part["colour"], s=40, zorder=3)
    top.set_yticks([len(lanes) - 1 - k for k in range(len(lanes))], [word(f"lane_{lane}", language) for lane in lanes])
    top.set_ylim(-0.6, len(lanes) - 0.4)
    top.grid(axis="x", color="#e5e5e5")
    top.set_xlim(-1, max(life.weeks, 1))
    top.tick_params(labelbottom=False)
    top.set_title(word("title", language, cid=life.citizen_id, weeks=life.weeks), loc="left", fontsize=12)
    for series, part in answers.groupby("series", sort=False):
        style = "--" if life.has_truth and series == word("readiness", language)[2:] else "-"
        bottom.plot(part["week"], part["value"], style, marker="o", label=series)
    bottom.set_ylim(0.8, 5.2)
    bottom.set_ylabel(word("mean_answer", language))
    bottom.set_xlabel(word("week_axis", language))
    bottom.set_xlim(-1, max(life.weeks, 1))
    bottom.grid(color="#e5e5e5")
    if len(answers):
        bottom.legend(fontsize=8, loc="upper left")
    fig.savefig(target, dpi=110, format="png", bbox_inches="tight")
    plt.close(fig)


def _short(text: str, limit: int = 28) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def figures(life: Life, language: str = "en") -> tuple[hv.Overlay, hv.Overlay]:
    """The citizen's life as two hoverable HoloViews figures: the lanes, and the mean answers (and readiness).

    Loads Bokeh as the plotting backend unless it is loaded; :func:`page` embeds them, the sandbox shows them.
    """
    import holoviews as hv

    if "bokeh" not in hv.Store.renderers:
        hv.extension("bokeh", logo=False)
    spells_frame, points, answers = figure_data(life, language)
    lanes = [lane for lane in LANES if lane != "truth" or life.has_truth]
    ticks = [(len(lanes) - 1 - k, word(f"lane_{lane}", language)) for k, lane in enumerate(lanes)]
    x_range = (-1, max(life.weeks, 1))
    lanes_plot = hv.Overlay([*_spell_layers(spells_frame), *_point_layers(points, language)]).opts(
        width=1000,
        height=60 * len(lanes) + 80 + LEGEND_ROW * ceil(len(_legend_names(spells_frame, points)) / LEGEND_COLUMNS),
        yticks=ticks,
        legend_position="bottom",
        legend_cols=LEGEND_COLUMNS,
        ylim=(-0.6, len(lanes) - 0.4),
        xlim=x_range,
        xlabel=word("week_axis", language),
        ylabel="",
        show_grid=True,
    )
    curves = [
        hv.Curve(part, "week", "value", label=str(series)).opts(tools=["hover"])
        * hv.Scatter(part, "week", "value", label=str(series)).opts(size=6)
        for series, part in answers.groupby("series", sort=False)
    ]
    answers_plot = hv.Overlay(curves).opts(
        width=1000,
        height=260,
        ylim=(0.8, 5.2),
        xlim=x_range,
        ylabel=word("mean_answer", language),
        xlabel=word("week_axis", language),
        legend_position="top_left",
        show_grid=True,
    )
    return lanes_plot, answers_plot


LEGEND_COLUMNS = 4
LEGEND_ROW = 24  # pixels a row of the legend below the lanes takes


def _legend_names(spells_frame: pd.DataFrame, points: pd.DataFrame) -> list[str]:
    named = spells_frame[spells_frame["lane"].isin(LEGEND_LANES)]
    return [*dict.fromkeys(zip(named["lane"], named["key"], strict=True)), *dict.fromkeys(points["event"])]


def _spell_layers(spells_frame: pd.DataFrame) -> list[hv.Segments]:
    """The spells: one layer per register code, activity and true status, named by its term in the legend.

    Caseworkers and employers are one unnamed layer; their ids show on hover.
    """
    import holoviews as hv

    kdims, vdims = ["start", "y", "end", "y"], ["text", "colour"]
    layers = [
        hv.Segments(part, kdims, vdims, label=part["text"].iloc[0]).opts(
            color=part["colour"].iloc[0], line_width=18, tools=["hover"]
        )
        for _, part in spells_frame[spells_frame["lane"].isin(LEGEND_LANES)].groupby(["lane", "key"], sort=False)
    ]
    others = spells_frame[~spells_frame["lane"].isin(LEGEND_LANES)]
    return [*layers, hv.Segments(others, kdims, vdims).opts(color="colour", line_width=18, tools=["hover"])]


def _point_layers(points: pd.DataFrame, language: str) -> list[hv.Scatter]:
    """The points, one layer per kind (meeting, caseworker change, interview, each true event) in its colour."""
    import holoviews as hv

    events = _labels(EVENT_KINDS, language)
    layers = []
    for event, part in points.groupby("event", sort=False):
        name = word("lane_interviews", language) if event == "interview" else events.get(str(event), str(event))
        layers.append(
            hv.Scatter(part, "week", ["y", "text"], label=name.capitalize()).opts(
                color=part["colour"].iloc[0],
                size=16 if event == "interview" else 11,  # a star drawn as small as a square is a dot
                marker=POINT_MARKERS.get(str(part["lane"].iloc[0]), "circle"),
                line_color="white",
                tools=["hover"],
            )
        )
    return layers


def page(life: Life, language: str = "en") -> str:
    """The citizen's life as a self-contained HTML page: hoverable lanes and answers, and the console text."""
    import holoviews as hv

    from bipsim.reports.analysis import embed, standalone_page

    hv.extension("bokeh", logo=False)
    lanes_plot, answers_plot = figures(life, language)
    script, divs = embed({"lanes": lanes_plot, "answers": answers_plot})
    text = html.escape(format_life(life, language))
    body = f"<figure>{divs['lanes']}</figure><figure>{divs['answers']}</figure><pre>{text}</pre>"
    title = word("title", language, cid=life.citizen_id, weeks=life.weeks)
    document = standalone_page(title, script, body).replace("max-width:1000px", "max-width:1100px", 1)
    return document.replace("<html lang='en'>", f"<html lang='{language}'>", 1)


def figure_paths(out: Path) -> tuple[Path, Path]:
    """The HTML page at ``out`` and the PNG beside it (the same name ending in .png)."""
    return out, out.with_suffix(".png")


def check_target(out: Path, force: bool) -> None:
    """Refuse an ``--out`` that is not an .html file name, or whose files exist (unless ``force``)."""
    if out.suffix.lower() not in (".html", ".htm"):
        raise FollowError(f"name an .html file (the PNG is written beside it), not {out.name!r}")
    for path in figure_paths(out):
        if path.is_dir():
            raise FollowError(f"{path} is a folder")
        if path.exists() and not force:
            raise FollowError(f"{path} exists; choose another name or pass --force to replace it")


def write_figures(life: Life, out: str | Path, language: str = "en", force: bool = False) -> tuple[Path, Path]:
    """Write the page to ``out`` and the PNG beside it, each atomically; return both paths."""
    html_path, png_path = figure_paths(Path(out).absolute())
    check_target(html_path, force)
    buffer = io.BytesIO()
    draw_png(life, buffer, language)
    text = page(life, language).encode("utf-8")
    _write_atomically(png_path, buffer.getvalue())
    _write_atomically(html_path, text)
    return html_path, png_path


def _write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to a hidden file beside ``path`` and rename it into place: never a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.parent / f".{path.name}.partial-{uuid.uuid4().hex[:12]}"
    try:
        with open(temporary, "xb") as file:  # created with the usual permissions (umask), unlike mkstemp's 0600
            file.write(data)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
