"""bipsim: a simulation and teaching sandbox of Danish employment policy for vulnerable unemployed citizens.

``simulate`` runs a scenario and returns the model with its truth tables; see ``docs/`` and the README.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from bipsim.dataset import Bundle, BundleError, read_bundle, write_bundle
from bipsim.model import BipModel
from bipsim.model.streams import SeedLike
from bipsim.scenario import Scenario, ScenarioError, load_scenario

try:
    __version__ = version("bipsim")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0+unknown"


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


__all__ = [
    "BipModel",
    "Bundle",
    "BundleError",
    "Scenario",
    "ScenarioError",
    "__version__",
    "load_scenario",
    "read_bundle",
    "simulate",
    "write_bundle",
]
