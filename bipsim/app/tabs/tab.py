"""What every tab shares: a title, words in the page's language, and figures drawn only while the tab is open."""

from __future__ import annotations

from typing import ClassVar

import panel as pn
import param

from bipsim.app.data import RunResult
from bipsim.app.i18n import LANGUAGES, word


class Tab(pn.viewable.Viewer):
    """One tab of the sandbox, titled by the app's word :attr:`title_key`.

    A subclass builds its layout once, puts its words in :attr:`language` in :meth:`relabel` (cheap, done at once)
    and fills its figures in :meth:`draw` (costly, done only while :attr:`shown`). :meth:`redraw` asks for a new
    drawing: now if the tab is open, else when it is next opened, so a run only pays for the figures seen.
    """

    title_key: ClassVar[str]

    language = param.Selector(default="en", objects=list(LANGUAGES), allow_refs=True, doc="Language of the words.")
    shown = param.Boolean(default=False, doc="Whether the tab is the open one.")
    _stale = True  # whether the figures need drawing before they are seen again

    @classmethod
    def title(cls, language: str) -> str:
        """The tab's title in ``language``."""
        return word(cls.title_key, language)

    def relabel(self) -> None:
        """Put the tab's own words (labels, headings, texts) in :attr:`language`."""

    def draw(self) -> None:
        """Fill the tab's figures and tables."""

    def redraw(self) -> None:
        """Draw now if the tab is open, else when it is next opened."""
        self._stale = True
        self._draw_if_shown()

    @param.depends("shown", watch=True)
    def _draw_if_shown(self) -> None:
        if self.shown and self._stale:
            self._stale = False
            self.draw()

    @param.depends("language", watch=True)
    def _on_language(self) -> None:
        self.relabel()
        self.redraw()


class RunTab(Tab):
    """A tab that shows the latest finished run, :attr:`result`, and draws it afresh when it changes."""

    result = param.ClassSelector(
        class_=RunResult, default=None, allow_None=True, allow_refs=True, doc="The latest finished run."
    )

    @param.depends("result", watch=True)
    def _on_result(self) -> None:
        self.redraw()
