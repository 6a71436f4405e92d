"""bipsim follow: one citizen's register spells, caseworker changes, survey answers and interviews from a bundle."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

import bipsim
from bipsim.cli import main
from bipsim.contract.codes import BENEFIT_CODES
from bipsim.contract.vocabulary import INDICATORS
from bipsim.reports.follow import citizen_answers, spells


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("follow") / "bundle"
    return bipsim.write_bundle(bipsim.simulate("high_turnover", seed=4, citizens=120, weeks=60), folder)


@pytest.fixture(scope="module")
def followed(bundle) -> int:
    """An interviewed citizen with a caseworker change and more than one register code, if there is one."""
    data = bipsim.read_bundle(bundle)
    register = data.register_weeks
    interviewed = set(data.interviews["citizen_id"])

    def richness(citizen: int) -> tuple[bool, int, int]:
        mine = register[register["citizen_id"] == citizen]
        caseworkers = mine["caseworker_id"].dropna().nunique()
        return citizen in interviewed, int(caseworkers > 1), mine["benefit_code"].astype(str).nunique()

    return max(sorted(set(register["citizen_id"])), key=richness)


def _register(bundle: Path, citizen: int):
    register = bipsim.read_bundle(bundle).register_weeks
    return register[register["citizen_id"] == citizen].sort_values("week")


def test_follow_prints_the_register_spells_and_caseworker_changes(bundle, followed, capsys):
    assert main(["follow", str(bundle), str(followed)]) == 0
    out = capsys.readouterr().out
    mine = _register(bundle, followed)
    labels = {b.key: b.en for b in BENEFIT_CODES}
    codes = mine["benefit_code"].astype(str).to_numpy()
    runs = [(a, b - 1, code) for a, b, code in spells(codes)]
    assert len(runs) >= 1
    for first, last, code in runs:
        when = f"weeks {first}-{last}" if last > first else f"week {first}"
        assert re.search(rf"^  {re.escape(when)} +{re.escape(labels[code])}$", out, re.M), (when, code)
    caseworkers = mine["caseworker_id"].dropna().astype(int).to_numpy()
    weeks = mine.loc[mine["caseworker_id"].notna(), "week"].to_numpy()
    changes = np.flatnonzero(caseworkers[1:] != caseworkers[:-1]) + 1
    assert len(changes) >= 1  # the fixture picks a citizen who changed caseworker
    for k in changes:
        assert re.search(rf"^  week {weeks[k]} +caseworker change {caseworkers[k - 1]}→{caseworkers[k]}$", out, re.M)
    assert f"week {weeks[0]}" in out and f"caseworker {caseworkers[0]}" in out


def test_follow_shows_the_survey_answers_and_interviews(bundle, followed, capsys):
    assert main(["follow", str(bundle), str(followed)]) == 0
    out = capsys.readouterr().out
    data = bipsim.read_bundle(bundle)
    answers = data.survey[data.survey["citizen_id"] == followed]
    for indicator in INDICATORS:
        if indicator.key in set(answers["indicator"].astype(str)):
            assert indicator.en in out
    interviews = data.interviews[data.interviews["citizen_id"] == followed]
    for row in interviews.itertuples():
        assert f"wave {row.wave}, week {row.week}:" in out
        said = citizen_answers(str(row.text_en))
        assert said[:40] in out.replace("\n     ", " ")  # what the citizen said, not the interviewer's question
        assert "Interviewer:" not in said


def test_follow_in_danish_and_with_the_truth(bundle, followed, capsys):
    assert main(["follow", str(bundle), str(followed), "--language", "da", "--truth"]) == 0
    out = capsys.readouterr().out
    mine = _register(bundle, followed)
    first = str(mine["benefit_code"].iloc[0])
    assert next(b.da for b in BENEFIT_CODES if b.key == first) in out
    assert "skjult parathed" in out and "* status:" in out
    latent = bipsim.read_bundle(bundle).truth.latent
    weeks = latent.loc[latent["citizen_id"] == followed, "week"]
    assert re.search(r"^    uge +" + r" +".join(str(w) for w in weeks) + "$", out, re.M)


def test_an_unknown_citizen_is_a_usage_error_naming_the_allowed_ids(bundle, capsys):
    assert main(["follow", str(bundle), "100000"]) == 2
    out, err = capsys.readouterr()
    citizens = bipsim.read_bundle(bundle).register_weeks["citizen_id"]
    assert f"citizen 100000 is not in {bundle}" in err
    assert f"ids run from {citizens.min()} to {citizens.max()}" in err
    assert "interviewed citizens include" in err
    assert "Traceback" not in err and out == ""


def test_not_a_bundle_and_not_a_number_are_usage_errors(tmp_path, capsys):
    assert main(["follow", str(tmp_path), "1"]) == 2
    assert "Traceback" not in capsys.readouterr().err
    with pytest.raises(SystemExit) as stop:
        main(["follow", str(tmp_path), "one"])
    assert stop.value.code == 2
    assert "expected a whole number" in capsys.readouterr().err


def test_follow_draws_the_timeline_as_a_page_and_a_png(bundle, followed, tmp_path, capsys):
    out = tmp_path / "life.html"
    assert main(["follow", str(bundle), str(followed), "--out", str(out)]) == 0
    assert f"figures {out} and {out.with_suffix('.png')}" in capsys.readouterr().out
    png = out.with_suffix(".png").read_bytes()
    assert png.startswith(b"\x89PNG") and len(png) > 20_000
    page = out.read_text(encoding="utf-8")
    assert not re.search(r"<script[^>]*\ssrc\s*=", page)
    assert f"Citizen {followed}" in page and "caseworker" in page
    assert sorted(p.name for p in tmp_path.iterdir()) == ["life.html", "life.png"]  # no temporary files left
    assert main(["follow", str(bundle), str(followed), "--out", str(out)]) == 2
    assert "--force" in capsys.readouterr().err
    assert main(["follow", str(bundle), str(followed), "--out", str(tmp_path / "life.txt")]) == 2
    assert ".html" in capsys.readouterr().err
