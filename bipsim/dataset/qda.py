"""A bundle's interviews as a REFI-QDA project, and the scoring of a project a student coded.

Qualitative researchers code interviews in NVivo, ATLAS.ti, MAXQDA or QualCoder; these programs exchange
projects in the REFI-QDA format (``.qdpx``): a zip holding ``project.qde``, XML in the
``urn:QDA-XML:project:1.0`` namespace (schema: ``Project-mrt2019.xsd`` of the REFI-QDA standard), and the
transcripts as plain-text files under ``sources/``.

WHAT IS EXPORTED (:func:`export_project`)
- the codebook (:data:`bipsim.contract.themes.THEMES`): descriptive and interpretive codes, each under its
  kind (a code that only groups, ``isCodable="false"``), named in the chosen language, defined in both;
- one Case per interviewed citizen, with the variables register id and jobcentre (with ``truth``, also the
  citizen's orientation, which is truth in bipsim: ``truth/citizens``);
- one text source per interview (the transcript in the chosen language: one turn a line, the interviewer's
  questions and the citizen's answers), with its wave and week as variables;
- every coder as a REFI-QDA User and every coding as a PlainTextSelection made by that user, holding one
  Coding of the code. The bundle's two coders (``interview_codings``) are the users "coder A" and "coder B";
  a bundle without that table has one user, "observed coder", with the interviews' ``themes``. With
  ``truth`` the true codes (``truth/interview_themes``: what the answers voice) are added as the user
  "truth", so a teacher can reveal them in the QDA program.

WHICH TEXT A CODING SELECTS. A coding belongs to an answer (its ``turn``: 0 is the first answer); it selects
that answer's line after the speaker's name. A coding without a turn, or a transcript that is not one turn a
line (an edited transcript, real interviews of another shape), selects the whole transcript.

GUIDS are uuid5 of the bundle's identity (a hash of its tables' sha256) and the object, so the same bundle
always gives the same project, byte for byte (the zip's dates are the bundle's creation time).

SCORING (:func:`score_project`) reads a project back, maybe after a student coded it in their own program,
and compares each user's codings with the truth (the codes the answers voice), per code over the interviews:
did the user apply the code to the interview at all (where in it does not count). Kappa is Cohen's kappa of that yes/no
against the truth; precision and recall are of the user's yes; "missed" lists the interviews the truth
codes and the user does not. The truth is the bundle's (``bundle``) or, without one, the user "truth" in
the project itself. Codes are recognised by guid, key or label (English or Danish), sources by guid or by
the name the export gave them (QDA programs keep names, and may make new guids).
"""

from __future__ import annotations

import hashlib
import io
import json
import math
import os
import re
import uuid
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from xml.etree import ElementTree as ET

import pandas as pd

from bipsim.contract.themes import CODE_KINDS, THEMES
from bipsim.contract.vocabulary import ORIENTATIONS, Term
from bipsim.dataset.bundle import Bundle

NAMESPACE = "urn:QDA-XML:project:1.0"
PROJECT_FILE = "project.qde"
SOURCES_FOLDER = "sources"
LANGUAGES = ("en", "da")
OBSERVED_CODER = "observed"
TRUTH_USER = "truth"
USERS = {"coder_a": "coder A", "coder_b": "coder B", OBSERVED_CODER: "observed coder", TRUTH_USER: "truth"}
"""The users of an export by id: one per coder of the interviews, and the truth."""
GROUP_COLOURS = {"descriptive": "#4f81bd", "interpretive": "#c0504d"}
INTERVIEWER = "Interviewer: "
"""How the interviewer's lines of a transcript begin; every other line is an answer (``Name: answer``)."""
MAX_PROJECT_BYTES = 200 * 2**20
"""The largest ``project.qde`` read: a study of hundreds of interviews is a few MB; more is not a project."""
NAMES = {
    "en": {"project": "bipsim interviews", "case": "Citizen {citizen}", "source": "Citizen {citizen}, wave {wave}"},
    "da": {"project": "bipsim-interview", "case": "Borger {citizen}", "source": "Borger {citizen}, runde {wave}"},
}
SOURCE_NAME = re.compile(r"(?:citizen|borger)\s*(\d+)\D*?(?:wave|runde)\s*(\d+)", re.IGNORECASE)
"""An interview's source name as exported (either language); QDA programs may append to it."""
VARIABLES = {
    "register_id": ("Integer", "Register id (citizen_id)", "Registernummer (citizen_id)"),
    "jobcentre": ("Integer", "Jobcentre", "Jobcenter"),
    "orientation": ("Text", "Orientation (truth)", "Orientering (sandhed)"),
    "wave": ("Integer", "Interview wave", "Interviewrunde"),
    "week": ("Integer", "Week of the interview", "Interviewets uge"),
}
"""Variables by key: REFI-QDA type, English and Danish name. Cases carry the first three, sources the rest."""


