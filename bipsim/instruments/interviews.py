"""The qualitative longitudinal study: repeated interviews, observed meetings and employer interviews.

HOW IT WORKS. At week 0, ``qualitative_study.citizens`` activity-ready citizens are sampled
(``qualitative_study.sampling``): purposively, as a qualitative study recruits (every orientation about
equally, and within it the citizens that add a jobcentre or a readiness level the sample lacks), or
stratified by orientation in proportion to its size. They are interviewed every ``interval_weeks`` up to
``study_weeks`` while in the population and in the study; before each later interview a citizen drops out
with ``attrition``.

An interview is turns of question and answer in the citizen's voice (:mod:`bipsim.instruments.narratives`).
What happened since the previous interview (the descriptive codes' evidence in the truth) is told with
imperfect recall: told now with ``recall`` times the event's salience, else maybe told late at the next
interview (``late_recall``), else never; remembered events are sometimes met with silence (``silence``);
counts and durations are misjudged (``duration_error``). What it meant is drawn from the citizen's
orientation and situation: the same meeting is recognition or control depending on the caseworker's style
and the citizen's orientation; the same placement helped or was pointless with odds equal to how the
citizen's orientation responds to that kind of help in the model (``vocabulary.ORIENTATION_RESPONSE`` scaled
by ``interventions.orientation_heterogeneity``). Every interview ends with the future (belief in work,
from the citizen's true work belief) and every other one asks what stands in the way (the citizen locates it
in themself or in the system, from orientation, health, what the system did to them lately and how much they
still trust the jobcentre). The orientation a citizen speaks from is the one they have at the interview: trust
lost to the system can have turned it distrustful or resigned (:mod:`bipsim.mechanisms.trust`). When the
citizen tells nothing of what happened, they say nothing new happened.

Two coders code every answer: each misses a code the answer voices with ``coder_a_miss`` (``coder_b_miss``)
and applies one it does not voice with ``coder_a_false`` (``coder_b_false``) per code; an interview left with
no code at all gets its first voiced code (no transcript stays uncoded). The observed
``interviews.themes`` are the first coder's; ``interview_codings`` holds both; the true themes (what
happened, what was told and when, what the answers voice) are the truth table ``interview_themes``.

A share ``meeting_observation`` of the sampled citizens' meetings are observed ("Spot på samtalen").
Among employers that took a placement or hired a citizen during the study, ``employers`` are interviewed
once at its end about what happened, voiced by their stance (openness to placements).

Randomness comes from :func:`bipsim.engine.streams.instrument_rng` (instrument "interviews"), one stream per
purpose, so observing never changes the run and the same seed gives the same interviews.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from types import SimpleNamespace

import numpy as np
import pandas as pd

from bipsim.contract.themes import EMPLOYER_STANCES, EMPLOYER_THEMES, LANGUAGES, THEME_KEYS, THEMES, Theme
from bipsim.contract.vocabulary import INTERVENTIONS, ORIENTATION_KEYS, ORIENTATION_RESPONSE, status_code
from bipsim.engine.streams import instrument_rng
from bipsim.instruments import narratives
from bipsim.instruments.narratives import Told
from bipsim.instruments.survey import MEASURED_STATUSES
from bipsim.instruments.weekly import ACTIVITY_READY, WeeklyPanel
from bipsim.mechanisms.labour_market import EARLY_WEEKS
from bipsim.mechanisms.trust import REFERENCE_TRUST
from bipsim.model.truth import Truth

SAMPLE, OBSERVE, EMPLOYERS, ATTRITION, RECALL, MEANING, WORDING, CODING = range(8)  # purposes of the random numbers
COPING_ITEMS = ("everyday_coping", "health_coping")
CODERS: tuple[str, ...] = ("coder_a", "coder_b")
"""The two coders of the citizen interviews; the observed ``themes`` are the first one's."""
COUNTED = {
    "times": {"da": ("én gang", "{n} gange"), "en": ("once", "{n} times")},
    "meetings": {"da": ("én samtale", "{n} samtaler"), "en": ("one meeting", "{n} meetings")},
    "people": {"da": ("én", "{n}"), "en": ("one person", "{n} people")},
    "hires": {"da": ("Én ansættelse", "{n} ansættelser"), "en": ("One hire", "{n} hires")},
}
"""Counted phrases of the employer templates, as (one, many) with {n} for the number, per language."""

