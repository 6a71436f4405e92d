"""The analysis methods, declared once: what each estimates, which mechanisms it sees and what it assumes.

A method is a row of :data:`METHODS`, keyed by its ``key`` (the ``method`` column of the estimates table) and
its ``outcome``: the same key on two outcomes is two estimators (a hazard and a landmark comparison). Each
declares

- its ``lens`` (horizontal: register; vertical: survey; relational: interviews);
- the ``estimand_kind`` it targets (:data:`bipsim.contract.estimands.ESTIMAND_KINDS`): recovery compares its
  estimates only with the truth of that kind for the same mechanism;
- the ``mechanisms`` whose exposure it can see (its other rows are "not estimable" with the reason);
- the ``assumptions`` (:data:`ASSUMPTIONS`) under which it estimates that kind.

:data:`FAILURES` says which assumption fails for which mechanism's exposure, and why (from the model's rules and
the instruments' documentation); :func:`reason` joins them into the short text recovery shows next to each row.

Adding a method: write it in the module of its lens, give its rows ``estimates.row(...)`` with its key and
outcome, and declare it here with its estimand kind, mechanisms and assumptions (and any failures it meets).
"""

from __future__ import annotations

from dataclasses import dataclass

from bipsim.contract.vocabulary import INTERVENTION_KEYS, Term

LENSES: tuple[Term, ...] = (
    Term("horizontal", "Horisontal", "Horizontal", "Register-based effect measurement: regularities in registers."),
    Term("vertical", "Vertikal", "Vertical", "Survey-based progression: readiness indicators as mechanisms."),
    Term("relational", "Relationel", "Relational", "Interviews: effects bound to situated translation processes."),
)

ASSUMPTIONS: tuple[Term, ...] = (
    Term(
        "as_if_random",
        "Eksponering som tilfældig",
        "Exposure as if random",
        "Nothing that decides who is exposed also moves the outcome (the comparison adjusts for nothing).",
    ),
    Term(
        "selection_at_start",
        "Udvælgelse forklaret ved start",
        "Selection explained at the start",
        "Background, register history, the first survey wave, jobcentre and time explain who is exposed.",
    ),
    Term(
        "selection_now",
        "Udvælgelse forklaret af nu",
        "Selection explained by the current state",
        "The last survey scores, the job-ready category, being in an activity, background, jobcentre and quarter "
        "explain who is exposed.",
    ),
    Term(
        "exposure_as_it_acts",
        "Eksponering målt som den virker",
        "Exposure measured as it acts",
        "The observed exposure is the one the mechanism acts on, in the weeks it acts.",
    ),
    Term("overlap", "Overlap", "Overlap", "Everyone had a chance of being exposed and of not being exposed."),
    Term(
        "comparison_stays_unexposed",
        "Sammenligningsgruppen forbliver ueksponeret",
        "The comparison stays unexposed",
        "Those unexposed at the landmark are not exposed later.",
    ),
    Term(
        "readiness_held",
        "Parathed holdt fast",
        "Readiness held fixed",
        "Adjusting for the survey scores holds readiness fixed, so only the direct effect remains.",
    ),
    Term(
        "stable_yardstick",
        "Stabil målestok",
        "A stable yardstick",
        "Citizens' answers move one for one with their true readiness.",
    ),
    Term(
        "equal_change",
        "Samme udvikling uden eksponering",
        "Equal change without exposure",
        "Exposed and unexposed quarters would have changed alike without the exposure.",
    ),
    Term(
        "mediator_measured",
        "Mediatoren målt",
        "Mediator measured",
        "The survey measures the readiness that carries the effect, without error.",
    ),
    Term(
        "no_mediator_confounding",
        "Ingen fælles årsager til mediator og udfald",
        "No confounding of readiness and job",
        "Given the exposure and covariates, nothing else moves both readiness change and the later job.",
    ),
    Term(
        "one_effect_throughout",
        "Samme virkning hele perioden",
        "One effect for the whole study",
        "The effect is the same in every week and quarter of the study, so its truth in the twins' first 131 weeks "
        "is its truth for all of them.",
    ),
    Term(
        "told_as_lived",
        "Fortalt som levet",
        "Told as lived",
        "Citizens tell in their interviews what they lived through.",
    ),
)
ASSUMPTION_KEYS: tuple[str, ...] = tuple(a.key for a in ASSUMPTIONS)


@dataclass(frozen=True)
class Method(Term):
    """An analysis method on one outcome: its lens, the estimand kind it targets, what it sees and assumes."""

    outcome: str = ""
    lens: str = ""
    estimand_kind: str = ""
    mechanisms: tuple[str, ...] = ()
    assumptions: tuple[str, ...] = ()


