"""Words of the sandbox in English and Danish.

Domain terms (statuses, indicators, orientations, interventions, events) come from
:mod:`bipsim.contract.vocabulary`, which already carries both languages; this module adds the app's own words.
"""

from __future__ import annotations

import string

from bipsim.contract.codes import BENEFIT_CODES
from bipsim.contract.outcomes import OUTCOMES
from bipsim.contract.themes import THEMES
from bipsim.contract.vocabulary import EVENT_KINDS, INDICATORS, INTERVENTIONS, ORIENTATIONS, STATUSES

LANGUAGES: tuple[str, ...] = ("en", "da")

WORDS: dict[str, dict[str, str]] = {
    "title": {"en": "bipsim sandbox", "da": "bipsim sandkasse"},
    "subtitle": {
        "en": "Employment efforts for activity-ready citizens, simulated",
        "da": "Beskæftigelsesindsatsen for aktivitetsparate borgere, simuleret",
    },
    "preset": {"en": "Scenario preset", "da": "Scenarie"},
    "preset_tip": {
        "en": "A built-in scenario from the scenarios/ folder; its file says which question it answers.",
        "da": "Et indbygget scenarie fra mappen scenarios/; filen siger, hvilket spørgsmål det besvarer.",
    },
    "seed_tip": {
        "en": "Random seed: the same seed and settings give the same run.",
        "da": "Tilfældighedsfrø: samme frø og indstillinger giver samme kørsel.",
    },
    "citizens": {"en": "Citizens", "da": "Borgere"},
    "weeks": {"en": "Weeks", "da": "Uger"},
    "seed": {"en": "Seed", "da": "Frø (seed)"},
    "run": {"en": "▶ Run", "da": "▶ Kør"},
    "reset": {"en": "↺ Reset", "da": "↺ Nulstil"},
    "mechanisms": {"en": "Mechanisms", "da": "Mekanismer"},
    "more_parameters": {"en": "Population and study design", "da": "Population og undersøgelsesdesign"},
    "language": {"en": "Language", "da": "Sprog"},
    "tab_flows": {"en": "Flows", "da": "Forløb"},
    "tab_readiness": {"en": "Readiness", "da": "Parathed"},
    "tab_register": {"en": "Register", "da": "Register"},
    "tab_stories": {"en": "Stories", "da": "Fortællinger"},
    "tab_methods": {"en": "Methods vs truth", "da": "Metoder og sandhed"},
    "tab_compare": {"en": "Compare", "da": "Sammenlign"},
    "tab_about": {"en": "About", "da": "Om modellen"},
    "week": {"en": "Week of the study", "da": "Uge i undersøgelsen"},
    "quarter": {"en": "Quarter of the study", "da": "Kvartal i undersøgelsen"},
    "n_citizens": {"en": "Citizens (count)", "da": "Borgere (antal)"},
    "flows_title": {"en": "Where the citizens are, week by week", "da": "Hvor borgerne er, uge for uge"},
    "activities_title": {"en": "Citizens in each activity", "da": "Borgere i hver indsats"},
    "entries_title": {"en": "Entries into an ordinary job per quarter", "da": "Overgange til ordinært job pr. kvartal"},
    "hires": {"en": "Hires (count)", "da": "Ansættelser (antal)"},
    "exited": {
        "en": "Exited (flexi-job, programme, pension, education, out)",
        "da": "Afgået (fleksjob, ressourceforløb, pension, uddannelse, ude)",
    },
    "indicator": {"en": "Indicator", "da": "Indikator"},
    "orientation": {"en": "Orientation", "da": "Orientering"},
    "all_orientations": {"en": "All orientations", "da": "Alle orienteringer"},
    "assumption": {"en": "(modelling assumption)", "da": "(modelantagelse)"},
    "score": {"en": "Mean score (1-5)", "da": "Gennemsnitlig score (1-5)"},
    "readiness_title": {"en": "{indicator}: truth and two raters", "da": "{indicator}: sandhed og to bedømmere"},
    "gap_title": {
        "en": "Caseworker minus citizen answer, every indicator",
        "da": "Sagsbehandlerens minus borgerens svar, alle indikatorer",
    },
    "gap": {"en": "Caseworker − citizen (points)", "da": "Sagsbehandler − borger (point)"},
    "latent": {"en": "Latent truth (still measured)", "da": "Latent sandhed (stadig målt)"},
    "citizen": {"en": "Citizens' answers", "da": "Borgernes svar"},
    "caseworker": {"en": "Caseworkers' answers", "da": "Sagsbehandlernes svar"},
    "source": {"en": "Source", "da": "Kilde"},
    "selfsuff_title": {
        "en": "Self-sufficiency degree per quarter (register)",
        "da": "Selvforsørgelsesgrad pr. kvartal (register)",
    },
    "selfsuff": {"en": "Self-sufficiency degree (share of weeks)", "da": "Selvforsørgelsesgrad (andel af uger)"},
    "got_job": {"en": "Got an ordinary job", "da": "Fik ordinært job"},
    "no_job": {"en": "Did not get a job", "da": "Fik ikke job"},
    "group": {"en": "Group", "da": "Gruppe"},
    "story_pick": {"en": "Citizen of the qualitative sample", "da": "Borger i den kvalitative stikprøve"},
    "story_title": {"en": "Timeline of citizen {cid} ({orientation})", "da": "Forløb for borger {cid} ({orientation})"},
    "lane": {"en": "Lane", "da": "Spor"},
    "lane_status": {"en": "Status", "da": "Status"},
    "lane_caseworker": {"en": "Caseworker", "da": "Sagsbehandler"},
    "lane_activity": {"en": "Activity", "da": "Indsats"},
    "lane_events": {"en": "Events", "da": "Hændelser"},
    "lane_interviews": {"en": "Interviews", "da": "Interviews"},
    "interview": {"en": "Interview", "da": "Interview"},
    "narratives": {"en": "Interview narratives", "da": "Interviewfortællinger"},
    "themes": {"en": "themes", "da": "temaer"},
    "no_story": {"en": "No qualitative sample in this run.", "da": "Ingen kvalitativ stikprøve i denne kørsel."},
    "mechanisms_title": {"en": "Planted mechanisms of this run", "da": "Indplantede mekanismer i denne kørsel"},
    "recovery_title": {
        "en": "Recovery: do the methods find what was planted, over replications?",
        "da": "Genfinding: finder metoderne det indplantede, over gentagelser?",
    },
    "recovery_hint": {
        "en": "Runs the current settings several times; each replication is analysed as the real study would and "
        "compared with counterfactual twins (the same run without one mechanism). Each replication at BIP size "
        "takes several seconds. For 100 replications use `bipsim recover` on the command line.",
        "da": "Kører de nuværende indstillinger flere gange; hver gentagelse analyseres som i det rigtige studie og "
        "sammenlignes med kontrafaktiske tvillinger (samme kørsel uden én mekanisme). Hver gentagelse i BIP-størrelse "
        "tager flere sekunder. Brug `bipsim recover` på kommandolinjen til 100 gentagelser.",
    },
    "recover_run": {"en": "▶ Recover", "da": "▶ Genfind"},
    "recovering": {"en": "Recovery: replication {done} of {total}…", "da": "Genfinding: gentagelse {done} af {total}…"},
    "recovered": {
        "en": "Recovery finished: choose a mechanism to see each method's estimate against the truth of the "
        "estimand it targets; bias is the mean of estimate minus truth, brackets hold Monte Carlo SEs.",
        "da": "Genfinding færdig: vælg en mekanisme for at se hver metodes estimat mod sandheden for det estimand, "
        "den sigter på; bias er gennemsnittet af estimat minus sandhed, parenteser er Monte Carlo-SE.",
    },
    "recovery_mechanism": {"en": "Mechanism", "da": "Mekanisme"},
    "calibration_title": {
        "en": "Calibration: published BIP figures vs the same figures from simulated observed data",
        "da": "Kalibrering: publicerede BIP-tal mod de samme tal fra simulerede observerede data",
    },
    "calibration_plot": {
        "en": "Published (with tolerance) vs simulated",
        "da": "Publiceret (med tolerance) mod simuleret",
    },
    "share": {"en": "Share", "da": "Andel"},
    "published": {"en": "Published", "da": "Publiceret"},
    "simulated": {"en": "Simulated", "da": "Simuleret"},
    "triangulation_title": {
        "en": "Triangulation: what each method says about each mechanism",
        "da": "Triangulering: hvad hver metode siger om hver mekanisme",
    },
    "triangulation_missing": {
        "en": "The triangulation analyses could not be loaded in this installation, so this view shows only the "
        "planted mechanisms and the calibration.",
        "da": "Trianguleringsanalyserne kunne ikke indlæses i denne installation, så visningen viser kun de "
        "indplantede mekanismer og kalibreringen.",
    },
    "compare_first": {"en": "Scenario A", "da": "Scenarie A"},
    "compare_second": {"en": "Scenario B", "da": "Scenarie B"},
    "current": {"en": "current settings", "da": "nuværende indstillinger"},
    "replications": {"en": "Replications", "da": "Gentagelser"},
    "compare_run": {"en": "▶ Compare", "da": "▶ Sammenlign"},
    "compare_title": {
        "en": "B minus A, mean over {r} paired replications (95% interval)",
        "da": "B minus A, gennemsnit over {r} parrede gentagelser (95%-interval)",
    },
    "difference_pp": {"en": "Difference (percentage points)", "da": "Forskel (procentpoint)"},
    "difference_in": {"en": "Difference B − A ({unit})", "da": "Forskel B − A ({unit})"},
    "unit_pp": {"en": "percentage points", "da": "procentpoint"},
    "unit_weeks": {"en": "weeks", "da": "uger"},
    "unit_trust_(0-1)": {"en": "trust (0-1)", "da": "tillid (0-1)"},
    "unit_column": {"en": "Unit", "da": "Enhed"},
    "difference_unit_column": {"en": "Unit of B − A", "da": "Enhed for B − A"},
    "share_percent": {"en": "% of citizens", "da": "% af borgerne"},
    "compare_hint": {
        "en": "Pick two scenarios and press Compare. Both run with the population size and weeks of the "
        "sidebar and the same seeds, so the difference is the scenario, not luck.",
        "da": "Vælg to scenarier og tryk Sammenlign. Begge kører med sidepanelets populationsstørrelse og uger "
        "og de samme frø, så forskellen skyldes scenariet, ikke tilfældigheder.",
    },
    "outcome": {"en": "Outcome", "da": "Udfald"},
    "ready": {"en": "Ready.", "da": "Klar."},
    "running": {"en": "Running week {done} of {total}…", "da": "Kører uge {done} af {total}…"},
    "tabulating": {
        "en": "Collecting survey, register and interviews…",
        "da": "Indsamler spørgeskema, register og interviews…",
    },
    "finished": {
        "en": "Run {n} finished: {scenario}, seed {seed}, {citizens:,} citizens × {weeks} weeks in {seconds:.1f} s.",
        "da": "Kørsel {n} færdig: {scenario}, frø {seed}, {citizens:,} borgere × {weeks} uger på {seconds:.1f} s.",
    },
    "comparing": {"en": "Comparing: run {done} of {total}…", "da": "Sammenligner: kørsel {done} af {total}…"},
    "compared": {"en": "Comparison finished.", "da": "Sammenligning færdig."},
    "failed": {"en": "The run failed: {error}", "da": "Kørslen mislykkedes: {error}"},
    "waiting_first": {"en": "The first run is on its way…", "da": "Den første kørsel er på vej…"},
    "cancel": {"en": "✕ Cancel", "da": "✕ Annullér"},
    "cancelled": {
        "en": "Cancelled. The figures show the last finished run.",
        "da": "Annulleret. Figurerne viser den seneste færdige kørsel.",
    },
    # Limits: what the server runs, and typed values it cannot use
    "too_big": {
        "en": "{citizens:,} citizens × {weeks:,} weeks = {size:,} citizen-weeks is more than this server runs "
        "({limit:,} citizen-weeks, e.g. {example:,} citizens × 208 weeks). Lower the citizens or the weeks. "
        "(The teacher sets the limit with `bipsim app --max-size`.)",
        "da": "{citizens:,} borgere × {weeks:,} uger = {size:,} borger-uger er mere, end denne server kører "
        "({limit:,} borger-uger, fx {example:,} borgere × 208 uger). Sænk antallet af borgere eller uger. "
        "(Underviseren sætter grænsen med `bipsim app --max-size`.)",
    },
    "bad_value": {
        "en": "{setting}: {value} is not allowed ({allowed}). Type another value; Run waits until it is allowed.",
        "da": "{setting}: {value} er ikke tilladt ({allowed}). Skriv en anden værdi; Kør venter, til den er tilladt.",
    },
    "message": {"en": "{text}", "da": "{text}"},
    "allowed_range": {"en": "from {low:,} to {high:,}", "da": "fra {low:,} til {high:,}"},
    "allowed_empty": {"en": "a number is needed", "da": "der skal stå et tal"},
    "allowed_is": {"en": "Allowed: {what}.", "da": "Tilladt: {what}."},
    "allowed_switch": {"en": "on or off", "da": "til eller fra"},
    "allowed_one_of": {"en": "one of {names}", "da": "én af {names}"},
    "allowed_list": {"en": "any of {names}, or none", "da": "en eller flere af {names}, eller ingen"},
    "allowed_whole": {"en": "a whole number from {low:,} to {high:,}", "da": "et helt tal fra {low:,} til {high:,}"},
    "allowed_number": {"en": "a number from {low:,} to {high:,}", "da": "et tal fra {low:,} til {high:,}"},
    "modified": {"en": "modified", "da": "ændret"},
    # Follow: any citizen of the run shown
    "tab_follow": {"en": "Follow a citizen", "da": "Følg en borger"},
    "follow_id": {"en": "Citizen id", "da": "Borger-id"},
    "follow_hint": {
        "en": "Type the id of any citizen of the run, {first} to {last}. Interviewed citizens (Stories) "
        "include {examples}. The lanes show the register, the caseworker, observed meetings and interviews, and "
        "the true status that no data show; below, the citizen's and the caseworker's mean survey answers "
        "against the hidden readiness.",
        "da": "Skriv id'et på en hvilken som helst borger i kørslen, {first} til {last}. Interviewede borgere "
        "(Fortællinger) er bl.a. {examples}. Sporene viser registret, sagsbehandleren, observerede samtaler og "
        "interview samt den sande status, som ingen data viser; nedenunder borgerens og sagsbehandlerens "
        "gennemsnitlige svar i målingen mod den skjulte parathed.",
    },
    "follow_missing": {
        "en": "There is no citizen {cid} in this run: ids run from {first} to {last}.",
        "da": "Der er ingen borger {cid} i denne kørsel: id'erne går fra {first} til {last}.",
    },
    "follow_progress": {
        "en": "Preparing the whole run: week {done} of {total}…",
        "da": "Forbereder hele kørslen: uge {done} af {total}…",
    },
    "follow_shown": {
        "en": "Citizen {cid} of the run {scenario}, seed {seed}.",
        "da": "Borger {cid} i kørslen {scenario}, frø {seed}.",
    },
    "follow_details": {
        "en": "Background, timeline, survey answers, hidden truth and interviews as text",
        "da": "Baggrund, forløb, svar i målingen, skjult sandhed og interview som tekst",
    },
    # Step by step: setup / step / go, as NetLogo
    "tab_live": {"en": "Step by step", "da": "Trin for trin"},
    "live_hint": {
        "en": "Run the sidebar's scenario a week at a time, as in NetLogo. **Setup** builds the model from the "
        "sidebar's settings and seed; **1 week** and **1 quarter** step it; **Go** runs it at the chosen speed "
        "until the last week or **Pause**. The figures and the monitors follow the model as it runs. Stepped to "
        "the end, it is the same run as **Run** gives for the same settings and seed.",
        "da": "Kør sidepanelets scenarie en uge ad gangen, som i NetLogo. **Opsæt** bygger modellen ud fra "
        "sidepanelets indstillinger og frø; **1 uge** og **1 kvartal** tager et skridt; **Start** kører den med "
        "den valgte hastighed til sidste uge eller til **Pause**. Figurerne og målerne følger modellen, mens den "
        "kører. Kørt til ende er det den samme kørsel, som **Kør** giver med samme indstillinger og frø.",
    },
    "live_setup": {"en": "⟲ Setup", "da": "⟲ Opsæt"},
    "live_week_button": {"en": "▸ 1 week", "da": "▸ 1 uge"},
    "live_quarter_button": {"en": "▸▸ 1 quarter", "da": "▸▸ 1 kvartal"},
    "live_go": {"en": "▶ Go", "da": "▶ Start"},
    "live_pause": {"en": "❚❚ Pause", "da": "❚❚ Pause"},
    "live_speed_label": {"en": "Speed of Go", "da": "Hastighed"},
    "live_fastest": {"en": "as fast as possible", "da": "så hurtigt som muligt"},
    "live_speed": {"en": "{n} weeks a second", "da": "{n} uger i sekundet"},
    "live_setting_up": {"en": "Setting up the model…", "da": "Opsætter modellen…"},
    "live_ready": {
        "en": "Set up: {scenario}, seed {seed}, {citizens:,} citizens, week 0 of {weeks}. Step it or press Go.",
        "da": "Opsat: {scenario}, frø {seed}, {citizens:,} borgere, uge 0 af {weeks}. Tag et skridt, eller tryk Start.",
    },
    "live_week": {"en": "Week {week} of {weeks}.", "da": "Uge {week} af {weeks}."},
    "live_done": {
        "en": "All {weeks} weeks stepped. Setup starts again.",
        "da": "Alle {weeks} uger er kørt. Opsæt starter forfra.",
    },
    "live_week_monitor": {"en": "Week", "da": "Uge"},
    "live_in_job": {"en": "In an ordinary job", "da": "I ordinært job"},
    "live_waiting": {"en": "Waiting for an activity", "da": "Venter på en indsats"},
    "live_caseworker_changes": {"en": "Caseworker changes so far", "da": "Sagsbehandlerskift indtil nu"},
    "live_readiness_title": {
        "en": "Readiness of the citizens on social assistance, week by week",
        "da": "Parathed hos borgerne på kontanthjælp, uge for uge",
    },
    "readiness_score": {"en": "Readiness (1-5, hidden truth)", "da": "Parathed (1-5, skjult sandhed)"},
    "mean": {"en": "Mean", "da": "Gennemsnit"},
    "middle_half": {"en": "Middle half (25-75%)", "da": "Midterste halvdel (25-75%)"},
    # Follow: the network around the followed citizen
    "network_title": {
        "en": "Citizen {cid}'s network: {n} citizens within two ties, employers they worked for, and their jobcentres",
        "da": "Borger {cid}s netværk: {n} borgere inden for to led, arbejdsgivere de har arbejdet for, og deres "
        "jobcentre",
    },
    "network_social": {"en": "Social tie", "da": "Social relation"},
    "network_works": {"en": "Worked there", "da": "Har arbejdet der"},
    "network_tie": {"en": "Employer's jobcentre", "da": "Arbejdsgiverens jobcenter"},
    "network_employer": {"en": "Employer", "da": "Arbejdsgiver"},
    "network_jobcentre": {"en": "Jobcentre", "da": "Jobcenter"},
    "network_employer_node": {"en": "Employer", "da": "Arbejdsgiver"},
    "network_jobcentre_node": {"en": "Jobcentre", "da": "Jobcenter"},
    "network_me": {"en": "The followed citizen", "da": "Den fulgte borger"},
    # Methods vs truth: tables in words
    "mechanism_column": {"en": "Mechanism", "da": "Mekanisme"},
    "switch_column": {"en": "Switched", "da": "Slået"},
    "switched_on": {"en": "on", "da": "til"},
    "switched_off": {"en": "off", "da": "fra"},
    "planted_column": {"en": "Planted strengths", "da": "Indplantede styrker"},
    "does_column": {"en": "What it does", "da": "Hvad den gør"},
    "acts_through_rates": {"en": "(acts through its rates and capacities)", "da": "(virker gennem rater og kapacitet)"},
    "figure_column": {"en": "Figure", "da": "Tal"},
    "role_column": {"en": "Role", "da": "Rolle"},
    "role_input": {"en": "input (given)", "da": "input (givet)"},
    "role_outcome": {"en": "outcome (produced)", "da": "udfald (frembragt)"},
    "role_rule": {"en": "rule", "da": "regel"},
    "tolerance_column": {"en": "Uncertainty", "da": "Usikkerhed"},
    "implausibility_column": {"en": "Implausibility", "da": "Implausibilitet"},
    "within_column": {"en": "Reproduced (≤ 3)", "da": "Genskabt (≤ 3)"},
    "note_column": {"en": "Note", "da": "Note"},
    "yes": {"en": "yes", "da": "ja"},
    "no": {"en": "no", "da": "nej"},
    "finding_blind": {"en": "cannot see it", "da": "kan ikke se det"},
    "finding_raises": {"en": "raises", "da": "øger"},
    "finding_lowers": {"en": "lowers", "da": "sænker"},
    "finding_detected": {
        "en": "detected: {direction} {outcome} ({estimate}, p={p})",
        "da": "fundet: {direction} {outcome} ({estimate}, p={p})",
    },
    "finding_not_significant": {
        "en": "not significant: {direction} {outcome} ({estimate}, p={p})",
        "da": "ikke signifikant: {direction} {outcome} ({estimate}, p={p})",
    },
    "false_positive": {
        "en": "⚠ false positive: nothing is planted in this run",
        "da": "⚠ falsk positiv: intet er indplantet i denne kørsel",
    },
    "group_population": {"en": "population", "da": "population"},
    "group_readiness": {"en": "readiness", "da": "parathed"},
    "group_meetings": {"en": "meetings", "da": "samtaler"},
    "group_waiting": {"en": "waiting", "da": "ventetid"},
    "group_turnover": {"en": "caseworker turnover", "da": "sagsbehandlerskift"},
    "group_interventions": {"en": "interventions", "da": "indsatser"},
    "group_labour_market": {"en": "labour market", "da": "arbejdsmarked"},
    "group_network": {"en": "network", "da": "netværk"},
    "group_rules": {"en": "refusion and rules", "da": "refusion og regler"},
    "group_exits": {"en": "exits", "da": "afgange"},
    "group_trust": {"en": "trust in the jobcentre", "da": "tillid til jobcentret"},
    "group_search": {"en": "search effort", "da": "søgeindsats"},
    "group_employer_learning": {"en": "employers' learning", "da": "arbejdsgivernes erfaring"},
    "group_records": {"en": "records of the truth", "da": "registrering af sandheden"},
    "group_citizen_rating": {"en": "citizens' survey answers", "da": "borgernes svar i målingen"},
    "group_caseworker_rating": {"en": "caseworkers' survey answers", "da": "sagsbehandlernes svar i målingen"},
    "group_survey_response": {"en": "survey response", "da": "svarprocent i målingen"},
    "group_survey": {"en": "survey design", "da": "målingens design"},
    "group_register_history": {"en": "register history", "da": "registerhistorik"},
    "group_qualitative_study": {"en": "qualitative study", "da": "kvalitativ undersøgelse"},
    "does_readiness": {
        "en": "Readiness drifts toward a personal baseline, with health shocks and regression without help.",
        "da": "Paratheden driver mod et personligt niveau, med helbredschok og tilbagefald uden hjælp.",
    },
    "does_meetings": {
        "en": "Meetings raise readiness when there is continuity; the caseworker's belief matters.",
        "da": "Samtaler øger paratheden, når der er kontinuitet; sagsbehandlerens tro betyder noget.",
    },
    "does_waiting": {
        "en": "Activities have limited places: citizens queue, and waiting erodes readiness.",
        "da": "Indsatser har begrænsede pladser: borgere venter, og ventetid nedbryder paratheden.",
    },
    "does_turnover": {
        "en": "Caseworkers leave and caseloads are moved to new caseworkers.",
        "da": "Sagsbehandlere stopper, og sager flyttes til nye sagsbehandlere.",
    },
    "does_interventions": {
        "en": "Who gets which combination of activities, and what it does to them.",
        "da": "Hvem der får hvilken kombination af indsatser, og hvad den gør ved dem.",
    },
    "does_labour_market": {
        "en": "A business cycle moves vacancies and the readiness employers ask for.",
        "da": "En konjunktur flytter ledige stillinger og den parathed, arbejdsgivere kræver.",
    },
    "does_network": {
        "en": "Citizens' social networks carry support and job referrals.",
        "da": "Borgernes sociale netværk giver støtte og henvisninger til job.",
    },
    "does_rules": {
        "en": "Reimbursement schedule, municipal incentives, offer deadlines and exemptions.",
        "da": "Refusionstrappe, kommunale incitamenter, frister for tilbud og fritagelser.",
    },
    "does_exits": {
        "en": "Exits to rehabilitation programme, flexi-job, disability pension and education.",
        "da": "Afgang til ressourceforløb, fleksjob, førtidspension og uddannelse.",
    },
    "does_trust": {
        "en": "Trust in the jobcentre: lost to caseworker changes, waits, reversals and exemptions; rebuilt by "
        "continuity; it changes how help lands and can turn a citizen distrustful or resigned.",
        "da": "Tillid til jobcentret: tabes ved sagsbehandlerskift, ventetid, omgjorte afgørelser og fritagelser; "
        "genopbygges af kontinuitet; den ændrer, hvordan hjælpen virker, og kan gøre en borger mistillidsfuld "
        "eller opgivende.",
    },
    "does_search": {
        "en": "Job search falls with time on benefit and after rejections, and while in a programme (lock-in).",
        "da": "Jobsøgningen falder med tiden på ydelse og efter afslag, og mens borgeren er i et forløb (fastlåsning).",
    },
    "does_employer_learning": {
        "en": "Employers whose hire from the jobcentre failed early become more hesitant; lasting hires, less.",
        "da": "Arbejdsgivere, hvis ansættelse fra jobcentret hurtigt ophørte, bliver mere tøvende; "
        "varige ansættelser gør dem mindre.",
    },
    "does_population": {
        "en": "Who is in the study and for how long: the BIP cohort of activity-ready citizens.",
        "da": "Hvem der er med i undersøgelsen og hvor længe: BIP-kohorten af aktivitetsparate borgere.",
    },
    "does_records": {
        "en": "What the model keeps of its truth as it runs.",
        "da": "Hvad modellen gemmer af sin sandhed, mens den kører.",
    },
    "does_citizen_rating": {
        "en": "How citizens answer the progression survey: noise, mood, response shift and social desirability.",
        "da": "Hvordan borgerne svarer i progressionsmålingen: støj, humør, responsskift og social ønskværdighed.",
    },
    "does_caseworker_rating": {
        "en": "How caseworkers rate their citizens: knowledge from meetings, anchoring, deficit lean and belief.",
        "da": "Hvordan sagsbehandlere vurderer deres borgere: viden fra samtaler, forankring, fokus på mangler og tro.",
    },
    "does_survey_response": {
        "en": "Who answers the progression survey: state-dependent non-response and attrition.",
        "da": "Hvem der svarer i progressionsmålingen: tilstandsafhængigt bortfald og frafald.",
    },
    "does_survey": {
        "en": "The progression survey's design: how many waves, how far apart, who answers and whom it samples.",
        "da": "Progressionsmålingens design: hvor mange runder, med hvor lang afstand, hvem der svarer, og hvem "
        "der udtrækkes.",
    },
    "does_register_history": {
        "en": "The five years before the study in the register: spells on support, in job or education, or other.",
        "da": "De fem år før undersøgelsen i registret: perioder på ydelse, i job eller uddannelse eller andet.",
    },
    "does_qualitative_study": {
        "en": "The qualitative longitudinal study: interviewed citizens, observed meetings and employer interviews.",
        "da": "Det kvalitative forløbsstudie: interviewede borgere, observerede samtaler og interview med "
        "arbejdsgivere.",
    },
    # Export: settings, bundle, link
    "export": {"en": "Save and share", "da": "Gem og del"},
    "export_toml": {"en": "⬇ Settings (.toml)", "da": "⬇ Indstillinger (.toml)"},
    "export_bundle": {"en": "⬇ The run's data (.zip)", "da": "⬇ Kørslens data (.zip)"},
    "export_link": {"en": "Link to these settings", "da": "Link til disse indstillinger"},
    "export_link_label": {"en": "Link (copy it from here)", "da": "Link (kopiér det herfra)"},
    "export_hint": {
        "en": "The settings file runs on the command line with `bipsim run FILE --seed N` (its first lines say "
        "which seed). The zip is the shown run's bundle, as `bipsim run --out` writes it, for `bipsim analyze` "
        "and `bipsim follow`. The link opens the sandbox with the same settings. Every figure's toolbar has a "
        "save button that downloads the figure as a PNG.",
        "da": "Indstillingsfilen kører på kommandolinjen med `bipsim run FIL --seed N` (de første linjer siger "
        "hvilket frø). Zip-filen er den viste kørsels datasæt, som `bipsim run --out` skriver det, til "
        "`bipsim analyze` og `bipsim follow`. Linket åbner sandkassen med de samme indstillinger. Hver figurs "
        "værktøjslinje har en gem-knap, der henter figuren som PNG.",
    },
    "export_progress": {
        "en": "Preparing the zip: step {done} of {total}…",
        "da": "Forbereder zip-filen: trin {done} af {total}…",
    },
    "exported": {"en": "Zip ready: {name} ({mb:.1f} MB).", "da": "Zip-fil klar: {name} ({mb:.1f} MB)."},
    "no_run_yet": {"en": "There is no finished run yet.", "da": "Der er endnu ingen færdig kørsel."},
    "link_unknown": {
        "en": "The link's {setting}={value} is not a setting of the sandbox and was left out.",
        "da": "Linkets {setting}={value} er ikke en indstilling i sandkassen og blev udeladt.",
    },
    "link_bad": {
        "en": "The link's {setting}={value} is not an allowed value and was left out; the preset's value is used.",
        "da": "Linkets {setting}={value} er ikke en tilladt værdi og blev udeladt; scenariets værdi bruges.",
    },
}

