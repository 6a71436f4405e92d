"""The numbers the teachers' guide (``docs/teaching.md``) asks students to find, taken from the app's own runs.

Every figure an exercise names is what a student sees in the sandbox with the app's defaults: the reduced run of
:func:`~bipsim.app.data.run_scenario` (Flows, Readiness, Methods vs truth) and the paired comparison of
:func:`~bipsim.app.data.compare_scenarios` in the units Compare shows (:func:`~bipsim.app.views.in_units`).
:func:`record` computes them, writes them with the guide's sentences to a JSON record, and
``python -m bipsim.reports.docs`` pastes those sentences between the guide's ``<!-- generated: teaching ... -->``
markers, so the guide, the record and the app cannot drift apart: a test recomputes the record from the app.

Run ``python -m bipsim.app.teaching [docs/teaching.json]`` after a change of the model or its defaults (about two
minutes on two cores), then ``python -m bipsim.reports.docs``.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import pandas as pd

from bipsim.app.data import COMPARE_OUTCOMES, RunResult, compare_scenarios, run_scenario
from bipsim.app.methods import finding
from bipsim.app.views import in_units
from bipsim.contract.outcomes import OUTCOMES
from bipsim.scenario import Scenario, load_scenario

RECORD = Path("docs/teaching.json")
DOCS = Path(__file__).resolve().parents[2] / "docs"
"""The source checkout's documentation folder: its example scenarios and the calibration record the guide quotes."""
EXAMPLES = DOCS / "examples"
SETTINGS = {"citizens": 4000, "weeks": 208, "seed": 0, "replications": 3}
"""The app's defaults: the size and seed a page opens with, and Compare's replications."""
CLI_REPLICATIONS = 10
"""Replications of the command-line comparisons the guide quotes (``bipsim compare ... --replications 10``)."""
CLI_OUTCOMES = tuple(o.key for o in OUTCOMES if not o.size)
"""The outcomes ``bipsim compare`` prints."""
INDICATOR = "work_belief"  # "Belief in being able to hold a job", the indicator the exercises read
WEEK = 104  # the survey week the exercises read (the end of the second year)

