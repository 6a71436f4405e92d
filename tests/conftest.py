"""Shared fixtures: cached simulated runs and twins (same seed, one switch flipped).

Runs are cached for the whole session because the model is deterministic given (scenario, seed); tests must
treat a cached model as read-only. Tests that change a model build their own.

No test depends on the machine's speed: property tests have no per-example deadline and no health check of
slow data generation (hypothesis's defaults fail them on a slow or busy machine), and limits on subprocesses
only guard against a hang. Performance is measured in ``benchmarks/``. Tests that take minutes on a 2-core
machine are marked ``slow``; ``pytest -m "not slow"`` leaves them out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

import bipsim
from bipsim.model import BipModel
from bipsim.scenario import load_scenario

CITIZENS = 1500
WEEKS = 104

settings.register_profile("bipsim", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("bipsim")


@dataclass
class Run:
    """A finished, read-only simulation with its truth tables computed once."""

    model: BipModel
    overrides: dict[str, Any] = field(default_factory=dict)

    @cached_property
    def truth(self):  # noqa: ANN201
        return self.model.truth()

    @cached_property
    def events(self):  # noqa: ANN201
        return self.truth.events

    def count(self, event: str) -> int:
        return int((self.events["event"] == event).sum())

    def statuses(self) -> set[str]:
        return set(self.truth.weekly["status"].unique())


def _freeze(value: Any) -> Any:
    if isinstance(value, dict):
        return tuple(sorted((k, _freeze(v)) for k, v in value.items()))
    if isinstance(value, list):
        return tuple(_freeze(v) for v in value)
    return value


_CACHE: dict[Any, Run] = {}


def simulate_cached(seed: int = 1, citizens: int = CITIZENS, weeks: int = WEEKS, **groups: Any) -> Run:
    """``bipsim.simulate`` with the result cached by its arguments."""
    key = (seed, citizens, weeks, _freeze(groups))
    if key not in _CACHE:
        _CACHE[key] = Run(bipsim.simulate(seed=seed, citizens=citizens, weeks=weeks, **groups), groups)
    return _CACHE[key]


@pytest.fixture(scope="session")
def run() -> Callable[..., Run]:
    """Cached simulation: ``run(seed, citizens=..., weeks=..., turnover={"enabled": False})``."""
    return simulate_cached


def build_model(seed: int = 1, citizens: int = 300, weeks: int = 20, steps: int = 0, **groups: Any) -> BipModel:
    """A fresh model (not cached, free to change) after ``steps`` weeks."""
    size = {"citizens": citizens, "weeks": max(weeks, steps + 1)}
    scenario = load_scenario(None).replace(population=size, **groups)
    model = BipModel(scenario, seed=seed)
    for _ in range(steps):
        model.step()
    return model


@pytest.fixture(scope="session")
def built() -> Callable[..., BipModel]:
    """Build a fresh model: ``built(seed, citizens=..., steps=..., meetings={"enabled": False})``."""
    return build_model


@pytest.fixture(scope="session")
def browser_context():  # noqa: ANN201
    """Headless Debian Chromium for every browser test of the session (the sandbox's and class mode's).

    One Playwright session serves them all: Playwright's sync API cannot start a second one while the first
    runs. Skipped with the reason when ``/usr/bin/chromium`` is absent (CI installs it with apt-get).
    """
    import tempfile

    from bipsim.app import browser

    if not browser.CHROMIUM.exists():
        pytest.skip(
            "Debian's chromium is not installed at /usr/bin/chromium (CI installs it: apt-get install chromium)"
        )
    with tempfile.TemporaryDirectory(prefix="bipsim-chromium-") as profile, browser.chromium(profile) as context:
        yield context


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Where browser tests leave screenshots for people to look at (``test-artifacts/``, not committed)."""
    folder = Path(__file__).resolve().parents[1] / "test-artifacts"
    folder.mkdir(exist_ok=True)
    return folder

