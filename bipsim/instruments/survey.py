"""The progression survey: every quarter, citizens and caseworkers score the indicators on a 1-5 scale.

HOW IT WORKS. The design is declared in the scenario's ``survey`` group: ``survey.waves`` waves, one every
``survey.interval_weeks`` weeks from week 0 (published: quarterly over four years), at weeks where the truth's
latent table holds the true indicator values; ``survey.sample_share`` of the cohort is sampled at random (all of
it by default) and ``survey.respondents`` says who is asked (citizens, caseworkers or both).

Who is measured (attrition and non-response). A citizen is in the survey population at a wave while their
status is one of :data:`MEASURED_STATUSES` (on social assistance, sickness included). Attrition is permanent:
from the first wave at which a citizen is in any other status (job, education, flexi-job, rehabilitation,
disability pension, out) they are not measured again, unless ``survey_response.rejoin_after_exit``. Within
the survey population, the citizen answers with probability ``survey_response.citizen_response`` at average
readiness, shifted on the log-odds scale by ``readiness_slope`` per point of readiness and by a lasting
personal propensity (``propensity_sd``), times ``sick_factor`` when sick. The caseworker answers with
probability ``caseworker_response`` when the citizen has a caseworker, times ``unknown_citizen_factor`` when
they have not yet met.

What citizens answer (items answered by "citizen"): the true value, minus the share ``response_shift`` of
the true change since their first questionnaire (their reference point moves with them), plus a personal
social-desirability bias (uniform up to ``social_desirability``), a mood shared by the questionnaire's
items (``mood_sd``) and item noise (``noise_sd``). The coherence item is also read through the citizen's trust
in the jobcentre (``trust_lens``), so the survey sees trust only partly, mixed with what it asks about.

What caseworkers answer (items answered by "caseworker"): an impression that mixes the truth with the
anchor of the citizen's category (activity-ready or job-ready), weighted by knowledge
``m / (m + knowledge_meetings)`` after ``m`` meetings with this caseworker (it resets at a caseworker
change) and a floor of ``anchoring``; minus ``deficit_lean`` on :data:`INDIVIDUAL_RESOURCE_ITEMS`; plus the
halo of their belief (``belief_halo`` x (belief - 0.5)), their personal severity and item noise. The
caseworker's job-belief item is their belief cut at ``belief_doubtful`` < ``belief_maybe`` < ``belief_good``
< ``belief_yes``. Every answer is rounded and clipped to 1-5.

Randomness comes from :func:`bipsim.engine.streams.instrument_rng` (instrument "survey").
"""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace

import numpy as np
import pandas as pd
from scipy.special import expit, logit

from bipsim.contract.codes import RESPONDENTS, SCALE
from bipsim.contract.vocabulary import INDICATOR_KEYS, INDICATORS, status_code
from bipsim.engine.columns import READINESS_WEIGHTS
from bipsim.engine.kernels import kernel, standard_normal
from bipsim.engine.streams import instrument_rng
from bipsim.instruments.weekly import WeeklyPanel
from bipsim.mechanisms.trust import REFERENCE_TRUST
from bipsim.model.truth import Truth

WAVE_INTERVAL_WEEKS = 13  # the declared default of survey.interval_weeks
WAVES = 16  # the declared default of survey.waves
MEASURED_STATUSES: tuple[str, ...] = ("activity_ready", "job_ready", "in_activity", "waiting", "sick")
INDIVIDUAL_RESOURCE_ITEMS: tuple[str, ...] = (
    "health",
    "health_coping",
    "everyday_coping",
    "cooperation",
    "goal_directedness",
    "work_belief",
)
BELIEF_ITEM = "caseworker_job_belief"
NOISE_CITIZENS = 8192  # citizens per slice of drawn noise

