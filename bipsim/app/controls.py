"""Widgets generated from the one scenario declaration (:data:`bipsim.scenario.GROUPS`).

Every parameter becomes one widget whose label is the declared label (English or Danish), whose tooltip is the
declared doc in the page's language with its unit and allowed range, and whose value is read back into a
:class:`~bipsim.scenario.Scenario` with :meth:`Controls.scenario`. Numbers are spinners whose arrows step by
about a tenth of the default. The browser does not clamp what is typed (it would change a typed 0 or 3000000
without a word): :meth:`Controls.problems` names every value outside the declared bounds, and the sidebar
shows them and waits with the run until they are allowed.
"""

from __future__ import annotations

import math
from typing import Any

import panel as pn
import param

from bipsim.app.i18n import has_word, number, word
from bipsim.scenario import (
    GROUPS,
    Scenario,
    doc_of,
    label_of,
    load_scenario,
    option_label,
    parameter_names,
    unit_of,
)

SIZE = ("citizens", "weeks")  # population parameters shown at the top of the sidebar
WRAPPED = "label { white-space: normal; }"  # a long label (Danish ones are) wraps instead of leaving the card


def _step(p: param.Number) -> float:
    """A step for the spinner arrows: about a tenth of the default, or a hundredth of the range."""
    lo, hi = p.bounds
    base = abs(p.default) / 10 if p.default else (hi - lo) / 100
    step = 10 ** math.floor(math.log10(base)) if base > 0 else 1
    return max(1, int(step)) if isinstance(p, param.Integer) else step


def _label(name: str) -> str:
    return name.replace("_", " ")


def label(p: param.Parameter, language: str) -> str:
    """The widget label of parameter ``p`` in ``language``: its declared label, with its unit where that adds."""
    text, unit = label_of(p, language), unit_of(p, language)
    shown_unit = unit and unit.lower() not in text.lower() and not isinstance(p, param.Boolean)
    return f"{text} ({unit})" if shown_unit else text


def allowed(p: param.Parameter, language: str) -> str:
    """What parameter ``p`` accepts, in words of ``language`` (numbers written as the language writes them)."""
    unit = unit_of(p, language)
    unit_text = f" ({unit})" if unit else ""
    if isinstance(p, param.Boolean):
        return word("allowed_switch", language)
    if isinstance(p, param.Selector | param.ListSelector):
        names = ", ".join(option_label(p, o, language) for o in p.objects)
        return word("allowed_list" if isinstance(p, param.ListSelector) else "allowed_one_of", language, names=names)
    low, high = p.bounds
    key = "allowed_whole" if isinstance(p, param.Integer) else "allowed_number"
    return word(key, language, low=low, high=high) + unit_text


def tooltip(p: param.Parameter, language: str = "en") -> str:
    """The tooltip of parameter ``p`` in ``language``: its declared doc and what it allows."""
    return f"{doc_of(p, language)} {word('allowed_is', language, what=allowed(p, language))}"


def options(p: param.Parameter, language: str) -> dict[str, Any]:
    """A choice widget's options for parameter ``p``: each option's name in ``language``, mapped to its value."""
    return {option_label(p, o, language): o for o in p.objects}


def with_tooltip(widget: pn.widgets.Widget, text: str) -> pn.viewable.Viewable:
    """``widget`` with ``text`` as its tooltip: its own ``description`` where it has one, else a ? icon."""
    if "description" in widget.param:
        widget.description = text
        return widget
    return pn.Row(widget, pn.widgets.TooltipIcon(value=text, margin=(18, 0, 0, 0)), sizing_mode="stretch_width")


def set_tooltip(row: pn.viewable.Viewable, text: str) -> None:
    """Change the tooltip :func:`with_tooltip` gave."""
    if isinstance(row, pn.Row):
        row.objects[-1].value = text
    else:
        row.description = text


def widget_for(p: param.Parameter, language: str = "en") -> pn.widgets.Widget:
    """A widget for parameter ``p``, labelled in ``language``; the caller checks numbers against the declaration."""
    common: dict[str, Any] = {"label": label(p, language), "sizing_mode": "stretch_width", "stylesheets": [WRAPPED]}
    if isinstance(p, param.Boolean):
        return pn.widgets.Checkbox(value=p.default, **common)
    if isinstance(p, param.ListSelector):
        return pn.widgets.MultiChoice(options=options(p, language), value=list(p.default), **common)
    if isinstance(p, param.Selector):
        return pn.widgets.Select(options=options(p, language), value=p.default, **common)
    if isinstance(p, param.Integer):
        return pn.widgets.IntInput(value=p.default, step=_step(p), **common)
    return pn.widgets.FloatInput(value=p.default, step=_step(p), **common)


def number_problem(label: str, value: Any, bounds: tuple[Any, Any], language: str) -> str | None:
    """The message for a typed number outside ``bounds`` (or no number at all), or None when it is allowed."""
    low, high = bounds
    if value is not None and (low is None or value >= low) and (high is None or value <= high):
        return None
    allowed = (
        word("allowed_range", language, low=low, high=high) if value is not None else word("allowed_empty", language)
    )
    shown = "-" if value is None else number(value, language, "," if isinstance(value, int) else "g")
    return word("bad_value", language, setting=label, value=shown, allowed=allowed)


