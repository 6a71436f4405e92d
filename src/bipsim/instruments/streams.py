"""Random numbers of the instruments, derived from the model's seed but apart from its streams.

The model spawns one generator per (mechanism, week) with spawn key ``(*root, stream_index, week + 1)``
where ``stream_index`` is small (see :mod:`bipsim.model.streams`). Instruments use
``(*root, INSTRUMENT_KEY_BASE + instrument_index, purpose_index)``: the first element never collides with a
model stream, so observing a run never changes it and the same seed always gives the same observed data.
"""

from __future__ import annotations

import numpy as np

INSTRUMENT_KEY_BASE = 1000
INSTRUMENTS: tuple[str, ...] = ("survey", "register", "interviews")


def instrument_rng(root: np.random.SeedSequence, instrument: str, purpose: int = 0) -> np.random.Generator:
    """Return the generator for ``instrument`` (one of :data:`INSTRUMENTS`) and a numbered ``purpose`` within it."""
    key = (*root.spawn_key, INSTRUMENT_KEY_BASE + INSTRUMENTS.index(instrument), purpose)
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(root.entropy, spawn_key=key)))


def stream_keys() -> dict[str, list[int]]:
    """Return the spawn-key suffix of each instrument, for the manifest."""
    return {name: [INSTRUMENT_KEY_BASE + i] for i, name in enumerate(INSTRUMENTS)}
