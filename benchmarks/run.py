"""bipsim's speed against mesa's own Boltzmann wealth example, in one process.

Shared machines drift, so speed is a ratio to a reference measured in the same process (design.md §6):
mesa's ``BoltzmannWealth`` with 4,000 agents for 208 steps. bipsim runs at BIP scale: 4,000 citizens,
208 weeks, about 40 caseworkers per 1,000 citizens and 100 employers per 1,000 citizens.

Three bipsim figures are printed: the model alone, the whole ``bipsim run --out`` path (model, truth
tables, the three instruments and the atomic bundle write), and that path at national scale (100,000
citizens for ten years) with its peak memory, measured in a fresh process so that nothing else counts.
The whole path is held to two bounds: the required one (0.25 of the reference) and the scaling target
(0.1), which ensembles and national runs are planned against.

Run: ``python benchmarks/run.py [--repeats N] [--no-national]``.
"""

from __future__ import annotations

import argparse
import gc
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from mesa.examples.basic.boltzmann_wealth_model.model import BoltzmannWealth

from bipsim.model import BipModel
from bipsim.scenario import load_scenario

AGENTS, STEPS = 4000, 208
REQUIRED_RATIO = 0.25
SCALING_TARGET_RATIO = 0.1  # the whole bundle path at BIP scale
NATIONAL_CITIZENS, NATIONAL_WEEKS = 100_000, 520
NATIONAL_RATIO, NATIONAL_MEMORY_GIB = 10.0, 4.0


def boltzmann(seed: int) -> None:
    model = BoltzmannWealth(n=AGENTS, width=10, height=10, seed=seed)
    for _ in range(STEPS):
        model.step()


def bipsim_bip_scale(seed: int) -> None:
    scenario = load_scenario("baseline").replace(population={"citizens": AGENTS, "weeks": STEPS})
    BipModel(scenario, seed=seed).run()


def bipsim_bundle(seed: int, citizens: int = AGENTS, weeks: int = STEPS) -> None:
    scenario = load_scenario("baseline").replace(population={"citizens": citizens, "weeks": weeks})
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


def national_child() -> None:
    """Run the national bundle path once (after a small warm-up) and print its time and peak memory as JSON."""
    bipsim_bundle(10_000, citizens=1000, weeks=52)
    start = time.perf_counter()
    bipsim_bundle(0, citizens=NATIONAL_CITIZENS, weeks=NATIONAL_WEEKS)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # kibibytes on Linux
    print(json.dumps({"seconds": seconds, "peak_bytes": peak}))


def national() -> dict[str, float]:
    """Time and peak memory (resident set) of the national bundle path, in a fresh Python process."""
    child = subprocess.run([sys.executable, __file__, "--national-child"], capture_output=True, text=True, check=True)
    return json.loads(child.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="timed runs per task (default 5)")
    parser.add_argument(
        "--no-national", dest="national", action="store_false", help="skip the national-scale run (about a minute)"
    )
    parser.add_argument("--national-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.national_child:
        national_child()
        return 0
    reference = statistics.median(timed(boltzmann, args.repeats))
    print(f"reference  mesa Boltzmann wealth example, {AGENTS:,} agents x {STEPS} steps: {reference:7.3f} s (median)")
    for label, task, target in (
        ("model only", bipsim_bip_scale, None),
        ("model + instruments + bundle", bipsim_bundle, SCALING_TARGET_RATIO),
    ):
        seconds = statistics.median(timed(task, args.repeats))
        ratio = seconds / reference
        verdict = "ok" if ratio <= REQUIRED_RATIO else "TOO SLOW"
        scaling = f"; scaling target <= {target}: {'ok' if ratio <= target else 'TOO SLOW'}" if target else ""
        print(
            f"bipsim     {label:<29} {AGENTS:,} citizens x {STEPS} weeks: {seconds:7.3f} s (median)"
            f"  ratio {ratio:.3f} (required <= {REQUIRED_RATIO}: {verdict}{scaling})"
        )
    if args.national:
        result = national()
        ratio, gib = result["seconds"] / reference, result["peak_bytes"] / 2**30
        print(
            f"bipsim     national: model + instruments + bundle {NATIONAL_CITIZENS:,} citizens x {NATIONAL_WEEKS}"
            f" weeks: {result['seconds']:7.1f} s  ratio {ratio:.1f} (required <= {NATIONAL_RATIO:g}:"
            f" {'ok' if ratio <= NATIONAL_RATIO else 'TOO SLOW'})  peak memory {gib:.2f} GiB"
            f" (required <= {NATIONAL_MEMORY_GIB:g}: {'ok' if gib <= NATIONAL_MEMORY_GIB else 'TOO MUCH'})"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
