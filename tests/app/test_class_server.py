"""One server for a class, in a real browser: sessions share runs without waiting for each other, Cancel stops only
the page's own wait, and what the server will not run is said, not silently changed."""

from __future__ import annotations

from bipsim.app.browser import FINGERPRINT_JS, WAIT_MS, app_errors, open_app, record_errors, set_seed, set_size, text


def test_two_sessions_with_the_same_run_and_one_changing_its_seed_both_finish(server, browser_context):  # noqa: ANN001
    a, b = (record_errors(browser_context.new_page()) for _ in range(2))
    try:
        for page in (a, b):
            open_app(page, f"{server}/sandbox")
            set_size(page, 5000, 208)
            set_seed(page, 11)  # a run nobody has asked for yet: A computes it, B waits for A's computation
        a.locator(".run-button button").click()
        a.locator(".run-progress").first.wait_for(state="visible", timeout=WAIT_MS)
        b.locator(".run-button button").click()
        b.locator(".run-progress").first.wait_for(state="visible", timeout=WAIT_MS)
        set_seed(a, 12)
        a.locator(".run-button button").click()  # A no longer wants seed 11; B still does
        b.locator(".run-status", has_text="seed 11").wait_for(timeout=WAIT_MS)
        a.locator(".run-status", has_text="seed 12").wait_for(timeout=WAIT_MS)
        assert "5,000 citizens" in text(b.locator(".run-status")) and "5,000 citizens" in text(a.locator(".run-status"))
        assert not b.locator(".run-error").first.is_visible() and not a.locator(".run-error").first.is_visible()
        assert app_errors(a) == [] and app_errors(b) == []
    finally:
        a.close()
        b.close()


def test_cancel_stops_the_run_and_keeps_the_last_figures(server, page, artifacts):  # noqa: ANN001
    open_app(page, f"{server}/sandbox")
    before = page.evaluate(FINGERPRINT_JS)
    set_size(page, 10_000, 208)
    set_seed(page, 21)
    page.locator(".run-button button").click()
    cancel = page.locator(".run-cancel button")
    cancel.wait_for(state="visible", timeout=WAIT_MS)
    page.screenshot(path=artifacts / "run-under-way.png")
    cancel.click()
    page.locator(".run-status", has_text="Cancelled").wait_for(timeout=WAIT_MS)
    assert not cancel.is_visible() and not page.locator(".run-progress").first.is_visible()
    page.wait_for_timeout(1500)  # the cancelled run would have had time to show itself
    assert "Cancelled" in text(page.locator(".run-status"))
    assert page.evaluate(FINGERPRINT_JS) == before
    assert app_errors(page) == []


def test_values_the_server_will_not_run_are_named_and_run_waits(server, page, artifacts):  # noqa: ANN001
    open_app(page, f"{server}/sandbox")
    run = page.locator(".run-button button")
    checks = page.locator(".input-problems")
    for typed, said in (
        (0, "Citizens: 0 is not allowed (from 10 to 2,000,000)"),
        (-5, "Citizens: -5 is not allowed"),
        (3_000_000, "Citizens: 3,000,000 is not allowed"),
        (50_000, "50,000 citizens × 208 weeks = 10,400,000 citizen-weeks is more than this server runs"),
    ):
        set_size(page, typed, 208)
        checks.filter(has_text=said).wait_for(timeout=WAIT_MS)
        assert page.locator(".sidebar input.bk-input").first.input_value() == str(typed)  # kept as typed
        assert run.is_disabled()
    page.screenshot(path=artifacts / "run-too-big.png")
    page.locator(".bk-btn", has_text="Dansk").click()
    checks.filter(has_text="50.000 borgere × 208 uger").wait_for(timeout=WAIT_MS)
    set_size(page, 4000, 208)
    checks.wait_for(state="hidden", timeout=WAIT_MS)
    assert not run.is_disabled()
    assert app_errors(page) == []
