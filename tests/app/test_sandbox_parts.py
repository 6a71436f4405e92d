"""The sandbox's parts without a browser: generated controls, run tables and the Methods-vs-truth tables."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pandas as pd
import param
import pytest

from bipsim.app import limits, methods
from bipsim.app.controls import Controls
from bipsim.app.data import FLOW_BANDS
from bipsim.app.jobs import Job
from bipsim.app.sidebar import Sidebar
from bipsim.reports.recovery_words import mechanism_label, method_label
from bipsim.scenario import GROUPS, doc_of, label_of, load_scenario, parameter_names


def test_every_declared_parameter_has_one_widget_checked_against_its_bounds_with_its_doc():
    controls = Controls()
    assert set(controls.widgets) == {(g, n) for g in GROUPS for n in parameter_names(g)}
    numbers = dict((id(widget), bounds) for widget, bounds in controls.numbers())
    for (group, name), widget in controls.widgets.items():
        p = GROUPS[group].param[name]
        if isinstance(p, param.Number) and not isinstance(p, param.Boolean):
            assert numbers[id(widget)] == p.bounds, (group, name)
            assert widget.start is None and widget.end is None  # the browser must not change what is typed
        row = controls.rows[group, name]
        tooltip = getattr(widget, "description", None) or row.objects[-1].value
        assert p.doc in str(tooltip)


def test_after_the_switch_to_danish_every_widget_has_its_danish_label_and_tooltip():
    controls = Controls()
    controls.relabel("da")
    for (group, name), widget in controls.widgets.items():
        p = GROUPS[group].param[name]
        assert widget.name.startswith(label_of(p, "da")), (group, name)
        row = controls.rows[group, name]
        tooltip = getattr(widget, "description", None) or row.objects[-1].value
        assert doc_of(p, "da") in str(tooltip) and "Tilladt:" in str(tooltip), (group, name)
    respondents = controls.widgets["survey", "respondents"]
    assert "begge" in respondents.options and respondents.value == "both"
    quit_row = controls.rows["turnover", "quit_probability"]
    assert "fra 0,0 til 1,0" in str(getattr(quit_row, "description", None) or quit_row.objects[-1].value)


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


def test_every_run_shows_what_each_method_says_about_each_mechanism_in_words(small_run):
    table = small_run.triangulation
    assert len(table) and table["finding"].map(lambda text: isinstance(text, str) and len(text) > 0).all()
    for language in ("en", "da"):
        matrix = methods.triangulation_matrix(table, language, small_run.scenario)
        shown = matrix.to_string()
        assert len(matrix) == table["mechanism"].nunique() and len(matrix.columns) == 1 + len(
            table[["method", "outcome"]].drop_duplicates()
        )
        for raw in ("register_ipw", "register_hazard", "caseworker_change", "True", "False", "NaN", "None", "<NA>"):
            assert raw not in shown, (language, raw)
    english = methods.triangulation_matrix(table, "en", small_run.scenario).set_index("Mechanism")
    for row in table.itertuples():
        cell = english.loc[mechanism_label(row.mechanism, "en"), method_label(row.method, row.outcome, "en")]
        if pd.isna(row.detected):
            assert cell == "cannot see it"
        else:
            assert cell.startswith("detected" if row.detected else "not significant"), cell
    assert "false positive" not in english.to_string()  # every mechanism is on in the baseline


def test_a_detection_where_nothing_is_planted_is_marked_as_a_false_positive():
    table = pd.DataFrame(
        {
            "mechanism": ["caseworker_change", "caseworker_belief", "waiting"],
            "method": ["register_naive", "register_naive", "interviews"],
            "outcome": ["job_entry", "job_entry", "job_1y"],
            "finding": ["", "", ""],
            "detected": pd.array([True, True, None], dtype="boolean"),
            "estimate": [0.4, 0.3, float("nan")],
            "p_value": [0.0001, 0.02, float("nan")],
        }
    )
    null = load_scenario("null")
    matrix = methods.triangulation_matrix(table, "en", null).set_index("Mechanism")["Naive hazard model"]
    assert matrix["Caseworker change"] == (
        "detected: raises job entry (+0.40, p=1e-04) ⚠ false positive: nothing is planted in this run"
    )
    danish = methods.triangulation_matrix(table, "da", load_scenario("baseline").switched_off("turnover"))
    cells = danish.set_index("Mekanisme")["Naiv forløbsmodel"]
    assert cells["Sagsbehandlerskift"].endswith("⚠ falsk positiv: intet er indplantet i denne kørsel")
    assert "falsk positiv" not in cells["Sagsbehandlerens tro på job"]  # meetings stay on
    assert methods.truth_is_zero("mentor", load_scenario("baseline").replace({"interventions.withheld": ["mentor"]}))


def test_mechanism_table_lists_switches_and_planted_strengths_in_words():
    scenario = load_scenario("baseline").switched_off("turnover")
    table = methods.mechanism_table(scenario).set_index("Mechanism")
    assert table.loc["meetings", "Switched"] == "on"
    assert f"belief_effect = {scenario.meetings.belief_effect}" in table.loc["meetings", "Planted strengths"]
    placements = table.loc["interventions", "Planted strengths"]
    assert f"public_placement_multiplier = {scenario.interventions.public_placement_multiplier}" in placements
    assert table.loc["caseworker turnover", "Switched"] == "off"
    danish = methods.mechanism_table(scenario, "da").set_index("Mekanisme")
    assert danish.loc["sagsbehandlerskift", "Slået"] == "fra"


def test_the_calibration_table_shows_words_not_keys_true_false_or_nan(small_run):
    for language, yes in (("en", "yes"), ("da", "ja")):
        table = methods.calibration_table(small_run.calibration, language)
        shown = table.to_string()
        assert "True" not in shown and "False" not in shown and "NaN" not in shown and "nan" not in shown
        assert yes in set(table.iloc[:, 6])
        assert "participants" not in shown  # the key; the figure is named in words


@pytest.mark.parametrize(
    ("typed", "english", "danish"),
    [
        (0, "Citizens: 0 is not allowed (from 10 to 2,000,000)", "Borgere: 0 er ikke tilladt (fra 10 til 2.000.000)"),
        (-5, "Citizens: -5 is not allowed", "Borgere: -5 er ikke tilladt"),
        (3_000_000, "Citizens: 3,000,000 is not allowed", "Borgere: 3.000.000 er ikke tilladt"),
        (None, "Citizens: - is not allowed (a number is needed)", "Borgere: - er ikke tilladt (der skal stå et tal)"),
    ],
)
def test_a_typed_value_out_of_bounds_is_named_and_run_waits(typed, english, danish):  # noqa: ANN001
    sidebar = Sidebar(lambda *args: None)
    citizens = sidebar.controls.widgets["population", "citizens"]
    citizens.value = typed
    assert citizens.value == typed  # kept as typed, not clamped
    assert sidebar.checks.visible and english in sidebar.checks.object and sidebar.run_button.disabled
    sidebar.language = "da"
    assert danish in sidebar.checks.object
    assert sidebar.refuse(sidebar.job) and sidebar.job.error.visible and danish in sidebar.job.error.object
    citizens.value = 4000
    assert not sidebar.checks.visible and not sidebar.run_button.disabled and not sidebar.refuse(Job("x", "running"))


def test_a_run_above_the_servers_limit_is_refused_in_both_languages():
    sidebar = Sidebar(lambda *args: pytest.fail("a refused run must not start"))
    sidebar.controls.widgets["population", "citizens"].value = 20_000
    assert sidebar.checks.visible and sidebar.run_button.disabled
    assert "20,000 citizens × 208 weeks = 4,160,000 citizen-weeks is more than this server runs" in (
        sidebar.checks.object
    )
    with ThreadPoolExecutor(1) as pool:  # an event loop of its own (the browser tests' driver may own this one's)
        pool.submit(asyncio.run, sidebar.run()).result(timeout=30)
    assert sidebar.result is None and sidebar.job.error.visible
    assert "bipsim app --max-size" in sidebar.job.error.object
    sidebar.language = "da"
    assert "20.000 borgere × 208 uger = 4.160.000 borger-uger er mere, end denne server kører" in (
        sidebar.job.error.object
    )
    try:
        limits.set_max_size(30_000 * 208)
        sidebar.controls.widgets["population", "weeks"].value = 200  # any change checks again
        assert not sidebar.checks.visible and not sidebar.run_button.disabled
    finally:
        limits.set_max_size(limits.DEFAULT_MAX_SIZE)


def test_tables_made_after_the_figures_are_the_tables_of_the_same_run_made_at_once():
    """The tables a run makes once its figures are delivered are those an eager reduction of the same run gives."""
    from bipsim.app import data

    scenario = load_scenario("baseline").replace(population={"citizens": 300, "weeks": 40})
    result = data.run_scenario(scenario, 3)
    assert result.later._observed is None  # nothing observed before a table asks for it
    model = data.BipModel(scenario, seed=3).run()
    truth = model.truth()
    observed = data.observe(model, truth)
    assert result.summary == model.summary()
    pd.testing.assert_frame_equal(result.flows, data.flows(truth))
    pd.testing.assert_frame_equal(result.readiness, data.readiness(truth, observed))
    pd.testing.assert_frame_equal(result.calibration, data.calibrate(observed))
    pd.testing.assert_frame_equal(result.triangulation, data.triangulation(observed))
    eager = data.stories(model, truth, observed)
    assert list(result.stories) == list(eager)
    for cid, story in eager.items():
        pd.testing.assert_frame_equal(result.stories[cid].spells, story.spells)
        pd.testing.assert_frame_equal(result.stories[cid].interviews, story.interviews)
    result.complete()
    assert result.later._inputs is None and result.self_sufficiency is result.self_sufficiency


def test_a_run_keeps_no_model_once_its_tables_are_made(monkeypatch):  # noqa: ANN001
    """A session keeps its run's small tables, never the model and its big tables (hundreds of MB at BIP size)."""
    import gc
    import pickle
    import weakref

    from bipsim.app import data
    from bipsim.app.runs import ResultCache

    models = []

    class Watched(data.BipModel):
        def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
            super().__init__(*args, **kwargs)
            models.append(weakref.ref(self))

    monkeypatch.setattr(data, "BipModel", Watched)
    result = ResultCache().run(load_scenario("baseline").replace(population={"citizens": 300, "weeks": 30}), 2)
    result.complete()  # the tables the first tab does not show are made in the background; wait for them
    gc.collect()
    assert len(models) == 1 and models[0]() is None
    assert len(pickle.dumps(result)) < 1_000_000
