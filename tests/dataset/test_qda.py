"""The interviews as a REFI-QDA project: valid against the standard's schema, read by an independent reader,
reproducible, and scored back correctly; a broken project is refused with a message naming the problem."""

from __future__ import annotations

import io
import uuid
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import numpy as np
import pytest
import xmlschema
from pyrefiqda import RefiProject
from sklearn.metrics import cohen_kappa_score

import bipsim
from bipsim.cli import main
from bipsim.contract.themes import THEMES
from bipsim.dataset import read_bundle
from bipsim.dataset.qda import (
    NAMESPACE,
    SOURCE_NAME,
    QdaError,
    _agreement,
    answer_spans,
    coding_span,
    export_project,
    read_project,
    score_project,
    source_name,
)

SCHEMA = Path(__file__).parent / "refi_qda" / "Project-mrt2019.xsd"
NS = {"q": NAMESPACE}


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    model = bipsim.simulate("baseline", seed=3, citizens=300, weeks=60)
    return read_bundle(bipsim.write_bundle(model, tmp_path_factory.mktemp("qda") / "bundle"))


@pytest.fixture(scope="module")
def exported(bundle, tmp_path_factory):
    folder = tmp_path_factory.mktemp("projects")
    return {
        "plain": export_project(bundle, folder / "study.qdpx"),
        "truth": export_project(bundle, folder / "teacher.qdpx", truth=True),
        "da": export_project(bundle, folder / "studie.qdpx", language="da"),
    }


def project_xml(path: Path) -> bytes:
    with zipfile.ZipFile(path) as archive:
        return archive.read("project.qde")


@pytest.mark.parametrize("kind", ["plain", "truth", "da"])
def test_the_project_is_valid_against_the_official_refi_qda_schema(exported, kind):
    errors = [str(e) for e in xmlschema.XMLSchema(SCHEMA).iter_errors(project_xml(exported[kind]).decode("utf-8"))]
    assert errors == []


def test_an_independent_reader_finds_every_interview_case_code_and_coding(bundle, exported, tmp_path):
    project = RefiProject.load(exported["plain"], extract_dir=str(tmp_path / "extracted"))
    interviews = bundle.interviews
    assert len(project.sources.text_source) == len(interviews)
    assert len(project.cases.case) == interviews["citizen_id"].nunique() == 25
    codable = [c.name for group in project.code_book.codes.code for c in group.code if c.is_codable]
    assert sorted(codable) == sorted(t.en for t in THEMES)
    codings = [s for source in project.sources.text_source for s in source.plain_text_selection]
    assert len(codings) == len(bundle.interview_codings)
    assert [u.name for u in project.users.user] == ["coder A", "coder B"]
    case_sources = {ref.target_guid for case in project.cases.case for ref in case.source_ref}
    assert case_sources == {source.guid for source in project.sources.text_source}


def test_each_coding_selects_the_answer_it_codes(bundle, exported):
    """Read with a plain XML parser and the zip's transcripts: a selection is one whole answer of the citizen."""
    codes, users = {}, {}
    with zipfile.ZipFile(exported["plain"]) as archive:
        root = ET.fromstring(archive.read("project.qde"))
        for code in root.iterfind(".//q:Code", NS):
            codes[code.get("guid")] = code.get("name")
        for user in root.iterfind(".//q:User", NS):
            users[user.get("guid")] = user.get("name")
        texts = {name: archive.read(name).decode("utf-8") for name in archive.namelist() if name != "project.qde"}
    transcripts = {(int(r.citizen_id), int(r.wave)): r.text_en for r in bundle.interviews.itertuples()}
    label = {t.key: t.en for t in THEMES}
    expected = {
        (int(r.citizen_id), int(r.wave), {"coder_a": "coder A", "coder_b": "coder B"}[r.coder], label[r.theme])
        for r in bundle.interview_codings.itertuples()
    }
    found = set()
    for source in root.iterfind(".//q:TextSource", NS):
        text = texts["sources/" + source.get("plainTextPath").removeprefix("internal://")]
        citizen, wave = map(int, SOURCE_NAME.search(source.get("name")).groups())
        assert text == transcripts[(citizen, wave)]
        answers = {text[a:b] for a, b in answer_spans(text)}
        for selection in source.findall("q:PlainTextSelection", NS):
            selected = text[int(selection.get("startPosition")) : int(selection.get("endPosition"))]
            assert selected in answers and not selected.startswith(("Citizen:", "Interviewer"))
            code = codes[selection.find("q:Coding/q:CodeRef", NS).get("targetGUID")]
            found.add((citizen, wave, users[selection.get("creatingUser")], code))
    assert found == expected


