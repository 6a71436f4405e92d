"""The estimands (ADEMP's "E"): which mechanism's effect is asked about, for whom, against what, on which scale.

Declared once and iterated over by the analyses, the counterfactual twins, recovery, triangulation and the app.
An estimand in full is a mechanism of :data:`ESTIMANDS` together with an estimand kind of
:data:`ESTIMAND_KINDS`:

- :data:`ESTIMANDS`, one per mechanism: the ``mechanism`` (scenario group) whose rule makes the effect, the
  ``exposure`` as the observed data show it, and the scenario changes of its contrasts: ``contrast`` removes the
  mechanism (switched off, its strength set to none, or the activity withheld from everyone) and
  ``channel_contrast`` removes only its effect on readiness (empty: no such twin). Every contrast acts from week 0
  in a twin run with the same seed, so every other random number is the same and the difference between the runs
  is the effect;
- :data:`ESTIMAND_KINDS`, the same for every mechanism: the ``population`` (:data:`POPULATIONS`), which
  ``contrast`` (:data:`CONTRASTS`), the ``outcome`` (:data:`EFFECT_OUTCOMES`), the summary measure (``scale``),
  whether it is a total effect, a natural indirect effect or the planted structural effect (:data:`EFFECTS`), and
  how its truth is computed (``truth``) or why nothing gives it (``no_truth``).

Each analysis method declares the estimand kind it targets (:mod:`bipsim.analysis.methods`), and recovery
compares an estimate only with the truth of that kind for the same mechanism. :data:`PLANTED` names the planted
strength of a mechanism, which recovery shows in a column of its own.

Adding an estimand kind: an entry here, its truth in :data:`bipsim.recovery.replicate.TRUTHS` (keyed by the kind,
computed from a factual and a twin run with the functions of :mod:`bipsim.counterfactual`), and a method that
targets it. Adding a mechanism's estimand: an entry in :data:`ESTIMANDS` with its contrasts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bipsim.contract.vocabulary import INTERVENTIONS, Term

CHANNEL_TWINS: tuple[str, ...] = ("public_placement", "mentor")
"""Activities whose readiness channel a twin removes, for the mediation's truth: the commonest job-focused and
support activity. Each costs a model run per recovery replication; add a type here to give its mediation a truth.
"""


@dataclass(frozen=True)
class Estimand(Term):
    """A mechanism's effect: the mechanism, its observed exposure and the scenario changes of its contrasts."""

    mechanism: str = ""
    exposure: str = ""
    contrast: dict[str, dict[str, Any]] = field(default_factory=dict)
    contrast_text: str = ""
    expected_sign: str = "+"
    channel_contrast: dict[str, dict[str, Any]] = field(default_factory=dict)
    not_observed: str = ""
    """Why no analysis of the observed data can estimate it (empty: some can); the twin still gives its truth."""


