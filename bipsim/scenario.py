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

from bipsim.contract.vocabulary import INTERVENTION_KEYS, INTERVENTIONS


class ScenarioError(ValueError):
    """A scenario that cannot be used; the message names the source, the key, the value and what is allowed."""


class Quantity(param.Number):
    """A real-valued parameter with a unit, and its label and doc in Danish (:func:`label_of`, :func:`doc_of`)."""

    __slots__ = ["unit", "label_da", "doc_da"]
    _slot_defaults = dict(param.Number._slot_defaults, unit="", label_da="", doc_da="")

    def __init__(
        self, default: float = 0.0, *, unit: str = "", label_da: str = "", doc_da: str = "", **params: Any
    ) -> None:
        super().__init__(default=default, **params)
        self.unit, self.label_da, self.doc_da = unit, label_da, doc_da


class Count(param.Integer):
    """An integer parameter with a unit, and its label and doc in Danish."""

    __slots__ = ["unit", "label_da", "doc_da"]
    _slot_defaults = dict(param.Integer._slot_defaults, unit="", label_da="", doc_da="")

    def __init__(
        self, default: int = 0, *, unit: str = "", label_da: str = "", doc_da: str = "", **params: Any
    ) -> None:
        super().__init__(default=default, **params)
        self.unit, self.label_da, self.doc_da = unit, label_da, doc_da


class Switch(param.Boolean):
    """A true/false parameter, and its label and doc in Danish."""

    __slots__ = ["label_da", "doc_da"]
    _slot_defaults = dict(param.Boolean._slot_defaults, label_da="", doc_da="")

    def __init__(self, default: bool = False, *, label_da: str = "", doc_da: str = "", **params: Any) -> None:
        super().__init__(default=default, **params)
        self.label_da, self.doc_da = label_da, doc_da


class Choice(param.Selector):
    """One of a few named options; ``options_da`` names each option in Danish, ``options_en`` in English words."""

    __slots__ = ["label_da", "doc_da", "options_en", "options_da"]
    _slot_defaults = dict(param.Selector._slot_defaults, label_da="", doc_da="", options_en=None, options_da=None)

    def __init__(
        self,
        *,
        label_da: str = "",
        doc_da: str = "",
        options_en: Mapping[str, str] | None = None,
        options_da: Mapping[str, str] | None = None,
        **params: Any,
    ) -> None:
        super().__init__(**params)
        self.label_da, self.doc_da = label_da, doc_da
        self.options_en, self.options_da = dict(options_en or {}), dict(options_da or {})


class Choices(param.ListSelector):
    """Any number of named options (a list); option names as in :class:`Choice`."""

    __slots__ = ["label_da", "doc_da", "options_en", "options_da"]
    _slot_defaults = dict(param.ListSelector._slot_defaults, label_da="", doc_da="", options_en=None, options_da=None)

    def __init__(
        self,
        *,
        label_da: str = "",
        doc_da: str = "",
        options_en: Mapping[str, str] | None = None,
        options_da: Mapping[str, str] | None = None,
        **params: Any,
    ) -> None:
        super().__init__(**params)
        self.label_da, self.doc_da = label_da, doc_da
        self.options_en, self.options_da = dict(options_en or {}), dict(options_da or {})


UNITS_DA: dict[str, str] = {
    "": "",
    "citizens": "borgere",
    "elasticity": "elasticitet",
    "employers": "arbejdsgivere",
    "factor": "faktor",
    "hazard ratio": "hazard ratio",
    "jobcentres": "jobcentre",
    "log scale": "logskala",
    "log-hazard per point": "log-hazard pr. point",
    "log-odds": "log-odds",
    "log-odds over the period": "log-odds over perioden",
    "log-odds per point": "log-odds pr. point",
    "log-scale sd": "sd på logskala",
    "meetings": "samtaler",
    "meetings per caseworker per week": "samtaler pr. sagsbehandler pr. uge",
    "meetings per week": "samtaler pr. uge",
    "multiplier": "faktor",
    "multiplier per employed share": "faktor pr. andel i job",
    "per 1,000 citizens": "pr. 1.000 borgere",
    "per point": "pr. point",
    "places per 1,000 citizens": "pladser pr. 1.000 borgere",
    "points": "point",
    "points (1-5)": "point (1-5)",
    "points per meeting": "point pr. samtale",
    "points per share of 5 years": "point pr. andel af 5 år",
    "points per unit of belief": "point pr. enhed tiltro",
    "points per unit of cycle": "point pr. enhed konjunktur",
    "points per week": "point pr. uge",
    "probability": "sandsynlighed",
    "probability per caseworker per week": "sandsynlighed pr. sagsbehandler pr. uge",
    "probability per citizen per week": "sandsynlighed pr. borger pr. uge",
    "probability per meeting": "sandsynlighed pr. samtale",
    "probability per wave": "sandsynlighed pr. runde",
    "probability per week": "sandsynlighed pr. uge",
    "relative weight": "relativ vægt",
    "scale": "skala",
    "share": "andel",
    "share of a cycle": "andel af en cyklus",
    "share per week": "andel pr. uge",
    "ties per citizen": "bånd pr. borger",
    "times readiness_sd": "gange readiness_sd",
    "vacancies per employer per week": "ledige stillinger pr. arbejdsgiver pr. uge",
    "waves": "runder",
    "week": "uge",
    "weeks": "uger",
    "weeks on benefit": "uger på ydelse",
    "years": "år",
    "0-1": "0-1",
    "0-1 per change": "0-1 pr. skift",
    "0-1 per completion": "0-1 pr. gennemførelse",
    "0-1 per reversal": "0-1 pr. omgørelse",
    "0-1 per week": "0-1 pr. uge",
    "log points per year on benefit": "logpoint pr. år på ydelse",
    "per unit of trust": "pr. enhed tillid",
    "points per unit of trust": "point pr. enhed tillid",
    "share per meeting": "andel pr. samtale",
    "share per rejection": "andel pr. afslag",
    "week of the run": "uge i kørslen",
    "weeks per meeting": "uger pr. samtale",
}
"""Every unit a parameter declares, in Danish (a test fails for a unit missing here)."""
INTERVENTIONS_EN: dict[str, str] = {t.key: t.en for t in INTERVENTIONS}
INTERVENTIONS_DA: dict[str, str] = {t.key: t.da for t in INTERVENTIONS}


def label_of(p: param.Parameter, language: str = "en") -> str:
    """Parameter ``p``'s label for people in ``language`` ("da" or "en"); the English label is param's own."""
    return getattr(p, "label_da", "") if language == "da" else p.label


def doc_of(p: param.Parameter, language: str = "en") -> str:
    """Parameter ``p``'s one-line doc in ``language`` ("da" or "en")."""
    return getattr(p, "doc_da", "") if language == "da" else (p.doc or "")


def unit_of(p: param.Parameter, language: str = "en") -> str:
    """Parameter ``p``'s unit in ``language`` (empty where it has none)."""
    unit = getattr(p, "unit", "")
    return UNITS_DA.get(unit, unit) if language == "da" else unit


def option_label(p: param.Parameter, option: str, language: str = "en") -> str:
    """What option ``option`` of a :class:`Choice` or :class:`Choices` is called in ``language``."""
    names = getattr(p, "options_da" if language == "da" else "options_en", None) or {}
    return names.get(option, str(option))


def _probability(default: float, doc: str, unit: str = "probability per week", **words: str) -> Quantity:
    return Quantity(default, bounds=(0.0, 1.0), unit=unit, doc=doc, **words)


def _multiplier(default: float, doc: str, **words: str) -> Quantity:
    return Quantity(default, bounds=(1.0, 5.0), unit="hazard ratio", doc=doc, **words)


class Group(param.Parameterized):
    """A named group of scenario parameters."""


class Mechanism(Group):
    """A group whose planted effects can be switched off as a whole."""

    enabled = Switch(
        True,
        doc="Switch the mechanism on (true) or off (false).",
        label="Switched on",
        label_da="Slået til",
        doc_da="Slå mekanismen til (sand) eller fra (falsk).",
    )


