"""What every ``bipsim`` subcommand shares: the usage error, exit codes, argument checks, progress bars and sizes."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from bipsim.contract.files import output_problem
from bipsim.scenario import Scenario, ScenarioError, load_scenario

EXIT_USAGE = 2
EXIT_DAMAGED = 1
EXIT_FAILED = 1
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report a command stopped by Ctrl+C


class UsageError(Exception):
    """A bad command-line request; the message is shown to the user as it is."""


class Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line (no usage block) and exit with :data:`EXIT_USAGE`."""

    def error(self, message: str) -> None:  # type: ignore[override]
        """Print ``PROG: error: MESSAGE`` and a pointer to ``--help`` on one line, and exit with code 2."""
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def whole_number(text: str) -> int:
    """An argument that must be a whole number (checked by argparse, which names the argument)."""
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, not {text!r}") from None


def check_seed(seed: int) -> None:
    """Refuse a negative ``--seed``."""
    if seed < 0:
        raise UsageError(f"--seed must be a non-negative whole number, not {seed}")


def check_output(option: str, value: str, check_target: Callable[[Path, bool], None], force: bool) -> None:
    """Refuse an output location before any work: its parent must take files, and ``check_target`` must pass.

    ``check_target(target, force)`` is the writer's own check (free, or replaceable with ``--force``); its error
    is reported as a usage error naming ``option`` and ``value``.
    """
    target = Path(value).absolute()
    problem = output_problem(target)
    if problem is not None:
        raise UsageError(f"{option} {value}: {problem}; {option} must name a folder in a place you can write to")
    try:
        check_target(target, force)
    except Exception as exc:  # noqa: BLE001 - each writer has its own error class; all mean "not here"
        raise UsageError(f"{option} {value}: {exc}") from None


def sized_scenario(name: str | None, args: argparse.Namespace) -> Scenario:
    """The scenario ``name`` (a file or built-in name) with ``--citizens`` and ``--weeks`` applied."""
    scenario = load_scenario(name)
    for option, key in (("--citizens", "citizens"), ("--weeks", "weeks")):
        value = getattr(args, key, None)
        if value is None:
            continue
        try:
            scenario = scenario.replace(population={key: value})
        except ScenarioError as exc:
            raise UsageError(f"{option} {value}: {str(exc).removeprefix('override: ')}") from None
    return scenario


def scenario_with_size(args: argparse.Namespace) -> Scenario:
    """The scenario named by ``args.scenario`` with ``--citizens`` and ``--weeks`` applied."""
    return sized_scenario(args.scenario, args)


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