CITIZEN_ITEMS = np.array([k for k, i in enumerate(INDICATORS) if "citizen" in i.answered_by])
CASEWORKER_ITEMS = np.array(
    [k for k, i in enumerate(INDICATORS) if "caseworker" in i.answered_by and i.key != BELIEF_ITEM]
)
SICK = status_code("sick")
TRUST_LENS_ITEM = int(np.flatnonzero(CITIZEN_ITEMS == INDICATOR_KEYS.index("coherence_progress"))[0])
"""The citizen item read through the citizen's trust: the experienced coherence of the effort."""
# Purposes of the survey's random numbers (the last element of the spawn key).
RESPONSE, CITIZEN_ANSWERS, CASEWORKER_ANSWERS, SAMPLE = 0, 1, 2, 3


def survey_waves(weeks: int, waves: int | None = None, interval_weeks: int = WAVE_INTERVAL_WEEKS) -> np.ndarray:
    """Weeks of the survey's waves in a run of ``weeks`` weeks: ``waves`` (None: as many as fit) from week 0."""
    last = weeks if waves is None else min(weeks, waves * interval_weeks)
    return np.arange(0, last, interval_weeks, dtype=np.int32)


def _latent_at_waves(
    latent: pd.DataFrame, waves: np.ndarray, n: int, interval_weeks: int = WAVE_INTERVAL_WEEKS
) -> np.ndarray:
    """Return true indicators as a (citizens, waves, indicators) array; every wave must be in the latent table.

    The values keep the latent table's float32 (a view of it when the waves are its recording weeks): at
    national scale a float64 copy would be the survey's largest array. Scores are computed in float64.
    """
    missing = sorted(set(waves.tolist()) - set(latent["week"].unique().tolist()))
    if missing:
        raise ValueError(
            f"the latent table has no values at survey weeks {missing[:5]}; record latent "
            f"indicators every {interval_weeks} weeks (records.latent_every_weeks)"
        )
    weeks = np.unique(latent["week"].to_numpy())
    if _in_citizen_week_order(latent, n, weeks):  # as the truth makes it: pick the waves without a pivot
        values = latent[list(INDICATOR_KEYS)].to_numpy().reshape(n, weeks.size, len(INDICATOR_KEYS))
        at_waves = values if np.array_equal(weeks, waves) else values[:, np.searchsorted(weeks, waves)]
        return at_waves
    rows = latent[latent["week"].isin(waves)]
    out = np.empty((n, waves.size, len(INDICATOR_KEYS)), dtype=np.float32)
    out[rows["citizen_id"].to_numpy(), np.searchsorted(waves, rows["week"].to_numpy())] = rows[
        list(INDICATOR_KEYS)
    ].to_numpy(dtype=np.float32)
    return out


def _in_citizen_week_order(latent: pd.DataFrame, n: int, weeks: np.ndarray) -> bool:
    """Whether ``latent`` holds every citizen at each of ``weeks``, citizen by citizen and week by week."""
    if len(latent) != n * weeks.size:
        return False
    citizen = latent["citizen_id"].to_numpy().reshape(n, weeks.size)
    week = latent["week"].to_numpy().reshape(n, weeks.size)
    return bool((citizen == np.arange(n)[:, None]).all() and (week == weeks[None, :]).all())


def survey_population(status: np.ndarray, rejoin: bool) -> np.ndarray:
    """Mask (citizens, waves) of who is measured, from status codes at the waves (see module doc)."""
    measured = np.isin(status, [status_code(s) for s in MEASURED_STATUSES])
    if rejoin:
        return measured
    return ~np.logical_or.accumulate(~measured, axis=1)