ESTIMANDS: tuple[Estimand, ...] = (
    Estimand(
        "caseworker_change",
        "Sagsbehandlerskift",
        "Caseworker change",
        "The citizen's caseworker is replaced (the caseworker leaves or the caseload is moved).",
        mechanism="turnover",
        exposure="the register's caseworker_id differs from that of the previous register week with a caseworker",
        contrast={"turnover": {"enabled": False}},
        contrast_text="caseworkers leave and citizens are moved (turnover switched off in the twin)",
        expected_sign="-",
    ),
    Estimand(
        "caseworker_belief",
        "Sagsbehandlerens tro på job",
        "Caseworker's belief in a job",
        "The caseworker believes the citizen will have a job within a year.",
        mechanism="meetings",
        exposure="the caseworker answers 4-5 to the survey item caseworker_job_belief (carried to the next wave); "
        "the planted effect acts on the caseworker's hidden belief from meetings.belief_effect_threshold",
        contrast={"meetings": {"belief_effect": 1.0}},
        contrast_text="the caseworker's belief raises job chances (belief effect set to 1 in the twin)",
        expected_sign="+",
    ),
    Estimand(
        "waiting",
        "Ventetid",
        "Waiting",
        "The citizen waits for a place on an offered activity.",
        mechanism="waiting",
        exposure="not in the register (coded as social assistance without activity) nor the survey; interviews only",
        contrast={"waiting": {"enabled": False}},
        contrast_text="limited places make citizens wait (unlimited places in the twin)",
        expected_sign="-",
    ),
    Estimand(
        "business_cycle",
        "Konjunktur",
        "Business cycle",
        "Labour demand and employers' hiring thresholds move with the business cycle.",
        mechanism="labour_market",
        exposure="no observed table holds a demand series; calendar time is confounded with duration on benefit",
        contrast={"labour_market": {"enabled": False}},
        contrast_text="demand and thresholds move with the cycle (flat demand in the twin)",
        expected_sign="+",
    ),
    Estimand(
        "trust",
        "Tillid til jobcentret",
        "Trust in the jobcentre",
        "Trust moves with what the system does (caseworker changes, long waits, reversals, long exemptions) and "
        "changes how meetings and interventions land.",
        mechanism="trust",
        exposure="not in the register; the survey's coherence item reads trust only partly, and the interviews tell "
        "it in the citizen's words",
        contrast={"trust": {"enabled": False}},
        contrast_text="trust moves and changes how help lands (trust fixed at its start in the twin)",
        expected_sign="-",
        not_observed="no observed table measures trust: the survey's coherence item mixes it with the effort's "
        "coherence",
    ),
    Estimand(
        "search",
        "Modløshed og fastlåsning",
        "Discouragement and lock-in",
        "Job search falls with time on benefit and after rejections, and while in a programme.",
        mechanism="search",
        exposure="time on assistance and a running activity are in the register, but search effort is observed "
        "nowhere",
        contrast={"search": {"enabled": False}},
        contrast_text="search falls with duration, rejections and programmes (it does not in the twin)",
        expected_sign="-",
        not_observed="search effort and rejections are observed nowhere; time on assistance is the study's clock",
    ),
    Estimand(
        "employer_learning",
        "Arbejdsgivernes erfaring",
        "Employers' learning",
        "An employer whose hire from the jobcentre failed early becomes more hesitant; a lasting hire, less.",
        mechanism="employer_learning",
        exposure="the register has no employer's history with the jobcentre; the employer interviews tell it",
        contrast={"employer_learning": {"enabled": False}},
        contrast_text="employers learn from their hires (they never do in the twin)",
        expected_sign="-",
        not_observed="no observed table follows an employer's experience with the jobcentre's citizens",
    ),
    *(
        Estimand(
            i.key,
            i.da,
            i.en,
            f"A completed {i.en.lower()}.",
            mechanism="interventions",
            exposure="a completed spell of the activity in the register (still on assistance the week after); the "
            "register shows one activity a week, job-focused help first",
            contrast={"interventions": {"withheld": [i.key]}},
            contrast_text=f"{i.key.replace('_', ' ')} is offered (withheld from everyone in the twin)",
            expected_sign="+",
            channel_contrast={"interventions": {"without_readiness_gain": [i.key]}} if i.key in CHANNEL_TWINS else {},
        )
        for i in INTERVENTIONS
    ),
)
ESTIMAND_KEYS: tuple[str, ...] = tuple(e.key for e in ESTIMANDS)
NOT_OBSERVED: dict[str, str] = {e.key: e.not_observed for e in ESTIMANDS if e.not_observed}
"""The estimands no analysis of the observed data can estimate, with the reason; they have twin truths only."""
EXPECTED_SIGN: dict[str, str] = {e.key: e.expected_sign for e in ESTIMANDS}


def estimand(key: str) -> Estimand:
    """The estimand called ``key``."""
    return ESTIMANDS[ESTIMAND_KEYS.index(key)]


PLANTED: dict[str, str] = {
    "caseworker_belief": "meetings.belief_effect",
    "private_placement": "interventions.private_placement_multiplier",
    "public_placement": "interventions.public_placement_multiplier",
    "wage_subsidy": "interventions.wage_subsidy_multiplier",
    "skills": "interventions.other_activation_multiplier",
    "mentor": "interventions.other_activation_multiplier",
    "health": "interventions.other_activation_multiplier",
}
"""The scenario parameter that plants a mechanism's strength on the job-chance (log hazard ratio) scale.

Shown next to the truths, never used as one: the strength is a multiplier on employer contacts in the weeks it
acts (support counts only alongside job-focused help), not the effect any population sees.
"""


@dataclass(frozen=True)
class EffectOutcome(Term):
    """An outcome that effects are estimated on, with the ``scale`` the estimates are reported on."""

    scale: str = ""


