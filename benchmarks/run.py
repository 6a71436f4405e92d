"""bipsim's speed against mesa's own Boltzmann wealth example, in one process.

Shared machines drift, so speed is a ratio to a reference measured in the same process (design.md §6):
mesa's ``BoltzmannWealth`` with 4,000 agents for 208 steps. bipsim runs at BIP scale: 4,000 citizens,
208 weeks, about 40 caseworkers per 1,000 citizens and 100 employers per 1,000 citizens. The reference
and the BIP-scale tasks are timed in rounds (each once per round, medians over the rounds), so that a
machine slowing down for a while slows them alike.

Four bipsim figures are printed: the model alone; the model with all instruments (truth tables, survey,
register and interviews, in memory), held to 0.1 of the reference (issue 6); the whole ``bipsim run --out``
path (the same, plus the atomic bundle write), held to 0.25 (issue 3); and that path at national scale
(100,000 citizens for ten years) with its peak memory, held to 10 times the reference and 4 GiB. That run
has a fresh process to itself, so that its peak memory is bipsim's alone, and the reference is timed in
fresh processes right before and right after it.

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
from typing import Any

from mesa.examples.basic.boltzmann_wealth_model.model import BoltzmannWealth

from bipsim.instruments import observe, write_study
from bipsim.model import BipModel
from bipsim.scenario import load_scenario

AGENTS, STEPS = 4000, 208
INSTRUMENTS_RATIO = 0.1  # model and all instruments at BIP scale (issue 6)
BUNDLE_RATIO = 0.25  # the whole bundle path at BIP scale (issue 3)
NATIONAL_CITIZENS, NATIONAL_WEEKS = 100_000, 520
NATIONAL_RATIO, NATIONAL_MEMORY_GIB = 10.0, 4.0


def boltzmann(seed: int) -> None:
    model = BoltzmannWealth(n=AGENTS, width=10, height=10, seed=seed)
    for _ in range(STEPS):
        model.step()


def bipsim_bip_scale(seed: int) -> None:
    scenario = load_scenario("baseline").replace(population={"citizens": AGENTS, "weeks": STEPS})
    BipModel(scenario, seed=seed).run()


def bipsim_instruments(seed: int) -> None:
    scenario = load_scenario("baseline").replace(population={"citizens": AGENTS, "weeks": STEPS})
    observe(BipModel(scenario, seed=seed).run())


def bipsim_bundle(seed: int, citizens: int = AGENTS, weeks: int = STEPS) -> None:
    scenario = load_scenario("baseline").replace(population={"citizens": citizens, "weeks": weeks})
    with tempfile.TemporaryDirectory() as folder:
        write_study(BipModel(scenario, seed=seed).run(), Path(folder) / "bundle")


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


def interleaved(tasks: dict[str, Callable[[int], None]], repeats: int) -> dict[str, list[float]]:
    """Wall times of every task, in rounds that run each task once: a drifting machine slows them alike."""
    for task in tasks.values():
        task(10_000)  # untimed warm-up
    times: dict[str, list[float]] = {label: [] for label in tasks}
    for seed in range(repeats):
        for label, task in tasks.items():
            gc.collect()
            start = time.perf_counter()
            task(seed)
            times[label].append(time.perf_counter() - start)
    return times


def national_child() -> None:
    """Run the national bundle path once, after a small warm-up, and print its time and peak memory as JSON.

    Nothing else runs in this process, so the peak resident set is bipsim's own: mesa 3.3 does not free the
    reference's models after a run, and about 60 MB of each would otherwise count.
    """
    bipsim_bundle(10_000, citizens=1000, weeks=52)
    start = time.perf_counter()
    bipsim_bundle(0, citizens=NATIONAL_CITIZENS, weeks=NATIONAL_WEEKS)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # kibibytes on Linux
    print(json.dumps({"seconds": seconds, "peak_bytes": peak}))


def reference_child(repeats: int) -> None:
    """Time the reference ``repeats`` times and print the times as JSON."""
    print(json.dumps(timed(boltzmann, repeats)))


def in_child(*arguments: str) -> Any:
    """What this script prints as JSON when run with ``arguments`` in a fresh Python process."""
    child = subprocess.run([sys.executable, __file__, *arguments], capture_output=True, text=True, check=True)
    return json.loads(child.stdout.strip().splitlines()[-1])


def national(repeats: int) -> dict[str, Any]:
    """Time, peak memory (resident set) and reference of the national bundle path, each in a fresh process.

    The run takes half a minute, long enough for a shared machine's speed to drift, so the reference is timed
    right before and right after it, and the ratio uses the median of both sets.
    """
    before = in_child("--reference-child", "--repeats", str(repeats))
    result = in_child("--national-child")
    after = in_child("--reference-child", "--repeats", str(repeats))
    return result | {"reference": statistics.median(before + after), "before": before, "after": after}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7, help="timed rounds (default 7)")
    parser.add_argument(
        "--no-national", dest="national", action="store_false", help="skip the national-scale run (about a minute)"
    )
    parser.add_argument("--national-child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--reference-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.national_child:
        national_child()
        return 0
    if args.reference_child:
        reference_child(args.repeats)
        return 0
    tasks = {
        "model only": (bipsim_bip_scale, None),
        "model + all instruments": (bipsim_instruments, INSTRUMENTS_RATIO),
        "model + instruments + bundle": (bipsim_bundle, BUNDLE_RATIO),
    }
    times = interleaved({"reference": boltzmann} | {label: task for label, (task, _) in tasks.items()}, args.repeats)
    reference = statistics.median(times["reference"])
    print(f"reference  mesa Boltzmann wealth example, {AGENTS:,} agents x {STEPS} steps: {reference:7.3f} s (median)")
    for label, (_, bound) in tasks.items():
        seconds = statistics.median(times[label])
        ratio = seconds / reference
        verdict = "" if bound is None else f" (required <= {bound}: {'ok' if ratio <= bound else 'TOO SLOW'})"
        print(
            f"bipsim     {label:<29} {AGENTS:,} citizens x {STEPS} weeks: {seconds:7.3f} s (median)"
            f"  ratio {ratio:.3f}{verdict}"
        )
    if args.national:
        result = national(max(3, args.repeats // 2))
        ratio, gib = result["seconds"] / result["reference"], result["peak_bytes"] / 2**30
        speed = "ok" if ratio <= NATIONAL_RATIO else "TOO SLOW"
        memory = "ok" if gib <= NATIONAL_MEMORY_GIB else "TOO MUCH"
        print(
            f"bipsim     national: model + instruments + bundle {NATIONAL_CITIZENS:,} citizens x {NATIONAL_WEEKS}"
            f" weeks: {result['seconds']:7.1f} s  ratio {ratio:.1f} to the reference timed around it"
            f" ({result['reference']:.3f} s; required <= {NATIONAL_RATIO:g}: {speed})"
            f"  peak memory {gib:.2f} GiB (required <= {NATIONAL_MEMORY_GIB:g}: {memory})"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