class Population(Group):
    """Who is in the study and for how long: the BIP cohort of activity-ready citizens."""

    citizens = Count(
        4000,
        bounds=(10, 2_000_000),
        unit="citizens",
        doc="Citizens in the study population.",
        label_da="Borgere",
        doc_da="Borgere i undersøgelsens population.",
    )
    weeks = Count(
        208,
        bounds=(1, 1040),
        unit="weeks",
        doc="Length of the simulation; one tick is a week.",
        label_da="Uger",
        doc_da="Simuleringens længde; ét skridt er en uge.",
    )
    jobcentres = Count(
        10,
        bounds=(1, 200),
        unit="jobcentres",
        doc="Jobcentres (municipalities) in the study.",
        label_da="Jobcentre",
        doc_da="Jobcentre (kommuner) i undersøgelsen.",
    )
    caseworkers_per_1000 = Quantity(
        55.0,
        bounds=(2.0, 200.0),
        unit="per 1,000 citizens",
        doc="Caseworkers employed per 1,000 citizens.",
        label="Caseworkers per 1,000 citizens",
        label_da="Sagsbehandlere pr. 1.000 borgere",
        doc_da="Ansatte sagsbehandlere pr. 1.000 borgere.",
    )
    employers_per_1000 = Quantity(
        100.0,
        bounds=(5.0, 2000.0),
        unit="per 1,000 citizens",
        doc="Employers within reach of the jobcentres per 1,000 citizens.",
        label="Employers per 1,000 citizens",
        label_da="Arbejdsgivere pr. 1.000 borgere",
        doc_da="Arbejdsgivere inden for jobcentrenes rækkevidde pr. 1.000 borgere.",
    )
    age_min = Count(
        18,
        bounds=(15, 25),
        unit="years",
        doc="Youngest age at week 0 (assumption: social assistance from 18).",
        label="Youngest age",
        label_da="Laveste alder",
        doc_da="Laveste alder i uge 0 (antagelse: kontanthjælp fra 18 år).",
    )
    age_mode = Count(
        34,
        bounds=(25, 55),
        unit="years",
        doc="Most common age at week 0; ages are triangular between age_min and age_max (assumption).",
        label="Most common age",
        label_da="Hyppigste alder",
        doc_da="Hyppigste alder i uge 0; alderen er trekantfordelt mellem age_min og age_max (antagelse).",
    )
    age_max = Count(
        64,
        bounds=(55, 70),
        unit="years",
        doc="Oldest age at week 0 (assumption: below the age of the state pension).",
        label="Oldest age",
        label_da="Højeste alder",
        doc_da="Højeste alder i uge 0 (antagelse: under folkepensionsalderen).",
    )
    share_female = _probability(
        0.5, "Share of women.", unit="share", label="Share of women", label_da="Andel kvinder", doc_da="Andel kvinder."
    )
    share_non_western = _probability(
        0.3,
        "Share with non-western origin.",
        unit="share",
        label="Share of non-western origin",
        label_da="Andel med ikke-vestlig oprindelse",
        doc_da="Andel med ikke-vestlig oprindelse.",
    )
    share_vocational_qualification = _probability(
        0.3,
        "Share with a vocational qualification (published: 7 in 10 without).",
        unit="share",
        label="Share with a vocational qualification",
        label_da="Andel med erhvervskompetencegivende uddannelse",
        doc_da="Andel med en erhvervskompetencegivende uddannelse (offentliggjort: 7 ud af 10 uden).",
    )
    share_psychiatric_diagnosis = _probability(
        0.5,
        "Share with a psychiatric diagnosis (published: about half).",
        unit="share",
        label="Share with a psychiatric diagnosis",
        label_da="Andel med psykiatrisk diagnose",
        doc_da="Andel med en psykiatrisk diagnose (offentliggjort: omkring halvdelen).",
    )
    share_musculoskeletal = _probability(
        0.2,
        "Share with a musculoskeletal disorder (published: 1 in 5).",
        unit="share",
        label="Share with a musculoskeletal disorder",
        label_da="Andel med bevægeapparatslidelse",
        doc_da="Andel med en lidelse i bevægeapparatet (offentliggjort: 1 ud af 5).",
    )
    share_children = _probability(
        0.35,
        "Share living with children.",
        unit="share",
        label="Share living with children",
        label_da="Andel med børn",
        doc_da="Andel der bor med børn.",
    )
    history_job_education_share = _probability(
        0.14,
        "Mean share of the previous 5 years in job or education (published: 14%).",
        unit="share",
        label="Share of 5 years in job or education",
        label_da="Andel af 5 år i job eller uddannelse",
        doc_da="Gennemsnitlig andel af de foregående 5 år i job eller uddannelse (offentliggjort: 14 %).",
    )
    share_long_term_support = _probability(
        0.63,
        "Share on public support at least 80% of the previous 5 years (published: 63%).",
        unit="share",
        label="Share on long-term public support",
        label_da="Andel på langvarig offentlig forsørgelse",
        doc_da="Andel på offentlig forsørgelse mindst 80 % af de foregående 5 år (offentliggjort: 63 %).",
    )
    readiness_mean = Quantity(
        2.4,
        bounds=(1.0, 5.0),
        unit="points (1-5)",
        doc="Mean personal baseline of the readiness indicators.",
        label="Mean readiness",
        label_da="Gennemsnitlig parathed",
        doc_da="Gennemsnitligt personligt udgangspunkt for parathedsindikatorerne.",
    )
    readiness_sd = Quantity(
        0.55,
        bounds=(0.0, 2.0),
        unit="points (1-5)",
        doc="Spread of the personal readiness level between citizens.",
        label="Spread of readiness",
        label_da="Spredning i parathed",
        doc_da="Spredning i det personlige parathedsniveau mellem borgere.",
    )
    readiness_level_weight = Quantity(
        0.75,
        bounds=(0.0, 2.0),
        unit="times readiness_sd",
        doc="Weight of a citizen's general level, shared by all their indicators, in each personal baseline "
        "(assumption: indicators of one citizen go together).",
        label="Weight of the general level",
        label_da="Vægt på det generelle niveau",
        doc_da="Vægt på borgerens generelle niveau, fælles for alle borgerens indikatorer, i hvert personligt "
        "udgangspunkt (antagelse: en borgers indikatorer følges ad).",
    )
    readiness_indicator_weight = Quantity(
        0.45,
        bounds=(0.0, 2.0),
        unit="times readiness_sd",
        doc="Weight of the indicator's own part in each personal baseline (assumption).",
        label="Weight of the indicator's own part",
        label_da="Vægt på indikatorens egen del",
        doc_da="Vægt på indikatorens egen del i hvert personligt udgangspunkt (antagelse).",
    )
    history_job_search_effect = Quantity(
        1.5,
        bounds=(0.0, 5.0),
        unit="points per share of 5 years",
        doc="Rise in the job-search baseline per share of the previous 5 years in job or education, above the "
        "cohort's 14% (assumption: work experience keeps job search up).",
        label="Effect of work history on job search",
        label_da="Arbejdshistorikkens effekt på jobsøgning",
        doc_da="Stigning i udgangspunktet for jobsøgning pr. andel af de foregående 5 år i job eller uddannelse over "
        "kohortens 14 % (antagelse: arbejdserfaring holder jobsøgningen oppe).",
    )
    latent_start_sd = Quantity(
        0.25,
        bounds=(0.0, 2.0),
        unit="points",
        doc="Spread of the starting latent indicators around the personal baseline (assumption).",
        label="Spread of starting indicators",
        label_da="Spredning i startindikatorer",
        doc_da="Spredning i de latente startindikatorer omkring det personlige udgangspunkt (antagelse).",
    )
    prior_spell_mean_weeks = Count(
        80,
        bounds=(1, 520),
        unit="weeks",
        doc="Mean time on benefit before week 0 (geometric; sets the refusion clock; assumption).",
        label="Mean weeks on benefit before week 0",
        label_da="Gennemsnitlige uger på ydelse før uge 0",
        doc_da="Gennemsnitlig tid på ydelse før uge 0 (geometrisk; sætter refusionsuret; antagelse).",
    )
    prior_spell_max_weeks = Count(
        520,
        bounds=(52, 1040),
        unit="weeks",
        doc="Longest time on benefit before week 0 that counts (assumption: ten years).",
        label="Most weeks on benefit before week 0",
        label_da="Flest uger på ydelse før uge 0",
        doc_da="Længste tid på ydelse før uge 0, der tæller med (antagelse: ti år).",
    )
    last_help_weeks = Count(
        8,
        bounds=(1, 104),
        unit="weeks",
        doc="At week 0 each citizen's last meeting or intervention lies up to this many weeks back, evenly "
        "spread (assumption).",
        label="Weeks since last help",
        label_da="Uger siden sidste hjælp",
        doc_da="I uge 0 ligger hver borgers seneste samtale eller indsats op til så mange uger tilbage, jævnt "
        "fordelt (antagelse).",
    )
    weight_work_first = Quantity(
        0.25,
        bounds=(0.0, 1.0),
        unit="relative weight",
        doc="Relative frequency of the work-first orientation.",
        label="Weight of work-first",
        label_da="Vægt for arbejde først",
        doc_da="Relativ hyppighed af orienteringen arbejde først.",
    )
    weight_health_first = Quantity(
        0.25,
        bounds=(0.0, 1.0),
        unit="relative weight",
        doc="Relative frequency of the health-first orientation.",
        label="Weight of health-first",
        label_da="Vægt for helbred først",
        doc_da="Relativ hyppighed af orienteringen helbred først.",
    )
    weight_education_oriented = Quantity(
        0.15,
        bounds=(0.0, 1.0),
        unit="relative weight",
        doc="Relative frequency of the education-oriented orientation.",
        label="Weight of education-oriented",
        label_da="Vægt for uddannelsesorienteret",
        doc_da="Relativ hyppighed af den uddannelsesorienterede orientering.",
    )
    weight_resigned = Quantity(
        0.2,
        bounds=(0.0, 1.0),
        unit="relative weight",
        doc="Relative frequency of the resigned orientation.",
        label="Weight of resigned",
        label_da="Vægt for opgivende",
        doc_da="Relativ hyppighed af den opgivende orientering.",
    )
    weight_distrustful = Quantity(
        0.15,
        bounds=(0.0, 1.0),
        unit="relative weight",
        doc="Relative frequency of the distrustful orientation.",
        label="Weight of distrustful",
        label_da="Vægt for mistillidsfuld",
        doc_da="Relativ hyppighed af den mistillidsfulde orientering.",
    )


class Readiness(Mechanism):
    """Readiness dynamics: drift toward a personal baseline, health shocks, regression without help."""

    drift_rate = Quantity(
        0.03,
        bounds=(0.0, 1.0),
        unit="share per week",
        doc="Share of the gap to the personal baseline closed each week (always on).",
        label_da="Tilbagevenden mod udgangspunkt",
        doc_da="Andel af afstanden til det personlige udgangspunkt, der lukkes hver uge (altid slået til).",
    )
    weekly_noise_sd = Quantity(
        0.03,
        bounds=(0.0, 1.0),
        unit="points per week",
        doc="Week-to-week fluctuation of each indicator (always on).",
        label="Weekly fluctuation",
        label_da="Ugentligt udsving",
        doc_da="Udsving fra uge til uge i hver indikator (altid slået til).",
    )
    regression_grace_weeks = Count(
        8,
        bounds=(1, 104),
        unit="weeks",
        doc="Weeks without a meeting or intervention before regression sets in.",
        label="Weeks before regression",
        label_da="Uger før tilbagegang",
        doc_da="Uger uden samtale eller indsats, før tilbagegangen sætter ind.",
    )
    regression_per_week = Quantity(
        0.02,
        bounds=(0.0, 0.5),
        unit="points per week",
        doc="Planted loss of readiness per week without help after the grace period.",
        label="Regression per week",
        label_da="Tilbagegang pr. uge",
        doc_da="Plantet tab af parathed pr. uge uden hjælp efter henstandsperioden.",
    )
    health_shock_probability = _probability(
        0.004,
        "Weekly chance of a health shock (higher with a psychiatric diagnosis or a musculoskeletal disorder).",
        label="Chance of a health shock",
        label_da="Sandsynlighed for helbredsforværring",
        doc_da="Ugentlig sandsynlighed for en helbredsforværring (højere med en psykiatrisk diagnose eller en "
        "lidelse i bevægeapparatet).",
    )
    frailty_shock_factor = _multiplier(
        2.0,
        "Factor on the chance of a health shock with a psychiatric diagnosis or a musculoskeletal disorder "
        "(assumption).",
        label="Health shock factor for the frail",
        label_da="Faktor for helbredsforværring ved skrøbelighed",
        doc_da="Faktor på sandsynligheden for en helbredsforværring med en psykiatrisk diagnose eller en lidelse i "
        "bevægeapparatet (antagelse).",
    )
    health_shock_size = Quantity(
        0.8,
        bounds=(0.0, 4.0),
        unit="points",
        doc="Planted drop in health and health coping at a shock.",
        label="Size of a health shock",
        label_da="Helbredsforværringens størrelse",
        doc_da="Plantet fald i helbred og håndtering af helbred ved en forværring.",
    )
    sick_weeks = Count(
        8,
        bounds=(1, 104),
        unit="weeks",
        doc="Weeks of sickness after a health shock.",
        label="Weeks sick",
        label_da="Uger syg",
        doc_da="Uger med sygdom efter en helbredsforværring.",
    )