# --- how citizens tell their events (modelling assumptions, not published figures) ----------------------------
SALIENCE: dict[str, float] = {
    "job": 1.25,
    "job_loss": 1.2,
    "new_track": 1.2,
    "placement": 1.15,
    "caseworker_change": 1.05,
    "waiting": 1.0,
    "activity": 1.0,
    "health": 1.0,
    "standstill": 1.0,
    "exemption": 0.95,
    "coping": 0.95,
    "meeting": 0.85,
    "employer_contact": 0.8,
}
"""How much more (or less) often than ``qualitative_study.recall`` an event is told at the next interview."""
RECOGNITION_BY_STYLE = {"supportive": 0.65, "job_focused": 0.4, "administrative": 0.15}
"""Chance that a meeting is told as being heard, by the caseworker's style (times the orientation's openness)."""
OPENNESS = {"work_first": 1.0, "health_first": 0.9, "education_oriented": 1.0, "resigned": 0.6, "distrustful": 0.3}
CONTROL = {"work_first": 0.3, "health_first": 0.4, "education_oriented": 0.3, "resigned": 0.4, "distrustful": 0.8}
"""Chance that a meeting not told as being heard is told as control."""
LOST_TIME = {"work_first": 0.8, "health_first": 0.55, "education_oriented": 0.75, "resigned": 0.45, "distrustful": 0.7}
"""Chance that waiting, a new caseworker or standstill is told as lost time."""
SYSTEM_LEAN = {"work_first": 0.3, "health_first": -1.0, "education_oriented": 0.0, "resigned": -0.6, "distrustful": 1.3}
"""Log-odds that a citizen locates their barrier in the system rather than in themself, by orientation; each
institutional experience since the last interview adds ``SYSTEM_PER_EXPERIENCE``, each point of health below 3
takes ``SELF_PER_HEALTH_POINT`` away, and lost trust in the jobcentre adds ``SYSTEM_PER_TRUST_LOST`` per unit."""
SYSTEM_PER_EXPERIENCE = 0.6
SYSTEM_PER_TRUST_LOST = 3.0
"""Log-odds added toward the system per unit of trust in the jobcentre below the reference (taken away above it)."""
SELF_PER_HEALTH_POINT = 0.8
INSTITUTIONAL_EXPERIENCES = ("waiting", "caseworker_change", "standstill", "exemption")
BELIEF_SHIFT = {
    "work_first": 0.3,
    "health_first": -0.2,
    "education_oriented": 0.1,
    "resigned": -0.6,
    "distrustful": 0.0,
}
"""How an orientation colours talk about the future, in points of the 1-5 work-belief scale."""
BELIEF_NOISE = 0.5
HOPE_ABOVE, RESIGNATION_BELOW = 3.2, 2.4
"""Talk about the future is hopeful above, resigned below, and undecided between these (true work belief)."""
RETRIES = 40
"""Wordings tried for an answer before one repeats a sentence the citizen said before."""
KIND_OF = {i.key: i.kind for i in INTERVENTIONS}


@cache
def templates() -> dict[str, dict[str, dict[str, dict[str, str]]]]:
    """Load the employer narrative templates: ``templates()["employer"][theme][stance][language]``."""
    return tomllib.loads(files("bipsim.instruments").joinpath("data", "narratives.toml").read_text("utf-8"))


def counted(n: int, language: str) -> dict[str, object]:
    """The template placeholders for a count ``n``: ``{n}`` and each counted phrase with its right number."""
    n = int(n)
    phrases = {key: forms[language][0 if n == 1 else 1].format(n=n) for key, forms in COUNTED.items()}
    return {"n": n, **phrases}


def response(orientation: str, kind: str, heterogeneity: float) -> float:
    """How ``orientation`` responds to ``kind`` of help in the model: the odds that it is told as helping."""
    return 1.0 + heterogeneity * (ORIENTATION_RESPONSE[orientation][kind] - 1.0)


def expected_kappa(miss: float, false: float, prevalence: float, answers: float = 1.0) -> float:
    """Cohen's kappa of a coder against the true codes over (interview, code) pairs, expected from its error rates.

    ``prevalence`` is the share of (interview, code) pairs the answers voice; the coder keeps a voiced code
    with ``1 - miss`` and applies an unvoiced one with ``false`` per answer, of which an interview has
    ``answers`` on average.
    """
    false = 1 - (1 - false) ** answers
    both, only_truth = prevalence * (1 - miss), prevalence * miss
    only_coder, neither = (1 - prevalence) * false, (1 - prevalence) * (1 - false)
    observed = both + neither
    expected = (both + only_coder) * prevalence + (only_truth + neither) * (1 - prevalence)
    return (observed - expected) / (1 - expected) if expected < 1 else math.nan


def meaning_log_odds_ratio(
    heterogeneity: float, high: str = "work_first", low: str = "health_first", kind: str = "job_focused"
) -> float:
    """The true log odds ratio of ``kind`` of help told as helping, ``high`` against ``low`` orientation.

    The twin truth of :meth:`bipsim.analysis.relational.InterviewStudy.moderation`: the log of the ratio of the
    two orientations' responses to that kind of help in the model, ``heterogeneity`` being
    ``interventions.orientation_heterogeneity``.
    """
    return math.log(response(high, kind, heterogeneity) / response(low, kind, heterogeneity))


# --- sampling ------------------------------------------------------------------------------------------------


def stratified_sample(orientation: np.ndarray, size: int, rng: np.random.Generator) -> np.ndarray:
    """Draw positions of a sample stratified by orientation code.

    Every orientation present gets at least one place, the rest are shared in proportion (largest remainder).
    """
    strata = np.bincount(orientation, minlength=len(ORIENTATION_KEYS))
    present = strata > 0
    size = min(size, int(strata.sum()))
    allocation = np.minimum(present.astype(int), size)
    quota = strata / strata.sum() * max(size - allocation.sum(), 0)
    extra = np.minimum(np.floor(quota).astype(int), strata - allocation)
    allocation += extra
    order = np.argsort(-(quota - np.floor(quota)))
    for k in np.concatenate([order, order]):
        if allocation.sum() >= size:
            break
        if allocation[k] < strata[k]:
            allocation[k] += 1
    chosen = [
        rng.choice(np.flatnonzero(orientation == k), allocation[k], replace=False)
        for k in range(strata.size)
        if allocation[k]
    ]
    return np.sort(np.concatenate(chosen)) if chosen else np.empty(0, dtype=int)


