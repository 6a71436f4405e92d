"""The scenario library: every built-in scenario loads, says what it asks, and runs a short simulation."""

from __future__ import annotations

import pandas as pd

from bipsim.ensemble.execute import execute
from bipsim.ensemble.plan import Plan
from bipsim.scenario import builtin_scenarios, load_scenario


def test_every_scenario_file_loads_and_runs_a_short_simulation():
    names = sorted(builtin_scenarios())
    assert "baseline" in names and len(names) > 5
    for path in builtin_scenarios().values():
        assert path.read_text(encoding="utf-8").startswith("# Question: "), path
    scenarios = [load_scenario(name).replace(population={"citizens": 60, "weeks": 10}) for name in names]
    plan = Plan(scenarios, [{}] * len(scenarios), replications=1)
    runs = pd.DataFrame(execute(plan.runs()))
    assert list(runs["scenario"]) == names
    assert (runs["status"] == "ok").all(), runs.loc[runs["status"] != "ok", ["scenario", "error"]]
    assert (runs["citizens"] == 60).all() and (runs["weeks"] == 10).all()