class Meetings(Mechanism):
    """Meetings ("samtalen"): readiness gains that need continuity, and the caseworker's belief."""

    interval_weeks = Count(
        6,
        bounds=(1, 52),
        unit="weeks",
        doc="Weeks between meetings (contact rule).",
        label="Weeks between meetings",
        label_da="Uger mellem samtaler",
        doc_da="Uger mellem samtaler (kontaktreglen).",
    )
    capacity_per_week = Count(
        8,
        bounds=(1, 60),
        unit="meetings per caseworker per week",
        doc="Meetings a caseworker can hold in a week.",
        label="Meetings per caseworker per week",
        label_da="Samtaler pr. sagsbehandler pr. uge",
        doc_da="Samtaler en sagsbehandler kan holde på en uge.",
    )
    capacity_spread = Count(
        2,
        bounds=(0, 20),
        unit="meetings per week",
        doc="Caseworkers' capacities spread evenly over capacity_per_week plus or minus this (at least 1; assumption).",
        label="Spread of capacity",
        label_da="Spredning i kapacitet",
        doc_da="Sagsbehandlernes kapacitet fordeles jævnt over capacity_per_week plus/minus dette (mindst 1; "
        "antagelse).",
    )
    readiness_effect = Quantity(
        0.08,
        bounds=(0.0, 1.0),
        unit="points per meeting",
        doc="Planted gain in work belief, goal-directedness, job search and experienced "
        "coherence from a meeting with a well-known caseworker.",
        label="Readiness gain per meeting",
        label_da="Parathedsgevinst pr. samtale",
        doc_da="Plantet gevinst i tro på at kunne klare et arbejde, målrettethed, jobsøgning og oplevet sammenhæng "
        "ved en samtale med en sagsbehandler, der kender borgeren godt.",
    )
    continuity_meetings = Quantity(
        6.0,
        bounds=(0.1, 50.0),
        unit="meetings",
        doc="Meetings with the same caseworker it takes to build the relationship.",
        label="Meetings to build the relationship",
        label_da="Samtaler til at opbygge relationen",
        doc_da="Samtaler med den samme sagsbehandler, det kræver at opbygge relationen.",
    )
    continuity_memory_weeks = Count(
        26,
        bounds=(1, 520),
        unit="weeks",
        doc="Weeks without contact after which the relationship starts to fade (assumption: half a year).",
        label="Memory of the relationship",
        label_da="Relationens hukommelse",
        doc_da="Uger uden kontakt, hvorefter relationen begynder at falme (antagelse: et halvt år).",
    )
    continuity_fade_weeks = Count(
        4,
        bounds=(1, 52),
        unit="weeks per meeting",
        doc="Once it fades, the relationship forgets one meeting per this many weeks without contact (assumption).",
        label="Fading of the relationship",
        label_da="Relationens falmen",
        doc_da="Når relationen falmer, glemmes én samtale pr. så mange uger uden kontakt (antagelse).",
    )
    caseworker_quality_sd = Quantity(
        0.8,
        bounds=(0.0, 1.5),
        unit="log-scale sd",
        doc="Differences between caseworkers in how much their meetings and employer "
        "work help (part of the meetings mechanism).",
        label="Differences between caseworkers",
        label_da="Forskelle mellem sagsbehandlere",
        doc_da="Forskelle mellem sagsbehandlere i, hvor meget deres samtaler og virksomhedskontakt hjælper (en del "
        "af samtalemekanismen).",
    )
    observation_sd = Quantity(
        1.2,
        bounds=(0.0, 3.0),
        unit="points",
        doc="Noise in what a caseworker sees of the citizen's readiness in one meeting.",
        label="Caseworker's observation error",
        label_da="Sagsbehandlerens observationsfejl",
        doc_da="Støj i det, en sagsbehandler ser af borgerens parathed i én samtale.",
    )
    belief_threshold = Quantity(
        2.8,
        bounds=(1.0, 5.0),
        unit="points (1-5)",
        doc="Perceived readiness at which the caseworker believes in a job within a year.",
        label="Readiness for belief in a job",
        label_da="Parathed for tro på job",
        doc_da="Opfattet parathed, hvor sagsbehandleren tror på job inden for et år.",
    )
    belief_slope = Quantity(
        4.0,
        bounds=(0.1, 20.0),
        unit="per point",
        doc="How sharply belief rises with perceived readiness.",
        label="Steepness of belief",
        label_da="Hældning for tiltro",
        doc_da="Hvor brat tiltroen stiger med den opfattede parathed.",
    )
    continuity_job_effect = _multiplier(
        1.6,
        "Planted job-chance multiplier from a caseworker who knows the "
        "citizen well and brokers employer contacts; it builds with "
        "continuity and is lost at a caseworker change.",
        label="Job effect of continuity",
        label_da="Jobeffekt af kontinuitet",
        doc_da="Plantet faktor på jobchancen fra en sagsbehandler, der kender borgeren godt og formidler "
        "virksomhedskontakter; den opbygges med kontinuitet og tabes ved sagsbehandlerskift.",
    )
    belief_effect = _multiplier(
        1.33,
        "Causal job-chance multiplier when the caseworker believes in the citizen (assumption: BIP's +33% is an "
        "association, which in this model hardly moves with this effect, so it cannot calibrate it).",
        label="Job effect of the caseworker's belief",
        label_da="Jobeffekt af sagsbehandlerens tiltro",
        doc_da="Kausal faktor på jobchancen, når sagsbehandleren tror på borgeren (antagelse: BIP's +33 % er en "
        "sammenhæng, som i modellen næsten ikke flytter sig med denne effekt, så den kan ikke kalibrere den).",
    )
    belief_effect_threshold = _probability(
        0.5,
        "Belief (the caseworker's chance of a job within a year) from which the caseworker counts as believing "
        "in the citizen and belief_effect applies (assumption: an even chance).",
        unit="probability",
        label="Belief that counts",
        label_da="Tiltro der tæller",
        doc_da="Tiltro (sagsbehandlerens sandsynlighed for job inden for et år), hvorfra sagsbehandleren regnes for "
        "at tro på borgeren, og belief_effect gælder (antagelse: lige chance).",
    )
    job_ready_threshold = Quantity(
        3.0,
        bounds=(1.0, 5.0),
        unit="points (1-5)",
        doc="Perceived readiness at which the caseworker reclassifies to job-ready.",
        label="Readiness for job-ready",
        label_da="Parathed for jobparat",
        doc_da="Opfattet parathed, hvor sagsbehandleren omvisiterer borgeren til jobparat.",
    )
    job_ready_hysteresis = Quantity(
        0.5,
        bounds=(0.0, 4.0),
        unit="points",
        doc="How far below job_ready_threshold perceived readiness must fall before the caseworker moves a "
        "job-ready citizen back to activity-ready (assumption: categories are not changed back and forth).",
        label="Margin before moving back",
        label_da="Margin før tilbageflytning",
        doc_da="Hvor langt under job_ready_threshold den opfattede parathed skal falde, før sagsbehandleren flytter "
        "en jobparat borger tilbage til aktivitetsparat (antagelse: kategorier skiftes ikke frem og tilbage).",
    )
    style_weight_job_focused = Quantity(
        0.35,
        bounds=(0.0, 1.0),
        unit="relative weight",
        doc="Relative frequency of the job-focused caseworker style (assumption).",
        label="Weight of job-focused caseworkers",
        label_da="Vægt for jobfokuserede sagsbehandlere",
        doc_da="Relativ hyppighed af den jobfokuserede sagsbehandlerstil (antagelse).",
    )
    style_weight_supportive = Quantity(
        0.4,
        bounds=(0.0, 1.0),
        unit="relative weight",
        doc="Relative frequency of the supportive style (assumption).",
        label="Weight of supportive caseworkers",
        label_da="Vægt for støttende sagsbehandlere",
        doc_da="Relativ hyppighed af den støttende stil (antagelse).",
    )
    style_weight_administrative = Quantity(
        0.25,
        bounds=(0.0, 1.0),
        unit="relative weight",
        doc="Relative frequency of the administrative style (assumption).",
        label="Weight of administrative caseworkers",
        label_da="Vægt for administrative sagsbehandlere",
        doc_da="Relativ hyppighed af den administrative stil (antagelse).",
    )
    style_factor_job_focused = Quantity(
        1.2,
        bounds=(0.0, 3.0),
        unit="factor",
        doc="Factor on a meeting's readiness gain with a job-focused caseworker (assumption: in BIP, job-focused "
        "help did most).",
        label="Gain factor, job-focused caseworker",
        label_da="Gevinstfaktor, jobfokuseret sagsbehandler",
        doc_da="Faktor på en samtales parathedsgevinst med en jobfokuseret sagsbehandler (antagelse: i BIP gjorde "
        "jobfokuseret hjælp mest).",
    )
    style_factor_supportive = Quantity(
        1.1,
        bounds=(0.0, 3.0),
        unit="factor",
        doc="Factor on a meeting's gain with a supportive caseworker (assumption).",
        label="Gain factor, supportive caseworker",
        label_da="Gevinstfaktor, støttende sagsbehandler",
        doc_da="Faktor på en samtales gevinst med en støttende sagsbehandler (antagelse).",
    )
    style_factor_administrative = Quantity(
        0.5,
        bounds=(0.0, 3.0),
        unit="factor",
        doc="Factor on a meeting's gain with an administrative caseworker (assumption: brief, compliance-driven "
        "meetings do little).",
        label="Gain factor, administrative caseworker",
        label_da="Gevinstfaktor, administrativ sagsbehandler",
        doc_da="Faktor på en samtales gevinst med en administrativ sagsbehandler (antagelse: korte, regelstyrede "
        "samtaler gør lidt).",
    )
    orientation_factor_work_first = Quantity(
        1.0,
        bounds=(0.0, 3.0),
        unit="factor",
        doc="Factor on a meeting's gain for a work-first citizen (assumption).",
        label="Gain factor, work-first citizen",
        label_da="Gevinstfaktor, borger med arbejde først",
        doc_da="Faktor på en samtales gevinst for en borger med orienteringen arbejde først (antagelse).",
    )
    orientation_factor_health_first = Quantity(
        0.8,
        bounds=(0.0, 3.0),
        unit="factor",
        doc="Factor on a meeting's gain for a health-first citizen (assumption).",
        label="Gain factor, health-first citizen",
        label_da="Gevinstfaktor, borger med helbred først",
        doc_da="Faktor på en samtales gevinst for en borger med orienteringen helbred først (antagelse).",
    )
    orientation_factor_education_oriented = Quantity(
        1.0,
        bounds=(0.0, 3.0),
        unit="factor",
        doc="Factor on a meeting's gain for an education-oriented citizen (assumption).",
        label="Gain factor, education-oriented citizen",
        label_da="Gevinstfaktor, uddannelsesorienteret borger",
        doc_da="Faktor på en samtales gevinst for en uddannelsesorienteret borger (antagelse).",
    )
    orientation_factor_resigned = Quantity(
        0.7,
        bounds=(0.0, 3.0),
        unit="factor",
        doc="Factor on a meeting's gain for a resigned citizen (assumption: gains less from talk alone).",
        label="Gain factor, resigned citizen",
        label_da="Gevinstfaktor, opgivende borger",
        doc_da="Faktor på en samtales gevinst for en opgivende borger (antagelse: får mindre ud af samtale alene).",
    )
    orientation_factor_distrustful = Quantity(
        0.5,
        bounds=(0.0, 3.0),
        unit="factor",
        doc="Factor on a meeting's gain for a distrustful citizen (assumption: gains least from talk alone).",
        label="Gain factor, distrustful citizen",
        label_da="Gevinstfaktor, mistillidsfuld borger",
        doc_da="Faktor på en samtales gevinst for en mistillidsfuld borger (antagelse: får mindst ud af samtale "
        "alene).",
    )


class Waiting(Mechanism):
    """Waiting ("ventetid"): interventions have limited places, citizens queue, and waiting erodes."""

    places_per_1000 = Quantity(
        350.0,
        bounds=(1.0, 2000.0),
        unit="places per 1,000 citizens",
        doc="Intervention places a jobcentre has, all types together.",
        label="Places per 1,000 citizens",
        label_da="Pladser pr. 1.000 borgere",
        doc_da="Pladser i indsatser, som et jobcenter har, alle typer tilsammen.",
    )
    erosion_per_week = Quantity(
        0.03,
        bounds=(0.0, 0.5),
        unit="points per week",
        doc="Planted weekly loss of work belief and goal-directedness while waiting.",
        label="Erosion per week of waiting",
        label_da="Nedslidning pr. uges ventetid",
        doc_da="Plantet ugentligt tab af tro på at kunne klare et arbejde og målrettethed under ventetid.",
    )


