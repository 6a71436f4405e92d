"""The ``bipsim`` command line: one module per family of subcommands, parsed and dispatched by :mod:`.main`."""

from bipsim.cli.main import main

__all__ = ["main"]
