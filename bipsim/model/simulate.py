"""Run a whole scenario in one call: the top-level ``bipsim.simulate``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from bipsim.engine.streams import SeedLike
from bipsim.model.model import BipModel
from bipsim.scenario import Scenario, ScenarioError, load_scenario


def simulate(
    scenario: Scenario | str | Path | None = None,
    seed: SeedLike = 0,
    progress: Callable[[int, int], None] | None = None,
    **overrides: Any,
) -> BipModel:
    """Run a whole scenario and return the finished model (read ``model.truth()``, ``model.summary()``).

    ``scenario`` is a :class:`Scenario`, a built-in name (``"baseline"``), a TOML path, or ``None`` for the
    baseline. ``overrides`` change parameters: ``citizens=500`` and ``weeks=52`` are shortcuts for the
    population group, ``turnover={"enabled": False}`` sets parameters of a group, and
    ``turnover__quit_probability=0.01`` sets one parameter.
    """
    resolved = load_scenario(scenario)
    groups: dict[str, dict[str, Any]] = {}
    for key, value in overrides.items():
        if key in ("citizens", "weeks"):
            groups.setdefault("population", {})[key] = value
        elif "__" in key:
            group, name = key.split("__", 1)
            groups.setdefault(group, {})[name] = value
        elif isinstance(value, dict):
            groups.setdefault(key, {}).update(value)
        else:
            raise ScenarioError(
                f"override {key}={value!r}: write group={{...}}, group__parameter=value, citizens= or weeks="
            )
    if groups:
        resolved = resolved.replace(**groups)
    return BipModel(resolved, seed=seed).run(progress)