def purposive_sample(
    orientation: np.ndarray, jobcentre: np.ndarray, high_readiness: np.ndarray, size: int, rng: np.random.Generator
) -> np.ndarray:
    """Draw positions of a maximum-variation sample.

    Orientations share the places about equally (as far as they have citizens). Within an orientation each
    next citizen is one whose readiness level (low or high) is least represented in the orientation and, among
    those, whose jobcentre is least represented in the sample so far; ties are broken at random.
    """
    strata = np.bincount(orientation, minlength=len(ORIENTATION_KEYS))
    size = min(size, int(strata.sum()))
    allocation = np.zeros_like(strata)
    while allocation.sum() < size:  # one place at a time to the orientations with the fewest, if they have more
        open_ = np.flatnonzero(allocation < strata)
        allocation[open_[np.argmin(allocation[open_])]] += 1
    centres = np.zeros(int(jobcentre.max()) + 1 if jobcentre.size else 1, dtype=int)
    chosen: list[int] = []
    for k in range(strata.size):
        pool = list(rng.permutation(np.flatnonzero(orientation == k)))
        levels = np.zeros(2, dtype=int)
        for _ in range(allocation[k]):
            scores = [(levels[int(high_readiness[i])], centres[jobcentre[i]]) for i in pool]
            best = pool.pop(min(range(len(pool)), key=lambda j: scores[j]))
            centres[jobcentre[best]] += 1
            levels[int(high_readiness[best])] += 1
            chosen.append(int(best))
    return np.sort(np.array(chosen, dtype=int))


def interview_weeks(p: SimpleNamespace, weeks: int) -> np.ndarray:
    """Weeks of the interviews: every ``interval_weeks`` from 0 to ``study_weeks`` within the run."""
    return np.arange(0, min(p.study_weeks, weeks - 1) + 1, p.interval_weeks, dtype=np.int32)


def _readiness_at(truth: Truth, citizens: np.ndarray, week: int) -> pd.DataFrame:
    """The true indicators of ``citizens`` at the last recorded week at or before ``week`` (one row each)."""
    latent = truth.latent
    recorded = np.unique(latent["week"].to_numpy())
    at = recorded[max(int(np.searchsorted(recorded, week, side="right")) - 1, 0)]
    rows = latent[(latent["week"].to_numpy() == at) & np.isin(latent["citizen_id"].to_numpy(), citizens)]
    return rows.set_index("citizen_id").reindex(citizens)


def _trust_by_week(
    truth: Truth, citizens: np.ndarray, weeks: np.ndarray, start: pd.Series
) -> dict[tuple[int, int], tuple[str, float]]:
    """Each of ``citizens``' orientation and trust in the jobcentre at each of ``weeks``, keyed (citizen, week).

    At the last recorded week at or before; a citizen with no record keeps their starting orientation
    (``start``, by citizen id) and the reference trust.
    """
    table = truth.trust
    ids, recorded_at = table["citizen_id"].to_numpy(), table["week"].to_numpy()
    recorded = np.unique(recorded_at)
    mine = np.flatnonzero(np.isin(ids, citizens))
    orientation = table["orientation"].astype(str).to_numpy()[mine]
    trust = table["trust"].to_numpy()[mine]
    row_of = {(int(c), int(w)): i for i, (c, w) in enumerate(zip(ids[mine], recorded_at[mine], strict=True))}
    out = {}
    for week in weeks.tolist():
        at = int(recorded[max(int(np.searchsorted(recorded, week, side="right")) - 1, 0)]) if recorded.size else 0
        for citizen in citizens.tolist():
            i = row_of.get((int(citizen), at))
            known = (str(start.at[citizen]), REFERENCE_TRUST) if i is None else (orientation[i], float(trust[i]))
            out[(int(citizen), int(week))] = known
    return out


def _readiness_by_week(truth: Truth, citizens: np.ndarray, weeks: np.ndarray) -> dict[tuple[int, int], dict]:
    """The true indicators of each of ``citizens`` at each of ``weeks``, keyed (citizen, week).

    As :func:`_readiness_at` finds them: at the last recorded week at or before, NaN where the citizen has none.
    The latent table is read once for the sample, not once per citizen and week (which took 0.6 s at BIP scale).
    """
    latent = truth.latent
    ids, recorded_at = latent["citizen_id"].to_numpy(), latent["week"].to_numpy()
    recorded = np.unique(recorded_at)
    indicators = [c for c in latent.columns if c not in ("citizen_id", "week")]
    mine = np.flatnonzero(np.isin(ids, citizens))
    values = latent[indicators].to_numpy()[mine]
    row_of = {(int(c), int(w)): i for i, (c, w) in enumerate(zip(ids[mine], recorded_at[mine], strict=True))}
    missing = dict.fromkeys(indicators, np.nan)
    out = {}
    for week in weeks.tolist():
        at = int(recorded[max(int(np.searchsorted(recorded, week, side="right")) - 1, 0)])
        for citizen in citizens.tolist():
            i = row_of.get((int(citizen), at))
            out[(int(citizen), int(week))] = missing if i is None else dict(zip(indicators, values[i], strict=True))
    return out


