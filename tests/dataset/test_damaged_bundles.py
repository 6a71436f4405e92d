"""Damaged and edited bundles through ``describe`` and ``analyze``: a clear answer, never a traceback.

Each damage of :mod:`damage` is made to a copy of one small bundle. ``describe`` must exit 0, 1 (damaged)
or 2 (not a bundle) with no traceback; ``analyze`` must refuse what would change results (exit 2, one line
naming the problem), warn about what it tolerates, and never open a file under ``truth/`` (an audit hook
watches every file the process opens).
"""

from __future__ import annotations

import shutil
import sys
from collections import Counter
from pathlib import Path

import pytest
from damage import CATEGORIES, DAMAGES, Damage

import bipsim
from bipsim.cli import main

OPENED_UNDER_TRUTH: list[str] = []
_WATCHING: list[Path] = []


def _audit(event: str, args: tuple) -> None:
    if event == "open" and _WATCHING and isinstance(args[0], (str, Path)):
        path = Path(args[0])
        if any(path.is_relative_to(folder / "truth") for folder in _WATCHING):
            OPENED_UNDER_TRUTH.append(str(path))


sys.addaudithook(_audit)


@pytest.fixture(scope="module")
def good_bundle(tmp_path_factory):
    model = bipsim.simulate("baseline", seed=8, citizens=400, weeks=70)
    return bipsim.write_bundle(model, tmp_path_factory.mktemp("good") / "bundle")


def _damaged(good: Path, tmp_path: Path, damage: Damage) -> Path:
    copy = tmp_path / "bundle"
    shutil.copytree(good, copy, symlinks=True)
    damage.apply(copy)
    return copy


@pytest.mark.parametrize("damage", DAMAGES, ids=[d.name for d in DAMAGES])
def test_a_damaged_bundle_gets_a_clear_answer(damage, good_bundle, tmp_path, capsys):
    bundle = _damaged(good_bundle, tmp_path, damage)
    assert main(["describe", str(bundle)]) in (0, 1, 2)
    described = capsys.readouterr()
    assert "Traceback" not in described.err

    _WATCHING.append(bundle.resolve())
    OPENED_UNDER_TRUTH.clear()
    try:
        code = main(["analyze", str(bundle), "--out", str(tmp_path / "report"), "--no-html"])
    finally:
        _WATCHING.clear()
    out = capsys.readouterr()
    assert "Traceback" not in out.err
    assert OPENED_UNDER_TRUTH == []
    if damage.expect == "refused":
        assert code == 2
        errors = [line for line in out.err.splitlines() if line.startswith("bipsim: error:")]
        assert len(errors) == 1 and damage.says in errors[0], out.err
    elif damage.expect == "tolerated":
        assert code == 0
        assert damage.says in out.err and "bipsim: warning:" in out.err
    else:
        assert code == 0, out.err


def test_the_catalogue_covers_every_category_with_at_least_51_kinds():
    counts = Counter(d.category for d in DAMAGES)
    assert set(counts) == set(CATEGORIES)
    assert len(DAMAGES) >= 51
    assert len({d.name for d in DAMAGES}) == len(DAMAGES)


@pytest.mark.parametrize(("citizens", "weeks"), [(10, 1), (300, 12)])
def test_a_tiny_bundle_of_bipsim_s_own_is_analysed_with_its_report(citizens, weeks, tmp_path, capsys):
    bundle = tmp_path / "tiny"
    assert main(["run", "--citizens", str(citizens), "--weeks", str(weeks), "--out", str(bundle)]) == 0
    assert main(["analyze", str(bundle), "--out", str(tmp_path / "report")]) == 0
    assert "Traceback" not in capsys.readouterr().err
    assert (tmp_path / "report" / "report.html").stat().st_size > 10_000
