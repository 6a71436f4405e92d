"""The class's two pages (Panel): the teacher's at ``/class/teacher`` and the students' at ``/class/join``.

Both pages read one :class:`Classroom`, the server's only state. A student's page shows only that student's
post: their case files, their decisions and what happened to them; nothing one student types is shown on
another student's page, and the debrief is on the teacher's page alone. The teacher's page needs the
teacher's key in its address (``?key=...``), printed by ``bipsim class``. Each page checks every second
whether the class has moved on and redraws itself when it has.
"""

from __future__ import annotations

import html
import io
import secrets
from dataclasses import dataclass, field
from pathlib import Path

import panel as pn

from bipsim.app.i18n import number, term
from bipsim.classroom.decisions import JOB_FOCUSED_KEYS, NONE, SUPPORT_KEYS, Decision, Problem
from bipsim.classroom.session import ClassError, ClassSession
from bipsim.classroom.settings import SETTINGS, ClassSettings, SettingError
from bipsim.classroom.words import help_name, word
from bipsim.contract.vocabulary import INDICATOR_KEYS
from bipsim.scenario import builtin_scenarios

REFRESH_MS = 1000
LANGUAGE_SWITCH = {"English": "en", "Dansk": "da"}


@dataclass
class Classroom:
    """The server's state: the class (once the teacher has started it), the teacher's key and the save folder."""

    folder: Path | None = None
    teacher_key: str = field(default_factory=lambda: secrets.token_urlsafe(12))
    session: ClassSession | None = None
    defaults: ClassSettings = field(default_factory=ClassSettings)


def _query(name: str) -> str | None:
    args = pn.state.session_args or {}
    values = args.get(name)
    return values[0].decode() if values else None


def _message(key: str, language: str, values: dict | None = None) -> str:
    return html.escape(word(key, language, **(values or {})))


ALERT_COLOURS = {
    "danger": ("#f8d7da", "#842029"),
    "warning": ("#fff3cd", "#664d03"),
    "success": ("#d1e7dd", "#0f5132"),
    "info": ("#cff4fc", "#055160"),
}
"""Background and text colour of each kind of message (Bootstrap's alert colours)."""


def _alert(problems: list[Problem] | list[tuple[str, dict]], language: str, kind: str = "danger") -> str:
    items = [(p.key, p.values) if isinstance(p, Problem) else p for p in problems]
    lines = "".join(f"<li>{_message(k, language, v)}</li>" for k, v in items)
    background, colour = ALERT_COLOURS[kind]
    style = f"background:{background};color:{colour};border-radius:4px;padding:4px 12px"
    return f'<div class="class-alert alert-{kind}" style="{style}"><ul>{lines}</ul></div>' if items else ""


class Message:
    """A page's message, kept as word keys and values so that it is worded again when the language changes."""

    def __init__(self, css_class: str, switch: pn.widgets.RadioButtonGroup) -> None:
        self.pane = pn.pane.HTML(css_classes=[css_class], sizing_mode="stretch_width")
        self.switch = switch
        self.items: list = []
        self.kind = "danger"
        switch.param.watch(lambda _event: self._draw(), "value")

    def say(self, items: list[Problem] | list[tuple[str, dict]], kind: str = "danger") -> None:
        self.items, self.kind = list(items), kind
        self._draw()

    def clear(self) -> None:
        self.say([])

    def _draw(self) -> None:
        self.pane.object = _alert(self.items, self.switch.value, self.kind)


def _progress(s: ClassSession, slot: int) -> str:
    """Where a student is: the word for submitted or still deciding in a round, or done after the last one."""
    if s.phase != "deciding":
        return "rounds_done"
    return "submitted" if slot in s.submitted else "deciding"


def _header(title_key: str, switch: pn.widgets.RadioButtonGroup) -> pn.Row:
    title = pn.pane.HTML(sizing_mode="stretch_width")
    title.object = f"<h2>{word(title_key, switch.value)}</h2>"
    switch.param.watch(lambda e: setattr(title, "object", f"<h2>{word(title_key, e.new)}</h2>"), "value")
    return pn.Row(title, switch, sizing_mode="stretch_width")


