"""What the sandbox shows, computed once per run: small tidy tables cut from the truth and the observed data.

:func:`run_scenario` runs the model, applies the instruments and reduces the big tables (a row per citizen
and week) to the few thousand rows the figures need, so that changing the language, the indicator or the
story never reruns anything. It is a pure function of (scenario, seed) and is meant to run off the event
loop; ``progress(done, total)`` is called after every simulated week.
"""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from bipsim.analysis.calibration import calibrate
from bipsim.app.methods import triangulation
from bipsim.contract.codes import BENEFIT_KEYS
from bipsim.contract.outcomes import IN_APP
from bipsim.contract.vocabulary import INDICATOR_KEYS, INTERVENTION_KEYS, STATUS_KEYS
from bipsim.ensemble.execute import execute
from bipsim.ensemble.plan import Plan
from bipsim.ensemble.summarise import compare
from bipsim.instruments import Observed, observe
from bipsim.instruments.survey import MEASURED_STATUSES
from bipsim.model import BipModel
from bipsim.model.truth import Truth
from bipsim.scenario import Scenario

if TYPE_CHECKING:
    from bipsim.ensemble.uncertainty import ParameterEnsemble

QUARTER = 13
# The flows figure folds the five ways out of social assistance into one band; the story lanes keep them.
EXITED: tuple[str, ...] = ("flexi_job", "rehabilitation", "disability_pension", "education", "out")
FLOW_BANDS: tuple[str, ...] = ("activity_ready", "job_ready", "in_activity", "waiting", "sick", "job", "exited")
STORY_EVENTS: tuple[str, ...] = (
    "meeting",
    "caseworker_change",
    "waiting_start",
    "intervention_start",
    "employer_contact",
    "hire",
    "separation",
    "health_shock",
    "exemption",
)
Progress = Callable[[int, int], None]


@dataclass
class Story:
    """One citizen of the qualitative sample: weekly spells, events and interview narratives."""

    citizen_id: int
    orientation: str
    spells: pd.DataFrame  # lane, key, start, end (weeks, end exclusive)
    events: pd.DataFrame  # week, event, caseworker_id, employer_id, detail
    interviews: pd.DataFrame  # wave, week, themes, text_da, text_en


LATER: tuple[str, ...] = ("readiness", "self_sufficiency", "calibration", "stories", "triangulation")
"""The tables of a run that the first tab (Flows) does not show: made after the figures are on screen."""


class _Later:
    """The tables of :data:`LATER`, made from the run's model and truth on first use or all by :meth:`complete`.

    The observed data and these tables took about two thirds of the time from Run to figures at BIP scale; the
    figures on screen need none of them. They are the same tables, made from the same finished model: only when
    they are made changes. Once all are made the model, its truth and its observed data are let go.
    """

    def __init__(self, model: BipModel, truth: Truth) -> None:
        self._lock = threading.Lock()
        self._inputs: tuple[BipModel, Truth] | None = (model, truth)
        self._observed: Observed | None = None
        self._tables: dict[str, Any] = {}

    def get(self, name: str) -> Any:
        """Table ``name``, made now if it is not made yet (the first caller makes it, others wait for it)."""
        with self._lock:
            if name not in self._tables:
                self._tables[name] = self._make(name)
            return self._tables[name]

    def _make(self, name: str) -> Any:
        assert self._inputs is not None, "every table is made once the inputs are let go"
        model, truth = self._inputs
        if self._observed is None:
            self._observed = observe(model, truth)
        observed = self._observed
        if name == "readiness":
            return readiness(truth, observed)
        if name == "self_sufficiency":
            return self_sufficiency_by_quarter(observed)
        if name == "calibration":
            return calibrate(observed)
        if name == "stories":
            return stories(model, truth, observed)
        return triangulation(observed)

    def complete(self) -> None:
        """Make every table not made yet, then let the model, its truth and its observed data go."""
        for name in LATER:
            self.get(name)
        with self._lock:
            self._inputs = self._observed = None

    def __getstate__(self) -> dict[str, Any]:
        self.complete()
        return {"_tables": self._tables}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self._lock, self._inputs, self._observed, self._tables = threading.Lock(), None, None, state["_tables"]


