"""Caseworker turnover ("sagsbehandlerskift"): caseworkers leave and caseloads are reassigned.

Rule:
    Each week a caseworker leaves the jobcentre with ``turnover.quit_probability``; a replacement is hired at
    the same jobcentre and takes over the whole caseload. Independently, a citizen on benefit is moved to
    another caseworker of the same jobcentre with ``turnover.reassignment_probability`` (reorganisation,
    specialisation). After a change the relationship and the caseworker's knowledge reset: continuity starts
    again from zero, the new caseworker's picture of the citizen starts from the typical readiness of the
    citizen's category (see :mod:`bipsim.mechanisms.meetings`), and the first meeting comes only after
    ``turnover.handover_weeks``.

Planted effect:
    None directly on job chances. The effect of a change runs through lost continuity (smaller meeting gains
    and no brokering), lost belief and a gap without help, which makes it a good test case for whether an
    analysis recovers a mediated effect. Published: one change goes with -22% job chance, and 40% of citizens
    had at least one change.

Switched off:
    With ``turnover.enabled = false`` nobody leaves and nobody is moved.

Sources:
    The two probabilities are calibrated to the published 40% with at least one change; the handover gap is a
    modelling assumption.

Parameters:
    ``turnover.enabled`` (the switch), ``turnover.quit_probability``, ``turnover.reassignment_probability`` and
    ``turnover.handover_weeks``. Reads ``meetings.job_ready_threshold``, ``meetings.belief_threshold`` and
    ``meetings.belief_slope`` to restart the new caseworker's picture and belief.
"""

from __future__ import annotations

import numpy as np

from bipsim.engine.columns import NEVER, ON_BENEFIT
from bipsim.engine.kernels import kernel
from bipsim.engine.world import World
from bipsim.mechanisms.meetings import belief, category_anchor


def step(model: World, rng: np.random.Generator) -> None:
    """Let caseworkers leave and move citizens between caseworkers."""
    p = model.params.turnover
    cw = model.caseworkers
    leave_draw = rng.random(cw.size, dtype=np.float32)
    move_draw = rng.random(model.citizens.size, dtype=np.float32)
    pick_draw = rng.random(model.citizens.size, dtype=np.float32)
    if not p.enabled:
        return
    leaving = np.flatnonzero(cw.active() & (leave_draw < p.quit_probability))
    if leaving.size:
        assigned, bounds = _assigned(model.citizens.caseworker, leaving=leaving)  # one pass for all who leave
        for k, index in enumerate(leaving):
            model.caseworker(index).leave(rng, assigned[bounds[k] : bounds[k + 1]])
    c = model.citizens
    movers, chosen = _move(
        move_draw=move_draw,
        pick_draw=pick_draw,
        probability=np.float32(p.reassignment_probability),
        exit_status=c.exit_status,
        caseworker=c.caseworker,
        jobcentre=c.jobcentre,
        end_week=cw.end_week,
        caseworker_jobcentre=cw.jobcentre,
    )
    if movers.size:
        reassign(model, movers, chosen)


def pick_other_caseworker(model: World, citizens: np.ndarray, draw: np.ndarray) -> np.ndarray:
    """A uniformly drawn active caseworker of each citizen's jobcentre other than the current one."""
    c, cw = model.citizens, model.caseworkers
    return _pick_other(
        citizens,
        draw=draw,
        caseworker=c.caseworker,
        jobcentre=c.jobcentre,
        end_week=cw.end_week,
        caseworker_jobcentre=cw.jobcentre,
    )


@kernel
def _assigned(caseworker, leaving):
    """The citizens assigned to each of ``leaving`` (caseworker indices): ``assigned[bounds[k]:bounds[k + 1]]``."""
    slot = np.full(caseworker.max() + 2 if caseworker.size else 1, -1, dtype=np.int64)
    for k in range(leaving.size):
        if leaving[k] < slot.size:
            slot[leaving[k]] = k
    counts = np.zeros(leaving.size + 1, dtype=np.int64)
    for w in caseworker:
        if 0 <= w < slot.size and slot[w] >= 0:
            counts[slot[w] + 1] += 1
    bounds = np.cumsum(counts)
    filled = bounds[:-1].copy()
    assigned = np.empty(bounds[-1], dtype=np.int64)
    for i in range(caseworker.size):
        w = caseworker[i]
        if 0 <= w < slot.size and slot[w] >= 0:
            assigned[filled[slot[w]]] = i
            filled[slot[w]] += 1
    return assigned, bounds


@kernel
def _move(move_draw, pick_draw, probability, exit_status, caseworker, jobcentre, end_week, caseworker_jobcentre):
    """Citizens on benefit moved to another caseworker this week, and their new caseworkers."""
    movers = np.flatnonzero((exit_status == ON_BENEFIT) & (caseworker >= 0) & (move_draw < probability))
    chosen = _pick_other(
        movers,
        draw=pick_draw[movers],
        caseworker=caseworker,
        jobcentre=jobcentre,
        end_week=end_week,
        caseworker_jobcentre=caseworker_jobcentre,
    )
    return movers, chosen


@kernel
def _pick_other(citizens, draw, caseworker, jobcentre, end_week, caseworker_jobcentre):
    """For each citizen, an active caseworker of the jobcentre other than the current one, drawn uniformly.

    ``draw`` is uniform (float32); a citizen whose jobcentre has fewer than two active caseworkers keeps theirs.
    """
    active = np.flatnonzero(end_week == NEVER)
    pools = active[np.argsort(caseworker_jobcentre[active], kind="mergesort")]  # by jobcentre, then index
    centres = caseworker_jobcentre[pools]
    chosen = caseworker[citizens].copy()
    for position in range(citizens.size):
        here = jobcentre[citizens[position]]
        first = np.searchsorted(centres, here, side="left")
        size = np.searchsorted(centres, here, side="right") - first
        if size < 2:
            continue
        pool = pools[first : first + size]
        current = np.searchsorted(pool, caseworker[citizens[position]])
        offset = int(draw[position] * np.float32(size - 1))
        chosen[position] = pool[offset + (offset >= current)]
    return chosen


def reassign(model: World, citizens: np.ndarray, caseworkers: np.ndarray | int) -> None:
    """Give ``citizens`` new caseworkers: relationship and knowledge reset, and a handover gap."""
    c, week = model.citizens, model.week
    m = model.params.meetings
    c.caseworker[citizens] = caseworkers
    c.meetings_with_caseworker[citizens] = 0
    c.perceived_readiness[citizens] = category_anchor(c.job_ready[citizens], m.job_ready_threshold)
    c.belief[citizens] = belief(c.perceived_readiness[citizens], m.belief_threshold, m.belief_slope)
    c.next_meeting[citizens] = np.maximum(c.next_meeting[citizens], week + model.params.turnover.handover_weeks)
    c.caseworker_changes[citizens] += 1
    model.events.add(week, "caseworker_change", citizens, caseworker=c.caseworker[citizens])
