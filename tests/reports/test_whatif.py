"""compare and sweep draw their intervals: a PNG and a self-contained HTML page beside the tables, in da or en."""

from __future__ import annotations

import json
import re
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd
import pytest

from bipsim.app import browser
from bipsim.cli import main
from bipsim.contract.outcomes import HEADLINE, OUTCOMES, outcome
from bipsim.reports import whatif

TINY = ["--citizens", "60", "--weeks", "30", "--replications", "2"]
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def compared(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("compare") / "results"
    assert main(["compare", "baseline", "high_turnover", *TINY, "--out", str(folder)]) == 0
    return folder


def _is_png(path: Path) -> bool:
    data = path.read_bytes()
    return data.startswith(PNG_MAGIC) and len(data) > 20_000


def _links_nothing(page: str) -> bool:
    """No script or stylesheet tag that loads from elsewhere (bokeh's inline code may name URLs in strings)."""
    return not re.search(r"<script[^>]*\ssrc\s*=", page) and not re.search(r"<link[^>]*\shref\s*=", page)


def test_every_outcome_unit_has_a_scale_with_both_languages():
    for declared in OUTCOMES:
        scale = whatif.SCALES[declared.unit]
        assert scale.level("da") and scale.level("en") and scale.difference("da") and scale.difference("en")
    assert set(whatif.WORDS["da"]) == set(whatif.WORDS["en"])


def test_compare_writes_its_figure_beside_the_table_and_names_it(compared, capsys, tmp_path):
    assert _is_png(compared / "comparison.png")
    page = (compared / "comparison.html").read_text(encoding="utf-8")
    assert len(page) > 100_000 and _links_nothing(page)
    table = pd.read_parquet(compared / "comparison.parquet")
    for key in table.loc[table["difference"].notna(), "outcome"]:
        assert outcome(key).en in page
    manifest = json.loads((compared / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["files"]["comparison.png"]["kind"] == "figure"
    assert manifest["files"]["comparison.html"]["kind"] == "page"
    again = tmp_path / "again"
    assert main(["compare", "baseline", "high_turnover", *TINY, "--out", str(again)]) == 0
    out = capsys.readouterr().out
    assert f"figures {again / 'comparison.png'} and {again / 'comparison.html'}" in out.splitlines()[-1]


def test_compare_in_danish_uses_the_danish_labels_and_units(tmp_path):
    folder = tmp_path / "da"
    assert main(["compare", "baseline", "high_turnover", *TINY, "--out", str(folder), "--language", "da"]) == 0
    page = (folder / "comparison.html").read_text(encoding="utf-8")
    assert "<html lang='da'>" in page
    table = pd.read_parquet(folder / "comparison.parquet")
    for key in table.loc[table["difference"].notna(), "outcome"]:
        assert outcome(key).da in page
        assert whatif.scale_of(key).difference("da") in page


def test_the_comparison_shows_shares_in_percentage_points():
    table = pd.DataFrame(
        {
            "outcome": ["share_ever_waiting", "mean_weeks_waiting_per_waiter"],
            "pairs": [5, 5],
            "mean_a": [0.30, 9.0],
            "mean_b": [0.35, 8.0],
            "difference": [0.05, -1.0],
            "se": [0.01, 0.2],
            "low": [0.03, -1.5],
            "high": [0.07, -0.5],
            "clear_difference": [True, True],
        }
    )
    frame = whatif.comparison_frame(table, "en").set_index("outcome")
    assert frame.loc["share_ever_waiting", "difference"] == pytest.approx(100 * 0.05)
    assert frame.loc["share_ever_waiting", "unit"].startswith("percentage points")
    assert frame.loc["mean_weeks_waiting_per_waiter", "difference"] == pytest.approx(-1.0)
    assert frame.loc["mean_weeks_waiting_per_waiter", "unit"] == "weeks"


def test_sweep_writes_outcome_against_setting_with_bands(tmp_path, capsys):
    folder = tmp_path / "sweep"
    vary = ["--vary", "turnover.quit_probability=0.001,0.01", "meetings.interval_weeks=4,8"]
    assert main(["sweep", *vary, *TINY, "--out", str(folder)]) == 0
    assert f"figures {folder / 'sweep.png'} and {folder / 'sweep.html'}" in capsys.readouterr().out
    assert _is_png(folder / "sweep.png")
    page = (folder / "sweep.html").read_text(encoding="utf-8")
    assert _links_nothing(page)
    for key in HEADLINE:
        assert outcome(key).en in page
    assert "turnover.quit_probability" in page and "meetings.interval_weeks" in page


def test_a_figure_that_cannot_be_drawn_costs_no_results(tmp_path, capsys, monkeypatch):
    def broken(*arguments):
        raise RuntimeError("no ink")

    monkeypatch.setattr(whatif, "draw_comparison_png", broken)
    folder = tmp_path / "results"
    assert main(["compare", "baseline", "high_turnover", *TINY, "--out", str(folder)]) == 0
    err = capsys.readouterr().err
    assert "comparison.png left out" in err and "no ink" in err
    assert (folder / "comparison.parquet").exists() and (folder / "comparison.html").exists()
    assert not (folder / "comparison.png").exists()
    assert "comparison.png" not in json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["files"]


def _render_offline(page_file: Path) -> tuple[int, list[str]]:
    """Open ``page_file`` in Chromium with the network off (on a thread of its own); wait for every figure."""
    with tempfile.TemporaryDirectory(prefix="bipsim-chromium-") as profile, browser.chromium(profile) as context:
        context.set_offline(True)
        page = context.new_page()
        problems: list[str] = []
        page.on("requestfailed", lambda request: problems.append(request.url))
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.goto(page_file.as_uri())
        figures = page.locator("figure")
        for i in range(figures.count()):
            figures.nth(i).locator("canvas").first.wait_for(timeout=60_000)
        return figures.count(), problems


def test_the_comparison_page_draws_every_panel_offline(compared):
    if not browser.CHROMIUM.exists():
        pytest.skip(f"Debian's chromium is not installed at {browser.CHROMIUM}")
    table = pd.read_parquet(compared / "comparison.parquet")
    units = {whatif.scale_of(key).difference("en") for key in table.loc[table["difference"].notna(), "outcome"]}
    with ThreadPoolExecutor(1) as thread:
        figures, problems = thread.submit(_render_offline, compared / "comparison.html").result()
    assert figures == len(units)
    assert problems == []


def test_a_difference_that_is_rounding_noise_reads_as_zero():
    from bipsim.reports.whatif import _number

    assert _number(4.6e-16) == "0"
    assert _number(-0.125) == "-0.125"
    assert _number(22.7) == "+22.7"
