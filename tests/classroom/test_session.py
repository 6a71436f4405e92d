"""The class session without a browser: joining, the checks, the decision adapter, resuming and the twin."""

from __future__ import annotations

import numpy as np
import pytest

from bipsim.classroom import adapter
from bipsim.classroom.decisions import CaseState, Decision, check
from bipsim.classroom.session import ClassError, ClassSession
from bipsim.classroom.settings import ClassSettings, SettingError
from bipsim.engine.columns import JOB_SLOT, SUPPORT_SLOT
from bipsim.mechanisms.meetings import belief


def test_joining_needs_the_code_and_a_name_not_taken(small_settings):  # noqa: ANN001
    session = ClassSession(small_settings)
    with pytest.raises(ClassError) as wrong:
        session.join("XXXXXX", "Astrid")
    assert wrong.value.key == "wrong_code"
    first = session.join(session.code.lower(), "Astrid")
    with pytest.raises(ClassError) as taken:
        session.join(session.code, " astrid ")
    assert taken.value.key == "name_taken" and session.student(first.key).name == "Astrid"


def test_settings_outside_their_range_are_refused():
    with pytest.raises(SettingError) as error:
        ClassSettings(caseload=4, meetings=5).check()
    assert error.value.key == "meetings" and "caseload" in error.value.allowed


def test_checks_name_every_problem():
    caseload = {1: CaseState(), 2: CaseState({"job_focused": "public_placement"}), 3: CaseState()}
    problems = check(
        [
            Decision(1, meet=True),
            Decision(2, meet=True, job_focused="private_placement"),
            Decision(3, job_focused="private_placement"),
            Decision(9, meet=True),
        ],
        caseload,
        meetings=1,
    )
    assert {p.key for p in problems} == {"slot_busy", "offer_needs_meeting", "not_your_citizen", "over_capacity"}
    assert check([Decision(1, meet=True, support="mentor", belief=0.3)], caseload, meetings=1) == []


def test_a_decision_sets_the_state_the_adapter_documents(small_settings):  # noqa: ANN001
    session = ClassSession(small_settings)
    model, row = session.model, session.posts[0]
    citizens = adapter.caseload(model, row)
    met, exempted, unmet = citizens[0], citizens[1], citizens[2]
    model.citizens.programme[met] = -1
    model.citizens.queue[met] = -1
    week = model.week
    model.citizens.exempt_until[met] = week + 26  # exempted by the caseworker before: meeting ends it
    decisions = [
        Decision(met, meet=True, job_focused="private_placement", support="mentor", belief=0.8),
        Decision(exempted, exempt=True, belief=0.2),
        Decision(unmet, belief=0.4),
    ]
    held_back = adapter.apply(model, row, decisions, 13)
    c, m = model.citizens, model.params.meetings
    assert c.next_meeting[met] == week and c.exempt_until[met] <= week
    assert c.queue[met, JOB_SLOT] == adapter.CODE["private_placement"]
    assert c.queue[met, SUPPORT_SLOT] == adapter.CODE["mentor"] and c.queue_since[met, JOB_SLOT] == week
    assert c.exempt_until[exempted] == week + 13 and c.next_meeting[exempted] >= week + 13
    assert list(held_back) == [unmet] and c.next_meeting[unmet] >= week + 13
    assert np.isclose(c.belief[met], 0.8)
    assert np.isclose(belief(c.perceived_readiness[[met]], m.belief_threshold, m.belief_slope)[0], 0.8)


def test_the_twin_shares_the_luck_and_decisions_make_the_difference(small_settings):  # noqa: ANN001
    session = ClassSession(small_settings)
    assert np.array_equal(session.model.citizens.latent, session.twin.citizens.latent)
    assert session.posts == session.twin_posts
    student = session.join(session.code, "Astrid")
    mine = session.caseload(student.slot)
    decisions = [Decision(int(i), exempt=True, belief=0.05) for i in mine]
    assert session.submit(student.key, 1, decisions) == []
    session.advance()
    c, t = session.model.citizens, session.twin.citizens
    others = np.setdiff1d(np.flatnonzero(c.jobcentre != session.jobcentre), mine)
    assert not np.allclose(c.latent[mine], t.latent[mine])  # a quarter without contact changed them
    # the same luck elsewhere: most other citizens are untouched; some feel it through networks and the market
    same = np.all(c.latent[others] == t.latent[others], axis=1)
    assert 0.5 < same.mean() < 1.0


def test_advancing_while_a_student_decides_warns_then_keeps_their_draft(small_settings):  # noqa: ANN001
    session = ClassSession(small_settings)
    student = session.join(session.code, "Bjarke")
    draft = [Decision(int(i), meet=k == 0, belief=0.7) for k, i in enumerate(session.caseload(student.slot))]
    session.save_draft(student.key, 1, draft)
    assert session.advance() == ["Bjarke"] and session.round == 1
    session.advance(confirm=True)
    assert session.round == 2 and session.history[0].sources[student.slot] == "draft"
    assert session.history[0].decisions[student.slot] == draft