def test_a_transcript_that_is_not_one_turn_a_line_codes_on_the_whole_text():
    text = "Jeg har haft en samtale, og ellers ikke noget."
    assert answer_spans(text) == [] and coding_span(text, 0) == (0, len(text))
    transcript = "Interviewer: Hvordan går det?\nBorger: Godt.\nInterviewer: Og ellers?\nBorger: Intet nyt."
    assert [transcript[a:b] for a, b in answer_spans(transcript)] == ["Godt.", "Intet nyt."]
    assert coding_span(transcript, None) == (0, len(transcript))


def test_the_export_is_reproducible_byte_for_byte(bundle, exported, tmp_path):
    again = export_project(bundle, tmp_path / "again.qdpx")
    assert again.read_bytes() == exported["plain"].read_bytes()
    guids = [e.get("guid") for e in ET.fromstring(project_xml(again)).iter() if e.get("guid")]
    assert len(guids) == len(set(guids)) and all(uuid.UUID(g).version == 5 for g in guids)


def test_an_existing_file_is_replaced_only_with_force_and_nothing_is_left_beside_it(bundle, tmp_path):
    target = tmp_path / "study.qdpx"
    target.write_text("keep")
    with pytest.raises(QdaError, match="already exists"):
        export_project(bundle, target)
    assert target.read_text() == "keep"
    export_project(bundle, target, force=True)
    assert zipfile.is_zipfile(target)
    assert [p.name for p in tmp_path.iterdir()] == ["study.qdpx"]


def _direct_scores(bundle) -> dict[str, dict[str, float]]:
    """Each coder's recall and kappa against the true themes, computed from the bundle's tables directly."""
    themes = bundle.truth.interview_themes
    voiced = themes[themes["voiced"]]
    truth = set(zip(voiced["citizen_id"], voiced["wave"], voiced["theme"].astype(str), strict=True))
    units = list(zip(bundle.interviews["citizen_id"], bundle.interviews["wave"], strict=True))
    keys = [t.key for t in THEMES]
    out = {}
    for coder, rows in bundle.interview_codings.groupby("coder", observed=True):
        coded = set(zip(rows["citizen_id"], rows["wave"], rows["theme"].astype(str), strict=True))
        y_true = [(c, w, k) in truth for c, w in units for k in keys]
        y_coded = [(c, w, k) in coded for c, w in units for k in keys]
        agreed = len(truth & coded)
        out[{"coder_a": "coder A", "coder_b": "coder B"}[coder]] = {
            "kappa": cohen_kappa_score(y_true, y_coded),
            "recall": agreed / len(truth),
            "precision": agreed / len(coded),
        }
    return out


def test_the_round_trip_scores_the_observed_coders_correctly(bundle, exported):
    """Export, read back and score an unchanged project: each coder scores what the bundle's tables say."""
    direct = _direct_scores(bundle)
    assert direct["coder A"]["kappa"] > direct["coder B"]["kappa"]  # the first coder errs less, as declared
    with_bundle = score_project(read_project(exported["plain"]), bundle)
    with_truth_user = score_project(read_project(exported["truth"]))
    for score in (with_bundle, with_truth_user):
        assert score.interviews == len(bundle.interviews)
        assert set(score.table["user"]) == {"coder A", "coder B"}
        pooled = score.table[score.table["code"] == "all"].set_index("user")
        for user, expected in direct.items():
            for measure, value in expected.items():
                assert pooled.at[user, measure] == pytest.approx(value), (user, measure)
        assert 0 < pooled.at["coder B", "missed"] and not score.missed.empty


