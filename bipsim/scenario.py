"""Every parameter of bipsim, declared once, grouped by mechanism.

Each group is a ``param.Parameterized`` class: its parameters carry default, bounds, unit and a one-line
doc, so the same declaration validates TOML scenarios, documents itself, drives the CLI and gives the app
its widgets. A mechanism group has an ``enabled`` switch; turning it off removes the mechanism's planted
effect, which is how counterfactual truths are computed.

A scenario is a TOML file whose tables are group names and whose keys are parameter names; it overrides
the declared defaults. ``scenarios/baseline.toml`` is the calibrated default scenario.
"""

from __future__ import annotations

import copy
import tomllib
from collections.abc import Iterator, Mapping
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import param

from bipsim.contract.vocabulary import INTERVENTION_KEYS


class ScenarioError(ValueError):
    """A scenario that cannot be used; the message names the source, the key, the value and what is allowed."""


class Quantity(param.Number):
    """A real-valued parameter with a unit."""

    __slots__ = ["unit"]
    _slot_defaults = dict(param.Number._slot_defaults, unit="")

    def __init__(self, default: float = 0.0, *, unit: str = "", **params: Any) -> None:
        super().__init__(default=default, **params)
        self.unit = unit


class Count(param.Integer):
    """An integer parameter with a unit."""

    __slots__ = ["unit"]
    _slot_defaults = dict(param.Integer._slot_defaults, unit="")

    def __init__(self, default: int = 0, *, unit: str = "", **params: Any) -> None:
        super().__init__(default=default, **params)
        self.unit = unit


def _probability(default: float, doc: str, unit: str = "probability per week") -> Quantity:
    return Quantity(default, bounds=(0.0, 1.0), unit=unit, doc=doc)


def _multiplier(default: float, doc: str) -> Quantity:
    return Quantity(default, bounds=(1.0, 5.0), unit="hazard ratio", doc=doc)


class Group(param.Parameterized):
    """A named group of scenario parameters."""


class Mechanism(Group):
    """A group whose planted effects can be switched off as a whole."""

    enabled = param.Boolean(True, doc="Switch the mechanism on (true) or off (false).")


class Population(Group):
    """Who is in the study and for how long: the BIP cohort of activity-ready citizens."""

    citizens = Count(4000, bounds=(10, 2_000_000), unit="citizens", doc="Citizens in the study population.")
    weeks = Count(208, bounds=(1, 1040), unit="weeks", doc="Length of the simulation; one tick is a week.")
    jobcentres = Count(10, bounds=(1, 200), unit="jobcentres", doc="Jobcentres (municipalities) in the study.")
    caseworkers_per_1000 = Quantity(
        55.0, bounds=(2.0, 200.0), unit="per 1,000 citizens", doc="Caseworkers employed per 1,000 citizens."
    )
    employers_per_1000 = Quantity(
        100.0,
        bounds=(5.0, 2000.0),
        unit="per 1,000 citizens",
        doc="Employers within reach of the jobcentres per 1,000 citizens.",
    )
    age_min = Count(
        18, bounds=(15, 25), unit="years", doc="Youngest age at week 0 (assumption: social assistance from 18)."
    )
    age_mode = Count(
        34,
        bounds=(25, 55),
        unit="years",
        doc="Most common age at week 0; ages are triangular between age_min and age_max (assumption).",
    )
    age_max = Count(
        64,
        bounds=(55, 70),
        unit="years",
        doc="Oldest age at week 0 (assumption: below the age of the state pension).",
    )
    share_female = _probability(0.5, "Share of women.", unit="share")
    share_non_western = _probability(0.3, "Share with non-western origin.", unit="share")
    share_vocational_qualification = _probability(
        0.3, "Share with a vocational qualification (published: 7 in 10 without).", unit="share"
    )
    share_psychiatric_diagnosis = _probability(
        0.5, "Share with a psychiatric diagnosis (published: about half).", unit="share"
    )
    share_musculoskeletal = _probability(
        0.2, "Share with a musculoskeletal disorder (published: 1 in 5).", unit="share"
    )
    share_children = _probability(0.35, "Share living with children.", unit="share")
    history_job_education_share = _probability(
        0.14, "Mean share of the previous 5 years in job or education (published: 14%).", unit="share"
    )
    share_long_term_support = _probability(
        0.63, "Share on public support at least 80% of the previous 5 years (published: 63%).", unit="share"
    )
    readiness_mean = Quantity(
        2.4, bounds=(1.0, 5.0), unit="points (1-5)", doc="Mean personal baseline of the readiness indicators."
    )
    readiness_sd = Quantity(
        0.55, bounds=(0.0, 2.0), unit="points (1-5)", doc="Spread of the personal readiness level between citizens."
    )
    readiness_level_weight = Quantity(
        0.75,
        bounds=(0.0, 2.0),
        unit="times readiness_sd",
        doc="Weight of a citizen's general level, shared by all their indicators, in each personal baseline "
        "(assumption: indicators of one citizen go together).",
    )
    readiness_indicator_weight = Quantity(
        0.45,
        bounds=(0.0, 2.0),
        unit="times readiness_sd",
        doc="Weight of the indicator's own part in each personal baseline (assumption).",
    )
    history_job_search_effect = Quantity(
        1.5,
        bounds=(0.0, 5.0),
        unit="points per share of 5 years",
        doc="Rise in the job-search baseline per share of the previous 5 years in job or education, above the "
        "cohort's 14% (assumption: work experience keeps job search up).",
    )
    latent_start_sd = Quantity(
        0.25,
        bounds=(0.0, 2.0),
        unit="points",
        doc="Spread of the starting latent indicators around the personal baseline (assumption).",
    )
    prior_spell_mean_weeks = Count(
        80,
        bounds=(1, 520),
        unit="weeks",
        doc="Mean time on benefit before week 0 (geometric; sets the refusion clock; assumption).",
    )
    prior_spell_max_weeks = Count(
        520,
        bounds=(52, 1040),
        unit="weeks",
        doc="Longest time on benefit before week 0 that counts (assumption: ten years).",
    )
    last_help_weeks = Count(
        8,
        bounds=(1, 104),
        unit="weeks",
        doc="At week 0 each citizen's last meeting or intervention lies up to this many weeks back, evenly "
        "spread (assumption).",
    )
    weight_work_first = Quantity(
        0.25, bounds=(0.0, 1.0), unit="relative weight", doc="Relative frequency of the work-first orientation."
    )
    weight_health_first = Quantity(
        0.25, bounds=(0.0, 1.0), unit="relative weight", doc="Relative frequency of the health-first orientation."
    )
    weight_education_oriented = Quantity(
        0.15, bounds=(0.0, 1.0), unit="relative weight", doc="Relative frequency of the education-oriented orientation."
    )
    weight_resigned = Quantity(
        0.2, bounds=(0.0, 1.0), unit="relative weight", doc="Relative frequency of the resigned orientation."
    )
    weight_distrustful = Quantity(
        0.15, bounds=(0.0, 1.0), unit="relative weight", doc="Relative frequency of the distrustful orientation."
    )


