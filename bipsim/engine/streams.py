"""Random streams: every draw flows from one seed, separately per mechanism and week.

Each (stream, week) pair gets its own generator spawned from the run's ``SeedSequence``, and mechanisms
draw fixed-size, citizen-indexed arrays. Switching one mechanism off therefore never shifts the random
numbers another mechanism sees: twins run with common random numbers, and their difference is the effect.

Instruments draw from streams of their own, derived from the same seed: a model stream's spawn key is
``(*root, stream_index, week + 1)`` with a small ``stream_index``; an instrument's is
``(*root, INSTRUMENT_KEY_BASE + instrument_index, purpose_index)``, whose first element never collides with a
model stream, so observing a run never changes it and the same seed always gives the same observed data.
"""

from __future__ import annotations

import numpy as np

STREAMS: tuple[str, ...] = (
    "population",
    "network",
    "caseworkers",
    "employers",
    "readiness",
    "meetings",
    "turnover",
    "rules",
    "interventions",
    "waiting",
    "labour_market",
    "exits",
    "mesa",  # no longer drawn from (the model leaves mesa's generators unseeded); kept so no index moves
    "trust",
)

INSTRUMENT_KEY_BASE = 1000
INSTRUMENTS: tuple[str, ...] = ("survey", "register", "interviews")

SeedLike = int | np.random.SeedSequence


def as_seed_sequence(seed: SeedLike) -> np.random.SeedSequence:
    """The seed as a ``SeedSequence``; integers must be non-negative."""
    if isinstance(seed, np.random.SeedSequence):
        return seed
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, not {seed!r}")
    return np.random.SeedSequence(int(seed))


class RandomStreams:
    """Independent generators for each named stream and week, all derived from one seed."""

    def __init__(self, seed: SeedLike) -> None:
        self.seed_sequence = as_seed_sequence(seed)

    def __call__(self, stream: str, week: int = -1) -> np.random.Generator:
        """The generator for ``stream`` in ``week`` (``-1``: set-up before the first week)."""
        key = (*self.seed_sequence.spawn_key, STREAMS.index(stream), week + 1)
        child = np.random.SeedSequence(self.seed_sequence.entropy, spawn_key=key)
        return np.random.Generator(np.random.PCG64(child))


def instrument_rng(root: np.random.SeedSequence, instrument: str, purpose: int = 0) -> np.random.Generator:
    """Return the generator for ``instrument`` (one of :data:`INSTRUMENTS`) and a numbered ``purpose`` within it."""
    key = (*root.spawn_key, INSTRUMENT_KEY_BASE + INSTRUMENTS.index(instrument), purpose)
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(root.entropy, spawn_key=key)))


def stream_keys() -> dict[str, list[int]]:
    """Return the spawn-key suffix of each instrument, for the manifest."""
    return {name: [INSTRUMENT_KEY_BASE + i] for i, name in enumerate(INSTRUMENTS)}
