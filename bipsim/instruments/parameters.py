"""The instruments' parameter groups: survey design, rater error, non-response, register history, qualitative study.

They are declared in :mod:`bipsim.scenario` with every other parameter (one declaration); this module
names which groups the instruments read and hands out their values.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from bipsim.scenario import GROUPS, Group, Scenario

INSTRUMENT_GROUPS: dict[str, type[Group]] = {
    name: GROUPS[name]
    for name in (
        "survey",
        "citizen_rating",
        "caseworker_rating",
        "survey_response",
        "register_history",
        "qualitative_study",
    )
}


def instrument_parameters(scenario: Scenario | None = None) -> SimpleNamespace:
    """The instruments' parameter values of ``scenario`` (the declared defaults when ``None``)."""
    values = (scenario if scenario is not None else Scenario()).values()
    return SimpleNamespace(**{name: getattr(values, name) for name in INSTRUMENT_GROUPS})


def instrument_parameter_dict(scenario: Scenario | None = None) -> dict[str, dict[str, Any]]:
    """The instruments' parameter values as ``{group: {name: value}}``."""
    return {name: dict(vars(values)) for name, values in vars(instrument_parameters(scenario)).items()}
