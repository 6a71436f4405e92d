"""The qualitative longitudinal study: repeated interviews, observed meetings and employer interviews.

HOW IT WORKS. At week 0, ``qualitative_study.citizens`` activity-ready citizens are sampled, stratified by
orientation: every orientation gets at least one place and the rest are shared in proportion to the
orientations' sizes (largest remainder). They are interviewed every ``interval_weeks`` up to
``study_weeks`` while in the population. An interview codes the themes (:mod:`bipsim.contract.themes`)
whose evidence occurred to that citizen since the previous interview (week 0 only, at the first), and
voices each theme with the template for the citizen's orientation, filled in from their own events only.
A share ``meeting_observation`` of the sampled citizens' meetings are observed ("Spot på samtalen").
Among employers that took a placement or hired a citizen during the study, ``employers`` are interviewed
once at its end about what happened, voiced by their stance (openness to placements).

Randomness comes from :func:`bipsim.engine.streams.instrument_rng` (instrument "interviews").
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib.resources import files
from types import SimpleNamespace

import numpy as np
import pandas as pd

from bipsim.contract.themes import EMPLOYER_STANCES, EMPLOYER_THEMES, LANGUAGES, THEMES, Theme
from bipsim.contract.vocabulary import INTERVENTIONS, ORIENTATION_KEYS, SECTORS, STATUSES, status_code
from bipsim.engine.streams import instrument_rng
from bipsim.instruments.survey import MEASURED_STATUSES
from bipsim.instruments.weekly import ACTIVITY_READY, WeeklyPanel
from bipsim.model.truth import Truth

SAMPLE, OBSERVE, EMPLOYERS = 0, 1, 2  # purposes of the random numbers
COPING_ITEMS = ("everyday_coping", "health_coping")
LABELS = {
    "activity": {i.key: {"da": i.da.lower(), "en": i.en.lower()} for i in INTERVENTIONS},
    "track": {s.key: {"da": s.da.lower(), "en": s.en.lower()} for s in STATUSES},
    "sector": {s.key: {"da": s.da.lower(), "en": s.en.lower()} for s in SECTORS},
}
AND = {"da": " og ", "en": " and "}
# Counted phrases of the templates, as (one, many) with {n} for the number, per language.
COUNTED = {
    "times": {"da": ("én gang", "{n} gange"), "en": ("once", "{n} times")},
    "meetings": {"da": ("én samtale", "{n} samtaler"), "en": ("one meeting", "{n} meetings")},
    "people": {"da": ("én", "{n}"), "en": ("one person", "{n} people")},
    "hires": {"da": ("Én ansættelse", "{n} ansættelser"), "en": ("One hire", "{n} hires")},
}


@cache
def templates() -> dict[str, dict[str, dict[str, dict[str, str]]]]:
    """Load the narrative templates: ``templates()["citizen"][theme][orientation][language]``."""
    return tomllib.loads(files("bipsim.instruments").joinpath("data", "narratives.toml").read_text("utf-8"))


def counted(n: int, language: str) -> dict[str, object]:
    """The template placeholders for a count ``n``: ``{n}`` and each counted phrase with its right number."""
    n = int(n)
    phrases = {key: forms[language][0 if n == 1 else 1].format(n=n) for key, forms in COUNTED.items()}
    return {"n": n, **phrases}


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


def interview_weeks(p: SimpleNamespace, weeks: int) -> np.ndarray:
    """Weeks of the interviews: every ``interval_weeks`` from 0 to ``study_weeks`` within the run."""
    return np.arange(0, min(p.study_weeks, weeks - 1) + 1, p.interval_weeks, dtype=np.int32)


def sample_citizens(
    truth: Truth, p: SimpleNamespace, root: np.random.SeedSequence, panel: WeeklyPanel | None = None
) -> np.ndarray:
    """Citizen ids of the qualitative sample: activity-ready at week 0, stratified by orientation."""
    candidates = np.flatnonzero(WeeklyPanel.of(truth, panel).status[:, 0] == ACTIVITY_READY)
    orientation = pd.Categorical(truth.citizens["orientation"], categories=list(ORIENTATION_KEYS)).codes
    picked = stratified_sample(orientation[candidates], p.citizens, instrument_rng(root, "interviews", SAMPLE))
    return candidates[picked].astype(np.int32)


def _fill(template: str, language: str, details: list[str], sectors: list[str], count: int) -> str:
    """Fill a template from the theme's own events (counts, interventions, tracks, sectors)."""

    def joined(kind: str, keys: list[str]) -> str:
        return AND[language].join(dict.fromkeys(LABELS[kind][k][language] for k in keys if k in LABELS[kind]))

    return template.format(
        **counted(count, language),
        activity=joined("activity", details),
        track=joined("track", details),
        sector=joined("sector", sectors),
    )


