"""Running a command with some folders read-only: by permissions, or for root (who writes anyway) by mounting."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

# For root, each folder is bind-mounted read-only onto itself in a mount namespace of the command's own.
MOUNT_READ_ONLY = 'while [ "$1" != -- ]; do mount --bind -o ro "$1" "$1" || exit 97; shift; done; shift; exec "$@"'


def _set_writable(folder: Path, writable: bool) -> None:
    for path in [folder, *folder.rglob("*")]:
        if path.is_symlink():
            continue
        if path.is_dir():
            path.chmod(0o755 if writable else 0o555)
        else:
            path.chmod(0o644 if writable else 0o444)


@pytest.fixture
def run_read_only() -> Callable[..., subprocess.CompletedProcess]:
    """``run_read_only(folders, command, env=..., timeout=..., cwd=...)``: run ``command``, ``folders`` read-only."""
    if os.name != "posix":
        pytest.skip("read-only folders are made with POSIX permissions or Linux mounts")
    as_root = os.geteuid() == 0
    if as_root:
        unshare = shutil.which("unshare")
        trial = [unshare, "-m", "sh", "-c", MOUNT_READ_ONLY, "sh", "/tmp", "--", "true"] if unshare else None
        if trial is None or subprocess.run(trial, capture_output=True).returncode != 0:
            pytest.skip("running as root without a way to mount a folder read-only")

    def run(
        folders: Sequence[Path],
        command: Sequence[str],
        env: dict[str, str] | None = None,
        timeout: float = 600,
        cwd: Path | None = None,
    ) -> subprocess.CompletedProcess:
        if as_root:
            wrapped = [unshare, "-m", "sh", "-c", MOUNT_READ_ONLY, "sh", *map(str, folders), "--", *command]
            result = subprocess.run(wrapped, capture_output=True, text=True, env=env, timeout=timeout, cwd=cwd)
            assert result.returncode != 97, f"could not mount read-only: {result.stderr}"
            return result
        for folder in folders:
            _set_writable(folder, False)
        try:
            return subprocess.run(list(command), capture_output=True, text=True, env=env, timeout=timeout, cwd=cwd)
        finally:
            for folder in folders:
                _set_writable(folder, True)

    return run
