"""The sandbox page: a header with the language switch, the sidebar of settings, and a tab per view.

:func:`create_app` builds a fresh :class:`Sandbox` (its own widgets, runs and results) each time a session opens,
which is what ``apps/sandbox.py`` and ``bipsim app`` serve. The first run starts when the page has loaded, so
the page appears at once and fills in as soon as the run is done.
"""

from __future__ import annotations

from typing import Any

import holoviews as hv
import panel as pn
import param

from bipsim.app.closed_tabs import quiet_closed_tabs
from bipsim.app.export import request_arguments
from bipsim.app.i18n import LANGUAGES, word
from bipsim.app.runs import Runner, cached_run, release_memory, warm_up
from bipsim.app.sidebar import DEFAULT_PRESET, Sidebar
from bipsim.app.tabs.about import About
from bipsim.app.tabs.compare import Compare
from bipsim.app.tabs.flows import Flows
from bipsim.app.tabs.follow import Follow
from bipsim.app.tabs.live import Live
from bipsim.app.tabs.methods_vs_truth import MethodsVsTruth
from bipsim.app.tabs.readiness import Readiness
from bipsim.app.tabs.register import Register
from bipsim.app.tabs.stories import Stories
from bipsim.app.tabs.tab import Tab
from bipsim.scenario import Scenario, load_scenario

HEADER_COLOUR = "#0072B2"
CSS = """
:host { font-size: 15px; }
.bk-panel-models-markup-HTML table { font-size: 14px; }
"""


class Sandbox(pn.viewable.Viewer):
    """One session's page: the sidebar's latest run and the page's language, shown by every tab."""

    language = param.Selector(default="en", objects=list(LANGUAGES), doc="Language of the page.")

    def __init__(self, runner: Runner | None = None, **params: Any) -> None:
        super().__init__(**params)
        pn.extension(raw_css=[CSS], notifications=False)
        hv.extension("bokeh", logo=False)
        language = self.param.language
        self.sidebar = Sidebar(runner if runner is not None else cached_run, language=language)
        run = {"result": self.sidebar.param.result, "language": language}
        self.live = Live(self.sidebar, language=language)
        self.views: list[Tab] = [
            Flows(**run),
            self.live,
            Readiness(**run),
            Register(**run),
            Stories(**run),
            MethodsVsTruth(self.sidebar, **run),
            Compare(self.sidebar, language=language),
            Follow(**run),
            About(language=language),
        ]
        self.switch = pn.widgets.RadioButtonGroup(options={"English": "en", "Dansk": "da"}, value="en", color="light")
        self.title = pn.pane.HTML("", styles={"font-size": "26px", "font-weight": "600", "color": "white"})
        self.tabs = pn.Tabs(dynamic=True, sizing_mode="stretch_width")
        header = pn.Row(
            self.title,
            pn.HSpacer(),
            self.switch,
            styles={"background": HEADER_COLOUR, "color": "white", "padding": "4px 16px"},
            sizing_mode="stretch_width",
        )
        self._layout = pn.Column(
            header, pn.Row(self.sidebar, self.tabs, sizing_mode="stretch_width"), sizing_mode="stretch_width"
        )
        self._relabel()
        self._show_active()
        self.switch.param.watch(lambda event: setattr(self, "language", event.new), "value")
        self.tabs.param.watch(lambda _: self._show_active(), "active")

    def __panel__(self) -> pn.Column:
        return self._layout

    @param.depends("language", watch=True)
    def _relabel(self) -> None:
        lang = self.language
        self.title.object = (
            f"{word('title', lang)} <small style='font-weight:400;color:white'>· {word('subtitle', lang)}</small>"
        )
        # Tabs keeps the title of a tab whose object it has seen before, so each title comes with a new wrapper
        self.tabs[:] = [(view.title(lang), pn.Column(view, sizing_mode="stretch_width")) for view in self.views]

    def _show_active(self) -> None:
        for index, view in enumerate(self.views):
            view.shown = index == self.tabs.active

    def close(self) -> None:
        """Let go of what only this session needs (its stepped model) when the session ends."""
        self.live.close()
        release_memory()


def default_scenario() -> Scenario:
    """The scenario of the first run of every page: the default preset as declared."""
    return load_scenario(DEFAULT_PRESET)


def create_app(runner: Runner | None = None) -> Sandbox:
    """A new sandbox page for one session; ``runner(scenario, seed, progress)`` replaces the model run in tests."""
    quiet_closed_tabs()
    if runner is None:
        warm_up(default_scenario())
    sandbox = Sandbox(runner)
    sandbox.sidebar.apply_link(request_arguments(pn.state.session_args))  # a shared link's settings, before the run
    pn.state.onload(sandbox.sidebar.run)
    if pn.state.curdoc is not None and pn.state.curdoc.session_context is not None:
        pn.state.curdoc.on_session_destroyed(lambda context: sandbox.close())
    return sandbox