def progression_survey(
    truth: Truth, params: SimpleNamespace, root: np.random.SeedSequence, panel: WeeklyPanel | None = None
) -> pd.DataFrame:
    """Observe the survey in long form: one row per citizen, wave, respondent and indicator answered.

    ``params`` holds the groups ``survey``, ``citizen_rating``, ``caseworker_rating`` and ``survey_response``
    (see :func:`bipsim.instruments.parameters.instrument_parameters`); ``root`` is the model's seed sequence;
    ``panel`` the truth's :class:`~bipsim.instruments.weekly.WeeklyPanel` when already built.
    """
    panel = WeeklyPanel.of(truth, panel)
    n, weeks = panel.citizens, panel.weeks
    design = params.survey
    waves = survey_waves(weeks, design.waves, design.interval_weeks)
    status = panel.status[:, waves]
    job_ready = panel.job_ready[:, waves]  # the category depends on every week before the wave
    at_waves = panel.at_weeks(waves)
    caseworker = at_waves.caseworker
    belief = at_waves.belief
    meetings = at_waves.meetings.astype(np.float64)
    true = _latent_at_waves(truth.latent, waves, n, design.interval_weeks)

    citizen_answers, caseworker_answers = _respondents(status, caseworker, meetings, true, params.survey_response, root)
    asked = _sampled(n, design.sample_share, root)[:, None]
    citizen_answers &= asked & (design.respondents != "caseworkers")
    caseworker_answers &= asked & (design.respondents != "citizens")
    citizen_scores = _citizen_scores(
        true,
        citizen_answers,
        params.citizen_rating,
        instrument_rng(root, "survey", CITIZEN_ANSWERS),
        _trust_at_waves(truth, waves, n),
    )
    caseworker_scores = _caseworker_scores(
        true,
        caseworker_answers,
        job_ready,
        caseworker,
        belief,
        meetings,
        params.caseworker_rating,
        truth.caseworkers.shape[0],
        instrument_rng(root, "survey", CASEWORKER_ANSWERS),
    )
    return _long(
        (citizen_answers, caseworker_answers),
        (citizen_scores, caseworker_scores),
        (CITIZEN_ITEMS, np.append(CASEWORKER_ITEMS, INDICATOR_KEYS.index(BELIEF_ITEM))),
        caseworker,
        waves,
    )


def _sampled(n: int, share: float, root: np.random.SeedSequence) -> np.ndarray:
    """Which of ``n`` citizens the survey samples: each with chance ``share`` (all when ``share`` is 1)."""
    if share >= 1.0:
        return np.ones(n, dtype=bool)
    return instrument_rng(root, "survey", SAMPLE).random(n) < share


def _respondents(
    status: np.ndarray,
    caseworker: np.ndarray,
    meetings: np.ndarray,
    true: np.ndarray,
    p: SimpleNamespace,
    root: np.random.SeedSequence,
) -> tuple[np.ndarray, np.ndarray]:
    """Masks (citizens, waves) of citizens and caseworkers who answer."""
    rng = instrument_rng(root, "survey", RESPONSE)
    n, n_waves = status.shape
    propensity = p.propensity_sd * standard_normal(rng, n)
    citizen_draw, caseworker_draw = rng.random((n, n_waves)), rng.random((n, n_waves))
    population = survey_population(status, p.rejoin_after_exit)
    readiness = true @ READINESS_WEIGHTS.astype(np.float64)  # in float64, like the scores
    centre = readiness[population].mean() if population.any() else 0.0
    chance = expit(
        logit(np.clip(p.citizen_response, 1e-9, 1 - 1e-9))
        + propensity[:, None]
        + p.readiness_slope * (readiness - centre)
    )
    chance = np.where(status == SICK, chance * p.sick_factor, chance)
    citizen = population & (citizen_draw < chance)
    caseworker_chance = np.where(meetings > 0, p.caseworker_response, p.caseworker_response * p.unknown_citizen_factor)
    return citizen, population & (caseworker >= 0) & (caseworker_draw < caseworker_chance)


def _trust_at_waves(truth: Truth, waves: np.ndarray, n: int) -> np.ndarray:
    """Each citizen's trust in the jobcentre at each wave (citizens, waves); the reference trust where unknown."""
    out = np.full((n, waves.size), REFERENCE_TRUST, dtype=np.float32)
    rows = truth.trust[truth.trust["week"].isin(waves)]
    out[rows["citizen_id"].to_numpy(), np.searchsorted(waves, rows["week"].to_numpy())] = rows["trust"].to_numpy()
    return out