EFFECT_OUTCOMES: tuple[EffectOutcome, ...] = (
    EffectOutcome(
        "job_entry",
        "Jobstart",
        "Job entry",
        "Weekly transition from social assistance to an ordinary job (hazard methods).",
        scale="log_hazard_ratio",
    ),
    EffectOutcome(
        "job_1y",
        "Job inden for et år",
        "Job within a year",
        "Any ordinary-job week within 52 weeks: after the landmark week (register methods), after the later "
        "survey wave (mediation) or within the next four interviews (interviews).",
        scale="risk_difference",
    ),
    EffectOutcome(
        "self_sufficiency_2y",
        "Selvforsørgelse over to år",
        "Self-sufficiency over two years",
        "Share of in-population weeks self-supporting within 104 weeks.",
        scale="mean_difference",
    ),
    EffectOutcome(
        "citizen_readiness",
        "Borgerens parathed",
        "Citizen's readiness",
        "Quarterly change of the citizen's readiness: the mean of their readiness items (survey methods; in truth "
        "the latent items).",
        scale="mean_difference",
    ),
    EffectOutcome(
        "theme_prevalence",
        "Temaets udbredelse",
        "Theme prevalence",
        "Share of interviewed citizens who raise the mechanism's theme (interviews).",
        scale="share",
    ),
)
EFFECT_OUTCOME_KEYS: tuple[str, ...] = tuple(o.key for o in EFFECT_OUTCOMES)

POPULATIONS: tuple[Term, ...] = (
    Term(
        "exposed_weeks",
        "Eksponerede personuger",
        "Exposed person-weeks",
        "Weeks at risk of job entry (on social assistance) in the exposure's window: the 26 weeks after a "
        "completed activity, every week after a first caseworker change, the weeks the caseworker believes. A twin "
        "contrast counts the weeks within the twins' horizon (the landmark week and two years after it).",
    ),
    Term(
        "weeks_at_risk",
        "Alle personuger i risiko",
        "All person-weeks at risk",
        "Every week on social assistance of every citizen, exposed or not.",
    ),
    Term(
        "landmark_exposed",
        "Eksponerede ved skæringsugen",
        "Exposed at the landmark",
        "Citizens on social assistance at the landmark week 26 whom the register shows exposed before it.",
    ),
    Term(
        "landmark_cohort",
        "Alle ved skæringsugen",
        "Everyone at the landmark",
        "Every citizen on social assistance at the landmark week 26.",
    ),
    Term(
        "exposed_quarters",
        "Eksponerede kvartaler",
        "Exposed person-quarters",
        "Quarters between two survey waves that the citizen answered, with the exposure in the quarter (as it "
        "acts: for the belief the hidden belief at the earlier wave, for waiting a week waited in the quarter), "
        "within the twins' horizon (the landmark week and two years after it).",
    ),
    Term(
        "interviewed",
        "Interviewede borgere",
        "Interviewed citizens",
        "The citizens of the interview sample, each up to their last interview.",
    ),
)
POPULATION_KEYS: tuple[str, ...] = tuple(p.key for p in POPULATIONS)

CONTRASTS: tuple[Term, ...] = (
    Term(
        "removed",
        "Mekanismen fjernet",
        "Mechanism removed",
        "The mechanism removed from week 0: switched off, its strength set to none, or the activity withheld "
        "from everyone (the estimand's contrast).",
    ),
    Term(
        "structural",
        "Den plantede regel",
        "The planted rule",
        "The multiplier the mechanism's rule puts on a citizen's employer contacts in each exposed week, against the "
        "same week without it, replayed from the factual run. No twin: a model conditioned on the citizen's state "
        "asks about this citizen-level ratio, and a contrast of whole runs gives a marginal ratio instead, pulled "
        "towards 1 by who has already left for a job.",
    ),
    Term(
        "channel_removed",
        "Vejen via parathed fjernet",
        "Readiness channel removed",
        "Only the exposure's effect on readiness removed from week 0 (the estimand's channel contrast): the "
        "activity still runs and keeps its after-effect on job chances.",
    ),
    Term(
        "forced",
        "Eksponering påtvunget",
        "Exposure forced",
        "Everyone exposed against no one exposed. No bipsim twin does this: twins switch off and withhold, they "
        "cannot force an activity or a belief on those who did not get it.",
    ),
    Term("factual", "Det faktiske forløb", "What happened", "No contrast: what happened in the factual run."),
    Term(
        "none",
        "Ingen kontrast",
        "No contrast",
        "Narratives compared with narratives: there is no potential outcome of what a citizen would have told.",
    ),
)
CONTRAST_KEYS: tuple[str, ...] = tuple(c.key for c in CONTRASTS)

