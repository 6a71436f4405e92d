"""The register (DREAM-like): weekly benefit codes, activities, background and five years of history.

HOW IT WORKS. Every citizen-week gets one code of :data:`BENEFIT_CODES`, mapped from the true status. The
register knows the visitation category but not why: ``in_activity`` and ``waiting`` are coded as social
assistance of the citizen's category, which is the last activity-ready or job-ready status seen
(activity-ready before any, the category every BIP citizen enters with; see
:func:`bipsim.instruments.weekly.job_ready_category`). The background table holds only characteristics a
register records (no orientation, no latent or baseline readiness).

The history table holds the ``register_history.history_weeks`` weeks before week 0 as spells. Each citizen's
weeks in job or education and on support are exactly their true shares of the period (rounded to whole
weeks), the rest is other self-support. Weeks are grouped in blocks of ``block_weeks`` that are ranked by a
random key tilted by ``recency`` toward the end of the period, so support clusters in the years just before
the study; a share ``education_share`` of job-or-education spells is education and a share
``sickness_share`` of support spells is sickness benefit.

Self-sufficiency degree (selvforsørgelsesgrad) is the share of weeks in a window coded self-supporting,
among the weeks the citizen is in the population.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd

from bipsim.contract.codes import (
    BACKGROUND_COLUMNS,
    BENEFIT_CODES,
    BENEFIT_KEYS,
    BY_CATEGORY,
    CATEGORY_STATUSES,
    IN_POPULATION,
    KH_ACTIVITY_READY,
    KH_JOB_READY,
    SELF_SUPPORTING,
    benefit_code,
)
from bipsim.contract.vocabulary import STATUS_KEYS
from bipsim.engine.kernels import kernel, standard_normal
from bipsim.engine.streams import instrument_rng
from bipsim.instruments.weekly import WeeklyPanel, job_ready_category
from bipsim.model.truth import Truth


def _code_of_status() -> np.ndarray:
    """Benefit code of each status (:data:`BY_CATEGORY` for statuses coded by category)."""
    lookup = np.full(len(STATUS_KEYS), BY_CATEGORY, dtype=np.int8)
    for code, entry in enumerate(BENEFIT_CODES):
        for status in entry.statuses:
            lookup[STATUS_KEYS.index(status)] = code
    unmapped = [s for s, c in zip(STATUS_KEYS, lookup, strict=True) if c == BY_CATEGORY and s not in CATEGORY_STATUSES]
    if unmapped:
        raise ValueError(f"statuses without a benefit code: {unmapped}")
    return lookup


CODE_OF_STATUS = _code_of_status()


def benefit_codes_from_status(status: np.ndarray, job_ready: np.ndarray | None = None) -> np.ndarray:
    """Benefit codes (int8) of a (citizens, weeks) status-code matrix; pass ``job_ready`` when already computed."""
    job_ready = job_ready_category(status) if job_ready is None else job_ready
    codes = np.empty(status.shape, dtype=np.int8)
    _code_weeks(status=status, job_ready=job_ready, code_of_status=CODE_OF_STATUS, codes=codes)
    return codes


@kernel
def _code_weeks(status, job_ready, code_of_status, codes):
    """Each week's benefit code: its status's, or for statuses coded by category the category's social assistance."""
    for i in range(status.shape[0]):
        for week in range(status.shape[1]):
            code = code_of_status[status[i, week]]
            if code == BY_CATEGORY:
                code = KH_JOB_READY if job_ready[i, week] else KH_ACTIVITY_READY
            codes[i, week] = code


def _categorical(codes: np.ndarray, keys: tuple[str, ...]) -> pd.Categorical:
    return pd.Categorical.from_codes(codes.astype(np.int16), categories=list(keys))


def register_weeks(truth: Truth, panel: WeeklyPanel | None = None) -> pd.DataFrame:
    """One row per citizen-week: benefit code, self-support, activity, caseworker and employer.

    ``panel`` is the truth's :class:`~bipsim.instruments.weekly.WeeklyPanel` when already built.
    """
    weekly = truth.weekly
    panel = WeeklyPanel.of(truth, panel)
    codes = benefit_codes_from_status(panel.status, panel.job_ready)
    row_codes = panel.rows(codes)
    # The columns taken over from the truth are shared, not copied: pandas copies them on write
    return pd.DataFrame(
        {
            "citizen_id": weekly["citizen_id"].astype(np.int32),
            "week": weekly["week"].astype(np.int32),
            "benefit_code": _categorical(row_codes, BENEFIT_KEYS),
            "self_supporting": SELF_SUPPORTING[row_codes],
            "activity": weekly["activity"],
            "caseworker_id": weekly["caseworker_id"].astype("Int32"),
            "employer_id": weekly["employer_id"].astype("Int32"),
        },
        copy=False,
    )


def background(truth: Truth) -> pd.DataFrame:
    """Register background characteristics of every citizen (nothing hidden, nothing latent)."""
    return truth.citizens.loc[:, list(BACKGROUND_COLUMNS)].reset_index(drop=True)


