"""Parameters of the instruments: rater error, non-response, register history and the qualitative study.

They are declared in the same style as :mod:`bipsim.scenario` (one ``param.Parameterized`` group per
concern, each parameter with default, bounds, unit and doc) so they can be registered in
``scenario.GROUPS`` under the names of :data:`INSTRUMENT_GROUPS`. Until they are, :func:`instrument_parameters`
falls back to the declared defaults.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import param

from bipsim.scenario import Count, Group, Quantity, Scenario


def _share(default: float, doc: str, unit: str = "probability") -> Quantity:
    return Quantity(default, bounds=(0.0, 1.0), unit=unit, doc=doc)


class CitizenRating(Group):
    """How citizens answer the progression survey: noise, mood, response shift and social desirability."""

    noise_sd = Quantity(0.6, bounds=(0.0, 3.0), unit="points", doc="Item-level noise of a citizen's answer.")
    mood_sd = Quantity(0.3, bounds=(0.0, 3.0), unit="points",
                       doc="Mood of the day: one shift shared by all items of a questionnaire.")
    response_shift = _share(0.4, "Share of the true change since the citizen's first questionnaire that the "
                                 "moving reference point hides (0: none, 1: change invisible).", unit="share")
    social_desirability = Quantity(0.4, bounds=(0.0, 2.0), unit="points",
                                   doc="Largest upward bias from wanting to look good; each citizen has a "
                                       "uniform share of it.")


class CaseworkerRating(Group):
    """How caseworkers rate their citizens: knowledge from meetings, anchoring, deficit lean and belief."""

    knowledge_meetings = Quantity(4.0, bounds=(0.1, 50.0), unit="meetings",
                                  doc="Meetings with the citizen after which the caseworker knows half of what "
                                      "can be known; knowledge resets at a caseworker change.")
    anchoring = _share(0.2, "Weight on the category anchor that remains even with full knowledge.", unit="share")
    anchor_activity_ready = Quantity(2.0, bounds=(1.0, 5.0), unit="points (1-5)",
                                     doc="What a caseworker assumes of an activity-ready citizen they do not know.")
    anchor_job_ready = Quantity(3.5, bounds=(1.0, 5.0), unit="points (1-5)",
                                doc="What a caseworker assumes of a job-ready citizen they do not know.")
    deficit_lean = Quantity(0.2, bounds=(0.0, 2.0), unit="points",
                            doc="Downward lean on items about the citizen's individual resources.")
    belief_halo = Quantity(0.3, bounds=(0.0, 3.0), unit="points per unit of belief",
                           doc="Shift of every item by the caseworker's belief in a job minus 0.5.")
    severity_sd = Quantity(0.25, bounds=(0.0, 2.0), unit="points", doc="Spread of caseworkers' personal severity.")
    noise_sd = Quantity(0.5, bounds=(0.0, 3.0), unit="points", doc="Item-level noise of a caseworker's rating.")
    belief_doubtful = _share(0.04, "Belief at or above which the job-belief item is 2 (doubtful) rather than 1.")
    belief_maybe = _share(0.12, "Belief at or above which the job-belief item is 3 (maybe).")
    belief_good = _share(0.3, "Belief at or above which the job-belief item is 4 (good chances; published ~20%).")
    belief_yes = _share(0.7, "Belief at or above which the job-belief item is 5 (yes; published ~6%).")


class SurveyResponse(Group):
    """Who answers the progression survey: state-dependent non-response and attrition."""

    citizen_response = _share(0.32, "Chance that a citizen of average readiness answers a wave.")
    caseworker_response = _share(0.33, "Chance that a caseworker who has met the citizen answers a wave.")
    readiness_slope = Quantity(0.6, bounds=(0.0, 5.0), unit="log-odds per point",
                               doc="How much more often citizens with higher readiness answer.")
    propensity_sd = Quantity(1.0, bounds=(0.0, 5.0), unit="log-odds",
                             doc="Spread of citizens' lasting willingness to answer.")
    sick_factor = _share(0.5, "Factor on a sick citizen's chance of answering.", unit="multiplier")
    unknown_citizen_factor = _share(0.4, "Factor on a caseworker's chance of answering for a citizen they "
                                         "have not yet met.", unit="multiplier")
    rejoin_after_exit = param.Boolean(False, doc="Measure citizens again when they return to social assistance "
                                                 "after an exit (false: attrition is permanent).")


class RegisterHistory(Group):
    """The five years before the study in the register: spells on support, in job or education, or other."""

    history_weeks = Count(260, bounds=(52, 520), unit="weeks", doc="Weeks of register history before week 0.")
    block_weeks = Count(13, bounds=(1, 52), unit="weeks", doc="Typical building block of a history spell.")
    recency = Quantity(1.5, bounds=(0.0, 10.0), unit="log-odds over the period",
                       doc="How strongly support concentrates in the years just before the study.")
    education_share = _share(0.3, "Share of job-or-education spells that are education.", unit="share")
    sickness_share = _share(0.15, "Share of support spells on sickness benefit rather than social assistance.",
                            unit="share")


class QualitativeStudy(Group):
    """The qualitative longitudinal study: interviewed citizens, observed meetings and employer interviews."""

    citizens = Count(25, bounds=(1, 500), unit="citizens", doc="Activity-ready citizens sampled at week 0.")
    study_weeks = Count(104, bounds=(0, 520), unit="weeks", doc="How long the sampled citizens are followed.")
    interval_weeks = Count(13, bounds=(1, 52), unit="weeks", doc="Weeks between interviews.")
    meeting_observation = _share(0.5, "Chance that a researcher observes a sampled citizen's meeting.")
    coping_drop = Quantity(0.3, bounds=(0.0, 4.0), unit="points",
                           doc="Fall in everyday or health coping since the last interview that the citizen "
                               "talks about.")
    employers = Count(15, bounds=(0, 500), unit="employers",
                      doc="Employers interviewed among those who took a placement or hired a citizen.")


INSTRUMENT_GROUPS: dict[str, type[Group]] = {
    "citizen_rating": CitizenRating,
    "caseworker_rating": CaseworkerRating,
    "survey_response": SurveyResponse,
    "register_history": RegisterHistory,
    "qualitative_study": QualitativeStudy,
}


def instrument_parameters(scenario: Scenario | None = None) -> SimpleNamespace:
    """Return the instruments' parameter values: from ``scenario`` where its groups are registered, else defaults."""
    groups: dict[str, SimpleNamespace] = {}
    for name, cls in INSTRUMENT_GROUPS.items():
        try:
            source: Any = getattr(scenario, name) if scenario is not None else cls(name=name)
        except AttributeError:
            source = cls(name=name)
        groups[name] = SimpleNamespace(**{k: getattr(source, k) for k in cls.param if k != "name"})
    return SimpleNamespace(**groups)


def instrument_parameter_dict(scenario: Scenario | None = None) -> dict[str, dict[str, Any]]:
    """Return the instruments' parameter values as ``{group: {name: value}}`` for manifests."""
    return {name: dict(vars(values)) for name, values in vars(instrument_parameters(scenario)).items()}