class Readiness(Mechanism):
    """Readiness dynamics: drift toward a personal baseline, health shocks, regression without help."""

    drift_rate = Quantity(
        0.03,
        bounds=(0.0, 1.0),
        unit="share per week",
        doc="Share of the gap to the personal baseline closed each week (always on).",
    )
    weekly_noise_sd = Quantity(
        0.03, bounds=(0.0, 1.0), unit="points per week", doc="Week-to-week fluctuation of each indicator (always on)."
    )
    regression_grace_weeks = Count(
        8, bounds=(1, 104), unit="weeks", doc="Weeks without a meeting or intervention before regression sets in."
    )
    regression_per_week = Quantity(
        0.02,
        bounds=(0.0, 0.5),
        unit="points per week",
        doc="Planted loss of readiness per week without help after the grace period.",
    )
    health_shock_probability = _probability(
        0.004, "Weekly chance of a health shock (higher with a psychiatric diagnosis or a musculoskeletal disorder)."
    )
    frailty_shock_factor = _multiplier(
        2.0,
        "Factor on the chance of a health shock with a psychiatric diagnosis or a musculoskeletal disorder "
        "(assumption).",
    )
    health_shock_size = Quantity(
        0.8, bounds=(0.0, 4.0), unit="points", doc="Planted drop in health and health coping at a shock."
    )
    sick_weeks = Count(8, bounds=(1, 104), unit="weeks", doc="Weeks of sickness after a health shock.")


class Meetings(Mechanism):
    """Meetings ("samtalen"): readiness gains that need continuity, and the caseworker's belief."""

    interval_weeks = Count(6, bounds=(1, 52), unit="weeks", doc="Weeks between meetings (contact rule).")
    capacity_per_week = Count(
        8, bounds=(1, 60), unit="meetings per caseworker per week", doc="Meetings a caseworker can hold in a week."
    )
    capacity_spread = Count(
        2,
        bounds=(0, 20),
        unit="meetings per week",
        doc="Caseworkers' capacities spread evenly over capacity_per_week plus or minus this (at least 1; assumption).",
    )
    readiness_effect = Quantity(
        0.08,
        bounds=(0.0, 1.0),
        unit="points per meeting",
        doc="Planted gain in work belief, goal-directedness, job search and experienced "
        "coherence from a meeting with a well-known caseworker.",
    )
    continuity_meetings = Quantity(
        6.0,
        bounds=(0.1, 50.0),
        unit="meetings",
        doc="Meetings with the same caseworker it takes to build the relationship.",
    )
    continuity_memory_weeks = Count(
        26,
        bounds=(1, 520),
        unit="weeks",
        doc="Weeks without contact after which the relationship starts to fade (assumption: half a year).",
    )
    continuity_fade_weeks = Count(
        4,
        bounds=(1, 52),
        unit="weeks per meeting",
        doc="Once it fades, the relationship forgets one meeting per this many weeks without contact (assumption).",
    )
    caseworker_quality_sd = Quantity(
        0.8,
        bounds=(0.0, 1.5),
        unit="log-scale sd",
        doc="Differences between caseworkers in how much their meetings and employer "
        "work help (part of the meetings mechanism).",
    )
    observation_sd = Quantity(
        1.2,
        bounds=(0.0, 3.0),
        unit="points",
        doc="Noise in what a caseworker sees of the citizen's readiness in one meeting.",
    )
    belief_threshold = Quantity(
        2.8,
        bounds=(1.0, 5.0),
        unit="points (1-5)",
        doc="Perceived readiness at which the caseworker believes in a job within a year.",
    )
    belief_slope = Quantity(
        4.0, bounds=(0.1, 20.0), unit="per point", doc="How sharply belief rises with perceived readiness."
    )
    continuity_job_effect = _multiplier(
        1.6,
        "Planted job-chance multiplier from a caseworker who knows the "
        "citizen well and brokers employer contacts; it builds with "
        "continuity and is lost at a caseworker change.",
    )
    belief_effect = _multiplier(
        1.33,
        "Causal job-chance multiplier when the caseworker believes in the citizen (assumption: BIP's +33% is an "
        "association, which in this model hardly moves with this effect, so it cannot calibrate it).",
    )
    belief_effect_threshold = _probability(
        0.5,
        "Belief (the caseworker's chance of a job within a year) from which the caseworker counts as believing "
        "in the citizen and belief_effect applies (assumption: an even chance).",
        unit="probability",
    )
    job_ready_threshold = Quantity(
        3.0,
        bounds=(1.0, 5.0),
        unit="points (1-5)",
        doc="Perceived readiness at which the caseworker reclassifies to job-ready.",
    )
    job_ready_hysteresis = Quantity(
        0.5,
        bounds=(0.0, 4.0),
        unit="points",
        doc="How far below job_ready_threshold perceived readiness must fall before the caseworker moves a "
        "job-ready citizen back to activity-ready (assumption: categories are not changed back and forth).",
    )
    style_weight_job_focused = Quantity(
        0.35,
        bounds=(0.0, 1.0),
        unit="relative weight",
        doc="Relative frequency of the job-focused caseworker style (assumption).",
    )
    style_weight_supportive = Quantity(
        0.4, bounds=(0.0, 1.0), unit="relative weight", doc="Relative frequency of the supportive style (assumption)."
    )
    style_weight_administrative = Quantity(
        0.25,
        bounds=(0.0, 1.0),
        unit="relative weight",
        doc="Relative frequency of the administrative style (assumption).",
    )
    style_factor_job_focused = Quantity(
        1.2,
        bounds=(0.0, 3.0),
        unit="factor",
        doc="Factor on a meeting's readiness gain with a job-focused caseworker (assumption: in BIP, job-focused "
        "help did most).",
    )
    style_factor_supportive = Quantity(
        1.1,
        bounds=(0.0, 3.0),
        unit="factor",
        doc="Factor on a meeting's gain with a supportive caseworker (assumption).",
    )
    style_factor_administrative = Quantity(
        0.5,
        bounds=(0.0, 3.0),
        unit="factor",
        doc="Factor on a meeting's gain with an administrative caseworker (assumption: brief, compliance-driven "
        "meetings do little).",
    )
    orientation_factor_work_first = Quantity(
        1.0, bounds=(0.0, 3.0), unit="factor", doc="Factor on a meeting's gain for a work-first citizen (assumption)."
    )
    orientation_factor_health_first = Quantity(
        0.8,
        bounds=(0.0, 3.0),
        unit="factor",
        doc="Factor on a meeting's gain for a health-first citizen (assumption).",
    )
    orientation_factor_education_oriented = Quantity(
        1.0,
        bounds=(0.0, 3.0),
        unit="factor",
        doc="Factor on a meeting's gain for an education-oriented citizen (assumption).",
    )
    orientation_factor_resigned = Quantity(
        0.7,
        bounds=(0.0, 3.0),
        unit="factor",
        doc="Factor on a meeting's gain for a resigned citizen (assumption: gains less from talk alone).",
    )
    orientation_factor_distrustful = Quantity(
        0.5,
        bounds=(0.0, 3.0),
        unit="factor",
        doc="Factor on a meeting's gain for a distrustful citizen (assumption: gains least from talk alone).",
    )


