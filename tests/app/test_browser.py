"""The sandbox in a real browser (headless Debian Chromium driven by Playwright).

Each test opens its own tab, which is its own session of the app. Screenshots of every view are saved in
``test-artifacts/`` for people to look at. How long users wait is measured by ``benchmarks/app.py``.
"""

from __future__ import annotations

import pytest

from bipsim.app.browser import (
    FINGERPRINT_JS,
    WAIT_MS,
    app_errors,
    open_app,
    open_tab,
    rerun_without_turnover,
    set_size,
    text,
)


def test_page_loads_with_figures_and_no_console_errors(server, page, artifacts):  # noqa: ANN001
    open_app(page, f"{server}/sandbox")
    assert page.locator(".fig-flows canvas").count() >= 1
    # the tab's figures arrive one after another: each is rendered as soon as it is drawn
    page.locator(".fig-entries canvas").first.wait_for(state="visible", timeout=WAIT_MS)
    page.wait_for_timeout(500)
    page.screenshot(path=artifacts / "flows.png")
    assert app_errors(page) == []


@pytest.mark.slow
def test_changing_a_mechanism_and_run_changes_the_figures(server, page, artifacts):  # noqa: ANN001
    open_app(page, f"{server}/sandbox")
    before = page.evaluate(FINGERPRINT_JS)
    rerun_without_turnover(page)
    page.screenshot(path=artifacts / "flows-turnover-off.png")
    assert page.evaluate(FINGERPRINT_JS) != before
    assert "baseline*" in text(page.locator(".run-status"))
    assert app_errors(page) == []


def test_views_readiness_register_methods_about(server, page, artifacts):  # noqa: ANN001
    open_app(page, f"{server}/sandbox")
    for tab, figure, name in (
        ("Readiness", ".fig-readiness canvas", "readiness"),
        ("Register", ".fig-register canvas", "register"),
        ("Methods vs truth", ".fig-calibration canvas", "methods"),
    ):
        open_tab(page, tab)
        page.locator(figure).first.wait_for(state="visible", timeout=WAIT_MS)
        page.wait_for_timeout(400)
        page.screenshot(path=artifacts / f"{name}.png", full_page=True)
    # The triangulation matrix: a row per mechanism, a column per method, each cell a finding.
    page.get_by_text("cannot see it").first.wait_for(timeout=WAIT_MS)
    page.get_by_text("Adjusted hazard model").first.wait_for(timeout=WAIT_MS)
    assert page.get_by_text("detected: raises job entry").count() > 0
    page.screenshot(path=artifacts / "methods.png", full_page=True)
    assert "caseworker turnover" in text(page.locator(".mechanism-table"))
    assert "register_ipw" not in text(page.locator(".triangulation-matrix"))
    open_tab(page, "About")
    page.locator(".about", has_text="THINGS TO TRY").wait_for(timeout=WAIT_MS)
    page.screenshot(path=artifacts / "about.png")
    page.locator(".bk-btn", has_text="Dansk").click()
    page.locator(".about", has_text="PRØV DETTE").wait_for(timeout=WAIT_MS)
    page.locator(".bk-tab", has_text="Om modellen").wait_for(timeout=WAIT_MS)
    assert app_errors(page) == []


def test_stories_show_a_timeline_and_narratives_in_both_languages(server, page, artifacts):  # noqa: ANN001
    open_app(page, f"{server}/sandbox")
    open_tab(page, "Stories")
    page.locator(".fig-story canvas").first.wait_for(state="visible", timeout=WAIT_MS)
    narrative = page.locator(".story-narrative")
    narrative.locator("blockquote").first.wait_for(timeout=WAIT_MS)
    english = text(narrative)
    assert "Interview 1" in english and "Week" in english
    page.wait_for_timeout(400)
    page.screenshot(path=artifacts / "stories.png")
    page.locator(".bk-btn", has_text="Dansk").click()
    page.locator(".story-narrative", has_text="Uge").wait_for(timeout=WAIT_MS)
    assert text(page.locator(".story-narrative")) != english
    page.wait_for_timeout(400)
    page.screenshot(path=artifacts / "stories-da.png")
    assert app_errors(page) == []


def test_compare_shows_two_scenarios(server, page, artifacts):  # noqa: ANN001
    open_app(page, f"{server}/sandbox")
    set_size(page, 1000, 104)
    open_tab(page, "Compare")
    page.locator(".compare-button button").click()
    page.locator(".compare-status", has_text="finished").wait_for(timeout=WAIT_MS)
    page.locator(".fig-compare canvas").first.wait_for(state="visible", timeout=WAIT_MS)
    table = text(page.locator(".compare-table"))
    assert "A: baseline" in table and "B: low_turnover" in table
    page.wait_for_timeout(400)
    page.screenshot(path=artifacts / "compare.png", full_page=True)
    assert app_errors(page) == []


