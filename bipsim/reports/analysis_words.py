"""The words of ``bipsim analyze``'s report in English and Danish, and readable labels for the keys in its tables.

Keys in the analysis tables are labelled from their declarations, which carry both languages: register codes
(:data:`bipsim.contract.codes.BENEFIT_CODES`), respondents, indicators, interview themes and their groups,
estimands and methods (through :mod:`bipsim.reports.recovery_words`), effect outcomes and their scales, the
tables' titles and columns (:mod:`bipsim.contract.results`) and the background variables of the bundle's schema.
The analyses also write a few values as English text (group names such as "got a job", the prediction models'
names); :data:`DANISH` gives their Danish, keyed by the English text, so a new value shows in English until it
is translated here. The page's own words are :data:`WORDS`, and :data:`UNITS` says what one unit of each effect
outcome's scale is, so every estimate is shown with its scale and unit.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from bipsim.contract.codes import BENEFIT_CODES, RESPONDENT_TERMS, SCALE
from bipsim.contract.estimands import EFFECT_OUTCOMES
from bipsim.contract.results import result_column, result_table
from bipsim.contract.schema import OBSERVED
from bipsim.contract.themes import THEME_GROUPS, THEMES
from bipsim.contract.vocabulary import INDICATORS, ORIENTATIONS, Term
from bipsim.reports.recovery_words import label, mechanism_label, method_label, scale_label

WORDS: dict[str, dict[str, str]] = {
    "title": {
        "en": "bipsim analysis: register, progression survey and interviews",
        "da": "bipsim-analyse: register, progressionsmåling og interviews",
    },
    "intro": {
        "en": "The analyses read only the observed tables. Estimates took {seconds:.1f} s.",
        "da": "Analyserne læser kun de observerede tabeller. Estimaterne tog {seconds:.1f} s.",
    },
    "tolerated": {"en": "What the data check tolerated", "da": "Hvad datatjekket tolererede"},
    "horizontal": {
        "en": "Register (horizontal lens): job effects as regularities in register data",
        "da": "Register (horisontal linse): jobeffekter som regelmæssigheder i registerdata",
    },
    "vertical": {
        "en": "Progression survey (vertical lens): indicators as generative mechanisms",
        "da": "Progressionsmåling (vertikal linse): indikatorer som frembringende mekanismer",
    },
    "relational": {
        "en": "Interviews (relational lens): effects bound to situated processes",
        "da": "Interviews (relationel linse): effekter bundet til situerede processer",
    },
    "triangulation": {
        "en": "Triangulation: does each method detect each mechanism, and do they agree?",
        "da": "Triangulering: finder hver metode hver mekanisme, og er metoderne enige?",
    },
    "flows": {
        "en": "Flows: share of the cohort in each register code, week by week.",
        "da": "Strømme: andelen af kohorten på hver registerkode, uge for uge.",
    },
    "self_sufficiency": {
        "en": "Self-sufficiency degree per quarter, by the caseworker's belief at the first wave.",
        "da": "Selvforsørgelsesgrad pr. kvartal efter sagsbehandlerens tro på job ved første runde.",
    },
    "estimates": {
        "en": "{outcome}: estimates with 95% intervals on the {scale} scale ({unit}); the dashed line is no "
        "difference. {note}",
        "da": "{outcome}: estimater med 95%-intervaller på skalaen {scale} ({unit}); den stiplede linje er ingen "
        "forskel. {note}",
    },
    "hazard_note": {
        "en": "Intervals are cluster-robust by caseworker. The gap between the naive and the adjusted hazard model "
        "is selection.",
        "da": "Intervallerne er klyngerobuste efter sagsbehandler. Forskellen mellem den naive og den justerede "
        "forløbsmodel er selektion.",
    },
    "estimand_method": {"en": "Estimand · method", "da": "Estimand · metode"},
    "trajectories": {
        "en": "Indicator trajectories by wave: mean answer ({low}-{high}) of those who got a job and those who did "
        "not, by respondent.",
        "da": "Indikatorforløb pr. runde: gennemsnitligt svar ({low}-{high}) for dem, der fik job, og dem, der ikke "
        "gjorde, efter hvem der svarede.",
    },
    "series": {"en": "Group, respondent", "da": "Gruppe, hvem svarede"},
    "mean_answer": {"en": "Mean answer ({low}-{high})", "da": "Gennemsnitligt svar ({low}-{high})"},
    "prediction": {
        "en": "Which measures predict a job within a year (AUC, 0.5 = chance): register history against indicators.",
        "da": "Hvilke mål forudsiger job inden for et år (AUC, 0,5 = tilfældigt): registerhistorik mod indikatorer.",
    },
    "measure": {"en": "Measure (who answered)", "da": "Mål (hvem svarede)"},
    "agreement": {
        "en": "Citizen-caseworker agreement per indicator (quadratic-weighted kappa: 0 = chance, 1 = full agreement).",
        "da": "Enighed mellem borger og sagsbehandler pr. indikator (kvadratisk vægtet kappa: 0 = tilfældigt, 1 = "
        "fuld enighed).",
    },
    "theme_counts": {
        "en": "Theme timeline: share of interviews raising each theme, wave by wave.",
        "da": "Temaernes tidslinje: andelen af interviews, der rejser hvert tema, runde for runde.",
    },
    "barriers": {
        "en": "Individual versus institutional barriers: theme mentions per interviewed citizen.",
        "da": "Individuelle mod institutionelle barrierer: nævnte temaer pr. interviewet borger.",
    },
    "mentions": {"en": "Theme mentions", "da": "Nævnte temaer"},
    "triangulation_map": {
        "en": "Mechanism x method: red = detected negative, blue = detected positive, pale = same direction but not "
        "significant, blank = the method cannot see it.",
        "da": "Mekanisme x metode: rød = fundet negativ, blå = fundet positiv, bleg = samme retning men ikke "
        "signifikant, tom = metoden kan ikke se den.",
    },
    "direction": {"en": "Direction", "da": "Retning"},
    "all_estimates": {"en": "All estimates", "da": "Alle estimater"},
    "scales_note": {
        "en": "Each estimate is on its outcome's scale, named with its unit in the scale column: a log hazard ratio "
        "of 0.69 doubles the weekly chance of entering a job (0: no difference); risk and mean differences are "
        "exposed minus unexposed.",
        "da": "Hvert estimat er på sit udfalds skala, som skalakolonnen navngiver med enhed: en log hazard-ratio på "
        "0,69 fordobler den ugentlige chance for at komme i job (0: ingen forskel); risiko- og "
        "gennemsnitsforskelle er eksponerede minus ueksponerede.",
    },
    "yes": {"en": "yes", "da": "ja"},
    "no": {"en": "no", "da": "nej"},
}
"""The page's words, by key and language."""

