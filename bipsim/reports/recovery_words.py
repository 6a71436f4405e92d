"""The words of a recovery study's page in English and Danish, and the declared labels in either language.

Labels of mechanisms, estimand kinds, populations, contrasts, effects, outcomes, methods and assumptions come from
their declarations (:mod:`bipsim.contract.estimands`, :mod:`bipsim.analysis.methods`), which carry both languages.
The declarations' explanations (why an assumption fails, why an estimand has no truth) are written in English
only; :data:`DANISH` gives their Danish, keyed by the English text, so that a changed or new explanation shows in
English until it is translated here (a test lists those missing). The page's own words are :data:`WORDS`.
"""

from __future__ import annotations

import math

from bipsim.analysis.methods import METHOD_KEYS, METHODS, assumption, failed, method
from bipsim.contract.estimands import (
    CONTRAST_KEYS,
    CONTRASTS,
    EFFECT_KEYS,
    EFFECT_OUTCOME_KEYS,
    EFFECT_OUTCOMES,
    EFFECTS,
    ESTIMAND_KEYS,
    ESTIMAND_KIND_KEYS,
    ESTIMANDS,
    POPULATION_KEYS,
    POPULATIONS,
    estimand_kind,
    has_truth,
)
from bipsim.contract.vocabulary import Term

LANGUAGES: tuple[str, ...] = ("en", "da")