class QdaError(ValueError):
    """A project or bundle that cannot be exported or scored; the message names the file and the problem."""


def _tag(name: str) -> str:
    """An element's name as read: qualified by the REFI-QDA namespace."""
    return f"{{{NAMESPACE}}}{name}"


# --- the codings of a bundle -------------------------------------------------------------------------------


def bundle_identity(bundle: Bundle) -> str:
    """The bundle's identity for guids: a hash of its tables' sha256, so equal bundles get equal guids."""
    digests = sorted(f"{key}:{entry['sha256']}" for key, entry in bundle.manifest["tables"].items())
    return hashlib.sha256("\n".join(digests).encode()).hexdigest()


def coders(bundle: Bundle) -> dict[str, pd.DataFrame]:
    """Each coder's codings of the interviews by user id: ``citizen_id, wave, turn, theme``, one row per coding.

    The bundle's ``interview_codings`` hold two coders; without that table, the ``interviews``' ``themes``
    are one coder's (turn unknown).
    """
    codings = bundle.tables.get("interview_codings")
    if codings is None:
        return {OBSERVED_CODER: _long_themes(bundle.interviews)}
    return {
        str(coder): rows[["citizen_id", "wave", "turn", "theme"]].astype({"theme": str}).reset_index(drop=True)
        for coder, rows in codings.groupby("coder", observed=True, sort=True)
    }


def truth_codings(bundle: Bundle) -> pd.DataFrame:
    """The interviews' true codes, what the answers voice: ``citizen_id, wave, turn, theme``.

    From ``truth/interview_themes``; a bundle without it codes without error, so its ``themes`` are the truth.
    """
    if "interview_themes" not in bundle.truth.names:
        return _long_themes(bundle.interviews)
    themes = bundle.truth.interview_themes
    voiced = themes[themes["voiced"].to_numpy(bool)]
    return voiced[["citizen_id", "wave", "turn", "theme"]].astype({"theme": str}).reset_index(drop=True)


def _long_themes(interviews: pd.DataFrame) -> pd.DataFrame:
    rows = [
        (int(row.citizen_id), int(row.wave), None, str(theme))
        for row in interviews.itertuples(index=False)
        for theme in row.themes
    ]
    return pd.DataFrame(rows, columns=["citizen_id", "wave", "turn", "theme"])


# --- where an answer is ----------------------------------------------------------------------------------------


def answer_spans(text: str) -> list[tuple[int, int]]:
    """Where each answer of a transcript is: ``(start, end)`` of the text after the speaker's name, in order.

    Empty when the transcript is not one turn a line beginning with the interviewer (then codings select the
    whole transcript).
    """
    lines = text.split("\n")
    if not lines[0].startswith(INTERVIEWER):
        return []
    spans, position = [], 0
    for line in lines:
        if not line.startswith(INTERVIEWER):
            name, colon, _ = line.partition(": ")
            if not colon:
                return []
            spans.append((position + len(name) + 2, position + len(line)))
        position += len(line) + 1
    return spans


def coding_span(text: str, turn: object) -> tuple[int, int]:
    """The characters a coding of answer ``turn`` selects (the whole transcript when the turn is unknown)."""
    spans = answer_spans(text)
    if turn is None or pd.isna(turn) or not 0 <= int(turn) < len(spans):
        return (0, len(text))
    return spans[int(turn)]


