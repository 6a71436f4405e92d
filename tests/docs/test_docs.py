"""The documentation works: its Python examples run, its shell commands work as written, its tables are current.

- Every fenced ``python`` block of ``docs/*.md`` and ``README.md`` runs, the blocks of one file in order in
  one fresh namespace, and prints no empty table.
- Shell examples are written for a terminal after the README's install command, which creates ``.venv`` and
  activates it: every program they call is found on the ``PATH`` that activation sets, and every ``bipsim``
  command (a line, or a step of an ``&&`` chain) runs exactly as written, with that ``PATH``, in a fresh
  folder that holds links to ``scenarios/`` and ``docs/`` (so a block may write a bundle and analyse it, or
  compare with ``docs/examples/*.toml``). The steps that create and activate the environment, install
  packages or run the tests are what made the running test environment, so they are not repeated; a block
  preceded by ``<!-- docs-test: skip -->`` is not run. A block that repeats runs at the full default size
  (``calibrate``, ``compare``, ``recover``, ``sensitivity``, ``sweep`` without ``--citizens``) is marked
  ``slow``.
- A ``text`` block preceded by ``<!-- docs-test: output-of bipsim ... -->`` is the output of that command, or an
  excerpt of whole lines of it: the command is rerun as written and must print exactly those lines, in a row
  (a pasted figure cannot drift from the model).
- ``.ci/run`` runs the README's install and test commands as written.
- The generated sections (``bipsim.reports.docs``) equal a fresh rendering; the calibration record they are rendered
  from covers the current targets, and its first replication is what the model gives now; the recovery record
  covers the current methods and estimands, its placebo truths are 0, and its first baseline replication is what
  the model and the analyses give now.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from bipsim.reports import docs

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
FILES = [*sorted(DOCS.glob("*.md")), ROOT / "README.md"]
SKIP_MARKER = "<!-- docs-test: skip -->"
OUTPUT_MARKER = re.compile(r"<!-- docs-test: output-of (?P<command>bipsim [^>]*?) -->")
SETUP_STEPS = ("python3 -m venv ", "source ", ". ", "pip install ", "python -m pytest")
"""Steps of the README's two commands that made the environment these tests run in: not repeated here."""
REPEATING = ("calibrate", "compare", "recover", "sensitivity", "sweep")
"""Subcommands that run a scenario many times: at the full default size, minutes on two cores (``slow``)."""
HANG_GUARD_SECONDS = 3600
"""Only a guard against a hang: a slow or loaded machine must not fail a documented command."""
ENVIRONMENT_BIN = Path(sys.executable).parent
ACTIVATED = {
    **{k: v for k, v in os.environ.items() if k != "PYTHONHOME"},
    "PATH": os.pathsep.join([str(ENVIRONMENT_BIN), os.environ.get("PATH", "")]),
    "VIRTUAL_ENV": str(ENVIRONMENT_BIN.parent),
}
"""The environment of a terminal after the README's install command: its ``.venv`` activated."""
SHELL_OPERATORS = ("|", "||", ";", ">", ">>", "<", "&")
FENCE = re.compile(
    r"^(?P<indent>[ ]{0,3})(?P<fence>`{3,})(?P<lang>[\w+-]*)[^\n]*\n"
    r"(?P<body>.*?)^(?P=indent)(?P=fence)[ \t]*$",
    re.DOTALL | re.MULTILINE,
)


@dataclass(frozen=True)
class Block:
    path: Path
    line: int
    lang: str
    code: str
    skipped: bool

    @property
    def where(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}"


def blocks(path: Path) -> list[Block]:
    """The fenced code blocks of a Markdown file, in order."""
    text = path.read_text(encoding="utf-8")
    found = []
    for m in FENCE.finditer(text):
        before = text[: m.start()].rstrip().splitlines()
        skipped = bool(before) and before[-1].strip() == SKIP_MARKER
        found.append(Block(path, text.count("\n", 0, m.start()) + 1, m.group("lang").lower(), m.group("body"), skipped))
    return found


def steps(block: Block) -> list[str]:
    """The commands of a shell block in order: its lines, continuations joined, ``&&`` chains split."""
    found = []
    for line in block.code.replace("\\\n", " ").splitlines():
        line = line.strip().removeprefix("$ ")
        if line and not line.startswith("#"):
            found += [step.strip() for step in line.split("&&") if step.strip()]
    return found