class Turnover(Mechanism):
    """Caseworker turnover ("sagsbehandlerskift"): caseworkers leave, caseloads are reassigned."""

    quit_probability = _probability(
        0.0025,
        "Weekly chance that a caseworker leaves the jobcentre.",
        unit="probability per caseworker per week",
        label="Chance a caseworker leaves",
        label_da="Sandsynlighed for at en sagsbehandler stopper",
        doc_da="Ugentlig sandsynlighed for, at en sagsbehandler forlader jobcentret.",
    )
    reassignment_probability = _probability(
        0.001,
        "Weekly chance that a citizen is moved to another caseworker for organisational reasons.",
        unit="probability per citizen per week",
        label="Chance of reassignment",
        label_da="Sandsynlighed for omfordeling",
        doc_da="Ugentlig sandsynlighed for, at en borger flyttes til en anden sagsbehandler af organisatoriske grunde.",
    )
    handover_weeks = Count(
        4,
        bounds=(0, 52),
        unit="weeks",
        doc="Weeks before a new caseworker holds the first meeting.",
        label="Weeks of handover",
        label_da="Uger til overdragelse",
        doc_da="Uger før en ny sagsbehandler holder den første samtale.",
    )


class Interventions(Mechanism):
    """Intervention allocation: who gets which combination, and what it does to them."""

    offer_probability = _probability(
        0.02,
        "Chance that a meeting without a running intervention ends with an offer.",
        unit="probability per meeting",
        label="Chance of an offer",
        label_da="Sandsynlighed for et tilbud",
        doc_da="Sandsynlighed for, at en samtale uden igangværende indsats ender med et tilbud.",
    )
    parallel_share = _probability(
        0.5,
        "Share of offers that combine job-focused and support help in parallel rather than as a staircase.",
        unit="share",
        label="Share in parallel",
        label_da="Andel parallelle forløb",
        doc_da="Andel af tilbud, der kombinerer jobrettet og støttende hjælp parallelt frem for som trappemodel.",
    )
    staircase_threshold = Quantity(
        3.0,
        bounds=(1.0, 5.0),
        unit="points (1-5)",
        doc="Perceived readiness needed for job-focused help in a staircase.",
        label="Readiness for job-focused help (staircase)",
        label_da="Parathed for jobrettet hjælp (trappemodel)",
        doc_da="Opfattet parathed, der kræves for jobrettet hjælp i en trappemodel.",
    )
    private_placement_readiness = Quantity(
        2.8,
        bounds=(1.0, 5.0),
        unit="points (1-5)",
        doc="Perceived readiness from which a caseworker tries a private employer for a placement (assumption: "
        "private employers take those who look readier).",
        label="Readiness for a private placement",
        label_da="Parathed for privat virksomhedspraktik",
        doc_da="Opfattet parathed, hvorfra en sagsbehandler prøver en privat arbejdsgiver til virksomhedspraktik "
        "(antagelse: private arbejdsgivere tager dem, der ser mest parate ud).",
    )
    private_placement_share = _probability(
        0.6,
        "Share of job-focused offers that are private placements between private_placement_readiness and "
        "wage_subsidy_readiness; the rest are public placements (assumption).",
        unit="share",
        label="Share of private placements",
        label_da="Andel privat virksomhedspraktik",
        doc_da="Andel af jobrettede tilbud, der er privat virksomhedspraktik mellem private_placement_readiness og "
        "wage_subsidy_readiness; resten er offentlig virksomhedspraktik (antagelse).",
    )
    wage_subsidy_readiness = Quantity(
        3.1,
        bounds=(1.0, 5.0),
        unit="points (1-5)",
        doc="Perceived readiness from which a caseworker offers wage-subsidised jobs (assumption: the job closest "
        "to ordinary work goes to the readiest).",
        label="Readiness for a wage-subsidised job",
        label_da="Parathed for løntilskud",
        doc_da="Opfattet parathed, hvorfra en sagsbehandler tilbyder løntilskudsjob (antagelse: jobbet tættest på "
        "ordinært arbejde går til de mest parate).",
    )
    wage_subsidy_share = _probability(
        0.5,
        "Share of job-focused offers above wage_subsidy_readiness that are wage-subsidised jobs; the rest are "
        "private placements (assumption).",
        unit="share",
        label="Share of wage-subsidised jobs",
        label_da="Andel løntilskud",
        doc_da="Andel af jobrettede tilbud over wage_subsidy_readiness, der er løntilskudsjob; resten er privat "
        "virksomhedspraktik (antagelse).",
    )
    domain_view_error = Quantity(
        1.0,
        bounds=(0.0, 4.0),
        unit="points",
        doc="How far off the caseworker's view of each support domain may be when choosing the support for the "
        "weakest (uniform from 0 to this; assumption).",
        label="Caseworker's error about support needs",
        label_da="Sagsbehandlerens fejl om støttebehov",
        doc_da="Hvor meget sagsbehandlerens billede af hvert støtteområde kan tage fejl, når støtten vælges til det "
        "svageste område (ligefordelt fra 0 til dette; antagelse).",
    )
    weekly_gain = Quantity(
        0.02,
        bounds=(0.0, 0.5),
        unit="points per week",
        doc="Planted weekly indicator gain in an intervention, before type and orientation weights.",
        label="Weekly gain in an intervention",
        label_da="Ugentlig gevinst i en indsats",
        doc_da="Plantet ugentlig gevinst i indikatorerne under en indsats, før vægte for type og orientering.",
    )
    orientation_heterogeneity = Quantity(
        1.0,
        bounds=(0.0, 2.0),
        unit="scale",
        doc="How much the orientation changes what an intervention does (0: the same for all).",
        label="Difference by orientation",
        label_da="Forskel efter orientering",
        doc_da="Hvor meget orienteringen ændrer, hvad en indsats gør (0: det samme for alle).",
    )
    private_placement_multiplier = _multiplier(
        1.80,
        "Causal job-chance multiplier after a completed private placement (calibrated: the study's adjusted "
        "association then matches BIP's +84%).",
        label="Job effect of a private placement",
        label_da="Jobeffekt af privat virksomhedspraktik",
        doc_da="Kausal faktor på jobchancen efter gennemført privat virksomhedspraktik (kalibreret: undersøgelsens "
        "justerede sammenhæng rammer så BIP's +84 %).",
    )
    public_placement_multiplier = _multiplier(
        1.64,
        "Causal job-chance multiplier after a completed public placement (calibrated: the study's adjusted "
        "association then matches BIP's +65%).",
        label="Job effect of a public placement",
        label_da="Jobeffekt af offentlig virksomhedspraktik",
        doc_da="Kausal faktor på jobchancen efter gennemført offentlig virksomhedspraktik (kalibreret: "
        "undersøgelsens justerede sammenhæng rammer så BIP's +65 %).",
    )
    wage_subsidy_multiplier = _multiplier(
        1.5,
        "Planted job-chance multiplier after a completed wage-subsidised job (assumption).",
        label="Job effect of a wage-subsidised job",
        label_da="Jobeffekt af løntilskud",
        doc_da="Plantet faktor på jobchancen efter gennemført løntilskudsjob (antagelse).",
    )
    other_activation_multiplier = _multiplier(
        1.27,
        "Causal job-chance multiplier after other completed activation (assumption: BIP's +27% is an association, "
        "which in this model hardly moves with this effect).",
        label="Job effect of other activation",
        label_da="Jobeffekt af anden aktivering",
        doc_da="Kausal faktor på jobchancen efter anden gennemført aktivering (antagelse: BIP's +27 % er en "
        "sammenhæng, som i modellen næsten ikke flytter sig med denne effekt).",
    )
    after_effect_weeks = Count(
        26,
        bounds=(1, 208),
        unit="weeks",
        doc="Weeks the job-chance multiplier lasts after an intervention ends.",
        label="Weeks of after-effect",
        label_da="Uger med eftervirkning",
        doc_da="Uger, faktoren på jobchancen varer, efter en indsats slutter.",
    )
    wage_subsidy_hire_probability = _probability(
        0.2,
        "Chance that the employer hires the citizen when a wage-subsidised job ends.",
        unit="probability",
        label="Chance of hire after wage subsidy",
        label_da="Sandsynlighed for ansættelse efter løntilskud",
        doc_da="Sandsynlighed for, at arbejdsgiveren ansætter borgeren, når et løntilskudsjob slutter.",
    )
    withheld = Choices(
        default=[],
        objects=list(INTERVENTION_KEYS),
        doc="Intervention types nobody is offered (for counterfactual twins).",
        label="Interventions withheld",
        label_da="Tilbageholdte indsatser",
        doc_da="Indsatstyper, som ingen tilbydes (til kontrafaktiske tvillinger).",
        options_en=INTERVENTIONS_EN,
        options_da=INTERVENTIONS_DA,
    )
    without_readiness_gain = Choices(
        default=[],
        objects=list(INTERVENTION_KEYS),
        doc="Intervention types whose weekly indicator gains are switched off; they are still offered and keep "
        "their after-effect on job chances (for twins that ask how much of an effect runs through readiness).",
        label="Interventions without readiness gain",
        label_da="Indsatser uden parathedsgevinst",
        doc_da="Indsatstyper, hvis ugentlige gevinst i indikatorerne er slået fra; de tilbydes stadig og beholder "
        "deres eftervirkning på jobchancen (til tvillinger, der spørger, hvor meget af en effekt der går "
        "gennem parathed).",
        options_en=INTERVENTIONS_EN,
        options_da=INTERVENTIONS_DA,
    )


