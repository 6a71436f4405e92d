"""Initialisation: the BIP cohort, its caseworkers, employers and networks at week 0.

Background shares and history follow the published profile of activity-ready citizens (design.md §4);
personal readiness baselines combine a general level, the citizen's problems and orientation. The numbers
are scenario parameters (``population``, and the caseworker and employer traits of ``meetings`` and
``labour_market``), or the fixed assumptions below.

Fixed assumptions:
    ``BACKGROUND_SHIFTS`` and ``ORIENTATION_SHIFTS``: who has which problems, as shifts of the personal
    baseline; the published shares set how many citizens carry each background, these tables what it means.
    ``HISTORY_REFERENCE_SHARE``: job search is raised or lowered relative to the published 14% of the previous
    five years in job or education. ``LONG_TERM_SUPPORT`` (the published "at least 80%"), ``OTHER_SUPPORT``
    and ``ROOM_USE_BETA``: how the five years of history are drawn. ``SECTOR_THRESHOLD_SHIFT``: how much more
    or less readiness each sector asks for. ``PLACEMENT_OPENNESS_BETA`` and ``SUBSIDY_OPENNESS_BETA``: how
    openness to placements and wage subsidy is spread over employers (only relative openness counts).
    ``SCALE``: the indicators' 1-5 scale.
"""

from __future__ import annotations

import functools
import itertools
from types import SimpleNamespace

import networkx as nx
import numpy as np
from scipy import sparse

from bipsim.contract.vocabulary import CASEWORKER_STYLES, INDICATOR_KEYS, ORIENTATION_KEYS, SECTORS, indicator_index
from bipsim.engine.columns import NEVER, ON_BENEFIT, CaseworkerState, CitizenState, EmployerState
from bipsim.engine.streams import RandomStreams

# Shifts of the personal baseline (points on 1-5) by background and orientation: who has which problems.
BACKGROUND_SHIFTS: dict[str, dict[str, float]] = {
    "psychiatric_diagnosis": {
        "health": -0.4,
        "health_coping": -0.4,
        "everyday_coping": -0.5,
        "cooperation": -0.2,
        "social_network": -0.3,
    },
    "musculoskeletal_disorder": {"health": -0.7, "health_coping": -0.2},
    "vocational_qualification": {"labour_market_knowledge": 0.5, "work_belief": 0.3, "job_search": 0.2},
    "children": {"social_network": 0.3, "everyday_coping": -0.1},
}
ORIENTATION_SHIFTS: dict[str, dict[str, float]] = {
    "work_first": {"work_belief": 0.6, "job_search": 0.5, "goal_directedness": 0.4},
    "health_first": {"health": -0.4, "work_belief": -0.3, "goal_directedness": -0.1},
    "education_oriented": {"goal_directedness": 0.5, "labour_market_knowledge": 0.1},
    "resigned": {"work_belief": -0.6, "goal_directedness": -0.6, "job_search": -0.5},
    "distrustful": {"cooperation": -0.6, "coherence_progress": -0.5},
}
SECTOR_THRESHOLD_SHIFT: dict[str, float] = {
    "industry": 0.0,
    "construction": 0.1,
    "retail": -0.1,
    "hospitality": -0.3,
    "care": 0.0,
    "transport": -0.1,
    "office": 0.4,
}
PLACEMENT_OPENNESS_BETA = (2, 3)  # mean 0.4
SUBSIDY_OPENNESS_BETA = (1.5, 3.5)  # mean 0.3: fewer employers take wage-subsidised jobs than placements
HISTORY_REFERENCE_SHARE = 0.14  # published mean share of the previous five years in job or education
LONG_TERM_SUPPORT = (0.8, 1.0)  # share of the five years on support of the long-term recipients (published: >= 80%)
OTHER_SUPPORT = (0.4, 0.8)  # share of the five years on support of the others
ROOM_USE_BETA = (2.0, 2.0)  # share of the room left by support spent in job or education, mean 1/2
# The means the three above imply, written out: room left by support among the long-term and the others, and use
LONG_TERM_ROOM, OTHER_ROOM, ROOM_USE_MEAN = 0.1, 0.4, 0.5
SCALE = (1.0, 5.0)  # the indicators' scale