def is_setup(step: str) -> bool:
    """Whether a step creates or activates the environment, installs into it or runs the tests."""
    return step.startswith(SETUP_STEPS)


def bipsim_commands(block: Block) -> list[list[str]]:
    """The ``bipsim`` commands of a shell block as argument lists (without the program), as written."""
    commands = []
    for step in steps(block):
        words = shlex.split(step, comments=True)
        if is_setup(step) or words[:1] != ["bipsim"]:
            continue
        if any(w in SHELL_OPERATORS for w in words):
            raise ValueError(f"{block.where}: write one plain bipsim command per step, not {step!r}")
        commands.append(words[1:])
    return commands


def repeats_at_full_size(args: list[str]) -> bool:
    """Whether a command runs a scenario many times at the full default size (4,000 citizens, 208 weeks)."""
    return args[:1] != [] and args[0] in REPEATING and not any(a.startswith("--citizens") for a in args)


def shell_blocks(path: Path) -> list[Block]:
    return [b for b in blocks(path) if b.lang in ("bash", "sh", "shell", "console")]


def test_the_harness_reads_blocks_skips_and_commands(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "Intro\n\n```python\nx = 1\n```\n\n<!-- docs-test: skip -->\n```bash\nbipsim run\n```\n\n"
        "```bash\npython3 -m venv .venv && source .venv/bin/activate && pip install -e . && bipsim run\n"
        "bipsim run baseline \\\n  --seed 2  # a comment\npython -m pytest\nbipsim params\n```\n",
        encoding="utf-8",
    )
    found = blocks(page)
    assert [(b.lang, b.skipped) for b in found] == [("python", False), ("bash", True), ("bash", False)]
    assert found[0].code == "x = 1\n"
    chain = ["python3 -m venv .venv", "source .venv/bin/activate", "pip install -e .", "bipsim run"]
    assert steps(found[2])[:4] == chain
    assert [is_setup(s) for s in steps(found[2])] == [True, True, True, False, False, True, False]
    assert bipsim_commands(found[2]) == [["run"], ["run", "baseline", "--seed", "2"], ["params"]]
    assert repeats_at_full_size(["compare", "a", "b"]) and not repeats_at_full_size(["compare", "--citizens", "9"])
    assert not repeats_at_full_size(["run"])
    piped = Block(ROOT / "page.md", 1, "bash", "bipsim scenarios | head\n", skipped=False)
    with pytest.raises(ValueError, match="one plain bipsim command"):
        bipsim_commands(piped)


def readme_commands() -> tuple[Block, Block]:
    """The README's two commands, its first two shell blocks: install everything and run, run the tests."""
    install, tests = shell_blocks(ROOT / "README.md")[:2]
    return install, tests


def test_the_readme_installs_and_activates_then_uses_plain_commands() -> None:
    """The install command leaves the environment active, so the docs' plain ``bipsim`` works after it."""
    install, tests = readme_commands()
    chain = steps(install)
    assert chain[:2] == ["python3 -m venv .venv", "source .venv/bin/activate"], chain
    assert any(step.startswith("pip install ") for step in chain), chain
    assert not [step for step in chain[2:] if step.startswith(".venv")], "after activation, call programs by name"
    assert chain[-1] == "bipsim run", "the install command ends by running the default scenario"
    assert steps(tests) == ["python -m pytest"]


def test_ci_runs_the_readme_install_and_test_commands_as_written() -> None:
    ci = [line.strip() for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()]
    for command in readme_commands():
        assert command.code.strip() in ci, f".ci/run must run the README's command as written: {command.code!r}"


@pytest.mark.parametrize("path", [p for p in FILES if shell_blocks(p)], ids=lambda p: p.name)
def test_every_program_of_the_shell_examples_is_found_after_the_readme_install(path: Path) -> None:
    missing = []
    for block in shell_blocks(path):
        for step in steps(block):
            program = shlex.split(step, comments=True)[0]
            if program in ("source", ".", "cd"):  # shell builtins
                continue
            found = shutil.which(program, path=ACTIVATED["PATH"])
            if found is None or (program == "bipsim" and Path(found).parent != ENVIRONMENT_BIN):
                missing.append(f"{block.where}: {program}")
    assert not missing, f"not found on the PATH after the README's install command: {missing}"


def test_there_is_documentation_to_test() -> None:
    assert (DOCS / "model.md").is_file()
    langs = {b.lang for path in FILES for b in blocks(path)}
    assert {"python", "bash"} <= langs