class LabourMarket(Mechanism):
    """The labour market: a business cycle moves vacancies and the readiness employers ask for."""

    cycle_amplitude = Quantity(
        0.15,
        bounds=(0.0, 0.9),
        unit="share",
        doc="Amplitude of the business cycle.",
        label="Business cycle amplitude",
        label_da="Konjunkturudsving",
        doc_da="Konjunkturcyklens amplitude.",
    )
    cycle_period_weeks = Count(
        260,
        bounds=(26, 2080),
        unit="weeks",
        doc="Length of one business cycle.",
        label="Business cycle length",
        label_da="Konjunkturcyklens længde",
        doc_da="Længden af én konjunkturcyklus.",
    )
    cycle_phase = Quantity(
        0.0,
        bounds=(0.0, 1.0),
        unit="share of a cycle",
        doc="Where in the cycle week 0 is (assumption: 0, demand at its mean and rising, as the Danish labour market "
        "recovered in 2013, BIP's first year; with the default period demand falls again after week 130, which "
        "2015-2016 did not; the rising start raises the share in a job within the first year).",
        label="Business cycle phase",
        label_da="Konjunkturfase",
        doc_da="Hvor i cyklen uge 0 ligger (antagelse: 0, efterspørgsel på sit gennemsnit og stigende, som da det "
        "danske arbejdsmarked kom sig i 2013, BIP's første år; med standardperioden falder efterspørgslen "
        "igen efter uge 130, hvilket 2015-2016 ikke gjorde; den stigende start øger andelen i job inden for "
        "det første år).",
    )
    recession_depth = Quantity(
        0.0,
        bounds=(0.0, 0.9),
        unit="share",
        doc="Extra fall in demand during a recession (0: none).",
        label_da="Lavkonjunkturens dybde",
        doc_da="Ekstra fald i efterspørgslen under en lavkonjunktur (0: ingen).",
    )
    recession_start_week = Count(
        52,
        bounds=(0, 1040),
        unit="week",
        doc="Week the recession begins.",
        label_da="Lavkonjunkturens startuge",
        doc_da="Ugen, hvor lavkonjunkturen begynder.",
    )
    recession_weeks = Count(
        104,
        bounds=(1, 1040),
        unit="weeks",
        doc="How long the recession lasts.",
        label="Recession length",
        label_da="Lavkonjunkturens længde",
        doc_da="Hvor længe lavkonjunkturen varer.",
    )
    contact_rate = _probability(
        0.018,
        "Weekly chance of an employer contact at average job search.",
        label="Employer contact rate",
        label_da="Hyppighed af virksomhedskontakt",
        doc_da="Ugentlig sandsynlighed for en kontakt med en arbejdsgiver ved gennemsnitlig jobsøgning.",
    )
    job_search_elasticity = Quantity(
        1.5,
        bounds=(0.0, 5.0),
        unit="elasticity",
        doc="How strongly job-search behaviour raises employer contacts.",
        label="Effect of job search on contacts",
        label_da="Jobsøgningens effekt på kontakter",
        doc_da="Hvor stærkt jobsøgningsadfærd øger kontakterne med arbejdsgivere.",
    )
    vacancies_per_employer = Quantity(
        0.5,
        bounds=(0.0, 10.0),
        unit="vacancies per employer per week",
        doc="New vacancies open to the study population at an average employer.",
        label="Vacancies per employer",
        label_da="Ledige stillinger pr. arbejdsgiver",
        doc_da="Nye ledige stillinger åbne for undersøgelsens population hos en gennemsnitlig arbejdsgiver.",
    )
    hiring_threshold = Quantity(
        3.5,
        bounds=(1.0, 5.0),
        unit="points (1-5)",
        doc="Readiness an average employer asks for in a normal market.",
        label="Readiness employers ask for",
        label_da="Parathed arbejdsgivere kræver",
        doc_da="Parathed en gennemsnitlig arbejdsgiver kræver på et normalt arbejdsmarked.",
    )
    threshold_sd = Quantity(
        0.2,
        bounds=(0.0, 2.0),
        unit="points",
        doc="Spread of thresholds between employers.",
        label="Spread of employers' thresholds",
        label_da="Spredning i arbejdsgivernes krav",
        doc_da="Spredning i kravene mellem arbejdsgivere.",
    )
    employer_size_sd = Quantity(
        1.0,
        bounds=(0.0, 3.0),
        unit="log-scale sd",
        doc="Spread of employers' sizes, which set their share of vacancies and flexi-jobs (assumption).",
        label="Spread of employers' sizes",
        label_da="Spredning i arbejdsgivernes størrelse",
        doc_da="Spredning i arbejdsgivernes størrelse, som bestemmer deres andel af ledige stillinger og fleksjob "
        "(antagelse).",
    )
    shared_employer_share = _probability(
        0.3,
        "Share of employers tied to a second jobcentre besides their home one (assumption).",
        unit="share",
        label="Share of employers shared by jobcentres",
        label_da="Andel arbejdsgivere delt mellem jobcentre",
        doc_da="Andel af arbejdsgivere med bånd til et andet jobcenter ud over deres eget (antagelse).",
    )
    hiring_noise_sd = Quantity(
        0.3,
        bounds=(0.01, 3.0),
        unit="points",
        doc="How uncertain an employer's view of a candidate is.",
        label="Employers' uncertainty",
        label_da="Arbejdsgivernes usikkerhed",
        doc_da="Hvor usikkert en arbejdsgivers billede af en ansøger er.",
    )
    competition_sensitivity = Quantity(
        1.5,
        bounds=(0.0, 10.0),
        unit="points per unit of cycle",
        doc="Rise in employers' threshold when demand falls (competition).",
        label_da="Følsomhed for konkurrence",
        doc_da="Stigning i arbejdsgivernes krav, når efterspørgslen falder (konkurrence).",
    )
    separation_early = _probability(
        0.023,
        "Weekly chance of losing or leaving a job in its first 13 weeks (published: 26% stop within 3 months).",
        label="Job ending, first 13 weeks",
        label_da="Jobophør, første 13 uger",
        doc_da="Ugentlig sandsynlighed for at miste eller forlade et job i de første 13 uger (offentliggjort: 26 % "
        "stopper inden for 3 måneder).",
    )
    separation_late = _probability(
        0.010,
        "Weekly chance of losing or leaving a job after 13 weeks (published: 50% stay 12 months).",
        label="Job ending, after 13 weeks",
        label_da="Jobophør, efter 13 uger",
        doc_da="Ugentlig sandsynlighed for at miste eller forlade et job efter 13 uger (offentliggjort: 50 % bliver "
        "12 måneder).",
    )
    separation_readiness_slope = Quantity(
        0.5,
        bounds=(0.0, 5.0),
        unit="log-hazard per point",
        doc="How much lower readiness raises the chance of losing the job.",
        label="Effect of readiness on job ending",
        label_da="Parathedens effekt på jobophør",
        doc_da="Hvor meget lavere parathed øger risikoen for at miste jobbet.",
    )


class Network(Mechanism):
    """Citizens' social networks carry support and job referrals."""

    degree = Count(
        6,
        bounds=(2, 50),
        unit="ties per citizen",
        doc="Average number of ties per citizen.",
        label="Ties per citizen",
        label_da="Bånd pr. borger",
        doc_da="Gennemsnitligt antal bånd pr. borger.",
    )
    rewiring = _probability(
        0.1,
        "Share of ties reaching outside the local neighbourhood.",
        unit="share",
        label="Share of distant ties",
        label_da="Andel fjerne bånd",
        doc_da="Andel af båndene, der rækker uden for det lokale netværk.",
    )
    referral_strength = Quantity(
        0.5,
        bounds=(0.0, 5.0),
        unit="multiplier per employed share",
        doc="Planted rise in employer contacts per share of employed ties.",
        label="Strength of referrals",
        label_da="Styrke af henvisninger",
        doc_da="Plantet stigning i virksomhedskontakter pr. andel af bånd i job.",
    )
    support_rate = Quantity(
        0.02,
        bounds=(0.0, 1.0),
        unit="share per week",
        doc="Weekly pull of the network-and-support indicator toward ties' everyday coping.",
        label="Pull of support",
        label_da="Støttens træk",
        doc_da="Ugentligt træk i indikatoren netværk og støtte mod båndenes hverdagsmestring.",
    )


class Rules(Mechanism):
    """Refusion and rules: reimbursement schedule, municipal incentives, offer deadlines, exemptions."""

    refusion_schedule = Choice(
        default="in_force",
        objects=["in_force", "2016", "pre2016"],
        doc="in_force: the rules in force in each week (pre2016 until rules.reform_week, then 2016); 2016: by "
        "benefit weeks (80/40/30/20%) throughout; pre2016: by activation (50% in activity, 30% passive) throughout.",
        label_da="Refusionsordning",
        doc_da="in_force: reglerne, der gælder i hver uge (før 2016 indtil rules.reform_week, derefter 2016); 2016: "
        "efter uger på ydelse (80/40/30/20 %) hele vejen; før 2016: efter aktivering (50 % i aktivitet, 30 % "
        "passiv) hele vejen.",
        options_en={
            "in_force": "the rules in force (reform in week rules.reform_week)",
            "2016": "2016 throughout (by benefit weeks)",
            "pre2016": "before 2016 throughout (by activation)",
        },
        options_da={
            "in_force": "de gældende regler (reform i uge rules.reform_week)",
            "2016": "2016 hele vejen (efter uger på ydelse)",
            "pre2016": "før 2016 hele vejen (efter aktivering)",
        },
    )
    reform_week = Count(
        118,
        bounds=(0, 1040),
        unit="week of the run",
        doc="Week in which the 2016 refusion reform takes effect (4 January 2016); 118 starts the run on "
        "1 October 2013, the first quarter of the published study period 2013-2016 (assumption).",
        label="Week of the 2016 reform",
        label_da="Uge for reformen i 2016",
        doc_da="Ugen, hvor refusionsreformen fra 2016 træder i kraft (4. januar 2016); 118 lader kørslen begynde "
        "1. oktober 2013, første kvartal af den publicerede undersøgelsesperiode 2013-2016 (antagelse).",
    )
    incentive_strength = Quantity(
        0.5,
        bounds=(0.0, 5.0),
        unit="scale",
        doc="How much the municipality's share of the cost steers offers.",
        label_da="Incitamentets styrke",
        doc_da="Hvor meget kommunens andel af udgiften styrer tilbuddene.",
    )
    incentive_neutral_share = _probability(
        0.5,
        "Municipal share of the benefit cost at which the 2016 schedule neither favours nor holds back "
        "job-focused help; above it the staircase threshold is lowered (assumption: half the cost).",
        unit="share",
        label="Cost share with no incentive",
        label_da="Udgiftsandel uden incitament",
        doc_da="Kommunens andel af ydelsesudgiften, hvor 2016-ordningen hverken fremmer eller holder jobrettet hjælp "
        "tilbage; over den sænkes tærsklen i trappemodellen (antagelse: halvdelen af udgiften).",
    )
    first_offer_weeks = Count(
        26,
        bounds=(1, 208),
        unit="weeks",
        doc="A first offer is due within this time.",
        label="Weeks to the first offer",
        label_da="Uger til første tilbud",
        doc_da="Et første tilbud skal gives inden for denne tid.",
    )
    repeat_offer_weeks = Count(
        52,
        bounds=(1, 208),
        unit="weeks",
        doc="Later offers are due at least this often.",
        label="Weeks between later offers",
        label_da="Uger mellem senere tilbud",
        doc_da="Senere tilbud skal gives mindst så ofte.",
    )
    deadline_compliance = _probability(
        0.22,
        "Chance that a meeting at which an offer is due ends with one "
        "(published: about 1 in 4 had no offer within 65 weeks).",
        unit="probability per meeting",
        label="Offers on time",
        label_da="Rettidige tilbud",
        doc_da="Sandsynlighed for, at en samtale, hvor et tilbud er forfaldent, ender med et (offentliggjort: "
        "omkring 1 ud af 4 fik intet tilbud inden for 65 uger).",
    )
    exemption_threshold = Quantity(
        1.8,
        bounds=(1.0, 5.0),
        unit="points (1-5)",
        doc="Perceived readiness below which a caseworker may exempt from contact.",
        label="Readiness for exemption",
        label_da="Parathed for fritagelse",
        doc_da="Opfattet parathed, under hvilken en sagsbehandler kan fritage fra kontakt.",
    )
    exemption_probability = _probability(
        0.05,
        "Chance per meeting that a citizen below the threshold is exempted.",
        unit="probability per meeting",
        label="Chance of exemption",
        label_da="Sandsynlighed for fritagelse",
        doc_da="Sandsynlighed pr. samtale for, at en borger under tærsklen fritages.",
    )
    exemption_weeks = Count(
        52,
        bounds=(1, 520),
        unit="weeks",
        doc="How long an exemption lasts.",
        label="Weeks of exemption",
        label_da="Uger med fritagelse",
        doc_da="Hvor længe en fritagelse varer.",
    )


