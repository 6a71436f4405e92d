"""The Stories tab shows each interview as a transcript with its codes named in the page's language, no keys."""

from __future__ import annotations

import re

import pytest

from bipsim.app.tabs.stories import Stories, codes_line, transcript_markdown
from bipsim.contract.themes import THEME_KEYS, THEMES


@pytest.mark.parametrize("language", ["en", "da"])
def test_every_citizens_interviews_show_codebook_labels_and_no_raw_keys(small_run, language):
    tab = Stories(result=small_run, shown=True)
    tab.language = language
    keys = [k for k in THEME_KEYS if "_" in k]  # keys that no label spells: caseworker_change, self_attribution...
    shown_codes = set()
    for citizen in list(small_run.stories)[:8]:
        tab.citizen.value = citizen
        text = tab.narratives.object
        assert not [k for k in keys if re.search(rf"\b{k}\b", text)], citizen
        assert "> **Interviewer:**" in text and ("**Borger:**" if language == "da" else "**Citizen:**") in text
        shown_codes |= {t.key for t in THEMES if getattr(t, language) in text}
    assert len(shown_codes) >= 5


def test_codes_are_grouped_by_kind_and_named_in_the_language():
    assert codes_line(["meeting", "recognition", "self_attribution"], "da") == (
        "Beskrivende koder: Samtaler · Fortolkende koder: Anerkendelse, Barrieren hos mig selv"
    )
    assert codes_line([], "en") == "-"
    assert transcript_markdown("Interviewer: How?\nCitizen: Fine.") == "> **Interviewer:** How?  \n> **Citizen:** Fine."
