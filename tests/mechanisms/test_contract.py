"""Every mechanism explains itself in the same sections and names exactly the parameters there are.

As every Axelrod strategy declares its classifier, every module of :mod:`bipsim.mechanisms` states in its
docstring its Rule, Planted effect, what Switched off means and its Parameters (with Sources and Fixed
assumptions where it has them). Every ``group.name`` it writes must be a scenario parameter, and every
parameter of its own scenario group must be written there, so a parameter cannot be added, renamed or dropped
in the code without the description that section 7 of ``docs/model.md`` is rendered from.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import types

import pytest

from bipsim import mechanisms
from bipsim.mechanisms import REQUIRED_SECTIONS, SECTIONS, docstring_sections, dotted_names
from bipsim.scenario import GROUPS, MECHANISMS, parameter_names

MODULES = sorted(info.name for info in pkgutil.iter_modules(mechanisms.__path__))
CONSTANT = re.compile(r"``([A-Z][A-Z0-9_]*)``")


def contract_problems(group: str, doc: str | None, module: types.ModuleType | None = None) -> list[str]:
    """What is wrong with the docstring ``doc`` of the mechanism whose scenario group is ``group``."""
    if not doc:
        return ["no docstring"]
    sections = docstring_sections(doc)
    problems = []
    if not sections[""] or "\n" in sections[""]:
        problems.append("the docstring must open with a one-line summary, then the sections")
    headings = [name for name in sections if name]
    problems += [f"unknown section {h!r}; sections are {', '.join(SECTIONS)}" for h in headings if h not in SECTIONS]
    problems += [f"no {s!r} section" for s in REQUIRED_SECTIONS if not sections.get(s)]
    if headings != [s for s in SECTIONS if s in headings]:
        problems.append(f"sections {headings} are not in the order {list(SECTIONS)}")
    named = dotted_names(doc)
    problems += [
        f"names {g}.{k}, which is not a parameter of [{g}]"
        for g, k in named
        if g in GROUPS and k not in parameter_names(g)
    ]
    own = {k for g, k in named if g == group}
    problems += [f"does not name its parameter {group}.{k}" for k in parameter_names(group) if k not in own]
    if "Fixed assumptions" in sections:
        constants = CONSTANT.findall(sections["Fixed assumptions"])
        if not constants:
            problems.append("the Fixed assumptions section names no module constant (``NAME``)")
        if module is not None:
            problems += [
                f"fixed assumption {c} is not a constant of the module" for c in constants if not hasattr(module, c)
            ]
    return problems


def test_every_mechanism_module_has_a_scenario_group_of_its_name_and_back():
    assert set(MODULES) == set(MECHANISMS)


@pytest.mark.parametrize("name", MODULES)
def test_the_docstring_keeps_the_contract(name):
    module = importlib.import_module(f"bipsim.mechanisms.{name}")
    problems = contract_problems(name, module.__doc__, module)
    assert not problems, f"bipsim/mechanisms/{name}.py docstring: " + "; ".join(problems)


def test_the_check_finds_what_breaks_the_contract():
    doc = """Turnover: caseworkers leave.

    Rule:
        A caseworker leaves with ``turnover.quit_probability`` and reads ``meetings.interval_week``.

    Switched off:
        Nobody leaves.

    Fixed assumptions:
        ``NO_SUCH_CONSTANT``.

    Outlook:
        Unknown.
    """
    problems = contract_problems("turnover", doc, types.ModuleType("empty"))
    assert "no 'Planted effect' section" in problems
    assert "no 'Parameters' section" in problems
    assert any(p.startswith("unknown section 'Outlook'") for p in problems)
    assert "names meetings.interval_week, which is not a parameter of [meetings]" in problems
    assert "does not name its parameter turnover.enabled" in problems
    assert "does not name its parameter turnover.quit_probability" not in problems
    assert "fixed assumption NO_SUCH_CONSTANT is not a constant of the module" in problems
    assert contract_problems("turnover", None) == ["no docstring"]


def test_sections_are_split_at_their_headings_and_dedented():
    doc = "Summary line.\n\nRule:\n    First line\n    - a list\n      item\n\nParameters:\n    ``x.y``.\n"
    assert docstring_sections(doc) == {
        "": "Summary line.",
        "Rule": "First line\n- a list\n  item",
        "Parameters": "``x.y``.",
    }
    assert dotted_names("``1 + a.b * c.d`` and a.e and ``f``") == [("a", "b"), ("c", "d")]