UNITS: dict[str, dict[str, str]] = {
    "job_entry": {"en": "weekly job chance; 0 = no difference", "da": "ugentlig jobchance; 0 = ingen forskel"},
    "job_1y": {"en": "share of citizens, -1 to 1", "da": "andel af borgerne, -1 til 1"},
    "self_sufficiency_2y": {
        "en": "share of weeks self-supporting, -1 to 1",
        "da": "andel af uger som selvforsørgende, -1 til 1",
    },
    "citizen_readiness": {
        "en": "points on the {low}-{high} answer scale per quarter",
        "da": "point på svarskalaen {low}-{high} pr. kvartal",
    },
    "theme_prevalence": {"en": "share of interviewed citizens, 0 to 1", "da": "andel af interviewede borgere, 0 til 1"},
}
"""What one unit of each effect outcome's scale is (keys of :data:`bipsim.contract.estimands.EFFECT_OUTCOMES`)."""

COVARIATES: tuple[Term, ...] = (
    Term("female", "Kvinde", "Woman", "The citizen's sex is female (share)."),
    Term("non_western", "Ikke-vestlig herkomst", "Non-Western origin", "The citizen's origin is non-Western (share)."),
    Term(
        "history_job_education",
        "Tid i job eller uddannelse før start",
        "Time in a job or education before the start",
        "Share of the 260 register weeks before week 0 in a job or education.",
    ),
    Term(
        "history_support",
        "Tid på offentlig forsørgelse før start",
        "Time on public support before the start",
        "Share of the 260 register weeks before week 0 on a public benefit.",
    ),
    Term(
        "citizen_score_w0",
        "Borgerens gennemsnitlige svar ved første runde",
        "Citizen's mean answer at the first wave",
        "Mean of the citizen's readiness items at wave 0 (1-5).",
    ),
    Term(
        "caseworker_score_w0",
        "Sagsbehandlerens gennemsnitlige svar ved første runde",
        "Caseworker's mean answer at the first wave",
        "Mean of the caseworker's readiness items at wave 0 (1-5).",
    ),
    Term(
        "belief_high_w0",
        "Sagsbehandleren tror på job ved første runde (4-5)",
        "Caseworker believes in a job at the first wave (4-5)",
        "The caseworker answers 4-5 to caseworker_job_belief at wave 0 (share of those answered).",
    ),
)
"""The covariates the analyses derive for the baseline comparison (:mod:`bipsim.analysis.measures`), labelled;
the background variables they keep as they are take their labels from the bundle's schema."""

