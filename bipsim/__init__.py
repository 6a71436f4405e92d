"""bipsim: a simulation and teaching sandbox of Danish employment policy for vulnerable unemployed citizens.

``simulate`` runs a scenario and returns the model with its truth tables; see ``docs/`` and the README.

The top-level names are loaded when first used, so ``import bipsim`` (and ``import bipsim.analysis``, which
reads observed data only) does not load the simulator (mesa, numba).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from bipsim.contract.version import VERSION as __version__

if TYPE_CHECKING:
    from bipsim.dataset import Bundle, BundleError, read_bundle
    from bipsim.instruments import write_study as write_bundle
    from bipsim.model import BipModel
    from bipsim.model.simulate import simulate
    from bipsim.scenario import Scenario, ScenarioError, load_scenario

# name -> (module, attribute): where each top-level name lives
_LAZY = {
    "BipModel": ("bipsim.model", "BipModel"),
    "Bundle": ("bipsim.dataset", "Bundle"),
    "BundleError": ("bipsim.dataset", "BundleError"),
    "Scenario": ("bipsim.scenario", "Scenario"),
    "ScenarioError": ("bipsim.scenario", "ScenarioError"),
    "load_scenario": ("bipsim.scenario", "load_scenario"),
    "read_bundle": ("bipsim.dataset", "read_bundle"),
    "simulate": ("bipsim.model.simulate", "simulate"),
    "write_bundle": ("bipsim.instruments", "write_study"),
}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module 'bipsim' has no attribute {name!r}")
    module, attribute = _LAZY[name]
    value = getattr(importlib.import_module(module), attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_LAZY])


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