def new_citizens(params: SimpleNamespace, streams: RandomStreams) -> CitizenState:
    """Draw the study cohort: background, history, orientation and readiness, ordered by jobcentre."""
    pop = params.population
    rng = streams("population")
    n = pop.citizens
    jobcentre = np.sort(rng.integers(0, pop.jobcentres, n)).astype(np.int16)
    ages = rng.triangular(pop.age_min, pop.age_mode, pop.age_max, n)
    age = np.clip(np.round(ages), pop.age_min, pop.age_max).astype(np.int16)
    flags = {
        name: rng.random(n) < share
        for name, share in (
            ("female", pop.share_female),
            ("non_western", pop.share_non_western),
            ("vocational_qualification", pop.share_vocational_qualification),
            ("psychiatric_diagnosis", pop.share_psychiatric_diagnosis),
            ("musculoskeletal_disorder", pop.share_musculoskeletal),
            ("children", pop.share_children),
        )
    }
    weights = np.array([getattr(pop, f"weight_{k}") for k in ORIENTATION_KEYS], dtype=float)
    if weights.sum() <= 0:
        weights = np.ones_like(weights)
    orientation = rng.choice(len(ORIENTATION_KEYS), n, p=weights / weights.sum()).astype(np.int8)
    history_job, history_support = _history(pop.history_job_education_share, pop.share_long_term_support, rng, n)

    level = rng.normal(0.0, 1.0, n)
    baseline = pop.readiness_mean + pop.readiness_sd * (
        pop.readiness_level_weight * level[:, None]
        + pop.readiness_indicator_weight * rng.normal(0.0, 1.0, (n, len(INDICATOR_KEYS)))
    )
    for flag, shifts in BACKGROUND_SHIFTS.items():
        for key, shift in shifts.items():
            baseline[flags[flag], indicator_index(key)] += shift
    for code, key in enumerate(ORIENTATION_KEYS):
        for indicator, shift in ORIENTATION_SHIFTS.get(key, {}).items():
            baseline[orientation == code, indicator_index(indicator)] += shift
    baseline[:, indicator_index("job_search")] += pop.history_job_search_effect * (
        history_job - HISTORY_REFERENCE_SHARE
    )
    baseline = np.clip(baseline, *SCALE).astype(np.float32)
    latent = np.clip(baseline + rng.normal(0.0, pop.latent_start_sd, baseline.shape), *SCALE).astype(np.float32)

    prior_spell = np.minimum(rng.geometric(1 / pop.prior_spell_mean_weeks, n), pop.prior_spell_max_weeks)
    prior_spell = prior_spell.astype(np.int32)
    never = np.full(n, NEVER, dtype=np.int32)
    return CitizenState(
        age=age,
        **flags,
        jobcentre=jobcentre,
        orientation=orientation,
        history_job_education_share=history_job.astype(np.float32),
        history_support_share=history_support.astype(np.float32),
        baseline=baseline,
        latent=latent,
        exit_status=np.full(n, ON_BENEFIT, dtype=np.int8),
        job_ready=np.zeros(n, dtype=bool),
        sick_until=np.zeros(n, dtype=np.int32),
        caseworker=np.full(n, -1, dtype=np.int32),
        meetings_with_caseworker=np.zeros(n, dtype=np.int16),
        perceived_readiness=np.zeros(n),
        belief=np.zeros(n),
        next_meeting=rng.integers(0, params.meetings.interval_weeks, n).astype(np.int32),
        last_help=-rng.integers(0, pop.last_help_weeks, n).astype(np.int32),
        caseworker_changes=np.zeros(n, dtype=np.int16),
        benefit_weeks=prior_spell,
        off_benefit_weeks=np.zeros(n, dtype=np.int32),
        offers=(prior_spell > params.rules.first_offer_weeks).astype(np.int16),
        last_offer=-rng.integers(0, params.rules.repeat_offer_weeks, n).astype(np.int32),
        exempt_until=np.zeros(n, dtype=np.int32),
        programme=np.full((n, 2), -1, dtype=np.int8),
        programme_end=np.full((n, 2), NEVER, dtype=np.int32),
        queue=np.full((n, 2), -1, dtype=np.int8),
        queue_since=np.full((n, 2), NEVER, dtype=np.int32),
        job_help_until=np.full(n, -NEVER, dtype=np.int32),
        after_multiplier=np.ones(n),
        after_until=np.zeros(n, dtype=np.int32),
        employer=np.full(n, -1, dtype=np.int32),
        job_start=never.copy(),
        rehabilitation_end=never.copy(),
    )


