"""Every planted direction is checked on several seeds: a test taking ``seed`` runs once per seed in SEEDS."""

from __future__ import annotations

import pytest

SEEDS = (1, 2, 3)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "seed" in metafunc.fixturenames and not any(
        m.name == "parametrize" and "seed" in m.args[0] for m in metafunc.definition.iter_markers()
    ):
        metafunc.parametrize("seed", SEEDS)