SENTENCES: dict[str, list[str]] = {
    "exercise1": [
        "In *Compare* (3 replications) the share with a caseworker change falls from {change_a:.1f}% to "
        "{change_b:.1f}%, but the share in a job within a year moves only from {job_a:.1f}% to {job_b:.1f}% "
        "(B − A = {job_diff:+.1f} percentage points, 95% interval [{job_low:+.1f}, {job_high:+.1f}]): "
        "{verdict}.",
        "In *Methods vs truth* (baseline, seed 0), row *Caseworker change*: the survey's progression measure "
        'says "{survey}"; the naive hazard model says "{naive}"; the adjusted hazard model says '
        '"{adjusted}".',
    ],
    "exercise2": [
        "The three lines never meet: for belief in being able to hold a job, averaged over the survey waves, "
        "citizens answer {citizen:.2f}, the latent truth is {latent:.2f} and caseworkers answer {caseworker:.2f} "
        "(on the 1–5 scale).",
    ],
    "exercise4": [
        "In *Flows* the orange *Waiting* band grows to {waiting_peak:,} citizens (week {waiting_week}); in the "
        "baseline it peaks at {baseline_peak:,} (week {baseline_week}).",
        "In *Readiness* the latent belief in being able to hold a job stands at {latent:.2f} in week 104, "
        "against {baseline_latent:.2f} in the baseline; citizens' answers are {citizen:.2f} against "
        "{baseline_citizen:.2f}, caseworkers' {caseworker:.2f} against {baseline_caseworker:.2f}.",
    ],
    "exercise5": [
        "In *Flows* {job_recession:,} citizens are in an ordinary job in week 104 against {job_baseline:,} in "
        "the baseline.",
        "In *Compare* (3 replications) the share in a job within a year differs by {job_1y_diff:+.1f} percentage "
        "points: the recession starts in week 52, and with the same seeds nothing differs before it. The share "
        "ever in a job differs by {ever_diff:+.1f} points.",
        "In *Readiness* the latent belief in being able to hold a job in week 104 is {latent:.2f}, against "
        "{baseline_latent:.2f} in the baseline: readiness does *not* fall.",
    ],
    "exercise6": [
        "The *waiting* card shows the difference the scenario names do not: *places per 1000* is "
        "{places_job_first:.0f} in `job_first` and {places_staircase:.0f} in `staircase` (and the baseline).",
        "In *Compare* (3 replications, A `staircase`, B `job_first`) job-first puts {job_b:.1f}% in a job "
        "within a year against {job_a:.1f}% for the staircase ({job_diff:+.1f} percentage points); "
        "{waited_b:.1f}% ever wait against {waited_a:.1f}%.",
    ],
    "exercise7": [
        "The latent belief in being able to hold a job is {latent:.2f} in week 104 against "
        "{baseline_latent:.2f} in the baseline — periods without help cause regression.",
    ],
    "exercise8": [
        "In *Compare* (3 replications, A `high_turnover`, B `low_turnover`) {change_a:.1f}% against "
        "{change_b:.1f}% had a caseworker change, and mean trust in the jobcentre at the end is {trust_a:.2f} "
        "against {trust_b:.2f} (B − A = {trust_diff:+.3f}, 95% interval [{trust_low:+.3f}, {trust_high:+.3f}]).",
        "With trust fixed in both (the *trust* card's *enabled* unticked), mean trust is {fixed_a:.2f} against "
        "{fixed_b:.2f}: the difference is gone, because it ran through trust lost at each change.",
    ],
    "exercise1_cli": [
        "With {replications} replications on the command line (`bipsim compare baseline "
        "docs/examples/no_turnover.toml --replications {replications}`) the share in a job within a year moves "
        "by {job_diff:+.2f} percentage points ([{job_low:+.2f}, {job_high:+.2f}]) and the share ever in a job by "
        "{ever_diff:+.2f} points. A planted effect that is large for the person (the calibrated model gives a "
        "job-entry rate after a change of {change_ratio:.2f} of the rate without one) is small for the cohort, "
        "because few of these citizens find a job at all (about {job_base:.0f}% within a year).",
    ],
    "exercise4_cli": [
        "With {replications} replications on the command line: {waited:.0f}% wait at some point ({waited_base:.0f}% "
        "in the baseline), for {weeks:.0f} weeks on average ({weeks_base:.1f}); the share in a job within a year "
        "changes by {job_diff:+.1f} percentage points and the share ever in a job by {ever_diff:+.1f} points, and "
        "mean trust in the jobcentre at the end by {trust_diff:+.2f}.",
    ],
    "exercise6_cli": [
        "With {replications} replications on the command line, job-first puts {job_b:.1f}% in a job within a year "
        "against {job_a:.1f}% for the staircase ({job_diff:+.1f} percentage points) and {ever_b:.1f}% ever in a "
        "job against {ever_a:.1f}%; {waited_b:.1f}% ever wait against {waited_a:.1f}%.",
        "With the baseline's places (`docs/examples/job_first_same_places.toml`), job-first's lead is "
        "{same_job_diff:+.1f} points for a job within a year and {same_ever_diff:+.1f} points for ever in a job, "
        "and {same_waited:.0f}% of the citizens wait, for {same_weeks:.0f} weeks on average.",
    ],
    "exercise7_cli": [
        "With {replications} replications on the command line the share ever in a job falls from {ever_a:.1f}% to "
        "{ever_b:.1f}%, and the share in an activity in an average week from {activity_a:.0f}% to "
        "{activity_b:.0f}%. The waiting lists disappear ({waited_a:.0f}% ever wait in the baseline, "
        "{waited_b:.1f}% here): those left alone are not queued for anything. Their trust in the jobcentre ends at "
        "{trust_b:.2f} against {trust_a:.2f}.",
    ],
}
"""The guide's sentences, one bullet each, with the recorded numbers put in."""