# --- export --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Guids:
    """Deterministic guids of a bundle's objects: uuid5 of the bundle's identity and the object's name."""

    identity: str

    def __call__(self, *parts: object) -> str:
        return str(uuid.uuid5(uuid.NAMESPACE_URL, "bipsim-qda:" + "/".join([self.identity, *map(str, parts)])))


def source_name(citizen: int, wave: int, language: str) -> str:
    """The name of an interview's source, e.g. ``Citizen 15, wave 3``."""
    return NAMES[language]["source"].format(citizen=citizen, wave=wave)


def export_project(
    bundle: Bundle, target: str | os.PathLike[str], *, language: str = "en", truth: bool = False, force: bool = False
) -> Path:
    """Write the bundle's interviews as a REFI-QDA project (``.qdpx``) at ``target``; return its path.

    ``truth`` adds the true themes as the user "truth" and the citizens' orientation as a case variable.
    The file is written beside ``target`` and renamed into place, so there is never half a project there;
    an existing file is replaced only with ``force``.
    """
    if language not in LANGUAGES:
        raise QdaError(f"language {language!r}: one of {', '.join(LANGUAGES)}")
    path = Path(target)
    check_target(path, force)
    interviews = bundle.interviews.sort_values(["citizen_id", "wave"]).reset_index(drop=True)
    if interviews.empty:
        raise QdaError(f"{bundle.path}: the bundle has no interviews to export")
    guid = _Guids(bundle_identity(bundle))
    created = _timestamp(bundle.manifest.get("created"))
    codings = dict(coders(bundle))
    if truth:
        codings[TRUTH_USER] = truth_codings(bundle)
    project = _project_xml(bundle, interviews, codings, guid, language, truth, created)
    texts = {guid("source", row.citizen_id, row.wave): str(row[f"text_{language}"]) for _, row in interviews.iterrows()}
    _write_atomically(path, _qdpx(project, texts, created))
    return path


def _timestamp(created: object) -> datetime:
    """The bundle's creation time (UTC, whole seconds), or the zip epoch when the manifest has none."""
    try:
        moment = datetime.fromisoformat(str(created)).astimezone(UTC)
    except ValueError:
        moment = datetime(1980, 1, 1, tzinfo=UTC)
    return moment.replace(microsecond=0)


