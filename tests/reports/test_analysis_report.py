"""The analysis report is one self-contained page: it renders every figure in Chromium with the network off."""

from __future__ import annotations

import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import bipsim
from bipsim.analysis import analyze, read_observed
from bipsim.app import browser
from bipsim.reports.analysis import write_report


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("report")
    bundle = bipsim.write_bundle(bipsim.simulate("baseline", seed=3, citizens=300, weeks=60), folder / "bundle")
    return write_report(analyze(read_observed(bundle)), folder / "report")


def test_the_page_links_no_script_or_style_from_elsewhere(report):
    text = report.read_text(encoding="utf-8")
    assert "<script src=" not in text.replace("'", '"') and 'rel="stylesheet"' not in text


def _render_offline(page_file: Path) -> tuple[int, list[str], list[str], int]:
    """Open ``page_file`` in Chromium with the network off; wait for every figure to draw.

    Returns the number of figures, failed requests, page errors and the page's width. Runs on a thread of
    its own: Playwright's sync API refuses a thread where an event loop runs (Panel's, in a full test run).
    """
    with tempfile.TemporaryDirectory(prefix="bipsim-chromium-") as profile, browser.chromium(profile) as context:
        context.set_offline(True)
        page = context.new_page()
        failed, errors = [], []
        page.on("requestfailed", lambda request: failed.append(request.url))
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.set_viewport_size({"width": 1400, "height": 900})
        page.goto(page_file.as_uri())
        figures = page.locator("figure")
        for i in range(figures.count()):  # bokeh draws in shadow roots, which Playwright's locators pierce
            figures.nth(i).locator("canvas").first.wait_for(timeout=60_000)
        return figures.count(), failed, errors, page.evaluate("document.documentElement.scrollWidth")


def test_every_figure_renders_offline_and_wide_tables_scroll_inside_the_page(report):
    if not browser.CHROMIUM.exists():
        pytest.skip(f"Debian's chromium is not installed at {browser.CHROMIUM}")
    with ThreadPoolExecutor(1) as thread:
        figures, failed, errors, width = thread.submit(_render_offline, report).result()
    assert figures >= 5
    assert failed == [] and errors == []
    assert width <= 1400
