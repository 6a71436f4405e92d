"""Trust in the jobcentre: it stays put when switched off, caseworker changes and long exemptions lower it,
continuity and completed job-focused help rebuild it, and it changes how meetings land and how orientations drift."""

from __future__ import annotations

import numpy as np

from bipsim.contract.vocabulary import ORIENTATION_KEYS
from bipsim.engine.columns import JOB_SLOT, NEVER
from bipsim.mechanisms import meetings, trust

RESIGNED, DISTRUSTFUL = ORIENTATION_KEYS.index("resigned"), ORIENTATION_KEYS.index("distrustful")
WORK_FIRST = ORIENTATION_KEYS.index("work_first")
HIGH_TURNOVER = {"quit_probability": 0.01}


def test_switched_off_trust_stays_at_its_start_and_orientations_never_change(run, seed):
    off = run(seed, trust={"enabled": False})
    c = off.model.citizens
    np.testing.assert_array_equal(c.trust, trust.initial(c.start_orientation, off.model.params.trust))
    np.testing.assert_array_equal(c.orientation, c.start_orientation)
    assert off.count("orientation_change") == 0


def test_starting_trust_follows_the_orientation(built):
    model = built(1)
    c, p = model.citizens, model.params.trust
    assert (c.trust[c.orientation == DISTRUSTFUL] == p.initial_distrustful).all()
    assert (c.trust[c.orientation == RESIGNED] == p.initial_resigned).all()
    assert (c.trust[c.orientation == WORK_FIRST] == p.initial).all()
    assert p.initial_distrustful < p.initial_resigned < p.initial


def test_caseworker_changes_cost_the_changed_citizens_trust(run, seed):
    """Twins share every random number: the citizens changed in the world with much turnover end with less trust
    than the same citizens in the world without turnover; with the trust mechanism off the gap is gone."""
    changing = run(seed, turnover=HIGH_TURNOVER)
    still = run(seed, turnover={"enabled": False})
    changed = np.flatnonzero(changing.model.citizens.caseworker_changes > 0)
    assert changed.size > 50
    gap = changing.model.citizens.trust[changed].mean() - still.model.citizens.trust[changed].mean()
    assert gap < -0.02
    changing_off = run(seed, turnover=HIGH_TURNOVER, trust={"enabled": False})
    still_off = run(seed, turnover={"enabled": False}, trust={"enabled": False})
    np.testing.assert_array_equal(changing_off.model.citizens.trust, still_off.model.citizens.trust)


def test_low_trust_makes_a_meeting_move_readiness_less(built):
    gains = []
    for level in (0.1, 0.9):
        model = built(1, steps=2)
        c = model.citizens
        c.next_meeting[:] = model.week  # everyone due
        c.trust[:] = level
        before = c.latent.copy()
        held = meetings.step(model, np.random.default_rng(0), trust.meeting_factor(model))
        gains.append(float((c.latent[held] - before[held]).sum()))
    assert 0 < gains[0] < gains[1]


def test_help_lands_as_without_the_mechanism_at_the_reference_trust():
    at_reference = trust.help_factor(np.array([trust.REFERENCE_TRUST]), 2.0, enabled=True)
    np.testing.assert_allclose(at_reference, 1.0)
    np.testing.assert_array_equal(trust.help_factor(np.array([0.0, 1.0]), 2.0, enabled=False), 1.0)
    assert trust.help_factor(np.array([0.0]), 5.0, enabled=True)[0] == 0.0  # never negative


def test_a_long_exemption_costs_trust_and_can_leave_the_citizen_resigned(built):
    model = built(1, steps=1, trust={"drift_rate": 1.0, "drift_threshold": 0.99})
    c, p = model.citizens, model.params
    exempted = np.flatnonzero((c.exit_status == -1) & (c.orientation == WORK_FIRST))[:20]
    started = model.week - p.trust.exemption_tolerance_weeks - 5  # exempted long enough ago
    c.exempt_until[exempted] = started + p.rules.exemption_weeks
    before = c.trust[exempted].copy()
    trust.step(model, np.array([], dtype=np.int64), np.zeros(c.size, bool), np.random.default_rng(0))
    assert (c.trust[exempted] < before).all()
    assert (c.orientation[exempted] == RESIGNED).all()
    changes = model.events.to_frame().query("event == 'orientation_change'")
    assert set(exempted) <= set(changes["citizen_id"])


def test_completed_job_focused_help_rebuilds_trust_and_turns_the_resigned_back_to_work(built):
    model = built(1, steps=1)
    c, p = model.citizens, model.params.trust
    who = np.flatnonzero(c.exit_status == -1)[:10]
    c.orientation[who] = RESIGNED
    c.trust[who] = p.recovery_threshold
    c.programme[who, JOB_SLOT] = -1
    c.exempt_until[who] = 0
    c.queue_since[who] = NEVER
    completed = np.zeros(c.size, bool)
    completed[who] = True
    trust.step(model, np.array([], dtype=np.int64), completed, np.random.default_rng(0))
    assert (c.trust[who] > p.recovery_threshold).all()
    assert (c.orientation[who] == WORK_FIRST).all()


def test_meetings_with_a_known_caseworker_repair_lost_trust_up_to_the_start(built):
    model = built(1, steps=1)
    c = model.citizens
    who = np.flatnonzero(c.exit_status == -1)[:10]
    start = trust.initial(c.start_orientation[who], model.params.trust)
    c.trust[who] = start - 0.2
    c.meetings_with_caseworker[who] = 15  # a relationship of long standing
    trust.step(model, who, np.zeros(c.size, bool), np.random.default_rng(0))
    assert (c.trust[who] > start - 0.2).all() and (c.trust[who] <= start).all()
