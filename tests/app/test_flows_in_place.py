"""A new run updates the Flows figures on screen in place, rescaled to the run, and a language switch redraws them."""

from __future__ import annotations

import holoviews as hv

from bipsim.app import data
from bipsim.app.tabs.flows import Flows
from bipsim.scenario import load_scenario


def ranges(plot) -> tuple[float, float]:  # noqa: ANN001
    return float(plot.state.x_range.end), float(plot.state.y_range.end)


def test_a_new_run_is_sent_into_the_figures_on_screen_and_their_axes_fit_it(small_run):
    bigger = data.run_scenario(load_scenario("baseline").replace(population={"citizens": 900, "weeks": 50}), 1)
    tab = Flows(result=small_run)
    tab.shown = True
    figures = [tab.flows.object, tab.activities.object, tab.entries.object]
    plots = [hv.renderer("bokeh").get_plot(f) for f in figures]
    before = [ranges(p) for p in plots]
    tab.result = bigger
    assert [tab.flows.object, tab.activities.object, tab.entries.object] == figures  # the same figures, new data
    after = [ranges(p) for p in plots]
    weeks, citizens = small_run.scenario.population.weeks, small_run.scenario.population.citizens
    assert before[0] == (weeks - 1, float(small_run.flows.sum(axis=1).max())) and before[0][1] <= citizens
    assert after[0] == (49, float(bigger.flows.sum(axis=1).max())) and after[0][1] > citizens
    assert after[1][0] == 49 and after[1][1] >= float(bigger.activities.to_numpy().max())
    assert after[2][1] > before[2][1] or bigger.job_entries["hires"].max() <= small_run.job_entries["hires"].max()
    tab.language = "da"
    assert tab.flows.object is not figures[0]  # words change only with a new figure
