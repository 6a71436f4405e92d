"""Step by step (setup / step / go / pause): the model a week at a time, the same run as Run's in the end."""

from __future__ import annotations

import asyncio
import time
from concurrent.futures import ThreadPoolExecutor

from bipsim.app.browser import WAIT_MS, app_errors, open_app, open_tab, text
from bipsim.app.sandbox import Sandbox
from bipsim.app.stepping import SteppedRun

FIGURE_JS = """
(selector) => {
  const sums = [];
  for (const doc of Bokeh.documents) for (const model of doc.all_models) {
    if (model.type !== "ColumnDataSource") continue;
    let total = 0;
    for (const column of Object.values(model.data))
      for (const x of Array.from(column ?? [])) if (typeof x === "number" && isFinite(x)) total += x;
    sums.push(total.toFixed(3));
  }
  return sums.sort().join(",");
}
"""


def in_own_loop(coroutine):  # noqa: ANN001, ANN201
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result(timeout=120)


def test_stepped_to_the_end_is_the_run_the_run_button_gives(small_run):  # noqa: ANN001
    stepped = SteppedRun(small_run.scenario, small_run.seed)
    assert stepped.step(5) == 5 and stepped.shown().week == 5
    assert stepped.step(10_000, stop=lambda: False) == small_run.scenario.population.weeks - 5
    shown = stepped.shown()
    assert shown.finished and stepped.step(1) == 0
    assert (shown.flows.to_numpy() == small_run.flows.to_numpy()).all()
    assert stepped.model.summary() == small_run.summary
    assert shown.readiness["low"].le(shown.readiness["mean"]).all() and shown.readiness["mean"].between(1, 5).all()
    last = small_run.flows.iloc[-1]
    assert shown.in_job == last["job"] and shown.waiting == last["waiting"]


def test_a_stepped_run_stops_at_its_deadline_so_the_page_can_draw():
    from bipsim.scenario import load_scenario

    stepped = SteppedRun(load_scenario("baseline").replace(population={"citizens": 20_000}), 0)
    began = time.monotonic()
    done = stepped.step(208, deadline=began + 0.2)
    assert 1 <= done < 208 and time.monotonic() - began < 1.5


def test_setup_steps_and_go_in_the_page_without_a_browser():
    page = Sandbox(lambda *args: None)
    live = page.live
    page.sidebar.controls.widgets["population", "citizens"].value = 300
    page.sidebar.controls.widgets["population", "weeks"].value = 40
    assert live.week_button.disabled  # nothing to step before Setup

    async def use():
        await live.setup()
        await live.advance(1)
        first = live.job.status.object
        await live.advance(13)
        quarter = live.counts["week"]
        await live.advance(None)
        return first, quarter

    first, quarter = in_own_loop(use())
    assert first == "Week 1 of 40." and quarter == 14
    assert live.counts["week"] == 40 and live.job.status.object.startswith("All 40 weeks stepped")
    assert live.go_button.disabled and not live.setup_button.disabled
    changes = live.counts["caseworker_changes"]
    live.language = "da"
    assert f"{changes:,}".replace(",", ".") in live.monitors["caseworker_changes"].object
    assert "Sagsbehandlerskift indtil nu" in live.monitors["caseworker_changes"].object
    live.language = "en"
    page.sidebar.controls.widgets["population", "citizens"].value = 200_000
    in_own_loop(live.setup())
    assert "more than this server runs" in live.job.error.object
    assert live.stepped.shown().week == 40  # refused before anything changed: the last run stays
    page.close()


def test_step_and_go_update_the_figures_live_and_pause_stops(server, page, artifacts):  # noqa: ANN001
    open_app(page, f"{server}/sandbox")
    open_tab(page, "Step by step")
    page.locator(".live-setup button").click()
    page.locator(".live-status", has_text="Set up: baseline, seed 0").wait_for(timeout=WAIT_MS)
    page.locator(".fig-live-flows canvas").first.wait_for(state="visible", timeout=WAIT_MS)
    before = page.evaluate(FIGURE_JS, ".fig-live-flows")
    page.locator(".live-week button").click()
    page.locator(".live-status", has_text="Week 1 of 208").wait_for(timeout=WAIT_MS)
    page.wait_for_function(f"() => ({FIGURE_JS})() !== {before!r}", timeout=WAIT_MS)
    page.locator(".live-quarter button").click()
    page.locator(".live-status", has_text="Week 14 of 208").wait_for(timeout=WAIT_MS)
    page.locator(".live-speed select").select_option(label="20 weeks a second")  # about ten seconds to the end
    page.locator(".live-go button").click()
    page.locator(".live-status", has_text="Week 2").wait_for(timeout=WAIT_MS)
    seen, weeks = [page.evaluate(FIGURE_JS)], []
    for _ in range(6):  # while Go runs, the figures change at every look, half a second apart
        page.wait_for_timeout(500)
        seen.append(page.evaluate(FIGURE_JS))
        weeks.append(text(page.locator(".live-status")))
    assert all(a != b for a, b in zip(seen, seen[1:], strict=False)), weeks
    page.screenshot(path=artifacts / "step-by-step.png")
    pause = page.locator(".live-pause button")
    pause.click()
    for _ in range(100):  # Go has stopped when Pause is disabled again; its last week is then on screen
        if pause.is_disabled():
            break
        page.wait_for_timeout(100)
    page.wait_for_timeout(500)
    paused = text(page.locator(".live-status"))
    page.wait_for_timeout(800)
    assert text(page.locator(".live-status")) == paused and "of 208" in paused
    page.locator(".live-speed select").select_option(label="as fast as possible")
    page.locator(".live-go button").click()
    page.locator(".live-status", has_text="All 208 weeks stepped").wait_for(timeout=WAIT_MS)
    assert app_errors(page) == []
