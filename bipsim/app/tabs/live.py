"""Step by step: the sidebar's scenario run a week at a time, as NetLogo's setup / step / go / pause.

Setup builds the model from the sidebar's settings and seed (refused, like Run, when the server's limit or a
typed value says no). One week, One quarter and Go step it on a worker thread, Go at the chosen speed until the
last week or Pause; the figures (the citizens' flows and the readiness of those on social assistance) and the
monitors (in a job, waiting, caseworker changes so far) are updated at least every :data:`UPDATE_SECONDS`
while it runs. Stepped to the end, the run is the same as Run's for the same settings and seed.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import holoviews as hv
import numpy as np
import pandas as pd
import panel as pn

from bipsim.app import views
from bipsim.app.data import FLOW_BANDS
from bipsim.app.i18n import number, word
from bipsim.app.jobs import Job
from bipsim.app.sidebar import Sidebar
from bipsim.app.stepping import QUARTER, Shown, SteppedRun
from bipsim.app.tabs.tab import Tab
from bipsim.scenario import ScenarioError

UPDATE_SECONDS = 0.4
"""Longest time between two updates of the figures while the model runs (the issue asks for 0.5 s at most)."""
SPEEDS: dict[str, float] = {"fastest": 0.0, "20": 1 / 20, "5": 1 / 5}
"""Go's speeds: seconds per week (0: as fast as the machine steps), named by weeks per second."""
MONITORS = ("week", "in_job", "waiting", "caseworker_changes")


def _nothing_yet(weeks: int) -> Shown:
    """What a run not set up shows: one empty week, so the figures have their axes."""
    index = pd.RangeIndex(1, name="week")
    return Shown(
        week=0,
        weeks=weeks,
        citizens=0,
        flows=pd.DataFrame(np.zeros((1, len(FLOW_BANDS)), dtype=np.int64), columns=list(FLOW_BANDS), index=index),
        readiness=pd.DataFrame({"mean": [np.nan], "low": [np.nan], "high": [np.nan]}, index=index),
        in_job=0,
        waiting=0,
        caseworker_changes=0,
    )


