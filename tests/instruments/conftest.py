from __future__ import annotations

from types import SimpleNamespace

import pytest

import bipsim
from bipsim.instruments import observe


@pytest.fixture(scope="session")
def observed_run() -> SimpleNamespace:
    """A small finished run with its truth and observed data (read-only)."""
    model = bipsim.simulate(seed=3, citizens=800, weeks=120)
    truth = model.truth()
    return SimpleNamespace(model=model, truth=truth, observed=observe(model, truth))