class Waiting(Mechanism):
    """Waiting ("ventetid"): interventions have limited places, citizens queue, and waiting erodes."""

    places_per_1000 = Quantity(
        350.0,
        bounds=(1.0, 2000.0),
        unit="places per 1,000 citizens",
        doc="Intervention places a jobcentre has, all types together.",
    )
    erosion_per_week = Quantity(
        0.03,
        bounds=(0.0, 0.5),
        unit="points per week",
        doc="Planted weekly loss of work belief and goal-directedness while waiting.",
    )


class Turnover(Mechanism):
    """Caseworker turnover ("sagsbehandlerskift"): caseworkers leave, caseloads are reassigned."""

    quit_probability = _probability(
        0.0025, "Weekly chance that a caseworker leaves the jobcentre.", unit="probability per caseworker per week"
    )
    reassignment_probability = _probability(
        0.001,
        "Weekly chance that a citizen is moved to another caseworker for organisational reasons.",
        unit="probability per citizen per week",
    )
    handover_weeks = Count(
        4, bounds=(0, 52), unit="weeks", doc="Weeks before a new caseworker holds the first meeting."
    )


class Interventions(Mechanism):
    """Intervention allocation: who gets which combination, and what it does to them."""

    offer_probability = _probability(
        0.02, "Chance that a meeting without a running intervention ends with an offer.", unit="probability per meeting"
    )
    parallel_share = _probability(
        0.5,
        "Share of offers that combine job-focused and support help in parallel rather than as a staircase.",
        unit="share",
    )
    staircase_threshold = Quantity(
        3.0,
        bounds=(1.0, 5.0),
        unit="points (1-5)",
        doc="Perceived readiness needed for job-focused help in a staircase.",
    )
    private_placement_readiness = Quantity(
        2.8,
        bounds=(1.0, 5.0),
        unit="points (1-5)",
        doc="Perceived readiness from which a caseworker tries a private employer for a placement (assumption: "
        "private employers take those who look readier).",
    )
    private_placement_share = _probability(
        0.6,
        "Share of job-focused offers that are private placements between private_placement_readiness and "
        "wage_subsidy_readiness; the rest are public placements (assumption).",
        unit="share",
    )
    wage_subsidy_readiness = Quantity(
        3.1,
        bounds=(1.0, 5.0),
        unit="points (1-5)",
        doc="Perceived readiness from which a caseworker offers wage-subsidised jobs (assumption: the job closest "
        "to ordinary work goes to the readiest).",
    )
    wage_subsidy_share = _probability(
        0.5,
        "Share of job-focused offers above wage_subsidy_readiness that are wage-subsidised jobs; the rest are "
        "private placements (assumption).",
        unit="share",
    )
    domain_view_error = Quantity(
        1.0,
        bounds=(0.0, 4.0),
        unit="points",
        doc="How far off the caseworker's view of each support domain may be when choosing the support for the "
        "weakest (uniform from 0 to this; assumption).",
    )
    weekly_gain = Quantity(
        0.02,
        bounds=(0.0, 0.5),
        unit="points per week",
        doc="Planted weekly indicator gain in an intervention, before type and orientation weights.",
    )
    orientation_heterogeneity = Quantity(
        1.0,
        bounds=(0.0, 2.0),
        unit="scale",
        doc="How much the orientation changes what an intervention does (0: the same for all).",
    )
    private_placement_multiplier = _multiplier(
        1.80,
        "Causal job-chance multiplier after a completed private placement (calibrated: the study's adjusted "
        "association then matches BIP's +84%).",
    )
    public_placement_multiplier = _multiplier(
        1.64,
        "Causal job-chance multiplier after a completed public placement (calibrated: the study's adjusted "
        "association then matches BIP's +65%).",
    )
    wage_subsidy_multiplier = _multiplier(
        1.5, "Planted job-chance multiplier after a completed wage-subsidised job (assumption)."
    )
    other_activation_multiplier = _multiplier(
        1.27,
        "Causal job-chance multiplier after other completed activation (assumption: BIP's +27% is an association, "
        "which in this model hardly moves with this effect).",
    )
    after_effect_weeks = Count(
        26, bounds=(1, 208), unit="weeks", doc="Weeks the job-chance multiplier lasts after an intervention ends."
    )
    wage_subsidy_hire_probability = _probability(
        0.2, "Chance that the employer hires the citizen when a wage-subsidised job ends.", unit="probability"
    )
    withheld = param.ListSelector(
        default=[],
        objects=list(INTERVENTION_KEYS),
        doc="Intervention types nobody is offered (for counterfactual twins).",
    )
    without_readiness_gain = param.ListSelector(
        default=[],
        objects=list(INTERVENTION_KEYS),
        doc="Intervention types whose weekly indicator gains are switched off; they are still offered and keep "
        "their after-effect on job chances (for twins that ask how much of an effect runs through readiness).",
    )