QUESTIONS_DA: dict[str, str] = {
    "baseline": "hvad sker der med BIP-kohorten af 4.000 aktivitetsparate borgere over fire år, med alle mekanismer "
    "slået til?",
    "boom": "hvad hvis arbejdsmarkedet boomede: høj og stigende efterspørgsel gennem de fire år?",
    "high_turnover": "hvad hvis sagsbehandlere stoppede dobbelt så ofte, og borgere blev flyttet mere mellem "
    "sagsbehandlere?",
    "job_first": "hvad hvis jobrettet hjælp (virksomhedspraktik) kom tidligt og parallelt med støtte?",
    "leave_alone": 'hvad hvis sagsbehandlere ofte fritog de mindst parate fra kontakt i årevis ("vi lader dig være '
    'i 3-5 år")?',
    "leave_least_ready_alone": 'hvad hvis den mindst parate femtedel fik at vide "vi lader dig være" og blev '
    "fritaget for kontakt resten af undersøgelsen?",
    "long_waiting": "hvad hvis jobcentrene havde en tredjedel af pladserne til indsatser, så ventelisterne blev lange?",
    "low_turnover": 'hvad hvis sagsbehandlere skiftede halvt så ofte ("færre sagsbehandlerskift")?',
    "more_offers": "hvad hvis en samtale uden igangværende indsats endte med et tilbud fem gange så ofte?",
    "more_places": "hvad hvis jobcentrene havde over dobbelt så mange pladser til indsatser (900 i stedet for 350 "
    "pr. 1.000 borgere)?",
    "null": "hvordan ser data ud, når ingen mekanisme virker, så enhver estimeret effekt burde være nul?",
    "parallel": "hvad hvis hvert tilbud kombinerede jobrettet hjælp og støtte parallelt, som BIP fandt virker bedst?",
    "placebo": "når borgere stadig skifter sagsbehandler, venter, deltager i indsatser og bliver troet på, men intet "
    "af det ændrer deres chancer, finder undersøgelsens metoder så effekter, der ikke er der?",
    "pre2016_refusion": "hvad hvis reformen i 2016 aldrig var kommet, så refusionen belønnede aktivering i sig selv "
    "hele vejen i stedet for at falde med varigheden på ydelse fra uge 118 (4. januar 2016)?",
    "refusion_2016_throughout": "hvad hvis refusionsreformen fra 2016 havde gældt fra kohortens første uge?",
    "trust_fixed": "hvor meget af det, der sker, går gennem tilliden til jobcentret, som tabes ved "
    "sagsbehandlerskift, ventetid, omgjorte afgørelser og fritagelser og genopbygges af kontinuitet?",
    "recession": "hvad hvis en lavkonjunktur ramte i det andet år: falder paratheden, eller kun chancen for et job?",
    "short_waiting": "hvad hvis ventelisterne blev halveret ved at tilføje pladser?",
    "small_caseloads": "hvad hvis hver sagsbehandler havde omkring en tredjedel færre borgere (flere sagsbehandlere "
    "pr. 1.000 borgere)?",
    "staircase": "hvad hvis hjælpen fulgte en trappe: kompetencer, mentor og helbred først, jobrettet hjælp kun til "
    "de mest parate?",
}
"""The presets' questions in Danish (their files ask them in English); a preset without one shows the English."""

