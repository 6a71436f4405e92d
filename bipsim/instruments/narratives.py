"""Interview narratives in the citizen's voice: a Jinja2 grammar of questions, answers and interpretations.

HOW IT WORKS. An interview is a list of turns: the interviewer asks, the citizen answers. What the citizen
tells (:class:`Told`) is decided by the interview instrument (:mod:`bipsim.instruments.interviews`): a topic
(a descriptive code, or the opening, the future and the barrier questions), the facts of the citizen's own
events as they remember them (counts, durations, interventions, sectors, tracks; maybe told late), and the
interpretive codes the answer voices (what it meant). This module only words it: the templates
``templates/citizen.da.j2`` and ``templates/citizen.en.j2`` hold, per topic, several realisations of the
question, the telling and each interpretation, and the citizen's own turns of phrase.

Every choice among realisations is a uniform number drawn by the instrument from its own random stream and
consumed in order by :class:`Chooser`. The Danish and English templates make the same choices in the same
order with the same number of options, so the two languages tell the same story, and the same seed tells it
again word for word.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import jinja2

from bipsim.contract.themes import SPOKEN_INTERVENTIONS
from bipsim.contract.vocabulary import ORIENTATION_KEYS, SECTORS

TEMPLATES = "templates"
SPEAKERS = {"da": ("Interviewer", "Borger"), "en": ("Interviewer", "Citizen")}
"""The names that open the interviewer's and the citizen's lines of a transcript, per language."""

SPOKEN_TRACKS: dict[str, dict[str, str]] = {
    "rehabilitation": {"da": "et ressourceforløb", "en": "a rehabilitation programme"},
    "flexi_job": {"da": "fleksjob", "en": "a flexi-job"},
    "disability_pension": {"da": "førtidspension", "en": "disability pension"},
    "education": {"da": "uddannelse", "en": "education"},
}
SPOKEN_SECTORS = {s.key: {"da": s.da.lower(), "en": s.en.lower()} for s in SECTORS}
NUMBERS = {
    "da": ("nul", "én", "to", "tre", "fire", "fem", "seks", "syv", "otte", "ni", "ti", "elleve", "tolv"),
    "en": ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"),
}
ORDINALS = {
    "da": ("første", "anden", "tredje", "fjerde", "femte", "sjette", "syvende", "ottende"),
    "en": ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth"),
}
FILLERS = {
    "da": ("altså", "ik'", "tja", "øh", "jo", "ligesom", "hm", "okay"),
    "en": ("well", "you know", "like", "er", "I mean", "sort of", "hm", "okay"),
}
"""Words a citizen leans on; each citizen has a few of them (the same positions in both languages)."""


@dataclass
class Told:
    """One thing the citizen tells: the topic, the facts as remembered, and the interpretive codes voiced."""

    topic: str
    facts: dict[str, Any] = field(default_factory=dict)
    meanings: tuple[str, ...] = ()
    silent: bool = False


class Chooser:
    """Choices among realisations, each taking the next of the given uniform numbers (reused cyclically)."""

    def __init__(self, uniforms: Sequence[float], fillers: Sequence[int], language: str) -> None:
        self.uniforms = uniforms
        self.position = 0
        self.fillers = [FILLERS[language][k] for k in fillers]

    def _next(self) -> float:
        value = self.uniforms[self.position % len(self.uniforms)]
        self.position += 1
        return float(value)

    def pick(self, *options: str) -> str:
        """One of ``options``."""
        return options[min(int(self._next() * len(options)), len(options) - 1)]

    def maybe(self, chance: float = 0.5) -> bool:
        """True with ``chance``."""
        return self._next() < chance

    def filler(self, chance: float = 0.3) -> str:
        """One of the citizen's own filler words with ``chance``, else nothing."""
        u = self._next()
        if u >= chance or not self.fillers:
            return ""
        return "«" + self.fillers[min(int(u / chance * len(self.fillers)), len(self.fillers) - 1)] + "»"


