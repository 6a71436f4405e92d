"""Follow a citizen: any citizen of the shown run, drawn with the timeline of ``bipsim follow``, in both languages."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest

import bipsim
from bipsim.app.full_runs import cached_full_run
from bipsim.app.tabs.follow import Follow
from bipsim.reports import follow


def in_own_loop(coroutine):  # noqa: ANN001, ANN201
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result(timeout=120)


@pytest.fixture(scope="module")
def full(small_run):  # noqa: ANN001, ANN201
    """The whole run behind ``small_run`` (the same scenario and seed)."""
    return cached_full_run(small_run.scenario, small_run.seed)


def test_the_whole_run_is_the_run_the_page_shows(small_run, full):  # noqa: ANN001
    assert full.model.summary() == small_run.summary
    assert full.citizen_ids == (0, small_run.scenario.population.citizens - 1)


def test_a_life_in_memory_is_the_life_its_bundle_holds(full, tmp_path):  # noqa: ANN001
    bundle = bipsim.read_bundle(bipsim.write_bundle(full.model, tmp_path / "bundle"))
    citizen = int(full.observed.interviews["citizen_id"].iloc[0])
    in_memory = follow.life_in_run(full.model, citizen, full.observed, full.truth)
    on_disk = follow.read_life(bundle, citizen, truth=True)
    for language in ("en", "da"):
        assert follow.timeline(in_memory, language) == follow.timeline(on_disk, language)
        assert follow.life_text(in_memory, language) == follow.life_text(on_disk, language)
    assert "* latent indicators (1-5)" in follow.life_text(in_memory, "en")


def test_a_citizen_outside_the_run_is_refused_by_name(full):  # noqa: ANN001
    with pytest.raises(follow.FollowError, match=r"citizen 300 is not in this run: its ids run from 0 to 299"):
        follow.life_in_run(full.model, 300, full.observed, full.truth)


def test_the_tab_follows_the_first_interviewed_citizen_when_opened(small_run):  # noqa: ANN001
    tab = Follow(result=small_run)
    tab.shown = True
    first = next(iter(small_run.stories))
    assert tab.citizen.value == first
    assert "0 to 299" in tab.hint.object and str(first) in tab.hint.object
    in_own_loop(tab._follow())
    assert tab.lanes.object is not None and tab.answers.object is not None
    assert tab.job.status.object == f"Citizen {first} of the run baseline, seed 1."
    assert "Interviews" in tab.text.object and "interviews_none" not in tab.text.object


def test_any_citizen_is_drawn_in_the_page_language(small_run, full):  # noqa: ANN001
    tab = Follow(result=small_run)
    not_interviewed = next(c for c in range(300) if c not in small_run.stories)
    tab.show(full, not_interviewed)
    english = tab.text.object
    assert "Timeline, with the truth" in english and "Not interviewed" in english
    tab.language = "da"
    tab.show(full, not_interviewed)
    assert "Forløb, med sandheden" in tab.text.object and "Ikke interviewet" in tab.text.object
    assert tab.job.status.object.startswith(f"Borger {not_interviewed} i kørslen")
    assert tab.citizen.name == "Borger-id"


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "There is no citizen 5000 in this run: ids run from 0 to 299."),
        ("da", "Der er ingen borger 5000 i denne kørsel: id'erne går fra 0 til 299."),
    ],
)
def test_an_id_out_of_range_says_which_ids_there_are(small_run, full, language, message):  # noqa: ANN001
    tab = Follow(result=small_run, language=language)
    tab.show(full, 12)
    drawn = tab.lanes.object
    tab.show(full, 5000)
    assert tab.missing.visible and tab.missing.object == message
    assert tab.lanes.object is drawn  # the last citizen stays on screen under the message
    tab.show(full, -1)
    assert tab.missing.visible and "-1" in tab.missing.object
    tab.show(full, 12)
    assert not tab.missing.visible


def test_the_network_around_a_citizen_is_their_ties_two_steps_out_with_employers_and_jobcentres(full):  # noqa: ANN001
    import networkx as nx

    from bipsim.app.network import neighbourhood

    citizen = 12
    around = neighbourhood(full.model, citizen)
    citizens = around.nodes[around.nodes["kind"] == "citizen"]
    expected = nx.ego_graph(full.model.network_graph, citizen, radius=2)
    assert set(citizens["id"]) == set(expected.nodes)
    assert (citizens.set_index("id").loc[list(full.model.network_graph.neighbors(citizen)), "distance"] == 1).all()
    assert set(around.edges["kind"]) <= {"social", "works", "tie"}
    assert (around.edges["kind"] == "social").sum() == expected.number_of_edges()
    for employer in around.nodes.loc[around.nodes["kind"] == "employer", "id"]:  # each worked for by a member
        worked = full.model.record["employer"][:, citizens["id"].to_numpy()]
        assert (worked == employer).any()
    assert neighbourhood(full.model, citizen).nodes.equals(around.nodes)  # the same drawing every time


def test_the_follow_tab_draws_the_network_in_the_page_language(small_run, full):  # noqa: ANN001
    tab = Follow(result=small_run)
    tab.show(full, 12)
    english = tab.network.object
    assert english is not None and "Citizen 12's network" in english.opts.get().kwargs["title"]
    tab.language = "da"
    tab.show(full, 12)
    assert "Borger 12s netværk" in tab.network.object.opts.get().kwargs["title"]