def _project_xml(
    bundle: Bundle,
    interviews: pd.DataFrame,
    codings: dict[str, pd.DataFrame],
    guid: _Guids,
    language: str,
    truth: bool,
    created: datetime,
) -> ET.Element:
    names = NAMES[language]
    when = created.strftime("%Y-%m-%dT%H:%M:%SZ")
    user_guids = {user: guid("user", user) for user in codings}
    creator = next(iter(codings))
    project = ET.Element(
        "Project",
        {
            "name": names["project"],
            "origin": f"bipsim {bundle.manifest.get('bipsim_version', '')}".strip(),
            "creatingUserGUID": user_guids[creator],
            "creationDateTime": when,
            "xmlns": NAMESPACE,
        },
    )
    users = ET.SubElement(project, "Users")
    for user, user_guid in user_guids.items():
        ET.SubElement(users, "User", {"guid": user_guid, "name": USERS[user], "id": user})

    codes = ET.SubElement(ET.SubElement(project, "CodeBook"), "Codes")
    for group in CODE_KINDS:
        parent = ET.SubElement(
            codes,
            "Code",
            {
                "guid": guid("group", group.key),
                "name": getattr(group, language),
                "isCodable": "false",
                "color": GROUP_COLOURS[group.key],
            },
        )
        ET.SubElement(parent, "Description").text = _describe(group)
        for theme in (t for t in THEMES if t.kind == group.key):
            code = ET.SubElement(
                parent,
                "Code",
                {
                    "guid": guid("code", theme.key),
                    "name": getattr(theme, language),
                    "isCodable": "true",
                    "color": GROUP_COLOURS[group.key],
                },
            )
            ET.SubElement(code, "Description").text = _describe(theme)

    used_variables = ["register_id", "jobcentre", *(["orientation"] if truth else []), "wave", "week"]
    variables = ET.SubElement(project, "Variables")
    for key in used_variables:
        kind, english, danish = VARIABLES[key]
        variable = ET.SubElement(
            variables,
            "Variable",
            {"guid": guid("variable", key), "name": english if language == "en" else danish, "typeOfVariable": kind},
        )
        ET.SubElement(variable, "Description").text = f"{english} / {danish}"

    background = bundle.citizens.set_index("citizen_id")
    orientation = bundle.truth.citizens.set_index("citizen_id")["orientation"].astype(str) if truth else None
    orientation_labels = {o.key: getattr(o, language) for o in ORIENTATIONS}
    cases = ET.SubElement(project, "Cases")
    for citizen, rows in interviews.groupby("citizen_id", sort=True):
        case = ET.SubElement(
            cases, "Case", {"guid": guid("case", citizen), "name": names["case"].format(citizen=citizen)}
        )
        _variable_value(case, guid, "register_id", int(citizen))
        _variable_value(case, guid, "jobcentre", int(background.at[citizen, "jobcentre"]))
        if orientation is not None:
            key = orientation.at[citizen]
            _variable_value(case, guid, "orientation", f"{orientation_labels.get(key, key)} ({key})")
        for wave in rows["wave"]:
            ET.SubElement(case, "SourceRef", {"targetGUID": guid("source", citizen, wave)})

    by_interview = {
        user: {
            key: list(zip(rows["turn"], rows["theme"], strict=True))
            for key, rows in frame.groupby(["citizen_id", "wave"], sort=False)
        }
        for user, frame in codings.items()
    }
    sources = ET.SubElement(project, "Sources")
    for _, row in interviews.iterrows():
        citizen, wave = int(row.citizen_id), int(row.wave)
        source_guid = guid("source", citizen, wave)
        text = str(row[f"text_{language}"])
        source = ET.SubElement(
            sources,
            "TextSource",
            {
                "guid": source_guid,
                "name": source_name(citizen, wave, language),
                "plainTextPath": f"internal://{source_guid}.txt",
                "creatingUser": user_guids[creator],
                "creationDateTime": when,
            },
        )
        for user, themes_of in by_interview.items():
            for turn, theme in themes_of.get((citizen, wave), []):
                start, end = coding_span(text, turn)
                at = (citizen, wave, theme) if turn is None or pd.isna(turn) else (citizen, wave, int(turn), theme)
                selection = ET.SubElement(
                    source,
                    "PlainTextSelection",
                    {
                        "guid": guid("selection", user, *at),
                        "name": text[start:end][:60],
                        "startPosition": str(start),
                        "endPosition": str(end),
                        "creatingUser": user_guids[user],
                        "creationDateTime": when,
                    },
                )
                coding = ET.SubElement(
                    selection,
                    "Coding",
                    {"guid": guid("coding", user, *at), "creatingUser": user_guids[user]},
                )
                ET.SubElement(coding, "CodeRef", {"targetGUID": guid("code", theme)})
        _variable_value(source, guid, "wave", wave)
        _variable_value(source, guid, "week", int(row.week))
    ET.SubElement(project, "Description").text = (
        f"Synthetic interviews of {interviews['citizen_id'].nunique()} citizens from a bipsim bundle "
        f"(scenario {bundle.manifest.get('scenario_name', '?')!r}, seed {bundle.manifest.get('seed', '?')}). "
        f"Users: {', '.join(USERS[u] for u in codings)}."
    )
    return project


def _describe(term: Term) -> str:
    """A code's description in both languages, with its key: what the bipsim codebook says about it."""
    return f"{term.key}: {term.en} / {term.da}. {term.description}"


def _variable_value(parent: ET.Element, guid: _Guids, key: str, value: object) -> None:
    kind = VARIABLES[key][0]
    holder = ET.SubElement(parent, "VariableValue")
    ET.SubElement(holder, "VariableRef", {"targetGUID": guid("variable", key)})
    ET.SubElement(holder, f"{kind}Value").text = str(value)


