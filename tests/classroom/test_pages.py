"""The class pages' pieces without a browser: the words they show in either language, and the debrief's chart."""

from __future__ import annotations

import pytest

from bipsim.classroom.decisions import Decision
from bipsim.classroom.pages import _methods_shown, _outcome_figure, _progress
from bipsim.classroom.session import ClassSession
from bipsim.classroom.words import WORDS


@pytest.fixture(scope="module")
def revealed():  # noqa: ANN201
    from tests.classroom.conftest import SMALL

    session = ClassSession(SMALL)
    student = session.join(session.code, "Astrid")
    for round_number in range(1, SMALL.rounds + 1):
        mine = session.caseload(student.slot)
        assert session.submit(student.key, round_number, [Decision(int(i), belief=0.6) for i in mine]) == []
        session.advance()
    session.reveal()
    return session


def test_after_the_last_round_every_student_is_done_not_deciding(small_settings):  # noqa: ANN001
    session = ClassSession(small_settings)
    student = session.join(session.code, "Bjarke")
    assert _progress(session, student.slot) == "deciding"
    for _ in range(small_settings.rounds):
        session.advance(confirm=True)
    assert session.phase == "finished" and _progress(session, student.slot) == "rounds_done"


@pytest.mark.parametrize("language", ["en", "da"])
def test_the_chart_speaks_the_pages_language(revealed, language):  # noqa: ANN001
    bars = _outcome_figure(revealed.debrief.outcomes, language).object
    named = [d.label for d in (*bars.kdims, *bars.vdims)]
    for key in ("col_student", "col_group", "col_job_within_year"):
        assert WORDS[key][language] in named
    other = "en" if language == "da" else "da"
    assert not {WORDS[k][other] for k in ("col_student", "col_group", "col_job_within_year")} & set(named)
    groups = set(bars.data[WORDS["col_group"][language]])
    assert groups == {WORDS["group_class"][language], WORDS["group_counterfactual"][language]}


def test_the_methods_table_in_danish_has_only_declared_danish_labels(revealed):  # noqa: ANN001
    shown = _methods_shown(revealed.debrief.methods_overview(), "da")
    assert list(shown.columns) == [WORDS[k]["da"] for k in ("col_method", "col_measure")] + [
        WORDS["group_class"]["da"],
        WORDS["group_counterfactual"]["da"],
    ]
    methods = {WORDS[f"method_{m}"]["da"] for m in ("survey", "register", "interviews")}
    assert set(shown[WORDS["col_method"]["da"]]) <= methods
    english = {entry["en"] for key, entry in WORDS.items() if key.startswith("measure_")} - {
        entry["da"] for entry in WORDS.values()
    }
    assert not set(shown[WORDS["col_measure"]["da"]]) & english
    assert all("," in v or v.isdigit() for v in shown[WORDS["group_class"]["da"]])  # Danish numbers
