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


def test_each_scenario_says_whether_it_changes_one_thing_and_changes_only_that():
    import tomllib

    from bipsim.cli.main import scenario_kind

    singles = 0
    for name, path in builtin_scenarios().items():
        kind, what = scenario_kind(path)
        assert kind in ("single", "package"), f"{name}: no '# Changes:' or '# Package:' line"
        if kind == "package":
            assert what, name
            continue
        singles += 1
        declared = {part.strip() for part in what.split(",")}
        written = {f"{group}.{key}" for group, values in tomllib.loads(path.read_text()).items() for key in values}
        assert written == declared, f"{name} changes {sorted(written)} but declares {sorted(declared)}"
        assert len({parameter.split(".")[0] for parameter in written}) == 1, f"{name} changes several groups"
        changed, baseline = load_scenario(name).to_dict(), load_scenario("baseline").to_dict()
        differ = {f"{g}.{k}" for g, values in changed.items() for k, v in values.items() if v != baseline[g][k]}
        assert differ and differ <= declared, f"{name}: differs from the baseline in {sorted(differ)}"
    assert singles >= 10


def test_the_least_ready_fifth_is_left_alone():
    import numpy as np

    from bipsim.contract.vocabulary import EVENT_KEYS
    from bipsim.model.model import BipModel

    model = BipModel(load_scenario("leave_least_ready_alone"), seed=4).run()
    events = model.events.columns()
    exempted = np.unique(events["citizen"][events["kind"] == EVENT_KEYS.index("exemption")])
    share = exempted.size / model.citizens.size
    assert 0.15 <= share <= 0.25, share
    # they are the least ready: their readiness at the start is below the cohort's
    start = model.latent_record[:, 0].mean(axis=1)
    assert start[exempted].mean() < np.quantile(start, 0.35)