def _qdpx(project: ET.Element, texts: dict[str, str], created: datetime) -> bytes:
    """The zip: ``project.qde`` first, then the transcripts.

    Transcripts are UTF-8 without a byte-order mark, which would shift every position by one in the programs that
    read them as text.
    """
    ET.indent(project)
    xml = ET.tostring(project, encoding="utf-8", xml_declaration=True)
    moment = created.timetuple()[:6] if created.year >= 1980 else (1980, 1, 1, 0, 0, 0)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in [(PROJECT_FILE, xml), *((f"{SOURCES_FOLDER}/{g}.txt", t.encode()) for g, t in texts.items())]:
            info = zipfile.ZipInfo(name, date_time=moment)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()


def check_target(target: Path, force: bool) -> None:
    """Refuse a ``.qdpx`` target that is a folder, or a file that exists without ``force``."""
    if target.is_dir():
        raise QdaError(f"{target} is a folder; name the .qdpx file to write")
    if target.exists() and not force:
        raise QdaError(f"{target} already exists; use --force to replace it")


def _write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to a hidden file beside ``path`` and rename it into place: never half a file there."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.parent / f".{path.name}.partial-{uuid.uuid4().hex[:12]}"
    try:
        with open(temporary, "xb") as file:
            file.write(data)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


# --- reading a project ---------------------------------------------------------------------------------------


@dataclass
class Project:
    """What scoring needs of a REFI-QDA project: users, codes, text sources and their codings.

    ``codings`` has one row per coding: ``source`` (guid), ``user`` (name), ``code`` (guid).
    """

    path: Path
    users: dict[str, str]
    codes: dict[str, str]
    sources: dict[str, str]
    codings: pd.DataFrame = field(repr=False)


def read_project(path: str | os.PathLike[str]) -> Project:
    """Read a ``.qdpx``; raises :class:`QdaError` naming the problem when it is not a readable project."""
    path = Path(path)
    if not path.is_file():
        raise QdaError(f"{path}: no such file" if not path.exists() else f"{path}: not a file")
    try:
        with zipfile.ZipFile(path) as archive:
            try:
                info = archive.getinfo(PROJECT_FILE)
            except KeyError:
                raise QdaError(
                    f"{path}: no {PROJECT_FILE} in the archive; a REFI-QDA project (.qdpx) holds its project there"
                ) from None
            if info.file_size > MAX_PROJECT_BYTES:
                raise QdaError(f"{path}: {PROJECT_FILE} is {info.file_size:,} bytes, more than a project can be")
            xml = archive.read(info)
    except zipfile.BadZipFile:
        raise QdaError(f"{path}: not a REFI-QDA project (.qdpx): not a zip file") from None
    except (OSError, RuntimeError, NotImplementedError) as exc:  # encrypted or damaged members
        raise QdaError(f"{path}: cannot read {PROJECT_FILE} ({exc})") from None
    try:
        root = ET.fromstring(xml)
    except ET.ParseError as exc:
        raise QdaError(f"{path}: {PROJECT_FILE} is not well-formed XML ({exc})") from None
    if root.tag != _tag("Project"):
        raise QdaError(f"{path}: {PROJECT_FILE}'s root is {root.tag!r}; a REFI-QDA project's is Project in {NAMESPACE}")
    return _parse(path, root)


def _parse(path: Path, root: ET.Element) -> Project:
    users = {_guid(u.get("guid", "")): u.get("name") or u.get("id") or "" for u in root.iter(_tag("User"))}
    codes = {}
    for code in root.iter(_tag("Code")):
        if code.get("guid") is None or code.get("name") is None:
            raise QdaError(f"{path}: {PROJECT_FILE} has a Code without a guid or a name")
        codes[_guid(code.get("guid"))] = code.get("name", "")
    sources: dict[str, str] = {}
    rows = []
    sources_element = root.find(_tag("Sources"))
    for source in sources_element.findall(_tag("TextSource")) if sources_element is not None else []:
        source_guid = _guid(source.get("guid", ""))
        sources[source_guid] = source.get("name") or ""
        marked = [(source, source.get("creatingUser"))] + [
            (s, s.get("creatingUser") or s.get("modifyingUser")) for s in source.findall(_tag("PlainTextSelection"))
        ]
        for holder, holder_user in marked:
            for coding in holder.findall(_tag("Coding")):
                reference = coding.find(_tag("CodeRef"))
                if reference is None or reference.get("targetGUID") is None:
                    raise QdaError(f"{path}: a Coding in source {sources[source_guid]!r} has no CodeRef")
                target = _guid(reference.get("targetGUID", ""))
                if target not in codes:
                    raise QdaError(
                        f"{path}: a coding in source {sources[source_guid]!r} refers to code {target}, "
                        "which is not in the project's codebook"
                    )
                user = _guid(coding.get("creatingUser") or holder_user or "")
                rows.append((source_guid, users.get(user, "") or "(no user)", target))
    return Project(
        path=path,
        users=users,
        codes=codes,
        sources=sources,
        codings=pd.DataFrame(rows, columns=["source", "user", "code"]),
    )