# --- the teacher's page -----------------------------------------------------------------------------------------
class TeacherPage:
    """Setting up the class, the join code, the rounds and the debrief."""

    def __init__(self, room: Classroom) -> None:
        self.room = room
        self.switch = pn.widgets.RadioButtonGroup(options=LANGUAGE_SWITCH, value="en", color="light")
        d = room.defaults
        self.scenario = pn.widgets.Select(options=sorted(builtin_scenarios()), value=d.scenario, width=220)
        self.inputs = {
            s.key: pn.widgets.IntInput(value=getattr(d, s.key), start=s.low, end=s.high, width=220) for s in SETTINGS
        }
        self.start = pn.widgets.Button(color="primary", css_classes=["start-class"])
        self.next = pn.widgets.Button(color="primary", css_classes=["next-round"])
        self.reveal = pn.widgets.Button(color="success", css_classes=["reveal-results"])
        self.download = pn.widgets.FileDownload(callback=self._csv, filename="class-decisions-outcomes.csv")
        self.message = Message("teacher-message", self.switch)
        self.status = pn.pane.HTML(css_classes=["class-status"], sizing_mode="stretch_width")
        self.debrief = pn.Column(css_classes=["debrief"], sizing_mode="stretch_width")
        self.setup = pn.Column(self.scenario, *self.inputs.values(), self.start)
        self.confirming = False
        self.start.on_click(self._start)
        self.next.on_click(self._next)
        self.reveal.on_click(self._reveal)
        self.switch.param.watch(lambda e: self.redraw(), "value")
        self.shown: tuple | None = None
        self.redraw()

    def view(self) -> pn.viewable.Viewable:
        if _query("key") != self.room.teacher_key:
            return pn.Column(pn.pane.HTML(f"<p>{word('not_teacher', 'en')}</p><p>{word('not_teacher', 'da')}</p>"))
        pn.state.add_periodic_callback(self._tick, period=REFRESH_MS)
        return pn.Column(
            _header("teacher_title", self.switch),
            self.status,
            self.setup,
            pn.Row(self.next, self.reveal, self.download),
            self.message.pane,
            self.debrief,
            sizing_mode="stretch_width",
        )

    def redraw(self) -> None:
        language, s = self.switch.value, self.room.session
        self.scenario.label = word("scenario", language)
        for setting in SETTINGS:
            self.inputs[setting.key].label = setting.da if language == "da" else setting.en
        for button, key in ((self.start, "start"), (self.next, "next"), (self.reveal, "reveal")):
            button.label = word(key, language)
        self.download.label = word("download", language)
        self.setup.visible = s is None
        self.next.visible = s is not None and s.phase == "deciding"
        self.reveal.visible = s is not None and s.phase in ("finished", "revealed")
        self.download.visible = s is not None and s.phase == "revealed"
        if s is None:
            self.status.object = f"<p>{_message('intro_teacher', language)}</p>"
            return
        self.status.object = self._status(s, language)
        if s.phase == "revealed" and s.debrief is not None:
            self._show_debrief(language)
        self.shown = (s.round, s.phase, len(s.students), len(s.submitted), language)

    def _status(self, s: ClassSession, language: str) -> str:
        if s.phase == "deciding":
            where = word("round_of", language, round=s.round, rounds=s.settings.rounds, week=s.model.week)
        else:
            where = word("finished", language)
        rows = "".join(
            f"<li>{html.escape(st.name)}: {word(_progress(s, st.slot), language)}</li>"
            for st in sorted(s.students.values(), key=lambda st: st.slot)
        )
        joined = word("students_joined", language, count=len(s.students), most=s.settings.students)
        return (
            f'<p>{word("join_code", language)}: <b><span id="join-code" style="font-size:2em">{s.code}</span></b> · '
            f"{_message('join_at', language, {'url': '/class/join'})}</p><h3>{html.escape(where)}</h3>"
            f"<p>{joined}</p><ul class='student-list'>{rows}</ul>"
        )

    def _tick(self) -> None:
        s = self.room.session
        if s is not None and self.shown != (s.round, s.phase, len(s.students), len(s.submitted), self.switch.value):
            self.redraw()

    def _start(self, _event: object) -> None:
        if self.room.session is not None:
            self.redraw()
            return
        values = {k: w.value for k, w in self.inputs.items()}
        try:
            settings = ClassSettings(scenario=self.scenario.value, **values).check()
            self.room.session = ClassSession(settings, folder=self.room.folder)
            self.room.session.save()
        except SettingError as exc:
            self.message.say([("setting_error", {"key": exc.key, "value": exc.value, "allowed": exc.allowed})])
            return
        except ClassError as exc:
            self.message.say([(exc.key, exc.values)])
            return
        self.message.clear()
        self.redraw()

    def _next(self, _event: object) -> None:
        s = self.room.session
        if s is None:
            return
        try:
            pending = s.advance(confirm=self.confirming)
        except ClassError as exc:
            self.message.say([(exc.key, exc.values)])
            return
        if pending and not self.confirming:
            self.confirming = True
            self.message.say([("confirm_next", {"names": ", ".join(pending)})], "warning")
            return
        self.confirming = False
        self.message.say([("advanced", {"round": s.round - 1})], "success")
        self.redraw()

    def _reveal(self, _event: object) -> None:
        s = self.room.session
        try:
            s.reveal()
        except ClassError as exc:
            self.message.say([(exc.key, exc.values)])
            return
        self.message.clear()
        self.redraw()

    def _csv(self) -> io.BytesIO:
        s = self.room.session
        table = s.debrief.table if s is not None and s.debrief is not None else None
        return io.BytesIO(b"" if table is None else table.to_csv(index=False).encode("utf-8"))

    def _show_debrief(self, language: str) -> None:
        d = self.room.session.debrief
        outcomes = d.outcomes.copy()
        outcomes["group"] = [word(f"group_{g}", language) for g in outcomes["group"]]
        outcomes = outcomes.rename(columns={c: word(f"col_{c}", language) for c in outcomes.columns})
        beliefs = d.beliefs.copy()
        beliefs["who"] = [
            word("whole_class", language)
            if w == "class"
            else word("group_simulated", language)
            if w == "simulated"
            else w
            for w in beliefs["who"]
        ]
        beliefs["believed"] = [word("yes" if b else "no", language) for b in beliefs["believed"]]
        beliefs = beliefs.rename(columns={c: word(f"col_{c}", language) for c in beliefs.columns})
        self.debrief.objects = [
            pn.pane.HTML(f"<h3>{_message('debrief_outcomes', language)}</h3>"),
            pn.pane.HTML(_table_html(outcomes, language), css_classes=["debrief-outcomes"]),
            pn.pane.HTML(f"<p><i>{_message('debrief_trust', language)}</i></p>"),
            _outcome_figure(d.outcomes, language),
            pn.pane.HTML(f"<h3>{_message('debrief_beliefs', language)}</h3>"),
            pn.pane.HTML(_table_html(beliefs, language), css_classes=["debrief-beliefs"]),
            pn.pane.HTML(f"<h3>{_message('debrief_methods', language)}</h3>"),
            pn.pane.HTML(
                _table_html(_methods_shown(d.methods_overview(), language), language), css_classes=["debrief-methods"]
            ),
        ]


