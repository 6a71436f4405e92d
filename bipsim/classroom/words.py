"""Words of class mode in English and Danish, as :mod:`bipsim.app.i18n` holds the sandbox's.

Domain terms (interventions, events, statuses, indicators) come from :func:`bipsim.app.i18n.term`. The
buttons of the interface contract keep their English names in both languages ("Start holdet · Start class"),
so a page and a browser test find them the same way.
"""

from __future__ import annotations

from bipsim.app.i18n import number, term

WORDS: dict[str, dict[str, str]] = {
    "teacher_title": {"en": "bipsim class · teacher", "da": "bipsim hold · underviser"},
    "student_title": {"en": "bipsim class · caseworker", "da": "bipsim hold · sagsbehandler"},
    "intro_teacher": {
        "en": "Each student takes over a caseload of simulated citizens in one shared jobcentre; the other "
        "caseworkers stay simulated. A round is a quarter (13 weeks).",
        "da": "Hver studerende overtager en sagsstamme af simulerede borgere i ét fælles jobcenter; de andre "
        "sagsbehandlere forbliver simulerede. En runde er et kvartal (13 uger).",
    },
    "scenario": {"en": "Scenario preset", "da": "Scenarie"},
    "start": {"en": "Start class", "da": "Start holdet · Start class"},
    "join": {"en": "Join", "da": "Deltag · Join"},
    "submit": {"en": "Submit decisions", "da": "Indsend beslutninger · Submit decisions"},
    "next": {"en": "Next round", "da": "Næste runde · Next round"},
    "reveal": {"en": "Reveal results", "da": "Vis resultater · Reveal results"},
    "download": {"en": "Download decisions and outcomes (CSV)", "da": "Hent beslutninger og udfald (CSV)"},
    "code": {"en": "Code", "da": "Kode (Code)"},
    "name": {"en": "Name", "da": "Navn (Name)"},
    "join_code": {"en": "Join code", "da": "Kode til at deltage"},
    "join_at": {"en": "Students open {url} and type the code.", "da": "De studerende åbner {url} og skriver koden."},
    "round_of": {"en": "Round {round} of {rounds} · week {week}", "da": "Runde {round} af {rounds} · uge {week}"},
    "finished": {"en": "All rounds are played.", "da": "Alle runder er spillet."},
    "revealed": {"en": "Results", "da": "Resultater"},
    "students_joined": {"en": "Students ({count} of {most})", "da": "Studerende ({count} af {most})"},
    "submitted": {"en": "submitted", "da": "indsendt"},
    "deciding": {"en": "still deciding", "da": "beslutter stadig"},
    "confirm_next": {
        "en": "Still deciding: {names}. Press Next round again to go on; they keep their draft if it is valid, "
        "else last round's meetings, exemptions and beliefs, else the jobcentre's standard procedure.",
        "da": "Beslutter stadig: {names}. Tryk Næste runde igen for at gå videre; de beholder deres kladde, hvis "
        "den er gyldig, ellers sidste rundes samtaler, fritagelser og tro, ellers jobcentrets standardprocedure.",
    },
    "advanced": {"en": "Round {round} was run.", "da": "Runde {round} er kørt."},
    "not_teacher": {
        "en": "This page needs the teacher's key: open the address bipsim class printed.",
        "da": "Denne side kræver underviserens nøgle: åbn adressen, som bipsim class skrev.",
    },
    "no_class": {"en": "No class has started yet. Wait for your teacher.", "da": "Holdet er ikke startet endnu."},
    "welcome": {"en": "Caseworker {name}", "da": "Sagsbehandler {name}"},
    "wait_next": {
        "en": "Decisions submitted. You may change them until the teacher starts the next round.",
        "da": "Beslutningerne er indsendt. Du kan ændre dem, indtil underviseren starter næste runde.",
    },
    "class_done": {
        "en": "The class is over: the teacher shows the results.",
        "da": "Holdet er slut: underviseren viser resultaterne.",
    },
    "capacity": {
        "en": "Meetings this round: {count} of {capacity} chosen.",
        "da": "Samtaler i denne runde: {count} af {capacity} valgt.",
    },
    "places": {"en": "Free places in the jobcentre now", "da": "Ledige pladser i jobcentret nu"},
    "queue": {"en": "waiting", "da": "venter"},
    "how_to": {
        "en": "For each citizen: meet them this quarter (at most {capacity}), offer job-focused help and/or "
        "support at the meeting (both at once: parallel; support now, job later: staircase), or exempt them "
        "from contact; and say how likely you think a job within a year is (0 to 1). An offer with no free "
        "place means waiting. Only you decide for your citizens: the jobcentre makes no offer or exemption of "
        "its own for them, and your belief stands until you change it.",
        "da": "For hver borger: hold en samtale i dette kvartal (højst {capacity}), tilbyd jobrettet hjælp "
        "og/eller støtte ved samtalen (begge på én gang: parallelt; støtte nu, job senere: trappetrin), eller "
        "frita for kontakt; og sig, hvor sandsynligt du tror, job inden for et år er (0 til 1). Et tilbud "
        "uden ledig plads betyder venteliste. Kun du beslutter for dine borgere: jobcentret giver dem hverken "
        "tilbud eller fritagelse af sig selv, og din tro står, indtil du ændrer den.",
    },
    "meet": {"en": "Meet", "da": "Samtale"},
    "exempt": {"en": "Exempt from contact", "da": "Fritag for kontakt"},
    "job_focused": {"en": "Job-focused help", "da": "Jobrettet hjælp"},
    "support": {"en": "Support", "da": "Støtte"},
    "belief": {"en": "Job within a year (0-1)", "da": "Job inden for et år (0-1)"},
    "none": {"en": "none", "da": "ingen"},
    "citizen": {"en": "Citizen #{id}", "da": "Borger #{id}"},
    "background": {
        "en": "{age} years, {sex}, {origin}; {qualification}{diagnoses}",
        "da": "{age} år, {sex}, {origin}; {qualification}{diagnoses}",
    },
    "female": {"en": "woman", "da": "kvinde"},
    "male": {"en": "man", "da": "mand"},
    "non_western": {"en": "non-western origin", "da": "ikke-vestlig oprindelse"},
    "danish_or_western": {"en": "Danish or western origin", "da": "dansk eller vestlig oprindelse"},
    "qualified": {"en": "vocational qualification", "da": "erhvervskompetencegivende uddannelse"},
    "unqualified": {"en": "no vocational qualification", "da": "ingen erhvervsuddannelse"},
    "psychiatric": {"en": "psychiatric diagnosis", "da": "psykiatrisk diagnose"},
    "musculoskeletal": {"en": "musculoskeletal disorder", "da": "bevægeapparatslidelse"},
    "children": {"en": "children at home", "da": "hjemmeboende børn"},
    "history": {
        "en": "Previous 5 years: {job:.0%} in job or education, {support:.0%} on public support.",
        "da": "Seneste 5 år: {job:.0%} i job eller uddannelse, {support:.0%} på offentlig forsørgelse.",
    },
    "register_now": {
        "en": "Register, week {week}: {code}; {weeks} weeks on benefit; {meetings} meetings with you.",
        "da": "Register, uge {week}: {code}; {weeks} uger på ydelse; {meetings} samtaler med dig.",
    },
    "running": {"en": "{help} until week {week}", "da": "{help} til uge {week}"},
    "waiting_for": {"en": "waiting for {help} since week {week}", "da": "venter på {help} siden uge {week}"},
    "exempt_until": {"en": "exempt from contact until week {week}", "da": "fritaget for kontakt til uge {week}"},
    "no_help": {"en": "no help running", "da": "ingen indsats i gang"},
    "survey_title": {
        "en": "Survey, wave {wave} (week {week}): citizen / caseworker side, 1-5",
        "da": "Spørgeskema, runde {wave} (uge {week}): borger / sagsbehandler, 1-5",
    },
    "no_survey": {"en": "No survey answers yet.", "da": "Ingen svar på spørgeskemaet endnu."},
    "events_title": {"en": "Since last round", "da": "Siden sidste runde"},
    "no_events": {"en": "Nothing recorded.", "da": "Intet registreret."},
    "note_title": {"en": "Note from the meeting in week {week}", "da": "Notat fra samtalen i uge {week}"},
    "happened_title": {"en": "What happened last quarter", "da": "Det skete i sidste kvartal"},
    # problems with decisions, and refusals
    "wrong_code": {"en": "That code is not this class's code.", "da": "Koden passer ikke til holdet."},
    "name_needed": {"en": "Type a name (at most {most} characters).", "da": "Skriv et navn (højst {most} tegn)."},
    "name_taken": {
        "en": "The name {name} is already taken in this class. If that is you, reopen your own page (its "
        "address holds your key); otherwise choose another name.",
        "da": "Navnet {name} er allerede taget på holdet. Er det dig, så åbn din egen side igen (adressen "
        "indeholder din nøgle); ellers vælg et andet navn.",
    },
    "class_full": {"en": "The class is full ({students} students).", "da": "Holdet er fuldt ({students} studerende)."},
    "class_over": {"en": "The class has finished its rounds.", "da": "Holdet har spillet alle runder."},
    "too_few_citizens": {
        "en": "The jobcentre has {available} citizens to hand over, not the {needed} the posts need: choose "
        "fewer students, a smaller caseload or more citizens.",
        "da": "Jobcentret har {available} borgere at overdrage, ikke de {needed}, stillingerne kræver: vælg "
        "færre studerende, en mindre sagsstamme eller flere borgere.",
    },
    "setting_error": {"en": "{key} {value}: allowed {allowed}.", "da": "{key} {value}: tilladt er {allowed}."},
    "no_round_open": {"en": "No round is open.", "da": "Ingen runde er åben."},
    "rounds_left": {
        "en": "{rounds} round(s) are still to be played.",
        "da": "{rounds} runde(r) mangler endnu at blive spillet.",
    },
    "unknown_student": {"en": "Join the class first.", "da": "Deltag i holdet først."},
    "round_moved": {
        "en": "The teacher started round {now} before your decisions for round {round} arrived; your page now "
        "shows round {now}.",
        "da": "Underviseren startede runde {now}, før dine beslutninger for runde {round} kom frem; siden "
        "viser nu runde {now}.",
    },
    "not_your_citizen": {"en": "Citizen #{citizen} is not on your caseload.", "da": "Borger #{citizen} er ikke din."},
    "decided_twice": {"en": "Citizen #{citizen} is decided twice.", "da": "Borger #{citizen} er besluttet to gange."},
    "belief_range": {
        "en": "Citizen #{citizen}: the belief {value} must be from 0 to 1.",
        "da": "Borger #{citizen}: troen {value} skal være fra 0 til 1.",
    },
    "unknown_help": {"en": "Citizen #{citizen}: no help called {value}.", "da": "Borger #{citizen}: ukendt {value}."},
    "slot_busy": {
        "en": "Citizen #{citizen} already has {running} running or waiting; choose none of that kind.",
        "da": "Borger #{citizen} har allerede {running} i gang eller på venteliste; vælg ingen af den slags.",
    },
    "exempt_and_meet": {
        "en": "Citizen #{citizen}: an exempted citizen is neither met nor offered anything.",
        "da": "Borger #{citizen}: en fritaget borger får hverken samtale eller tilbud.",
    },
    "offer_needs_meeting": {
        "en": "Citizen #{citizen}: an offer is made at a meeting; tick Meet or take the offer back.",
        "da": "Borger #{citizen}: et tilbud gives ved en samtale; vælg Samtale eller fjern tilbuddet.",
    },
    "over_capacity": {
        "en": "{count} meetings chosen, but you have time for {capacity} this round.",
        "da": "{count} samtaler valgt, men du har tid til {capacity} i denne runde.",
    },
    # what happened in a round
    "colleague_left": {
        "en": "{count} colleague(s) left the jobcentre; their caseloads went to newcomers.",
        "da": "{count} kollega(er) forlod jobcentret; deres sager gik til nyansatte.",
    },
    "post_moved": {
        "en": "Your post was reorganised: your citizens count it as a caseworker change and start again with you.",
        "da": "Din stilling blev omlagt: dine borgere oplever et sagsbehandlerskift og starter forfra med dig.",
    },
    "citizens_arrived": {"en": "New on your caseload: {citizens}.", "da": "Nye i din sagsstamme: {citizens}."},
    "citizens_left": {
        "en": "Left your caseload (a job, another caseworker or an exit): {citizens}.",
        "da": "Forlod din sagsstamme (job, anden sagsbehandler eller afgang): {citizens}.",
    },
    "citizens_waiting": {
        "en": "Waiting for a place now: {citizens}.",
        "da": "Venter på en plads nu: {citizens}.",
    },
    "demand_rose": {
        "en": "Labour demand rose from {before} to {now}.",
        "da": "Efterspørgslen på arbejdskraft steg fra {before} til {now}.",
    },
    "demand_fell": {
        "en": "Labour demand fell from {before} to {now}.",
        "da": "Efterspørgslen på arbejdskraft faldt fra {before} til {now}.",
    },
    "cycle_turned": {
        "en": "The business cycle turned: labour demand went from {before} to {now}.",
        "da": "Konjunkturen vendte: efterspørgslen på arbejdskraft gik fra {before} til {now}.",
    },
    # the debrief
    "debrief_outcomes": {
        "en": "Each caseload against its counterfactual (the same citizens under the standard procedure, with "
        "the same luck) and against the simulated caseworkers' citizens",
        "da": "Hver sagsstamme mod sit kontrafaktiske forløb (de samme borgere under standardproceduren, med "
        "samme held) og mod de simulerede sagsbehandleres borgere",
    },
    "debrief_beliefs": {
        "en": "Beliefs against what happened: share in a job within a year (BIP: 27% when the caseworker "
        "believed in a job, 1% when not)",
        "da": "Tro mod hvad der skete: andel i job inden for et år (BIP: 27% når sagsbehandleren troede på job, "
        "1% når ikke)",
    },
    "debrief_methods": {
        "en": "What the three methods recorded of the students' citizens, in the class and in its counterfactual",
        "da": "Hvad de tre metoder registrerede om de studerendes borgere, i holdet og i det kontrafaktiske forløb",
    },
    "debrief_trust": {
        "en": "Trust is the citizens' true trust in the jobcentre at the end of the rounds (0 to 1). No student saw "
        "it: their case files showed it only in what citizens said, such as a barrier placed in the system.",
        "da": "Tillid er borgernes sande tillid til jobcentret ved rundernes slutning (0 til 1). Ingen studerende så "
        "den: sagsakterne viste den kun i det, borgerne sagde, fx en barriere placeret i systemet.",
    },
    "method_survey": {"en": "Survey", "da": "Spørgeskema"},
    "method_register": {"en": "Register", "da": "Register"},
    "method_interviews": {"en": "Interviews", "da": "Interview"},
    "measure_mean_score_citizen": {"en": "Citizens' mean answer (1-5)", "da": "Borgernes gennemsnitlige svar (1-5)"},
    "measure_mean_score_caseworker": {
        "en": "Caseworker side's mean answer (1-5)",
        "da": "Sagsbehandlersidens gennemsnitlige svar (1-5)",
    },
    "measure_self_sufficiency": {
        "en": "Self-sufficiency degree over the year (share of weeks)",
        "da": "Selvforsørgelsesgrad over året (andel af uger)",
    },
    "measure_interviews": {"en": "Interviews held", "da": "Gennemførte interview"},
    "measure_theme_share": {"en": "Share of interviews on: {theme}", "da": "Andel af interview om: {theme}"},
    "rounds_done": {"en": "done with the rounds", "da": "færdig med runderne"},
    "group_class": {"en": "class", "da": "holdet"},
    "group_counterfactual": {"en": "counterfactual", "da": "kontrafaktisk"},
    "group_simulated": {"en": "simulated caseworkers", "da": "simulerede sagsbehandlere"},
    "col_student": {"en": "Student", "da": "Studerende"},
    "col_group": {"en": "Group", "da": "Gruppe"},
    "col_citizens": {"en": "Citizens", "da": "Borgere"},
    "col_job_within_year": {"en": "Job within a year", "da": "Job inden for et år"},
    "col_weeks_waiting": {"en": "Weeks waiting", "da": "Uger på venteliste"},
    "col_readiness_change": {"en": "Readiness change", "da": "Ændring i parathed"},
    "col_regressed": {"en": "Regressed", "da": "Gik tilbage"},
    "col_trust": {"en": "Trust", "da": "Tillid"},
    "col_believed": {"en": "Believed in a job", "da": "Troede på job"},
    "col_who": {"en": "Who", "da": "Hvem"},
    "col_world": {"en": "World", "da": "Verden"},
    "col_method": {"en": "Method", "da": "Metode"},
    "col_measure": {"en": "Measure", "da": "Mål"},
    "col_value": {"en": "Value", "da": "Værdi"},
    "yes": {"en": "yes", "da": "ja"},
    "no": {"en": "no", "da": "nej"},
    "whole_class": {"en": "the class", "da": "holdet"},
}


def word(key: str, language: str, **values: object) -> str:
    """Class mode's word ``key`` in ``language``, with ``values`` written as the language writes numbers."""
    entry = WORDS.get(key)
    if entry is None:
        return key
    text = entry.get(language) or entry["en"]
    if not values:
        return text
    shown = {k: number(v, language) if isinstance(v, int) and not isinstance(v, bool) else v for k, v in values.items()}
    try:
        return text.format(**shown)
    except (KeyError, ValueError):
        return text.format(**values)


def help_name(key: str, language: str) -> str:
    """An intervention's name (or "none")."""
    return word("none", language) if key == "none" else term("activity", key, language)
