"""Waiting ("ventetid"): interventions have limited places, citizens queue, and waiting erodes.

Rule: each jobcentre has ``waiting.places_per_1000`` intervention places per 1,000 of its citizens, shared
between intervention types as in ``vocabulary.INTERVENTIONS`` (``place_share``). Every week, free places
are filled from the queue, longest-waiting first; the rest keep waiting.
While a citizen waits (in a queue and in no intervention), work belief, goal-directedness and the
experienced coherence of the effort fall by ``waiting.erosion_per_week``.

Planted effect: the erosion per week of waiting, plus the help that is delayed. Switched off: places are
unlimited, so nobody waits.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from bipsim.mechanisms import interventions
from bipsim.model.arrays import rank_within_groups
from bipsim.vocabulary import INTERVENTION_KEYS, INTERVENTIONS, indicator_index

if TYPE_CHECKING:
    from bipsim.model.model import BipModel

ERODED = np.array([indicator_index(k) for k in ("work_belief", "goal_directedness", "coherence_progress")])
TYPES = len(INTERVENTION_KEYS)


def places(citizens_per_jobcentre: np.ndarray, places_per_1000: float) -> np.ndarray:
    """Places per (jobcentre, intervention type)."""
    share = np.array([i.place_share for i in INTERVENTIONS])
    return np.ceil(citizens_per_jobcentre[:, None] * places_per_1000 / 1000 * share / share.sum()).astype(np.int64)


def step(model: BipModel, rng: np.random.Generator) -> None:
    """Fill free places from the queues, then let the remaining wait."""
    c, p, week = model.citizens, model.params.waiting, model.week
    tie_draw = rng.random(c.size, dtype=np.float32)
    employer_draw = rng.random(c.size, dtype=np.float32)
    group_of = model.jobcentre_group_offset
    for slot in (0, 1):
        queued = np.flatnonzero(c.queue[:, slot] >= 0)
        if queued.size == 0:
            continue
        if p.enabled:
            running = c.programme[:, slot] >= 0
            occupied = np.bincount(group_of[running] + c.programme[running, slot], minlength=model.places.size)
            free = model.places.ravel() - occupied
            group = group_of[queued] + c.queue[queued, slot]
            has_room = free[group] > 0
            queued, group = queued[has_room], group[has_room]
            order = np.lexsort((tie_draw[queued], c.queue_since[queued, slot], group))
            queued, group = queued[order], group[order]
            queued = queued[rank_within_groups(group) < free[group]]
        interventions.start(model, np.sort(queued), slot, employer_draw)
    waiting = np.flatnonzero(c.queued() & ~c.in_programme())
    new = waiting[(c.queue_since[waiting] == week).any(axis=1)]
    labels = model.events.detail_codes(INTERVENTION_KEYS)
    first = np.where(c.queue[new, 0] >= 0, c.queue[new, 0], c.queue[new, 1]).astype(int)
    model.events.add(week, "waiting_start", new, caseworker=c.caseworker[new], detail=labels[first])
    if p.enabled:
        for indicator in ERODED:  # column by column: cheaper than a (waiting, ERODED) block
            c.latent[waiting, indicator] -= p.erosion_per_week