TABLE_STYLE = (
    "<style>table.debrief-table{border-collapse:collapse;margin:4px 0}"
    "table.debrief-table th,table.debrief-table td{padding:3px 10px;border-bottom:1px solid #ddd;text-align:left}"
    "table.debrief-table th{border-bottom:2px solid #999}</style>"
)
"""How the debrief's tables look: plain rows, left-aligned, as a table in a report."""


def _table_html(table, language: str) -> str:  # noqa: ANN001
    """A debrief table as HTML, its numbers written as ``language`` writes them (two decimals; "–" if none)."""
    body = table.to_html(
        index=False, border=0, classes="debrief-table", float_format=lambda v: number(v, language, ".2f"), na_rep="–"
    )
    return TABLE_STYLE + body


def _methods_shown(overview, language: str):  # noqa: ANN001, ANN202
    """The methods overview with its declared labels: method, measure (a theme by its name) and the two worlds."""
    shown = overview.copy()
    shown["measure"] = [
        word(f"measure_{m}", language, theme=term("theme", theme, language))
        for m, theme in zip(shown["measure"], shown["theme"], strict=True)
    ]
    shown["method"] = [word(f"method_{m}", language) for m in shown["method"]]
    counts = overview["measure"] == "interviews"
    for world in ("class", "counterfactual"):  # a count is written as a whole number, a mean or share with two decimals
        shown[world] = [
            "–" if v != v else number(int(v), language) if count else number(v, language, ".2f")
            for v, count in zip(overview[world], counts, strict=True)
        ]
    shown = shown.drop(columns="theme")
    return shown.rename(
        columns={"method": word("col_method", language), "measure": word("col_measure", language)}
        | {w: word(f"group_{w}", language) for w in ("class", "counterfactual")}
    )