def _history(
    job_share_mean: float, long_support_share: float, rng: np.random.Generator, n: int
) -> tuple[np.ndarray, np.ndarray]:
    """Shares of the previous five years in job or education, and on public support.

    A published share of citizens spent at least 80% of the time on support (the rest 40-80%); time in
    job or education fills part of the remaining room, scaled so that its mean is the published mean.
    """
    long_term = rng.random(n) < long_support_share
    support = np.where(long_term, rng.uniform(*LONG_TERM_SUPPORT, n), rng.uniform(*OTHER_SUPPORT, n))
    room = 1.0 - support
    use = rng.beta(*ROOM_USE_BETA, n)
    long_term_mean = long_support_share * LONG_TERM_ROOM * ROOM_USE_MEAN
    other_room = (1 - long_support_share) * OTHER_ROOM
    scale = np.clip((job_share_mean - long_term_mean) / max(other_room * ROOM_USE_MEAN, 1e-9), 0.0, 2.0)
    job = room * np.where(long_term, use, np.minimum(use * scale, 1.0))
    return job, support


def new_caseworkers(
    params: SimpleNamespace, streams: RandomStreams, citizens_per_jobcentre: np.ndarray
) -> CaseworkerState:
    """Hire each jobcentre's caseworkers in proportion to its citizens."""
    rng = streams("caseworkers")
    per_jobcentre = np.maximum(
        1, np.ceil(citizens_per_jobcentre * params.population.caseworkers_per_1000 / 1000).astype(int)
    )
    jobcentre = np.repeat(np.arange(per_jobcentre.size), per_jobcentre).astype(np.int16)
    return CaseworkerState(
        jobcentre=jobcentre,
        **caseworker_traits(params, rng, jobcentre.size),
        start_week=np.zeros(jobcentre.size, dtype=np.int32),
        end_week=np.full(jobcentre.size, NEVER, dtype=np.int32),
    )


def style_cdf(meetings: SimpleNamespace) -> np.ndarray:
    """The cumulative shares of the caseworker styles, in the order of the style codes."""
    weights = np.array([getattr(meetings, f"style_weight_{s.key}") for s in CASEWORKER_STYLES], dtype=float)
    if weights.sum() <= 0:
        weights = np.ones_like(weights)
    cdf = (weights / weights.sum()).cumsum()
    cdf /= cdf[-1]
    return cdf


def caseworker_traits(params: SimpleNamespace, rng: np.random.Generator, k: int) -> dict[str, np.ndarray]:
    """Style, quality and weekly meeting capacity for ``k`` new caseworkers."""
    m = params.meetings
    sd = m.caseworker_quality_sd
    return {
        # what rng.choice(styles, k, p=shares) draws, without its checks (a hire draws one caseworker)
        "style": style_cdf(m).searchsorted(rng.random(k), side="right").astype(np.int8),
        "quality": np.exp(rng.normal(-sd * sd / 2, sd, k)),
        "capacity": np.maximum(
            1, m.capacity_per_week + rng.integers(-m.capacity_spread, m.capacity_spread + 1, k)
        ).astype(np.int16),
    }


