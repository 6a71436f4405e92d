"""Stories and Follow draw a status, an activity and an event kind in one colour for every citizen, with a legend."""

from __future__ import annotations

import holoviews as hv
import pytest

from bipsim.app import views
from bipsim.app.full_runs import cached_full_run
from bipsim.app.i18n import term
from bipsim.reports import follow, palette


def colours_by_label(overlay: hv.Overlay) -> dict[str, set[str]]:
    """Each named layer's label with the colours it is drawn in."""
    found: dict[str, set[str]] = {}
    for element in overlay:
        colour = element.opts.get("style").kwargs.get("color")
        if element.label and isinstance(colour, str):
            found.setdefault(element.label, set()).add(colour)
    return found


def legend_labels(overlay: hv.Overlay) -> list[str]:
    figure = hv.render(overlay, backend="bokeh")
    return [item.label.value for legend in figure.legend for item in legend.items]


@pytest.mark.parametrize("language", ["en", "da"])
def test_stories_give_each_kind_one_colour_across_citizens_and_name_it_in_the_legend(small_run, language):
    seen: dict[str, set[str]] = {}
    for story in list(small_run.stories.values())[:10]:
        plot = views.story(story, small_run.scenario.population.weeks, language)
        for label, colours in colours_by_label(plot).items():
            seen.setdefault(label, set()).update(colours)
        shown = legend_labels(plot)
        assert term("event", "meeting", language) in shown
        statuses = set(story.spells.loc[story.spells["lane"] == "status", "key"])
        assert {term("status", s, language) for s in statuses} <= set(shown)
    assert all(len(colours) == 1 for colours in seen.values()), seen
    assert seen[term("event", "caseworker_change", language)] == {palette.EVENT_COLOURS["caseworker_change"]}
    assert seen[term("status", "activity_ready", language)] == {palette.STATUS_COLOURS["activity_ready"]}


def test_follow_gives_each_kind_one_colour_across_citizens_and_names_it_in_the_legend(small_run):
    full = cached_full_run(small_run.scenario, small_run.seed)
    seen: dict[str, set[str]] = {}
    for citizen in list(small_run.stories)[:6]:
        life = follow.life_in_run(full.model, citizen, full.observed, full.truth)
        lanes, _ = follow.figures(life, "da")
        for label, colours in colours_by_label(lanes).items():
            seen.setdefault(label, set()).update(colours)
        shown = legend_labels(lanes)
        assert "Samtale" in shown and "Interview" in shown
    assert all(len(colours) == 1 for colours in seen.values()), seen
    assert seen["Sagsbehandlerskift"] == {palette.EVENT_COLOURS["caseworker_change"]}
    assert seen["Kontanthjælp, aktivitetsparat"] == {palette.STATUS_COLOURS["activity_ready"]}