def test_a_restarted_server_resumes_the_class_exactly(small_settings, tmp_path):  # noqa: ANN001
    session = ClassSession(small_settings, folder=tmp_path)
    student = session.join(session.code, "Cecilie")
    session.submit(student.key, 1, [Decision(int(i), meet=True) for i in session.caseload(student.slot)[:3]])
    session.advance()
    session.save_draft(student.key, 2, [Decision(int(session.caseload(student.slot)[0]), belief=0.9)])
    resumed = ClassSession.resume(tmp_path)
    assert resumed.code == session.code and resumed.round == 2 and resumed.student(student.key).name == "Cecilie"
    assert np.array_equal(resumed.model.citizens.latent, session.model.citizens.latent)
    assert resumed.drafts == session.drafts
    assert not list(tmp_path.glob("*.tmp"))  # written atomically


def test_the_debrief_compares_each_caseload_with_its_counterfactual(small_settings):  # noqa: ANN001
    session = ClassSession(small_settings)
    student = session.join(session.code, "Astrid")
    for round_number in (1, 2, 3):
        mine = session.caseload(student.slot)
        session.submit(student.key, round_number, [Decision(int(i), exempt=True, belief=0.9) for i in mine])
        session.advance()
    with pytest.raises(ClassError):
        session.advance()
    debrief = session.reveal()
    rows = debrief.outcomes.set_index(["student", "group"])
    assert set(rows.index) == {("Astrid", "class"), ("Astrid", "counterfactual"), ("", "simulated")}
    assert rows.loc[("Astrid", "class"), "citizens"] == small_settings.caseload
    class_change = rows.loc[("Astrid", "class"), "readiness_change"]
    assert class_change != rows.loc[("Astrid", "counterfactual"), "readiness_change"]
    assert len(debrief.table) == sum(len(r.decisions[student.slot]) for r in session.history)
    assert {"job_within_year_class", "job_within_year_counterfactual"} <= set(debrief.table.columns)
    assert set(debrief.methods["method"]) == {"survey", "register", "interviews"}


def test_the_model_decides_nothing_for_a_students_citizens(small_settings):  # noqa: ANN001
    """Met without an offer, a student's citizens get none from the jobcentre, no exemption, and keep the belief."""
    session = ClassSession(small_settings)
    student = session.join(session.code, "Dorte")
    mine = session.caseload(student.slot)
    offers_before = session.model.citizens.offers[mine].copy()
    start = session.model.week
    met = mine[: small_settings.meetings]
    decisions = [Decision(int(i), meet=i in met, belief=0.123) for i in mine]
    assert session.submit(student.key, 1, decisions) == []
    session.advance()
    assert not session.model.citizens.decided_by_hand.any()  # between rounds and after them the model decides
    events = session.model.events.to_frame()
    round_events = events[(events.week >= start) & events.citizen_id.isin(mine)]
    assert not (round_events.event == "exemption").any()
    stayed = mine[session.model.citizens.caseworker[mine] == session.posts[student.slot]]
    assert stayed.size and np.array_equal(session.model.citizens.offers[stayed], offers_before[np.isin(mine, stayed)])
    meetings = round_events[(round_events.event == "meeting") & round_events.citizen_id.isin(stayed)]
    assert len(meetings) >= 1 and np.allclose(meetings.value, 0.123)
    twin_meetings = session.twin.events.to_frame()
    twin_meetings = twin_meetings[(twin_meetings.week >= start) & (twin_meetings.event == "meeting")]
    assert not np.allclose(twin_meetings[twin_meetings.citizen_id.isin(stayed)].value, 0.123)


def test_the_debrief_reads_the_methods_world_against_world_with_the_trust_themes(small_settings):  # noqa: ANN001
    from bipsim.classroom.debrief import TOP_THEMES, TRUST_THEMES

    session = ClassSession(small_settings)
    students = [session.join(session.code, name) for name in ("Astrid", "Bjarke")]
    for round_number in (1, 2, 3):
        for k, student in enumerate(students):
            mine = session.caseload(student.slot)
            session.submit(student.key, round_number, [Decision(int(i), exempt=k == 1, belief=0.2) for i in mine])
        session.advance()
    overview = session.reveal().methods_overview()
    assert list(overview.columns) == ["method", "measure", "theme", "class", "counterfactual"]
    themes = overview.loc[overview["measure"] == "theme_share", "theme"].tolist()
    assert themes[: len(TRUST_THEMES)] == list(TRUST_THEMES) and len(themes) <= len(TRUST_THEMES) + TOP_THEMES
    shares = overview.loc[overview["measure"] == "theme_share", ["class", "counterfactual"]].to_numpy()
    assert ((shares >= 0) & (shares <= 1)).all()
    assert set(overview["method"]) == {"survey", "register", "interviews"}


def test_trust_shows_in_a_case_file_only_through_where_the_citizen_places_the_barrier(small_settings):  # noqa: ANN001
    from bipsim.classroom import casefile

    session = ClassSession(small_settings)
    files = session.files(0)
    assert all("trust" not in str(vars(f)) for f in files)  # no field of a case file holds the latent trust
    c = session.model.citizens
    citizen = int(session.caseload(0)[0])
    happened = [(session.model.week - 1, "meeting", "")]
    answers = {"answers": {"health": {"citizen": 3}}}
    uniforms = np.full((2, casefile.UNIFORMS), 0.5)
    draws = np.linspace(0.0, 1.0, 41)

    def system_share(trust: float) -> float:
        c.trust[citizen] = trust
        notes = [casefile._note(session.model, citizen, answers, happened, uniforms, d)["en"] for d in draws]
        return np.mean([note != notes[-1] for note in notes])  # the last draw places it in the citizen

    assert system_share(0.0) > system_share(1.0)
