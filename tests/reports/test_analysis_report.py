"""The analysis report is one self-contained page that reads right in English and Danish, wide and narrow.

It renders every figure in Chromium with the network off; its figures stretch to the page with their legends
below the data; axes, legends and tables read the declared labels, never the keys; every estimate names its
scale and unit.
"""

from __future__ import annotations

import re
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import bipsim
from bipsim.analysis import analyze, read_observed
from bipsim.analysis.methods import method
from bipsim.app import browser
from bipsim.cli import main
from bipsim.contract.codes import BENEFIT_CODES
from bipsim.contract.vocabulary import INDICATORS
from bipsim.reports.analysis import render_html, write_report
from bipsim.reports.analysis_words import scale_with_unit

ACTIVITY_READY = next(b for b in BENEFIT_CODES if b.key == "kh_activity_ready")
WORK_BELIEF = next(i for i in INDICATORS if i.key == "work_belief")
ADJUSTED = method("register_hazard", "job_entry")

# Every plot of every Bokeh document: its sizing mode, and whether each of its legends sits below the frame.
PLOTS_JS = """
() => {
  const plots = [];
  for (const doc of Bokeh.documents) {
    for (const model of doc.all_models) {
      if (!("sizing_mode" in model) || !("below" in model) || !("renderers" in model)) continue;
      const below = new Set(model.below.map((m) => m.id));
      const legends = [...model.center, ...model.left, ...model.right, ...model.above, ...model.below]
        .filter((m) => m.type === "Legend");
      plots.push({sizing: model.sizing_mode, legends: legends.length,
                  below: legends.filter((m) => below.has(m.id)).length});
    }
  }
  return plots;
}
"""


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("bundle")
    return bipsim.write_bundle(bipsim.simulate("baseline", seed=3, citizens=300, weeks=60), folder / "bundle")


@pytest.fixture(scope="module")
def analysis(bundle):
    return analyze(read_observed(bundle))


@pytest.fixture(scope="module")
def report(analysis, tmp_path_factory) -> Path:
    return write_report(analysis, tmp_path_factory.mktemp("report") / "report")


def test_the_page_links_no_script_or_style_from_elsewhere(report):
    text = report.read_text(encoding="utf-8")
    assert "<script src=" not in text.replace("'", '"') and 'rel="stylesheet"' not in text
    assert re.search(r"<(script|link|img)[^>]+(src|href)=[\"']?https?:", text) is None


def test_axes_legends_and_tables_read_the_declared_labels_not_the_keys(report):
    text = report.read_text(encoding="utf-8")
    assert ACTIVITY_READY.en in text and WORK_BELIEF.en in text and ADJUSTED.en in text
    # the keys are gone from the figures' data, axes and legends, and from the tables
    assert "kh_activity_ready" not in text
    assert '"work_belief"' not in text and ">work_belief<" not in text
    assert "register_hazard" not in text and "caseworker_job_belief (caseworker)" not in text
    assert "health | naive" not in text
    assert ">False<" not in text and ">True<" not in text and "&lt;NA&gt;" not in text  # yes, no or blank


def test_every_estimate_names_its_scale_and_unit(report, analysis):
    text = report.read_text(encoding="utf-8")
    shown = analysis.estimates[analysis.estimates["estimate"].notna()]
    for outcome, scale in set(zip(shown["outcome"], shown["scale"], strict=True)):
        readable = scale_with_unit(scale, outcome, "en")
        assert "(" in readable, f"{scale} of {outcome} has no unit"
        assert readable in text, readable  # an axis of its plot and the scale column of the estimates table
    assert "log hazard ratio (weekly job chance; 0 = no difference)" in text


def test_the_danish_report_reads_the_danish_labels(analysis, bundle, tmp_path):
    page = render_html(analysis, "da")
    assert page.startswith("<!DOCTYPE html><html lang='da'>")
    for danish in (ACTIVITY_READY.da, WORK_BELIEF.da, ADJUSTED.da, "log hazard-ratio", "Alle estimater"):
        assert danish in page, danish
    assert ACTIVITY_READY.en not in page and ADJUSTED.en not in page
    with pytest.raises(ValueError, match="language"):
        render_html(analysis, "de")
    assert main(["analyze", str(bundle), "--out", str(tmp_path / "da"), "--language", "da"]) == 0
    assert ACTIVITY_READY.da in (tmp_path / "da" / "report.html").read_text(encoding="utf-8")


def _render_offline(page_file: Path, width: int) -> dict[str, object]:
    """Open ``page_file`` ``width`` pixels wide in Chromium with the network off; wait for every figure to draw.

    Returns the number of figures, failed requests, page errors, the page's scroll width, the first figure's
    width and every plot's sizing and legends. Runs on a thread of its own: Playwright's sync API refuses a thread
    where an event loop runs (Panel's, in a full test run).
    """
    with tempfile.TemporaryDirectory(prefix="bipsim-chromium-") as profile, browser.chromium(profile) as context:
        context.set_offline(True)
        page = context.new_page()
        failed, errors = [], []
        page.on("requestfailed", lambda request: failed.append(request.url))
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(page_file.as_uri())
        figures = page.locator("figure")
        for i in range(figures.count()):  # bokeh draws in shadow roots, which Playwright's locators pierce
            figures.nth(i).locator("canvas").first.wait_for(timeout=60_000)
        return {
            "figures": figures.count(),
            "failed": failed,
            "errors": errors,
            "scroll_width": page.evaluate("document.documentElement.scrollWidth"),
            "first_plot": figures.first.locator("canvas").first.bounding_box()["width"],
            "plots": page.evaluate(PLOTS_JS),
        }


def test_figures_fill_the_width_offline_and_nothing_overflows_a_narrow_page(report):
    if not browser.CHROMIUM.exists():
        pytest.skip(f"Debian's chromium is not installed at {browser.CHROMIUM}")
    with ThreadPoolExecutor(1) as thread:
        wide = thread.submit(_render_offline, report, 1400).result()
        narrow = thread.submit(_render_offline, report, 900).result()
    for seen, width in ((wide, 1400), (narrow, 900)):
        assert seen["figures"] >= 5
        assert seen["failed"] == [] and seen["errors"] == []
        assert seen["scroll_width"] <= width  # wide tables scroll inside their box, plots shrink with the page
        assert seen["plots"] and all(p["sizing"] == "stretch_width" for p in seen["plots"]), seen["plots"]
        assert all(p["below"] == p["legends"] for p in seen["plots"]), seen["plots"]
    assert any(p["legends"] for p in wide["plots"])
    assert wide["first_plot"] > 1200 and narrow["first_plot"] < 880  # the same figure, as wide as each page