def _python_files() -> list[Path]:
    return [p for p in FILES if any(b.lang == "python" and not b.skipped for b in blocks(p))]


@pytest.mark.parametrize("path", _python_files(), ids=lambda p: p.name)
def test_python_examples_run(path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # examples that write files write them here
    namespace: dict[str, object] = {"__name__": "__docs__"}
    for block in blocks(path):
        if block.lang != "python" or block.skipped:
            continue
        printed = io.StringIO()
        try:
            with contextlib.redirect_stdout(printed):
                exec(compile(block.code, block.where, "exec"), namespace)  # noqa: S102 - running the docs is the test
        except Exception as exc:  # noqa: BLE001 - report any failure with its place in the docs
            pytest.fail(f"python example at {block.where} raised {type(exc).__name__}: {exc}")
        empty = [line for line in printed.getvalue().splitlines() if line in ("Empty DataFrame", "[]", "{}")]
        assert not empty, f"python example at {block.where} prints an empty table: show something a reader can see"


def _command_blocks() -> list:
    return [
        pytest.param(
            block.where,
            commands,
            marks=[pytest.mark.slow] if any(repeats_at_full_size(args) for args in commands) else [],
            id=" / ".join(" ".join(["bipsim", *args]) for args in commands),
        )
        for path in FILES
        for block in shell_blocks(path)
        if not block.skipped
        if (commands := bipsim_commands(block))
    ]


def pasted_outputs(path: Path) -> list[tuple[Block, str]]:
    """The ``text`` blocks of ``path`` that paste a command's output, each with the command that printed it."""
    text = path.read_text(encoding="utf-8")
    found = []
    for block in blocks(path):
        if block.lang != "text":
            continue
        before = text.splitlines()[: block.line - 1]
        marker = OUTPUT_MARKER.fullmatch(before[-1].strip()) if before else None
        if marker:
            found.append((block, marker.group("command")))
    return found


def _pasted_outputs() -> list:
    return [
        pytest.param(
            block,
            command,
            marks=[pytest.mark.slow] if repeats_at_full_size(shlex.split(command)[1:]) else [],
            id=f"{block.where} {command}",
        )
        for path in FILES
        for block, command in pasted_outputs(path)
    ]


def _run_as_documented(args: list[str], where: str, folder: Path) -> subprocess.CompletedProcess:
    """Run ``bipsim ARGS`` as a reader would after the README's install, in ``folder`` (with the docs' paths)."""
    bipsim = shutil.which("bipsim", path=ACTIVATED["PATH"])
    assert bipsim, f"the bipsim console script is not installed next to {sys.executable}"
    for name in ("scenarios", "docs"):  # relative paths in the commands
        if not (folder / name).exists():
            (folder / name).symlink_to(ROOT / name, target_is_directory=True)
    done = subprocess.run(
        [bipsim, *args], cwd=folder, env=ACTIVATED, capture_output=True, text=True, timeout=HANG_GUARD_SECONDS
    )
    problem = f"`bipsim {' '.join(args)}` at {where} exited {done.returncode}:\n{done.stderr[-2000:]}"
    assert done.returncode == 0, problem
    return done


def test_the_harness_finds_pasted_outputs(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "<!-- docs-test: output-of bipsim scenarios -->\n```text\nsome output\n```\n\n```text\nfree text\n```\n",
        encoding="utf-8",
    )
    (block, command), *rest = pasted_outputs(page)
    assert command == "bipsim scenarios" and block.code == "some output\n" and not rest


@pytest.mark.parametrize(("block", "command"), _pasted_outputs())
def test_pasted_outputs_are_what_the_commands_print_now(block: Block, command: str, tmp_path: Path) -> None:
    done = _run_as_documented(shlex.split(command)[1:], block.where, tmp_path)
    printed = [line.rstrip() for line in done.stdout.splitlines()]
    pasted = [line.rstrip() for line in block.code.strip("\n").splitlines()]
    starts = [i for i in range(len(printed) - len(pasted) + 1) if printed[i : i + len(pasted)] == pasted]
    assert starts, (
        f"the output pasted at {block.where} is not what `{command}` prints now; paste its current output:\n"
        + done.stdout
    )


def test_the_docs_paste_at_least_one_checked_output() -> None:
    assert any(pasted_outputs(path) for path in FILES)


@pytest.mark.parametrize(("where", "commands"), _command_blocks())
def test_bipsim_commands_work_as_written_after_the_readme_install(
    where: str, commands: list[list[str]], tmp_path: Path
) -> None:
    for args in commands:
        done = _run_as_documented(args, where, tmp_path)
        assert done.stdout.strip(), f"`bipsim {' '.join(args)}` at {where} printed nothing"


def test_generated_sections_are_up_to_date() -> None:
    outdated = docs.stale(DOCS)
    assert not outdated, (
        f"generated sections are out of date in {', '.join(p.name for p in outdated)}; "
        "run `python -m bipsim.reports.docs` and commit the result"
    )


def test_every_mechanism_has_its_parameter_table_in_the_model_description() -> None:
    text = (DOCS / "model.md").read_text(encoding="utf-8")
    missing = [g for g in ("population", *docs.MECHANISMS) if f"<!-- generated: params {g} -->" not in text]
    assert not missing, f"docs/model.md has no generated parameter table for {', '.join(missing)}"


def test_every_mechanism_is_described_in_section_7_from_its_docstring() -> None:
    text = (DOCS / "model.md").read_text(encoding="utf-8")
    section_7 = text[text.index("## 7. Submodels") : text.index("## References")]
    found = [what.split()[1] for what in docs.sections(section_7) if what.startswith("mechanism ")]
    assert found == list(docs.MECHANISMS), "section 7 of docs/model.md must describe each mechanism once, in order"


def test_a_mechanism_section_renders_its_docstring_as_markdown() -> None:
    from bipsim.mechanisms import turnover

    section = docs.render_section("mechanism turnover")
    assert section.startswith(turnover.__doc__.splitlines()[0] + "\n\n**Rule.** Each week a caseworker leaves")
    headings = [line.split("**")[1] for line in section.splitlines() if line.startswith("**")]
    assert headings == ["Rule.", "Planted effect.", "Switched off.", "Sources.", "Parameters."]
    assert "`turnover.quit_probability`" in section and "``" not in section
    assert ":mod:" not in section and "(see `meetings`)" in section
    assert all(len(line) <= docs.MARKDOWN_WIDTH for line in section.splitlines())


def test_docstring_prose_is_reflowed_but_lists_are_kept() -> None:
    text = "A ``long`` line\nthat goes on.\n\n- one item\n  continued\n- two"
    assert docs._markdown(text) == "A `long` line that goes on.\n\n- one item\n  continued\n- two"
    assert (
        docs._markdown("See :mod:`bipsim.mechanisms.waiting` and :func:`~bipsim.x.y`.")
        == "See `waiting` and `bipsim.x.y`."
    )


def test_rendering_keeps_prose_and_replaces_only_marked_sections() -> None:
    text = (
        "Before.\n<!-- generated: params turnover -->\nstale table\n<!-- end generated -->\nBetween.\n"
        "<!-- generated: indicators -->\n<!-- end generated -->\nAfter.\n"
    )
    fresh = docs.render(text)
    assert fresh.startswith("Before.\n") and "Between.\n" in fresh and fresh.endswith("After.\n")
    assert "stale table" not in fresh
    assert "`turnover.quit_probability`" in fresh
    assert docs.render(fresh) == fresh
    assumed = [line for line in fresh.splitlines() if "modelling assumption" in line]
    assert {line.split("`")[1] for line in assumed} == {"social_network", "coherence_progress"}


def test_rendering_rejects_unknown_sections() -> None:
    with pytest.raises(KeyError, match="unknown scenario group"):
        docs.render("<!-- generated: params nonsense -->\n<!-- end generated -->\n")
    with pytest.raises(ValueError, match="unknown generated section"):
        docs.render("<!-- generated: everything -->\n<!-- end generated -->\n")
    with pytest.raises(KeyError, match="unknown mechanism"):
        docs.render("<!-- generated: mechanism population -->\n<!-- end generated -->\n")


def test_write_generated_refreshes_only_stale_files(tmp_path: Path) -> None:
    stale_page, fresh_page = tmp_path / "a.md", tmp_path / "b.md"
    stale_page.write_text("# A\n<!-- generated: params records -->\nold\n<!-- end generated -->\n", encoding="utf-8")
    fresh_page.write_text(docs.render(stale_page.read_text(encoding="utf-8")), encoding="utf-8")
    assert docs.stale(tmp_path) == [stale_page]
    assert docs.write_generated(tmp_path) == [stale_page]
    assert docs.stale(tmp_path) == []
    assert stale_page.read_text(encoding="utf-8") == fresh_page.read_text(encoding="utf-8")


def _calibration_records() -> list[Path]:
    return docs.calibration_records(DOCS)


def test_the_calibration_page_is_rendered_from_a_record() -> None:
    assert _calibration_records() == [DOCS / "calibration.json"]


@pytest.mark.parametrize("path", _calibration_records(), ids=lambda p: p.name)
def test_the_calibration_record_covers_the_current_targets(path: Path) -> None:
    record = docs.read_calibration_record(path)  # raises when targets were added, removed or renamed
    assert record["replications"] >= 5, "a calibration record of fewer than 5 replications says little"
    table = docs.calibration_table(record)
    for target in docs.calibration_targets():
        row = next(line for line in table.splitlines() if line.startswith(f"| `{target.key}` |"))
        cells = [c.strip() for c in row.split("|")[1:-1]]
        like = target.published
        assert cells[2] == f"{docs._number(like, like)} ± {docs._number(target.uncertainty, like)}"
    sources = table[table.index("**Sources**") :]
    assert all(f"| `{t.key}` |" in sources for t in docs.calibration_targets()), "every figure names its source"


@pytest.mark.parametrize("path", _calibration_records(), ids=lambda p: p.name)
def test_the_calibration_record_is_what_the_model_gives_now(path: Path) -> None:
    """Rerun only the first replication (a few seconds at BIP scale): it must equal the recorded one."""
    record = docs.read_calibration_record(path)
    [table] = docs.simulate_calibration(record["scenario"], record["seed"], 1, record["citizens"], record["weeks"])
    now = table.set_index("key")["simulated"]
    changed = [
        key
        for key, values in record["figures"].items()
        if not (values[0] is None and pd.isna(now[key]))
        and (values[0] is None or pd.isna(now[key]) or not math.isclose(values[0], now[key], rel_tol=1e-9))
    ]
    assert not changed, (
        f"the model no longer gives the recorded calibration ({', '.join(changed)} changed); "
        f"run `{docs.CALIBRATION_COMMAND}` (about 20 s of CPU on a 2-core machine) and commit docs/calibration.json "
        "and docs/calibration.md"
    )


def test_calibration_rendering_summarises_replications_like_bipsim_calibrate() -> None:
    targets = docs.calibration_targets()
    first = targets[0]
    figures = {t.key: [t.published, t.published] for t in targets}
    figures[first.key] = [first.published + 2 * first.tolerance + 1, first.published + 2 * first.tolerance + 3]
    record = {"scenario": "baseline", "seed": 7, "replications": 2, "citizens": 100, "weeks": 52, "figures": figures}
    table = docs.calibration_table(record)
    assert "seed 7, 2 replications of 100 citizens × 52 weeks" in table
    assert f"**{len(targets) - 1} of {len(targets)}**" in table
    row = next(line for line in table.splitlines() if line.startswith(f"| `{first.key}` |"))
    cells = [c.strip() for c in row.split("|")[1:-1]]
    assert cells[3] == docs._number(first.published + 2 * first.tolerance + 2, first.published)
    assert float(cells[4].replace(",", "")) == pytest.approx(1.0)  # standard deviation 1.414 / sqrt(2)
    assert cells[6] == "**no**"
    assert "| `refusion` |" in table.split("Not computed")[1]


def test_calibration_record_is_refused_when_targets_differ(tmp_path: Path) -> None:
    record = {"scenario": "baseline", "seed": 0, "replications": 1, "citizens": 1, "weeks": 1, "figures": {"x": [1]}}
    (tmp_path / "c.json").write_text(json.dumps(record), encoding="utf-8")
    with pytest.raises(ValueError, match="not the calibration targets"):
        docs.read_calibration_record(tmp_path / "c.json")
    with pytest.raises(FileNotFoundError, match="--calibrate"):
        docs.render("<!-- generated: calibration missing.json -->\n<!-- end generated -->\n", tmp_path)


def test_data_dictionary_section_sits_one_level_below_the_page_title() -> None:
    section = docs.render_section("data_dictionary")
    headings = [line for line in section.splitlines() if line.startswith("#")]
    assert headings and all(h.startswith("## ") or h.startswith("### ") or h.startswith("#### ") for h in headings)
    assert not any(h.startswith("# ") for h in headings)
    assert "#### `register_weeks.parquet`" in section.splitlines()


def _recovery_records() -> list[Path]:
    return docs.recovery_records(DOCS)


def test_the_recovery_section_is_rendered_from_a_record() -> None:
    assert _recovery_records() == [DOCS / "recovery.json"]
    assert "<!-- generated: recovery recovery.json -->" in (DOCS / "research.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("path", _recovery_records(), ids=lambda p: p.name)
def test_the_recovery_record_covers_the_current_methods_and_placebo_truths_are_zero(path: Path) -> None:
    record = docs.read_recovery_record(path)  # raises when a method or its estimand changed
    assert record["replications"] >= 20, "a recovery record of fewer than 20 replications says little"
    assert record["citizens"] == 4000 and record["weeks"] == 208, "the record is of a BIP-scale study"
    placebo = record["scenarios"]["placebo"]["rows"]
    effects = [r for r in placebo if r["with_truth"] and r["estimand_kind"] != "experience_share"]
    assert effects and all(r["true_value"] == 0 for r in effects)


@pytest.mark.parametrize("path", _recovery_records(), ids=lambda p: p.name)
def test_the_recovery_record_is_what_the_analyses_give_now(path: Path) -> None:
    """Rerun the first baseline replication (a few seconds at BIP scale): its estimates must be the recorded ones."""
    record = docs.read_recovery_record(path)
    first = record["first_replication"]
    now = docs.first_replication(record["seed"], record["replications"], record["citizens"], record["weeks"])
    changed = [key for key, value in first.items() if not _same(value, now.get(key))]
    assert not changed, (
        f"the analyses no longer give the recorded recovery study ({', '.join(changed[:5])} changed); "
        f"run `{docs.RECOVERY_COMMAND}` (it took {recorded_minutes(record)} min when recorded) and commit "
        "docs/recovery.json and docs/research.md"
    )


def recorded_minutes(record: dict) -> int:
    """The wall time of the recorded recovery study (all its scenarios), in whole minutes."""
    return round(sum(study["wall_seconds"] for study in record["scenarios"].values()) / 60)


def test_the_recovery_record_says_how_long_it_took() -> None:
    """The time the docs give for remaking the record is the recorded one, not a guess."""
    record = docs.read_recovery_record(DOCS / "recovery.json")
    assert recorded_minutes(record) > 0, "the recovery record keeps each study's wall time"
    section = docs.recovery_section(record)
    for name, study in record["scenarios"].items():
        assert f"{name} {study['wall_seconds']:.0f} s" in section


def _same(recorded: float | None, now: float | None) -> bool:
    if recorded is None or now is None:
        return recorded is None and now is None
    return math.isclose(recorded, now, rel_tol=1e-5, abs_tol=1e-9)


def test_recovery_rendering_reads_every_measure_and_reason_from_the_record() -> None:
    from bipsim.analysis.methods import METHODS

    rows = []
    for m in METHODS:
        for mechanism in m.mechanisms:
            row = dict.fromkeys(docs.RECOVERY_FIELDS, None)
            row |= {"estimand": mechanism, "method": m.key, "outcome": m.outcome, "estimand_kind": m.estimand_kind}
            row |= {
                "replications": 0,
                "replications_missing": 3,
                "with_truth": 0,
                "exposed_median": 4,
                "events_median": 1,
            }
            rows.append(row)
    scored = rows[0] | {"replications": 3, "replications_missing": 0, "with_truth": 3, "true_value": 0.5}
    scored |= {"bias": 0.125, "bias_mcse": 0.01, "coverage": 0.667, "coverage_mcse": 0.27, "mean_estimate": 0.625}
    rows[0] = scored
    study = {"failed": 0, "wall_seconds": 1.0, "rows": rows}
    record = {"seed": 1, "replications": 3, "citizens": 10, "weeks": 5, "workers": 1}
    record |= {"scenarios": {"baseline": study, "placebo": study}}
    text = docs.recovery_section(record)
    assert "3 replications of 10 citizens × 5 weeks per scenario, seed 1" in text
    line = next(x for x in text.splitlines() if x.startswith(f"| {rows[0]['estimand']} | {rows[0]['method']} |"))
    assert "0.125 (0.010)" in line and "0.67 (0.27)" in line and "3/3" in line
    assert "#### The baseline study" in text and "#### The placebo study" in text
    assert "Not estimable in any replication" in text
