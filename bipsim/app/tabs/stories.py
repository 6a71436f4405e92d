"""Stories: one citizen of the qualitative sample, as a timeline of spells and events beside their interviews."""

from __future__ import annotations

from typing import Any

import panel as pn

from bipsim.app import views
from bipsim.app.i18n import term, word
from bipsim.app.tabs.tab import RunTab


class Stories(RunTab):
    """A citizen to pick, their timeline (status, caseworker, activity, events, interviews) and narratives."""

    title_key = "tab_stories"

    def __init__(self, **params: Any) -> None:
        super().__init__(**params)
        self.citizen = pn.widgets.Select(options={}, sizing_mode="fixed", width=360, css_classes=["story-pick"])
        self.timeline = pn.pane.HoloViews(None, sizing_mode="stretch_width", css_classes=["fig-story"])
        self.narratives = pn.pane.Markdown(
            "", css_classes=["story-narrative"], width=400, height=520, styles={"overflow-y": "auto"}
        )
        self._layout = pn.Column(
            self.citizen,
            pn.Row(self.timeline, self.narratives, sizing_mode="stretch_width"),
            sizing_mode="stretch_width",
        )
        self.relabel()
        self.citizen.param.watch(lambda _: self._draw_story(), "value")

    def __panel__(self) -> pn.Column:
        return self._layout

    def relabel(self) -> None:
        self.citizen.label = word("story_pick", self.language)

    def draw(self) -> None:
        result, lang = self.result, self.language
        if result is None:
            return
        citizens = {f"#{cid} · {term('orientation', s.orientation, lang)}": cid for cid, s in result.stories.items()}
        before = self.citizen.value
        keep = before if before in result.stories else next(iter(result.stories), None)
        self.citizen.param.update(options=citizens, value=keep)
        if self.citizen.value == before:  # else the citizen's watcher has drawn the story already
            self._draw_story()

    def _draw_story(self) -> None:
        result, lang = self.result, self.language
        if result is None:
            return
        story = result.stories.get(self.citizen.value)
        if story is None:
            self.timeline.object = None
            self.narratives.object = word("no_story", lang)
            return
        self.timeline.object = views.story(story, result.scenario.population.weeks, lang)
        self.narratives.object = views.narratives_markdown(story, lang)
