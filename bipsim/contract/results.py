"""The tables of the results folders bipsim writes, and their columns, with Danish and English labels.

``compare``, ``sweep``, ``sensitivity`` and ``recover`` write a folder of Parquet tables with a ``manifest.json``
of format :data:`ENSEMBLE_FORMAT` (its ``command`` says which); ``analyze`` writes its tables as
``tables/*.csv`` next to ``report.html``. This declaration lets ``bipsim export`` write any of them in the
formats of the field with labels, as the bundle's schema (:mod:`bipsim.contract.schema`) does for a bundle.

A column is labelled once, whichever table it is in (``se`` is a standard error everywhere). Columns that are
declared elsewhere take their labels from there and are not written twice: a headline outcome's column
(:data:`bipsim.contract.outcomes.OUTCOMES`), an estimate's Monte Carlo SE (``<measure>_mcse``, from the measure's
label), analyze's attrition counts by benefit code (``not_measured_<code>``, from
:data:`bipsim.contract.codes.BENEFIT_CODES`) and a scenario parameter varied by a sweep (a dotted name such as
``turnover.quit_probability``, which is also kept in the label because Stata cannot hold the dot).
"""

from __future__ import annotations

from dataclasses import dataclass

from bipsim.contract.codes import BENEFIT_CODES
from bipsim.contract.outcomes import OUTCOME_KEYS, outcome
from bipsim.contract.schema import Column

ENSEMBLE_FORMAT = "bipsim-ensemble"
"""The ``format`` of a results folder's ``manifest.json`` (written by :mod:`bipsim.ensemble.results`)."""
ANALYZE_FOLDER = "tables"
"""The subfolder of an ``analyze`` output that holds its tables, one CSV file each."""
LIST_SEPARATOR = "; "
"""How ``analyze`` writes a list (a case timeline's themes) into one CSV cell."""


@dataclass(frozen=True)
class ResultTable:
    """A table of a results folder: the ``command`` that writes it, its title and which columns are special.

    ``keys`` identify a row (and are kept in the long table of a list column); ``lists`` hold lists as text
    joined by :data:`LIST_SEPARATOR`; ``columns`` is filled in for one file's columns by :func:`described`.
    """

    name: str
    command: str
    da: str
    en: str
    keys: tuple[str, ...] = ()
    lists: tuple[str, ...] = ()
    columns: tuple[Column, ...] = ()


def _runs(command: str) -> ResultTable:
    return ResultTable(
        "runs", command, "Kørsler: én række pr. kørsel", "Runs: one row per run", keys=("setting_id", "replication")
    )


def _settings(command: str) -> ResultTable:
    return ResultTable("settings", command, "Indstillinger", "Settings", keys=("setting_id",))