REGISTER_SEES = ("caseworker_change", "caseworker_belief", *INTERVENTION_KEYS)
SURVEY_SEES = ("caseworker_change", "caseworker_belief", "waiting", *INTERVENTION_KEYS)
INTERVIEWS_SEE = ("caseworker_change", "waiting", *INTERVENTION_KEYS)
_LANDMARK = {"job_1y": "job", "self_sufficiency_2y": "self_sufficiency"}

METHODS: tuple[Method, ...] = (
    Method(
        "register_hazard",
        "Justeret forløbsmodel",
        "Adjusted hazard model",
        "Discrete-time hazard of job entry with every exposure at once, the last survey scores, activity, "
        "category, background, jobcentre and quarter.",
        outcome="job_entry",
        lens="horizontal",
        estimand_kind="hazard_structural",
        mechanisms=REGISTER_SEES,
        assumptions=("selection_now", "exposure_as_it_acts", "readiness_held", "overlap"),
    ),
    Method(
        "register_naive",
        "Naiv forløbsmodel",
        "Naive hazard model",
        "Hazard of job entry with the exposure alone.",
        outcome="job_entry",
        lens="horizontal",
        estimand_kind="hazard_total",
        mechanisms=REGISTER_SEES,
        assumptions=("as_if_random", "exposure_as_it_acts", "one_effect_throughout"),
    ),
    Method(
        "register_ipw",
        "Vægtet forløbsmodel (alle)",
        "Weighted hazard model (everyone)",
        "Hazard of job entry with the exposure alone, weighted by stabilised inverse propensity weights from "
        "pre-study covariates (weights towards the whole population).",
        outcome="job_entry",
        lens="horizontal",
        estimand_kind="hazard_average",
        mechanisms=INTERVENTION_KEYS,
        assumptions=("selection_at_start", "exposure_as_it_acts", "overlap"),
    ),
    Method(
        "register_ipw_att",
        "Vægtet forløbsmodel (de eksponerede)",
        "Weighted hazard model (the exposed)",
        "Hazard of job entry with the exposure alone, unexposed weeks weighted by their propensity odds from "
        "pre-study covariates (weights towards the exposed).",
        outcome="job_entry",
        lens="horizontal",
        estimand_kind="hazard_total",
        mechanisms=INTERVENTION_KEYS,
        assumptions=("selection_at_start", "exposure_as_it_acts", "overlap", "one_effect_throughout"),
    ),
    *(
        entry
        for outcome, kind in _LANDMARK.items()
        for entry in (
            Method(
                "register_naive",
                "Naiv sammenligning ved skæringsugen",
                "Naive landmark comparison",
                "Exposed before the landmark week against not, among those on social assistance at it.",
                outcome=outcome,
                lens="horizontal",
                estimand_kind=f"landmark_exposed_{kind}",
                mechanisms=REGISTER_SEES,
                assumptions=("as_if_random", "exposure_as_it_acts", "comparison_stays_unexposed"),
            ),
            Method(
                "register_ipw",
                "Vægtet sammenligning ved skæringsugen (alle)",
                "Weighted landmark comparison (everyone)",
                "The landmark comparison weighted by stabilised inverse propensity weights (towards the cohort).",
                outcome=outcome,
                lens="horizontal",
                estimand_kind=f"landmark_average_{kind}",
                mechanisms=REGISTER_SEES,
                assumptions=("selection_at_start", "exposure_as_it_acts", "overlap", "comparison_stays_unexposed"),
            ),
            Method(
                "register_ipw_att",
                "Vægtet sammenligning ved skæringsugen (de eksponerede)",
                "Weighted landmark comparison (the exposed)",
                "The landmark comparison with the unexposed weighted by their propensity odds (towards the exposed).",
                outcome=outcome,
                lens="horizontal",
                estimand_kind=f"landmark_exposed_{kind}",
                mechanisms=REGISTER_SEES,
                assumptions=("selection_at_start", "exposure_as_it_acts", "overlap", "comparison_stays_unexposed"),
            ),
        )
    ),
    Method(
        "survey_progression",
        "Progression i spørgeskemaet",
        "Survey progression",
        "Quarterly change of the citizen's mean score, exposed against unexposed quarters (change score with wave "
        "effects, cluster-robust by citizen).",
        outcome="citizen_readiness",
        lens="vertical",
        estimand_kind="readiness_change",
        mechanisms=SURVEY_SEES,
        assumptions=("equal_change", "stable_yardstick", "exposure_as_it_acts", "one_effect_throughout"),
    ),
    Method(
        "survey_mediation",
        "Mediering via parathed",
        "Mediation through readiness",
        "The activity's effect on the quarter's change of the citizen's score times the score's effect on a job "
        "within a year after the later wave (product of coefficients).",
        outcome="job_1y",
        lens="vertical",
        estimand_kind="readiness_mediated_job",
        mechanisms=INTERVENTION_KEYS,
        assumptions=(
            "equal_change",
            "stable_yardstick",
            "mediator_measured",
            "no_mediator_confounding",
            "exposure_as_it_acts",
        ),
    ),
    Method(
        "interviews",
        "Interviewenes temaer",
        "Interview themes",
        "Share of interviewed citizens who raise the mechanism's theme at least once.",
        outcome="theme_prevalence",
        lens="relational",
        estimand_kind="experience_share",
        mechanisms=INTERVIEWS_SEE,
        assumptions=("told_as_lived",),
    ),
    Method(
        "interviews",
        "Job i fortællingerne",
        "A job in the narratives",
        "Among interviews followed by four more, the share followed by a job theme, with the theme against without.",
        outcome="job_1y",
        lens="relational",
        estimand_kind="narrated_job_contrast",
        mechanisms=INTERVIEWS_SEE,
        assumptions=("as_if_random", "told_as_lived"),
    ),
)
METHOD_KEYS: tuple[tuple[str, str], ...] = tuple((m.key, m.outcome) for m in METHODS)