WORDS: dict[str, dict[str, str]] = {
    "title": {
        "en": "bipsim recover: do the study's methods find what was planted?",
        "da": "bipsim recover: finder undersøgelsens metoder det, der blev plantet?",
    },
    "study": {
        "en": "Scenario <b>{scenario}</b>: {ok} of {runs} replications of {citizens:,} citizens × {weeks} weeks "
        "(seed {seed}); wall time {seconds:.1f} s; run time by phase: {phases}.",
        "da": "Scenarie <b>{scenario}</b>: {ok} af {runs} gentagelser med {citizens:,} borgere × {weeks} uger "
        "(frø {seed}); tid {seconds:.1f} s; køretid pr. fase: {phases}.",
    },
    "how": {
        "en": "Each replication runs the scenario, observes it with the survey, register and interviews, runs the "
        "study's analyses on the observed tables only, and computes the truth of each method's own estimand for the "
        "citizens it compared: from counterfactual twins with the same random numbers (the mechanism removed, or "
        "only its readiness channel), from the planted rule, or from what happened. Below, each method stands under "
        "the estimand it targets, next to that estimand's truth. Performance measures follow Morris, White &amp; "
        "Crowther (2019); numbers in brackets are Monte Carlo standard errors. The reason says which of the "
        "method's assumptions hold and which fail for the mechanism.",
        "da": "Hver gentagelse kører scenariet, observerer det med spørgeskemaet, registret og interviewene, kører "
        "undersøgelsens analyser på de observerede tabeller alene og beregner sandheden for hver metodes eget "
        "estimand for de borgere, den sammenlignede: fra kontrafaktiske tvillinger med de samme tilfældige tal "
        "(mekanismen fjernet, eller kun dens vej via parathed), fra den plantede regel eller fra det faktiske "
        "forløb. Nedenfor står hver metode under det estimand, den sigter på, ved siden af estimandets sandhed. "
        "Målene følger Morris, White &amp; Crowther (2019); tal i parentes er Monte Carlo-standardfejl. "
        "Begrundelsen siger, hvilke af metodens antagelser der holder, og hvilke der svigter for mekanismen.",
    },
    "contents": {"en": "Mechanisms", "da": "Mekanismer"},
    "overview": {"en": "Overview", "da": "Overblik"},
    "by_mechanism": {"en": "Mechanism by mechanism", "da": "Mekanisme for mekanisme"},
    "all_measures": {"en": "All performance measures", "da": "Alle mål"},
    "failed_runs": {"en": "Failed replications", "da": "Mislykkede gentagelser"},
    "bias_caption": {
        "en": "Bias of each estimate against the truth of its own estimand (mean of estimate minus truth) with ±2 "
        "Monte Carlo SE; the dashed line is zero bias. Hazard rows are log hazard ratios, landmark and mediation "
        "rows risk or mean differences, survey rows points of readiness.",
        "da": "Bias for hvert estimat mod sandheden for dets eget estimand (gennemsnit af estimat minus sandhed) med "
        "±2 Monte Carlo-SE; den stiplede linje er ingen bias. Forløbsmodeller er log hazard-ratioer, "
        "sammenligninger ved skæringsugen og mediering risiko- eller gennemsnitsforskelle, spørgeskemaet point på "
        "parathedsskalaen.",
    },
    "coverage_caption": {
        "en": "Coverage of the 95% intervals with ±2 Monte Carlo SE; the dashed line is the nominal 95%.",
        "da": "Dækning af 95%-intervallerne med ±2 Monte Carlo-SE; den stiplede linje er de nominelle 95%.",
    },
    "bias": {"en": "Bias", "da": "Bias"},
    "coverage": {"en": "Coverage", "da": "Dækning"},
    "planted_strength": {
        "en": "Planted strength: <code>{parameter}</code> = {value} (log hazard ratio of the weekly job chance in the "
        "weeks it acts; the scale of the hazard models, not of the other estimands).",
        "da": "Plantet styrke: <code>{parameter}</code> = {value} (log hazard-ratio for den ugentlige jobchance i "
        "de uger, den virker; forløbsmodellernes skala, ikke de andre estimanders).",
    },
    "no_planted_strength": {
        "en": "No single planted strength: the mechanism acts through its rates and capacities.",
        "da": "Ingen enkelt plantet styrke: mekanismen virker gennem sine rater og kapaciteter.",
    },
    "seen_as": {"en": "Seen in the data as", "da": "Ses i data som"},
    "cannot_see": {
        "en": "Cannot see this exposure: {methods}.",
        "da": "Kan ikke se denne eksponering: {methods}.",
    },
    "no_method_sees": {
        "en": "No method of the study can see this exposure.",
        "da": "Ingen af undersøgelsens metoder kan se denne eksponering.",
    },
    "estimand": {"en": "Estimand", "da": "Estimand"},
    "sentence": {
        "en": "{effect} of {mechanism} on {outcome} ({scale}), for {population}; contrast: {contrast}.",
        "da": "{effect} af {mechanism} på {outcome} ({scale}) for {population}; kontrast: {contrast}.",
    },
    "sentence_prevalence": {
        "en": "{effect} of {mechanism}, as {outcome} ({scale}), for {population}; contrast: {contrast}.",
        "da": "{effect} af {mechanism}, som {outcome} ({scale}) for {population}; kontrast: {contrast}.",
    },
    "truth": {"en": "Truth", "da": "Sandhed"},
    "truth_value": {"en": "Truth: <b>{value}</b> ({source}).", "da": "Sandhed: <b>{value}</b> ({source})."},
    "truth_range": {
        "en": "Truth: <b>{low} to {high}</b> by method, for the citizens each compared ({source}).",
        "da": "Sandhed: <b>{low} til {high}</b> efter metode, for de borgere hver sammenlignede ({source}).",
    },
    "truth_twins": {
        "en": "from counterfactual twins, mean over replications",
        "da": "fra kontrafaktiske tvillinger, gennemsnit over gentagelser",
    },
    "truth_rule": {
        "en": "from the planted rule replayed on the run, mean over replications",
        "da": "fra den plantede regel genafspillet på kørslen, gennemsnit over gentagelser",
    },
    "truth_factual": {
        "en": "from what happened, mean over replications",
        "da": "fra det faktiske forløb, gennemsnit over gentagelser",
    },
    "no_truth": {"en": "No truth: {why}.", "da": "Ingen sandhed: {why}."},
    "not_computed": {
        "en": "not computed: no replication could estimate it",
        "da": "ikke beregnet: ingen gentagelse kunne estimere den",
    },
    "no_declared_estimand": {"en": "no declared estimand", "da": "intet deklareret estimand"},
    "method": {"en": "Method", "da": "Metode"},
    "estimate": {"en": "Mean estimate [mean 95% interval]", "da": "Gennemsnitligt estimat [gns. 95%-interval]"},
    "bias_mcse": {"en": "Bias (MCSE)", "da": "Bias (MCSE)"},
    "coverage_mcse": {"en": "Coverage (MCSE)", "da": "Dækning (MCSE)"},
    "rejection": {"en": "Share p < 0.05", "da": "Andel p < 0,05"},
    "reason": {"en": "Reason", "da": "Begrundelse"},
    "not_estimable": {
        "en": "not estimable: median {exposed} exposed citizens, {events} events per replication",
        "da": "kan ikke estimeres: median {exposed} eksponerede borgere, {events} hændelser pr. gentagelse",
    },
    "estimable_share": {"en": "estimable in {share} of replications", "da": "estimerbar i {share} af gentagelserne"},
    "holds": {"en": "Holds", "da": "Holder"},
    "fails": {"en": "Fails", "da": "Svigter"},
    "all_hold": {
        "en": "Every assumption holds for this exposure",
        "da": "Alle antagelser holder for denne eksponering",
    },
    "mean_estimate": {"en": "mean estimate", "da": "gennemsnitligt estimat"},
    "interval": {"en": "mean 95% interval", "da": "gns. 95%-interval"},
    "planted": {"en": "planted", "da": "plantet"},
    "zero": {"en": "no effect", "da": "ingen virkning"},
    "plot_caption": {
        "en": "Dots: each method's mean estimate; whiskers: its mean 95% interval; solid line: the truth; dotted "
        "line: the planted strength (hazard models only); grey: no effect.",
        "da": "Prikker: hver metodes gennemsnitlige estimat; streger: dens gennemsnitlige 95%-interval; fuld linje: "
        "sandheden; prikket linje: den plantede styrke (kun forløbsmodeller); grå: ingen virkning.",
    },
    "not_estimable_short": {"en": "not estimable", "da": "kan ikke estimeres"},
}
"""The page's words, by key and language."""