def _student_copy(source: Path, target: Path, drop_theme: str, new_guids: bool) -> list[str]:
    """A project as a student's program might give it back: the codings of one code removed, one code applied
    where the truth does not have it, and (``new_guids``) every guid made anew. Returns the emptied sources."""
    with zipfile.ZipFile(source) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    ET.register_namespace("", NAMESPACE)
    root = ET.fromstring(members["project.qde"])
    code_of = {c.get("name"): c.get("guid") for c in root.iterfind(".//q:Code", NS)}
    theme = next(t for t in THEMES if t.key == drop_theme)
    dropped = []
    for source_element in root.iterfind(".//q:TextSource", NS):
        for selection in source_element.findall("q:PlainTextSelection", NS):
            if selection.find("q:Coding/q:CodeRef", NS).get("targetGUID") == code_of[theme.en]:
                source_element.remove(selection)
                dropped.append(source_element.get("name"))
    if new_guids:
        renamed = {}
        for element in root.iter():
            for attribute in ("guid", "targetGUID", "creatingUser", "creatingUserGUID"):
                value = element.get(attribute)
                if value:
                    element.set(attribute, renamed.setdefault(value, str(uuid.uuid4()).upper()))
    members["project.qde"] = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    with zipfile.ZipFile(target, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return dropped


@pytest.mark.parametrize("new_guids", [False, True])
def test_a_student_who_missed_a_code_is_told_where(bundle, exported, tmp_path, new_guids):
    student = tmp_path / "student.qdpx"
    dropped = _student_copy(exported["plain"], student, "meeting", new_guids)
    assert dropped
    score = score_project(read_project(student), bundle)
    mine = score.table[score.table["user"] == "coder A"].set_index("code")
    truth = bundle.truth.interview_themes
    meetings = truth[truth["voiced"] & (truth["theme"] == "meeting")][["citizen_id", "wave"]].drop_duplicates()
    assert mine.loc["meeting", "recall"] == 0 and mine.loc["meeting", "coded"] == 0
    assert mine.loc["meeting", "missed"] == len(meetings)
    missed = score.missed[(score.missed["user"] == "coder A") & (score.missed["code"] == "meeting")]
    assert sorted(missed["source"]) == sorted(source_name(c, w, "en") for c, w in meetings.itertuples(index=False))
    others = mine.drop(["meeting", "all"])
    assert others.loc[others["truth"] > 0, "recall"].mean() > 0.8  # the other codes are kept


def test_cohens_kappa_is_the_usual_one():
    rng = np.random.default_rng(4)
    truth, coded = rng.random(200) < 0.3, rng.random(200) < 0.4
    result = _agreement({i for i in range(200) if truth[i]}, {i for i in range(200) if coded[i]}, 200)
    assert result["kappa"] == pytest.approx(cohen_kappa_score(truth, coded))
    assert result["precision"] == pytest.approx((truth & coded).sum() / coded.sum())
    assert result["recall"] == pytest.approx((truth & coded).sum() / truth.sum())


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def _with_foreign_code(exported: Path, target: Path, dangling: bool) -> Path:
    xml = project_xml(exported).decode("utf-8")
    code = "11111111-2222-3333-4444-555555555555"
    first = xml.index('<CodeRef targetGUID="') + len('<CodeRef targetGUID="')
    xml = xml[:first] + code + xml[first + 36 :]
    if not dangling:
        xml = xml.replace("<Codes>", f'<Codes><Code guid="{code}" name="Curiosity" isCodable="true" />', 1)
    return _zip(target, {"project.qde": xml.encode("utf-8")})


@pytest.mark.parametrize(
    "make, problem",
    [
        (lambda d, e: (d / "text.qdpx").write_bytes(b"not a zip") and d / "text.qdpx", "not a zip file"),
        (lambda d, e: _zip(d / "empty.qdpx", {"sources/a.txt": b"x"}), "no project.qde"),
        (lambda d, e: _zip(d / "broken.qdpx", {"project.qde": b"<Project><Users></Project>"}), "not well-formed XML"),
        (lambda d, e: _zip(d / "other.qdpx", {"project.qde": b"<Codebook/>"}), "root is 'Codebook'"),
        (lambda d, e: _with_foreign_code(e, d / "hope.qdpx", dangling=False), "'Curiosity'"),
        (lambda d, e: _with_foreign_code(e, d / "dangling.qdpx", dangling=True), "not in the project's codebook"),
    ],
    ids=["not-zip", "no-project", "malformed", "wrong-root", "foreign-code", "dangling-code"],
)
def test_a_broken_project_is_refused_naming_the_problem(bundle, exported, tmp_path, capsys, make, problem):
    path = make(tmp_path, exported["plain"])
    with pytest.raises(QdaError, match=problem):
        score_project(read_project(path), bundle)
    assert main(["qda", "score", str(path), "--bundle", str(bundle.path)]) == 2
    err = capsys.readouterr().err
    assert problem in err and str(path) in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_the_command_line_exports_and_scores(bundle, tmp_path, capsys):
    target = tmp_path / "teacher.qdpx"
    assert main(["qda", "export", str(bundle.path), "--out", str(target), "--with-truth"]) == 0
    assert "25 citizens" in capsys.readouterr().out
    assert main(["qda", "score", str(target)]) == 0
    out = capsys.readouterr().out
    assert "coder 'coder A'" in out and "coder 'coder B'" in out
    assert main(["qda", "score", str(target), "--json"]) == 0
    assert '"user": "coder B"' in capsys.readouterr().out
    with zipfile.ZipFile(io.BytesIO(target.read_bytes())) as archive:
        assert 'name="truth"' in archive.read("project.qde").decode("utf-8")