EFFECTS: tuple[Term, ...] = (
    Term(
        "total",
        "Samlet virkning",
        "Total effect",
        "The mechanism against no mechanism, through every path (readiness, job chances and what follows).",
    ),
    Term(
        "planted",
        "Plantet strukturel virkning",
        "Planted structural effect",
        "The exposure's own multiplier on a citizen's weekly job chance, readiness and everything else as it was: "
        "the planted strength in the weeks it acts.",
    ),
    Term(
        "natural_indirect",
        "Naturlig indirekte virkning",
        "Natural indirect effect",
        "The part of the effect that runs through readiness: the exposure kept, its readiness gains removed.",
    ),
    Term("prevalence", "Udbredelse", "Prevalence", "Not an effect: how many truly experienced the mechanism."),
    Term("association", "Sammenhæng", "Association", "A descriptive contrast with no causal estimand behind it."),
)
EFFECT_KEYS: tuple[str, ...] = tuple(e.key for e in EFFECTS)


@dataclass(frozen=True)
class EstimandKind(Term):
    """What a method estimates, the same for every mechanism: population, contrast, outcome, scale and effect.

    ``truth`` says how the twins give its true value; where no twin contrast does, ``truth`` is empty and
    ``no_truth`` says why (recovery then reports only how often the method rejects "no effect").
    """

    population: str = ""
    contrast: str = ""
    outcome: str = ""
    scale: str = ""
    effect: str = ""
    truth: str = ""
    no_truth: str = ""


_POOLED_HAZARD = (
    "log odds ratio of weekly job entry in the factual run against the twin, pooled over the factual run's "
    "exposed person-weeks, each run counting its own weeks at risk and entries (at weekly rates below 1% the odds "
    "ratio is the hazard ratio)"
)
_NO_FORCING = (
    "needs every citizen's outcome had they been exposed; bipsim's twins withhold or switch off, they cannot "
    "force the exposure on those who did not get it"
)