_SELECTED = "caseworkers choose on their view of readiness, which also decides who gets hired"
_SUPPORT_HIDDEN = (
    "support has its after-effect only alongside job-focused help, and the register then shows the job-focused "
    "activity: the support it sees is the support without an after-effect"
)
_BELIEF_PROXY = (
    "the survey answer 4-5 (a belief from about 0.3, carried to the next wave) stands for the hidden belief from "
    "meetings.belief_effect_threshold that acts"
)
FAILURES: dict[tuple[str, str], str] = {
    ("caseworker_change", "as_if_random"): "the longer on benefit, the likelier a change, and long spells end in "
    "jobs less often",
    ("caseworker_belief", "as_if_random"): "the belief follows the caseworker's view of readiness, which also "
    "decides who gets hired",
    ("caseworker_belief", "selection_now"): "the survey scores measure the readiness the caseworker sees with error "
    "and a quarter late",
    ("caseworker_belief", "exposure_as_it_acts"): _BELIEF_PROXY,
    ("waiting", "exposure_as_it_acts"): "waiting is known only from the interviews, for the interview sample",
    ("waiting", "told_as_lived"): "short waits are not always told",
    **{(key, "as_if_random"): _SELECTED for key in INTERVENTION_KEYS},
    **{
        (key, "selection_at_start"): "offers follow the caseworker's current view, which moves after the first wave"
        for key in INTERVENTION_KEYS
    },
    **{
        (key, "selection_now"): "the survey scores measure the readiness the caseworker sees with error"
        for key in INTERVENTION_KEYS
    },
    **{(key, "exposure_as_it_acts"): _SUPPORT_HIDDEN for key in ("skills", "mentor", "health")},
    **{
        (key, "readiness_held"): "the survey scores measure readiness with error, so part of the activity's "
        "readiness gain stays in the estimate"
        for key in INTERVENTION_KEYS
    },
    **{
        (key, "comparison_stays_unexposed"): "the unexposed at the landmark may be exposed later; the twin removes "
        "every exposure"
        for key in REGISTER_SEES
    },
    **{
        (key, "stable_yardstick"): "citizens' answers hide part of their own change (citizen_rating.response_shift)"
        for key in SURVEY_SEES
    },
    ("health", "equal_change"): "health help goes to those whose health just fell, who recover anyway",
    **{
        (key, "mediator_measured"): "a noisy score on a moving yardstick hides part of the path through readiness"
        for key in INTERVENTION_KEYS
    },
    **{
        (key, "no_mediator_confounding"): "baseline readiness and orientation move both the change and later jobs"
        for key in INTERVENTION_KEYS
    },
    **{
        (key, "told_as_lived"): "an activity counts only when a narrative about an offer names it"
        for key in INTERVENTION_KEYS
    },
}
"""Which assumption fails for which mechanism's exposure, and why, as (mechanism, assumption) -> reason."""


def method(key: str, outcome: str) -> Method:
    """The method ``key`` on ``outcome``."""
    return METHODS[METHOD_KEYS.index((key, outcome))]


def assumption(key: str) -> Term:
    """The assumption called ``key``."""
    return ASSUMPTIONS[ASSUMPTION_KEYS.index(key)]


def failed(key: str, outcome: str, mechanism: str) -> list[tuple[str, str]]:
    """The assumptions of method (``key``, ``outcome``) that fail for ``mechanism``, each with why."""
    return [(a, FAILURES[(mechanism, a)]) for a in method(key, outcome).assumptions if (mechanism, a) in FAILURES]


def reason(key: str, outcome: str, mechanism: str) -> str:
    """The short reason shown next to a recovery row: which of the method's assumptions fail here, and why."""
    entry = method(key, outcome)
    if mechanism not in entry.mechanisms:
        return "the method cannot see this exposure"
    failures = failed(key, outcome, mechanism)
    if not failures:
        return "its assumptions hold for this exposure"
    return "; ".join(f"{assumption(a).en.lower()} fails: {why}" for a, why in failures)