def sample_citizens(
    truth: Truth, p: SimpleNamespace, root: np.random.SeedSequence, panel: WeeklyPanel | None = None
) -> np.ndarray:
    """Citizen ids of the qualitative sample: activity-ready at week 0, chosen by ``p.sampling``."""
    candidates = np.flatnonzero(WeeklyPanel.of(truth, panel).status[:, 0] == ACTIVITY_READY)
    orientation = pd.Categorical(truth.citizens["orientation"], categories=list(ORIENTATION_KEYS)).codes
    rng = instrument_rng(root, "interviews", SAMPLE)
    if getattr(p, "sampling", "purposive") == "stratified":
        picked = stratified_sample(orientation[candidates], p.citizens, rng)
    else:
        indicators = [c for c in truth.latent.columns if c not in ("citizen_id", "week", "caseworker_job_belief")]
        readiness = _readiness_at(truth, candidates, 0)[indicators].mean(axis=1).to_numpy()
        high = readiness > np.nanmedian(readiness) if readiness.size else np.zeros(0, dtype=bool)
        jobcentre = truth.citizens["jobcentre"].to_numpy()[candidates].astype(int)
        picked = purposive_sample(orientation[candidates], jobcentre, high, p.citizens, rng)
    return candidates[picked].astype(np.int32)


# --- what happened ---------------------------------------------------------------------------------------------


def _sample_events(events: pd.DataFrame, sample: np.ndarray, last: int) -> pd.DataFrame:
    """The events of the sampled citizens up to week ``last``, in log order."""
    # NumPy's isin on integer ids is much cheaper than pandas' on the whole log
    mask = np.isin(events["citizen_id"].to_numpy(), sample) & (events["week"].to_numpy() <= last)
    return events[mask]


def _evidence(theme: Theme, events: pd.DataFrame) -> np.ndarray:
    """Mask of the events that raise ``theme`` (all false for derived and interpretive codes)."""
    # Compare the categorical's integer codes: much cheaper than pandas' isin, which runs once per theme
    kinds = events["event"].cat.categories.get_indexer(list(theme.events))
    mask = np.isin(events["event"].cat.codes.to_numpy(), kinds[kinds >= 0])
    if theme.details:
        mask = mask & events["detail"].isin(theme.details).fillna(False).to_numpy(bool)
    if theme.value is not None:
        mask = mask & (events["value"].to_numpy() == theme.value)
    return mask


def _derived(
    truth: Truth, panel: WeeklyPanel, sample: np.ndarray, waves: np.ndarray, p: SimpleNamespace, held_help: np.ndarray
) -> dict[str, np.ndarray]:
    """Masks (sample, waves) of the derived themes: a fall in coping, and standstill on assistance."""
    status = panel.status[sample]
    in_activity = panel.in_activity[sample]
    measured = np.isin(status, [status_code(s) for s in MEASURED_STATUSES])
    latent = truth.latent[truth.latent["citizen_id"].isin(sample) & truth.latent["week"].isin(waves)]
    coping = np.zeros((sample.size, waves.size, len(COPING_ITEMS)))
    coping[np.searchsorted(sample, latent["citizen_id"].to_numpy()), np.searchsorted(waves, latent["week"])] = latent[
        list(COPING_ITEMS)
    ].to_numpy()
    fell = np.zeros((sample.size, waves.size), dtype=bool)
    fell[:, 1:] = ((coping[:, :-1] - coping[:, 1:]) >= p.coping_drop).any(axis=2)
    # weeks since the previous interview (exclusive) up to this one: cumulative sums give window counts
    edges = np.r_[0, waves + 1]

    def window_all(mask: np.ndarray) -> np.ndarray:
        total = np.concatenate([np.zeros((mask.shape[0], 1), int), np.cumsum(mask, axis=1)], axis=1)
        return total[:, edges[1:]] - total[:, edges[:-1]]

    length = np.diff(edges)
    standstill = (window_all(measured) == length) & (window_all(in_activity) == 0) & ~held_help
    standstill[:, 0] = False
    return {"coping": fell, "standstill": standstill}


@dataclass
class Happened:
    """A descriptive code's evidence in one citizen's window: when, and the facts of the events."""

    theme: str
    week: int
    facts: dict


