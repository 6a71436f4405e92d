"""The model's mechanisms, one module each; every module states its rule, parameters and planted effect.

A mechanism is a set of functions of (model state, scenario group, random generator) that the model calls
in a fixed weekly order (see :meth:`bipsim.model.model.BipModel.step`). It sees the model as a
:class:`bipsim.engine.world.World`, which lists everything a mechanism may read and change, so no mechanism
imports the model layer above it. Its scenario group, named as the module, holds its ``enabled`` switch,
which removes its planted effect, and its parameters.

A mechanism's module docstring is a contract, written in the same sections for every mechanism: a summary
line, then ``Rule:`` (the rule in words, naming the parameters it reads as ``group.name``), ``Planted
effect:``, ``Switched off:``, ``Sources:`` (where the defaults come from), ``Fixed assumptions:`` (the module
constants that are modelling choices rather than parameters, where there are any) and ``Parameters:`` (every
parameter of its group, and those of other groups it reads). ``tests/mechanisms/test_contract.py`` checks the
sections and the names; section 7 of ``docs/model.md`` is rendered from them.
"""

from __future__ import annotations

import inspect
import re

SECTIONS = ("Rule", "Planted effect", "Switched off", "Sources", "Fixed assumptions", "Parameters")
"""The sections of a mechanism docstring, in their order."""
REQUIRED_SECTIONS = ("Rule", "Planted effect", "Switched off", "Parameters")
"""The sections every mechanism docstring has; the others it has where it has something to say."""

_HEADING = re.compile(r"^([A-Z][a-z]*(?: [a-z]+)*):$")
_CODE = re.compile(r"``(.+?)``", re.DOTALL)
_DOTTED = re.compile(r"\b([a-z_][a-z0-9_]*)\.([a-z_][a-z0-9_]*)\b")


def docstring_sections(doc: str) -> dict[str, str]:
    """Split a mechanism docstring into its summary (key ``""``) and its sections, each dedented.

    A section starts at a line that is its name and a colon (``Rule:``), and its text is indented below.
    """
    lines = inspect.cleandoc(doc).splitlines()
    found: dict[str, list[str]] = {"": []}
    current = ""
    for line in lines:
        heading = _HEADING.match(line)
        if heading:
            current = heading.group(1)
            found[current] = []
        else:
            found[current].append(line)
    return {name: inspect.cleandoc("\n".join(text)) for name, text in found.items()}


def dotted_names(text: str) -> list[tuple[str, str]]:
    """The ``group.name`` pairs written inside double backticks in ``text``, in order."""
    return [pair for span in _CODE.findall(text) for pair in _DOTTED.findall(span)]