@cache
def environment() -> jinja2.Environment:
    """The Jinja2 environment of the interview templates (package data, strict about undefined names)."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader("bipsim.instruments", TEMPLATES),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        trim_blocks=False,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )


@cache
def grammar(language: str) -> Any:
    """The template module of ``language``: its macros ``question``, ``answer`` and ``meaning``."""
    return environment().get_template(f"citizen.{language}.j2").module


def number(n: int, language: str) -> str:
    """A small count as a word (``tre``, ``three``), a larger one as digits."""
    return NUMBERS[language][n] if 0 <= n < len(NUMBERS[language]) else str(n)


def ordinal(n: int, language: str) -> str:
    """The ``n``-th (1-based) as a word: ``tredje``, ``third``."""
    return ORDINALS[language][n - 1] if 1 <= n <= len(ORDINALS[language]) else f"{n}."


def duration(weeks: float, language: str) -> str:
    """A duration as a citizen says it: ``et par uger``, ``about two months``, ``over a year``."""
    months = weeks / 4.35
    if weeks < 1.5:
        return {"da": "en uges tid", "en": "a week or so"}[language]
    if weeks < 3.5:
        return {"da": "et par uger", "en": "a couple of weeks"}[language]
    if months < 1.5:
        return {"da": f"{number(round(weeks), 'da')} uger", "en": f"{number(round(weeks), 'en')} weeks"}[language]
    if months < 11:
        m = round(months)
        return {"da": f"omkring {number(m, 'da')} måneder", "en": f"about {number(m, 'en')} months"}[language]
    if months < 15:
        return {"da": "omkring et år", "en": "about a year"}[language]
    return {"da": "over et år", "en": "more than a year"}[language]


def listing(items: Sequence[str], language: str) -> str:
    """Items joined as speech: ``a, b og c``."""
    items = list(dict.fromkeys(items))
    if len(items) <= 1:
        return "".join(items)
    word = {"da": " og ", "en": " and "}[language]
    return ", ".join(items[:-1]) + word + items[-1]


def localise(facts: dict[str, Any], language: str) -> dict[str, Any]:
    """The facts of a telling as the templates read them in ``language`` (labels, counts and durations worded)."""
    out = dict(facts)
    n = int(facts.get("n", 0))
    out["n_word"] = number(n, language)
    out["activity"] = listing([SPOKEN_INTERVENTIONS[k][language] for k in facts.get("details", ())], language)
    out["sector"] = listing([SPOKEN_SECTORS[k][language] for k in facts.get("sectors", ())], language)
    out["track"] = listing([SPOKEN_TRACKS[k][language] for k in facts.get("tracks", ())], language)
    out["duration"] = duration(float(facts.get("weeks", 0)), language)
    out["caseworker_ordinal"] = ordinal(int(facts.get("caseworker_number", 1)), language)
    out.setdefault("late", False)
    return out


_SPACES = re.compile(r"\s+")
_LEAD = re.compile(r"‹([^›]+)›\s*([^\s,.;:?!]+)")
_FILLER = re.compile(r"«([^»]+)»\s*([^\s,.;:?!]+)")
_BEFORE_PUNCTUATION = re.compile(r"\s+([,.;:?!])")
_DOUBLE_COMMA = re.compile(r",\s*,")


def _after_filler(word: str) -> str:
    return word if word == "I" or word.startswith("I'") else word[:1].lower() + word[1:]


def tidy(text: str) -> str:
    """One line of speech: single spaces, no space before punctuation, a capital letter first."""
    text = _SPACES.sub(" ", text).strip()
    text = re.sub(r"(«[^»]+»)(\s*«[^»]+»)+", r"\1", text)  # one filler at a time
    text = _FILLER.sub(lambda m: f"{m.group(1)}, {_after_filler(m.group(2))}", text)
    text = _LEAD.sub(lambda m: f"{m.group(1)} {_after_filler(m.group(2))}", text)
    text = text.replace("«", "").replace("»", "").replace("‹", "").replace("›", "")
    text = _DOUBLE_COMMA.sub(",", _BEFORE_PUNCTUATION.sub(r"\1", text))
    text = re.sub(r"([.?!]\s+)([a-zæøå])", lambda m: m.group(1) + m.group(2).upper(), text)
    return text[:1].upper() + text[1:] if text else text


def render_question(
    topic: str, facts: dict[str, Any], citizen: dict[str, Any], uniforms: Sequence[float], language: str
) -> str:
    """The interviewer's question leading to ``topic`` (``since`` opens a later interview), in ``language``."""
    chooser = Chooser(uniforms, citizen["fillers"], language)
    return tidy(str(grammar(language).question(topic, facts, chooser)))


def render_answer(told: Told, citizen: dict[str, Any], uniforms: Sequence[float], language: str) -> str:
    """The citizen's answer for one telling, in ``language``: the telling, then what it meant (or a silence)."""
    module = grammar(language)
    chooser = Chooser(uniforms, citizen["fillers"], language)
    f = {**localise(told.facts, language), "orientation": citizen["orientation"]}
    if told.silent:
        return tidy(str(module.silence(told.topic, f, chooser)))
    parts = [str(module.answer(told.topic, f, chooser))]
    # an orientation is voiced by the telling itself (the opening answer), not by a sentence of its own
    parts += [
        str(module.meaning(code, told.topic, f, chooser)) for code in told.meanings if code not in ORIENTATION_KEYS
    ]
    return tidy(" ".join(parts))


SENTENCE = re.compile(r"(?<=[.!?])\s+")


def sentences(text: str) -> list[str]:
    """The sentences of a line of speech."""
    return [s for s in SENTENCE.split(text) if s]


def transcript(turns: Sequence[tuple[str, str]], language: str) -> str:
    """The interview as text: one line per turn, ``Interviewer: ...`` and ``Borger: ...`` (``Citizen: ...``)."""
    interviewer, citizen = SPEAKERS[language]
    lines = []
    for question, answer in turns:
        lines.append(f"{interviewer}: {question}")
        lines.append(f"{citizen}: {answer}")
    return "\n".join(lines)


def answer_spans(text: str) -> list[tuple[int, int]]:
    """Where each of the citizen's answers is in a transcript (the text after the speaker's name), in order."""
    spans, position = [], 0
    names = tuple(f"{s}: " for lang in SPEAKERS.values() for s in lang[1:])
    for line in text.split("\n"):
        for name in names:
            if line.startswith(name):
                spans.append((position + len(name), position + len(line)))
                break
        position += len(line) + 1
    return spans
