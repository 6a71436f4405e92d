"""The Methods tab's recovery section without a browser: after a recovery it shows one mechanism at a time, with
each estimand it has in words, its truth and a row per method, and follows the page's language.
"""

from __future__ import annotations

import asyncio
import html
import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd
import pytest

import bipsim.app.tabs.recovery as recovery_tab
from bipsim.app.tabs.recovery import Recovery
from bipsim.reports.recovery import mechanisms
from bipsim.reports.recovery_words import estimand_sentence, mechanism_label, method_label
from bipsim.scenario import load_scenario

RECORD = Path(__file__).resolve().parents[2] / "docs" / "recovery.json"


class FixedSidebar:
    """What the recovery section asks of the sidebar: whether it may run, the scenario and the seed."""

    seed = 0

    def refuse(self, job) -> bool:  # noqa: ANN001
        return False

    def scenario(self):  # noqa: ANN201
        return load_scenario("baseline")


@pytest.fixture(scope="module")
def performance() -> pd.DataFrame:
    """The performance table of the recorded baseline study."""
    return pd.DataFrame(json.loads(RECORD.read_text(encoding="utf-8"))["scenarios"]["baseline"]["rows"])


def recovered(performance: pd.DataFrame, monkeypatch) -> Recovery:  # noqa: ANN001
    """A recovery section whose Recover gives ``performance`` (recorded instead of run), after pressing it."""
    monkeypatch.setattr(recovery_tab, "recovery_study", lambda scenario, seed, replications, progress: performance)
    view = Recovery(FixedSidebar())
    with ThreadPoolExecutor(1) as pool:  # Panel may leave an event loop running in this thread
        pool.submit(asyncio.run, view.recover()).result(timeout=60)
    return view


def test_nothing_is_shown_before_a_recovery():
    view = Recovery(FixedSidebar())
    assert not view.mechanism.visible and view.section.object == ""


def test_after_a_recovery_each_mechanism_can_be_chosen_and_shows_its_estimands(performance, monkeypatch):  # noqa: ANN001
    view = recovered(performance, monkeypatch)
    assert view.mechanism.visible
    assert list(view.mechanism.options.values()) == mechanisms(performance)
    view.mechanism.value = "caseworker_belief"
    shown = view.section.object
    assert 'data-mechanism="caseworker_belief"' in shown
    kinds = performance.loc[performance["estimand"] == "caseworker_belief", "estimand_kind"]
    assert "hazard_structural" in set(kinds)  # the adjusted hazard model targets the planted belief effect
    assert html.escape(estimand_sentence("caseworker_belief", "hazard_structural")) in shown
    assert html.escape(method_label("register_hazard", "job_entry")) in shown and "Truth: <b>" in shown


def test_the_language_switch_renames_the_mechanisms_and_keeps_the_chosen_one(performance, monkeypatch):  # noqa: ANN001
    view = recovered(performance, monkeypatch)
    view.mechanism.value = "mentor"
    view.language = "da"
    assert view.mechanism.value == "mentor" and view.mechanism.name == "Mekanisme"
    assert mechanism_label("mentor", "da") in view.mechanism.options
    assert "Sandhed: <b>" in view.section.object and "Truth: <b>" not in view.section.object
    assert html.escape(method_label("survey_progression", "citizen_readiness", "da")) in view.section.object