DANISH: dict[str, str] = {
    # groups (bipsim.analysis.horizontal, bipsim.analysis.vertical)
    "all": "alle",
    "got a job": "fik job",
    "no job": "intet job",
    "belief not answered": "troen ikke besvaret",
    "caseworker believes (4-5)": "sagsbehandleren tror på job (4-5)",
    "caseworker doubts (1-3)": "sagsbehandleren tvivler (1-3)",
    # prediction models and kinds (bipsim.analysis.vertical)
    "register history and background": "registerhistorik og baggrund",
    "forward-looking indicators": "fremadskuende indikatorer",
    "all indicators": "alle indikatorer",
    "register and all indicators": "register og alle indikatorer",
    "single indicator (forward-looking)": "enkelt indikator (fremadskuende)",
    "single indicator (resources)": "enkelt indikator (ressourcer)",
    "model (logit, in-sample)": "model (logit, i stikprøven)",
}
"""Danish of the English values the analyses write into their tables, keyed by the English text."""


def words(key: str, language: str, **values: object) -> str:
    """The page's word ``key`` in ``language`` (English when missing), formatted with ``values``."""
    text = WORDS[key].get(language) or WORDS[key]["en"]
    return text.format(**values) if values else text


def _by_key(*tables: tuple[Term, ...]) -> dict[str, Term]:
    return {term.key: term for table in tables for term in table}


RELATIONAL_VALUES: tuple[Term, ...] = (
    Term("job_focused", "Jobrettet hjælp", "Job-focused help", "Placements, wage subsidies and job search help."),
    Term("support", "Støttende hjælp", "Support", "Skills, mentor and health help."),
    Term("same", "Samme interview", "The same interview", "The theme is voiced where the exposure is told."),
    Term("next", "Næste interview", "The next interview", "The theme is voiced at the interview after."),
    Term("hope", "Håb", "Hope", "The narrative voices belief in work."),
    Term("resignation", "Opgivelse", "Resignation", "The narrative voices giving up on work."),
    Term("neither", "Ingen af delene", "Neither", "The narrative voices neither."),
)
"""The values of the relational lens's tables that are no other declared term: kinds of help, when a theme is
voiced relative to an exposure, and the belief in work a narrative voices."""

_TERMS: dict[str, dict[str, Term]] = {
    "benefit_code": _by_key(BENEFIT_CODES),
    "indicator": _by_key(INDICATORS),
    "respondent": _by_key(RESPONDENT_TERMS),
    "theme": _by_key(THEMES),
    "theme_group": _by_key(THEME_GROUPS),
    "orientation": _by_key(ORIENTATIONS),
    "relational": _by_key(RELATIONAL_VALUES),
    "outcome": _by_key(EFFECT_OUTCOMES),
    "covariate": _by_key(COVARIATES),
}
"""The declared terms a key column's values are looked up in, by the kind of key."""

_BACKGROUND = {c.name: c for t in OBSERVED for c in t.columns}
"""The bundle's declared columns, for the background variables the baseline comparison lists."""


def term(kind: str, key: object, language: str) -> str:
    """The declared label of ``key`` among the terms of ``kind``; an undeclared key is read as text."""
    entry = _TERMS[kind].get(str(key))
    return label(entry, language) if entry is not None else value(key, language)


