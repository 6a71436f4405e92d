"""Fixtures of the sandbox tests: a Panel server on a free local port and headless Debian Chromium.

Browser tests need ``/usr/bin/chromium`` (CI installs it with apt-get; ``playwright install`` is never
used) and are skipped with that reason when it is absent.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bipsim.app import browser


def failing_runner(scenario, seed, progress=None):  # noqa: ANN001, ANN201
    """A run that fails after a few weeks, as a broken model would."""
    for week in range(1, 4):
        if progress is not None:
            progress(week, scenario.population.weeks)
    raise RuntimeError("deliberate failure for the test")


@pytest.fixture(scope="session")
def small_run():  # noqa: ANN201
    """A finished run of 300 citizens over 60 weeks, reduced to the sandbox's tables."""
    from bipsim.app.data import run_scenario
    from bipsim.scenario import load_scenario

    return run_scenario(load_scenario("baseline").replace(population={"citizens": 300, "weeks": 60}), seed=1)


@pytest.fixture(scope="session")
def server() -> Iterator[str]:
    """The sandbox served in this process: ``/sandbox`` as users see it, ``/failing`` with a failing run."""
    from bipsim.app import create_app

    with browser.served({"sandbox": create_app, "failing": lambda: create_app(runner=failing_runner)}) as address:
        yield address


@pytest.fixture
def page(browser_context):  # noqa: ANN001, ANN201
    """A fresh tab (a fresh session of the app) that records console errors in ``page.errors``."""
    page = browser.record_errors(browser_context.new_page())
    yield page
    page.close()
