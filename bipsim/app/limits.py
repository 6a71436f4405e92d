"""What one run of a shared sandbox server may cost: at most :func:`max_size` citizen-weeks (citizens × weeks).

A class shares one server, so one student's 200,000-citizen run would slow every other student's page. The
teacher sets the limit with ``bipsim app --max-size`` (:func:`set_max_size`); every run the page starts (Run,
Compare, Recover, Setup of the step-by-step tab) is checked by :func:`too_big` first, and refused with a message
that says the size, the limit and how to change it.
"""

from __future__ import annotations

from typing import Any

from bipsim.scenario import Scenario

DEFAULT_MAX_SIZE = 10_000 * 208
"""Citizen-weeks one run may have unless the teacher says otherwise: 10,000 citizens over four years, about
2.5 times the BIP cohort, which takes a few seconds and a few hundred MB on a laptop."""
EXAMPLE_WEEKS = 208  # the limit is also said as citizens over four years, the study's length

_max_size = DEFAULT_MAX_SIZE


def set_max_size(size: int) -> None:
    """Set the largest run (in citizen-weeks) this server runs; ``bipsim app --max-size`` calls it."""
    global _max_size
    if size < 1:
        raise ValueError(f"the largest run must be at least 1 citizen-week, not {size}")
    _max_size = int(size)


def max_size() -> int:
    """The largest run (in citizen-weeks) this server runs."""
    return _max_size


def size_of(citizens: int, weeks: int) -> int:
    """A run's size in citizen-weeks."""
    return int(citizens) * int(weeks)


def too_big(citizens: int, weeks: int) -> dict[str, Any] | None:
    """None when a run of ``citizens`` over ``weeks`` is allowed, else the values of the app's word ``too_big``."""
    size, limit = size_of(citizens, weeks), max_size()
    if size <= limit:
        return None
    return {
        "citizens": int(citizens),
        "weeks": int(weeks),
        "size": size,
        "limit": limit,
        "example": limit // EXAMPLE_WEEKS,
    }


def scenario_too_big(scenario: Scenario) -> dict[str, Any] | None:
    """:func:`too_big` for a scenario's population."""
    return too_big(scenario.population.citizens, scenario.population.weeks)