class LabourMarket(Mechanism):
    """The labour market: a business cycle moves vacancies and the readiness employers ask for."""

    cycle_amplitude = Quantity(0.15, bounds=(0.0, 0.9), unit="share", doc="Amplitude of the business cycle.")
    cycle_period_weeks = Count(260, bounds=(26, 2080), unit="weeks", doc="Length of one business cycle.")
    cycle_phase = Quantity(
        0.0,
        bounds=(0.0, 1.0),
        unit="share of a cycle",
        doc="Where in the cycle week 0 is (assumption: 0, demand at its mean and rising, as the Danish labour market "
        "recovered in 2013, BIP's first year; with the default period demand falls again after week 130, which "
        "2015-2016 did not; the rising start raises the share in a job within the first year).",
    )
    recession_depth = Quantity(
        0.0, bounds=(0.0, 0.9), unit="share", doc="Extra fall in demand during a recession (0: none)."
    )
    recession_start_week = Count(52, bounds=(0, 1040), unit="week", doc="Week the recession begins.")
    recession_weeks = Count(104, bounds=(1, 1040), unit="weeks", doc="How long the recession lasts.")
    contact_rate = _probability(0.018, "Weekly chance of an employer contact at average job search.")
    job_search_elasticity = Quantity(
        1.5, bounds=(0.0, 5.0), unit="elasticity", doc="How strongly job-search behaviour raises employer contacts."
    )
    vacancies_per_employer = Quantity(
        0.5,
        bounds=(0.0, 10.0),
        unit="vacancies per employer per week",
        doc="New vacancies open to the study population at an average employer.",
    )
    hiring_threshold = Quantity(
        3.5, bounds=(1.0, 5.0), unit="points (1-5)", doc="Readiness an average employer asks for in a normal market."
    )
    threshold_sd = Quantity(0.2, bounds=(0.0, 2.0), unit="points", doc="Spread of thresholds between employers.")
    employer_size_sd = Quantity(
        1.0,
        bounds=(0.0, 3.0),
        unit="log-scale sd",
        doc="Spread of employers' sizes, which set their share of vacancies and flexi-jobs (assumption).",
    )
    shared_employer_share = _probability(
        0.3,
        "Share of employers tied to a second jobcentre besides their home one (assumption).",
        unit="share",
    )
    hiring_noise_sd = Quantity(
        0.3, bounds=(0.01, 3.0), unit="points", doc="How uncertain an employer's view of a candidate is."
    )
    competition_sensitivity = Quantity(
        1.5,
        bounds=(0.0, 10.0),
        unit="points per unit of cycle",
        doc="Rise in employers' threshold when demand falls (competition).",
    )
    separation_early = _probability(
        0.023, "Weekly chance of losing or leaving a job in its first 13 weeks (published: 26% stop within 3 months)."
    )
    separation_late = _probability(
        0.010, "Weekly chance of losing or leaving a job after 13 weeks (published: 50% stay 12 months)."
    )
    separation_readiness_slope = Quantity(
        0.5,
        bounds=(0.0, 5.0),
        unit="log-hazard per point",
        doc="How much lower readiness raises the chance of losing the job.",
    )


class Network(Mechanism):
    """Citizens' social networks carry support and job referrals."""

    degree = Count(6, bounds=(2, 50), unit="ties per citizen", doc="Average number of ties per citizen.")
    rewiring = _probability(0.1, "Share of ties reaching outside the local neighbourhood.", unit="share")
    referral_strength = Quantity(
        0.5,
        bounds=(0.0, 5.0),
        unit="multiplier per employed share",
        doc="Planted rise in employer contacts per share of employed ties.",
    )
    support_rate = Quantity(
        0.02,
        bounds=(0.0, 1.0),
        unit="share per week",
        doc="Weekly pull of the network-and-support indicator toward ties' everyday coping.",
    )


class Rules(Mechanism):
    """Refusion and rules: reimbursement schedule, municipal incentives, offer deadlines, exemptions."""

    refusion_schedule = param.Selector(
        default="in_force",
        objects=["in_force", "2016", "pre2016"],
        doc="in_force: the rules in force in each week (pre2016 until rules.reform_week, then 2016); 2016: by "
        "benefit weeks (80/40/30/20%) throughout; pre2016: by activation (50% in activity, 30% passive) throughout.",
    )
    reform_week = Count(
        118,
        bounds=(0, 1040),
        unit="week of the run",
        doc="Week in which the 2016 refusion reform takes effect (4 January 2016); 118 starts the run on "
        "1 October 2013, the first quarter of the published study period 2013-2016 (assumption).",
    )
    incentive_strength = Quantity(
        0.5, bounds=(0.0, 5.0), unit="scale", doc="How much the municipality's share of the cost steers offers."
    )
    incentive_neutral_share = _probability(
        0.5,
        "Municipal share of the benefit cost at which the 2016 schedule neither favours nor holds back "
        "job-focused help; above it the staircase threshold is lowered (assumption: half the cost).",
        unit="share",
    )
    first_offer_weeks = Count(26, bounds=(1, 208), unit="weeks", doc="A first offer is due within this time.")
    repeat_offer_weeks = Count(52, bounds=(1, 208), unit="weeks", doc="Later offers are due at least this often.")
    deadline_compliance = _probability(
        0.22,
        "Chance that a meeting at which an offer is due ends with one "
        "(published: about 1 in 4 had no offer within 65 weeks).",
        unit="probability per meeting",
    )
    exemption_threshold = Quantity(
        1.8,
        bounds=(1.0, 5.0),
        unit="points (1-5)",
        doc="Perceived readiness below which a caseworker may exempt from contact.",
    )
    exemption_probability = _probability(
        0.05, "Chance per meeting that a citizen below the threshold is exempted.", unit="probability per meeting"
    )
    exemption_weeks = Count(52, bounds=(1, 520), unit="weeks", doc="How long an exemption lasts.")