DECIMAL_TICK_JS = {"en": "tick.toFixed(2)", "da": "tick.toFixed(2).replace('.', ',')"}
"""The chart's tick labels as each language writes a decimal number (JavaScript, run in the browser)."""


def _outcome_figure(outcomes, language: str) -> pn.viewable.Viewable:  # noqa: ANN001
    """Share in a job within a year, each student's caseload against its counterfactual (hvplot bars).

    The columns are renamed to their labels first, so the axes and the legend's title speak the page's language.
    """
    import hvplot.pandas  # noqa: F401 - registers .hvplot
    from bokeh.models import CustomJSTickFormatter

    students = outcomes[outcomes["group"] != "simulated"].copy()
    students["group"] = [word(f"group_{g}", language) for g in students["group"]]
    labels = {c: word(f"col_{c}", language) for c in ("student", "group", "job_within_year")}
    students = students[list(labels)].rename(columns=labels)
    plot = students.hvplot.bar(
        x=labels["student"],
        y=labels["job_within_year"],
        by=labels["group"],
        ylabel=labels["job_within_year"],
        xlabel=labels["student"],
        legend="top_right",
        yformatter=CustomJSTickFormatter(code=f"return {DECIMAL_TICK_JS[language]};"),
        height=300,
        width=700,
    )
    return pn.pane.HoloViews(plot, css_classes=["fig-debrief"])


