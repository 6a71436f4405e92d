"""Danish all the way: after the switch no English the app declares is left on screen, figures included."""

from __future__ import annotations

import re
import time

from bipsim.app import i18n, views
from bipsim.app.browser import DEEP_TEXT_JS, WAIT_MS, app_errors, open_app, open_tab
from bipsim.app.sidebar import question
from bipsim.scenario import GROUPS, builtin_scenarios, label_of, parameter_names

# The words Bokeh draws on the canvases on screen (titles, axis labels, legend entries), which are not in the
# page's text: walked from the rendered views, so figures drawn before and since replaced do not count.
FIGURE_WORDS_JS = """
() => {
  const words = [];
  const seen = new Set();
  const walk = (view) => {
    if (!view || seen.has(view)) return;
    seen.add(view);
    const model = view.model;
    if (model && model.type === "Title" && model.text) words.push(model.text);
    if (model && model.axis_label) words.push(String(model.axis_label));
    if (model && model.type === "Legend") for (const item of model.items) words.push(String(item.label?.value ?? ""));
    for (const child of typeof view.children === "function" ? view.children() : []) walk(child);
  };
  const roots = Bokeh.index.roots ? Array.from(Bokeh.index.roots) : Object.values(Bokeh.index);
  roots.forEach(walk);
  return words.join("\\n");
}
"""


def english_phrases() -> list[str]:
    """Phrases of the app's declared English (its words, domain terms, outcomes, preset questions, parameter labels)
    that Danish never uses: the pieces between placeholders, long enough not to be a word both languages share."""
    english, danish = [], []
    for entry in (
        *i18n.WORDS.values(),
        *i18n.COMPARE_LABELS.values(),
        *(t for k in i18n._TERMS.values() for t in k.values()),
    ):
        if entry["en"] != entry.get("da"):
            english.append(entry["en"])
            danish.append(entry.get("da", ""))
    english += [question(p) for p in builtin_scenarios()]
    danish += list(i18n.QUESTIONS_DA.values())
    parameters = [GROUPS[g].param[n] for g in GROUPS for n in parameter_names(g)]
    english += [label_of(p, "en") for p in parameters]
    danish += [label_of(p, "da") for p in parameters]
    everything_danish = "\n".join(danish)
    pieces = {piece.strip(" .,:;()…") for text in english for piece in re.split(r"\{[^}]*\}|\*\*|`", text)}
    return sorted(p for p in pieces if len(p) >= 12 and " " in p and p not in everything_danish)


def test_every_preset_asks_its_question_in_danish_too():
    missing = [p for p in builtin_scenarios() if p not in i18n.QUESTIONS_DA]
    assert not missing, f"add the Danish question of {', '.join(missing)} to bipsim/app/i18n.py QUESTIONS_DA"


def test_every_group_of_settings_has_its_card_title_and_intro_in_both_languages():
    from bipsim.scenario import GROUPS

    missing = [g for g in GROUPS if not (i18n.has_word(f"group_{g}") and i18n.has_word(f"does_{g}"))]
    assert not missing, f"add group_ and does_ words for {', '.join(missing)} to bipsim/app/i18n.py"


def test_the_phrases_checked_are_many_and_not_danish():
    phrases = english_phrases()
    assert len(phrases) > 150
    assert "Where the citizens are, week by week" in phrases and "Hvor borgerne er, uge for uge" not in phrases
    assert "Chance a caseworker leaves" in phrases  # a parameter's label, as its mechanism card shows it


def test_after_the_switch_no_declared_english_is_left_on_any_tab(server, page, artifacts):  # noqa: ANN001
    open_app(page, f"{server}/sandbox")
    assert "Where the citizens are, week by week" in page.evaluate(FIGURE_WORDS_JS)
    switched = time.perf_counter()
    page.locator(".bk-btn", has_text="Dansk").click()
    page.wait_for_function(f"() => ({FIGURE_WORDS_JS})().includes('Hvor borgerne er, uge for uge')", timeout=WAIT_MS)
    assert time.perf_counter() - switched < 8  # the open tab's figures change language at once (about 4 s here)
    page.locator(".bk-tab", has_text="Om modellen").wait_for(timeout=WAIT_MS)
    phrases = english_phrases()
    page.locator(".group-turnover .card-header").first.click()  # a mechanism card, opened: its labels show
    page.locator(".sidebar", has_text="Sandsynlighed for omfordeling").first.wait_for(timeout=WAIT_MS)
    titles = page.locator(".bk-tab").all_inner_texts()
    assert len(titles) >= 9 and "Fortællinger" in titles and "Følg en borger" in titles
    left: dict[str, list[str]] = {}
    for title in titles:
        open_tab(page, title)
        page.wait_for_timeout(1500)  # the tab draws its figures in the new language
        if title == "Trin for trin":
            page.locator(".live-setup button").click()
            page.locator(".live-status", has_text="Opsat").wait_for(timeout=WAIT_MS)
            page.locator(".live-week button").click()
            page.locator(".live-status", has_text="Uge 1 af").wait_for(timeout=WAIT_MS)
        if title == "Følg en borger":  # the whole run is computed the first time a citizen is followed
            page.locator(".fig-follow canvas").first.wait_for(state="visible", timeout=WAIT_MS)
        if title == "Fortællinger":
            page.locator(".fig-story canvas").first.wait_for(state="visible", timeout=WAIT_MS)
        shown = page.locator("body").evaluate(DEEP_TEXT_JS) + "\n" + page.evaluate(FIGURE_WORDS_JS)
        found = [p for p in phrases if p in shown]
        if found:
            left[title] = found
        page.screenshot(path=artifacts / f"danish-{len(left)}-{title.replace(' ', '-')}.png")
    assert not left, f"English left on screen after the switch to Danish: {left}"
    # the figures' axes format their ticks with the browser's Danish (bipsim.app.views.DANISH_TICK_JS)
    assert page.evaluate(f"() => {{ const tick = 4000.25; {views.DANISH_TICK_JS} }}") == "4.000,25"
    assert app_errors(page) == []