SCALES: dict[str, dict[str, str]] = {
    "log_hazard_ratio": {"en": "log hazard ratio", "da": "log hazard-ratio"},
    "risk_difference": {"en": "risk difference", "da": "risikoforskel"},
    "mean_difference": {"en": "mean difference", "da": "gennemsnitsforskel"},
    "share": {"en": "share", "da": "andel"},
}
"""The scales estimates are reported on (:class:`bipsim.contract.estimands.EffectOutcome`'s ``scale``)."""

_NO_FORCING_DA = (
    "kræver hver borgers udfald, hvis de var blevet eksponeret; bipsims tvillinger tilbageholder eller slår fra, de "
    "kan ikke påtvinge eksponeringen dem, der ikke fik den"
)
DANISH: dict[str, str] = {
    # why an assumption fails (bipsim.analysis.methods.FAILURES)
    "a noisy score on a moving yardstick hides part of the path through readiness": "en usikker score på en "
    "målestok, der flytter sig, skjuler en del af vejen via parathed",
    "an activity counts only when a narrative about an offer names it": "en indsats tæller kun, når en fortælling "
    "om et tilbud nævner den",
    "baseline readiness and orientation move both the change and later jobs": "parathed og orientering ved start "
    "flytter både udviklingen og senere job",
    "caseworkers choose on their view of readiness, which also decides who gets hired": "sagsbehandlerne vælger ud "
    "fra deres syn på parathed, som også afgør, hvem der bliver ansat",
    "citizens' answers hide part of their own change (citizen_rating.response_shift)": "borgernes svar skjuler en "
    "del af deres egen udvikling (citizen_rating.response_shift)",
    "health help goes to those whose health just fell, who recover anyway": "sundhedsindsatser går til dem, hvis "
    "helbred lige er faldet, og som kommer sig alligevel",
    "offers follow the caseworker's current view, which moves after the first wave": "tilbud følger "
    "sagsbehandlerens aktuelle syn, som flytter sig efter første runde",
    "short waits are not always told": "korte ventetider bliver ikke altid fortalt",
    "support has its after-effect only alongside job-focused help, and the register then shows the job-focused "
    "activity: the support it sees is the support without an after-effect": "støtte har kun sin eftervirkning "
    "sammen med jobrettet hjælp, og registret viser da den jobrettede indsats: den støtte, det ser, er støtten "
    "uden eftervirkning",
    "the belief follows the caseworker's view of readiness, which also decides who gets hired": "troen følger "
    "sagsbehandlerens syn på parathed, som også afgør, hvem der bliver ansat",
    "the longer on benefit, the likelier a change, and long spells end in jobs less often": "jo længere på ydelse, "
    "jo mere sandsynligt et skift, og lange forløb ender sjældnere i job",
    "the survey answer 4-5 (a belief from about 0.3, carried to the next wave) stands for the hidden belief from "
    "meetings.belief_effect_threshold that acts": "svaret 4-5 i spørgeskemaet (en tro fra omkring 0,3, ført "
    "videre til næste runde) står for den skjulte tro fra meetings.belief_effect_threshold, som virker",
    "the survey scores measure readiness with error, so part of the activity's readiness gain stays in the "
    "estimate": "spørgeskemaets scorer måler parathed med fejl, så en del af indsatsens parathedsgevinst bliver i "
    "estimatet",
    "the survey scores measure the readiness the caseworker sees with error": "spørgeskemaets scorer måler den "
    "parathed, sagsbehandleren ser, med fejl",
    "the survey scores measure the readiness the caseworker sees with error and a quarter late": "spørgeskemaets "
    "scorer måler den parathed, sagsbehandleren ser, med fejl og et kvartal for sent",
    "the unexposed at the landmark may be exposed later; the twin removes every exposure": "de ueksponerede ved "
    "skæringsugen kan blive eksponeret senere; tvillingen fjerner al eksponering",
    "waiting is known only from the interviews, for the interview sample": "ventetid kendes kun fra interviewene, "
    "for interviewstikprøven",
    # why an estimand kind has no truth (bipsim.contract.estimands.EstimandKind.no_truth)
    "its rule has no single multiplier: a change lowers continuity, which rebuilds meeting by meeting, and brings "
    "a caseworker of other quality": "dens regel har ingen enkelt faktor: et skift sænker kontinuiteten, som "
    "genopbygges møde for møde, og giver en sagsbehandler af en anden kvalitet",
    "needs every citizen's outcome had they been exposed; bipsim's twins withhold or switch off, they cannot force "
    "the exposure on those who did not get it": _NO_FORCING_DA,
    "no twin removes only this activity's readiness gains (each costs a model run per replication; CHANNEL_TWINS "
    "in bipsim/contract/estimands.py lists those that have one)": "ingen tvilling fjerner kun denne indsats' "
    "parathedsgevinster (hver koster en modelkørsel pr. gentagelse; CHANNEL_TWINS i bipsim/contract/estimands.py "
    "viser dem, der har en)",
    "a contrast between narratives: no twin says what a citizen would have told": "en kontrast mellem "
    "fortællinger: ingen tvilling siger, hvad en borger ville have fortalt",
}
"""Danish of the declarations' English explanations, keyed by the English text."""


