"""The page without a browser: each tab draws the latest run when it is open, in the page's language."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import panel as pn
import pytest

from bipsim.app.sandbox import Sandbox
from bipsim.app.tabs.flows import Flows
from bipsim.app.tabs.stories import Stories


def in_own_loop(coroutine):  # noqa: ANN001, ANN201
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result(timeout=60)


@pytest.fixture
def sandbox(small_run):  # noqa: ANN001, ANN201
    """A page whose runs all give ``small_run``, after its first run."""

    def runner(scenario, seed, progress):  # noqa: ANN001, ANN202
        progress(scenario.population.weeks, scenario.population.weeks)
        return small_run

    page = Sandbox(runner)
    in_own_loop(page.sidebar.run())
    return page


def test_a_hidden_tab_draws_the_run_when_it_is_opened(small_run):
    tab = Flows(result=small_run)
    assert tab.flows.object is None
    tab.shown = True
    assert tab.flows.object is not None


def test_an_open_tab_draws_again_in_the_new_language(small_run):
    tab = Stories(result=small_run, shown=True)
    english = tab.narratives.object
    tab.language = "da"
    assert tab.citizen.label == "Borger i den kvalitative stikprøve"
    assert tab.narratives.object != english and "Interviewfortællinger" in tab.narratives.object


def test_the_page_shows_the_run_in_the_open_tab_only(sandbox, small_run):
    flows, _, readiness = sandbox.views[:3]
    assert sandbox.sidebar.result is small_run and flows.result is small_run
    assert flows.flows.object is not None and readiness.readiness.object is None
    sandbox.tabs.active = 2
    assert readiness.readiness.object is not None
    assert "Run 1 finished" in sandbox.sidebar.job.status.object


def test_the_language_switch_relabels_the_whole_page(sandbox):
    sandbox.switch.value = "da"
    assert [title for title, _ in zip(sandbox.tabs._names, sandbox.views, strict=True)] == [
        "Forløb",
        "Trin for trin",
        "Parathed",
        "Register",
        "Fortællinger",
        "Metoder og sandhed",
        "Sammenlign",
        "Følg en borger",
        "Om modellen",
    ]
    assert sandbox.sidebar.run_button.label == "▶ Kør"
    assert "Kørsel 1 færdig" in sandbox.sidebar.job.status.object
    assert "PRØV DETTE" in sandbox.views[-1].about.object
    assert isinstance(pn.panel(sandbox), pn.Column)


def test_an_invalid_setting_stops_compare_with_an_error_beside_its_button(sandbox):
    sandbox.sidebar.controls.widgets["population", "citizens"].value = 10**9
    compare = sandbox.views[6]
    compare.first.value = "__current__"
    in_own_loop(compare.compare())
    assert compare.job.error.visible and "Citizens: 1,000,000,000 is not allowed" in compare.job.error.object
    assert compare.compared is None