def new_employers(params: SimpleNamespace, streams: RandomStreams) -> tuple[EmployerState, nx.Graph]:
    """Employers with sector, size, threshold and openness, and their ties to jobcentres (a graph)."""
    rng = streams("employers")
    pop, market = params.population, params.labour_market
    k = max(pop.jobcentres, int(round(pop.employers_per_1000 * pop.citizens / 1000)))
    sector = rng.integers(0, len(SECTORS), k).astype(np.int8)
    size = rng.lognormal(0.0, market.employer_size_sd, k)
    shift = np.array([SECTOR_THRESHOLD_SHIFT[s.key] for s in SECTORS])[sector]
    home = rng.integers(0, pop.jobcentres, k).astype(np.int16)
    employers = EmployerState(
        sector=sector,
        size_weight=size / size.mean(),
        threshold=market.hiring_threshold + shift + rng.normal(0.0, market.threshold_sd, k),
        placement_openness=rng.beta(*PLACEMENT_OPENNESS_BETA, k),
        subsidy_openness=rng.beta(*SUBSIDY_OPENNESS_BETA, k),
        home_jobcentre=home,
    )
    ties = nx.Graph()
    ties.add_nodes_from((("jobcentre", j) for j in range(pop.jobcentres)), kind="jobcentre")
    ties.add_nodes_from((("employer", e) for e in range(k)), kind="employer")
    ties.add_edges_from((("employer", e), ("jobcentre", int(home[e]))) for e in range(k))
    reach = rng.random(k) < market.shared_employer_share
    other = rng.integers(0, pop.jobcentres, k)
    ties.add_edges_from((("employer", e), ("jobcentre", int(other[e]))) for e in np.flatnonzero(reach))
    return employers, ties


def employers_by_jobcentre(ties: nx.Graph, jobcentres: int) -> list[np.ndarray]:
    """For each jobcentre, the sorted indices of the employers tied to it."""
    return [np.sort([e for _, e in ties.neighbors(("jobcentre", j))]).astype(np.int32) for j in range(jobcentres)]


def social_network(
    params: SimpleNamespace, streams: RandomStreams, n: int
) -> tuple[nx.Graph, np.ndarray, sparse.csr_array]:
    """A small-world network of citizens (neighbours mostly share a jobcentre), its edges and adjacency matrix.

    The edges are an (ties, 2) int32 array in the graph's edge order; the truth's network table is made of them.
    """
    net = params.network
    seed = int(streams("network").integers(0, 2**31 - 1))
    degree = min(net.degree, max(2, n - 1))
    if n <= SHARED_NETWORK_CITIZENS:
        return _shared_small_world(n, degree, net.rewiring, seed)
    return _small_world(n, degree, net.rewiring, seed)


SHARED_NETWORK_CITIZENS = 100_000
"""Up to this many citizens, a network is kept for the next run that draws the same one (see below)."""


@functools.lru_cache(maxsize=2)
def _shared_small_world(
    n: int, degree: int, rewiring: float, seed: int
) -> tuple[nx.Graph, np.ndarray, sparse.csr_array]:
    """:func:`_small_world`, kept for the next run that draws the same network.

    A recovery study's twins share their factual run's seed and so its network, which took a tenth of a twin's time
    to build. The runs only read it; its arrays are read-only so that none can change it for the others.
    """
    graph, edges, adjacency = _small_world(n, degree, rewiring, seed)
    for array in (edges, adjacency.data, adjacency.indices, adjacency.indptr):
        array.setflags(write=False)
    return graph, edges, adjacency


def _small_world(n: int, degree: int, rewiring: float, seed: int) -> tuple[nx.Graph, np.ndarray, sparse.csr_array]:
    """The Watts-Strogatz graph of ``n`` citizens, its (ties, 2) edge array and its adjacency matrix."""
    graph = nx.watts_strogatz_graph(n, degree, rewiring, seed=seed)
    # From the edge array: networkx's own conversion walks the graph's dicts in Python (0.7 s at 100,000).
    # fromiter over the flattened pairs skips building a Python list of tuples.
    edges = np.fromiter(itertools.chain.from_iterable(graph.edges()), dtype=np.int32).reshape(-1, 2)
    tie, other = edges.T
    rows, columns = np.concatenate([tie, other]), np.concatenate([other, tie])
    adjacency = sparse.csr_array((np.ones(rows.size), (rows, columns)), shape=(n, n))
    adjacency.sort_indices()
    return graph, edges, adjacency