class Exits(Mechanism):
    """Exits to rehabilitation programme, flexi-job, disability pension and education."""

    education_rate = _probability(
        0.001,
        "Weekly chance of starting education for a young, goal-directed citizen.",
        label="Chance of starting education",
        label_da="Sandsynlighed for at starte uddannelse",
        doc_da="Ugentlig sandsynlighed for at starte uddannelse for en ung, målrettet borger.",
    )
    education_age = Count(
        30,
        bounds=(18, 67),
        unit="years",
        doc="Age below which a citizen counts as young for education (assumption: the under-30 line of Danish "
        "education assistance, which steers the young toward education).",
        label="Age limit for education",
        label_da="Aldersgrænse for uddannelse",
        doc_da="Alder, under hvilken en borger regnes som ung med henblik på uddannelse (antagelse: "
        "uddannelseshjælpens 30-årsgrænse, som styrer de unge mod uddannelse).",
    )
    education_older_factor = Quantity(
        0.2,
        bounds=(0.0, 1.0),
        unit="factor",
        doc="Factor on the education rate from exits.education_age on (assumption: older citizens rarely "
        "start education).",
        label="Education factor for older citizens",
        label_da="Uddannelsesfaktor for ældre borgere",
        doc_da="Faktor på uddannelsessandsynligheden fra exits.education_age og op (antagelse: ældre borgere starter "
        "sjældent uddannelse).",
    )
    education_orientation_factor = _multiplier(
        3.0,
        "Factor on the education rate of an education-oriented citizen (assumption).",
        label="Education factor, education-oriented",
        label_da="Uddannelsesfaktor, uddannelsesorienteret",
        doc_da="Faktor på uddannelsessandsynligheden for en uddannelsesorienteret borger (antagelse).",
    )
    rehabilitation_rate = _probability(
        0.002,
        "Weekly chance of a rehabilitation programme for a citizen with poor health after two years on benefit.",
        label="Chance of a rehabilitation programme",
        label_da="Sandsynlighed for ressourceforløb",
        doc_da="Ugentlig sandsynlighed for et ressourceforløb for en borger med dårligt helbred efter to år på ydelse.",
    )
    rehabilitation_after_weeks = Count(
        104,
        bounds=(0, 520),
        unit="weeks on benefit",
        doc="Weeks on benefit after which a rehabilitation programme is open (assumption: about two years, "
        "the long, complex cases the programme is for).",
        label="Weeks on benefit before rehabilitation",
        label_da="Uger på ydelse før ressourceforløb",
        doc_da="Uger på ydelse, hvorefter et ressourceforløb er muligt (antagelse: omkring to år, de lange, "
        "komplekse sager forløbet er til).",
    )
    rehabilitation_health = Quantity(
        2.2,
        bounds=(1.0, 5.0),
        unit="points (1-5)",
        doc="Health below which a rehabilitation programme is open (assumption).",
        label="Health for rehabilitation",
        label_da="Helbred for ressourceforløb",
        doc_da="Helbred, under hvilket et ressourceforløb er muligt (antagelse).",
    )
    rehabilitation_weeks = Count(
        78,
        bounds=(13, 260),
        unit="weeks",
        doc="Length of a rehabilitation programme.",
        label="Length of a rehabilitation programme",
        label_da="Ressourceforløbets længde",
        doc_da="Længden af et ressourceforløb.",
    )
    flexi_job_rate = _probability(
        0.0015,
        "Weekly chance of a flexi-job for a citizen with reduced capacity.",
        label="Chance of a flexi-job",
        label_da="Sandsynlighed for fleksjob",
        doc_da="Ugentlig sandsynlighed for et fleksjob for en borger med nedsat arbejdsevne.",
    )
    flexi_job_health = Quantity(
        2.5,
        bounds=(1.0, 5.0),
        unit="points (1-5)",
        doc="Health below which capacity counts as reduced (a musculoskeletal disorder always does; assumption).",
        label="Health for reduced capacity",
        label_da="Helbred for nedsat arbejdsevne",
        doc_da="Helbred, under hvilket arbejdsevnen regnes som nedsat (en lidelse i bevægeapparatet gør det altid; "
        "antagelse).",
    )
    flexi_job_readiness = Quantity(
        2.5,
        bounds=(1.0, 5.0),
        unit="points (1-5)",
        doc="Readiness above which a citizen with reduced capacity can work some hours in a flexi-job (assumption).",
        label="Readiness for a flexi-job",
        label_da="Parathed for fleksjob",
        doc_da="Parathed, over hvilken en borger med nedsat arbejdsevne kan arbejde nogle timer i et fleksjob "
        "(antagelse).",
    )
    pension_rate = _probability(
        0.002,
        "Weekly chance of disability pension for an older citizen in poor health.",
        label="Chance of disability pension",
        label_da="Sandsynlighed for førtidspension",
        doc_da="Ugentlig sandsynlighed for førtidspension for en ældre borger med dårligt helbred.",
    )
    pension_age = Count(
        40,
        bounds=(18, 67),
        unit="years",
        doc="Age from which disability pension is open (assumption: since the 2013 reform, citizens under 40 "
        "get a rehabilitation programme instead, save exceptions).",
        label="Age for disability pension",
        label_da="Alder for førtidspension",
        doc_da="Alder, fra hvilken førtidspension er mulig (antagelse: siden reformen i 2013 får borgere under 40 et "
        "ressourceforløb i stedet, med undtagelser).",
    )
    pension_health = Quantity(
        1.8,
        bounds=(1.0, 5.0),
        unit="points (1-5)",
        doc="Health below which disability pension is open (assumption: very poor health).",
        label="Health for disability pension",
        label_da="Helbred for førtidspension",
        doc_da="Helbred, under hvilket førtidspension er mulig (antagelse: meget dårligt helbred).",
    )
    out_rate = _probability(
        0.001,
        "Weekly chance of leaving the population (moving, death); always on.",
        label="Chance of leaving the population",
        label_da="Sandsynlighed for at forlade populationen",
        doc_da="Ugentlig sandsynlighed for at forlade populationen (flytning, død); altid slået til.",
    )


class Trust(Mechanism):
    """Trust in the jobcentre: lost to caseworker changes, waits, reversals and exemptions; rebuilt by continuity."""

    initial = _probability(
        0.65,
        "Starting trust of a citizen who is neither resigned nor distrustful.",
        unit="0-1",
        label="Starting trust",
        label_da="Tillid ved start",
        doc_da="Tilliden ved start hos en borger, der hverken er opgivende eller har mistillid.",
    )
    initial_resigned = _probability(
        0.45,
        "Starting trust of a resigned citizen.",
        unit="0-1",
        label="Starting trust, resigned",
        label_da="Tillid ved start, opgivende",
        doc_da="Tilliden ved start hos en opgivende borger.",
    )
    initial_distrustful = _probability(
        0.25,
        "Starting trust of a distrustful citizen.",
        unit="0-1",
        label="Starting trust, distrustful",
        label_da="Tillid ved start, mistillid",
        doc_da="Tilliden ved start hos en borger med mistillid til systemet.",
    )
    loss_caseworker_change = _probability(
        0.08,
        "Trust lost at each caseworker change.",
        unit="0-1 per change",
        label="Trust lost per caseworker change",
        label_da="Tillid tabt pr. sagsbehandlerskift",
        doc_da="Tillid, der tabes ved hvert sagsbehandlerskift.",
    )
    wait_tolerance_weeks = Count(
        8,
        bounds=(0, 208),
        unit="weeks",
        doc="Weeks of waiting for a place before it costs trust.",
        label="Tolerated waiting",
        label_da="Tålt ventetid",
        doc_da="Uger på venteliste, før det koster tillid.",
    )
    loss_per_waiting_week = _probability(
        0.01,
        "Trust lost per week of waiting beyond the tolerance.",
        unit="0-1 per week",
        label="Trust lost per week of waiting",
        label_da="Tillid tabt pr. uges ventetid",
        doc_da="Tillid, der tabes pr. uges ventetid ud over det tålte.",
    )
    exemption_tolerance_weeks = Count(
        26,
        bounds=(0, 520),
        unit="weeks",
        doc="Weeks of an exemption from contact before it costs trust.",
        label="Tolerated exemption",
        label_da="Tålt fritagelse",
        doc_da="Uger med fritagelse fra kontakt, før det koster tillid.",
    )
    loss_per_exempt_week = _probability(
        0.006,
        "Trust lost per week of exemption beyond the tolerance (being put on a side track).",
        unit="0-1 per week",
        label="Trust lost per week of exemption",
        label_da="Tillid tabt pr. uges fritagelse",
        doc_da="Tillid, der tabes pr. uges fritagelse ud over det tålte (at blive sat på et sidespor).",
    )
    loss_reversal = _probability(
        0.05,
        "Trust lost when the caseworker moves the citizen back to activity-ready.",
        unit="0-1 per reversal",
        label="Trust lost per reversal",
        label_da="Tillid tabt pr. omgjort afgørelse",
        doc_da="Tillid, der tabes, når sagsbehandleren flytter borgeren tilbage til aktivitetsparat.",
    )
    gain_per_meeting = _probability(
        0.08,
        "Share of the trust lost since the start that a meeting rebuilds with a caseworker the citizen "
        "knows well (times continuity).",
        unit="share per meeting",
        label="Trust rebuilt per meeting",
        label_da="Tillid genopbygget pr. samtale",
        doc_da="Andel af den tillid, der er tabt siden start, som en samtale med en kendt sagsbehandler "
        "genopbygger (gange kontinuiteten).",
    )
    gain_completed_placement = _probability(
        0.08,
        "Trust gained when job-focused help is completed.",
        unit="0-1 per completion",
        label="Trust gained per completed job-focused help",
        label_da="Tillid vundet pr. gennemført jobrettet indsats",
        doc_da="Tillid, der vindes, når jobrettet hjælp gennemføres.",
    )
    meeting_sensitivity = Quantity(
        1.0,
        bounds=(0.0, 5.0),
        unit="per unit of trust",
        doc="Change in a meeting's readiness gain per unit of trust above or below the reference (0.6).",
        label="Trust's effect on meetings",
        label_da="Tillidens betydning for samtaler",
        doc_da="Ændring i en samtales gevinst i parathed pr. enhed tillid over eller under referencen (0,6).",
    )
    intervention_sensitivity = Quantity(
        0.5,
        bounds=(0.0, 5.0),
        unit="per unit of trust",
        doc="Change in an intervention's weekly gains per unit of trust above or below the reference (0.6).",
        label="Trust's effect on interventions",
        label_da="Tillidens betydning for indsatser",
        doc_da="Ændring i en indsats' ugentlige gevinster pr. enhed tillid over eller under referencen (0,6).",
    )
    drift_threshold = _probability(
        0.3,
        "Trust below which the orientation may drift to distrustful or resigned.",
        unit="0-1",
        label="Trust below which orientation drifts",
        label_da="Tillid, hvorunder orienteringen skifter",
        doc_da="Tillid, hvorunder orienteringen kan skifte til mistillid eller opgivenhed.",
    )
    drift_rate = _probability(
        0.02,
        "Weekly chance of that drift while trust is below the threshold.",
        label="Weekly chance of drift",
        label_da="Ugentlig sandsynlighed for skift",
        doc_da="Ugentlig sandsynlighed for det skift, mens tilliden er under grænsen.",
    )
    recovery_threshold = _probability(
        0.6,
        "Trust from which completing job-focused help turns a resigned or distrustful citizen back to work-first.",
        unit="0-1",
        label="Trust needed to turn back to work",
        label_da="Tillid, der skal til for at vende tilbage",
        doc_da="Tillid, hvorfra gennemført jobrettet hjælp får en opgivende eller mistroisk borger tilbage til "
        "arbejde først.",
    )