ESTIMAND_KINDS: tuple[EstimandKind, ...] = (
    EstimandKind(
        "hazard_total",
        "Samlet virkning på jobstart",
        "Total effect on job entry",
        "How much the mechanism raises the exposed's weekly chance of entering a job, by every path.",
        population="exposed_weeks",
        contrast="removed",
        outcome="job_entry",
        scale="log_hazard_ratio",
        effect="total",
        truth=_POOLED_HAZARD,
    ),
    EstimandKind(
        "hazard_structural",
        "Plantet virkning på jobstart",
        "Planted effect on job entry",
        "How much the exposure itself multiplies an exposed citizen's weekly chance of entering a job, readiness "
        "held as it was (what a hazard model adjusted for the citizen's current state asks).",
        population="exposed_weeks",
        contrast="structural",
        outcome="job_entry",
        scale="log_hazard_ratio",
        effect="planted",
        truth="mean over the factual run's exposed weeks at risk of the log multiplier the exposure's rule puts on "
        "employer contacts (the caseworker's belief: meetings.belief_effect; an activity: its after-effect in force "
        "against the replay without its completions)",
        no_truth="its rule has no single multiplier: a change lowers continuity, which rebuilds meeting by meeting, "
        "and brings a caseworker of other quality",
    ),
    EstimandKind(
        "hazard_average",
        "Gennemsnitlig virkning på jobstart",
        "Average effect on job entry",
        "The weekly job-entry chance if every week at risk were exposed against if none were (what weights "
        "towards the whole population ask).",
        population="weeks_at_risk",
        contrast="forced",
        outcome="job_entry",
        scale="log_hazard_ratio",
        effect="total",
        no_truth=_NO_FORCING,
    ),
    EstimandKind(
        "landmark_exposed_job",
        "Virkning på job for de eksponerede",
        "Effect on a job for the exposed",
        "For the exposed at the landmark week: a job within a year after it, with the mechanism against without.",
        population="landmark_exposed",
        contrast="removed",
        outcome="job_1y",
        scale="risk_difference",
        effect="total",
        truth="mean over the exposed cohort of their job within 52 weeks after the landmark minus their twin's",
    ),
    EstimandKind(
        "landmark_exposed_self_sufficiency",
        "Virkning på selvforsørgelse for de eksponerede",
        "Effect on self-sufficiency for the exposed",
        "For the exposed at the landmark week: the self-supporting share of the two years after it, with the "
        "mechanism against without.",
        population="landmark_exposed",
        contrast="removed",
        outcome="self_sufficiency_2y",
        scale="mean_difference",
        effect="total",
        truth="mean over the exposed cohort of their self-supporting share of the 104 weeks after the landmark "
        "minus their twin's",
    ),
    EstimandKind(
        "landmark_average_job",
        "Gennemsnitlig virkning på job",
        "Average effect on a job",
        "For everyone at the landmark week: a job within a year if all had been exposed before it against none.",
        population="landmark_cohort",
        contrast="forced",
        outcome="job_1y",
        scale="risk_difference",
        effect="total",
        no_truth=_NO_FORCING,
    ),
    EstimandKind(
        "landmark_average_self_sufficiency",
        "Gennemsnitlig virkning på selvforsørgelse",
        "Average effect on self-sufficiency",
        "For everyone at the landmark week: the self-supporting share of two years if all had been exposed "
        "before it against none.",
        population="landmark_cohort",
        contrast="forced",
        outcome="self_sufficiency_2y",
        scale="mean_difference",
        effect="total",
        no_truth=_NO_FORCING,
    ),
    EstimandKind(
        "readiness_change",
        "Virkning på parathed",
        "Effect on readiness",
        "For the exposed person-quarters: the change of true readiness over the quarter, with the mechanism "
        "against without.",
        population="exposed_quarters",
        contrast="removed",
        outcome="citizen_readiness",
        scale="mean_difference",
        effect="total",
        truth="mean over the exposed person-quarters of the change in true readiness (the mean of the latent "
        "readiness items) from the earlier wave to the later, minus the same change in the twin",
    ),
    EstimandKind(
        "readiness_mediated_job",
        "Virkning på job via parathed",
        "Effect on a job through readiness",
        "For the exposed person-quarters: a job within 52 weeks after the later wave, with the activity's "
        "readiness gains against without them (the activity itself kept).",
        population="exposed_quarters",
        contrast="channel_removed",
        outcome="job_1y",
        scale="risk_difference",
        effect="natural_indirect",
        truth="mean over the exposed person-quarters of a job within 52 weeks after the later wave minus the same "
        "in the twin without the activity's readiness gains",
        no_truth="no twin removes only this activity's readiness gains (each costs a model run per replication; "
        "CHANNEL_TWINS in bipsim/contract/estimands.py lists those that have one)",
    ),
    EstimandKind(
        "experience_share",
        "Andel med oplevelsen",
        "Share who experienced it",
        "The share of the interviewed citizens whose history truly holds the mechanism by their last interview.",
        population="interviewed",
        contrast="factual",
        outcome="theme_prevalence",
        scale="share",
        effect="prevalence",
        truth="share of the interviewed citizens with the exposure in the factual run by their last interview (no "
        "twin: a prevalence, the same in every scenario that keeps the exposure)",
    ),
    EstimandKind(
        "narrated_job_contrast",
        "Job i fortællingerne",
        "A job in the narratives",
        "How much more often a job follows in the narratives after the theme than without it.",
        population="interviewed",
        contrast="none",
        outcome="job_1y",
        scale="risk_difference",
        effect="association",
        no_truth="a contrast between narratives: no twin says what a citizen would have told",
    ),
)
ESTIMAND_KIND_KEYS: tuple[str, ...] = tuple(k.key for k in ESTIMAND_KINDS)


def estimand_kind(key: str) -> EstimandKind:
    """The estimand kind called ``key``."""
    return ESTIMAND_KINDS[ESTIMAND_KIND_KEYS.index(key)]


def contrast_of(entry: Estimand, contrast: str) -> dict[str, dict[str, Any]]:
    """The scenario changes of ``entry``'s contrast ``contrast`` (a key of :data:`CONTRASTS`); empty: no twin."""
    return {"removed": entry.contrast, "channel_removed": entry.channel_contrast}.get(contrast, {})


def has_truth(mechanism: str, kind: str) -> bool:
    """Whether the estimand of ``kind`` for ``mechanism`` has a truth: a twin contrast, the planted rule or a fact."""
    entry = estimand_kind(kind)
    if not entry.truth:
        return False
    if entry.contrast in ("removed", "channel_removed"):
        return bool(contrast_of(estimand(mechanism), entry.contrast))
    if entry.contrast == "structural":
        return mechanism in PLANTED
    return entry.contrast == "factual"