@dataclass
class RunResult:
    """The reduced tables of one finished run, read-only once built.

    The tables of :data:`LATER` are made when first read (or by :meth:`complete`, which the run cache calls in the
    background once the run is delivered), so the figures of the open tab do not wait for them.
    """

    scenario: Scenario
    seed: int
    summary: dict[str, float]
    flows: pd.DataFrame  # week x FLOW_BANDS, citizens
    activities: pd.DataFrame  # week x INTERVENTION_KEYS, citizens
    job_entries: pd.DataFrame  # quarter, hires
    later: _Later = field(repr=False, compare=False)
    seconds: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def readiness(self) -> pd.DataFrame:
        """Orientation, indicator, week, source, mean, n: latent truth and both raters' answers."""
        return self.later.get("readiness")

    @property
    def self_sufficiency(self) -> pd.DataFrame:
        """Quarter, group, mean, n: the self-sufficiency degree of those who got a job and those who did not."""
        return self.later.get("self_sufficiency")

    @property
    def calibration(self) -> pd.DataFrame:
        """The published figures against the run's observed ones."""
        return self.later.get("calibration")

    @property
    def stories(self) -> dict[int, Story]:
        """The interviewed citizens' timelines and narratives, by citizen id."""
        return self.later.get("stories")

    @property
    def triangulation(self) -> pd.DataFrame | None:
        """Each method's estimate against the truth it targets."""
        return self.later.get("triangulation")

    def complete(self) -> None:
        """Make every table not made yet and let the model go (see :class:`_Later`)."""
        self.later.complete()


def _weekly_counts(column: pd.Series, weeks: np.ndarray, n_weeks: int) -> np.ndarray:
    """Rows per (week, category) of a categorical column of the weekly table, as a weeks x categories array."""
    codes = column.cat.codes.to_numpy().astype(np.int64)
    k = len(column.cat.categories)
    return np.bincount(weeks * k + codes, minlength=n_weeks * k).reshape(n_weeks, k)


def _counts_per_week(truth: Truth, column: str, keys: tuple[str, ...]) -> pd.DataFrame:
    """Citizens per week in each category of the weekly ``column``, one column per key."""
    weekly = truth.weekly
    weeks = weekly["week"].to_numpy().astype(np.int64)
    n_weeks = int(weeks.max()) + 1
    return pd.DataFrame(
        _weekly_counts(weekly[column], weeks, n_weeks),
        columns=list(weekly[column].cat.categories),
        index=pd.RangeIndex(n_weeks, name="week"),
    ).reindex(columns=list(keys), fill_value=0)


def flows(truth: Truth) -> pd.DataFrame:
    """Citizens in each flow band per week (statuses with the exits folded into ``exited``)."""
    counts = _counts_per_week(truth, "status", STATUS_KEYS)
    counts["exited"] = counts[list(EXITED)].sum(axis=1)
    return counts[list(FLOW_BANDS)]


def activities(truth: Truth) -> pd.DataFrame:
    """Citizens in each intervention type per week."""
    return _counts_per_week(truth, "activity", INTERVENTION_KEYS)


