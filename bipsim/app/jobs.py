"""Work a button starts, done off the event loop and shown as a progress bar, a status line and an error box.

Run, Compare and Recover each own a :class:`Job`. :meth:`Job.submit` runs the work in a worker thread and awaits
it without blocking the event loop, so the page, and every other session on the server, keeps answering.
Pressing the button again while the work runs replaces it, and the job's Cancel button stops it: the older work
raises :class:`Replaced` at its next progress report, and whatever it returns or raises is dropped, so the page
never mixes two answers and never waits for one that will not come. Cancelling is per session: work shared with
another session (:mod:`bipsim.app.runs`) goes on for that session.
"""

from __future__ import annotations

import asyncio
import threading
import traceback
from collections.abc import Callable
from typing import Any, TypeVar

import panel as pn
import param

from bipsim.app.i18n import LANGUAGES, word

T = TypeVar("T")
PROGRESS_SECONDS = 0.25  # how often the page shows the progress of work under way; more would flood the websocket


class Replaced(Exception):
    """Raised inside work whose result is no longer wanted: the button was pressed again, or Cancel."""


class Job(pn.viewable.Viewer):
    """One button's work on a worker thread: a progress bar, a status line and an error box, in ``language``.

    The status line shows the app's word ``progress_key`` (formatted with ``done`` and ``total``) while the work
    runs, and ``finishing_key`` once the last step is reported; :meth:`say` sets it afterwards. Its widgets carry
    the CSS classes ``{kind}-progress``, ``{kind}-cancel``, ``{kind}-status`` and ``{kind}-error``.
    """

    language = param.Selector(default="en", objects=list(LANGUAGES), allow_refs=True, doc="Language of the words.")

    def __init__(
        self,
        kind: str,
        progress_key: str,
        finishing_key: str | None = None,
        width: int | None = None,
        **params: Any,
    ) -> None:
        super().__init__(**params)
        self.progress_key = progress_key
        self.finishing_key = finishing_key
        self.completed = 0
        self._generation = 0
        self._lock = threading.Lock()
        self._said: tuple[str, dict[str, Any]] | None = None
        self._failure: tuple[str, dict[str, Any]] | None = None  # the error box's word and values
        size: dict[str, Any] = {"width": width} if width else {"sizing_mode": "stretch_width"}
        self.progress = pn.indicators.Progress(
            value=0, max=100, bar_color="primary", visible=False, css_classes=[f"{kind}-progress"], **size
        )
        self.cancel_button = pn.widgets.Button(
            label=word("cancel", self.language),
            color="light",
            visible=False,
            css_classes=[f"{kind}-cancel"],
            width=110,
            margin=(0, 5),
        )
        self.cancel_button.on_click(lambda event: self.cancel())
        self.status = pn.pane.Markdown("", css_classes=[f"{kind}-status"], sizing_mode="stretch_width")
        self.error = pn.pane.Alert(
            "", alert_type="danger", visible=False, css_classes=[f"{kind}-error"], sizing_mode="stretch_width"
        )
        self._layout = pn.Column(
            pn.Row(self.progress, self.cancel_button, sizing_mode="stretch_width", margin=0),
            self.status,
            self.error,
            sizing_mode="stretch_width",
            margin=0,
        )

    def __panel__(self) -> pn.Column:
        return self._layout

    def _start(self) -> int:
        with self._lock:
            self._generation += 1
            return self._generation

    def is_current(self, generation: int) -> bool:
        """Whether the submission numbered ``generation`` is the newest one."""
        with self._lock:
            return self._generation == generation

    async def submit(self, work: Callable[..., T], *args: Any, total: int) -> T | None:
        """``work(*args, progress)`` on a worker thread, its ``total`` steps shown as they are reported.

        Returns the work's result, or ``None`` when it failed (the error box says why, the server's log has the
        traceback) or when a newer submission replaced it (that one shows its own progress and result).
        The worker thread only notes its progress; the widgets are changed here, on the event loop, so no
        progress report can reach the page after the result.
        """
        generation = self._start()
        self.hide_error()
        reported = [0, total]

        def progress(done: int, total: int) -> None:
            if not self.is_current(generation):
                raise Replaced
            reported[:] = [done, total]

        self._report(0, total)
        self.cancel_button.visible = True
        shown = list(reported)
        task = asyncio.ensure_future(asyncio.to_thread(work, *args, progress))
        try:
            while True:
                await asyncio.wait([task], timeout=PROGRESS_SECONDS)
                if task.done():
                    break
                if reported != shown and self.is_current(generation):
                    shown = list(reported)
                    self._report(*shown)
            try:
                result = task.result()
            except Replaced:
                return None
            except Exception as exc:  # noqa: BLE001 - any failure of the work is shown in the page
                if self.is_current(generation):
                    traceback.print_exc()
                    self.fail(f"{type(exc).__name__}: {exc}")
                return None
            if not self.is_current(generation):
                return None
            self.progress.visible = False
            self.completed += 1
            return result
        finally:
            if self.is_current(generation):
                self.cancel_button.visible = False

    @property
    def running(self) -> bool:
        """Whether the newest submission is under way (shown with a progress bar and a Cancel button)."""
        return self.cancel_button.visible

    def cancel(self) -> None:
        """Stop this page's work under way and say so; another session waiting for the same run is not affected."""
        if not self.running:
            return
        self._start()
        self.progress.visible = False
        self.cancel_button.visible = False
        self.say("cancelled")

    def _report(self, done: int, total: int) -> None:
        self.progress.param.update(value=int(100 * done / max(total, 1)), visible=True)
        finishing = self.finishing_key is not None and done >= total
        self.say(self.finishing_key if finishing else self.progress_key, done=done, total=total)

    def say(self, key: str, **values: Any) -> None:
        """Show the app's word ``key``, formatted with ``values``, in the status line, in the page's language."""
        self._said = (key, values)
        self.status.object = word(key, self.language, **values)

    def fail(self, message: str) -> None:
        """Stop any work under way and show ``message`` in the error box."""
        self.refuse("failed", error=message)

    def refuse(self, key: str, **values: Any) -> None:
        """Stop any work under way and show the app's word ``key`` (formatted with ``values``) in the error box."""
        self._start()
        self._said = None
        self._failure = (key, values)
        self.progress.visible = False
        self.cancel_button.visible = False
        self.status.object = ""
        self.error.param.update(object=word(key, self.language, **values), visible=True)

    def hide_error(self) -> None:
        """Take the error box away."""
        self._failure = None
        self.error.visible = False

    @param.depends("language", watch=True)
    def _relabel(self) -> None:
        if self._said is not None:
            key, values = self._said
            self.say(key, **values)
        if self._failure is not None:
            key, values = self._failure
            self.error.object = word(key, self.language, **values)
        self.cancel_button.label = word("cancel", self.language)
