"""The recovery page shows, mechanism by mechanism, each estimand in words, its truth and each method's estimate
with its interval and reason, in English and Danish; it is read from the recorded study of ``docs/recovery.json``.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from bipsim.analysis.methods import FAILURES
from bipsim.contract.estimands import ESTIMAND_KINDS
from bipsim.reports.recovery import estimates_svg, mechanism_section, mechanisms, render_page
from bipsim.reports.recovery_words import (
    DANISH,
    estimand_sentence,
    mechanism_label,
    method_label,
    method_order,
    no_truth_reason,
    number,
    sees,
    words,
)

RECORD = Path(__file__).resolve().parents[2] / "docs" / "recovery.json"


@pytest.fixture(scope="module")
def performance() -> pd.DataFrame:
    """The baseline study of the recorded recovery study: a real performance table of 100 replications."""
    record = json.loads(RECORD.read_text(encoding="utf-8"))
    return pd.DataFrame(record["scenarios"]["baseline"]["rows"])


@pytest.fixture(scope="module")
def pages(performance) -> dict[str, str]:  # noqa: ANN001
    return {language: render_page(performance, language, study="recorded") for language in ("en", "da")}


def section(page: str, mechanism: str) -> str:
    """The HTML of one mechanism's section of the page."""
    match = re.search(rf'<section class="mechanism" id="mechanism-{mechanism}".*?</section>', page, re.S)
    assert match is not None, mechanism
    return match.group(0)


def blocks(part: str) -> dict[str, str]:
    """The estimand blocks of a section, by estimand kind."""
    return dict(re.findall(r'<div class="estimand" data-kind="([^"]+)">(.*?)</table></div></div>', part, re.S))


@pytest.mark.parametrize("language", ["en", "da"])
def test_every_mechanism_has_its_estimands_in_words_its_truths_and_a_reason_per_method(performance, pages, language):  # noqa: ANN001
    page = pages[language]
    assert f"<html lang='{language}'>" in page
    for mechanism in mechanisms(performance):
        part = section(page, mechanism)
        assert html.escape(mechanism_label(mechanism, language)) in part
        rows = performance[performance["estimand"] == mechanism]
        seen = rows[[sees(m, o, mechanism) for m, o in zip(rows["method"], rows["outcome"], strict=True)]]
        found = blocks(part)
        assert set(found) == set(seen["estimand_kind"]), mechanism
        for kind, block in found.items():
            assert html.escape(estimand_sentence(mechanism, kind, language)) in block
            targeting = seen[seen["estimand_kind"] == kind]
            truths = targeting.loc[targeting["with_truth"] > 0, "true_value"].dropna()
            if len(truths):
                assert f"<b>{number(truths.iloc[0], 3, language)}" in block
            else:
                assert html.escape(no_truth_reason(mechanism, kind, language)) in block
            table_rows = re.findall(r"<tr><td>.*?</tr>", block, re.S)
            assert len(table_rows) == len(targeting)
            declared = targeting.iloc[
                np.argsort([method_order(m, o) for m, o in targeting[["method", "outcome"]].values])
            ]
            for row, method in zip(table_rows, declared.itertuples(), strict=True):  # in the declared order
                assert html.escape(method_label(method.method, method.outcome, language)) in row
                assert words("fails", language) in row or words("all_hold", language) in row


def test_the_danish_page_has_danish_words_and_numbers(pages):  # noqa: ANN001
    danish, english = pages["da"], pages["en"]
    assert words("by_mechanism", "da") in danish and words("by_mechanism", "en") not in danish
    assert "Sandhed: <b>" in danish and "Truth: <b>" not in danish
    truths = re.findall(r"Sandhed: <b>(-?\d+[.,]\d+)</b>", danish)
    assert truths and all("," in t for t in truths)
    assert "Fails:" in english and "Svigter:" in danish


