"""A class in a real browser: a teacher and three students through three rounds (issue 19's interface contract).

Teacher page ``/class/teacher``, student page ``/class/join``; buttons named "Start class", "Join", "Submit
decisions", "Next round" and "Reveal results"; the join code in ``#join-code``; fields labelled "Code" and "Name".
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

from bipsim.app.browser import CHROMIUM, WAIT_MS, app_errors, record_errors, text
from bipsim.classroom.words import WORDS

pytestmark = pytest.mark.slow

PLANS = {
    # name: (meet the first n citizens, job-focused help, support, exempt the others, belief)
    "Astrid": (3, "Work placement (private)", "Mentor and social support", False, "0.9"),
    "Bjarke": (0, None, None, True, "0.1"),
    "Cecilie": (3, None, None, False, "0.5"),
}


def citizens_on(page) -> list[int]:  # noqa: ANN001
    classes = page.locator(".citizen").evaluate_all("(cards) => cards.map((c) => c.className)")
    return sorted(int(m.group(1)) for c in classes if (m := re.search(r"citizen-(\d+)", c)))


def decide(page, plan, first_round: bool) -> None:  # noqa: ANN001
    met, job, support, exempt_rest, belief = plan
    for k, citizen in enumerate(citizens_on(page)):
        card = page.locator(f".citizen-{citizen}")
        if k < met:
            card.locator(".meet input").check()
        elif exempt_rest:
            card.locator(".exempt input").check()
        if first_round and k < met and job:
            card.locator(".job-focused select").select_option(label=job)
            card.locator(".support select").select_option(label=support)
        card.locator(".belief input").fill(belief)
        card.locator(".belief input").press("Tab")


def test_a_teacher_and_three_students_play_three_rounds(class_server, browser_context, artifacts):  # noqa: ANN001
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed at /usr/bin/chromium")
    address, room = class_server
    teacher = record_errors(browser_context.new_page())
    students = {name: record_errors(browser_context.new_page()) for name in PLANS}
    try:
        teacher.goto(f"{address}/class/teacher?key={room.teacher_key}")
        teacher.get_by_role("button", name="Start class").click()
        code = text(teacher.locator("#join-code")).strip()
        assert re.fullmatch(r"[A-Z2-9]{6}", code)

        for name, page in students.items():
            page.goto(f"{address}/class/join")
            page.get_by_label("Code").fill("WRONG1" if name == "Astrid" else code)
            page.get_by_label("Name").fill(name)
            page.get_by_role("button", name="Join").click()
            if name == "Astrid":  # a wrong code is refused, then the right one works
                page.locator(".student-message", has_text="not this class's code").wait_for(timeout=WAIT_MS)
                page.get_by_label("Code").fill(code)
                page.get_by_role("button", name="Join").click()
            page.locator(".citizen").first.wait_for(timeout=WAIT_MS)
        twice = record_errors(browser_context.new_page())
        twice.goto(f"{address}/class/join")
        twice.get_by_label("Code").fill(code)
        twice.get_by_label("Name").fill("bjarke")
        twice.get_by_role("button", name="Join").click()
        twice.locator(".student-message", has_text="already taken").wait_for(timeout=WAIT_MS)
        twice.close()

        session = room.session
        seen = {}
        for name, page in students.items():
            slot = next(s.slot for s in session.students.values() if s.name == name)
            seen[name] = citizens_on(page)
            assert seen[name] == sorted(session.caseload(slot).tolist())  # their own caseload, all of it
            others = [n for n in PLANS if n != name]
            assert not any(other in text(page.locator("body")) for other in others)
        assert len(set().union(*map(set, seen.values()))) == sum(map(len, seen.values()))  # no citizen shared

        for round_number in (1, 2, 3):
            for name, page in students.items():
                page.locator(".citizen").first.wait_for(timeout=WAIT_MS)
                page.get_by_text(f"Round {round_number} of 3").wait_for(timeout=WAIT_MS)
                if name == "Cecilie" and round_number == 1:  # a decision beyond capacity is refused
                    for citizen in citizens_on(page)[:4]:
                        page.locator(f".citizen-{citizen} .meet input").check()
                    page.get_by_role("button", name="Submit decisions").click()
                    page.locator(".student-message", has_text="you have time for 3").wait_for(timeout=WAIT_MS)
                    page.locator(f".citizen-{citizens_on(page)[3]} .meet input").uncheck()
                    for citizen in citizens_on(page)[:3]:
                        page.locator(f".citizen-{citizen} .meet input").uncheck()
                if name == "Cecilie" and round_number == 3:
                    continue  # still deciding when the teacher moves on
                decide(page, PLANS[name], first_round=round_number == 1)
                page.get_by_role("button", name="Submit decisions").click()
                page.locator(".student-message", has_text="Decisions submitted").wait_for(timeout=WAIT_MS)
                page.screenshot(path=artifacts / f"class-student-{name}-round{round_number}.png", full_page=True)
            teacher.get_by_role("button", name="Next round").click()
            if round_number == 3:
                teacher.locator(".teacher-message", has_text="Still deciding: Cecilie").wait_for(timeout=WAIT_MS)
                teacher.get_by_role("button", name="Next round").click()
            teacher.locator(".teacher-message", has_text=f"Round {round_number} was run").wait_for(timeout=WAIT_MS)

        assert [
            r.sources[s.slot] for r in session.history for s in session.students.values() if s.name == "Cecilie"
        ] == [
            "submitted",
            "submitted",
            "carried",  # she filled in nothing in round 3: last round's meetings and beliefs carry over
        ]
        teacher.get_by_role("button", name="Reveal results").click()
        outcomes = teacher.locator(".debrief-outcomes")
        outcomes.wait_for(timeout=4 * WAIT_MS)
        shown = text(outcomes)
        for name in PLANS:
            assert name in shown
        assert shown.count("counterfactual") == len(PLANS) and "simulated caseworkers" in shown
        teacher.locator(".fig-debrief").first.wait_for(timeout=WAIT_MS)
        teacher.screenshot(path=artifacts / "class-teacher-debrief.png", full_page=True)

        table = session.debrief.outcomes.set_index(["student", "group"])
        change = table["readiness_change"]
        # the decisions moved the caseloads away from their counterfactuals, and differently for each student
        assert all(abs(change[(n, "class")] - change[(n, "counterfactual")]) > 1e-6 for n in ("Astrid", "Bjarke"))
        decided = session.debrief.table
        assert decided.groupby("student")["belief"].mean().round(2).to_dict() == {
            "Astrid": 0.9,
            "Bjarke": 0.1,
            "Cecilie": 0.5,
        }
        assert decided[decided["student"] == "Bjarke"]["exempt"].all()

        with teacher.expect_download() as download:  # the export: one tidy row per student, round and citizen
            teacher.get_by_text("Download decisions and outcomes (CSV)").click()
        exported = pd.read_csv(download.value.path())
        assert len(exported) == len(decided) and list(exported.columns) == list(decided.columns)
        assert not exported.duplicated(["student", "round", "citizen_id"]).any()

        teacher.get_by_role("button", name="Dansk").click()  # the debrief in Danish: no English label left
        teacher.locator(".debrief-outcomes", has_text=WORDS["col_job_within_year"]["da"]).wait_for(timeout=WAIT_MS)
        danish = text(teacher.locator(".debrief"))
        shown_keys = [k for k in WORDS if k.startswith(("col_", "group_", "method_", "debrief_"))]
        english = [WORDS[k]["en"] for k in shown_keys if WORDS[k]["en"] != WORDS[k]["da"] and len(WORDS[k]["en"]) > 4]
        assert [e for e in english if e in danish] == []
        assert WORDS["group_counterfactual"]["da"] in danish and WORDS["method_survey"]["da"] in danish
        teacher.screenshot(path=artifacts / "class-teacher-debrief-da.png", full_page=True)
        assert app_errors(teacher) == [] and all(app_errors(p) == [] for p in students.values())
    finally:
        teacher.close()
        for page in students.values():
            page.close()