def _scenario(name: str, **changes: Any) -> Scenario:
    size = {"citizens": SETTINGS["citizens"], "weeks": SETTINGS["weeks"]}
    return load_scenario(name).replace(population=size, **changes)


def readiness_at(result: RunResult, source: str, week: int | None = None) -> float:
    """The Readiness tab's line ``source`` for the exercises' indicator, all orientations: at ``week`` or averaged."""
    table = result.readiness
    rows = table[(table["indicator"] == INDICATOR) & (table["orientation"] == "all") & (table["source"] == source)]
    if week is None:
        answered = table[(table["indicator"] == INDICATOR) & (table["orientation"] == "all")]
        weeks = set(answered.loc[answered["source"] == "citizen", "week"])  # the survey waves
        return float(rows[rows["week"].isin(weeks)]["mean"].mean())
    return float(rows.loc[rows["week"] == week, "mean"].iloc[0])


def _compared(
    first: Scenario,
    second: Scenario,
    replications: int = SETTINGS["replications"],
    outcomes: tuple[str, ...] = COMPARE_OUTCOMES,
) -> pd.DataFrame:
    """Compare's table of ``outcomes`` (the app's by default) in the units the app shows them in."""
    table = compare_scenarios(first, second, SETTINGS["seed"], replications, outcomes=outcomes)
    return in_units(table).set_index("key")


def _example(name: str) -> Scenario:
    """A scenario file of ``docs/examples`` at the app's size."""
    size = {"citizens": SETTINGS["citizens"], "weeks": SETTINGS["weeks"]}
    return load_scenario(EXAMPLES / f"{name}.toml").replace(population=size)


def _recorded_calibration(key: str) -> float:
    """The mean over replications of figure ``key`` in the calibration record (``docs/calibration.json``)."""
    values = [v for v in json.loads((DOCS / "calibration.json").read_text(encoding="utf-8"))["figures"][key] if v]
    return sum(values) / len(values)


def _command_line(out: dict[str, dict[str, Any]]) -> None:
    """The guide's command-line comparisons: ``bipsim compare`` with :data:`CLI_REPLICATIONS` replications."""
    n = CLI_REPLICATIONS
    turnover = _compared(_scenario("baseline"), _example("no_turnover"), n, CLI_OUTCOMES)
    out["exercise1_cli"] = {
        "replications": n,
        "job_diff": turnover.loc["share_job_within_1_year", "difference"],
        "job_low": turnover.loc["share_job_within_1_year", "low"],
        "job_high": turnover.loc["share_job_within_1_year", "high"],
        "ever_diff": turnover.loc["share_ever_in_job", "difference"],
        "change_ratio": _recorded_calibration("change_job_ratio"),
        "job_base": turnover.loc["share_job_within_1_year", "first"],
    }
    waiting = _compared(_scenario("baseline"), _scenario("long_waiting"), n, CLI_OUTCOMES)
    out["exercise4_cli"] = {
        "replications": n,
        "waited": waiting.loc["share_ever_waiting", "second"],
        "waited_base": waiting.loc["share_ever_waiting", "first"],
        "weeks": waiting.loc["mean_weeks_waiting_per_waiter", "second"],
        "weeks_base": waiting.loc["mean_weeks_waiting_per_waiter", "first"],
        "job_diff": waiting.loc["share_job_within_1_year", "difference"],
        "ever_diff": waiting.loc["share_ever_in_job", "difference"],
        "trust_diff": waiting.loc["mean_trust_at_end", "difference"],
    }
    job_first = _compared(_scenario("staircase"), _scenario("job_first"), n, CLI_OUTCOMES)
    same_places = _compared(_scenario("staircase"), _example("job_first_same_places"), n, CLI_OUTCOMES)
    out["exercise6_cli"] = {
        "replications": n,
        "job_a": job_first.loc["share_job_within_1_year", "first"],
        "job_b": job_first.loc["share_job_within_1_year", "second"],
        "job_diff": job_first.loc["share_job_within_1_year", "difference"],
        "ever_a": job_first.loc["share_ever_in_job", "first"],
        "ever_b": job_first.loc["share_ever_in_job", "second"],
        "waited_a": job_first.loc["share_ever_waiting", "first"],
        "waited_b": job_first.loc["share_ever_waiting", "second"],
        "same_job_diff": same_places.loc["share_job_within_1_year", "difference"],
        "same_ever_diff": same_places.loc["share_ever_in_job", "difference"],
        "same_waited": same_places.loc["share_ever_waiting", "second"],
        "same_weeks": same_places.loc["mean_weeks_waiting_per_waiter", "second"],
    }
    alone = _compared(_scenario("baseline"), _scenario("leave_alone"), n, CLI_OUTCOMES)
    out["exercise7_cli"] = {
        "replications": n,
        "ever_a": alone.loc["share_ever_in_job", "first"],
        "ever_b": alone.loc["share_ever_in_job", "second"],
        "activity_a": alone.loc["share_in_activity_weekly", "first"],
        "activity_b": alone.loc["share_in_activity_weekly", "second"],
        "waited_a": alone.loc["share_ever_waiting", "first"],
        "waited_b": alone.loc["share_ever_waiting", "second"],
        "trust_a": alone.loc["mean_trust_at_end", "first"],
        "trust_b": alone.loc["mean_trust_at_end", "second"],
    }