def _guid(text: str | None) -> str:
    """A guid as compared here: lower case, without the braces some programs write."""
    return (text or "").strip().strip("{}").lower()


# --- scoring ---------------------------------------------------------------------------------------------------


def _theme_of_names() -> dict[str, str]:
    names = {}
    for theme in THEMES:
        for name in (theme.key, theme.en, theme.da):
            names[name.casefold().strip()] = theme.key
    return names


@dataclass
class Score:
    """The scores of every user of a project against the truth.

    ``table``: one row per (user, code) and per user an ``all`` row (every code pooled): truth, coded, agreed,
    kappa, precision, recall, missed (how many interviews). ``missed``: the interviews each user missed per
    code (user, code, source). ``interviews``: how many interviews were scored; ``truth``: where the truth
    came from.
    """

    table: pd.DataFrame
    missed: pd.DataFrame
    interviews: int
    truth: str


def score_project(project: Project, bundle: Bundle | None = None) -> Score:
    """Score each user's codings of ``project`` against the truth of ``bundle`` or the project's user "truth".

    Raises :class:`QdaError` when a coding uses a code that is not in the bipsim codebook, when there is no
    truth to score against, or when no source of the project is an interview of the bundle.
    """
    theme_of_name = _theme_of_names()
    guid = _Guids(bundle_identity(bundle)) if bundle is not None else None
    by_guid = {_guid(guid("code", t.key)): t.key for t in THEMES} if guid is not None else {}
    code_theme = {}
    for code_guid, name in project.codes.items():
        if code_guid in by_guid:
            code_theme[code_guid] = by_guid[code_guid]
        elif name.casefold().strip() in theme_of_name:
            code_theme[code_guid] = theme_of_name[name.casefold().strip()]
    unknown = project.codings.loc[~project.codings["code"].isin(list(code_theme)), "code"]
    if not unknown.empty:
        names = sorted({project.codes[c] for c in unknown})
        raise QdaError(
            f"{project.path}: code(s) {', '.join(map(repr, names))} used in {len(unknown)} coding(s) are not in the "
            f"bipsim codebook ({', '.join(t.en for t in THEMES)}); rename them to a code of the codebook or remove them"
        )
    codings = project.codings.assign(theme=project.codings["code"].map(code_theme))

    if bundle is not None:
        units = _bundle_units(project, bundle, guid)
        truth_pairs = set(_keyed(truth_codings(bundle)))
        source_unit = {source: key for source, (key, _name) in units.items()}
        scored = codings[codings["user"].str.casefold() != TRUTH_USER]
        pairs = scored.assign(unit=scored["source"].map(source_unit)).dropna(subset=["unit"])
        all_units = sorted(set(_keyed_units(bundle)))
        unit_names = {u: source_name(u[0], u[1], "en") for u in all_units}
        unit_names.update({key: name for key, name in units.values()})
        where = f"bundle {bundle.path}"
    else:
        is_truth = codings["user"].str.casefold() == TRUTH_USER
        if not is_truth.any():
            raise QdaError(
                f"{project.path}: the project has no user 'truth' to score against; give the bundle it was "
                "exported from (--bundle), or export it with --with-truth"
            )
        truth_pairs = set(zip(codings.loc[is_truth, "source"], codings.loc[is_truth, "theme"], strict=True))
        pairs = codings[~is_truth].assign(unit=codings.loc[~is_truth, "source"])
        all_units = sorted(project.sources)
        unit_names = dict(project.sources)
        where = f"the user 'truth' of {project.path.name}"
    users = sorted(set(pairs["user"]))
    rows, missed = [], []
    for user in users:
        mine = pairs[pairs["user"] == user]
        coded_pairs = set(zip(mine["unit"], mine["theme"], strict=True))
        for theme in [t.key for t in THEMES] + ["all"]:
            keys = [t.key for t in THEMES] if theme == "all" else [theme]
            truth_set = {p for p in truth_pairs if p[1] in keys}
            coded_set = {p for p in coded_pairs if p[1] in keys}
            rows.append({"user": user, "code": theme, **_agreement(truth_set, coded_set, len(all_units) * len(keys))})
            if theme != "all":
                missed += [
                    {"user": user, "code": theme, "source": unit_names.get(u, str(u))}
                    for u, _ in sorted(truth_set - coded_set, key=lambda p: str(p[0]))
                ]
    table = pd.DataFrame(
        rows, columns=["user", "code", "truth", "coded", "agreed", "kappa", "precision", "recall", "missed"]
    )
    return Score(table, pd.DataFrame(missed, columns=["user", "code", "source"]), len(all_units), where)


