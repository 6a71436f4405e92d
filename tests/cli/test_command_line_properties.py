"""Property test of the command line: whatever a user types, one answer and never a traceback.

Hypothesis composes command lines from every subcommand, its options and hostile values (negative, zero,
huge, non-numeric, empty, paths that are not there). Commands that would start long work always carry at
least one bad value, so the test stays quick; the property is that ``main`` returns an exit code (0, 1, 2)
and prints no traceback.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bipsim.cli import main

HOSTILE = ["-1", "0", "1e9", "many", "", "3.5", "-0", "99999999999999999999", "nan", "/nonexistent/x", "é"]
OPTIONS = {
    "run": ["--seed", "--citizens", "--weeks", "--out"],
    "calibrate": ["--seed", "--citizens", "--weeks", "--replications"],
    "compare": ["--replications", "--workers", "--citizens", "--weeks", "--seed"],
    "sweep": ["--replications", "--workers", "--vary", "--n", "--citizens", "--out", "--scheduler"],
    "sensitivity": ["--params", "--n", "--outcome", "--workers", "--citizens"],
    "recover": ["--replications", "--workers", "--citizens", "--weeks", "--out"],
    "analyze": ["--out"],
    "export": ["--format", "--out", "--language"],
    "describe": [],
    "params": [],
    "scenarios": [],
    "app": ["--port", "--address"],
}
POSITIONAL = {
    "compare": ["baseline", "null"],
    "sweep": ["baseline"],
    "sensitivity": ["baseline"],
    "analyze": ["/nonexistent/bundle"],
    "export": ["/nonexistent/bundle"],
    "describe": ["/nonexistent/bundle"],
    "params": ["nothing"],
}
SLOW = {"run", "calibrate", "compare", "sweep", "sensitivity", "recover", "app"}


@st.composite
def command_lines(draw: st.DrawFn) -> list[str]:
    command = draw(st.sampled_from(sorted(OPTIONS)))
    argv = [command, *POSITIONAL.get(command, [])]
    options = OPTIONS[command]
    if options:
        chosen = draw(st.lists(st.sampled_from(options), max_size=3, unique=True))
        for option in chosen:
            argv += [option, draw(st.sampled_from(HOSTILE))]
    if command in SLOW:  # a value no option of these takes (a negative seed, count or port) keeps them quick
        argv += [options[0], "-1"]
    return argv


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(argv=command_lines())
def test_any_command_line_gets_an_exit_code_and_no_traceback(argv, capsys):
    try:
        code = main(argv)
    except SystemExit as exit_:  # argparse's own refusals end the process the same way the command does
        code = exit_.code
    out = capsys.readouterr()
    assert code in (0, 1, 2), (argv, code, out.err[-500:])
    assert "Traceback" not in out.err, (argv, out.err[-2000:])
    if code == 2:
        assert out.err.strip().startswith("bipsim"), (argv, out.err)