def _happenings(truth: Truth, panel: WeeklyPanel, sample: np.ndarray, waves: np.ndarray, p: SimpleNamespace) -> dict:
    """``(position in sample, wave) -> [Happened, ...]`` in codebook order: what happened in each window."""
    events = _sample_events(truth.events, sample, int(waves[-1]))
    who = np.searchsorted(sample, events["citizen_id"].to_numpy())
    wave_of = np.searchsorted(waves, events["week"].to_numpy(), side="left")
    week = events["week"].to_numpy()
    detail = events["detail"].astype(object).where(events["detail"].notna(), "").to_numpy()
    sector_of = truth.employers["sector"].astype(str).to_numpy()
    employer = events["employer_id"].fillna(-1).to_numpy(int)
    caseworker = events["caseworker_id"].fillna(-1).to_numpy(int)
    style_of = truth.caseworkers.set_index("caseworker_id")["style"].astype(str)
    kind = events["event"].astype(str).to_numpy()
    help_events = np.isin(kind, ("meeting", "intervention_start"))
    held_help = np.zeros((sample.size, waves.size), dtype=bool)
    held_help[who[help_events], wave_of[help_events]] = True
    derived = _derived(truth, panel, sample, waves, p, held_help)
    changes = kind == "caseworker_change"
    out: dict[tuple[int, int], list[Happened]] = {}
    for theme in THEMES:
        if theme.kind != "descriptive":
            continue
        if theme.derived in derived:
            for i, w in zip(*np.nonzero(derived[theme.derived]), strict=True):
                start = int(waves[w - 1]) + 1 if w else 0
                out.setdefault((int(i), int(w)), []).append(
                    Happened(theme.key, int(waves[w]), {"weeks": int(waves[w]) - start + 1})
                )
            continue
        if not theme.events:
            continue
        mask = _evidence(theme, events)
        for i, w in sorted(set(zip(who[mask].tolist(), wave_of[mask].tolist(), strict=True))):
            rows = np.flatnonzero(mask & (who == i) & (wave_of == w))
            facts: dict = {
                "n": int(rows.size),
                "details": [d for d in detail[rows] if d],
                "sectors": [sector_of[e] for e in employer[rows] if e >= 0],
            }
            if theme.key == "meeting":
                last = caseworker[rows[-1]]
                facts["style"] = str(style_of.get(last, "administrative")) if last >= 0 else "administrative"
            elif theme.key == "caseworker_change":
                facts["caseworker_number"] = int((changes & (who == i) & (week <= week[rows[-1]])).sum()) + 1
            elif theme.key == "waiting":
                facts["weeks"] = _waited(events, who, i, rows, int(waves[w]))
            elif theme.key == "new_track":
                facts["tracks"] = facts.pop("details")
            elif theme.key == "job_loss":
                hires = np.flatnonzero((kind == "hire") & (who == i) & (week <= week[rows[-1]]))
                facts["weeks"] = int(week[rows[-1]] - week[hires[-1]]) if hires.size else 13
            out.setdefault((int(i), int(w)), []).append(Happened(theme.key, int(week[rows[0]]), facts))
    order = {key: k for k, key in enumerate(THEME_KEYS)}
    return {k: sorted(v, key=lambda h: order[h.theme]) for k, v in out.items()}


def _waited(events: pd.DataFrame, who: np.ndarray, i: int, starts: np.ndarray, until: int) -> int:
    """Weeks the citizen waited in the queues that started at event rows ``starts`` (the longest wait)."""
    kind = events["event"].astype(str).to_numpy()
    week = events["week"].to_numpy()
    detail = events["detail"].astype(object).to_numpy()
    ends = np.flatnonzero((who == i) & np.isin(kind, ("waiting_end", "intervention_start")))
    longest = 0
    for row in starts:
        later = ends[(week[ends] >= week[row]) & (detail[ends] == detail[row])]
        end = int(week[later[0]]) if later.size else until
        longest = max(longest, end - int(week[row]))
    return max(longest, 1)


# --- the interviews ------------------------------------------------------------------------------------------


@dataclass
class QualitativeData:
    """The interview study's tables: the observed interviews and codings, and the true themes (truth)."""

    interviews: pd.DataFrame
    codings: pd.DataFrame
    themes: pd.DataFrame


INTERVIEW_COLUMNS = ["citizen_id", "wave", "week", "themes", "text_da", "text_en"]
CODING_COLUMNS = ["citizen_id", "wave", "coder", "turn", "theme"]
TRUTH_COLUMNS = ["citizen_id", "wave", "theme", "turn", "recall", "voiced"]


def _meanings(
    happened: Happened, orientation: str, p: SimpleNamespace, heterogeneity: float, rng: np.random.Generator
) -> tuple[str, ...]:
    """The interpretive codes an answer about ``happened`` voices: what it meant to this citizen."""
    theme, u = happened.theme, rng.random(2)
    if theme == "meeting":
        if u[0] < RECOGNITION_BY_STYLE.get(happened.facts.get("style", ""), 0.3) * OPENNESS[orientation]:
            return ("recognition",)
        return ("control",) if u[1] < CONTROL[orientation] else ()
    if theme in ("activity", "placement"):
        details = happened.facts.get("details") or ["skills"]
        odds = response(orientation, KIND_OF.get(details[0], "support"), heterogeneity)
        return ("helped",) if u[0] < odds / (1 + odds) else ("pointless",)
    if theme in ("waiting", "caseworker_change", "standstill"):
        return ("lost_time",) if u[0] < LOST_TIME[orientation] else ()
    if theme == "exemption":
        if orientation == "health_first":
            return ("recognition",) if u[0] < 0.6 else ()
        return ("control",) if u[0] < CONTROL[orientation] else ()
    if theme == "job":
        return ("hope",) if u[0] < 0.7 else ()
    if theme == "job_loss":
        return ("resignation",) if u[0] < 0.4 else ()
    return ()


def _misjudged(facts: dict, p: SimpleNamespace, rng: np.random.Generator) -> dict:
    """The facts as the citizen remembers them: counts and durations off by a log-normal factor."""
    out = dict(facts)
    factor = float(np.exp(rng.normal(0.0, p.duration_error)))
    if "weeks" in out:
        out["weeks"] = max(1.0, out["weeks"] * factor)
    if out.get("n", 0) > 1:
        out["n"] = max(1, int(round(out["n"] * float(np.exp(rng.normal(0.0, p.duration_error / 2))))))
    return out