class Search(Mechanism):
    """Search effort: discouragement with time on benefit and after rejections, lock-in while in a programme."""

    duration_decline = Quantity(
        0.15,
        bounds=(0.0, 2.0),
        unit="log points per year on benefit",
        doc="Fall in employer contacts per year on benefit (assumption: search effort falls over a spell).",
        label="Fall of search per year on benefit",
        label_da="Søgningens fald pr. år på ydelse",
        doc_da="Fald i arbejdsgiverkontakter pr. år på ydelse (antagelse: søgeindsatsen falder over et forløb).",
    )
    duration_floor = _probability(
        0.6,
        "Employer contacts never fall below this share of normal through duration alone.",
        unit="share",
        label="Lowest search after a long spell",
        label_da="Laveste søgning efter lang tid",
        doc_da="Arbejdsgiverkontakterne falder aldrig under denne andel af det normale alene på grund af varigheden.",
    )
    rejection_effect = _probability(
        0.05,
        "Share of search lost per recent rejection by an employer (assumption).",
        unit="share per rejection",
        label="Search lost per rejection",
        label_da="Søgning tabt pr. afslag",
        doc_da="Andel af søgningen, der tabes pr. nyligt afslag fra en arbejdsgiver (antagelse).",
    )
    rejection_memory_weeks = Quantity(
        13.0,
        bounds=(1.0, 520.0),
        unit="weeks",
        doc="Time constant over which a rejection is forgotten.",
        label="Memory of rejections",
        label_da="Hukommelse for afslag",
        doc_da="Tidskonstant, hvormed et afslag glemmes.",
    )
    lock_in_factor = _probability(
        0.7,
        "Factor on employer contacts while in an intervention (assumption: the lock-in found by programme "
        "evaluations).",
        unit="factor",
        label="Search while in a programme (lock-in)",
        label_da="Søgning under et forløb (fastlåsning)",
        doc_da="Faktor på arbejdsgiverkontakter under en indsats (antagelse: den fastlåsning, evalueringer af "
        "programmer finder).",
    )


class EmployerLearning(Mechanism):
    """Employers learn: failed hires from the jobcentre make them more hesitant, lasting ones less so."""

    failed_hire_step = Quantity(
        0.3,
        bounds=(0.0, 3.0),
        unit="points (1-5)",
        doc="Rise of an employer's hiring threshold after a hire that ended within 13 weeks (assumption).",
        label="Hesitation after a failed hire",
        label_da="Tøven efter en mislykket ansættelse",
        doc_da="Stigning i en arbejdsgivers krav efter en ansættelse, der ophørte inden for 13 uger (antagelse).",
    )
    good_hire_step = Quantity(
        0.1,
        bounds=(0.0, 3.0),
        unit="points (1-5)",
        doc="Fall of an employer's hiring threshold after a hire that lasted a year (assumption).",
        label="Openness after a lasting hire",
        label_da="Åbenhed efter en varig ansættelse",
        doc_da="Fald i en arbejdsgivers krav efter en ansættelse, der varede et år (antagelse).",
    )
    memory_weeks = Quantity(
        52.0,
        bounds=(1.0, 520.0),
        unit="weeks",
        doc="Time constant over which an employer forgets (assumption).",
        label="Employers' memory",
        label_da="Arbejdsgivernes hukommelse",
        doc_da="Tidskonstant, hvormed en arbejdsgiver glemmer (antagelse).",
    )


class Records(Group):
    """What the model keeps of its truth as it runs."""

    latent_every_weeks = Count(
        13,
        bounds=(1, 52),
        unit="weeks",
        doc="Record latent indicators every this many weeks (13: at every survey wave).",
        label="Weeks between records of the truth",
        label_da="Uger mellem registreringer af sandheden",
        doc_da="Registrér de latente indikatorer hver så mange uger (13: ved hver runde i målingen).",
    )


class CitizenRating(Group):
    """How citizens answer the progression survey: noise, mood, response shift and social desirability."""

    noise_sd = Quantity(
        0.6,
        bounds=(0.0, 3.0),
        unit="points",
        doc="Item-level noise of a citizen's answer.",
        label="Noise in a citizen's answer",
        label_da="Støj i en borgers svar",
        doc_da="Støj på spørgsmålsniveau i en borgers svar.",
    )
    mood_sd = Quantity(
        0.3,
        bounds=(0.0, 3.0),
        unit="points",
        doc="Mood of the day: one shift shared by all items of a questionnaire.",
        label="Mood of the day",
        label_da="Dagsform",
        doc_da="Dagens humør: ét skift fælles for alle spørgsmål i et spørgeskema.",
    )
    response_shift = _probability(
        0.4,
        "Share of the true change since the citizen's first questionnaire that the "
        "moving reference point hides (0: none, 1: change invisible).",
        unit="share",
        label_da="Responsskift",
        doc_da="Andel af den sande ændring siden borgerens første spørgeskema, som det flyttende referencepunkt "
        "skjuler (0: intet, 1: ændring usynlig).",
    )
    social_desirability = Quantity(
        0.4,
        bounds=(0.0, 2.0),
        unit="points",
        doc="Largest upward bias from wanting to look good; each citizen has a uniform share of it.",
        label_da="Social ønskværdighed",
        doc_da="Største opadgående skævhed fra ønsket om at tage sig godt ud; hver borger har en ligefordelt andel "
        "af den.",
    )
    trust_lens = Quantity(
        1.0,
        bounds=(0.0, 5.0),
        unit="points per unit of trust",
        doc="How much the citizen's trust in the jobcentre colours their answer on the coherence and progress of "
        "the effort, per unit of trust above or below 0.6 (assumption: the survey sees trust only through it).",
        label="Trust colouring the coherence answer",
        label_da="Tillidens farvning af svaret om sammenhæng",
        doc_da="Hvor meget borgerens tillid til jobcentret farver svaret om indsatsens sammenhæng og fremdrift, "
        "pr. enhed tillid over eller under 0,6 (antagelse: målingen ser kun tilliden gennem det).",
    )


class CaseworkerRating(Group):
    """How caseworkers rate their citizens: knowledge from meetings, anchoring, deficit lean and belief."""

    knowledge_meetings = Quantity(
        4.0,
        bounds=(0.1, 50.0),
        unit="meetings",
        doc="Meetings with the citizen after which the caseworker knows half of what "
        "can be known; knowledge resets at a caseworker change.",
        label="Meetings to know the citizen",
        label_da="Samtaler til at kende borgeren",
        doc_da="Samtaler med borgeren, hvorefter sagsbehandleren ved halvdelen af, hvad der kan vides; kendskabet "
        "nulstilles ved sagsbehandlerskift.",
    )
    anchoring = _probability(
        0.2,
        "Weight on the category anchor that remains even with full knowledge.",
        unit="share",
        label_da="Forankring",
        doc_da="Vægt på kategoriens anker, som bliver tilbage selv med fuldt kendskab.",
    )
    anchor_activity_ready = Quantity(
        2.0,
        bounds=(1.0, 5.0),
        unit="points (1-5)",
        doc="What a caseworker assumes of an activity-ready citizen they do not know.",
        label="Anchor for activity-ready",
        label_da="Anker for aktivitetsparat",
        doc_da="Hvad en sagsbehandler antager om en aktivitetsparat borger, de ikke kender.",
    )
    anchor_job_ready = Quantity(
        3.5,
        bounds=(1.0, 5.0),
        unit="points (1-5)",
        doc="What a caseworker assumes of a job-ready citizen they do not know.",
        label="Anchor for job-ready",
        label_da="Anker for jobparat",
        doc_da="Hvad en sagsbehandler antager om en jobparat borger, de ikke kender.",
    )
    deficit_lean = Quantity(
        0.2,
        bounds=(0.0, 2.0),
        unit="points",
        doc="Downward lean on items about the citizen's individual resources.",
        label="Deficit lean",
        label_da="Hældning mod mangler",
        doc_da="Nedadgående hældning på spørgsmål om borgerens egne ressourcer.",
    )
    belief_halo = Quantity(
        0.3,
        bounds=(0.0, 3.0),
        unit="points per unit of belief",
        doc="Shift of every item by the caseworker's belief in a job minus 0.5.",
        label="Halo of belief",
        label_da="Glorieeffekt af tiltro",
        doc_da="Forskydning af hvert spørgsmål med sagsbehandlerens tro på job minus 0,5.",
    )
    severity_sd = Quantity(
        0.25,
        bounds=(0.0, 2.0),
        unit="points",
        doc="Spread of caseworkers' personal severity.",
        label="Spread of severity",
        label_da="Spredning i strenghed",
        doc_da="Spredning i sagsbehandlernes personlige strenghed.",
    )
    noise_sd = Quantity(
        0.5,
        bounds=(0.0, 3.0),
        unit="points",
        doc="Item-level noise of a caseworker's rating.",
        label="Noise in a caseworker's rating",
        label_da="Støj i en sagsbehandlers vurdering",
        doc_da="Støj på spørgsmålsniveau i en sagsbehandlers vurdering.",
    )
    belief_doubtful = _probability(
        0.04,
        "Belief at or above which the job-belief item is 2 (doubtful) rather than 1.",
        unit="probability",
        label="Belief for 'doubtful'",
        label_da="Tiltro for 'tvivlsom'",
        doc_da="Tiltro fra hvilken spørgsmålet om tro på job er 2 (tvivlsom) frem for 1.",
    )
    belief_maybe = _probability(
        0.12,
        "Belief at or above which the job-belief item is 3 (maybe).",
        unit="probability",
        label="Belief for 'maybe'",
        label_da="Tiltro for 'måske'",
        doc_da="Tiltro fra hvilken spørgsmålet om tro på job er 3 (måske).",
    )
    belief_good = _probability(
        0.3,
        "Belief at or above which the job-belief item is 4 (good chances; published ~20%).",
        unit="probability",
        label="Belief for 'good chances'",
        label_da="Tiltro for 'gode chancer'",
        doc_da="Tiltro fra hvilken spørgsmålet om tro på job er 4 (gode chancer; offentliggjort ~20 %).",
    )
    belief_yes = _probability(
        0.75,
        "Belief at or above which the job-belief item is 5 (yes; published ~6%).",
        unit="probability",
        label="Belief for 'yes'",
        label_da="Tiltro for 'ja'",
        doc_da="Tiltro fra hvilken spørgsmålet om tro på job er 5 (ja; offentliggjort ~6 %).",
    )