class Exits(Mechanism):
    """Exits to rehabilitation programme, flexi-job, disability pension and education."""

    education_rate = _probability(0.001, "Weekly chance of starting education for a young, goal-directed citizen.")
    education_age = Count(
        30,
        bounds=(18, 67),
        unit="years",
        doc="Age below which a citizen counts as young for education (assumption: the under-30 line of Danish "
        "education assistance, which steers the young toward education).",
    )
    education_older_factor = Quantity(
        0.2,
        bounds=(0.0, 1.0),
        unit="factor",
        doc="Factor on the education rate from exits.education_age on (assumption: older citizens rarely "
        "start education).",
    )
    education_orientation_factor = _multiplier(
        3.0, "Factor on the education rate of an education-oriented citizen (assumption)."
    )
    rehabilitation_rate = _probability(
        0.002, "Weekly chance of a rehabilitation programme for a citizen with poor health after two years on benefit."
    )
    rehabilitation_after_weeks = Count(
        104,
        bounds=(0, 520),
        unit="weeks on benefit",
        doc="Weeks on benefit after which a rehabilitation programme is open (assumption: about two years, "
        "the long, complex cases the programme is for).",
    )
    rehabilitation_health = Quantity(
        2.2,
        bounds=(1.0, 5.0),
        unit="points (1-5)",
        doc="Health below which a rehabilitation programme is open (assumption).",
    )
    rehabilitation_weeks = Count(78, bounds=(13, 260), unit="weeks", doc="Length of a rehabilitation programme.")
    flexi_job_rate = _probability(0.0015, "Weekly chance of a flexi-job for a citizen with reduced capacity.")
    flexi_job_health = Quantity(
        2.5,
        bounds=(1.0, 5.0),
        unit="points (1-5)",
        doc="Health below which capacity counts as reduced (a musculoskeletal disorder always does; assumption).",
    )
    flexi_job_readiness = Quantity(
        2.5,
        bounds=(1.0, 5.0),
        unit="points (1-5)",
        doc="Readiness above which a citizen with reduced capacity can work some hours in a flexi-job (assumption).",
    )
    pension_rate = _probability(0.002, "Weekly chance of disability pension for an older citizen in poor health.")
    pension_age = Count(
        40,
        bounds=(18, 67),
        unit="years",
        doc="Age from which disability pension is open (assumption: since the 2013 reform, citizens under 40 "
        "get a rehabilitation programme instead, save exceptions).",
    )
    pension_health = Quantity(
        1.8,
        bounds=(1.0, 5.0),
        unit="points (1-5)",
        doc="Health below which disability pension is open (assumption: very poor health).",
    )
    out_rate = _probability(0.001, "Weekly chance of leaving the population (moving, death); always on.")


class Trust(Mechanism):
    """Trust in the jobcentre: lost to caseworker changes, waits, reversals and exemptions; rebuilt by continuity."""

    initial = _probability(0.65, "Starting trust of a citizen who is neither resigned nor distrustful.", unit="0-1")
    initial_resigned = _probability(0.45, "Starting trust of a resigned citizen.", unit="0-1")
    initial_distrustful = _probability(0.25, "Starting trust of a distrustful citizen.", unit="0-1")
    loss_caseworker_change = _probability(0.08, "Trust lost at each caseworker change.", unit="0-1 per change")
    wait_tolerance_weeks = Count(
        8, bounds=(0, 208), unit="weeks", doc="Weeks of waiting for a place before it costs trust."
    )
    loss_per_waiting_week = _probability(
        0.01, "Trust lost per week of waiting beyond the tolerance.", unit="0-1 per week"
    )
    exemption_tolerance_weeks = Count(
        26, bounds=(0, 520), unit="weeks", doc="Weeks of an exemption from contact before it costs trust."
    )
    loss_per_exempt_week = _probability(
        0.006, "Trust lost per week of exemption beyond the tolerance (being put on a side track).", unit="0-1 per week"
    )
    loss_reversal = _probability(
        0.05, "Trust lost when the caseworker moves the citizen back to activity-ready.", unit="0-1 per reversal"
    )
    gain_per_meeting = _probability(
        0.08,
        "Share of the trust lost since the start that a meeting rebuilds with a caseworker the citizen "
        "knows well (times continuity).",
        unit="share per meeting",
    )
    gain_completed_placement = _probability(
        0.08, "Trust gained when job-focused help is completed.", unit="0-1 per completion"
    )
    meeting_sensitivity = Quantity(
        1.0,
        bounds=(0.0, 5.0),
        unit="per unit of trust",
        doc="Change in a meeting's readiness gain per unit of trust above or below the reference (0.6).",
    )
    intervention_sensitivity = Quantity(
        0.5,
        bounds=(0.0, 5.0),
        unit="per unit of trust",
        doc="Change in an intervention's weekly gains per unit of trust above or below the reference (0.6).",
    )
    drift_threshold = _probability(
        0.3, "Trust below which the orientation may drift to distrustful or resigned.", unit="0-1"
    )
    drift_rate = _probability(0.02, "Weekly chance of that drift while trust is below the threshold.")
    recovery_threshold = _probability(
        0.6,
        "Trust from which completing job-focused help turns a resigned or distrustful citizen back to work-first.",
        unit="0-1",
    )


class Search(Mechanism):
    """Search effort: discouragement with time on benefit and after rejections, lock-in while in a programme."""

    duration_decline = Quantity(
        0.15,
        bounds=(0.0, 2.0),
        unit="log points per year on benefit",
        doc="Fall in employer contacts per year on benefit (assumption: search effort falls over a spell).",
    )
    duration_floor = _probability(
        0.6, "Employer contacts never fall below this share of normal through duration alone.", unit="share"
    )
    rejection_effect = _probability(
        0.05, "Share of search lost per recent rejection by an employer (assumption).", unit="share per rejection"
    )
    rejection_memory_weeks = Quantity(
        13.0, bounds=(1.0, 520.0), unit="weeks", doc="Time constant over which a rejection is forgotten."
    )
    lock_in_factor = _probability(
        0.7,
        "Factor on employer contacts while in an intervention (assumption: the lock-in found by programme "
        "evaluations).",
        unit="factor",
    )


class EmployerLearning(Mechanism):
    """Employers learn: failed hires from the jobcentre make them more hesitant, lasting ones less so."""

    failed_hire_step = Quantity(
        0.3,
        bounds=(0.0, 3.0),
        unit="points (1-5)",
        doc="Rise of an employer's hiring threshold after a hire that ended within 13 weeks (assumption).",
    )
    good_hire_step = Quantity(
        0.1,
        bounds=(0.0, 3.0),
        unit="points (1-5)",
        doc="Fall of an employer's hiring threshold after a hire that lasted a year (assumption).",
    )
    memory_weeks = Quantity(
        52.0, bounds=(1.0, 520.0), unit="weeks", doc="Time constant over which an employer forgets (assumption)."
    )


