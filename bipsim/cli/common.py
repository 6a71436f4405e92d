"""What every ``bipsim`` subcommand shares: the usage error, exit codes, argument checks, progress and sizes."""

from __future__ import annotations

import argparse
import sys
import tomllib
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

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
        raise UsageError(f"{option} {value}: {in_cli_words(exc)}") from None


def in_cli_words(error: Exception) -> str:
    """The message of a library ``error`` as the command line says it: options, not Python arguments.

    A bundle that is in the way says how to replace it from Python (``force=True``) as well; here only
    ``--force`` is meant.
    """
    from bipsim.dataset.bundle import BundleExistsError

    message = str(error)
    return message.replace(" (force=True)", "") if isinstance(error, BundleExistsError) else message


SET_HELP = (
    "change one parameter of the scenario(s), GROUP.NAME=VALUE with the value as in a scenario file "
    '(e.g. trust.enabled=false, rules.refusion_schedule="2016"); repeat for more'
)


def parameter_setting(text: str) -> tuple[str, Any]:
    """The argument of ``--set``: ``group.name=value``, the value read as TOML (``false``, ``0.5``) or else as text."""
    name, sep, value = text.partition("=")
    if not sep or "." not in name:
        raise argparse.ArgumentTypeError(f"{text!r}: expected GROUP.NAME=VALUE, e.g. trust.enabled=false")
    try:
        parsed = tomllib.loads(f"value = {value.strip()}")["value"]
    except tomllib.TOMLDecodeError:
        parsed = value.strip()
    return name.strip(), parsed


def sized_scenario(name: str | None, args: argparse.Namespace) -> Scenario:
    """The scenario ``name`` (a file or built-in name) with ``--set``, ``--citizens`` and ``--weeks`` applied."""
    scenario = load_scenario(name)
    for dotted, value in getattr(args, "set", None) or []:
        try:
            scenario = scenario.replace({dotted: value})
        except ScenarioError as exc:
            raise UsageError(f"--set {dotted}={value}: {str(exc).removeprefix('override: ')}") from None
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


def progress_bar(description: str, total: int, unit: str = "week", parallel: int = 1) -> Callable[[int, int], None]:
    """The progress callback of a long command: a bar on a terminal, plain periodic lines when redirected.

    See :mod:`bipsim.cli.progress`; ``parallel`` is how many units run at once (local workers).
    """
    from bipsim.cli.progress import progress

    return progress(description, total, unit, parallel)


@contextmanager
def library_warnings_counted() -> Iterator[list[warnings.WarningMessage]]:
    """Keep the warnings of the libraries bipsim uses (numpy, pandas, Dask ...) off the user's screen.

    bipsim raises no warnings of its own: what it has to say it says in its own lines. Warnings raised inside
    the block are collected in the list it yields; after it, one line says how many there were and how to see
    them. With ``-W`` or ``PYTHONWARNINGS`` the user asked for warnings, so they are shown as usual.
    """
    if sys.warnoptions:
        yield []
        return
    with warnings.catch_warnings(record=True) as caught:
        try:
            yield caught
        finally:
            if caught:
                sources = sorted({w.category.__name__ for w in caught})
                print(
                    f"bipsim: {len(caught)} warning(s) from the libraries bipsim uses ({', '.join(sources)}) not "
                    "shown; PYTHONWARNINGS=default shows them",
                    file=sys.stderr,
                )