class Live(Tab):
    """Setup, one week, one quarter, go and pause, a speed, four monitors and two figures drawn as the model runs."""

    title_key = "tab_live"

    def __init__(self, sidebar: Sidebar, **params: Any) -> None:
        super().__init__(**params)
        self.sidebar = sidebar
        self.stepped: SteppedRun | None = None
        self._going = False  # a step, a quarter or Go is under way
        self._pause = False  # Pause was pressed: stop after the week under way
        self.hint = pn.pane.Markdown("", sizing_mode="stretch_width")
        self.setup_button = pn.widgets.Button(color="primary", width=130, css_classes=["live-setup"])
        self.week_button = pn.widgets.Button(width=120, css_classes=["live-week"], disabled=True)
        self.quarter_button = pn.widgets.Button(width=130, css_classes=["live-quarter"], disabled=True)
        self.go_button = pn.widgets.Button(color="success", width=110, css_classes=["live-go"], disabled=True)
        self.pause_button = pn.widgets.Button(color="warning", width=110, css_classes=["live-pause"], disabled=True)
        self.speed = pn.widgets.Select(options={}, width=220, css_classes=["live-speed"])
        self.job = Job("live", "live_setting_up", language=self.param.language)
        self.counts = dict.fromkeys(MONITORS, 0)  # what the monitors show, drawn as the language writes numbers
        self.monitors = {key: pn.pane.HTML("", css_classes=[f"live-{key}"], margin=(0, 24, 0, 0)) for key in MONITORS}
        self.flows_pipe = hv.streams.Pipe(data=_nothing_yet(1).flows)
        self.readiness_pipe = hv.streams.Pipe(data=_nothing_yet(1).readiness)
        self.flows = pn.pane.HoloViews(None, sizing_mode="stretch_width", css_classes=["fig-live-flows"])
        self.readiness = pn.pane.HoloViews(None, sizing_mode="stretch_width", css_classes=["fig-live-readiness"])
        self._layout = pn.Column(
            self.hint,
            pn.FlexBox(
                self.setup_button, self.week_button, self.quarter_button, self.go_button, self.pause_button, self.speed
            ),
            self.job,
            pn.FlexBox(*self.monitors.values()),
            self.flows,
            self.readiness,
            sizing_mode="stretch_width",
        )
        self.relabel()
        self.setup_button.on_click(self.setup)
        self.week_button.on_click(self.step_week)
        self.quarter_button.on_click(self.step_quarter)
        self.go_button.on_click(self.go)
        self.pause_button.on_click(lambda event: self.pause())

    def __panel__(self) -> pn.Column:
        return self._layout

    # --- the buttons ----------------------------------------------------------------------------------------
    async def setup(self, event: object = None) -> None:
        """A new model from the sidebar's settings and seed, at week 0 (refused like Run when it may not run)."""
        self.pause()
        while self._going:  # the week under way finishes first
            await asyncio.sleep(0.02)
        if self.sidebar.refuse(self.job):
            return
        try:
            scenario = self.sidebar.scenario()
        except ScenarioError as exc:
            self.job.fail(str(exc))
            return
        seed = self.sidebar.seed
        self.stepped = None  # the old model goes before the new one is built
        self._buttons()

        def build(progress: Any) -> SteppedRun:
            return SteppedRun(scenario, seed)

        stepped = await self.job.submit(build, total=1)
        if stepped is None:
            return
        self.stepped = stepped
        self.job.say(
            "live_ready", scenario=scenario.name, seed=seed, citizens=scenario.population.citizens, weeks=stepped.weeks
        )
        self._figures()
        self._buttons()

    async def step_week(self, event: object = None) -> None:
        """One week."""
        await self.advance(1)

    async def step_quarter(self, event: object = None) -> None:
        """One quarter (13 weeks)."""
        await self.advance(QUARTER)

    async def go(self, event: object = None) -> None:
        """Every week left, at the chosen speed, until Pause."""
        await self.advance(None)

    async def advance(self, weeks: int | None) -> None:
        """Step ``weeks`` weeks (None: Go, until the last week or Pause) on a worker thread, drawing as it goes."""
        stepped = self.stepped
        if stepped is None or self._going or stepped.finished:
            return
        self._going, self._pause = True, False
        self._buttons()
        remaining = stepped.weeks if weeks is None else weeks
        pushed = time.monotonic()
        try:
            while remaining > 0 and not stepped.finished and not self._pause and self.stepped is stepped:
                seconds_per_week = SPEEDS.get(self.speed.value, 0.0) if weeks is None else 0.0
                started = time.monotonic()
                if seconds_per_week:
                    done = await asyncio.to_thread(stepped.step, 1)
                    await asyncio.sleep(max(0.0, seconds_per_week - (time.monotonic() - started)))
                else:
                    deadline = started + UPDATE_SECONDS / 2
                    done = await asyncio.to_thread(stepped.step, remaining, deadline, lambda: self._pause)
                remaining -= done
                if done == 0:
                    break
                if seconds_per_week or time.monotonic() - pushed >= UPDATE_SECONDS / 2:
                    self._push()
                    pushed = time.monotonic()
        finally:
            self._going = False
            if self.stepped is stepped:
                self._push()
            self._buttons()

    def pause(self) -> None:
        """Stop Go (or a quarter) after the week under way."""
        self._pause = True

    def close(self) -> None:
        """Stop and let the model go (the session ended)."""
        self._pause = True
        self.stepped = None

    # --- what the page shows ---------------------------------------------------------------------------------
    def shown_now(self) -> Shown:
        """What the stepped run has shown so far (an empty week before Setup)."""
        if self.stepped is None:
            return _nothing_yet(max(int(self.sidebar.size()["weeks"] or 1), 1))
        return self.stepped.shown()

    def _buttons(self) -> None:
        ready = self.stepped is not None and not self.stepped.finished
        for button in (self.week_button, self.quarter_button, self.go_button):
            button.disabled = not ready or self._going
        self.pause_button.disabled = not self._going

    def _push(self) -> None:
        """Send what is new to the figures and the monitors (only the data changes, not the figures)."""
        shown = self.shown_now()
        self.flows_pipe.send(shown.flows)
        self.readiness_pipe.send(shown.readiness)
        for key, value in (
            ("week", shown.week),
            ("in_job", shown.in_job),
            ("waiting", shown.waiting),
            ("caseworker_changes", shown.caseworker_changes),
        ):
            self.counts[key] = value
        self._show_counts()
        if self.stepped is not None and shown.week:
            key = "live_done" if shown.finished else "live_week"
            self.job.say(key, week=shown.week, weeks=shown.weeks)

    def _figures(self) -> None:
        """The two figures for the run's size and the page's language; their data comes through the pipes."""
        shown, lang = self.shown_now(), self.language
        weeks, citizens = shown.weeks, max(shown.citizens, 1)
        self.flows.object = hv.DynamicMap(
            lambda data: views.flows_of(data, lang, xlim=(0, weeks), ylim=(0, citizens)), streams=[self.flows_pipe]
        )
        self.readiness.object = hv.DynamicMap(
            lambda data: views.live_readiness(data, weeks, lang), streams=[self.readiness_pipe]
        )
        self._push()

    def relabel(self) -> None:
        lang = self.language
        self.hint.object = word("live_hint", lang)
        for button, key in (
            (self.setup_button, "live_setup"),
            (self.week_button, "live_week_button"),
            (self.quarter_button, "live_quarter_button"),
            (self.go_button, "live_go"),
            (self.pause_button, "live_pause"),
        ):
            button.label = word(key, lang)
        speeds = {
            word("live_fastest", lang) if key == "fastest" else word("live_speed", lang, n=int(key)): key
            for key in SPEEDS
        }
        self.speed.param.update(
            options=speeds, value=self.speed.value or "fastest", name=word("live_speed_label", lang)
        )
        self._show_counts()

    def _show_counts(self) -> None:
        """Each monitor: its name above its number, as NetLogo's monitors, in the page's language."""
        lang = self.language
        for key, monitor in self.monitors.items():
            name = word("live_week_monitor" if key == "week" else f"live_{key}", lang)
            monitor.object = (
                f"<div style='font-size:11pt'>{name}</div>"
                f"<div style='font-size:26pt;line-height:1.2'>{number(self.counts[key], lang)}</div>"
            )

    def draw(self) -> None:
        self._figures()