CALIBRATION_DA: dict[str, str] = {
    "participants": "Aktivitetsparate borgere i undersøgelsen",
    "jobcentres": "Jobcentre",
    "caseworkers": "Sagsbehandlere med ansvar på et tidspunkt (publiceret: over 300)",
    "job_1y_believed": "I job inden for et år, når sagsbehandleren svarer 'ja' ved første måling",
    "job_1y_not_believed": "I job inden for et år, når sagsbehandleren svarer 'nej' eller 'tvivlsomt'",
    "belief_yes": "Sagsbehandleren svarer 'ja, job inden for et år' ved første måling",
    "belief_good": "Sagsbehandleren svarer 'gode chancer' ved første måling",
    "belief_no": "Sagsbehandleren svarer 'nej' eller 'tvivlsomt' ved første måling",
    "change_share": "Borgere med mindst ét sagsbehandlerskift",
    "change_job_ratio": "Jobstartrate efter et sagsbehandlerskift i forhold til intet skift (publiceret −22%)",
    "caseworker_best": "I job eller uddannelse inden for to år, bedste femtedel af sagsbehandlerne",
    "caseworker_least": "I job eller uddannelse inden for to år, mindst succesfulde femtedel",
    "history_job_education": "Andel af de foregående 5 år i job eller uddannelse",
    "history_long_support": "På offentlig forsørgelse mindst 80% af de foregående 5 år",
    "no_vocational_qualification": "Uden erhvervskompetencegivende uddannelse",
    "psychiatric_diagnosis": "Med en psykiatrisk diagnose",
    "musculoskeletal_disorder": "Med en muskel- og skeletlidelse",
    "job_stop_3m": "Af dem, der forlader kontanthjælp for et job, andel der stopper inden for 3 måneder",
    "job_stay_12m": "Af dem, der forlader kontanthjælp for et job, andel der stadig er i det efter 12 måneder",
    "no_offer_65w": "Intet tilbud (indsats) inden for 65 uger",
    "association_belief": "Justeret hazard-ratio for jobstart, når sagsbehandleren svarer 'gode chancer' eller 'ja' "
    "(publiceret +33%)",
    "association_private_placement": "Justeret hazard-ratio for jobstart efter gennemført privat virksomhedspraktik "
    "(publiceret +84%)",
    "association_public_placement": "Justeret hazard-ratio for jobstart efter gennemført offentlig virksomhedspraktik "
    "(publiceret +65%)",
    "association_other_activation": "Justeret hazard-ratio for jobstart efter anden gennemført aktivering "
    "(publiceret +27%)",
    "refusion": "Refusion 80/40/30/20% efter uger på ydelse (reformen i 2016)",
}
"""The calibration figures' names in Danish, by key (the analysis names them in English); others stay English."""
CALIBRATION_NOTES_DA: dict[str, str] = {
    "weekly rates from social assistance, stratified by week": "ugentlige rater fra kontanthjælp, stratificeret "
    "efter uge",
    "caseworker at week 0; shrunk (empirical Bayes)": "sagsbehandler i uge 0; krympet (empirisk Bayes)",
    "citizens on social assistance at least 80% of the first 65 weeks": "borgere på kontanthjælp mindst 80% af de "
    "første 65 uger",
    "an association in observed data: the study's adjusted hazard model; not the causal effect": "en sammenhæng i "
    "observerede data: undersøgelsens justerede hazard-model; ikke den kausale effekt",
    "skills, mentor and health support pooled, as published; an association, not the causal effect": "opkvalificering, "
    "mentor og sundhedsstøtte samlet, som publiceret; en sammenhæng, ikke den kausale effekt",
    "a rule of the model (rules.refusion_schedule), not an outcome": "en regel i modellen (rules.refusion_schedule), "
    "ikke et udfald",
}