# --- a student's page -------------------------------------------------------------------------------------------
class StudentPage:
    """Joining, then the student's own caseload: case files, decisions, and what happened to them."""

    def __init__(self, room: Classroom) -> None:
        self.room = room
        self.switch = pn.widgets.RadioButtonGroup(options=LANGUAGE_SWITCH, value="en", color="light")
        self.code = pn.widgets.TextInput(css_classes=["join-code-input"], width=200)
        self.name = pn.widgets.TextInput(css_classes=["join-name-input"], width=200)
        self.join = pn.widgets.Button(color="primary", css_classes=["join-button"])
        self.submit = pn.widgets.Button(color="primary", css_classes=["submit-decisions"])
        self.message = Message("student-message", self.switch)
        self.body = pn.Column(sizing_mode="stretch_width")
        self.key = _query("key")
        self.rows: dict[int, dict[str, pn.widgets.Widget]] = {}
        self.shown: tuple | None = None
        self.join.on_click(self._join)
        self.submit.on_click(self._submit)
        self.switch.param.watch(lambda e: self.redraw(force=True), "value")

    def view(self) -> pn.viewable.Viewable:
        pn.state.add_periodic_callback(self._tick, period=REFRESH_MS)
        self.redraw(force=True)
        return pn.Column(
            _header("student_title", self.switch), self.body, self.message.pane, sizing_mode="stretch_width"
        )

    @property
    def me(self):  # noqa: ANN201
        s = self.room.session
        return None if s is None else s.student(self.key)

    def _tick(self) -> None:
        s = self.room.session
        if s is not None and self.me is not None and self.shown != (s.round, s.phase):
            self.message.clear()
            self.redraw(force=True)

    def redraw(self, force: bool = False) -> None:
        language, s, me = self.switch.value, self.room.session, self.me
        self.code.label, self.name.label = word("code", language), word("name", language)
        self.join.label, self.submit.label = word("join", language), word("submit", language)
        if me is None:
            self.body.objects = [pn.Column(self.code, self.name, self.join)]
            return
        self.shown = (s.round, s.phase)
        header = pn.pane.HTML(f"<h3>{_message('welcome', language, {'name': me.name})}</h3>")
        if s.phase != "deciding":
            self.body.objects = [header, pn.pane.HTML(f"<p>{_message('class_done', language)}</p>")]
            return
        where = word("round_of", language, round=s.round, rounds=s.settings.rounds, week=s.model.week)
        notices = s.notices(me.slot)
        happened = (
            f"<h4>{_message('happened_title', language)}</h4>{_alert(notices, language, 'info')}" if notices else ""
        )
        places = s.free_places()
        queued = s.queued()
        place_rows = "".join(
            f"<li>{html.escape(term('activity', k, language))}: {v} ({queued[k]} {word('queue', language)})</li>"
            for k, v in places.items()
        )
        info = pn.pane.HTML(
            f"<h4>{html.escape(where)}</h4>{happened}"
            f"<p>{_message('how_to', language, {'capacity': s.settings.meetings})}"
            f"</p><details><summary>{_message('places', language)}</summary><ul>{place_rows}</ul></details>",
            sizing_mode="stretch_width",
        )
        previous = {d.citizen: d for d in s.drafts.get(me.slot, [])}
        self.rows = {}
        self.capacity = pn.pane.HTML(css_classes=["capacity"])
        cards = [self._card(f, previous.get(f.citizen), language) for f in s.files(me.slot)]
        self._count()
        self.body.objects = [header, info, self.capacity, *cards, self.submit]

    def _card(self, f, previous: Decision | None, language: str) -> pn.Column:  # noqa: ANN001
        p = previous or Decision(f.citizen)
        options = {help_name(k, language): k for k in (NONE, *JOB_FOCUSED_KEYS)}
        support = {help_name(k, language): k for k in (NONE, *SUPPORT_KEYS)}
        widgets = {
            "meet": pn.widgets.Checkbox(label=word("meet", language), value=p.meet, css_classes=["meet"]),
            "job_focused": pn.widgets.Select(
                label=word("job_focused", language),
                options=options,
                value=p.job_focused,
                css_classes=["job-focused"],
                width=220,
            ),
            "support": pn.widgets.Select(
                label=word("support", language), options=support, value=p.support, css_classes=["support"], width=220
            ),
            "exempt": pn.widgets.Checkbox(label=word("exempt", language), value=p.exempt, css_classes=["exempt"]),
            "belief": pn.widgets.FloatInput(
                label=word("belief", language),
                value=p.belief,
                start=0.0,
                end=1.0,
                step=0.05,
                css_classes=["belief"],
                width=160,
            ),
        }
        for w in widgets.values():
            w.param.watch(lambda e: self._changed(), "value")
        self.rows[f.citizen] = widgets
        return pn.Column(
            pn.pane.HTML(_case_html(f, language), sizing_mode="stretch_width"),
            pn.Row(widgets["meet"], widgets["job_focused"], widgets["support"], widgets["exempt"], widgets["belief"]),
            css_classes=["citizen", f"citizen-{f.citizen}"],
            sizing_mode="stretch_width",
            styles={"border": "1px solid #ccc", "padding": "6px", "margin": "4px 0"},
        )

    def decisions(self) -> list[Decision]:
        return [
            Decision(
                citizen,
                meet=bool(w["meet"].value),
                job_focused=w["job_focused"].value,
                support=w["support"].value,
                exempt=bool(w["exempt"].value),
                belief=float(w["belief"].value if w["belief"].value is not None else 0.5),
            )
            for citizen, w in self.rows.items()
        ]

    def _count(self) -> None:
        s = self.room.session
        chosen = sum(bool(w["meet"].value) for w in self.rows.values())
        self.capacity.object = (
            f"<b>{_message('capacity', self.switch.value, {'count': chosen, 'capacity': s.settings.meetings})}</b>"
        )

    def _changed(self) -> None:
        s, me = self.room.session, self.me
        self._count()
        if s is not None and me is not None:
            s.save_draft(me.key, s.round, self.decisions())

    def _join(self, _event: object) -> None:
        s = self.room.session
        if s is None:
            self.message.say([("no_class", {})])
            return
        try:
            student = s.join(self.code.value, self.name.value)
        except ClassError as exc:
            self.message.say([(exc.key, exc.values)])
            return
        self.key = student.key
        if pn.state.location is not None:
            pn.state.location.search = f"?key={student.key}"
        self.message.clear()
        self.rows = {}
        self.redraw(force=True)

    def _submit(self, _event: object) -> None:
        s, me = self.room.session, self.me
        if s is None or me is None:
            return
        round_number = self.shown[0] if self.shown else s.round
        problems = s.submit(me.key, round_number, self.decisions())
        if problems:
            self.message.say(problems)
            if any(p.key == "round_moved" for p in problems):
                self.redraw(force=True)
            return
        self.message.say([("wait_next", {})], "success")