def value(text: object, language: str) -> str:
    """A value the analyses wrote in English, in ``language``; a key with underscores reads with spaces."""
    text = str(text)
    return (DANISH.get(text, text) if language == "da" else text).replace("_", " ")


def column_label(name: str, language: str) -> str:
    """The declared label of a column of the analysis tables (:mod:`bipsim.contract.results`), without its stop."""
    column = result_column(name) or _BACKGROUND.get(name)
    if column is None:
        return name.replace("_", " ")
    return (column.da if language == "da" else column.en).rstrip(".")


def table_title(name: str, language: str) -> str:
    """The declared title of analyze's table ``name``."""
    table = result_table("analyze", name)
    return label(table, language) if table is not None else name.replace("_", " ")  # type: ignore[arg-type]


def outcome_label(key: str, language: str) -> str:
    """The declared label of an effect outcome."""
    return term("outcome", key, language)


def unit(outcome: str, language: str) -> str:
    """What one unit of ``outcome``'s scale is, in ``language`` (empty for an undeclared outcome)."""
    text = UNITS.get(outcome, {}).get(language) or UNITS.get(outcome, {}).get("en", "")
    return text.format(low=SCALE[0], high=SCALE[1])


def scale_with_unit(scale: str, outcome: str, language: str) -> str:
    """The scale's readable name with its unit, e.g. "risk difference (share of citizens, -1 to 1)"."""
    what = unit(outcome, language)
    return f"{scale_label(scale, language)} ({what})" if what else scale_label(scale, language)


def _yes_no(flag: object, language: str) -> str:
    if pd.isna(flag):
        return ""
    return words("yes" if bool(flag) else "no", language)


def _is_flag(values: pd.Series) -> bool:
    """Whether a column holds only yes/no answers (a missing one allowed: a row the method could not judge)."""
    if pd.api.types.is_bool_dtype(values.dtype):
        return True
    present = values.dropna()
    return len(present) > 0 and all(isinstance(v, bool | np.bool_) for v in present)


def readable_table(frame: pd.DataFrame, language: str) -> pd.DataFrame:
    """``frame`` with declared labels: key columns' values read as labels, headers as the columns' labels.

    A method is labelled together with its outcome (the same key on two outcomes is two estimators), and a scale
    with its outcome's unit, so both are read before the outcome itself is relabelled.
    """
    out = frame.copy()
    if "method" in out and "outcome" in out:
        out["method"] = [method_label(m, o, language) for m, o in zip(frame["method"], frame["outcome"], strict=True)]
    if "scale" in out and "outcome" in out:
        out["scale"] = [scale_with_unit(s, o, language) for s, o in zip(frame["scale"], frame["outcome"], strict=True)]
    for column in ("estimand", "mechanism", "exposure"):
        if column in out:
            out[column] = out[column].map(lambda key: mechanism_label(key, language))
    kinds = {
        "outcome": "outcome",
        "benefit_code": "benefit_code",
        "indicator": "indicator",
        "respondent": "respondent",
        "theme": "theme",
        "from_theme": "theme",
        "to_theme": "theme",
        "dominant": "theme_group",
        "survey_barrier": "theme_group",
        "narrative_barrier": "theme_group",
        "orientation": "orientation",
        "help": "relational",
        "when": "relational",
        "narrative_belief": "relational",
    }
    for column, kind in kinds.items():
        if column in out:
            out[column] = out[column].map(lambda key, kind=kind: term(kind, key, language))
    for column in ("group", "kind"):
        if column in out:
            out[column] = out[column].map(lambda text: value(text, language))
    if "predictors" in out:
        out["predictors"] = out["predictors"].map(lambda key: term("indicator", key, language))
    if "variable" in out:
        out["variable"] = out["variable"].map(
            lambda name: (
                term("covariate", name, language) if name in _TERMS["covariate"] else column_label(name, language)
            )
        )
    for column in out.columns:
        if _is_flag(out[column]):
            out[column] = out[column].map(lambda flag: _yes_no(flag, language))
    return out.rename(columns={name: column_label(name, language) for name in out.columns})