def test_recovery_in_methods_tab_shows_each_mechanism_against_its_truth(server, page, artifacts):  # noqa: ANN001
    open_app(page, f"{server}/sandbox")
    set_size(page, 500, 140)  # long enough for the landmark comparisons (week 26 plus two years)
    open_tab(page, "Methods vs truth")
    page.locator(".recover-button button").click()
    page.locator(".recover-status", has_text="finished").wait_for(timeout=4 * WAIT_MS)
    page.locator(".recovery-mechanism select").select_option(label="Work placement (public)")
    section = page.locator(".recovery-section section[data-mechanism=public_placement]")
    section.locator("table.methods").first.wait_for(timeout=WAIT_MS)
    english = text(section)
    # the estimand in words, its truth, a row per method with its interval and which assumptions fail
    assert "Total effect of work placement (public) on job entry (log hazard ratio)" in english
    assert "Truth:" in english and "Naive hazard model" in english and "Fails:" in english
    assert section.locator("svg circle").count() >= 1  # the estimates against the truth line
    page.locator(".recovery-mechanism").scroll_into_view_if_needed()
    page.wait_for_timeout(400)
    page.screenshot(path=artifacts / "recovery.png")
    page.locator(".bk-btn", has_text="Dansk").click()
    page.locator(".recovery-section", has_text="Sandhed:").wait_for(timeout=WAIT_MS)
    danish = text(page.locator(".recovery-section section[data-mechanism=public_placement]"))
    assert "Samlet virkning af virksomhedspraktik (offentlig) på jobstart" in danish
    assert "Naiv forløbsmodel" in danish and "Svigter:" in danish
    assert "Virksomhedspraktik (offentlig)" in text(page.locator(".recovery-mechanism"))
    page.locator(".recovery-mechanism").scroll_into_view_if_needed()
    page.wait_for_timeout(400)
    page.screenshot(path=artifacts / "recovery-da.png")
    assert app_errors(page) == []


def test_pressing_run_twice_shows_the_second_run(server, page):  # noqa: ANN001
    open_app(page, f"{server}/sandbox")
    set_size(page, 5000, 208)
    run = page.locator(".run-button button")
    run.click()
    run.click()  # while the first is running: it is replaced, and the page must not wait for it forever
    page.locator(".run-status", has_text="5,000 citizens").wait_for(timeout=WAIT_MS)
    assert not page.locator(".run-error").first.is_visible()
    assert app_errors(page) == []


def test_a_failing_run_shows_a_readable_error(server, page, artifacts):  # noqa: ANN001
    page.goto(f"{server}/failing")
    error = page.locator(".run-error", has_text="deliberate failure")
    error.wait_for(timeout=WAIT_MS)
    assert "The run failed: RuntimeError: deliberate failure for the test" in text(error)
    page.screenshot(path=artifacts / "error.png")


@pytest.mark.slow
@pytest.mark.parametrize("path", ["/sandbox"])
def test_two_sessions_have_their_own_state(server, browser_context, path):  # noqa: ANN001
    first, second = browser_context.new_page(), browser_context.new_page()
    try:
        open_app(first, f"{server}{path}")
        open_app(second, f"{server}{path}")
        first.locator(".seed input").fill("7")
        first.locator(".seed input").press("Enter")
        first.locator(".run-button button").click()
        first.locator(".run-status", has_text="seed 7").wait_for(timeout=WAIT_MS)
        assert "seed 0" in text(second.locator(".run-status"))
    finally:
        first.close()
        second.close()


def test_the_readme_picture_is_taken_from_the_running_app(tmp_path):  # noqa: ANN001
    import struct
    from concurrent.futures import ThreadPoolExecutor

    from bipsim.app.screenshot import WINDOW, take

    # its own Playwright, apart from the session's browser: in a thread, away from the event loop Panel leaves
    with ThreadPoolExecutor(1) as pool:
        path = pool.submit(take, tmp_path / "images" / "app.png").result(timeout=4 * WAIT_MS / 1000)
    png = path.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", png[16:24]) == (WINDOW["width"], WINDOW["height"])  # the IHDR chunk's size
    assert len(png) > 50_000  # a drawn page with figures, not a blank one