class Records(Group):
    """What the model keeps of its truth as it runs."""

    latent_every_weeks = Count(
        13,
        bounds=(1, 52),
        unit="weeks",
        doc="Record latent indicators every this many weeks (13: at every survey wave).",
    )


class CitizenRating(Group):
    """How citizens answer the progression survey: noise, mood, response shift and social desirability."""

    noise_sd = Quantity(0.6, bounds=(0.0, 3.0), unit="points", doc="Item-level noise of a citizen's answer.")
    mood_sd = Quantity(
        0.3, bounds=(0.0, 3.0), unit="points", doc="Mood of the day: one shift shared by all items of a questionnaire."
    )
    response_shift = _probability(
        0.4,
        "Share of the true change since the citizen's first questionnaire that the "
        "moving reference point hides (0: none, 1: change invisible).",
        unit="share",
    )
    social_desirability = Quantity(
        0.4,
        bounds=(0.0, 2.0),
        unit="points",
        doc="Largest upward bias from wanting to look good; each citizen has a uniform share of it.",
    )
    trust_lens = Quantity(
        1.0,
        bounds=(0.0, 5.0),
        unit="points per unit of trust",
        doc="How much the citizen's trust in the jobcentre colours their answer on the coherence and progress of "
        "the effort, per unit of trust above or below 0.6 (assumption: the survey sees trust only through it).",
    )


class CaseworkerRating(Group):
    """How caseworkers rate their citizens: knowledge from meetings, anchoring, deficit lean and belief."""

    knowledge_meetings = Quantity(
        4.0,
        bounds=(0.1, 50.0),
        unit="meetings",
        doc="Meetings with the citizen after which the caseworker knows half of what "
        "can be known; knowledge resets at a caseworker change.",
    )
    anchoring = _probability(0.2, "Weight on the category anchor that remains even with full knowledge.", unit="share")
    anchor_activity_ready = Quantity(
        2.0,
        bounds=(1.0, 5.0),
        unit="points (1-5)",
        doc="What a caseworker assumes of an activity-ready citizen they do not know.",
    )
    anchor_job_ready = Quantity(
        3.5,
        bounds=(1.0, 5.0),
        unit="points (1-5)",
        doc="What a caseworker assumes of a job-ready citizen they do not know.",
    )
    deficit_lean = Quantity(
        0.2, bounds=(0.0, 2.0), unit="points", doc="Downward lean on items about the citizen's individual resources."
    )
    belief_halo = Quantity(
        0.3,
        bounds=(0.0, 3.0),
        unit="points per unit of belief",
        doc="Shift of every item by the caseworker's belief in a job minus 0.5.",
    )
    severity_sd = Quantity(0.25, bounds=(0.0, 2.0), unit="points", doc="Spread of caseworkers' personal severity.")
    noise_sd = Quantity(0.5, bounds=(0.0, 3.0), unit="points", doc="Item-level noise of a caseworker's rating.")
    belief_doubtful = _probability(
        0.04, "Belief at or above which the job-belief item is 2 (doubtful) rather than 1.", unit="probability"
    )
    belief_maybe = _probability(0.12, "Belief at or above which the job-belief item is 3 (maybe).", unit="probability")
    belief_good = _probability(
        0.3, "Belief at or above which the job-belief item is 4 (good chances; published ~20%).", unit="probability"
    )
    belief_yes = _probability(
        0.75, "Belief at or above which the job-belief item is 5 (yes; published ~6%).", unit="probability"
    )


class SurveyResponse(Group):
    """Who answers the progression survey: state-dependent non-response and attrition."""

    citizen_response = _probability(
        0.32, "Chance that a citizen of average readiness answers a wave.", unit="probability"
    )
    caseworker_response = _probability(
        0.33, "Chance that a caseworker who has met the citizen answers a wave.", unit="probability"
    )
    readiness_slope = Quantity(
        0.6,
        bounds=(0.0, 5.0),
        unit="log-odds per point",
        doc="How much more often citizens with higher readiness answer.",
    )
    propensity_sd = Quantity(
        1.0, bounds=(0.0, 5.0), unit="log-odds", doc="Spread of citizens' lasting willingness to answer."
    )
    sick_factor = _probability(0.5, "Factor on a sick citizen's chance of answering.", unit="multiplier")
    unknown_citizen_factor = _probability(
        0.4, "Factor on a caseworker's chance of answering for a citizen they have not yet met.", unit="multiplier"
    )
    rejoin_after_exit = param.Boolean(
        False,
        doc="Measure citizens again when they return to social assistance "
        "after an exit (false: attrition is permanent).",
    )


class Survey(Group):
    """The progression survey's design: how many waves, how far apart, who answers and whom it samples.

    Part of the study's data strategy (:data:`DESIGN_GROUPS`), not of the world: changing it changes what is
    observed of a run, never the run.
    """

    waves = Count(
        16,
        bounds=(1, 80),
        unit="waves",
        doc="Waves of the progression survey from week 0 (published: quarterly over four years, 16); waves that "
        "would fall after the run's last week are not held.",
    )
    interval_weeks = Count(
        13,
        bounds=(1, 52),
        unit="weeks",
        doc="Weeks between waves (published: a quarter); a multiple of records.latent_every_weeks, the weeks at "
        "which the true indicators the answers are drawn from are recorded.",
    )
    respondents = param.Selector(
        default="both",
        objects=["both", "citizens", "caseworkers"],
        doc="Who answers (published: both, half of the measurements each); with one side only, the other's "
        "questionnaires are not sent.",
    )
    sample_share = _probability(
        1.0, "Share of the cohort the survey samples at random (published: the whole cohort).", unit="share"
    )