def _citizen_scores(
    true: np.ndarray, answers: np.ndarray, p: SimpleNamespace, rng: np.random.Generator, trust: np.ndarray
) -> np.ndarray:
    """Citizens' scores (citizens, waves, citizen items) with response shift, desirability, mood and noise.

    The coherence item is also read through the citizen's trust in the jobcentre (``trust_lens`` points per
    unit of trust above or below the reference): the survey sees trust, but only partly and mixed with the
    effort's coherence. Cells the citizen did not answer are 0; the random numbers are drawn for every cell
    all the same.
    """
    n, n_waves, _ = true.shape
    desirability = p.social_desirability * rng.random(n)
    mood = p.mood_sd * standard_normal(rng, (n, n_waves))
    lens = (p.trust_lens * (trust - REFERENCE_TRUST)).astype(np.float32)
    first = answers.argmax(axis=1)  # first answered wave
    scores = np.zeros((n, n_waves, CITIZEN_ITEMS.size), dtype=np.int8)
    for start, noise in _noise_by_citizens(rng, scores.shape):
        _score_citizens(
            true,
            answers=answers,
            first=first,
            desirability=desirability,
            mood=mood,
            lens=lens,
            lens_item=TRUST_LENS_ITEM,
            noise=noise,
            start=start,
            response_shift=p.response_shift,
            noise_sd=p.noise_sd,
            scores=scores,
        )
    return scores


def _noise_by_citizens(rng: np.random.Generator, shape: tuple[int, ...]) -> Iterator[tuple[int, np.ndarray]]:
    """The standard normal noise of a (citizens, ...) array, drawn in slices of citizens.

    The slices hold the same numbers as one draw of the whole array (a generator draws element by element, in
    order), without half a gigabyte of noise at national scale.
    """
    for start in range(0, shape[0], NOISE_CITIZENS):
        yield start, standard_normal(rng, (min(NOISE_CITIZENS, shape[0] - start), *shape[1:]))


@kernel
def _score_citizens(
    true, answers, first, desirability, mood, lens, lens_item, noise, start, response_shift, noise_sd, scores
):
    """Fill the answered cells of ``scores``: each item as seen against the first wave, shifted and noisy.

    Item ``lens_item`` (a position in the citizen items) is also read through ``lens``; ``noise`` holds the
    citizens from ``start`` on.
    """
    n_waves = answers.shape[1]
    for c in range(start, start + noise.shape[0]):
        for w in range(n_waves):
            if not answers[c, w]:
                continue  # only answered cells are scored: about a third of the panel
            for m in range(CITIZEN_ITEMS.size):
                item = np.float64(true[c, w, CITIZEN_ITEMS[m]])
                reference = np.float64(true[c, first[c], CITIZEN_ITEMS[m]])
                seen = item - response_shift * (item - reference)
                value = seen + desirability[c] + mood[c, w] + noise_sd * noise[c - start, w, m]
                if m == lens_item:
                    value += lens[c, w]
                scores[c, w, m] = _scale_point(value)


@kernel
def _scale_point(value):
    """The nearest point of the 1-5 scale (halves to even, as ``np.rint``)."""
    return np.int8(min(max(np.rint(value), SCALE[0]), SCALE[1]))


def _caseworker_scores(
    true: np.ndarray,
    answers: np.ndarray,
    job_ready: np.ndarray,
    caseworker: np.ndarray,
    belief: np.ndarray,
    meetings: np.ndarray,
    p: SimpleNamespace,
    caseworkers: int,
    rng: np.random.Generator,
) -> np.ndarray:
    """Caseworkers' scores (citizens, waves, caseworker items, then the belief item).

    Item cells the caseworker did not answer are 0; the random numbers are drawn for every cell all the same.
    """
    severity = p.severity_sd * standard_normal(rng, max(caseworkers, 1))
    knowledge = meetings / (meetings + p.knowledge_meetings)
    anchor_weight = p.anchoring + (1.0 - p.anchoring) * (1.0 - knowledge)
    anchor = np.where(job_ready, p.anchor_job_ready, p.anchor_activity_ready)
    lean = np.isin(np.asarray(INDICATOR_KEYS)[CASEWORKER_ITEMS], INDIVIDUAL_RESOURCE_ITEMS) * p.deficit_lean
    halo = p.belief_halo * (np.nan_to_num(belief, nan=0.5) - 0.5)
    personal = np.where(caseworker >= 0, severity[np.maximum(caseworker, 0)], 0.0)
    scores = np.zeros((*true.shape[:2], CASEWORKER_ITEMS.size), dtype=np.int8)
    anchored, leaning = anchor_weight * anchor, halo + personal
    for start, noise in _noise_by_citizens(rng, scores.shape):
        _score_caseworkers(
            true,
            answers=answers,
            anchor_weight=anchor_weight,
            anchored=anchored,
            lean=lean,
            leaning=leaning,
            noise=noise,
            start=start,
            noise_sd=p.noise_sd,
            scores=scores,
        )
    cuts = np.array([p.belief_doubtful, p.belief_maybe, p.belief_good, p.belief_yes])
    belief_item = (1 + np.searchsorted(np.sort(cuts), np.nan_to_num(belief, nan=0.0), side="right")).astype(np.int8)
    return np.concatenate([scores, belief_item[:, :, None]], axis=2)