def group_intro(group: str, language: str) -> str:
    """What a group of parameters is about: its declaration's docstring, or the app's Danish words for it."""
    if language == "en" or not has_word(f"does_{group}"):
        return (GROUPS[group].__doc__ or "").strip()
    return word(f"does_{group}", language)


def group_title(group: str, language: str) -> str:
    """A group's card title in ``language`` (its name in words where the app has none for it yet)."""
    return word(f"group_{group}", language) if has_word(f"group_{group}") else _label(group)


class Controls:
    """Every scenario widget, keyed by (group, name), and the layout of the sidebar's parameter cards."""

    def __init__(self) -> None:
        self.widgets: dict[tuple[str, str], pn.widgets.Widget] = {}
        self.group_cards: dict[str, pn.Card] = {}  # the cards last made, by group
        self.rows: dict[tuple[str, str], pn.viewable.Viewable] = {}
        for group, cls in GROUPS.items():
            for name in parameter_names(group):
                p = cls.param[name]
                self.widgets[group, name] = widget = widget_for(p)
                self.rows[group, name] = with_tooltip(widget, tooltip(p))
        self.language = "en"

    def relabel(self, language: str) -> None:
        """Put every widget's label, tooltip and option names in ``language``."""
        if language == self.language:
            return
        self.language = language
        for (group, name), widget in self.widgets.items():
            p = GROUPS[group].param[name]
            widget.label = label(p, language)
            set_tooltip(self.rows[group, name], tooltip(p, language))
            if isinstance(p, param.Selector | param.ListSelector):
                widget.options = options(p, language)

    def size_widgets(self) -> list[pn.viewable.Viewable]:
        """Population size and weeks, with their tooltips."""
        return [self.rows["population", name] for name in SIZE]

    def cards(
        self, groups: tuple[str, ...], language: str = "en", opened: frozenset[str] = frozenset()
    ) -> list[pn.Card]:
        """One card per group, titled in ``language``: the mechanism's switch first, then its strengths.

        A card's widgets are put in it when it is first opened, so the page does not pay for the browser models of
        a hundred widgets nobody has looked at yet; the groups in ``opened`` start open, with their widgets.
        """
        cards = []
        for group in groups:
            names = [n for n in parameter_names(group) if not (group == "population" and n in SIZE)]
            intro = pn.pane.Markdown(group_intro(group, language), styles={"font-size": "0.9em"})
            rows = [self.rows[group, n] for n in names]
            card = pn.Card(
                intro,
                *(rows if group in opened else ()),
                title=group_title(group, language),
                collapsed=group not in opened,
                sizing_mode="stretch_width",
                css_classes=[f"group-{group}"],
            )

            def fill(event: param.parameterized.Event, card: pn.Card = card, rows: list = rows) -> None:
                if not event.new and len(card.objects) == 1:
                    card.extend(rows)

            card.param.watch(fill, "collapsed")
            cards.append(card)
            self.group_cards[group] = card
        return cards

    def opened(self) -> frozenset[str]:
        """The groups whose cards are open."""
        return frozenset(group for group, card in self.group_cards.items() if not card.collapsed)

    def numbers(self) -> list[tuple[pn.widgets.Widget, tuple[Any, Any]]]:
        """Every number widget with the bounds its parameter declares."""
        return [
            (widget, GROUPS[group].param[name].bounds)
            for (group, name), widget in self.widgets.items()
            if isinstance(widget, (pn.widgets.IntInput, pn.widgets.FloatInput))
        ]

    def problems(self, language: str) -> list[str]:
        """A message per number widget whose value the declaration does not allow (empty when all are allowed)."""
        found = (number_problem(widget.name, widget.value, bounds, language) for widget, bounds in self.numbers())
        return [message for message in found if message]

    def size(self) -> dict[str, int]:
        """Population size and weeks as the widgets show them."""
        return {name: self.widgets["population", name].value for name in SIZE}

    def values(self) -> dict[str, dict[str, Any]]:
        """Current widget values as ``{group: {name: value}}``."""
        out: dict[str, dict[str, Any]] = {}
        for (group, name), widget in self.widgets.items():
            value = widget.value
            out.setdefault(group, {})[name] = list(value) if isinstance(value, (list, tuple)) else value
        return out

    def scenario(self, preset: str) -> Scenario:
        """The scenario the widgets describe, on top of ``preset`` (validated by the declaration)."""
        base = load_scenario(preset)
        scenario = base.replace(**self.values())
        scenario.name = base.name if scenario == base else f"{base.name}*"
        return scenario

    def show(self, scenario: Scenario, keep: tuple[str, ...] = ()) -> None:
        """Set every widget to ``scenario``'s values, except population parameters named in ``keep``."""
        for group, values in scenario.to_dict().items():
            for name, value in values.items():
                if group == "population" and name in keep:
                    continue
                self.widgets[group, name].value = list(value) if isinstance(value, (list, tuple)) else value
