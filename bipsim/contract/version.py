"""The installed bipsim version, recorded in every bundle and results manifest."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    VERSION = version("bipsim")
except PackageNotFoundError:  # running from a source tree without installation
    VERSION = "0+unknown"
