"""Save and share: the settings as a scenario file ``bipsim run`` accepts, the run's bundle as a zip, and a link."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest

import bipsim
from bipsim.app import browser
from bipsim.app.export import bundle_zip, read_settings_query, scenario_file, settings_query
from bipsim.app.full_runs import cached_full_run
from bipsim.app.sandbox import Sandbox
from bipsim.cli.main import format_summary
from bipsim.scenario import Scenario, load_scenario


@pytest.fixture
def sidebar(small_run):  # noqa: ANN001, ANN201
    return Sandbox(lambda scenario, seed, progress: small_run).sidebar


def changed() -> Scenario:
    scenario = load_scenario("baseline").replace(
        {"population.citizens": 500, "turnover.enabled": False, "waiting.places_per_1000": 120.5}
    )
    scenario.name = "baseline*"
    return scenario


def test_a_link_names_only_what_differs_from_the_preset_and_reads_back_to_the_same_scenario():
    query = settings_query("baseline", 3, changed())
    assert query == (
        "preset=baseline&seed=3&citizens=500&weeks=208&waiting.places_per_1000=120.5&turnover.enabled=false"
    )
    settings = read_settings_query(dict(parse_qsl(query)), "baseline")
    assert settings.problems == [] and settings.preset == "baseline" and settings.seed == 3
    assert load_scenario("baseline").replace(settings.values) == changed()


def test_a_link_with_mistakes_keeps_the_rest_and_names_each_mistake():
    arguments = {"preset": "no_such", "seed": "-4", "citizens": "3", "turnover.enabled": "maybe", "nonsense.x": "1"}
    arguments["weeks"] = "60"
    settings = read_settings_query(arguments, "baseline")
    assert settings.preset is None and settings.seed is None
    assert settings.values == {"population.weeks": 60}
    assert [(p.key, p.known) for p in settings.problems] == [
        ("preset", True),
        ("seed", True),
        ("citizens", True),
        ("turnover.enabled", True),
        ("nonsense.x", False),
    ]


def test_the_sidebar_takes_a_link_and_gives_it_back(sidebar):  # noqa: ANN001
    sidebar.apply_link({"preset": "low_turnover", "seed": "9", "weeks": "60", "bogus": "2"})
    assert sidebar.preset.value == "low_turnover" and sidebar.seed == 9 and sidebar.size()["weeks"] == 60
    assert sidebar.notice.visible
    assert sidebar.notice.object == "The link's bogus=2 is not a setting of the sandbox and was left out."
    sidebar.language = "da"
    assert sidebar.notice.object == "Linkets bogus=2 er ikke en indstilling i sandkassen og blev udeladt."
    sidebar._show_link()
    assert sidebar.link.visible
    assert dict(parse_qsl(urlsplit(sidebar.link.value).query)) == {
        "preset": "low_turnover",
        "seed": "9",
        "citizens": "4000",
        "weeks": "60",
    }


def test_the_settings_file_runs_on_the_command_line_as_the_app_ran_it(sidebar, small_run, tmp_path):  # noqa: ANN001
    sidebar.controls.show(small_run.scenario)
    sidebar.seed_input.value = small_run.seed
    data = sidebar._settings_file().getvalue()  # names the file as it makes it
    path = tmp_path / sidebar.download_settings.filename
    path.write_bytes(data)
    assert path.name == "bipsim-baseline-changed-seed1.toml"
    assert f"--seed {small_run.seed}" in path.read_text(encoding="utf-8").splitlines()[1]
    assert Scenario.from_toml(path) == small_run.scenario
    printed = subprocess.run(
        [sys.executable, "-m", "bipsim", "run", str(path), "--seed", str(small_run.seed)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert format_summary(small_run.summary) in printed


def test_the_settings_file_text_loads_to_the_same_scenario(tmp_path):  # noqa: ANN001
    path = tmp_path / "settings.toml"
    path.write_text(scenario_file(changed(), 3), encoding="utf-8")
    assert Scenario.from_toml(path) == changed()


def test_the_zip_holds_the_runs_bundle_and_leaves_no_temporary_files(small_run, tmp_path, monkeypatch):  # noqa: ANN001
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    data = bundle_zip(cached_full_run(small_run.scenario, small_run.seed))
    assert list(tmp_path.iterdir()) == []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        assert {Path(n).parts[0] for n in names} == {"bipsim-baseline-seed1"}
        archive.extractall(tmp_path / "out")
    bundle = bipsim.read_bundle(tmp_path / "out" / "bipsim-baseline-seed1")  # hashes checked
    assert bundle.manifest["seed"] == small_run.seed and bundle.manifest["citizens"] == 300
    assert Scenario(bundle.manifest["scenario"]) == small_run.scenario


# --- in the browser -----------------------------------------------------------------------------------------


def follow_and_export(address: str, folder: Path) -> dict[str, object]:
    """Open a link, follow citizens in both languages, download settings and data, and open the copied link."""
    found: dict[str, object] = {}
    with browser.chromium(folder / "profile") as context:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(f"{address}/sandbox?preset=baseline&seed=2&citizens=400&weeks=60&turnover.enabled=false")
        # each wait below is a check: it fails the test when the text does not appear
        page.locator(".run-status", has_text="baseline*, seed 2, 400 citizens × 60 weeks").wait_for(
            timeout=browser.WAIT_MS
        )
        page.locator(".bk-tab", has_text="Follow a citizen").first.click()
        page.locator(".follow-status", has_text="Citizen").wait_for(timeout=browser.WAIT_MS)
        citizen = page.locator(".follow-id input")
        citizen.fill("4000")
        citizen.press("Enter")
        missing = "There is no citizen 4000 in this run: ids run from 0 to 399."
        page.locator(".follow-missing", has_text=missing).wait_for(timeout=browser.WAIT_MS)
        citizen.fill("17")
        citizen.press("Enter")
        page.locator(".follow-status", has_text="Citizen 17").wait_for(timeout=browser.WAIT_MS)
        page.locator(".fig-follow canvas").first.wait_for(state="visible", timeout=browser.WAIT_MS)
        page.locator(".fig-network canvas").first.wait_for(state="visible", timeout=browser.WAIT_MS)
        page.wait_for_timeout(600)
        page.screenshot(path=folder / "follow.png", full_page=True)
        page.locator(".bk-btn", has_text="Dansk").click()
        page.locator(".follow-status", has_text="Borger 17").wait_for(timeout=browser.WAIT_MS)
        page.wait_for_timeout(600)
        page.screenshot(path=folder / "follow-da.png", full_page=True)
        page.locator(".bk-btn", has_text="English").click()
        page.locator(".export-card .card-header").first.click()
        with page.expect_download() as download:
            page.locator(".export-toml button").click()
        found["toml"] = folder / download.value.suggested_filename
        download.value.save_as(found["toml"])
        with page.expect_download(timeout=2 * browser.WAIT_MS) as download:
            page.locator(".export-bundle button").click()
        found["zip"] = folder / download.value.suggested_filename
        download.value.save_as(found["zip"])
        page.locator(".link-button button").click()
        page.locator(".share-link input").wait_for(timeout=browser.WAIT_MS)
        found["link"] = page.locator(".share-link input").input_value()
        found["address"] = page.url
        page.screenshot(path=folder / "export.png")
        again = context.new_page()
        again.goto(str(found["link"]))
        again.locator(".run-status", has_text="seed 2, 400 citizens × 60 weeks").wait_for(timeout=browser.WAIT_MS)
        found["errors"] = errors
    return found


def test_a_link_opens_a_run_to_follow_citizens_in_and_whose_files_reproduce_it(server, artifacts, tmp_path):  # noqa: ANN001
    if not browser.CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed at /usr/bin/chromium")
    # its own Playwright, in a thread: Panel leaves an event loop running in this one
    with ThreadPoolExecutor(1) as pool:
        found = pool.submit(follow_and_export, server, tmp_path).result(timeout=6 * browser.WAIT_MS / 1000)
    for name in ("follow.png", "follow-da.png", "export.png"):
        (artifacts / name).write_bytes((tmp_path / name).read_bytes())
    toml = Path(found["toml"])
    assert toml.name == "bipsim-baseline-changed-seed2.toml"
    scenario = Scenario.from_toml(toml)
    assert scenario.population.citizens == 400 and scenario.turnover.enabled is False
    printed = subprocess.run(
        [sys.executable, "-m", "bipsim", "run", str(toml), "--seed", "2"], capture_output=True, text=True, check=True
    ).stdout
    from bipsim.app.runs import cached_run

    assert format_summary(cached_run(scenario, 2).summary) in printed  # the app's run, from the server's cache
    with zipfile.ZipFile(found["zip"]) as archive:
        archive.extractall(tmp_path / "unzipped")
    bundle = bipsim.read_bundle(tmp_path / "unzipped" / "bipsim-baseline-changed-seed2")
    assert bundle.manifest["seed"] == 2 and Scenario(bundle.manifest["scenario"]) == scenario
    link = dict(parse_qsl(urlsplit(str(found["link"])).query))
    assert link == {"preset": "baseline", "seed": "2", "citizens": "400", "weeks": "60", "turnover.enabled": "false"}
    assert urlsplit(str(found["address"])).query == urlsplit(str(found["link"])).query  # the address bar follows
    assert found["errors"] == []