def _cell(result: RunResult, mechanism: str, method: str) -> str:
    table = result.triangulation
    row = table[(table["mechanism"] == mechanism) & (table["method"] == method)].iloc[0]
    return finding(row, "en", result.scenario)


def values() -> dict[str, dict[str, Any]]:
    """Every number the exercises name, from the app's runs at its defaults."""
    seed = SETTINGS["seed"]
    runs = {
        name: run_scenario(_scenario(name), seed) for name in ("baseline", "long_waiting", "recession", "leave_alone")
    }
    base = runs["baseline"]
    out: dict[str, dict[str, Any]] = {}
    turnover = _compared(_scenario("baseline"), _scenario("baseline", turnover={"enabled": False}))
    out["exercise1"] = {
        "change_a": turnover.loc["share_with_caseworker_change", "first"],
        "change_b": turnover.loc["share_with_caseworker_change", "second"],
        "job_a": turnover.loc["share_job_within_1_year", "first"],
        "job_b": turnover.loc["share_job_within_1_year", "second"],
        "job_diff": turnover.loc["share_job_within_1_year", "difference"],
        "job_low": turnover.loc["share_job_within_1_year", "low"],
        "job_high": turnover.loc["share_job_within_1_year", "high"],
        "verdict": "3 replications cannot tell it from zero"
        if turnover.loc["share_job_within_1_year", "low"] <= 0 <= turnover.loc["share_job_within_1_year", "high"]
        else "even 3 replications tell it from zero, yet it is a fraction of a percentage point",
        "survey": _cell(base, "caseworker_change", "survey_progression"),
        "naive": _cell(base, "caseworker_change", "register_naive"),
        "adjusted": _cell(base, "caseworker_change", "register_hazard"),
    }
    out["exercise2"] = {source: readiness_at(base, source) for source in ("citizen", "latent", "caseworker")}
    waiting, base_waiting = runs["long_waiting"].flows["waiting"], base.flows["waiting"]
    out["exercise4"] = {
        "waiting_peak": int(waiting.max()),
        "waiting_week": int(waiting.idxmax()),
        "baseline_peak": int(base_waiting.max()),
        "baseline_week": int(base_waiting.idxmax()),
        **{source: readiness_at(runs["long_waiting"], source, WEEK) for source in ("latent", "citizen", "caseworker")},
        **{f"baseline_{s}": readiness_at(base, s, WEEK) for s in ("latent", "citizen", "caseworker")},
    }
    recession = _compared(_scenario("baseline"), _scenario("recession"))
    out["exercise5"] = {
        "job_recession": int(runs["recession"].flows.loc[WEEK, "job"]),
        "job_baseline": int(base.flows.loc[WEEK, "job"]),
        "job_1y_diff": recession.loc["share_job_within_1_year", "difference"],
        "ever_diff": recession.loc["share_ever_in_job", "difference"],
        "latent": readiness_at(runs["recession"], "latent", WEEK),
        "baseline_latent": readiness_at(base, "latent", WEEK),
    }
    job_first = _compared(_scenario("staircase"), _scenario("job_first"))
    out["exercise6"] = {
        "places_job_first": load_scenario("job_first").waiting.places_per_1000,
        "places_staircase": load_scenario("staircase").waiting.places_per_1000,
        "job_a": job_first.loc["share_job_within_1_year", "first"],
        "job_b": job_first.loc["share_job_within_1_year", "second"],
        "job_diff": job_first.loc["share_job_within_1_year", "difference"],
        "waited_a": job_first.loc["share_ever_waiting", "first"],
        "waited_b": job_first.loc["share_ever_waiting", "second"],
    }
    out["exercise7"] = {
        "latent": readiness_at(runs["leave_alone"], "latent", WEEK),
        "baseline_latent": readiness_at(base, "latent", WEEK),
    }
    tossed = _compared(_scenario("high_turnover"), _scenario("low_turnover"))
    fixed = {"trust": {"enabled": False}}
    fixed_trust = _compared(_scenario("high_turnover", **fixed), _scenario("low_turnover", **fixed))
    out["exercise8"] = {
        "change_a": tossed.loc["share_with_caseworker_change", "first"],
        "change_b": tossed.loc["share_with_caseworker_change", "second"],
        "trust_a": tossed.loc["mean_trust_at_end", "first"],
        "trust_b": tossed.loc["mean_trust_at_end", "second"],
        "trust_diff": tossed.loc["mean_trust_at_end", "difference"],
        "trust_low": tossed.loc["mean_trust_at_end", "low"],
        "trust_high": tossed.loc["mean_trust_at_end", "high"],
        "fixed_a": fixed_trust.loc["mean_trust_at_end", "first"],
        "fixed_b": fixed_trust.loc["mean_trust_at_end", "second"],
    }
    _command_line(out)
    return {name: {k: _plain(v) for k, v in numbers.items()} for name, numbers in out.items()}