def _keyed(frame: pd.DataFrame) -> list[tuple[tuple[int, int], str]]:
    return [((int(c), int(w)), str(t)) for c, w, t in frame[["citizen_id", "wave", "theme"]].itertuples(index=False)]


def _keyed_units(bundle: Bundle) -> list[tuple[int, int]]:
    return [(int(c), int(w)) for c, w in bundle.interviews[["citizen_id", "wave"]].itertuples(index=False)]


def _bundle_units(project: Project, bundle: Bundle, guid: _Guids) -> dict[str, tuple[tuple[int, int], str]]:
    """The project's sources that are interviews of the bundle: ``source guid -> ((citizen, wave), name)``."""
    interviews = set(_keyed_units(bundle))
    by_guid = {_guid(guid("source", c, w)): (c, w) for c, w in interviews}
    units = {}
    for source, name in project.sources.items():
        key = by_guid.get(source)
        if key is None:
            match = SOURCE_NAME.search(name)
            key = (int(match.group(1)), int(match.group(2))) if match else None
        if key in interviews:
            units[source] = (key, name)
    if not units:
        raise QdaError(
            f"{project.path}: none of its {len(project.sources)} text source(s) is an interview of the bundle "
            f"{bundle.path} (matched by guid or by a name like {source_name(15, 3, 'en')!r})"
        )
    return units


def _agreement(truth: set, coded: set, units: int) -> dict[str, float | int]:
    """Counts, Cohen's kappa, precision and recall of ``coded`` against ``truth`` over ``units`` yes/no units."""
    agreed = len(truth & coded)
    only_coded, only_truth = len(coded - truth), len(truth - coded)
    neither = units - agreed - only_coded - only_truth
    observed = (agreed + neither) / units if units else math.nan
    expected = (
        ((agreed + only_coded) * (agreed + only_truth) + (only_truth + neither) * (only_coded + neither)) / units**2
        if units
        else math.nan
    )
    kappa = (observed - expected) / (1 - expected) if expected < 1 else math.nan
    return {
        "truth": len(truth),
        "coded": len(coded),
        "agreed": agreed,
        "kappa": kappa,
        "precision": agreed / len(coded) if coded else math.nan,
        "recall": agreed / len(truth) if truth else math.nan,
        "missed": only_truth,
    }


def score_json(score: Score) -> str:
    """The score as JSON: interviews, truth, the table's rows (NaN as null) and the missed interviews."""
    table = score.table.astype(object).where(score.table.notna(), None)
    return json.dumps(
        {
            "interviews": score.interviews,
            "truth": score.truth,
            "scores": table.to_dict(orient="records"),
            "missed": score.missed.to_dict(orient="records"),
        },
        indent=2,
        ensure_ascii=False,
    )