def qualitative_interviews(
    truth: Truth,
    params: SimpleNamespace,
    root: np.random.SeedSequence,
    panel: WeeklyPanel | None = None,
    sample: np.ndarray | None = None,
) -> QualitativeData:
    """The citizen interviews of the study: observed transcripts and two coders' codings, and the true themes.

    ``sample`` is :func:`sample_citizens`' when already drawn (the observed meetings are of the same citizens).
    """
    p = params.qualitative_study
    heterogeneity = float(truth.scenario.get("interventions", {}).get("orientation_heterogeneity", 1.0))
    panel = WeeklyPanel.of(truth, panel)
    waves = interview_weeks(p, panel.weeks)
    sample = np.sort(sample_citizens(truth, p, root, panel) if sample is None else sample)
    happened = _happenings(truth, panel, sample, waves, p) if sample.size else {}
    still_in = panel.status[sample][:, waves] != status_code("out")
    dropout = instrument_rng(root, "interviews", ATTRITION).random((sample.size, waves.size)) < p.attrition
    dropout[:, 0] = False
    still_in = np.logical_and.accumulate(still_in & ~dropout, axis=1)

    citizens = truth.citizens.set_index("citizen_id")
    recall_rng = instrument_rng(root, "interviews", RECALL)
    meaning_rng = instrument_rng(root, "interviews", MEANING)
    wording_rng = instrument_rng(root, "interviews", WORDING)
    coding_rng = instrument_rng(root, "interviews", CODING)
    rows, codings, truths = [], [], []
    readiness = _readiness_by_week(truth, sample, waves)
    standing = _trust_by_week(truth, sample, waves, citizens["orientation"])
    for i, citizen in enumerate(sample.tolist()):
        orientation = str(citizens.at[citizen, "orientation"])
        voice = {"orientation": orientation, "fillers": wording_rng.choice(len(narratives.FILLERS["da"]), 3, False)}
        said: set[str] = set()
        previous_topic = ""
        deferred: list[Happened] = []
        beliefs = {int(w): readiness[(citizen, int(w))] for w in waves}
        for w in range(waves.size):
            if not still_in[i, w]:
                break
            week = int(waves[w])
            orientation, trust = standing[(citizen, week)]  # both can change with what the system did
            voice["orientation"] = orientation
            tellings: list[tuple[Told, str, str]] = []  # (what is told, theme coded, recall)
            for late in deferred:
                tellings.append((Told(late.theme, {**late.facts, "late": True}), late.theme, "late"))
            deferred = []
            for event in happened.get((i, w), []):
                draw = recall_rng.random(3)
                if draw[0] >= min(1.0, p.recall * SALIENCE.get(event.theme, 1.0)):
                    if draw[1] < p.late_recall:
                        deferred.append(Happened(event.theme, event.week, _misjudged(event.facts, p, recall_rng)))
                        truths.append((citizen, w, event.theme, None, "deferred"))
                    else:
                        truths.append((citizen, w, event.theme, None, "missed"))
                    continue
                silence = p.silence * (2.0 if orientation == "distrustful" else 1.0)
                facts = _misjudged(event.facts, p, recall_rng)
                if draw[2] < silence:
                    tellings.append((Told(event.theme, facts, silent=True), event.theme, "silenced"))
                else:
                    told = Told(event.theme, facts, _meanings(event, orientation, p, heterogeneity, meaning_rng))
                    tellings.append((told, event.theme, "told"))
            if w > 0 and not any(recall in ("told", "late") for _, _, recall in tellings):
                tellings.append((Told("no_change"), "no_change", "told"))
            if w == 0:
                support = (
                    float(citizens.at[citizen, "history_support_share"]) if "history_support_share" in citizens else 0.6
                )
                opening = Told("opening", {"weeks": max(4.0, 260 * support)}, (orientation,))
                tellings.insert(0, (opening, "", "opening"))
            tellings.append((_future(beliefs[week], orientation, meaning_rng), "", "future"))
            if w % 2 == 0:
                recent = [t.topic for t, _, r in tellings if r in ("told", "late", "silenced")]
                tellings.append(
                    (
                        barrier(beliefs[week], orientation, trust, recent, citizens.loc[citizen], meaning_rng.random()),
                        "",
                        "barrier",
                    )
                )
            turns: list[tuple[str, str]] = []
            turns_en: list[tuple[str, str]] = []
            voiced: list[list[str]] = []
            months = max(1, round((week - (int(waves[w - 1]) if w else 0)) / 4.35))
            voice["previous"] = previous_topic
            for k, (told, theme, recall) in enumerate(tellings):
                topic = told.topic
                if k == 0 and w > 0:
                    told = Told(told.topic, told.facts, told.meanings, told.silent)
                    question_topic = "since"
                else:
                    question_topic = topic
                codes = [] if told.silent or not theme else [theme]
                codes += [m for m in told.meanings if m in THEME_KEYS]
                da, en = _worded(told, question_topic, voice, months, said, wording_rng)
                turns.append(da)
                turns_en.append(en)
                voiced.append(codes)
                for code in codes:
                    truths.append((citizen, w, code, k, "interpretation" if code != theme else recall))
                if told.silent:
                    truths.append((citizen, w, theme, None, "silenced"))
            for coder, miss, false in (
                ("coder_a", p.coder_a_miss, p.coder_a_false),
                ("coder_b", p.coder_b_miss, p.coder_b_false),
            ):
                mine = []
                for k, codes in enumerate(voiced):
                    kept = [c for c in codes if coding_rng.random() >= miss]
                    added = [c for c in THEME_KEYS if c not in codes and coding_rng.random() < false]
                    mine += [(citizen, w, coder, k, c) for c in kept + added]
                if not mine:  # no transcript is left uncoded: a coder who found nothing rereads the first answer
                    k = next((k for k, codes in enumerate(voiced) if codes), None)
                    mine = [(citizen, w, coder, k, voiced[k][0])] if k is not None else []
                codings += mine
            previous_topic = next((t.topic for t, _, r in tellings if r in ("told", "late")), "")
            rows.append(
                {
                    "citizen_id": citizen,
                    "wave": w,
                    "week": week,
                    "text_da": narratives.transcript(turns, "da"),
                    "text_en": narratives.transcript(turns_en, "en"),
                }
            )
    coded = pd.DataFrame(codings, columns=CODING_COLUMNS)
    order = {key: k for k, key in enumerate(THEME_KEYS)}
    first = coded[coded["coder"] == CODERS[0]]
    by_interview = first.groupby(["citizen_id", "wave"])["theme"].agg(lambda t: sorted(set(t), key=order.get)).to_dict()
    interviews = pd.DataFrame(rows, columns=["citizen_id", "wave", "week", "text_da", "text_en"])
    interviews.insert(
        3,
        "themes",
        [by_interview.get((c, w), []) for c, w in zip(interviews["citizen_id"], interviews["wave"], strict=True)],
    )
    themes = pd.DataFrame(truths, columns=TRUTH_COLUMNS[:-1])
    themes["turn"] = themes["turn"].astype("Int32")
    themes["voiced"] = themes["turn"].notna().to_numpy()
    return QualitativeData(interviews[INTERVIEW_COLUMNS], coded, themes)


