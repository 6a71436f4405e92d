"""The students' decisions applied to a running model, from outside it, between weekly steps.

The model has no notion of a human caseworker; class mode drives it only through its columnar state
(:class:`bipsim.engine.columns.CitizenState` and ``CaseworkerState``) and the mechanisms' public functions, so the
model's own schedule (``BipModel.step``) runs unchanged. What is set, and why:

- **Posts** (:func:`open_posts`, once, before week 0): one caseworker row is appended per student place at
  the jobcentre with the most citizens (``CaseworkerState.append``: style ``supportive``, quality 1, the
  scenario's weekly meeting capacity or the class's meetings per round if larger, so a student's chosen meetings
  all fit in the quarter's first week); ``caseload`` citizens on benefit are drawn for each post from the
  jobcentre's simulated caseloads and handed over with :func:`bipsim.mechanisms.turnover.reassign` (a caseworker
  change: relationship reset, handover gap). The twin gets the same posts, so both models draw the same random
  numbers: every draw is sized by the number of citizens or caseworkers, which decisions never change.
- **Meet** (:func:`apply`): ``next_meeting`` is set to the current week, so the meetings mechanism holds the
  meeting in the round's first week (and later ones at its usual interval); an exemption from contact given
  earlier (``exempt_until``) ends, since the student chose to meet. **Not met**: ``next_meeting`` is
  held at the round's end after every week (:func:`hold`), because a job ending or a handover may bring it
  forward.
- **Offers**: the intervention is put in the citizen's ``queue`` (slot 0 job-focused, slot 1 support) with
  ``queue_since`` this week, and ``offers`` and ``last_offer`` are counted, as
  :mod:`bipsim.mechanisms.interventions` does at a meeting. The waiting mechanism starts it when a place of the
  jobcentre is free, otherwise the citizen waits. A meeting without an offer of the student's ends without one.
- **Exempt**: ``exempt_until`` and ``next_meeting`` are set to the round's end (no meetings, no offers) and an
  ``exemption`` event is logged, as :func:`bipsim.mechanisms.rules.exempt` does.
- **Belief**: ``belief`` is set to the student's value, and ``perceived_readiness`` to the readiness at which
  the meetings mechanism's logistic gives that belief; the labour market reads the belief (the belief effect).
  Later meetings update the perceived readiness with what the caseworker sees, but the belief stays the
  student's until the student changes it.
- **Decided by hand** (:func:`decide_by_hand`): during a round, the citizens of every post a student decides
  for have ``CitizenState.decided_by_hand`` set, so the model makes none of a caseworker's decisions for them:
  no standard offer at a meeting (whatever the legal deadline), no exemption by the rules, no belief update
  (see the Rule sections of :mod:`bipsim.mechanisms.interventions`, :mod:`~bipsim.mechanisms.rules` and
  :mod:`~bipsim.mechanisms.meetings`). The mask is set again after every week, so it follows citizens who move
  between caseworkers (a move's handover gap means no meeting in the week it happens), and cleared at the round's
  end: posts without a student, the twin and the year of follow-up run under the standard procedure.
- **Follow** (:func:`follow`): when the turnover mechanism lets a post's caseworker leave, its replacement takes
  the caseload over; the student follows the caseload to the replacement's row.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from bipsim.classroom.decisions import SLOTS, CaseState, Decision
from bipsim.contract.vocabulary import CASEWORKER_STYLES, INTERVENTION_KEYS
from bipsim.engine.columns import NEVER
from bipsim.mechanisms import turnover
from bipsim.model.model import BipModel

CLASS_KEY_BASE = 3000
"""Spawn-key base of class mode's own draws: apart from the model's (small) and the instruments' (1000 +) keys."""
STUDENT_STYLE = "supportive"
STUDENT_QUALITY = 1.0
"""A student's caseworker row is an average caseworker: what differs is what the student decides."""
BELIEF_CLIP = 0.01
CODE = {key: code for code, key in enumerate(INTERVENTION_KEYS)}


class PostsError(ValueError):
    """The jobcentre has too few citizens on benefit for the posts asked for."""

    def __init__(self, needed: int, available: int) -> None:
        self.needed, self.available = needed, available
        super().__init__(f"{needed} citizens needed for the posts, {available} on benefit in the jobcentre")


def class_rng(model: BipModel, purpose: int) -> np.random.Generator:
    """Class mode's generator for ``purpose``, derived from the model's seed like the instruments' streams."""
    root = model.streams.seed_sequence
    key = (*root.spawn_key, CLASS_KEY_BASE, purpose)
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(root.entropy, spawn_key=key)))


def shared_jobcentre(model: BipModel) -> int:
    """The jobcentre the class works in: the one with the most citizens (the first of equals)."""
    return int(np.argmax(np.bincount(model.citizens.jobcentre)))


def available_citizens(model: BipModel, jobcentre: int) -> np.ndarray:
    """Citizens of ``jobcentre`` on benefit with a caseworker: those a post can take over."""
    c = model.citizens
    return np.flatnonzero((c.jobcentre == jobcentre) & c.on_benefit() & (c.caseworker >= 0))


