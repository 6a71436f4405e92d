"""bipsim's speed against mesa's own Boltzmann wealth example, in one process.

Shared machines drift, so speed is a ratio to a reference measured in the same process (design.md §6):
mesa's ``BoltzmannWealth`` with 4,000 agents for 208 steps. bipsim runs at BIP scale: 4,000 citizens,
208 weeks, about 40 caseworkers per 1,000 citizens and 100 employers per 1,000 citizens.

Two bipsim figures are printed: the model alone, and the whole ``bipsim run --out`` path (model, truth
tables, the three instruments and the atomic bundle write).

Run: ``python benchmarks/run.py [--repeats N]``.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from mesa.examples.basic.boltzmann_wealth_model.model import BoltzmannWealth

from bipsim.model import BipModel
from bipsim.scenario import load_scenario

AGENTS, STEPS = 4000, 208
REQUIRED_RATIO = 0.25


def boltzmann(seed: int) -> None:
    model = BoltzmannWealth(n=AGENTS, width=10, height=10, seed=seed)
    for _ in range(STEPS):
        model.step()


def bipsim_bip_scale(seed: int) -> None:
    scenario = load_scenario("baseline").replace(population={"citizens": AGENTS, "weeks": STEPS})
    BipModel(scenario, seed=seed).run()


def bipsim_bundle(seed: int) -> None:
    scenario = load_scenario("baseline").replace(population={"citizens": AGENTS, "weeks": STEPS})
    with tempfile.TemporaryDirectory() as folder:
        BipModel(scenario, seed=seed).run().to_bundle(Path(folder) / "bundle")


def timed(task: Callable[[int], None], repeats: int) -> list[float]:
    """Wall times of ``repeats`` runs with different seeds, after one untimed warm-up."""
    task(10_000)
    times = []
    for seed in range(repeats):
        gc.collect()
        start = time.perf_counter()
        task(seed)
        times.append(time.perf_counter() - start)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="timed runs per task (default 5)")
    args = parser.parse_args()
    reference = statistics.median(timed(boltzmann, args.repeats))
    print(f"reference  mesa Boltzmann wealth example, {AGENTS:,} agents x {STEPS} steps: {reference:7.3f} s (median)")
    for label, task in (("model only", bipsim_bip_scale), ("model + instruments + bundle", bipsim_bundle)):
        seconds = statistics.median(timed(task, args.repeats))
        ratio = seconds / reference
        verdict = "ok" if ratio <= REQUIRED_RATIO else "TOO SLOW"
        print(
            f"bipsim     {label:<29} {AGENTS:,} citizens x {STEPS} weeks: {seconds:7.3f} s (median)"
            f"  ratio {ratio:.3f} (required <= {REQUIRED_RATIO}: {verdict})"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
