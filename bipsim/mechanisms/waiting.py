"""Waiting ("ventetid"): interventions have limited places, citizens queue, and waiting erodes.

Rule:
    Each jobcentre has ``waiting.places_per_1000`` intervention places per 1,000 of its citizens, shared
    between the intervention types by their share of places (``place_share`` in ``vocabulary.INTERVENTIONS``).
    Every week free places are filled from the queue of that type, longest-waiting first (ties broken at
    random); the others keep waiting. While a citizen waits (in a queue and in no intervention), work belief,
    goal-directedness and the experienced coherence of the effort fall by ``waiting.erosion_per_week`` a week.

Planted effect:
    The erosion per week of waiting, and the help that is delayed.

Switched off:
    With ``waiting.enabled = false`` places are unlimited, so every offer starts at once and nobody waits.

Sources:
    The number of places is calibrated (queues for the scarcest types, most others start at once); the
    erosion is a modelling assumption.

Fixed assumptions:
    ``ERODED``: the indicators waiting erodes.

Parameters:
    ``waiting.enabled`` (the switch), ``waiting.places_per_1000`` and ``waiting.erosion_per_week``. Reads no
    other group.
"""

from __future__ import annotations

import numpy as np

from bipsim.contract.vocabulary import INTERVENTION_KEYS, INTERVENTIONS, indicator_index
from bipsim.engine.kernels import kernel
from bipsim.engine.world import World
from bipsim.mechanisms import interventions

ERODED = np.array([indicator_index(k) for k in ("work_belief", "goal_directedness", "coherence_progress")])
"""The indicators waiting erodes."""


def places(citizens_per_jobcentre: np.ndarray, places_per_1000: float) -> np.ndarray:
    """Places per (jobcentre, intervention type)."""
    share = np.array([i.place_share for i in INTERVENTIONS])
    return np.ceil(citizens_per_jobcentre[:, None] * places_per_1000 / 1000 * share / share.sum()).astype(np.int64)


def step(model: World, rng: np.random.Generator) -> None:
    """Fill free places from the queues, then let the remaining wait."""
    c, p, week = model.citizens, model.params.waiting, model.week
    tie_draw = rng.random(c.size, dtype=np.float32)
    employer_draw = rng.random(c.size, dtype=np.float32)
    free_places = model.places.ravel()
    for slot in (0, 1):
        admitted = _admit(
            queue=c.queue[:, slot],
            queue_since=c.queue_since[:, slot],
            programme=c.programme[:, slot],
            group_of=model.jobcentre_group_offset,
            places=free_places,
            tie_draw=tie_draw,
            enabled=p.enabled,
        )
        if admitted is not None:
            interventions.start(model, admitted, slot, employer_draw)
    new, first = _wait(
        queue=c.queue,
        queue_since=c.queue_since,
        programme=c.programme,
        latent=c.latent,
        week=week,
        erosion=np.float32(p.erosion_per_week),
        enabled=p.enabled,
    )
    labels = model.events.detail_codes(INTERVENTION_KEYS)
    model.events.add(week, "waiting_start", new, caseworker=c.caseworker[new], detail=labels[first])


@kernel
def _admit(queue, queue_since, programme, group_of, places, tie_draw, enabled):
    """Citizens in this slot's queues who get a free place this week, in citizen order; None if none queue.

    Each (jobcentre, type) place group admits its longest-waiting first (ties broken by ``tie_draw``) until
    its free places are filled; with the mechanism off every queued citizen is admitted.
    """
    queued = np.flatnonzero(queue >= 0)
    if queued.size == 0:
        return None
    if not enabled:
        return queued
    free = places.copy()
    for i in range(programme.size):
        if programme[i] >= 0:
            free[group_of[i] + programme[i]] -= 1
    group = group_of[queued] + queue[queued]
    has_room = free[group] > 0
    queued, group = queued[has_room], group[has_room]
    # longest-waiting first within each group: the order of np.lexsort((tie_draw, queue_since, group))
    order = np.argsort(tie_draw[queued], kind="mergesort")
    order = order[np.argsort(queue_since[queued[order]], kind="mergesort")]
    order = order[np.argsort(group[order], kind="mergesort")]
    admitted = np.empty(order.size, dtype=np.int64)
    count, rank = 0, 0
    for position in range(order.size):
        g = group[order[position]]
        rank = rank + 1 if position > 0 and g == group[order[position - 1]] else 0
        if rank < free[g]:
            admitted[count] = queued[order[position]]
            count += 1
    return np.sort(admitted[:count])


@kernel
def _wait(queue, queue_since, programme, latent, week, erosion, enabled):
    """Citizens waiting (queued, in no intervention) lose ``erosion`` on the eroded indicators.

    Returns those who started waiting this week and the first type each waits for.
    """
    n = queue.shape[0]
    new = np.empty(n, dtype=np.int64)
    first = np.empty(n, dtype=np.int64)
    count_new = 0
    for i in range(n):
        if (queue[i, 0] >= 0 or queue[i, 1] >= 0) and programme[i, 0] < 0 and programme[i, 1] < 0:
            if queue_since[i, 0] == week or queue_since[i, 1] == week:
                new[count_new] = i
                first[count_new] = queue[i, 0] if queue[i, 0] >= 0 else queue[i, 1]
                count_new += 1
            if enabled:
                for k in ERODED:
                    latent[i, k] -= erosion
    return new[:count_new].copy(), first[:count_new]  # a copy: the event log keeps it, not the buffer