def _case_html(f, language: str) -> str:  # noqa: ANN001
    """A case file as the student reads it."""
    b, e = f.background, html.escape
    diagnoses = "".join(
        f", {word(k, language)}"
        for k, flag in (
            ("psychiatric", b.get("psychiatric_diagnosis")),
            ("musculoskeletal", b.get("musculoskeletal_disorder")),
            ("children", b.get("children")),
        )
        if flag
    )
    who = word(
        "background",
        language,
        age=b.get("age"),
        sex=word(str(b.get("sex")), language),
        origin=word(str(b.get("origin")), language),
        qualification=word("qualified" if b.get("vocational_qualification") else "unqualified", language),
        diagnoses=diagnoses,
    )
    parts = [f"<b>{e(word('citizen', language, id=f.citizen))}</b> · {e(who)}"]
    if f.history:
        parts.append(
            e(word("history", language, job=f.history["job_education_share"], support=f.history["support_share"]))
        )
    case = f.case
    parts.append(
        e(
            word(
                "register_now",
                language,
                week=f.register["week"],
                code=term("benefit_code", f.register["benefit_code"], language),
                weeks=case["benefit_weeks"],
                meetings=case["meetings_with_you"],
            )
        )
    )
    helps = [
        word(
            "running" if state == "running" else "waiting_for",
            language,
            help=term("activity", key, language),
            week=week,
        )
        for key, state, week in case["help"].values()
    ]
    if case["exempt_until"]:
        helps.append(word("exempt_until", language, week=case["exempt_until"]))
    parts.append(e("; ".join(helps) if helps else word("no_help", language)))
    survey = f.survey
    if survey["answers"]:
        cells = "".join(
            f"<tr><td>{e(term('indicator', k, language))}</td>"
            f"<td>{_score(v['citizen'])}</td><td>{_score(v['caseworker'])}</td></tr>"
            for k in INDICATOR_KEYS
            if (v := survey["answers"].get(k))
        )
        table = f"<table class='survey'>{cells}</table>"
        parts.append(
            f"<details><summary>{e(word('survey_title', language, wave=survey['wave'], week=survey['week']))}"
            f"</summary>{table}</details>"
        )
    else:
        parts.append(e(word("no_survey", language)))
    if f.events:
        items = "".join(
            f"<li>{week}: {e(term('event', kind, language))}"
            f"{' – ' + e(_detail(kind, detail, language)) if detail else ''}</li>"
            for week, kind, detail in f.events
        )
        parts.append(f"<details><summary>{e(word('events_title', language))}</summary><ul>{items}</ul></details>")
    if f.note:
        parts.append(f"<i>{e(word('note_title', language, week=f.note['week']))}:</i> “{e(f.note[language])}”")
    return "<br>".join(parts)


def _score(value: int | None) -> str:
    return "–" if value is None else str(value)


def _detail(kind: str, detail: str, language: str) -> str:
    if kind == "status_change":
        return term("status", detail, language)
    if kind in ("waiting_start", "waiting_end", "intervention_start", "intervention_end"):
        return term("activity", detail, language)
    return ""
