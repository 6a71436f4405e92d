"""The layers hold at run time: the data contract and the analyses load without the simulator."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

PROBE = "import {module}, sys, json; print(json.dumps(['mesa' in sys.modules, 'numba' in sys.modules]))"


@pytest.mark.parametrize("module", ["bipsim", "bipsim.analysis", "bipsim.dataset", "bipsim.contract.schema"])
def test_importing_the_observed_side_loads_neither_mesa_nor_numba(module):
    out = subprocess.run(
        [sys.executable, "-c", PROBE.format(module=module)], capture_output=True, text=True, check=True
    )
    assert json.loads(out.stdout) == [False, False]


def test_the_top_level_names_load_when_first_used():
    code = "import bipsim, sys; bipsim.simulate; print('mesa' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True"
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        import bipsim

        bipsim.nothing  # noqa: B018 - the attribute access is the test