def words(key: str, language: str, **values: object) -> str:
    """The page's word ``key`` in ``language`` (English when missing), formatted with ``values``."""
    text = WORDS[key].get(language) or WORDS[key]["en"]
    return text.format(**values) if values else text


def translated(text: str, language: str) -> str:
    """A declaration's English explanation in ``language`` (English when no translation is known)."""
    return DANISH.get(text, text) if language == "da" else text


def label(entry: Term, language: str) -> str:
    """A declared term's label in ``language``."""
    return entry.da if language == "da" else entry.en


def _declared(keys: tuple[str, ...], entries: tuple[Term, ...], key: str, language: str) -> str:
    return label(entries[keys.index(key)], language) if key in keys else str(key).replace("_", " ")


def mechanism_label(key: str, language: str = "en") -> str:
    """The readable name of a mechanism's estimand."""
    return _declared(ESTIMAND_KEYS, ESTIMANDS, key, language)


def method_label(key: str, outcome: str, language: str = "en") -> str:
    """The readable name of method ``key`` on ``outcome``."""
    return label(method(key, outcome), language) if (key, outcome) in METHOD_KEYS else key


def kind_label(kind: str, language: str = "en") -> str:
    """The readable name of an estimand kind."""
    return label(estimand_kind(kind), language) if kind in ESTIMAND_KIND_KEYS else str(kind)