def register_history(truth: Truth, params: SimpleNamespace, root: np.random.SeedSequence) -> pd.DataFrame:
    """Draw the register spells of the weeks before week 0.

    Columns ``citizen_id, start_week, end_week`` (exclusive), ``weeks``, ``benefit_code``; ``params`` is the
    ``register_history`` group.
    """
    p = params
    rng = instrument_rng(root, "register")
    citizens = truth.citizens
    n, span = len(citizens), p.history_weeks
    job_weeks = np.rint(span * citizens["history_job_education_share"].to_numpy(np.float64)).astype(np.int32)
    support_weeks = np.rint(span * citizens["history_support_share"].to_numpy(np.float64)).astype(np.int32)
    support_weeks = np.minimum(support_weeks, span - job_weeks)

    blocks = -(-span // p.block_weeks)
    tilt = p.recency * (np.arange(blocks) / max(blocks - 1, 1) - 0.5)
    block_key = standard_normal(rng, (n, blocks)) + tilt
    starts, spell_kind = _history_spells(
        block_key, block_weeks=p.block_weeks, span=span, job_weeks=job_weeks, support_weeks=support_weeks
    )
    size = n * span
    ends = np.r_[starts[1:], size]
    draw = rng.random(starts.size)
    code = np.select(
        [spell_kind == 1, spell_kind == 2],
        [
            np.where(draw < p.education_share, benefit_code("education"), benefit_code("ordinary_job")),
            np.where(draw < p.sickness_share, benefit_code("sickness_benefit"), KH_ACTIVITY_READY),
        ],
        benefit_code("other_self_supporting"),
    )
    return pd.DataFrame(
        {
            "citizen_id": citizens["citizen_id"].to_numpy(np.int32)[starts // span],
            "start_week": (starts % span - span).astype(np.int32),
            "end_week": ((ends - 1) % span + 1 - span).astype(np.int32),
            "weeks": (ends - starts).astype(np.int32),
            "benefit_code": _categorical(code, BENEFIT_KEYS),
        }
    )


@kernel
def _history_spells(block_key, block_weeks, span, job_weeks, support_weeks):
    """The register spells of every citizen's history: where each starts (citizen x span + week) and its kind.

    Weeks are ordered by their block's key, in order within a block (a week's key is its block's key plus
    ``1e-9`` per week); the first ``job_weeks`` in that order are job or education (kind 1), the last
    ``support_weeks`` on public support (kind 2), the rest other self-support (kind 0). Sorting the blocks
    gives the weeks' order whenever the keys of neighbouring blocks do not overlap; the rare citizens whose
    keys do are ordered by sorting all their weeks.
    """
    n, blocks = block_key.shape
    starts = np.empty(n * span, dtype=np.int64)
    kinds = np.empty(n * span, dtype=np.int8)
    rank = np.empty(span, dtype=np.int64)
    block_start = np.empty(blocks, dtype=np.int64)
    count = 0
    for i in range(n):
        order = np.argsort(block_key[i])
        overlap, start = False, 0
        for position in range(blocks):
            b = order[position]
            size = min((b + 1) * block_weeks, span) - b * block_weeks
            block_start[b] = start
            start += size
            if position + 1 < blocks:
                following = order[position + 1]
                last_of_block = block_key[i, b] + (b * block_weeks + size - 1) * 1e-9
                overlap |= last_of_block >= block_key[i, following] + (following * block_weeks) * 1e-9
        if overlap:
            keys = np.empty(span)
            for week in range(span):
                keys[week] = block_key[i, week // block_weeks] + week * 1e-9
            rank[np.argsort(keys)] = np.arange(span)
        else:
            for week in range(span):
                rank[week] = block_start[week // block_weeks] + week % block_weeks
        previous = -1
        for week in range(span):
            kind = 0
            if rank[week] < job_weeks[i]:
                kind = 1
            if rank[week] >= span - support_weeks[i]:
                kind = 2
            if week == 0 or kind != previous:  # every citizen's period starts a spell
                starts[count], kinds[count] = i * span + week, kind
                count += 1
            previous = kind
    return starts[:count].copy(), kinds[:count].copy()


def _codes(column: pd.Series) -> np.ndarray:
    return pd.Categorical(column, categories=list(BENEFIT_KEYS)).codes


def self_sufficiency(register: pd.DataFrame, start: int, end: int, history: pd.DataFrame | None = None) -> pd.Series:
    """Compute the self-sufficiency degree (selvforsørgelsesgrad) of every citizen over ``[start, end)``.

    It is the share of in-population weeks in the window that are self-supporting. Weeks before 0 come from
    the ``history`` spells when given; NaN when a citizen has no
    in-population week in the window.
    """
    ids = np.unique(register["citizen_id"].to_numpy())
    in_window = register[(register["week"] >= start) & (register["week"] < end)]
    codes = _codes(in_window["benefit_code"])
    frames = [
        pd.DataFrame(
            {
                "citizen_id": in_window["citizen_id"].to_numpy(),
                "weeks": IN_POPULATION[codes].astype(np.int64),
                "self_supporting": (SELF_SUPPORTING[codes] & IN_POPULATION[codes]).astype(np.int64),
            }
        )
    ]
    if history is not None:
        overlap = (
            np.minimum(history["end_week"].to_numpy(), end) - np.maximum(history["start_week"].to_numpy(), start)
        ).clip(min=0)
        codes = _codes(history["benefit_code"])
        frames.append(
            pd.DataFrame(
                {
                    "citizen_id": history["citizen_id"].to_numpy(),
                    "weeks": overlap * IN_POPULATION[codes],
                    "self_supporting": overlap * SELF_SUPPORTING[codes],
                }
            )
        )
    sums = pd.concat(frames).groupby("citizen_id").sum().reindex(ids, fill_value=0)
    share = sums["self_supporting"] / sums["weeks"].where(sums["weeks"] > 0)
    return share.rename("self_sufficiency").rename_axis("citizen_id")
