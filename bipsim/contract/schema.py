"""The schema of a dataset bundle, declared once.

Every table and column is declared with type, unit, allowed values and Danish and English descriptions.

The same declaration casts and validates tables before they are written (:func:`conform`) and generates
``DATA_DICTIONARY.md`` (:mod:`bipsim.dataset.dictionary`). Tables live in one of three places: ``observed``
(the bundle's root: what a study would collect), ``codes`` (code tables) and ``truth`` (what really
happened, kept apart for recovery and teaching).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from bipsim.contract.codes import BENEFIT_KEYS, RESPONDENTS, SCALE
from bipsim.contract.themes import EMPLOYER_THEME_KEYS, THEME_KEYS
from bipsim.contract.vocabulary import (
    CASEWORKER_STYLES,
    EVENT_KEYS,
    INDICATORS,
    INTERVENTION_KEYS,
    ORIENTATION_KEYS,
    SECTORS,
    STATUS_KEYS,
)

KINDS: tuple[str, ...] = ("observed", "codes", "truth")
INTERVIEW_CODERS: tuple[str, ...] = ("coder_a", "coder_b")
RECALLS: tuple[str, ...] = ("told", "late", "deferred", "missed", "silenced", "interpretation")
FOLDERS = {"observed": "", "codes": "codes", "truth": "truth"}
DTYPES: tuple[str, ...] = (
    "int8",
    "int16",
    "int32",
    "int64",
    "Int32",
    "float32",
    "float64",
    "bool",
    "string",
    "category",
    "list",
)


class SchemaError(ValueError):
    """A table that does not match its declaration; the message names the table, column and problem."""


@dataclass(frozen=True)
class Column:
    """A column of a table.

    ``dtype`` is one of :data:`DTYPES` (``Int32`` is a nullable id); ``allowed`` lists the values of a
    categorical or list column, ``bounds`` the range of a numeric one.
    """

    name: str
    dtype: str
    da: str
    en: str
    unit: str = ""
    allowed: tuple[str, ...] = ()
    bounds: tuple[float, float] | None = None

    @property
    def nullable(self) -> bool:
        return self.dtype == "Int32"


@dataclass(frozen=True)
class Table:
    """A table of the bundle and where it lives.

    ``keys``: the columns that identify a row (no two rows share them); ``references``: columns whose values
    must exist in another table, as ``(column, table)`` (every citizen of the survey is in the register);
    ``rows_droppable``: whether a row with an unknown code can be left out with a warning (a survey answer
    can; a register week cannot, it would leave a hole in the citizen's weeks).
    """

    name: str
    kind: str
    da: str
    en: str
    columns: tuple[Column, ...]
    keys: tuple[str, ...] = ()
    references: tuple[tuple[str, str], ...] = ()
    rows_droppable: bool = False

    @property
    def file(self) -> str:
        folder = FOLDERS[self.kind]
        return f"{folder}/{self.name}.parquet" if folder else f"{self.name}.parquet"

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


def _id(name: str, da: str, en: str, nullable: bool = False) -> Column:
    return Column(name, "Int32" if nullable else "int32", da, en, unit="id")


CITIZEN = _id("citizen_id", "Borgerens løbenummer.", "Citizen's running number.")
CASEWORKER = _id(
    "caseworker_id",
    "Ansvarlig sagsbehandler (tom når ingen).",
    "Responsible caseworker (empty when none).",
    nullable=True,
)
EMPLOYER = _id("employer_id", "Arbejdsgiver (tom når ingen).", "Employer (empty when none).", nullable=True)
MAX_WEEK = 5200  # a hundred years: far beyond any study, so only impossible weeks are refused
WEEK = Column(
    "week",
    "int32",
    "Uge siden studiets start (uge 0).",
    "Week since the start of the study (week 0).",
    unit="week",
    bounds=(0, MAX_WEEK),
)
ACTIVITY = Column(
    "activity",
    "category",
    "Indsats i ugen ('none' når ingen).",
    "Intervention in the week ('none' when none).",
    allowed=(*INTERVENTION_KEYS, "none"),
)
INDICATOR_KEYS = tuple(i.key for i in INDICATORS)


def _code_columns(*extra: Column) -> tuple[Column, ...]:
    return (
        Column("code", "int16", "Talkode.", "Integer code."),
        Column("key", "string", "Nøgle.", "Key."),
        Column("da", "string", "Dansk betegnelse.", "Danish label."),
        Column("en", "string", "Engelsk betegnelse.", "English label."),
        Column("description", "string", "Beskrivelse.", "Description."),
        *extra,
    )


OBSERVED: tuple[Table, ...] = (
    Table(
        "citizens",
        "observed",
        "Baggrundsoplysninger fra registre.",
        "Background characteristics from registers.",
        (
            CITIZEN,
            Column("jobcentre", "int16", "Jobcenter.", "Jobcentre.", unit="id"),
            Column(
                "age",
                "int16",
                "Alder ved studiets start.",
                "Age at the start of the study.",
                unit="years",
                bounds=(15, 70),
            ),
            Column("sex", "category", "Køn.", "Sex.", allowed=("female", "male")),
            Column("origin", "category", "Herkomst.", "Origin.", allowed=("danish_or_western", "non_western")),
            Column(
                "vocational_qualification",
                "bool",
                "Har en erhvervskompetencegivende uddannelse.",
                "Has a vocational qualification.",
            ),
            Column("psychiatric_diagnosis", "bool", "Har en psykiatrisk diagnose.", "Has a psychiatric diagnosis."),
            Column(
                "musculoskeletal_disorder",
                "bool",
                "Har en muskel- og skeletlidelse.",
                "Has a musculoskeletal disorder.",
            ),
            Column("children", "bool", "Bor med børn.", "Lives with children."),
        ),
        keys=("citizen_id",),
        references=(("citizen_id", "register_weeks"),),
    ),
    Table(
        "register_weeks",
        "observed",
        "Ugentlige registeroplysninger (DREAM-lignende).",
        "Weekly register records (DREAM-like).",
        (
            CITIZEN,
            WEEK,
            Column(
                "benefit_code", "category", "Ydelseskode i ugen.", "Benefit code of the week.", allowed=BENEFIT_KEYS
            ),
            Column(
                "self_supporting",
                "bool",
                "Selvforsørgende i ugen (ingen offentlig ydelse).",
                "Self-supporting in the week (no public benefit).",
            ),
            ACTIVITY,
            CASEWORKER,
            EMPLOYER,
        ),
        keys=("citizen_id", "week"),
    ),
    Table(
        "register_history",
        "observed",
        "Forløb i registret i årene før studiet.",
        "Register spells in the years before the study.",
        (
            CITIZEN,
            Column(
                "start_week",
                "int32",
                "Første uge af forløbet (negativ: før uge 0).",
                "First week of the spell (negative: before week 0).",
                unit="week",
            ),
            Column(
                "end_week",
                "int32",
                "Ugen efter forløbets sidste uge.",
                "The week after the spell's last week.",
                unit="week",
            ),
            Column("weeks", "int32", "Forløbets længde.", "Length of the spell.", unit="weeks", bounds=(1, 520)),
            Column("benefit_code", "category", "Ydelseskode.", "Benefit code.", allowed=BENEFIT_KEYS),
        ),
        keys=("citizen_id", "start_week"),
        references=(("citizen_id", "register_weeks"),),
    ),
    Table(
        "survey",
        "observed",
        "Progressionsmåling: svar på indikatorerne (skala 1-5), langt format.",
        "Progression survey: answers on the indicators (scale 1-5), long format.",
        (
            CITIZEN,
            Column(
                "wave",
                "int16",
                "Målerunde (0, 1, ...; hver 13. uge).",
                "Wave (0, 1, ...; every 13 weeks).",
                unit="wave",
            ),
            WEEK,
            Column("respondent", "category", "Hvem svarede.", "Who answered.", allowed=RESPONDENTS),
            CASEWORKER,
            Column("indicator", "category", "Indikator.", "Indicator.", allowed=INDICATOR_KEYS),
            Column(
                "score", "int8", "Svar på skalaen 1-5.", "Answer on the 1-5 scale.", unit="points (1-5)", bounds=SCALE
            ),
        ),
        keys=("citizen_id", "wave", "respondent", "indicator"),
        references=(("citizen_id", "register_weeks"),),
        rows_droppable=True,
    ),
    Table(
        "interviews",
        "observed",
        "Kvalitative interview: kodede temaer og fortælling.",
        "Qualitative interviews: coded themes and narrative.",
        (
            CITIZEN,
            Column("wave", "int16", "Interviewrunde.", "Interview wave.", unit="wave"),
            WEEK,
            Column(
                "themes",
                "list",
                "Koder som den første koder satte på interviewet (kodebog: codes/themes).",
                "Codes the first coder applied to the interview (codebook: codes/themes).",
                allowed=THEME_KEYS,
            ),
            Column(
                "text_da",
                "string",
                "Udskrift på dansk: én replik pr. linje, 'Interviewer: ...' og 'Borger: ...'.",
                "Transcript in Danish: one turn a line, 'Interviewer: ...' and 'Borger: ...'.",
            ),
            Column(
                "text_en",
                "string",
                "Udskrift på engelsk: én replik pr. linje, 'Interviewer: ...' og 'Citizen: ...'.",
                "Transcript in English: one turn a line, 'Interviewer: ...' and 'Citizen: ...'.",
            ),
        ),
        keys=("citizen_id", "wave"),
        references=(("citizen_id", "register_weeks"),),
        rows_droppable=True,
    ),
    Table(
        "interview_codings",
        "observed",
        "To koderes kodning af interviewene: én række pr. kode sat på et svar.",
        "Two coders' coding of the interviews: one row per code applied to an answer.",
        (
            CITIZEN,
            Column("wave", "int16", "Interviewrunde.", "Interview wave.", unit="wave"),
            Column("coder", "category", "Koder.", "Coder.", allowed=INTERVIEW_CODERS),
            Column(
                "turn",
                "int16",
                "Svarets nummer i interviewet (0 = første svar).",
                "The answer's number in the interview (0 = first answer).",
                unit="answer",
            ),
            Column("theme", "category", "Kode.", "Code.", allowed=THEME_KEYS),
        ),
        keys=("citizen_id", "wave", "coder", "turn", "theme"),
        references=(("citizen_id", "register_weeks"),),
        rows_droppable=True,
    ),
    Table(
        "meetings_observed",
        "observed",
        "Observerede samtaler (Spot på samtalen).",
        "Observed meetings (Spot på samtalen).",
        (
            CITIZEN,
            WEEK,
            CASEWORKER,
            Column(
                "meeting_with_caseworker",
                "int16",
                "Samtalens nummer med denne sagsbehandler.",
                "Number of this meeting with this caseworker.",
                unit="meetings",
            ),
            Column(
                "caseworker_style",
                "category",
                "Sagsbehandlerens stil, som observeret.",
                "The caseworker's style, as observed.",
                allowed=tuple(s.key for s in CASEWORKER_STYLES),
            ),
            Column(
                "offer",
                "string",
                "Indsats(er) startet i ugen ('none' når ingen).",
                "Intervention(s) started that week ('none' when none).",
            ),
            Column(
                "exemption", "bool", "Borgeren blev fritaget fra kontakt.", "The citizen was exempted from contact."
            ),
        ),
        references=(("citizen_id", "register_weeks"),),
        rows_droppable=True,
    ),
    Table(
        "employer_interviews",
        "observed",
        "Interview med arbejdsgivere.",
        "Interviews with employers.",
        (
            _id("employer_id", "Arbejdsgiver.", "Employer."),
            WEEK,
            Column("sector", "category", "Branche.", "Sector.", allowed=tuple(s.key for s in SECTORS)),
            Column(
                "placements",
                "int32",
                "Praktik- og løntilskudsforløb under studiet.",
                "Placements and wage-subsidised jobs during the study.",
                unit="count",
            ),
            Column("hires", "int32", "Ansættelser under studiet.", "Hires during the study.", unit="count"),
            Column(
                "separations",
                "int32",
                "Ophørte ansættelser under studiet.",
                "Ended hires during the study.",
                unit="count",
            ),
            Column("themes", "list", "Temaer.", "Themes.", allowed=EMPLOYER_THEME_KEYS),
            Column("text_da", "string", "Fortælling, dansk.", "Narrative, Danish."),
            Column("text_en", "string", "Fortælling, engelsk.", "Narrative, English."),
        ),
        keys=("employer_id",),
        rows_droppable=True,
    ),
)

CODES: tuple[Table, ...] = (
    Table(
        "benefit_codes",
        "codes",
        "Ydelseskoder.",
        "Benefit codes.",
        _code_columns(
            Column("self_supporting", "bool", "Tæller som selvforsørgelse.", "Counts as self-supporting."),
            Column("in_population", "bool", "I registrets population.", "In the register's population."),
            Column("statuses", "string", "Sande statusser der får koden.", "True statuses coded so."),
            Column(
                "statuses_by_category",
                "string",
                "Statusser der får koden efter visitationskategori.",
                "Statuses coded so by the visitation category.",
            ),
        ),
    ),
    Table(
        "indicators",
        "codes",
        "Progressionsindikatorer.",
        "Progression indicators.",
        _code_columns(
            Column("answered_by", "string", "Hvem besvarer indikatoren.", "Who answers the indicator."),
            Column(
                "confirmed",
                "bool",
                "Bekræftet fra offentligt BIP-materiale (ellers modelantagelse).",
                "Confirmed from public BIP material (else a modelling assumption).",
            ),
        ),
    ),
    Table(
        "statuses",
        "codes",
        "Ugentlige statusser.",
        "Weekly statuses.",
        _code_columns(Column("on_benefit", "bool", "På offentlig ydelse.", "On public benefit.")),
    ),
    Table(
        "interventions",
        "codes",
        "Indsatstyper.",
        "Intervention types.",
        _code_columns(Column("kind", "string", "Jobrettet eller støttende.", "Job-focused or support.")),
    ),
    Table(
        "themes",
        "codes",
        "Kodebogen for de kvalitative interview.",
        "The codebook of the qualitative interviews.",
        (
            Column("study", "string", "Borger- eller arbejdsgiverinterview.", "Citizen or employer interview."),
            Column("code", "int16", "Talkode.", "Integer code."),
            Column("key", "string", "Nøgle.", "Key."),
            Column("kind", "string", "Beskrivende eller fortolkende kode.", "Descriptive or interpretive code."),
            Column("da", "string", "Dansk betegnelse.", "Danish label."),
            Column("en", "string", "Engelsk betegnelse.", "English label."),
            Column("description", "string", "Definition, engelsk.", "Definition, English."),
            Column("description_da", "string", "Definition, dansk.", "Definition, Danish."),
            Column(
                "evidence",
                "string",
                "Hændelser der får en beskrivende kode til at ske (fortolkende koder: ingen).",
                "Events that make a descriptive code happen (interpretive codes: none).",
            ),
        ),
    ),
    Table("event_kinds", "codes", "Hændelsestyper.", "Event kinds.", _code_columns()),
    Table("sectors", "codes", "Brancher.", "Sectors.", _code_columns()),
    Table("caseworker_styles", "codes", "Sagsbehandlerstile.", "Caseworker styles.", _code_columns()),
    Table(
        "orientations",
        "codes",
        "Borgeres orienteringer (sandheden om hvem har hvilken: truth/citizens).",
        "Citizens' orientations (who has which is truth: truth/citizens).",
        _code_columns(),
    ),
)

TRUTH: tuple[Table, ...] = (
    Table(
        "citizens",
        "truth",
        "Borgere: baggrund, historik, orientering og udgangsniveau.",
        "Citizens: background, history, orientation and baseline readiness.",
        (
            *OBSERVED[0].columns,
            Column(
                "history_job_education_share",
                "float32",
                "Andel af de 5 forudgående år i job eller uddannelse.",
                "Share of the previous 5 years in job or education.",
                unit="share",
                bounds=(0, 1),
            ),
            Column(
                "history_support_share",
                "float32",
                "Andel af de 5 forudgående år på offentlig forsørgelse.",
                "Share of the previous 5 years on public support.",
                unit="share",
                bounds=(0, 1),
            ),
            Column(
                "orientation",
                "category",
                "Orientering ved start (skift står i truth/trust).",
                "Orientation at the start (changes are in truth/trust).",
                allowed=ORIENTATION_KEYS,
            ),
            *(
                Column(
                    f"baseline_{i.key}",
                    "float32",
                    f"Sand værdi ved start: {i.da}.",
                    f"True value at the start: {i.en}.",
                    unit="points (1-5)",
                )
                for i in INDICATORS
            ),
        ),
    ),
    Table(
        "weekly",
        "truth",
        "Sand ugentlig status, indsats, sagsbehandler, arbejdsgiver og tro på job.",
        "True weekly status, intervention, caseworker, employer and belief in a job.",
        (
            CITIZEN,
            WEEK,
            Column("status", "category", "Status i ugen.", "Status of the week.", allowed=STATUS_KEYS),
            ACTIVITY,
            CASEWORKER,
            EMPLOYER,
            Column(
                "caseworker_belief",
                "float32",
                "Sagsbehandlerens subjektive sandsynlighed for job inden for et år.",
                "The caseworker's subjective chance of a job within a year.",
                unit="probability",
                bounds=(0, 1),
            ),
            Column(
                "meetings_with_caseworker",
                "int16",
                "Samtaler med den nuværende sagsbehandler indtil nu.",
                "Meetings with the current caseworker so far.",
                unit="meetings",
            ),
        ),
    ),
    Table(
        "latent",
        "truth",
        "Sande (latente) indikatorer på måleugerne.",
        "True (latent) indicators at the recording weeks.",
        (
            CITIZEN,
            WEEK,
            *(
                Column(i.key, "float32", f"Sand værdi: {i.da}.", f"True value: {i.en}.", unit="points (1-5)")
                for i in INDICATORS
            ),
        ),
    ),
    Table(
        "events",
        "truth",
        "Hændelseslog.",
        "Event log.",
        (
            WEEK,
            Column("event", "category", "Hændelsestype.", "Event kind.", allowed=EVENT_KEYS),
            CITIZEN,
            CASEWORKER,
            EMPLOYER,
            Column(
                "detail",
                "string",
                "Detalje (indsats, ny status) afhængig af hændelsen.",
                "Detail (intervention, new status) depending on the event.",
            ),
            Column(
                "value",
                "float64",
                "Tal afhængig af hændelsen (ventetid, tro, ansat).",
                "Number depending on the event (waiting weeks, belief, hired).",
            ),
        ),
    ),
    Table(
        "caseworkers",
        "truth",
        "Sagsbehandlere.",
        "Caseworkers.",
        (
            _id("caseworker_id", "Sagsbehandler.", "Caseworker."),
            Column("jobcentre", "int16", "Jobcenter.", "Jobcentre.", unit="id"),
            Column("style", "category", "Stil.", "Style.", allowed=tuple(s.key for s in CASEWORKER_STYLES)),
            Column("quality", "float64", "Kvalitet (multiplikator).", "Quality (multiplier).", unit="multiplier"),
            Column("capacity", "int16", "Samtaler pr. uge.", "Meetings per week.", unit="meetings per week"),
            Column("start_week", "int32", "Første uge i jobcentret.", "First week at the jobcentre.", unit="week"),
            Column(
                "end_week", "Int32", "Uge for fratræden (tom: blev).", "Week of leaving (empty: stayed).", unit="week"
            ),
        ),
    ),
    Table(
        "employers",
        "truth",
        "Arbejdsgivere.",
        "Employers.",
        (
            _id("employer_id", "Arbejdsgiver.", "Employer."),
            Column("sector", "category", "Branche.", "Sector.", allowed=tuple(s.key for s in SECTORS)),
            Column("size_weight", "float64", "Størrelse (relativ).", "Size (relative).", unit="weight"),
            Column("threshold", "float64", "Krævet parathed.", "Readiness asked for.", unit="points (1-5)"),
            Column("placement_openness", "float64", "Åbenhed for praktik.", "Openness to placements.", unit="share"),
            Column("subsidy_openness", "float64", "Åbenhed for løntilskud.", "Openness to wage subsidy.", unit="share"),
            Column("home_jobcentre", "int16", "Hjemjobcenter.", "Home jobcentre.", unit="id"),
        ),
    ),
    Table(
        "trust",
        "truth",
        "Borgernes tillid til jobcentret og deres orientering på måleugerne.",
        "The citizens' trust in the jobcentre and their orientation at the recording weeks.",
        (
            CITIZEN,
            WEEK,
            Column(
                "trust",
                "float32",
                "Borgerens tillid til jobcentret (0-1).",
                "The citizen's trust in the jobcentre (0-1).",
                unit="0-1",
                bounds=(0.0, 1.0),
            ),
            Column(
                "orientation",
                "category",
                "Borgerens orientering i ugen (den kan skifte med tilliden).",
                "The citizen's orientation in the week (it can change with trust).",
                allowed=ORIENTATION_KEYS,
            ),
        ),
    ),
    Table(
        "market",
        "truth",
        "Arbejdsmarkedet uge for uge.",
        "The labour market week by week.",
        (
            WEEK,
            Column("demand", "float64", "Efterspørgsel (1 = normal).", "Demand (1 = normal).", unit="index"),
            Column(
                "threshold_shift",
                "float64",
                "Skift i arbejdsgivernes krav.",
                "Shift of employers' thresholds.",
                unit="points",
            ),
            Column("vacancies", "int64", "Ledige stillinger i alt.", "Open vacancies in total.", unit="count"),
        ),
    ),
    Table(
        "interview_themes",
        "truth",
        "Interviewenes sande temaer: hvad der skete, hvad der blev fortalt og hvornår, og hvad svarene udtrykker.",
        "The interviews' true themes: what happened, what was told and when, and what the answers voice.",
        (
            CITIZEN,
            Column("wave", "int16", "Interviewrunde.", "Interview wave.", unit="wave"),
            Column("theme", "category", "Kode.", "Code.", allowed=THEME_KEYS),
            Column(
                "turn",
                "Int32",
                "Svaret der udtrykker koden (tom når den ikke udtrykkes).",
                "The answer that voices the code (empty when it is not voiced).",
                unit="answer",
            ),
            Column(
                "recall",
                "category",
                "told: sket siden sidst og fortalt; late: fortalt en runde for sent; deferred: sket, fortælles næste "
                "gang; missed: sket, aldrig fortalt; silenced: husket, men borgeren tav; interpretation: en "
                "fortolkende kode i svaret.",
                "told: happened since the last interview and told; late: told one wave late; deferred: happened, "
                "told next time; missed: happened, never told; silenced: remembered, but the citizen kept silent; "
                "interpretation: an interpretive code the answer voices.",
                allowed=RECALLS,
            ),
            Column("voiced", "bool", "Svaret udtrykker koden.", "An answer voices the code."),
        ),
    ),
    Table(
        "network",
        "truth",
        "Borgernes sociale netværk (bånd).",
        "Citizens' social network (ties).",
        (CITIZEN, _id("tie_citizen_id", "Borger i den anden ende af båndet.", "Citizen at the other end of the tie.")),
    ),
)

TABLES: tuple[Table, ...] = (*OBSERVED, *CODES, *TRUTH)


def table(kind: str, name: str) -> Table:
    """Look up the declaration of table ``name`` in ``kind`` (observed, codes or truth)."""
    for t in TABLES:
        if t.kind == kind and t.name == name:
            return t
    raise KeyError(f"no {kind} table {name!r}")


def conform(spec: Table, frame: pd.DataFrame) -> pd.DataFrame:
    """Cast ``frame`` to the declared columns and types and check allowed values and bounds.

    Raises :class:`SchemaError` naming the table and column when a column is missing or undeclared, a value
    is not allowed, out of bounds, or missing where the column is not nullable.
    """
    where = f"{spec.kind} table {spec.name!r}"
    declared = [c.name for c in spec.columns]
    missing = [c for c in declared if c not in frame.columns]
    extra = [c for c in frame.columns if c not in declared]
    if missing or extra:
        raise SchemaError(f"{where}: columns do not match the schema; missing {missing}, undeclared {extra}")
    # copy=False: the checked columns are only read (to be written), so there is no need to copy them
    return pd.DataFrame({c.name: _cast(c, frame[c.name], where) for c in spec.columns}, copy=False)


def _has_categories(values: pd.Series, allowed: tuple[str, ...]) -> bool:
    """Whether ``values`` is already an unordered categorical with exactly the ``allowed`` categories, in order."""
    dtype = values.dtype
    if not isinstance(dtype, pd.CategoricalDtype) or dtype.ordered:
        return False
    declared = pd.Index(list(allowed))
    return dtype.categories.dtype == declared.dtype and dtype.categories.equals(declared)


def _cast(column: Column, values: pd.Series, where: str) -> object:
    name = f"{where}, column {column.name!r}"
    if column.dtype == "category" and _has_categories(values, column.allowed):
        # Already declared as allowed: only missing values (code -1) remain to be checked.
        if (values.cat.codes.to_numpy() < 0).any():
            raise SchemaError(f"{name}: missing values are not allowed")
        return values.array
    if column.dtype == "category":
        bad = values.notna().to_numpy() & ~values.isin(column.allowed).to_numpy()
        if bad.any():
            raise SchemaError(
                f"{name}: values {sorted(set(values[bad].astype(str)))[:5]} not among the allowed "
                f"{list(column.allowed)}"
            )
        categorical = pd.Categorical(values, categories=list(column.allowed))
        if pd.isna(categorical).any():
            raise SchemaError(f"{name}: missing values are not allowed")
        return categorical
    if column.dtype == "list":
        items = values.explode()
        bad = ~items.isin(column.allowed) & items.notna()
        if bad.any():
            raise SchemaError(
                f"{name}: items {sorted(set(items[bad]))[:5]} not among the allowed {list(column.allowed)}"
            )
        return values.map(list).to_numpy()
    # A column of the declared type needs no cast, nor a missing-value check (NumPy ints and bools hold none).
    # Only NumPy and Int32 types are compared: "string" also equals pandas' other string type, which differs.
    if values.dtype == column.dtype and isinstance(values.dtype, (np.dtype, pd.Int32Dtype)):
        cast = values
    else:
        if column.dtype in ("int8", "int16", "int32", "int64", "bool") and values.isna().any():
            raise SchemaError(f"{name}: missing values are not allowed")
        try:
            cast = values.astype(column.dtype)
        except (TypeError, ValueError) as exc:
            raise SchemaError(f"{name}: cannot be read as {column.dtype} ({exc})") from None
    if column.bounds is not None and len(cast):
        lo, hi = column.bounds
        # NumPy columns are checked in their own type: a float64 copy of a national table costs gigabytes
        numbers = cast.to_numpy() if isinstance(cast.dtype, np.dtype) else cast.to_numpy(np.float64, na_value=np.nan)
        if np.nanmin(numbers) < lo or np.nanmax(numbers) > hi:
            raise SchemaError(f"{name}: values outside the allowed range {lo} to {hi}")
    return cast.array