RESULT_TABLES: tuple[ResultTable, ...] = (
    _runs("compare"),
    _settings("compare"),
    ResultTable("comparison", "compare", "Parvis sammenligning B - A", "Paired comparison B - A", keys=("outcome",)),
    _runs("sweep"),
    _settings("sweep"),
    ResultTable("summary", "sweep", "Udfald pr. indstilling", "Outcomes by setting", keys=("setting_id", "outcome")),
    _runs("sensitivity"),
    _settings("sensitivity"),
    ResultTable(
        "indices", "sensitivity", "Følsomhedsindeks", "Sensitivity indices", keys=("outcome", "parameter", "index")
    ),
    ResultTable(
        "runs", "recover", "Gentagelser: én række pr. kørsel", "Replications: one row per run", keys=("replication",)
    ),
    ResultTable(
        "performance",
        "recover",
        "Metodernes præstation (ADEMP)",
        "Performance of the methods (ADEMP)",
        keys=("estimand", "outcome", "method", "scale"),
    ),
    ResultTable(
        "replications",
        "recover",
        "Estimater pr. gentagelse",
        "Estimates by replication",
        keys=("replication", "estimand", "outcome", "method", "scale"),
    ),
    ResultTable("truth", "recover", "Sandheder pr. gentagelse", "Truths by replication"),
    ResultTable("estimates", "analyze", "Estimater", "Estimates", keys=("estimand", "outcome", "method", "scale")),
    ResultTable("triangulation", "analyze", "Triangulering", "Triangulation"),
    ResultTable("hazard_model", "analyze", "Forløbsmodel for jobstart", "Hazard model of job entry"),
    ResultTable("baseline_comparison", "analyze", "Baggrund: job mod intet job", "Background: job against no job"),
    ResultTable("self_sufficiency", "analyze", "Selvforsørgelse pr. kvartal", "Self-sufficiency by quarter"),
    ResultTable("flows", "analyze", "Ydelser pr. uge", "Benefits by week"),
    ResultTable("trajectories", "analyze", "Parathedsforløb", "Readiness trajectories"),
    ResultTable("indicator_change", "analyze", "Ændring pr. indikator", "Change by indicator"),
    ResultTable("prediction", "analyze", "Forudsigelse af job", "Prediction of a job"),
    ResultTable("agreement", "analyze", "Enighed borger-sagsbehandler", "Citizen-caseworker agreement"),
    ResultTable("attrition", "analyze", "Frafald pr. runde", "Attrition by wave"),
    ResultTable("theme_counts", "analyze", "Temaer pr. runde", "Themes by wave"),
    ResultTable("theme_sequences", "analyze", "Tema efter tema", "Theme after theme"),
    ResultTable(
        "case_timelines",
        "analyze",
        "Forløb i interviewene",
        "Case timelines from the interviews",
        keys=("citizen_id", "wave"),
        lists=("themes",),
    ),
    ResultTable("barriers", "analyze", "Barrierer pr. borger", "Barriers by citizen"),
    ResultTable(
        "invisible_to_survey", "analyze", "Usynligt for spørgeskemaet", "Invisible to the survey", keys=("theme",)
    ),
    ResultTable("around_exposures", "analyze", "Temaer omkring en hændelse", "Themes around an exposure"),
    ResultTable(
        "meaning_by_orientation",
        "analyze",
        "Hjælpens betydning efter orientering",
        "The meaning of help by orientation",
    ),
    ResultTable(
        "moderation", "analyze", "Orienteringen ændrer hjælpens betydning", "Orientation moderates what help means"
    ),
    ResultTable(
        "belief_comparison",
        "analyze",
        "Tro på arbejde: fortælling og spørgeskema",
        "Belief in work: narrative and survey",
    ),
    ResultTable(
        "disagreements",
        "analyze",
        "Hvor spørgeskema og fortælling er uenige",
        "Where the survey and the narratives disagree",
    ),
)
COMMANDS: tuple[str, ...] = tuple(dict.fromkeys(t.command for t in RESULT_TABLES))


def _c(name: str, dtype: str, da: str, en: str, unit: str = "") -> Column:
    return Column(name, dtype, da, en, unit=unit)


