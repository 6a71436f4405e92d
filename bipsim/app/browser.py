"""The sandbox in headless Chromium: serving it in-process, and timing what a user waits for.

Shared by the browser tests (``tests/app``) and the app benchmark (``benchmarks/app.py``). Needs Debian's
``chromium`` at :data:`CHROMIUM` and Playwright (the ``test`` extra); browsers are never downloaded.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WAIT_MS = 60_000
"""How long to wait for something on the page before giving up (a loaded machine can stall for a while)."""

SERVER_START_SECONDS = 30

# Sums of every numeric column of every data source in the page: changes when any figure's data changes.
FINGERPRINT_JS = """
() => {
  const sums = [];
  for (const doc of Bokeh.documents) {
    for (const model of doc.all_models) {
      if (model.type !== "ColumnDataSource") continue;
      let total = 0;
      for (const column of Object.values(model.data)) {
        for (const x of Array.from(column ?? [])) if (typeof x === "number" && isFinite(x)) total += x;
      }
      sums.push(total.toFixed(6));
    }
  }
  return sums.sort().join(",");
}
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise TimeoutError(f"no server on 127.0.0.1:{port} after {timeout} s")


@contextmanager
def served(apps: dict[str, Callable[[], Any]] | None = None) -> Iterator[str]:
    """Serve ``apps`` (path: app factory; default ``/sandbox``) in this process, as ``bipsim app`` does.

    Yields the server's address; the default scenario is run once first, as at the start of ``bipsim app``.
    """
    import panel as pn

    from bipsim.app import create_app
    from bipsim.app.runs import warm_up
    from bipsim.app.sandbox import default_scenario

    warm_up(default_scenario())
    port = free_port()
    thread = pn.serve(
        apps or {"sandbox": create_app},
        port=port,
        address="127.0.0.1",
        websocket_origin=f"127.0.0.1:{port}",
        show=False,
        threaded=True,
        start=True,
    )
    try:
        wait_for_port(port, SERVER_START_SECONDS)
        yield f"http://127.0.0.1:{port}"
    finally:
        thread.stop()
        thread.join(timeout=10)


@contextmanager
def chromium(profile: str | Path) -> Iterator[Any]:
    """A headless Chromium context (Playwright) with its profile in ``profile``."""
    if not CHROMIUM.exists():
        raise FileNotFoundError(
            f"Debian's chromium is not installed at {CHROMIUM} (as root: apt-get update && apt-get install -y chromium)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(profile),
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1600, "height": 1000},
        )
        context.set_default_timeout(WAIT_MS)
        try:
            yield context
        finally:
            context.close()


def open_app(page: Any, url: str) -> float:
    """Open the page and wait for the first figure; return the seconds that took (then wait for the run)."""
    started = time.perf_counter()
    page.goto(url)
    page.locator(".fig-flows canvas").first.wait_for(state="visible", timeout=WAIT_MS)
    seconds = time.perf_counter() - started
    page.locator(".run-status", has_text="finished").wait_for(timeout=WAIT_MS)
    return seconds


def rerun_without_turnover(page: Any) -> float:
    """Switch caseworker turnover off, press Run, and return the seconds until the figures' data changed."""
    before = page.evaluate(FINGERPRINT_JS)
    page.locator(".group-turnover").first.locator(".card-header").first.click()
    switch = page.locator(".group-turnover input[type=checkbox]").first
    switch.wait_for(timeout=WAIT_MS)
    switch.uncheck()
    started = time.perf_counter()
    page.locator(".run-button button").click()
    page.locator(".run-status", has_text="Run 2 finished").wait_for(timeout=WAIT_MS)
    page.wait_for_function(f"() => ({FINGERPRINT_JS})() !== {before!r}", timeout=WAIT_MS)
    return time.perf_counter() - started


# --- what a test or the benchmark does in the page ---------------------------------------------------------------

DEEP_TEXT_JS = """
(node) => {
  const walk = (n) => {
    let text = "";
    if (n.shadowRoot) text += walk(n.shadowRoot);
    for (const child of n.childNodes) text += child.nodeType === 3 ? child.textContent : " " + walk(child);
    return text;
  };
  return walk(node);
}
"""


def text(locator: Any) -> str:
    """All text of an element, including what Bokeh renders inside its shadow DOM."""
    return locator.first.evaluate(DEEP_TEXT_JS)


def open_tab(page: Any, name: str) -> None:
    """Open the tab titled ``name``."""
    page.locator(".bk-tab", has_text=name).first.click()


def set_size(page: Any, citizens: int, weeks: int) -> None:
    """Type a population size and a number of weeks into the sidebar."""
    inputs = page.locator(".sidebar input.bk-input")
    for index, value in ((0, citizens), (1, weeks)):
        inputs.nth(index).fill(str(value))
        inputs.nth(index).press("Enter")


def set_seed(page: Any, seed: int) -> None:
    """Type a seed into the sidebar."""
    page.locator(".seed input").fill(str(seed))
    page.locator(".seed input").press("Enter")


def record_errors(page: Any) -> Any:
    """Keep the page's console errors and uncaught exceptions in ``page.errors``; return the page."""
    page.errors = []
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    return page


def app_errors(page: Any) -> list[str]:
    """Console errors recorded in ``page.errors``, without the browser's complaints about external resources."""
    return [e for e in page.errors if "ERR_NAME_NOT_RESOLVED" not in e and "favicon" not in e]