@kernel
def _score_caseworkers(true, answers, anchor_weight, anchored, lean, leaning, noise, start, noise_sd, scores):
    """Fill the answered cells of ``scores``: an impression between truth and the category's anchor, and noise.

    ``lean`` is the deficit lean of each item; ``leaning`` each cell's halo plus the caseworker's severity;
    ``noise`` holds the citizens from ``start`` on.
    """
    n_waves = answers.shape[1]
    for c in range(start, start + noise.shape[0]):
        for w in range(n_waves):
            if not answers[c, w]:
                continue  # only answered cells are scored
            for m in range(CASEWORKER_ITEMS.size):
                item = np.float64(true[c, w, CASEWORKER_ITEMS[m]])
                impression = (1.0 - anchor_weight[c, w]) * item + anchored[c, w]
                noisy = impression - lean[m] + leaning[c, w] + noise_sd * noise[c - start, w, m]
                scores[c, w, m] = _scale_point(noisy)


def _long(
    answers: tuple[np.ndarray, ...],
    scores: tuple[np.ndarray, ...],
    items: tuple[np.ndarray, ...],
    caseworker: np.ndarray,
    waves: np.ndarray,
) -> pd.DataFrame:
    """Rows of the answered items ordered by citizen, wave, respondent and indicator.

    ``answers``, ``scores`` and ``items`` hold one entry per respondent of :data:`RESPONDENTS`, in order.
    """
    # One slot per (respondent, item) side by side: the nonzero cells of the (citizen, wave, slot) mask
    # then come out in the table's order without a sort.
    respondent = np.concatenate([np.full(k.size, r, np.int8) for r, k in enumerate(items)])
    indicator = np.concatenate(items).astype(np.int16)
    slot_order = np.lexsort((indicator, respondent))
    answered = np.concatenate(
        [np.repeat(a[:, :, None], k.size, axis=2) for a, k in zip(answers, items, strict=True)], axis=2
    )[:, :, slot_order]
    score = np.concatenate(scores, axis=2)[:, :, slot_order]
    # One flat index instead of three int64 index arrays (gigabytes at national scale), split into small types
    _, n_waves, slots = answered.shape
    cell = np.flatnonzero(answered)
    answer = score.ravel()[cell]
    slot = (cell % slots).astype(np.int8)
    cell //= slots  # now the (citizen, wave) cell
    ids = caseworker.ravel()[cell]
    wave = (cell % n_waves).astype(np.int16)
    citizen = (cell // n_waves).astype(np.int32)
    del cell
    return pd.DataFrame(
        {
            "citizen_id": citizen,
            "wave": wave,
            "week": waves[wave],
            "respondent": pd.Categorical.from_codes(respondent[slot_order][slot], categories=list(RESPONDENTS)),
            "caseworker_id": pd.arrays.IntegerArray(ids, ids < 0),
            "indicator": pd.Categorical.from_codes(indicator[slot_order][slot], categories=list(INDICATOR_KEYS)),
            "score": answer,
        },
        copy=False,  # fresh arrays: no copy into consolidated blocks
    )


def measurements(survey: pd.DataFrame) -> pd.DataFrame:
    """One row per measurement (a respondent's questionnaire at a wave) with its number of items."""
    return survey.groupby(["citizen_id", "wave", "respondent"], observed=True).size().rename("items").reset_index()