def scale_label(scale: str, language: str = "en") -> str:
    """The readable name of the scale ``scale``."""
    return SCALES.get(scale, {}).get(language) or str(scale).replace("_", " ")


def lower_first(text: str) -> str:
    """``text`` with its first letter in lower case, for a label inside a sentence."""
    return text[:1].lower() + text[1:]


def estimand_sentence(mechanism: str, kind: str, language: str = "en") -> str:
    """The estimand in words: effect, mechanism, outcome, scale, population and contrast, from the declarations."""
    if kind not in ESTIMAND_KIND_KEYS:
        return words("no_declared_estimand", language)
    entry = estimand_kind(kind)
    return words(
        "sentence_prevalence" if entry.effect == "prevalence" else "sentence",
        language,
        effect=_declared(EFFECT_KEYS, EFFECTS, entry.effect, language),
        mechanism=lower_first(mechanism_label(mechanism, language)),
        outcome=lower_first(_declared(EFFECT_OUTCOME_KEYS, EFFECT_OUTCOMES, entry.outcome, language)),
        scale=scale_label(entry.scale, language),
        population=lower_first(_declared(POPULATION_KEYS, POPULATIONS, entry.population, language)),
        contrast=lower_first(_declared(CONTRAST_KEYS, CONTRASTS, entry.contrast, language)),
    )


def truth_source(kind: str, language: str = "en") -> str:
    """Where the truth of an estimand kind comes from: twins, the planted rule, or what happened."""
    contrast = estimand_kind(kind).contrast if kind in ESTIMAND_KIND_KEYS else ""
    key = {"structural": "truth_rule", "factual": "truth_factual"}.get(contrast, "truth_twins")
    return words(key, language)


def no_truth_reason(mechanism: str, kind: str, language: str = "en") -> str:
    """Why the estimand of ``kind`` for ``mechanism`` has no truth in this study."""
    if kind not in ESTIMAND_KIND_KEYS:
        return words("no_declared_estimand", language)
    entry = estimand_kind(kind)
    if has_truth(mechanism, kind) or not entry.no_truth:
        return words("not_computed", language)
    return translated(entry.no_truth, language)


def assumptions_reason(key: str, outcome: str, mechanism: str, language: str = "en") -> tuple[list[str], list[str]]:
    """The method's assumptions that hold for ``mechanism`` (labels) and those that fail (label: why)."""
    if (key, outcome) not in METHOD_KEYS:
        return [], []
    failing = dict(failed(key, outcome, mechanism))
    holds = [label(assumption(a), language) for a in method(key, outcome).assumptions if a not in failing]
    fails = [f"{label(assumption(a), language)}: {translated(why, language)}" for a, why in failing.items()]
    return holds, fails


def sees(key: str, outcome: str, mechanism: str) -> bool:
    """Whether method ``key`` on ``outcome`` can see ``mechanism``'s exposure."""
    return (key, outcome) in METHOD_KEYS and mechanism in method(key, outcome).mechanisms


def method_order(key: str, outcome: str) -> int:
    """The place of a method in the declaration, for listing methods in the same order everywhere."""
    return METHOD_KEYS.index((key, outcome)) if (key, outcome) in METHOD_KEYS else len(METHODS)


def number(value: float, digits: int = 3, language: str = "en") -> str:
    """A number to ``digits`` decimals with the language's decimal mark; empty when missing."""
    if value is None or not math.isfinite(value):
        return ""
    text = f"{value:.{digits}f}"
    return text.replace(".", ",") if language == "da" else text


def share(value: float, language: str = "en") -> str:
    """A share as a whole percentage."""
    return "" if value is None or not math.isfinite(value) else f"{value:.0%}"
