"""The sandbox's parts without a browser: generated controls, run tables and the Methods-vs-truth tables."""

from __future__ import annotations

import pandas as pd
import param

from bipsim.app import methods
from bipsim.app.controls import Controls
from bipsim.app.data import FLOW_BANDS
from bipsim.scenario import GROUPS, load_scenario, parameter_names


def test_every_declared_parameter_has_one_bounded_widget_with_its_doc():
    controls = Controls()
    assert set(controls.widgets) == {(g, n) for g in GROUPS for n in parameter_names(g)}
    for (group, name), widget in controls.widgets.items():
        p = GROUPS[group].param[name]
        if isinstance(p, param.Number) and not isinstance(p, param.Boolean):
            assert (widget.start, widget.end) == p.bounds, (group, name)
        row = controls.rows[group, name]
        tooltip = getattr(widget, "description", None) or row.objects[-1].value
        assert p.doc in str(tooltip)


def test_widgets_give_back_the_preset_and_a_changed_mechanism():
    controls = Controls()
    controls.show(load_scenario("low_turnover"))
    assert controls.scenario("low_turnover") == load_scenario("low_turnover")
    controls.widgets["turnover", "enabled"].value = False
    changed = controls.scenario("low_turnover")
    assert changed.turnover.enabled is False and changed.name == "low_turnover*"


def test_run_tables_count_every_citizen_every_week(small_run):
    assert list(small_run.flows.columns) == list(FLOW_BANDS)
    assert (small_run.flows.sum(axis=1) == 300).all()
    assert len(small_run.flows) == 60
    assert set(small_run.readiness["source"]) == {"latent", "citizen", "caseworker"}
    assert small_run.stories and all(len(s.interviews) for s in small_run.stories.values())
    assert small_run.self_sufficiency["mean"].between(0, 1).all()


def test_every_run_shows_what_each_method_says_about_each_mechanism(small_run):
    table = small_run.triangulation
    assert len(table) and table["finding"].map(lambda text: isinstance(text, str) and len(text) > 0).all()
    matrix = methods.triangulation_matrix(table).set_index("mechanism")
    assert set(matrix.index) == set(table["mechanism"]) and set(matrix.columns) == set(table["method"])
    for row in table.itertuples():
        assert matrix.loc[row.mechanism, row.method] == row.finding


def test_triangulation_matrix_puts_each_finding_in_its_mechanism_row_and_method_column():
    table = pd.DataFrame(
        {"mechanism": ["turnover", "turnover"], "method": ["register", "survey"], "finding": ["-20%", "no change"]}
    )
    matrix = methods.triangulation_matrix(table)
    assert matrix.loc[0, "register"] == "-20%" and matrix.loc[0, "survey"] == "no change"


def test_mechanism_table_lists_switches_and_planted_strengths():
    scenario = load_scenario("baseline").switched_off("turnover")
    table = methods.mechanism_table(scenario)
    row = table.set_index("mechanism").loc["meetings"]
    assert row["enabled"] and f"belief_effect = {scenario.meetings.belief_effect}" in row["planted"]
    placements = table.set_index("mechanism").loc["interventions", "planted"]
    assert f"public_placement_multiplier = {scenario.interventions.public_placement_multiplier}" in placements
    assert not table.set_index("mechanism").loc["turnover", "enabled"]