def _future(indicators: Mapping[str, float], orientation: str, rng: np.random.Generator) -> Told:
    """The closing answer about the future: hopeful, resigned or undecided, from the true work belief."""
    belief = float(indicators.get("work_belief", 3.0)) + BELIEF_SHIFT[orientation] + rng.normal(0.0, BELIEF_NOISE)
    code = "hope" if belief > HOPE_ABOVE else "resignation" if belief < RESIGNATION_BELOW else "ambivalent"
    return Told("future", {}, (code,))


def barrier(
    indicators: Mapping[str, float],
    orientation: str,
    trust: float,
    recent: list[str],
    background: pd.Series,
    draw: float,
) -> Told:
    """Where the citizen locates what stands in the way: in themself or in the system, and why.

    ``draw`` is a uniform number deciding between the two; class mode's case files word a meeting's note with the
    same rule, so trust shows there only as it shows in an interview.
    """
    health = float(indicators.get("health", 3.0))
    experiences = sum(topic in INSTITUTIONAL_EXPERIENCES for topic in recent)
    lean = (
        SYSTEM_LEAN[orientation]
        + SYSTEM_PER_EXPERIENCE * experiences
        + SYSTEM_PER_TRUST_LOST * (REFERENCE_TRUST - trust)
        - SELF_PER_HEALTH_POINT * max(0.0, 3.0 - health)
    )
    if draw < 1 / (1 + math.exp(-lean)):
        reason = "waiting" if "waiting" in recent else "caseworkers" if "caseworker_change" in recent else "system"
        return Told("barrier", {"reason": reason}, ("system_attribution",))
    nerves = bool(background.get("psychiatric_diagnosis", False))
    reason = "health" if health < 2.8 else "nerves" if nerves else "skills"
    return Told("barrier", {"reason": reason}, ("self_attribution",))


def _worded(
    told: Told, question: str, voice: dict, months: int, said: set[str], rng: np.random.Generator
) -> tuple[tuple[str, str], tuple[str, str]]:
    """The question and answer in Danish and English, worded so the citizen repeats no sentence of theirs."""
    for attempt in range(RETRIES):
        uniforms = rng.random(48)
        pair = []
        for language in LANGUAGES:
            asked = {
                "months": narratives.duration(months * 4.35, language),
                "previous": voice.get("previous", ""),
            }
            question_text = narratives.render_question(question, asked, voice, uniforms[::-1], language)
            pair.append((question_text, narratives.render_answer(told, voice, uniforms, language)))
        spoken = {s for _, answer in pair for s in narratives.sentences(answer)}
        if not spoken & said or attempt == RETRIES - 1:
            said |= spoken
            return pair[0], pair[1]
    raise AssertionError("unreachable")


def citizen_interviews(
    truth: Truth, params: SimpleNamespace, root: np.random.SeedSequence, panel: WeeklyPanel | None = None
) -> pd.DataFrame:
    """Interviews of the sampled citizens: ``citizen_id, wave, week, themes, text_da, text_en``.

    ``themes`` are the first coder's codes; the transcripts are turns of question and answer, one a line.
    ``panel`` is the truth's :class:`~bipsim.instruments.weekly.WeeklyPanel` when already built.
    """
    return qualitative_interviews(truth, params, root, panel).interviews