class SurveyResponse(Group):
    """Who answers the progression survey: state-dependent non-response and attrition."""

    citizen_response = _probability(
        0.32,
        "Chance that a citizen of average readiness answers a wave.",
        unit="probability",
        label="Citizens' response rate",
        label_da="Borgernes svarprocent",
        doc_da="Sandsynlighed for, at en borger med gennemsnitlig parathed svarer i en runde.",
    )
    caseworker_response = _probability(
        0.33,
        "Chance that a caseworker who has met the citizen answers a wave.",
        unit="probability",
        label="Caseworkers' response rate",
        label_da="Sagsbehandlernes svarprocent",
        doc_da="Sandsynlighed for, at en sagsbehandler, der har mødt borgeren, svarer i en runde.",
    )
    readiness_slope = Quantity(
        0.6,
        bounds=(0.0, 5.0),
        unit="log-odds per point",
        doc="How much more often citizens with higher readiness answer.",
        label="Effect of readiness on answering",
        label_da="Parathedens effekt på at svare",
        doc_da="Hvor meget oftere borgere med højere parathed svarer.",
    )
    propensity_sd = Quantity(
        1.0,
        bounds=(0.0, 5.0),
        unit="log-odds",
        doc="Spread of citizens' lasting willingness to answer.",
        label="Spread of willingness to answer",
        label_da="Spredning i villighed til at svare",
        doc_da="Spredning i borgernes varige villighed til at svare.",
    )
    sick_factor = _probability(
        0.5,
        "Factor on a sick citizen's chance of answering.",
        unit="multiplier",
        label="Answering factor when sick",
        label_da="Svarfaktor ved sygdom",
        doc_da="Faktor på en syg borgers sandsynlighed for at svare.",
    )
    unknown_citizen_factor = _probability(
        0.4,
        "Factor on a caseworker's chance of answering for a citizen they have not yet met.",
        unit="multiplier",
        label="Answering factor, citizen not yet met",
        label_da="Svarfaktor, borger endnu ikke mødt",
        doc_da="Faktor på en sagsbehandlers sandsynlighed for at svare for en borger, de endnu ikke har mødt.",
    )
    rejoin_after_exit = Switch(
        False,
        doc="Measure citizens again when they return to social assistance "
        "after an exit (false: attrition is permanent).",
        label_da="Med igen efter afgang",
        doc_da="Mål borgere igen, når de vender tilbage til kontanthjælp efter en afgang (falsk: frafald er "
        "permanent).",
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
        label_da="Runder",
        doc_da="Runder i progressionsmålingen fra uge 0 (offentliggjort: kvartalsvis over fire år, 16); runder, der "
        "ville falde efter kørslens sidste uge, holdes ikke.",
    )
    interval_weeks = Count(
        13,
        bounds=(1, 52),
        unit="weeks",
        doc="Weeks between waves (published: a quarter); a multiple of records.latent_every_weeks, the weeks at "
        "which the true indicators the answers are drawn from are recorded.",
        label="Weeks between waves",
        label_da="Uger mellem runder",
        doc_da="Uger mellem runder (offentliggjort: et kvartal); et multiplum af records.latent_every_weeks, ugerne "
        "hvor de sande indikatorer, svarene trækkes fra, registreres.",
    )
    respondents = Choice(
        default="both",
        objects=["both", "citizens", "caseworkers"],
        doc="Who answers (published: both, half of the measurements each); with one side only, the other's "
        "questionnaires are not sent.",
        label_da="Hvem svarer",
        doc_da="Hvem svarer (offentliggjort: begge, halvdelen af målingerne hver); med kun én side sendes den andens "
        "spørgeskemaer ikke ud.",
        options_en={"both": "both", "citizens": "citizens", "caseworkers": "caseworkers"},
        options_da={"both": "begge", "citizens": "borgere", "caseworkers": "sagsbehandlere"},
    )
    sample_share = _probability(
        1.0,
        "Share of the cohort the survey samples at random (published: the whole cohort).",
        unit="share",
        label="Share sampled",
        label_da="Andel i stikprøven",
        doc_da="Andel af kohorten, som målingen udtrækker tilfældigt (offentliggjort: hele kohorten).",
    )


class RegisterHistory(Group):
    """The five years before the study in the register: spells on support, in job or education, or other."""

    history_weeks = Count(
        260,
        bounds=(52, 520),
        unit="weeks",
        doc="Weeks of register history before week 0.",
        label="Weeks of history",
        label_da="Uger med historik",
        doc_da="Uger med registerhistorik før uge 0.",
    )
    block_weeks = Count(
        13,
        bounds=(1, 52),
        unit="weeks",
        doc="Typical building block of a history spell.",
        label="Weeks per history block",
        label_da="Uger pr. historikblok",
        doc_da="Typisk byggeklods i et historikforløb.",
    )
    recency = Quantity(
        1.5,
        bounds=(0.0, 10.0),
        unit="log-odds over the period",
        doc="How strongly support concentrates in the years just before the study.",
        label_da="Nylighed",
        doc_da="Hvor stærkt forsørgelsen samler sig i årene lige før undersøgelsen.",
    )
    education_share = _probability(
        0.3,
        "Share of job-or-education spells that are education.",
        unit="share",
        label="Share in education",
        label_da="Andel i uddannelse",
        doc_da="Andel af forløb i job eller uddannelse, der er uddannelse.",
    )
    sickness_share = _probability(
        0.15,
        "Share of support spells on sickness benefit rather than social assistance.",
        unit="share",
        label="Share on sickness benefit",
        label_da="Andel på sygedagpenge",
        doc_da="Andel af forsørgelsesforløb på sygedagpenge frem for kontanthjælp.",
    )


class QualitativeStudy(Group):
    """The qualitative longitudinal study: interviewed citizens, observed meetings and employer interviews.

    Sampling is purposive, as a qualitative study recruits: variation in orientation, jobcentre and readiness
    rather than representativeness. Citizens tell their events with imperfect recall and sometimes keep
    silent; two coders code the transcripts with the declared error rates. Part of the study's data strategy
    (:data:`DESIGN_GROUPS`): changing it changes what is observed of a run, never the run.
    """

    citizens = Count(
        25,
        bounds=(1, 500),
        unit="citizens",
        doc="Activity-ready citizens sampled at week 0.",
        label="Citizens interviewed",
        label_da="Interviewede borgere",
        doc_da="Aktivitetsparate borgere udvalgt i uge 0.",
    )
    sampling = Choice(
        default="purposive",
        objects=["purposive", "stratified"],
        doc="How the citizens are chosen: purposive (maximum variation: every orientation about equally, spread "
        "over jobcentres and over low and high readiness) or stratified (orientations in proportion to their "
        "size, at least one each).",
        label_da="Udvælgelse",
        doc_da="Hvordan borgerne vælges: strategisk (maksimal variation: alle orienteringer omtrent lige mange, "
        "spredt over jobcentre og over lav og høj parathed) eller stratificeret (orienteringer i forhold til "
        "deres størrelse, mindst én af hver).",
        options_en={"purposive": "purposive", "stratified": "stratified"},
        options_da={"purposive": "strategisk", "stratified": "stratificeret"},
    )
    study_weeks = Count(
        104,
        bounds=(0, 520),
        unit="weeks",
        doc="How long the sampled citizens are followed.",
        label="Weeks followed",
        label_da="Uger fulgt",
        doc_da="Hvor længe de udvalgte borgere følges.",
    )
    interval_weeks = Count(
        13,
        bounds=(1, 52),
        unit="weeks",
        doc="Weeks between interviews.",
        label="Weeks between interviews",
        label_da="Uger mellem interview",
        doc_da="Uger mellem interview.",
    )
    attrition = _probability(
        0.03,
        "Chance that a citizen still in the study drops out before the next interview (cannot be reached, "
        "declines); citizens who leave the population leave the study too.",
        unit="probability per wave",
        label_da="Frafald",
        doc_da="Sandsynlighed for, at en borger, der stadig er med, falder fra før næste interview (kan ikke nås, "
        "siger nej); borgere, der forlader populationen, forlader også undersøgelsen.",
    )
    recall = _probability(
        0.8,
        "Chance that a citizen tells an event at the first interview after it happened; salient events (a job, a "
        "placement) are told more often, routine ones (a meeting) less.",
        unit="probability",
        label_da="Erindring",
        doc_da="Sandsynlighed for, at en borger fortæller om en hændelse ved første interview efter den; markante "
        "hændelser (et job, en praktik) fortælles oftere, rutinemæssige (en samtale) sjældnere.",
    )
    late_recall = _probability(
        0.4,
        "Chance that an event not told at the first interview after it is told at the next one.",
        unit="probability",
        label_da="Sen erindring",
        doc_da="Sandsynlighed for, at en hændelse, der ikke blev fortalt ved første interview efter den, fortælles "
        "ved det næste.",
    )
    silence = _probability(
        0.05,
        "Chance that a citizen declines to talk about an event they remember (twice as often when distrustful).",
        unit="probability",
        label_da="Tavshed",
        doc_da="Sandsynlighed for, at en borger afviser at tale om en hændelse, de husker (dobbelt så ofte, når de "
        "er mistillidsfulde).",
    )
    duration_error = Quantity(
        0.35,
        bounds=(0.0, 2.0),
        unit="log scale",
        doc="Standard deviation of the log of the factor by which a citizen misjudges how long they waited.",
        label="Error in told durations",
        label_da="Fejl i fortalte varigheder",
        doc_da="Standardafvigelsen på logaritmen af den faktor, en borger fejlbedømmer sin ventetid med.",
    )
    coder_a_miss = _probability(
        0.08,
        "Chance that the first coder misses a code the answer voices.",
        unit="probability",
        label="Coder A misses",
        label_da="Kodare A overser",
        doc_da="Sandsynlighed for, at den første kodare overser en kode, som svaret udtrykker.",
    )
    coder_a_false = _probability(
        0.001,
        "Chance that the first coder applies a code the answer does not voice, per code and answer.",
        unit="probability",
        label="Coder A codes falsely",
        label_da="Kodare A koder fejlagtigt",
        doc_da="Sandsynlighed for, at den første kodare sætter en kode, som svaret ikke udtrykker, pr. kode og svar.",
    )
    coder_b_miss = _probability(
        0.15,
        "Chance that the second coder misses a code the answer voices.",
        unit="probability",
        label="Coder B misses",
        label_da="Kodare B overser",
        doc_da="Sandsynlighed for, at den anden kodare overser en kode, som svaret udtrykker.",
    )
    coder_b_false = _probability(
        0.003,
        "Chance that the second coder applies a code the answer does not voice, per code and answer.",
        unit="probability",
        label="Coder B codes falsely",
        label_da="Kodare B koder fejlagtigt",
        doc_da="Sandsynlighed for, at den anden kodare sætter en kode, som svaret ikke udtrykker, pr. kode og svar.",
    )
    meeting_observation = _probability(
        0.5,
        "Chance that a researcher observes a sampled citizen's meeting.",
        unit="probability",
        label="Chance a meeting is observed",
        label_da="Sandsynlighed for observeret samtale",
        doc_da="Sandsynlighed for, at en forsker observerer en udvalgt borgers samtale.",
    )
    coping_drop = Quantity(
        0.3,
        bounds=(0.0, 4.0),
        unit="points",
        doc="Fall in everyday or health coping since the last interview that the citizen talks about.",
        label="Drop in coping talked about",
        label_da="Fald i mestring der fortælles om",
        doc_da="Fald i hverdagsmestring eller håndtering af helbred siden sidste interview, som borgeren fortæller om.",
    )
    employers = Count(
        15,
        bounds=(0, 500),
        unit="employers",
        doc="Employers interviewed among those who took a placement or hired a citizen.",
        label="Employers interviewed",
        label_da="Interviewede arbejdsgivere",
        doc_da="Arbejdsgivere interviewet blandt dem, der har taget en borger i praktik eller ansat en borger.",
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
