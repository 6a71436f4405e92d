"""Compiled loops are called with named inputs: two arrays of one dtype passed in swapped order fail silently.

Every call of a compiled loop (a function decorated with :data:`bipsim.engine.kernels.kernel`) in ``bipsim/``,
from Python or from another compiled loop, passes at most its first argument by position and names the rest.
numba folds the keywords into its signature before it looks in its cache, so named calls load the same cached
code as positional ones.
"""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np

import bipsim
from bipsim.engine import kernels

PACKAGE = Path(bipsim.__file__).parent
POSITIONAL_ALLOWED = 1


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def sources() -> dict[str, ast.Module]:
    """Every module of the package, parsed (read, not imported), by dotted name."""
    return {module_name(path): ast.parse(path.read_text(encoding="utf-8")) for path in sorted(PACKAGE.rglob("*.py"))}


def is_kernel_decorator(node: ast.expr) -> bool:
    return (isinstance(node, ast.Name) and node.id == "kernel") or (
        isinstance(node, ast.Attribute) and node.attr == "kernel"
    )


def kernels_by_module(trees: dict[str, ast.Module]) -> dict[str, set[str]]:
    """The names of the functions decorated with ``kernel`` in each module."""
    return {
        name: {
            f.name
            for f in tree.body
            if isinstance(f, ast.FunctionDef) and any(is_kernel_decorator(d) for d in f.decorator_list)
        }
        for name, tree in trees.items()
    }


def unnamed_kernel_calls(module: str, tree: ast.Module, compiled: dict[str, set[str]]) -> tuple[int, list[str]]:
    """Count the calls of compiled loops in ``tree``; list those passing more than the first input by position.

    A called name is a compiled loop of this module, one imported from another module (``from m import f``),
    or an attribute of an imported module (``m.f`` after ``import m`` or ``from package import m``).
    """
    functions = {f: f for f in compiled.get(module, set())}  # local name -> loop name, for loops in scope
    homes: dict[str, str] = {}  # local name -> module of loops
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                local = alias.asname or alias.name
                if alias.name in compiled.get(node.module, set()):
                    functions[local] = f"{node.module}.{alias.name}"
                elif f"{node.module}.{alias.name}" in compiled:
                    homes[local] = f"{node.module}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname and alias.name in compiled:
                    homes[alias.asname] = alias.name
    calls, unnamed = 0, []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        f = node.func
        local = isinstance(f, ast.Name) and f.id in functions
        qualified = (
            isinstance(f, ast.Attribute)
            and isinstance(f.value, ast.Name)
            and f.attr in compiled.get(homes.get(f.value.id, ""), set())
        )
        if local or qualified:
            calls += 1
            if len(node.args) > POSITIONAL_ALLOWED or any(isinstance(a, ast.Starred) for a in node.args):
                unnamed.append(f"{module}:{node.lineno} {ast.unparse(f)} ({len(node.args)} positional)")
    return calls, unnamed


def test_every_call_of_a_compiled_loop_names_its_inputs():
    trees = sources()
    compiled = kernels_by_module(trees)
    assert sum(map(len, compiled.values())) > 20, "found too few compiled loops: the scan no longer sees them"
    calls, unnamed = 0, []
    for module, tree in trees.items():
        found, bad = unnamed_kernel_calls(module, tree, compiled)
        calls += found
        unnamed += bad
    assert calls > 25, f"found only {calls} calls of compiled loops: the scan no longer sees them"
    assert not unnamed, "name the inputs of these compiled loops (keyword arguments):\n" + "\n".join(unnamed)


def test_the_check_catches_positional_inputs():
    compiled = {"bipsim.engine.kernels": {"pick_employers"}, "m": {"own"}}
    source = """
from bipsim.engine import kernels
from bipsim.engine.kernels import pick_employers as pick
import numpy as np


@kernel
def own(a, b):
    return pick(a, b)


kernels.pick_employers(pool, bounds, weights, centres, draws)
own(x, b=y)
own(*both)
pick(pool, bounds=bounds, weights=weights, jobcentres=centres, draws=draws)
np.sum(a, b)
"""
    calls, unnamed = unnamed_kernel_calls("m", ast.parse(source), compiled)
    assert calls == 5
    assert sorted(line.split()[0] for line in unnamed) == ["m:12", "m:14", "m:9"]
    assert kernels_by_module({"m": ast.parse(source)}) == {"m": {"own"}}


def test_named_inputs_give_what_positional_ones_give():
    rng = np.random.default_rng(3)
    pool, bounds = np.array([0, 2, 1, 3], dtype=np.int32), np.array([0, 2, 4])
    weights, centres, draws = rng.random(4), np.array([0, 1, 1], dtype=np.int16), rng.random(3, dtype=np.float32)
    named = kernels.pick_employers(pool, draws=draws, jobcentres=centres, weights=weights, bounds=bounds)
    np.testing.assert_array_equal(named, kernels.pick_employers(pool, bounds, weights, centres, draws))
