"""Diagnostic: what model + all instruments at BIP scale would cost if the weekly random numbers were free.

Each mechanism's weekly generator is replaced by one that hands out cached arrays of the shapes asked for
(16 per shape, in turn) and no generator is seeded, so a week costs only its rules, bookkeeping and the
instruments. The numbers it produces are meaningless; only the time counts. The reference, the real run
and the free-random run are timed in interleaved rounds, as in ``run.py``. The difference between the
two bipsim ratios is what the random numbers cost; the free one is a floor no tuning of the draws can
get under.

Run: ``python benchmarks/random_floor.py [--repeats 7]``.
"""

from __future__ import annotations

import argparse
import itertools
import statistics
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
from run import boltzmann, interleaved

from bipsim.engine import kernels
from bipsim.engine.streams import RandomStreams
from bipsim.instruments import observe
from bipsim.mechanisms import labour_market, meetings
from bipsim.model import BipModel
from bipsim.scenario import load_scenario

AGENTS, STEPS = 4000, 208


class FreeDraws:
    """A stand-in for a week's generator: array draws come from a cache, scalar draws from a real generator."""

    cache: dict[tuple, Iterator[np.ndarray]] = {}

    def __init__(self) -> None:
        self.generator = np.random.default_rng(1)

    def _cached(self, kind: str, shape: Any, dtype: Any, draw: Callable[[], np.ndarray]) -> np.ndarray:
        key = (kind, shape if isinstance(shape, tuple) else (shape,), dtype)
        if key not in self.cache:
            self.cache[key] = itertools.cycle([draw() for _ in range(16)])
        return next(self.cache[key])

    def random(self, size: Any = None, dtype: Any = np.float64) -> Any:
        if size is None:
            return self.generator.random(dtype=dtype)
        return self._cached("uniform", size, dtype, lambda: self.generator.random(size, dtype=dtype))

    def standard_normal(self, size: Any = None) -> Any:
        if size is None:
            return self.generator.standard_normal()
        return self._cached("normal", size, np.float64, lambda: self.generator.standard_normal(size))

    def poisson(self, lam: Any) -> np.ndarray:
        return self._cached("poisson", np.shape(lam), np.int64, lambda: self.generator.poisson(lam))

    def __getattr__(self, name: str) -> Any:  # rare draws (integers, choice): a real generator
        return getattr(self.generator, name)


def free_standard_normal(rng: Any, shape: Any) -> np.ndarray:
    return rng.standard_normal(shape) if isinstance(rng, FreeDraws) else kernels.standard_normal(rng, shape)


def with_free_draws(task: Callable[[int], None]) -> Callable[[int], None]:
    """``task`` run with every weekly generator (weeks from 1 on) replaced by :class:`FreeDraws`."""
    real_streams = RandomStreams.__call__
    free = {}

    def streams(self: RandomStreams, stream: str, week: int = -1) -> Any:
        if week < 1:  # set-up and the first week draw for real, so the population is a real one
            return real_streams(self, stream, week)
        return free.setdefault(stream, FreeDraws())

    def run(seed: int) -> None:
        RandomStreams.__call__ = streams
        meetings.standard_normal = labour_market.standard_normal = free_standard_normal
        try:
            task(seed)
        finally:
            RandomStreams.__call__ = real_streams
            meetings.standard_normal = labour_market.standard_normal = kernels.standard_normal

    return run


def bipsim_instruments(seed: int) -> None:
    scenario = load_scenario("baseline").replace(population={"citizens": AGENTS, "weeks": STEPS})
    observe(BipModel(scenario, seed=seed).run())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7, help="timed rounds (default 7)")
    args = parser.parse_args()
    times = interleaved(
        {"reference": boltzmann, "real": bipsim_instruments, "free": with_free_draws(bipsim_instruments)},
        args.repeats,
    )
    reference = statistics.median(times["reference"])
    print(f"reference  mesa Boltzmann wealth example, {AGENTS:,} agents x {STEPS} steps: {reference:7.3f} s (median)")
    for label, name in (("real random numbers", "real"), ("free random numbers", "free")):
        seconds = statistics.median(times[name])
        ratio = seconds / reference
        print(f"bipsim     model + all instruments, {label:<20} {seconds:7.3f} s (median)  ratio {ratio:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
