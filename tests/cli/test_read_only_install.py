"""bipsim runs from a read-only install with an unwritable home: the listing commands never load the compiled
loops, a run compiles them in memory (and says so), and with a writable user cache they are cached there."""

from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path

import pytest

import bipsim
from bipsim.engine.kernels import cache_folder

PACKAGE = Path(bipsim.__file__).parent


@pytest.fixture
def install(tmp_path):
    """A copy of the package (and the built-in scenarios) without compiled files, and an empty home."""
    site = tmp_path / "site"
    shutil.copytree(PACKAGE, site / "bipsim", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(PACKAGE.parent / "scenarios", site / "scenarios")
    home = tmp_path / "home"
    home.mkdir()
    return site, home


@pytest.fixture
def run_installed(run_read_only, install):
    """Run a command with the copy and the home read-only, from a folder that holds no other bipsim."""
    site, home = install

    def run(command, **env):
        return run_read_only([site, home], command, env=environment(site, home, **env), cwd=home)

    return run


def environment(site: Path, home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("XDG_CACHE_HOME", "NUMBA_CACHE_DIR", "PYTHONPATH")}
    return {**env, "PYTHONPATH": str(site), "HOME": str(home), "PYTHONDONTWRITEBYTECODE": "1", **extra}


def test_the_copy_is_what_runs(install, run_installed):
    site, _ = install
    result = run_installed([sys.executable, "-c", "import bipsim; print(bipsim.__file__)"])
    assert result.stdout.strip() == str(site / "bipsim" / "__init__.py")


@pytest.mark.parametrize("argv", [["--help"], ["params", "turnover"], ["scenarios"]], ids=" ".join)
def test_listing_commands_never_load_the_compiled_loops(run_installed, argv):
    result = run_installed([sys.executable, "-X", "importtime", "-m", "bipsim", *argv])
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    imported = [
        line.rpartition("|")[2].strip() for line in result.stderr.splitlines() if line.startswith("import time")
    ]
    assert "bipsim.cli.main" in imported
    assert not [name for name in imported if re.fullmatch(r"numba(\..*)?|bipsim\.(engine|model|mechanisms).*", name)]
    assert result.stdout.strip()


@pytest.mark.slow
def test_a_run_compiles_the_loops_in_memory_when_nothing_takes_files(run_installed):
    result = run_installed([sys.executable, "-m", "bipsim", "run", "--citizens", "60", "--weeks", "6"])
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "60 citizens, 6 weeks" in result.stdout and "share ever in job" in result.stdout
    note, *rest = result.stderr.strip().splitlines()
    assert "compiling the weekly loops in memory" in note and "NUMBA_CACHE_DIR" in note
    loops = [line for line in rest if line.startswith("bipsim: compiling")]
    assert loops and all(line.startswith(f"bipsim: compiling loop {i} of up to ") for i, line in enumerate(loops, 1))


def test_the_loops_are_cached_in_the_user_cache_when_the_package_is_read_only(run_installed, tmp_path):
    cache = tmp_path / "xdg-cache"
    compile_one = (
        "import numpy as np; from bipsim.engine import kernels; print(kernels.CACHE_FOLDER); "
        "kernels.pick_employers(np.array([0]), bounds=np.array([0, 1]), weights=np.array([1.0]), "
        "jobcentres=np.array([0]), draws=np.array([0.5]))"
    )
    result = run_installed([sys.executable, "-c", compile_one], XDG_CACHE_HOME=str(cache))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(cache / "bipsim" / "numba")
    assert list((cache / "bipsim" / "numba").rglob("*.nbi")), "nothing was cached"


def test_cache_folder_takes_the_first_that_takes_files(tmp_path):
    unwritable = Path("/proc/sys")  # not even root can create files there
    if not unwritable.is_dir():
        pytest.skip("needs Linux's /proc")
    assert cache_folder(unwritable, None, None) is None
    assert cache_folder(unwritable, tmp_path / "user", None) == tmp_path / "user"
    assert cache_folder(unwritable, tmp_path / "user", str(tmp_path / "given")) == tmp_path / "given"
    assert cache_folder(tmp_path / "src", tmp_path / "user", str(unwritable / "x")) == tmp_path / "src" / "__pycache__"