_KEY = "category"  # a column of keys (outcome, estimand, method ...): Stata value labels, one code per key
COLUMNS: tuple[Column, ...] = (
    # runs and settings of an ensemble
    _c("setting_id", "int64", "Indstillingens nummer.", "Setting's number."),
    _c("replication", "int64", "Gentagelsens nummer.", "Replication's number."),
    _c("scenario", _KEY, "Scenarie (A eller B i en sammenligning).", "Scenario (A or B in a comparison)."),
    _c("seed_entropy", "string", "Rodfrøets entropi.", "Root seed's entropy."),
    _c("seed_spawn_key", "string", "Kørslens spawn-nøgle under rodfrøet.", "Run's spawn key under the root seed."),
    _c("wall_seconds", "float64", "Kørslens tid i sekunder.", "Run's wall time in seconds.", unit="seconds"),
    _c("status", _KEY, "Kørslens status (ok eller fejl).", "Run's status (ok or failed)."),
    _c("error", "string", "Fejlbesked (tom når ok).", "Error message (empty when ok)."),
    _c("seconds_model", "float64", "Sekunder i modellen.", "Seconds in the model.", unit="seconds"),
    _c("seconds_instruments", "float64", "Sekunder i instrumenterne.", "Seconds in the instruments.", unit="seconds"),
    _c("seconds_analyses", "float64", "Sekunder i analyserne.", "Seconds in the analyses.", unit="seconds"),
    _c("seconds_twins", "float64", "Sekunder i tvillingekørslerne.", "Seconds in the twin runs.", unit="seconds"),
    # sweep summary and paired comparison
    _c("outcome", _KEY, "Udfald.", "Outcome."),
    _c("runs_ok", "int64", "Kørsler uden fejl.", "Runs that succeeded."),
    _c("runs_failed", "int64", "Kørsler med fejl.", "Runs that failed."),
    _c("values", "int64", "Kørsler med en værdi af udfaldet.", "Runs with a value of the outcome."),
    _c("mean", "float64", "Gennemsnit.", "Mean."),
    _c("sd", "float64", "Standardafvigelse.", "Standard deviation."),
    _c("std", "float64", "Standardafvigelse.", "Standard deviation."),
    _c("se", "float64", "Standardfejl.", "Standard error."),
    _c("low", "float64", "Nedre grænse af 95%-intervallet.", "Lower end of the 95% interval."),
    _c("high", "float64", "Øvre grænse af 95%-intervallet.", "Upper end of the 95% interval."),
    _c("interval", _KEY, "Intervallets metode (t eller Wilson).", "Interval's method (t or Wilson)."),
    _c("pairs", "int64", "Par af kørsler med samme frø.", "Pairs of runs with the same seed."),
    _c("mean_a", "float64", "Gennemsnit i scenarie A.", "Mean in scenario A."),
    _c("mean_b", "float64", "Gennemsnit i scenarie B.", "Mean in scenario B."),
    _c("difference", "float64", "Gennemsnitlig parvis forskel B - A.", "Mean paired difference B - A."),
    _c("clear_difference", "bool", "Intervallet udelukker 0.", "The interval excludes 0."),
    _c("verdict", "string", "Dom i ord.", "Verdict in words."),
    # sensitivity
    _c("parameter", _KEY, "Scenarieparameter.", "Scenario parameter."),
    _c("index", _KEY, "Indeks (S1, ST, mu_star, sigma).", "Index (S1, ST, mu_star, sigma)."),
    _c("value", "float64", "Indeksets værdi.", "Index's value."),
    _c("conf", "float64", "Indeksets 95%-konfidensbredde.", "Index's 95% confidence half-width."),
    # estimates (analyze, recover)
    _c("estimand", _KEY, "Estimand (mekanisme).", "Estimand (mechanism)."),
    _c("mechanism", _KEY, "Mekanisme.", "Mechanism."),
    _c("method", _KEY, "Analysemetode.", "Analysis method."),
    _c("scale", _KEY, "Estimatets skala.", "Scale of the estimate."),
    _c("estimand_kind", _KEY, "Estimandets art.", "Kind of estimand."),
    _c("effect", _KEY, "Virkningens art (total, indirekte, plantet).", "Kind of effect (total, indirect, planted)."),
    _c("estimate", "float64", "Estimat.", "Estimate."),
    _c("ci_low", "float64", "Nedre grænse af 95%-konfidensintervallet.", "Lower end of the 95% confidence interval."),
    _c("ci_high", "float64", "Øvre grænse af 95%-konfidensintervallet.", "Upper end of the 95% confidence interval."),
    _c("p_value", "float64", "p-værdi.", "p-value."),
    _c("n", "int64", "Antal observationer.", "Number of observations."),
    _c("exposed", "int64", "Eksponerede borgere.", "Exposed citizens."),
    _c("events", "int64", "Hændelser.", "Events."),
    _c("note", "string", "Note (fx hvorfor der ikke er et estimat).", "Note (e.g. why there is no estimate)."),
    _c("truth", "float64", "Sandhed fra tvillinger eller den plantede regel.", "Truth from twins or the planted rule."),
    _c("planted", "float64", "Plantet styrke (log hazard-ratio).", "Planted strength (log hazard ratio)."),
    _c("reason", "string", "Hvilke antagelser holder eller svigter.", "Which assumptions hold or fail."),
    # recovery performance (Morris, White & Crowther 2019)
    _c("replications", "int64", "Gentagelser med et estimat.", "Replications with an estimate."),
    _c("replications_missing", "int64", "Gentagelser uden estimat.", "Replications without an estimate."),
    _c("with_truth", "int64", "Gentagelser med estimat og sandhed.", "Replications with an estimate and a truth."),
    _c("true_value", "float64", "Sandhed, gennemsnit over gentagelser.", "Truth, mean over replications."),
    _c("truth_sd", "float64", "Sandhedens standardafvigelse.", "Standard deviation of the truth."),
    _c("has_truth", "bool", "Estimandet har en sandhed.", "The estimand has a truth."),
    _c("mean_estimate", "float64", "Gennemsnitligt estimat.", "Mean estimate."),
    _c("bias", "float64", "Bias (estimat minus sandhed).", "Bias (estimate minus truth)."),
    _c("relative_bias", "float64", "Relativ bias.", "Relative bias."),
    _c("empirical_se", "float64", "Empirisk standardfejl.", "Empirical standard error."),
    _c("model_se", "float64", "Gennemsnitlig modelstandardfejl.", "Mean model standard error."),
    _c("model_se_error_pct", "float64", "Relativ fejl i modellens SE (%).", "Relative error in model SE (%)."),
    _c("mse", "float64", "Middelkvadratfejl.", "Mean squared error."),
    _c("rmse", "float64", "Kvadratrod af middelkvadratfejlen.", "Root mean squared error."),
    _c("coverage", "float64", "Dækning af 95%-intervallerne.", "Coverage of the 95% intervals."),
    _c("bias_eliminated_coverage", "float64", "Biaskorrigeret dækning.", "Bias-eliminated coverage."),
    _c("rejection", "float64", "Andel med p < 0,05.", "Share with p < 0.05."),
    _c("reference_method", _KEY, "Referencemetode for præcision.", "Reference method for precision."),
    _c(
        "relative_precision_pct",
        "float64",
        "Relativ præcision mod referencemetoden (%).",
        "Relative precision against the reference method (%).",
    ),
    _c("interval_low", "float64", "Gns. nedre grænse af 95%-intervallet.", "Mean lower end of the 95% interval."),
    _c("interval_high", "float64", "Gns. øvre grænse af 95%-intervallet.", "Mean upper end of the 95% interval."),
    _c("estimable", "float64", "Andel gentagelser med et estimat.", "Share of replications with an estimate."),
    _c("exposed_median", "float64", "Median eksponerede pr. gentagelse.", "Median exposed per replication."),
    _c("events_median", "float64", "Median hændelser pr. gentagelse.", "Median events per replication."),
    # analyze's report tables
    _c("detected", "bool", "Metoden finder en virkning.", "The method detects an effect."),
    _c("sign", "string", "Fortegn af estimatet.", "Sign of the estimate."),
    _c("expected_sign", "string", "Forventet fortegn.", "Expected sign."),
    _c("agree_with_others", "bool", "Enig med de andre metoder.", "Agrees with the other methods."),
    _c("term", "string", "Modellens led.", "Model term."),
    _c("hazard_ratio", "float64", "Hazard-ratio.", "Hazard ratio."),
    _c("variable", _KEY, "Baggrundsvariabel.", "Background variable."),
    _c("group", "string", "Gruppe.", "Group."),
    _c("quarter", "int64", "Kvartal siden start.", "Quarter since the start."),
    _c("week", "int64", "Uge siden studiets start.", "Week since the start of the study.", unit="week"),
    _c("wave", "int64", "Runde (kvartal).", "Wave (quarter)."),
    _c("self_sufficiency", "float64", "Selvforsørgelsesgrad.", "Self-sufficiency degree."),
    _c("benefit_code", _KEY, "Ydelseskode.", "Benefit code."),
    _c("share", "float64", "Andel.", "Share."),
    _c("indicator", _KEY, "Indikator.", "Indicator."),
    _c("respondent", _KEY, "Hvem svarede.", "Who answered."),
    _c("mean_change", "float64", "Gennemsnitlig ændring.", "Mean change."),
    _c("predictors", "string", "Forklarende variable.", "Predictors."),
    _c("kind", "string", "Slags.", "Kind."),
    _c("auc", "float64", "Arealet under ROC-kurven.", "Area under the ROC curve."),
    _c("jobs", "int64", "Borgere der fik job.", "Citizens who got a job."),
    _c("weighted_kappa", "float64", "Vægtet kappa.", "Weighted kappa."),
    _c("exact_agreement", "float64", "Andel helt enige svar.", "Share of identical answers."),
    _c("mean_difference", "float64", "Gennemsnitlig forskel.", "Mean difference."),
    _c("cohort", "int64", "Borgere i kohorten.", "Citizens in the cohort."),
    _c("citizen_answered", "int64", "Borgere der svarede.", "Citizens who answered."),
    _c("caseworker_answered", "int64", "Sagsbehandlere der svarede.", "Caseworkers who answered."),
    _c("share_citizen_answered", "float64", "Andel borgere der svarede.", "Share of citizens who answered."),
    _c("theme", _KEY, "Tema.", "Theme."),
    _c("themes", "string", "Temaer i interviewet.", "Themes of the interview."),
    _c("interviews", "int64", "Interviews.", "Interviews."),
    _c("interviews_held", "int64", "Afholdte interviews.", "Interviews held."),
    _c("from_theme", _KEY, "Tema i et interview.", "Theme of an interview."),
    _c("to_theme", _KEY, "Tema i det næste interview.", "Theme of the next interview."),
    _c("count", "int64", "Antal.", "Count."),
    _c("citizen_id", "int64", "Borgerens løbenummer.", "Citizen's running number.", unit="id"),
    _c("individual", "int64", "Individuelle barrierer.", "Individual barriers."),
    _c("institutional", "int64", "Institutionelle barrierer.", "Institutional barriers."),
    _c("labour_market", "int64", "Barrierer på arbejdsmarkedet.", "Labour-market barriers."),
    _c("dominant", _KEY, "Den hyppigste slags barriere.", "The commonest kind of barrier."),
    _c(
        "survey_health_coping",
        "float64",
        "Borgerens gennemsnitlige svar om håndtering af helbred i spørgeskemaet.",
        "The citizen's mean survey answer on health coping.",
        unit="points (1-5)",
    ),
    _c("survey_barrier", _KEY, "Hvor spørgeskemaet placerer barrieren.", "Where the survey places the barrier."),
    _c("narrative_barrier", _KEY, "Hvor borgeren selv placerer barrieren.", "Where the citizen places the barrier."),
    _c("agree", "bool", "Spørgeskema og fortælling er enige.", "The survey and the narrative agree."),
    # the relational lens: themes around exposures, meaning by orientation, belief in work
    _c(
        "exposure",
        _KEY,
        "Hændelsen (sagsbehandlerskift, venten ...).",
        "The exposure (caseworker change, waiting ...).",
    ),
    _c(
        "when",
        _KEY,
        "Hvornår temaet nævnes i forhold til hændelsen.",
        "When the theme is voiced, relative to the exposure.",
    ),
    _c("unexposed", "int64", "Interview uden hændelsen.", "Interviews without the exposure."),
    _c(
        "share_exposed",
        "float64",
        "Andel af interview med hændelsen, der nævner temaet.",
        "Share of interviews with the exposure voicing the theme.",
        unit="share",
    ),
    _c(
        "share_unexposed",
        "float64",
        "Andel af interview uden hændelsen, der nævner temaet.",
        "Share of interviews without the exposure voicing the theme.",
        unit="share",
    ),
    _c("help", _KEY, "Slags hjælp (jobrettet eller støttende).", "Kind of help (job-focused or support)."),
    _c(
        "orientation",
        _KEY,
        "Borgerens orientering, som borgeren udtrykker den.",
        "The citizen's orientation, as voiced.",
    ),
    _c("helped", "int64", "Fortællinger om, at hjælpen hjalp.", "Narratives telling the help helped."),
    _c(
        "pointless",
        "int64",
        "Fortællinger om, at hjælpen var meningsløs.",
        "Narratives telling the help was pointless.",
    ),
    _c(
        "share_helped",
        "float64",
        "Andel, der fortæller, at hjælpen hjalp.",
        "Share telling the help helped.",
        unit="share",
    ),
    _c(
        "narrative_belief",
        _KEY,
        "Troen på arbejde i fortællingen (håb, opgivelse, ingen af delene).",
        "Belief in work in the narrative (hope, resignation, neither).",
    ),
    _c("mean_score", "float64", "Gennemsnitligt svar i spørgeskemaet.", "Mean survey answer.", unit="points (1-5)"),
    _c("low_scores", "int64", "Svar på 1 eller 2.", "Answers of 1 or 2."),
    _c("text_en", "string", "Interviewets tekst (engelsk).", "Interview's text (English)."),
    _c("seen_in_register", "bool", "Ses i registret.", "Seen in the register."),
    _c("seen_in_survey", "bool", "Ses i spørgeskemaet.", "Seen in the survey."),
    _c("why", "string", "Hvorfor.", "Why."),
    _c("citizens", "int64", "Borgere.", "Citizens."),
    _c("example", "string", "Eksempel fra et interview.", "Example from an interview."),
)
_BY_NAME = {c.name: c for c in COLUMNS}
_NOT_MEASURED = "not_measured_"
_MCSE = "_mcse"