def _sample_events(events: pd.DataFrame, sample: np.ndarray, last: int) -> pd.DataFrame:
    """The events of the sampled citizens up to week ``last``, in log order."""
    # NumPy's isin on integer ids is much cheaper than pandas' on the whole log
    mask = np.isin(events["citizen_id"].to_numpy(), sample) & (events["week"].to_numpy() <= last)
    return events[mask]


def _evidence(theme: Theme, events: pd.DataFrame) -> np.ndarray:
    """Mask of the events that raise ``theme`` (all false for derived themes)."""
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


def citizen_interviews(
    truth: Truth, params: SimpleNamespace, root: np.random.SeedSequence, panel: WeeklyPanel | None = None
) -> pd.DataFrame:
    """Interviews of the sampled citizens: ``citizen_id, wave, week, themes, text_da, text_en``.

    ``panel`` is the truth's :class:`~bipsim.instruments.weekly.WeeklyPanel` when already built.
    """
    p = params.qualitative_study
    panel = WeeklyPanel.of(truth, panel)
    waves = interview_weeks(p, panel.weeks)
    sample = np.sort(sample_citizens(truth, p, root, panel))
    events = _sample_events(truth.events, sample, waves[-1])
    who = np.searchsorted(sample, events["citizen_id"].to_numpy())
    wave_of = np.searchsorted(waves, events["week"].to_numpy(), side="left")
    masks = {t.key: _evidence(t, events) for t in THEMES if t.events}
    counts = {}
    for key, mask in masks.items():
        counts[key] = np.zeros((sample.size, waves.size), dtype=np.int32)
        np.add.at(counts[key], (who[mask], wave_of[mask]), 1)
    help_events = events["event"].isin(("meeting", "intervention_start")).to_numpy(bool)
    held_help = np.zeros((sample.size, waves.size), dtype=bool)
    held_help[who[help_events], wave_of[help_events]] = True
    derived = _derived(truth, panel, sample, waves, p, held_help)
    still_in = panel.status[sample][:, waves] != status_code("out")
    still_in = np.logical_and.accumulate(still_in, axis=1)

    detail = events["detail"].astype(object).where(events["detail"].notna(), "").to_numpy()
    sector_of = truth.employers["sector"].astype(str).to_numpy()
    employer = events["employer_id"].fillna(-1).to_numpy(int)
    orientation = truth.citizens["orientation"].astype(str).to_numpy()
    text = templates()["citizen"]
    rows = []
    for i, wave in zip(*np.nonzero(still_in), strict=True):
        raised: list[tuple[str, list[str], list[str], int]] = []
        for theme in THEMES:
            if theme.events and counts[theme.key][i, wave]:
                rows_of = np.flatnonzero(masks[theme.key] & (who == i) & (wave_of == wave))
                sectors = [sector_of[e] for e in employer[rows_of] if e >= 0]
                raised.append((theme.key, list(detail[rows_of]), sectors, rows_of.size))
            elif theme.derived in derived and derived[theme.derived][i, wave]:
                raised.append((theme.key, [], [], 1))
            elif theme.derived == "fallback" and not raised:
                raised.append((theme.key, [], [], 0))
        citizen = int(sample[i])
        row = {"citizen_id": citizen, "wave": int(wave), "week": int(waves[wave]), "themes": [r[0] for r in raised]}
        for language in LANGUAGES:
            row[f"text_{language}"] = " ".join(
                _fill(text[key][orientation[citizen]][language], language, d, s, c) for key, d, s, c in raised
            )
        rows.append(row)
    return pd.DataFrame(rows, columns=["citizen_id", "wave", "week", "themes", "text_da", "text_en"])


def observed_meetings(
    truth: Truth, params: SimpleNamespace, root: np.random.SeedSequence, panel: WeeklyPanel | None = None
) -> pd.DataFrame:
    """Observed meetings of the sampled citizens ("Spot på samtalen"): who, when, with whom, what came of it.

    ``panel`` is the truth's :class:`~bipsim.instruments.weekly.WeeklyPanel` when already built.
    """
    p = params.qualitative_study
    panel = WeeklyPanel.of(truth, panel)
    last = interview_weeks(p, panel.weeks)[-1]
    sample = sample_citizens(truth, p, root, panel)
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
    for employer in chosen:
        stance = EMPLOYER_STANCES[0 if employers.at[employer, "placement_openness"] > median else 1].key
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
