"""What every ``bipsim`` subcommand shares: the usage error, exit codes, progress bars and sized scenarios."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from bipsim.scenario import Scenario, load_scenario

EXIT_USAGE = 2
EXIT_DAMAGED = 1


class UsageError(Exception):
    """A bad command-line request; the message is shown to the user as it is."""


def scenario_with_size(args: argparse.Namespace) -> Scenario:
    """The scenario named by ``args.scenario`` with ``--citizens`` and ``--weeks`` applied."""
    scenario = load_scenario(args.scenario)
    size = {k: v for k, v in (("citizens", args.citizens), ("weeks", args.weeks)) if v is not None}
    return scenario.replace(population=size) if size else scenario


def progress_bar(description: str, total: int, unit: str = "week") -> Callable[[int, int], None] | None:
    """Return a tqdm progress callback on an interactive terminal; ``None`` when output is redirected."""
    if not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    bar = tqdm(total=total, desc=description, unit=unit, leave=False)

    def update(done: int, total_: int) -> None:
        bar.update(done - bar.n)
        if done >= total_:
            bar.close()

    return update