def calibration_figure(key: str, figure: str, language: str) -> str:
    """A calibration figure's name in ``language`` (its English name where no Danish is declared)."""
    return CALIBRATION_DA.get(key, figure) if language == "da" else figure


def calibration_note(note: str, language: str) -> str:
    """A calibration note in ``language`` (as written where no Danish is declared)."""
    return CALIBRATION_NOTES_DA.get(note, note) if language == "da" else note


COMPARE_LABELS: dict[str, dict[str, str]] = {o.key: {"en": o.en, "da": o.da} for o in OUTCOMES if o.in_app}

_TERMS = {
    "status": {s.key: {"en": s.en, "da": s.da} for s in STATUSES},
    "indicator": {i.key: {"en": i.en, "da": i.da} for i in INDICATORS},
    "orientation": {o.key: {"en": o.en, "da": o.da} for o in ORIENTATIONS},
    "activity": {i.key: {"en": i.en, "da": i.da} for i in INTERVENTIONS},
    "event": {e.key: {"en": e.en, "da": e.da} for e in EVENT_KINDS},
    "benefit_code": {b.key: {"en": b.en, "da": b.da} for b in BENEFIT_CODES},
    "theme": {t.key: {"en": t.en, "da": t.da} for t in THEMES},
}


class _Numbers(string.Formatter):
    """Formats numbers as the language writes them: 4,000.5 in English, 4.000,5 in Danish."""

    def __init__(self, language: str) -> None:
        self.language = language

    def format_field(self, value: object, format_spec: str) -> str:
        text = format(value, format_spec)
        if self.language == "da" and isinstance(value, (int, float)) and not isinstance(value, bool):
            text = text.translate({ord(","): ".", ord("."): ","})
        return text


def number(value: float, language: str, format_spec: str = ",") -> str:
    """``value`` written as ``language`` writes numbers (``format_spec`` as in :func:`format`)."""
    return _Numbers(language).format_field(value, format_spec)


def has_word(key: str) -> bool:
    """Whether the app declares the word ``key`` (a new scenario group, say, may not have its words yet)."""
    return key in WORDS


def word(key: str, language: str, **values: object) -> str:
    """The app's word ``key`` in ``language``, formatted with ``values`` (numbers as the language writes them)."""
    text = WORDS[key].get(language) or WORDS[key]["en"]
    return _Numbers(language).format(text, **values) if values else text


def term(kind: str, key: str, language: str) -> str:
    """A domain term in ``language``.

    ``kind`` is ``status``, ``indicator``, ``orientation``, ``activity``, ``event``, ``benefit_code`` or ``theme``.
    """
    if kind == "status" and key == "exited":
        return word("exited", language)
    entry = _TERMS[kind].get(key)
    return entry[language] if entry else key.replace("_", " ")