def _plain(value: Any) -> Any:
    """A number as JSON holds it (rounded past what any sentence shows), or the text as it is."""
    if isinstance(value, str):
        return value
    number = float(value)
    return int(number) if number.is_integer() and abs(number) >= 1 else round(number, 6)


def sentences(name: str, numbers: dict[str, Any]) -> list[str]:
    """The guide's bullets of exercise ``name`` with ``numbers`` put in."""
    return [sentence.format(**numbers) for sentence in SENTENCES[name]]


def record(path: str | Path = RECORD) -> dict[str, Any]:
    """Compute every exercise's numbers from the app and write them, with the guide's sentences, to ``path``."""
    numbers = values()
    content = {
        "about": "What the sandbox shows for the exercises of docs/teaching.md (python -m bipsim.app.teaching)",
        "settings": SETTINGS,
        "exercises": {name: {"values": numbers[name], "lines": sentences(name, numbers[name])} for name in SENTENCES},
    }
    Path(path).write_text(json.dumps(content, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return content


def main(argv: list[str] | None = None) -> int:
    """Record the teaching guide's numbers from the app."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("path", nargs="?", default=str(RECORD), help=f"the record to write (default: {RECORD})")
    args = parser.parse_args(argv)
    record(args.path)
    print(f"recorded {args.path}; now run python -m bipsim.reports.docs")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