class RegisterHistory(Group):
    """The five years before the study in the register: spells on support, in job or education, or other."""

    history_weeks = Count(260, bounds=(52, 520), unit="weeks", doc="Weeks of register history before week 0.")
    block_weeks = Count(13, bounds=(1, 52), unit="weeks", doc="Typical building block of a history spell.")
    recency = Quantity(
        1.5,
        bounds=(0.0, 10.0),
        unit="log-odds over the period",
        doc="How strongly support concentrates in the years just before the study.",
    )
    education_share = _probability(0.3, "Share of job-or-education spells that are education.", unit="share")
    sickness_share = _probability(
        0.15, "Share of support spells on sickness benefit rather than social assistance.", unit="share"
    )


class QualitativeStudy(Group):
    """The qualitative longitudinal study: interviewed citizens, observed meetings and employer interviews.

    Sampling is purposive, as a qualitative study recruits: variation in orientation, jobcentre and readiness
    rather than representativeness. Citizens tell their events with imperfect recall and sometimes keep
    silent; two coders code the transcripts with the declared error rates. Part of the study's data strategy
    (:data:`DESIGN_GROUPS`): changing it changes what is observed of a run, never the run.
    """

    citizens = Count(25, bounds=(1, 500), unit="citizens", doc="Activity-ready citizens sampled at week 0.")
    sampling = param.Selector(
        default="purposive",
        objects=["purposive", "stratified"],
        doc="How the citizens are chosen: purposive (maximum variation: every orientation about equally, spread "
        "over jobcentres and over low and high readiness) or stratified (orientations in proportion to their "
        "size, at least one each).",
    )
    study_weeks = Count(104, bounds=(0, 520), unit="weeks", doc="How long the sampled citizens are followed.")
    interval_weeks = Count(13, bounds=(1, 52), unit="weeks", doc="Weeks between interviews.")
    attrition = _probability(
        0.03,
        "Chance that a citizen still in the study drops out before the next interview (cannot be reached, "
        "declines); citizens who leave the population leave the study too.",
        unit="probability per wave",
    )
    recall = _probability(
        0.8,
        "Chance that a citizen tells an event at the first interview after it happened; salient events (a job, a "
        "placement) are told more often, routine ones (a meeting) less.",
        unit="probability",
    )
    late_recall = _probability(
        0.4,
        "Chance that an event not told at the first interview after it is told at the next one.",
        unit="probability",
    )
    silence = _probability(
        0.05,
        "Chance that a citizen declines to talk about an event they remember (twice as often when distrustful).",
        unit="probability",
    )
    duration_error = Quantity(
        0.35,
        bounds=(0.0, 2.0),
        unit="log scale",
        doc="Standard deviation of the log of the factor by which a citizen misjudges how long they waited.",
    )
    coder_a_miss = _probability(
        0.08, "Chance that the first coder misses a code the answer voices.", unit="probability"
    )
    coder_a_false = _probability(
        0.001,
        "Chance that the first coder applies a code the answer does not voice, per code and answer.",
        unit="probability",
    )
    coder_b_miss = _probability(
        0.15, "Chance that the second coder misses a code the answer voices.", unit="probability"
    )
    coder_b_false = _probability(
        0.003,
        "Chance that the second coder applies a code the answer does not voice, per code and answer.",
        unit="probability",
    )
    meeting_observation = _probability(
        0.5, "Chance that a researcher observes a sampled citizen's meeting.", unit="probability"
    )
    coping_drop = Quantity(
        0.3,
        bounds=(0.0, 4.0),
        unit="points",
        doc="Fall in everyday or health coping since the last interview that the citizen talks about.",
    )
    employers = Count(
        15,
        bounds=(0, 500),
        unit="employers",
        doc="Employers interviewed among those who took a placement or hired a citizen.",
    )


GROUPS: dict[str, type[Group]] = {
    "population": Population,
    "readiness": Readiness,
    "meetings": Meetings,
    "waiting": Waiting,
    "turnover": Turnover,
    "interventions": Interventions,
    "labour_market": LabourMarket,
    "network": Network,
    "rules": Rules,
    "exits": Exits,
    "trust": Trust,
    "search": Search,
    "employer_learning": EmployerLearning,
    "records": Records,
    "citizen_rating": CitizenRating,
    "caseworker_rating": CaseworkerRating,
    "survey_response": SurveyResponse,
    "survey": Survey,
    "register_history": RegisterHistory,
    "qualitative_study": QualitativeStudy,
}
MECHANISMS: tuple[str, ...] = tuple(name for name, cls in GROUPS.items() if issubclass(cls, Mechanism))
DESIGN_GROUPS: tuple[str, ...] = (
    "citizen_rating",
    "caseworker_rating",
    "survey_response",
    "survey",
    "qualitative_study",
)
"""The study's data strategy: how the survey and the interviews observe a run (sampling, waves, respondents,
non-response, rater error). Every other group is the world. Two scenarios that differ only here give the same
run, so a design study runs each world once and observes it with every design (:mod:`bipsim.recovery.design`)."""

BUILTIN_DIRS: tuple[Path, ...] = (
    Path(__file__).parent / "scenarios",  # installed wheel
    Path(__file__).parents[1] / "scenarios",  # source checkout
)


def parameter_names(group: str) -> list[str]:
    """Names of the scenario parameters in ``group``, in declaration order."""
    return [name for name in GROUPS[group].param if name != "name"]


def describe_allowed(p: param.Parameter) -> str:
    """What parameter ``p`` accepts, in words, for error messages and documentation."""
    unit = getattr(p, "unit", "")
    unit_text = f" ({unit})" if unit else ""
    if isinstance(p, param.Boolean):
        return "true or false"
    if isinstance(p, param.ListSelector):
        return f"a list drawn from {', '.join(map(str, p.objects))}"
    if isinstance(p, param.Selector):
        return f"one of {', '.join(repr(o) for o in p.objects)}"
    if isinstance(p, param.Integer):
        lo, hi = p.bounds
        return f"a whole number from {lo} to {hi}{unit_text}"
    if isinstance(p, param.Number):
        lo, hi = p.bounds
        return f"a number from {lo} to {hi}{unit_text}"
    return type(p).__name__


