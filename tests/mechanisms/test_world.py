"""The mechanisms reach the model only through :class:`bipsim.engine.world.World`, and the model is one.

The protocol is the mechanisms' whole interface to the model: no mechanism names the model layer, every
attribute a mechanism reads or writes on the model it is handed is listed in the protocol, and the model has
every attribute and method the protocol lists, with the same parameters.
"""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

from bipsim import mechanisms
from bipsim.engine.world import World

SOURCES = sorted(Path(mechanisms.__file__).parent.glob("*.py"))


def world_members() -> set[str]:
    methods = {name for name, value in vars(World).items() if inspect.isfunction(value) and not name.startswith("_")}
    return set(World.__annotations__) | methods


def used_on_the_model(tree: ast.Module) -> set[str]:
    """The attributes of ``model`` (the World a mechanism is handed) that a module uses."""
    return {
        node.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "model"
    }


def test_no_mechanism_names_the_model_layer():
    naming = []
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            modules = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            modules += [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
            naming += [f"{path.name}: {m}" for m in modules if m == "bipsim.model" or m.startswith("bipsim.model.")]
    assert not naming, naming


def test_the_world_lists_everything_the_mechanisms_use_of_the_model():
    used = set().union(*(used_on_the_model(ast.parse(path.read_text(encoding="utf-8"))) for path in SOURCES))
    assert {"citizens", "params", "week", "hire"} <= used  # the scan sees the mechanisms' uses
    assert used <= world_members(), f"add to World: {sorted(used - world_members())}"


def test_the_model_is_a_world(built):
    model = built(1, citizens=60, steps=1)
    for name in sorted(world_members()):
        assert hasattr(model, name), f"the model has no {name}, which World lists"
        declared = vars(World).get(name)
        if inspect.isfunction(declared):
            expected = list(inspect.signature(declared).parameters)[1:]
            assert list(inspect.signature(getattr(model, name)).parameters) == expected, name