def job_entries(truth: Truth) -> pd.DataFrame:
    """Hires into an ordinary job per quarter of the study (quarter 1 is weeks 0-12)."""
    weeks = int(truth.weekly["week"].max()) + 1
    hires = truth.events.loc[truth.events["event"] == "hire", "week"].to_numpy()
    quarters = np.arange(1, (weeks - 1) // QUARTER + 2)
    counts = np.bincount(hires // QUARTER, minlength=quarters.size)[: quarters.size]
    return pd.DataFrame({"quarter": quarters, "hires": counts})


def _tidy_means(frame: pd.DataFrame, keys: list[str], items: list[str]) -> pd.DataFrame:
    """Mean and count of each item column by ``keys``, as rows (*keys, indicator, mean, n)."""
    grouped = frame.groupby(keys, observed=True)[items]
    means = grouped.mean().stack().rename("mean")
    counts = grouped.count().stack().rename("n")
    return pd.concat([means, counts], axis=1).rename_axis([*keys, "indicator"]).reset_index()


def readiness(truth: Truth, observed: Observed) -> pd.DataFrame:
    """Mean of each indicator per survey week: latent truth, citizens' answers and caseworkers' answers.

    The latent truth is averaged over the citizens still in the survey population (on social assistance),
    the answers over those who answered; ``orientation`` "all" pools the orientations.
    """
    items = [k for k in INDICATOR_KEYS if k != "caseworker_job_belief"]  # a belief, not a readiness item
    orientation = truth.citizens["orientation"].astype(str).to_numpy()
    weekly = truth.weekly  # one row per citizen and week, citizens in id order, weeks in order
    n = len(truth.citizens)
    status = weekly["status"].cat.codes.to_numpy().reshape(n, -1)
    measured = np.isin(np.asarray(weekly["status"].cat.categories), MEASURED_STATUSES)
    latent = truth.latent
    ids, weeks = latent["citizen_id"].to_numpy(), latent["week"].to_numpy()
    latent = latent[measured[status[ids, weeks]]].assign(orientation=lambda f: orientation[f["citizen_id"]])
    latent_by = _tidy_means(latent, ["orientation", "week"], items).assign(source="latent")
    latent_all = _tidy_means(latent, ["week"], items).assign(source="latent", orientation="all")
    survey = observed.survey
    survey = survey[survey["indicator"].isin(items)].assign(
        orientation=lambda f: orientation[f["citizen_id"].to_numpy()],
        indicator=lambda f: f["indicator"].astype(str),
        source=lambda f: f["respondent"].astype(str),
    )
    answers = []
    for keys in (["orientation"], []):
        table = survey.groupby([*keys, "week", "source", "indicator"], observed=True)["score"].agg(["mean", "size"])
        table = table.reset_index().rename(columns={"size": "n"})
        answers.append(table if keys else table.assign(orientation="all"))
    columns = ["orientation", "indicator", "week", "source", "mean", "n"]
    return pd.concat([t[columns] for t in (latent_all, latent_by, *answers)], ignore_index=True)


def self_sufficiency_by_quarter(observed: Observed) -> pd.DataFrame:
    """Mean self-sufficiency degree per quarter for those who got an ordinary job and those who did not.

    The degree is a citizen's share of in-population weeks in the quarter coded self-supporting in the
    register; "got a job" means the register shows an ordinary job in any week of the study.
    """
    register = observed.register_weeks
    codes = register["benefit_code"].astype(pd.CategoricalDtype(list(BENEFIT_KEYS))).cat.codes.to_numpy()
    in_population = codes != BENEFIT_KEYS.index("out")
    frame = pd.DataFrame(
        {
            "citizen_id": register["citizen_id"].to_numpy(),
            "quarter": register["week"].to_numpy() // QUARTER + 1,
            "weeks": in_population.astype(np.int64),
            "self_supporting": (register["self_supporting"].to_numpy() & in_population).astype(np.int64),
        }
    )
    got_job = frame.assign(job=codes == BENEFIT_KEYS.index("ordinary_job")).groupby("citizen_id")["job"].any()
    per_citizen = frame.groupby(["citizen_id", "quarter"])[["weeks", "self_supporting"]].sum().reset_index()
    per_citizen = per_citizen[per_citizen["weeks"] > 0]
    per_citizen["degree"] = per_citizen["self_supporting"] / per_citizen["weeks"]
    per_citizen["group"] = np.where(got_job.reindex(per_citizen["citizen_id"]).to_numpy(), "got_job", "no_job")
    table = per_citizen.groupby(["quarter", "group"])["degree"].agg(["mean", "size"]).reset_index()
    return table.rename(columns={"size": "n"})


def _spells(values: np.ndarray, lane: str, keys: np.ndarray | None = None) -> pd.DataFrame:
    """Runs of equal values in one citizen's weekly series as (lane, key, start, end) rows."""
    change = np.flatnonzero(np.r_[True, values[1:] != values[:-1]])
    ends = np.r_[change[1:], values.size]
    labels = values[change] if keys is None else keys[values[change]]
    return pd.DataFrame({"lane": lane, "key": labels.astype(str), "start": change, "end": ends})


def _plain(events: pd.DataFrame) -> pd.DataFrame:
    """Event rows with missing ids and details as empty text, so hover tools show them plainly."""
    out = pd.DataFrame({"week": events["week"].to_numpy(), "event": events["event"].astype(str).to_numpy()})
    for column in ("caseworker_id", "employer_id", "detail"):
        out[column] = events[column].astype("string").fillna("").astype(str).to_numpy()
    return out


def stories(model: BipModel, truth: Truth, observed: Observed) -> dict[int, Story]:
    """The timeline and narratives of every citizen in the qualitative sample, followed through their agents.

    Each citizen's weekly spells come from :meth:`bipsim.model.model.BipModel.citizen` (the per-agent API);
    their events from the run's event table, read once for the whole sample; their narratives from the
    observed interviews.
    """
    interviews = observed.interviews
    sample = np.unique(interviews["citizen_id"].to_numpy()).astype(np.int64)
    events = truth.events[truth.events["citizen_id"].isin(sample) & truth.events["event"].isin(STORY_EVENTS)]
    out: dict[int, Story] = {}
    for citizen_id in sample:
        citizen = model.citizen(int(citizen_id))
        rows = citizen.timeline
        status = rows["status"].astype(str).to_numpy()
        activity = rows["activity"].astype(str).to_numpy()
        caseworker = rows["caseworker_id"].to_numpy(dtype=np.int64, na_value=-1)
        lanes = [
            _spells(status, "status"),
            _spells(caseworker, "caseworker"),
            _spells(activity, "activity"),
        ]
        spells = pd.concat(lanes, ignore_index=True)
        spells = spells[~((spells["lane"] == "activity") & (spells["key"] == "none"))]
        spells = spells[~((spells["lane"] == "caseworker") & (spells["key"] == "-1"))]
        mine = events[events["citizen_id"] == citizen_id]
        out[int(citizen_id)] = Story(
            citizen_id=int(citizen_id),
            orientation=citizen.orientation,
            spells=spells.reset_index(drop=True),
            events=_plain(mine[["week", "event", "caseworker_id", "employer_id", "detail"]]),
            interviews=interviews[interviews["citizen_id"] == citizen_id][
                ["wave", "week", "themes", "text_da", "text_en"]
            ].reset_index(drop=True),
        )
    return out


def run_scenario(scenario: Scenario, seed: int, progress: Progress | None = None) -> RunResult:
    """Run ``scenario`` with ``seed`` and reduce its truth and observed data to the sandbox's tables.

    The tables of the first tab are made now; the observed data and the other tables when first read.
    """
    started = time.perf_counter()
    model = BipModel(scenario, seed=seed).run(progress)
    truth = model.truth()
    return RunResult(
        scenario=scenario,
        seed=seed,
        summary=model.summary(),
        flows=flows(truth),
        activities=activities(truth),
        job_entries=job_entries(truth),
        later=_Later(model, truth),
        seconds=time.perf_counter() - started,
    )


COMPARE_OUTCOMES: tuple[str, ...] = IN_APP  # the outcomes the app compares, declared in the contract


def compare_scenarios(
    first: Scenario,
    second: Scenario,
    seed: int,
    replications: int,
    progress: Progress | None = None,
    outcomes: tuple[str, ...] = COMPARE_OUTCOMES,
) -> pd.DataFrame:
    """Key outcomes of two scenarios over paired replications (the same seeds for both).

    Returns one row per outcome: mean of each scenario, the mean paired difference (second minus first),
    its standard error over replications and a 95% Student-t interval (NaN with one run), as ``bipsim compare``.
    """
    plan = Plan([first, second], [{}, {}], replications, seed)
    runs = pd.DataFrame(execute(plan.runs(), progress=progress))
    failed = runs[runs["status"] != "ok"]
    if len(failed):
        raise RuntimeError(f"{len(failed)} of {len(runs)} runs failed: {failed['error'].iloc[0]}")
    paired = compare(runs[runs["setting_id"] == 0], runs[runs["setting_id"] == 1], outcomes)
    table = paired.rename(columns={"mean_a": "first", "mean_b": "second"})[
        ["outcome", "first", "second", "difference", "se", "low", "high"]
    ]
    table["replications"] = replications
    return table


APP_VECTORS = 8
"""Plausible vectors the app's Compare tab runs at most: evenly spaced rows of the shipped ensemble, so a
comparison with parameter uncertainty stays a matter of minutes at the app's sizes."""


def plausible_vectors(limit: int = APP_VECTORS) -> ParameterEnsemble | None:
    """Up to ``limit`` evenly spaced vectors of the shipped plausible ensemble, or None when none is shipped.

    The file is read and checked once per server process and file version (every session's Compare tab asks).
    """
    from bipsim.ensemble import uncertainty

    if not uncertainty.packaged_available():
        return None
    path = uncertainty.PLAUSIBLE_ENSEMBLE
    return _evenly_spaced_vectors(str(path), path.stat().st_mtime_ns, limit)


@functools.lru_cache(maxsize=4)
def _evenly_spaced_vectors(path: str, version: int, limit: int) -> ParameterEnsemble:
    """Up to ``limit`` evenly spaced vectors of the ensemble file ``path`` (``version``: its modification time)."""
    from bipsim.ensemble.uncertainty import ParameterEnsemble, read_ensemble
    from bipsim.scenario import load_scenario

    ensemble = read_ensemble(path, load_scenario("baseline"))
    if len(ensemble.vectors) <= limit:
        return ensemble
    chosen = np.unique(np.linspace(0, len(ensemble.vectors) - 1, limit).round().astype(int))
    return ParameterEnsemble(
        ensemble.source,
        ensemble.names,
        [ensemble.vector_ids[i] for i in chosen],
        [ensemble.vectors[i] for i in chosen],
        ensemble.sha256,
    )


def compare_over_plausible(
    first: Scenario,
    second: Scenario,
    seed: int,
    replications: int,
    ensemble: ParameterEnsemble,
    progress: Progress | None = None,
) -> pd.DataFrame:
    """:func:`compare_scenarios` under every vector of ``ensemble``, as ``bipsim compare --ensemble``.

    The same columns, with ``low`` and ``high`` the interval that includes parameter uncertainty and ``se``
    its standard deviation, plus ``mc_low`` and ``mc_high`` (Monte Carlo only), ``same_sign`` (the share of
    vectors whose difference has the sign of the mean) and ``vectors``.
    """
    from bipsim.ensemble.uncertainty import compare_over_vectors
    from bipsim.scenario import load_scenario

    plan = Plan.across_vectors(
        [first, second],
        [{}, {}],
        ["A", "B"],
        ensemble.vectors,
        ensemble.vector_ids,
        load_scenario("baseline"),
        replications,
        seed,
    )
    runs = pd.DataFrame(execute(plan.runs(), progress=progress))
    failed = runs[runs["status"] != "ok"]
    if len(failed):
        raise RuntimeError(f"{len(failed)} of {len(runs)} runs failed: {failed['error'].iloc[0]}")
    overall, _ = compare_over_vectors(runs, plan.settings_table(), ensemble.vector_ids, COMPARE_OUTCOMES)
    table = overall.rename(columns={"mean_a": "first", "mean_b": "second"})
    table["se"] = np.hypot(table["sd_parameter"], table["sd_monte_carlo"])
    table["replications"] = replications
    columns = ["outcome", "first", "second", "difference", "se", "low", "high", "mc_low", "mc_high", "same_sign"]
    return table[[*columns, "vectors", "replications"]]


def recovery_study(scenario: Scenario, seed: int, replications: int, progress: Progress | None = None) -> pd.DataFrame:
    """The ADEMP performance table of ``replications`` recovery replications of ``scenario`` (in this process)."""
    from bipsim.recovery.study import recover

    return recover(scenario, replications, seed=seed, workers=1, progress=progress).performance
