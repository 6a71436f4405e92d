"""Stories: one citizen of the qualitative sample, as a timeline of spells and events beside their interviews.

The interviews are shown as transcripts, question and answer, with the first coder's codes named by the
codebook's labels in the page's language (descriptive codes, then interpretive ones), never by their keys.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import panel as pn

from bipsim.app import views
from bipsim.app.i18n import term, word
from bipsim.app.tabs.tab import RunTab
from bipsim.contract.themes import CODE_KINDS, THEMES

LABELS = {language: {t.key: getattr(t, language) for t in THEMES} for language in ("en", "da")}
KINDS = {t.key: t.kind for t in THEMES}


def codes_line(themes: list[str], language: str) -> str:
    """An interview's codes as a line: each kind of code with its label, then the codes' labels."""
    parts = []
    for kind in CODE_KINDS:
        named = [LABELS[language].get(t, t.replace("_", " ")) for t in themes if KINDS.get(t) == kind.key]
        if named:
            parts.append(f"{getattr(kind, language)}: {', '.join(named)}")
    return " · ".join(parts) or "-"


def transcript_markdown(text: str) -> str:
    """A transcript (one turn a line, ``Speaker: words``) as a Markdown quote, each speaker's name in bold."""
    lines = []
    for line in str(text).split("\n"):
        speaker, colon, words = line.partition(": ")
        lines.append(f"> **{speaker}:** {words}" if colon and len(speaker) < 20 else f"> {line}")
    return "  \n".join(lines)


def narratives_markdown(interviews: pd.DataFrame, language: str) -> str:
    """A citizen's interviews as Markdown: per interview its number, week, codes and transcript."""
    column = "text_da" if language == "da" else "text_en"
    parts = [f"### {word('narratives', language)}"]
    for row in interviews.itertuples():
        heading = f"**{word('interview', language)} {row.wave + 1}** · {word('week', language).split()[0]} {row.week}"
        parts.append(
            f"{heading}  \n_{codes_line(list(row.themes), language)}_\n\n{transcript_markdown(getattr(row, column))}"
        )
    return "\n\n".join(parts)


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
        self.narratives.object = narratives_markdown(story.interviews, lang)
