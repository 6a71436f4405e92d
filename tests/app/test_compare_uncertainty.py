"""The Compare tab's parameter-uncertainty option: shown only with a shipped ensemble, and its table."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd

from bipsim.app import data
from bipsim.app.sidebar import Sidebar
from bipsim.app.tabs.compare import Compare
from bipsim.ensemble import uncertainty
from bipsim.scenario import load_scenario

ENSEMBLE = "meetings.belief_effect,turnover.quit_probability\n1.1,0.002\n1.3,0.0025\n1.6,0.003\n"


def in_own_loop(coroutine):  # noqa: ANN001, ANN201
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result(timeout=120)


def unused_runner(scenario, seed, progress):  # noqa: ANN001, ANN201
    raise AssertionError("the Compare tab runs its own comparisons")


def shipped(tmp_path, monkeypatch, text: str = ENSEMBLE) -> None:
    path = tmp_path / "plausible.csv"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setattr(uncertainty, "PLAUSIBLE_ENSEMBLE", path)


def test_the_option_is_hidden_while_no_ensemble_is_shipped(tmp_path, monkeypatch):
    monkeypatch.setattr(uncertainty, "PLAUSIBLE_ENSEMBLE", tmp_path / "missing.csv")
    tab = Compare(Sidebar(unused_runner))
    assert tab.ensemble is None and not tab.uncertainty.visible


def test_the_option_names_its_vectors_in_both_languages_and_needs_two_replications(tmp_path, monkeypatch):
    shipped(tmp_path, monkeypatch)
    tab = Compare(Sidebar(unused_runner))
    assert tab.uncertainty.visible and "3 vectors" in tab.uncertainty.name
    tab.language = "da"
    assert "parameterusikkerhed" in tab.uncertainty.name
    tab.replications.value = 1
    tab.uncertainty.value = True
    assert tab.replications.start == 2 and tab.replications.value == 2
    tab.uncertainty.value = False
    assert tab.replications.start == 1


def test_the_app_runs_at_most_a_few_evenly_spaced_vectors(tmp_path, monkeypatch):
    rows = "\n".join(f"{1 + i / 100:.2f}" for i in range(20))
    shipped(tmp_path, monkeypatch, f"meetings.belief_effect\n{rows}\n")
    chosen = data.plausible_vectors(limit=4)
    assert chosen.vector_ids == [0, 6, 13, 19]
    assert [v["meetings.belief_effect"] for v in chosen.vectors] == [1.0, 1.06, 1.13, 1.19]


def test_comparing_with_parameter_uncertainty_shows_both_intervals(tmp_path, monkeypatch):
    shipped(tmp_path, monkeypatch)
    sidebar = Sidebar(unused_runner)
    sidebar.controls.widgets["population", "citizens"].value = 80
    sidebar.controls.widgets["population", "weeks"].value = 12
    tab = Compare(sidebar, shown=True)
    tab.first.value, tab.second.value = "baseline", "high_turnover"
    tab.uncertainty.value = True
    in_own_loop(tab.compare())
    table, *_ = tab.compared
    change = table.set_index("outcome").loc["share_with_caseworker_change"]
    assert change["vectors"] == 3 and change["replications"] == 3
    assert change["low"] <= change["mc_low"] <= change["mc_high"] <= change["high"]
    shown = tab.table.object
    assert {"95% Monte Carlo only", "95% with parameters", "vectors with the same sign"} <= set(shown.columns)


def test_the_app_comparison_equals_the_command_lines(tmp_path, monkeypatch):
    """compare_over_plausible gives bipsim compare --ensemble's numbers for the same runs."""
    from bipsim.ensemble.execute import execute
    from bipsim.ensemble.plan import Plan
    from bipsim.ensemble.uncertainty import compare_over_vectors, read_ensemble

    shipped(tmp_path, monkeypatch)
    a = load_scenario("baseline").replace(population={"citizens": 80, "weeks": 12})
    b = load_scenario("high_turnover").replace(population={"citizens": 80, "weeks": 12})
    ensemble = read_ensemble("baseline", a)
    app = data.compare_over_plausible(a, b, 5, 2, ensemble).set_index("outcome")
    plan = Plan.across_vectors([a, b], [{}, {}], ["A", "B"], ensemble.vectors, ensemble.vector_ids, a, 2, 5)
    runs = pd.DataFrame(execute(plan.runs()))
    cli, _ = compare_over_vectors(runs, plan.settings_table(), ensemble.vector_ids, list(app.index))
    cli = cli.set_index("outcome")
    np.testing.assert_allclose(app["high"], cli["high"])
    np.testing.assert_allclose(app["mc_low"], cli["mc_low"])