class Scenario:
    """A complete, validated set of parameters: one instance of every group.

    Read parameters as attributes, e.g. ``scenario.turnover.quit_probability``. Instances are treated as
    immutable; use :meth:`replace` to derive a changed copy.
    """

    def __init__(
        self, values: Mapping[str, Mapping[str, Any]] | None = None, *, source: str = "scenario", name: str = "custom"
    ) -> None:
        self.name = name
        self.source = source
        self._groups: dict[str, Group] = {key: cls(name=key) for key, cls in GROUPS.items()}
        for group, entries in (values or {}).items():
            self._set_group(group, entries)
        self._check_together()

    def _check_together(self) -> None:
        """Raise :class:`ScenarioError` where parameters allowed one by one do not fit together."""
        every, interval = self.records.latent_every_weeks, self.survey.interval_weeks
        if interval % every:
            raise ScenarioError(
                f"{self.source}: survey.interval_weeks = {interval} is not allowed with records.latent_every_weeks = "
                f"{every}; expected a multiple of {every} (the survey reads the true indicators recorded every "
                f"{every} weeks)"
            )

    def _set_group(self, group: str, entries: Any) -> None:
        if group not in GROUPS:
            raise ScenarioError(f"{self.source}: unknown section [{group}]; allowed sections: {', '.join(GROUPS)}")
        if not isinstance(entries, Mapping):
            raise ScenarioError(f"{self.source}: [{group}] must be a table of parameters, not {entries!r}")
        for key, value in entries.items():
            self._set(group, key, value)

    def _set(self, group: str, key: str, value: Any) -> None:
        target = self._groups[group]
        if key not in parameter_names(group):
            raise ScenarioError(
                f"{self.source}: unknown key {group}.{key} (value {value!r}); allowed keys in [{group}]: "
                f"{', '.join(parameter_names(group))}"
            )
        p = target.param[key]
        numeric = isinstance(p, param.Number) and not isinstance(p, param.Boolean)
        if numeric and isinstance(value, bool):
            raise ScenarioError(
                f"{self.source}: {group}.{key} = {value!r} is not allowed; expected {describe_allowed(p)}"
            )
        if isinstance(p, param.ListSelector) and isinstance(value, (list, tuple)):
            value = list(value)
        if isinstance(p, param.Integer) and isinstance(value, float) and value.is_integer():
            value = int(value)
        try:
            setattr(target, key, value)
        except (ValueError, TypeError):
            raise ScenarioError(
                f"{self.source}: {group}.{key} = {value!r} is not allowed; expected {describe_allowed(p)}"
            ) from None

    def __getattr__(self, group: str) -> Group:
        groups = self.__dict__.get("_groups", {})
        if group in groups:
            return groups[group]
        raise AttributeError(group)

    def __iter__(self) -> Iterator[tuple[str, Group]]:
        return iter(self._groups.items())

    def to_dict(self) -> dict[str, dict[str, Any]]:
        """All parameter values as ``{group: {name: value}}``, fully resolved."""
        return {
            group: {k: copy.copy(getattr(g, k)) for k in parameter_names(group)} for group, g in self._groups.items()
        }

    def values(self) -> SimpleNamespace:
        """A plain, read-fast snapshot (``values().turnover.enabled``) for the model's weekly loop."""
        return SimpleNamespace(**{group: SimpleNamespace(**values) for group, values in self.to_dict().items()})

    def replace(self, overrides: Mapping[str, Any] | None = None, **groups: Mapping[str, Any]) -> Scenario:
        """A copy with parameters changed.

        ``overrides`` maps dotted names (``"turnover.enabled"``) to values; keyword arguments map a group
        name to a dict of its parameters, e.g. ``replace(turnover={"enabled": False})``.
        """
        new = Scenario(self.to_dict(), source=self.source, name=self.name)
        new.source = "override"
        for dotted, value in (overrides or {}).items():
            group, _, key = dotted.partition(".")
            if not key:
                raise ScenarioError(f"override {dotted!r} must be written group.parameter, e.g. turnover.enabled")
            new._set_group(group, {key: value})
        for group, entries in groups.items():
            new._set_group(group, entries)
        new._check_together()
        new.source = self.source
        return new

    def switched_off(self, *mechanisms: str) -> Scenario:
        """A copy with the named mechanisms switched off (all of them when none are named)."""
        names = mechanisms or MECHANISMS
        return self.replace(**{m: {"enabled": False} for m in names})

    def to_toml(self) -> str:
        """The scenario as TOML text that loads back to an equal scenario."""
        lines: list[str] = []
        for group, values in self.to_dict().items():
            lines.append(f"[{group}]")
            for key, value in values.items():
                lines.append(f"{key} = {toml_value(value)}")
            lines.append("")
        return "\n".join(lines)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Scenario) and self.to_dict() == other.to_dict()

    def __repr__(self) -> str:
        return f"Scenario(name={self.name!r}, source={self.source!r})"

    @classmethod
    def from_toml(cls, path: str | Path) -> Scenario:
        """Load and validate a scenario file; raises :class:`ScenarioError` naming what is wrong."""
        path = Path(path)
        if path.is_dir():
            raise ScenarioError(f"{path}: is a folder; expected a scenario file (TOML) or a built-in scenario name")
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise ScenarioError(f"{path}: cannot read scenario file ({exc.strerror})") from None
        except UnicodeDecodeError as exc:
            raise ScenarioError(
                f"{path}: not a text file in UTF-8 (byte {exc.object[exc.start]:#04x} at position {exc.start}); "
                "expected a scenario file (TOML)"
            ) from None
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ScenarioError(f"{path}: malformed TOML: {exc}") from None
        return cls(data, source=str(path), name=path.stem)


def toml_value(value: Any) -> str:
    """A parameter value as TOML text (also how the docs show defaults)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return repr(value)


def builtin_scenarios() -> dict[str, Path]:
    """The scenario files shipped with bipsim, by name."""
    found: dict[str, Path] = {}
    for folder in BUILTIN_DIRS:
        if folder.is_dir():
            for path in sorted(folder.glob("*.toml")):
                found.setdefault(path.stem, path)
    return found


def load_scenario(scenario: str | Path | Scenario | None = None) -> Scenario:
    """Resolve a scenario: ``None`` is the baseline, a name is a built-in file, anything else a path."""
    if isinstance(scenario, Scenario):
        return scenario
    if scenario is None:
        scenario = "baseline"
    builtin = builtin_scenarios()
    text = str(scenario)
    if text in builtin and not Path(text).suffix:
        return Scenario.from_toml(builtin[text])
    path = Path(text)
    if not path.exists():
        raise ScenarioError(
            f"{text}: no such scenario file or built-in scenario; built-in scenarios: "
            f"{', '.join(builtin) or 'none found'}"
        )
    return Scenario.from_toml(path)