def test_not_estimable_rows_say_so_with_the_exposed_count(performance, pages):  # noqa: ANN001
    thin = performance[
        (performance["replications"] == 0)
        & np.array([sees(m, o, e) for e, m, o in performance[["estimand", "method", "outcome"]].values], bool)
    ]
    assert len(thin), "the recorded study has a method too thin to estimate somewhere"
    row = thin.iloc[0]
    expected = words("not_estimable", "en", exposed=number(row["exposed_median"], 0), events="")
    assert expected.split(",")[0] in section(pages["en"], row["estimand"])


def test_a_mechanism_no_method_sees_says_so(performance, pages):  # noqa: ANN001
    unseen = [
        m
        for m in mechanisms(performance)
        if not any(
            sees(k, o, m) for k, o in performance.loc[performance["estimand"] == m, ["method", "outcome"]].values
        )
    ]
    assert unseen, "the recorded study has a mechanism that no method of the study can see (the business cycle)"
    for language in ("en", "da"):
        assert words("no_method_sees", language) in section(pages[language], unseen[0])


def test_the_page_needs_no_network(pages):  # noqa: ANN001
    for page in pages.values():
        # no tag loads anything from elsewhere (bokeh's own code mentions a MathJax address it never uses here)
        assert not re.search(r"""<(script|link|img)[^>]*(src|href)=["']https?://""", page)
        assert "<svg" in page and "Bokeh" in page


def test_the_plot_draws_a_dot_per_estimate_and_the_truth_line(performance):  # noqa: ANN001
    rows = performance[
        (performance["estimand"] == "public_placement") & (performance["estimand_kind"] == "hazard_total")
    ]
    truth = float(rows["true_value"].iloc[0])
    svg = estimates_svg(rows, truth, float(rows["planted"].iloc[0]), "log_hazard_ratio", "en")
    assert svg.count("<circle") == rows["mean_estimate"].notna().sum()
    assert f"truth {number(truth)}" in svg and "planted" in svg
    # a risk difference has no planted line: the planted strength is a log hazard ratio
    assert "planted 0.500" not in estimates_svg(rows, truth, 0.5, "risk_difference", "en")
    assert "planted 0.500" in estimates_svg(rows, truth, 0.5, "log_hazard_ratio", "en")
    empty = rows.assign(mean_estimate=np.nan, interval_low=np.nan, interval_high=np.nan)
    assert "<circle" not in estimates_svg(empty, np.nan, np.nan, "share", "da")
    assert words("not_estimable_short", "da") in estimates_svg(empty, np.nan, np.nan, "share", "da")


def test_every_declared_explanation_has_its_danish():
    explanations = set(FAILURES.values()) | {k.no_truth for k in ESTIMAND_KINDS if k.no_truth}
    missing = sorted(explanations - set(DANISH))
    assert missing == [], f"add the Danish of these to bipsim/reports/recovery_words.py DANISH: {missing}"


def test_a_section_names_the_methods_that_cannot_see_the_exposure(performance):  # noqa: ANN001
    part = mechanism_section(performance, "caseworker_belief", "en")
    rows = performance[performance["estimand"] == "caseworker_belief"]
    blind = [
        (m, o) for m, o in zip(rows["method"], rows["outcome"], strict=True) if not sees(m, o, "caseworker_belief")
    ]
    assert blind, "some method cannot see the caseworker's belief"
    assert "Cannot see this exposure" in part
    for key, outcome in blind:
        assert html.escape(method_label(key, outcome)) in part


def test_recover_writes_the_page_in_danish_when_asked(tmp_path, capsys):  # noqa: ANN001
    from bipsim.cli import main

    out = tmp_path / "recovery"
    argv = ["recover", "--citizens", "300", "--weeks", "140", "--replications", "1", "--language", "da"]
    assert main([*argv, "--out", str(out)]) == 0
    capsys.readouterr()
    page = (out / "recovery.html").read_text(encoding="utf-8")
    performance = pd.read_csv(out / "performance.csv")
    assert "<html lang='da'>" in page and words("by_mechanism", "da") in page
    for mechanism in mechanisms(performance):
        assert html.escape(mechanism_label(mechanism, "da")) in section(page, mechanism)