def observed_meetings(
    truth: Truth,
    params: SimpleNamespace,
    root: np.random.SeedSequence,
    panel: WeeklyPanel | None = None,
    sample: np.ndarray | None = None,
) -> pd.DataFrame:
    """Observed meetings of the sampled citizens ("Spot på samtalen"): who, when, with whom, what came of it.

    ``panel`` is the truth's :class:`~bipsim.instruments.weekly.WeeklyPanel` and ``sample`` the citizens of
    :func:`sample_citizens`, when already made.
    """
    p = params.qualitative_study
    panel = WeeklyPanel.of(truth, panel)
    last = interview_weeks(p, panel.weeks)[-1]
    sample = sample_citizens(truth, p, root, panel) if sample is None else sample
    ev = _sample_events(truth.events, sample, last)
    meetings = ev[ev["event"] == "meeting"]
    table = meetings[instrument_rng(root, "interviews", OBSERVE).random(len(meetings)) < p.meeting_observation]
    # A few hundred events of a small sample: plain dictionaries beat pandas merges here.
    starts = ev[ev["event"] == "intervention_start"]
    started: dict[tuple[int, int], list[str]] = {}
    start_keys = zip(starts["citizen_id"].tolist(), starts["week"].tolist(), strict=True)
    for key, detail in zip(start_keys, starts["detail"].tolist(), strict=True):
        started.setdefault(key, []).append(detail)
    exemptions = ev[ev["event"] == "exemption"]
    exempted = set(zip(exemptions["citizen_id"].tolist(), exemptions["week"].tolist(), strict=True))
    keys = list(zip(table["citizen_id"].tolist(), table["week"].tolist(), strict=True))
    style = truth.caseworkers.set_index("caseworker_id")["style"].astype(str)
    return pd.DataFrame(
        {
            "citizen_id": table["citizen_id"].to_numpy(np.int32),
            "week": table["week"].to_numpy(np.int32),
            "caseworker_id": table["caseworker_id"].astype("Int32").array,
            "meeting_with_caseworker": panel.meetings[table["citizen_id"].to_numpy(), table["week"].to_numpy()],
            "caseworker_style": style.reindex(table["caseworker_id"].fillna(-1).astype(int)).to_numpy(),
            "offer": np.array([", ".join(sorted(started[k])) if k in started else "none" for k in keys], dtype=object),
            "exemption": np.array([k in exempted for k in keys], dtype=bool),
        }
    )


def employer_interviews(
    truth: Truth, params: SimpleNamespace, root: np.random.SeedSequence, panel: WeeklyPanel | None = None
) -> pd.DataFrame:
    """Interviews with employers that took a placement or hired a citizen during the study.

    ``panel`` is the truth's :class:`~bipsim.instruments.weekly.WeeklyPanel` when already built.
    """
    p = params.qualitative_study
    last = int(interview_weeks(p, WeeklyPanel.of(truth, panel).weeks)[-1])
    ev = truth.events[(truth.events["week"] <= last) & truth.events["employer_id"].notna()]
    employer_of = ev["employer_id"].to_numpy(np.int64)
    size = max(len(truth.employers), int(employer_of.max()) + 1 if employer_of.size else 0)
    counts = pd.DataFrame(
        {t.key: np.bincount(employer_of[_evidence(t, ev)], minlength=size) for t in EMPLOYER_THEMES}, dtype=np.int32
    )
    eligible = counts[(counts["placement_host"] > 0) | (counts["hired"] > 0)]
    rng = instrument_rng(root, "interviews", EMPLOYERS)
    chosen = np.sort(rng.choice(eligible.index.to_numpy(dtype=int), min(p.employers, len(eligible)), replace=False))
    employers = truth.employers.set_index("employer_id")
    median = truth.employers["placement_openness"].median()
    text = templates()["employer"]
    rows = []
    early = (ev["event"] == "separation").to_numpy() & (ev["value"].to_numpy() < EARLY_WEEKS)
    failed = np.bincount(employer_of[early], minlength=size)
    for employer in chosen:
        # what actually happened speaks first: a hire that ended in the labour market's early weeks makes the
        # employer more hesitant, in the interview as in the model (bipsim.mechanisms.employer_learning)
        open_ = employers.at[employer, "placement_openness"] > median and failed[employer] == 0
        stance = EMPLOYER_STANCES[0 if open_ else 1].key
        raised = [t.key for t in EMPLOYER_THEMES if eligible.at[employer, t.key] > 0]
        row = {
            "employer_id": int(employer),
            "week": last,
            "sector": str(employers.at[employer, "sector"]),
            "placements": int(eligible.at[employer, "placement_host"]),
            "hires": int(eligible.at[employer, "hired"]),
            "separations": int(eligible.at[employer, "separation"]),
            "themes": raised,
        }
        for language in LANGUAGES:
            row[f"text_{language}"] = " ".join(
                text[k][stance][language].format(**counted(eligible.at[employer, k], language)) for k in raised
            )
        rows.append(row)
    return pd.DataFrame(
        rows,
        columns=["employer_id", "week", "sector", "placements", "hires", "separations", "themes", "text_da", "text_en"],
    )