def result_column(name: str) -> Column | None:
    """The declared column called ``name`` in a results table, or ``None`` when nothing declares it."""
    if name in _BY_NAME:
        return _BY_NAME[name]
    if name in OUTCOME_KEYS:
        o = outcome(name)
        return Column(name, "float64", f"{o.da}.", f"{o.en}.", unit=o.unit)
    if name.endswith(_MCSE) and (measure := result_column(name.removesuffix(_MCSE))) is not None:
        return Column(name, "float64", f"Monte Carlo-SE: {measure.da}", f"Monte Carlo SE: {measure.en}")
    if name.startswith(_NOT_MEASURED):
        code = next((b for b in BENEFIT_CODES if b.key == name.removeprefix(_NOT_MEASURED)), None)
        if code is not None:
            return Column(name, "int64", f"Ikke målt: {code.da}", f"Not measured: {code.en}")
    if "." in name:
        return Column(name, "float64", f"Scenarieparameter {name}", f"Scenario parameter {name}")
    return None


def result_table(command: str, name: str) -> ResultTable | None:
    """The declared table ``name`` of ``command``'s results, or ``None``."""
    return next((t for t in RESULT_TABLES if t.command == command and t.name == name), None)


def described(command: str, name: str, columns: list[str]) -> ResultTable:
    """Table ``name`` of ``command`` with a declaration for each of ``columns`` (a name-only one where undeclared)."""
    table = result_table(command, name) or ResultTable(name, command, name, name)
    resolved = []
    for column in columns:
        found = result_column(column)
        if found is not None and column in table.lists:
            found = Column(column, "list", found.da, found.en, unit=found.unit)
        resolved.append(found or Column(column, "string", column, column))
    return ResultTable(table.name, command, table.da, table.en, table.keys, table.lists, tuple(resolved))
