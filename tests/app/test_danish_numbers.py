"""In Danish the figures' axes write numbers the Danish way (1.000 and 0,25); in English Bokeh's own way.

That the browser writes them so is checked in the Danish browser test (tests/app/test_danish.py).
"""

from __future__ import annotations

import holoviews as hv
from bokeh.models import CustomJSTickFormatter

from bipsim.app import views


def number_formatters(plot: hv.core.Dimensioned) -> list[object]:
    figure = hv.render(plot, backend="bokeh")
    return [axis.formatter for axis in [*figure.xaxis, *figure.yaxis]]


def test_danish_axes_use_the_danish_numeral_format_and_english_ones_do_not(small_run):
    danish = number_formatters(views.flows(small_run, "da"))
    assert danish and all(isinstance(f, CustomJSTickFormatter) and "da-DK" in f.code for f in danish)
    assert not any(isinstance(f, CustomJSTickFormatter) for f in number_formatters(views.flows(small_run, "en")))


def test_every_number_axis_of_the_danish_figures_is_danish(small_run):
    weeks = small_run.scenario.population.weeks
    story = next(iter(small_run.stories.values()))
    for plot in (
        views.activities(small_run, "da"),
        views.job_entries(small_run, "da"),
        views.self_sufficiency(small_run, "da"),
        views.calibration(small_run, "da"),
        views.story(story, weeks, "da"),
    ):
        figure = hv.render(plot, backend="bokeh")
        numeric = [a for a in [*figure.xaxis, *figure.yaxis] if type(a).__name__ == "LinearAxis"]
        assert numeric and all(isinstance(a.formatter, CustomJSTickFormatter) for a in numeric), plot