def open_posts(model: BipModel, posts: int, caseload: int, meetings: int) -> tuple[int, list[int]]:
    """Append ``posts`` caseworker rows at the shared jobcentre and hand each ``caseload`` citizens.

    Returns the jobcentre and the rows. Raises :class:`PostsError` when the jobcentre has too few citizens.
    """
    jobcentre = shared_jobcentre(model)
    candidates = available_citizens(model, jobcentre)
    if candidates.size < posts * caseload:
        raise PostsError(posts * caseload, int(candidates.size))
    capacity = max(model.params.meetings.capacity_per_week, meetings)
    style = next(k for k, s in enumerate(CASEWORKER_STYLES) if s.key == STUDENT_STYLE)
    rows = [
        model.caseworkers.append(
            jobcentre=jobcentre,
            style=style,
            quality=STUDENT_QUALITY,
            capacity=capacity,
            start_week=model.week,
            end_week=NEVER,
        )
        for _ in range(posts)
    ]
    chosen = np.sort(class_rng(model, 0).choice(candidates, posts * caseload, replace=False))
    turnover.reassign(model, chosen, np.resize(np.asarray(rows), chosen.size))
    return jobcentre, rows


def caseload(model: BipModel, row: int) -> np.ndarray:
    """The citizens on benefit that caseworker ``row`` is responsible for now: those decisions are about."""
    c = model.citizens
    return np.flatnonzero((c.caseworker == row) & c.on_benefit())


def case_states(model: BipModel, citizens: Iterable[int]) -> dict[int, CaseState]:
    """For each citizen, the help running or queued in each kind (what the decision checks need)."""
    c = model.citizens
    states = {}
    for i in citizens:
        busy = {}
        for slot, kind in enumerate(SLOTS):
            code = c.programme[i, slot] if c.programme[i, slot] >= 0 else c.queue[i, slot]
            if code >= 0:
                busy[kind] = INTERVENTION_KEYS[code]
        states[int(i)] = CaseState(busy)
    return states


def perceived_for(belief: np.ndarray, threshold: float, slope: float) -> np.ndarray:
    """The perceived readiness at which the meetings mechanism's logistic gives ``belief``."""
    b = np.clip(belief, BELIEF_CLIP, 1.0 - BELIEF_CLIP)
    return threshold + np.log(b / (1.0 - b)) / slope


def apply(model: BipModel, row: int, decisions: Iterable[Decision], weeks: int) -> np.ndarray:
    """Apply one post's decisions at the start of a round of ``weeks``; return the citizens not to be met.

    Decisions about citizens no longer on the post's caseload are skipped (they left it, or left benefit).
    """
    c, week, m = model.citizens, model.week, model.params.meetings
    until = week + weeks
    mine = set(caseload(model, row).tolist())
    decided = [d for d in decisions if d.citizen in mine]
    if not decided:
        return np.empty(0, dtype=np.int64)
    who = np.array([d.citizen for d in decided], dtype=np.int64)
    beliefs = np.array([d.belief for d in decided])
    c.belief[who] = beliefs
    c.perceived_readiness[who] = perceived_for(beliefs, m.belief_threshold, m.belief_slope)
    exempt = np.array([d.exempt for d in decided])
    meet = np.array([d.meet for d in decided])
    exempted = who[exempt]
    c.exempt_until[exempted] = until
    c.next_meeting[exempted] = np.maximum(c.next_meeting[exempted], until)
    model.events.add(week, "exemption", exempted, caseworker=row, value=float(weeks))
    c.next_meeting[who[meet]] = np.minimum(c.next_meeting[who[meet]], week)
    c.exempt_until[who[meet]] = np.minimum(c.exempt_until[who[meet]], week)
    for d in decided:
        offered = False
        for slot, kind in enumerate(SLOTS):
            key = getattr(d, kind)
            if key in CODE and c.programme[d.citizen, slot] < 0 and c.queue[d.citizen, slot] < 0:
                c.queue[d.citizen, slot] = CODE[key]
                c.queue_since[d.citizen, slot] = week
                offered = True
        if offered:
            c.offers[d.citizen] += 1
            c.last_offer[d.citizen] = week
    unmet = who[~meet & ~exempt]
    hold(model, row, unmet, until)
    return unmet


def hold(model: BipModel, row: int, unmet: np.ndarray, until: int) -> None:
    """Keep the post's citizens it chose not to meet without a meeting until the round's end."""
    c = model.citizens
    still = unmet[c.caseworker[unmet] == row]
    c.next_meeting[still] = np.maximum(c.next_meeting[still], until)


def decide_by_hand(model: BipModel, rows: Iterable[int]) -> None:
    """Mark the citizens of caseworkers ``rows`` as decided by hand, and everyone else as decided by the model."""
    c = model.citizens
    c.decided_by_hand[:] = np.isin(c.caseworker, np.fromiter(rows, dtype=np.int64))


def follow(model: BipModel, row: int, known: np.ndarray) -> int:
    """The row of the post after a week: ``row``, or its replacement's if its caseworker left.

    ``known`` are citizens of the post before the week; the replacement took them over. Call after a step.
    """
    cw = model.caseworkers
    if cw.end_week[row] == NEVER:
        return row
    hired = np.flatnonzero((cw.start_week == model.week - 1) & (cw.jobcentre == cw.jobcentre[row]) & cw.active())
    if hired.size == 0:
        return row
    holders = model.citizens.caseworker[known]
    counts = [(int(np.sum(holders == h)), -int(h)) for h in hired]
    return -max(counts)[1]
