"""`occi complete`: the bash completion script cliff writes for every command, sourced in bash
and asked to complete partial command lines (no site needed)."""

from __future__ import annotations

import subprocess

import pytest

from tests.client.conftest import ok, run

# bash-completion's helper, which the script calls, reduced to what the script reads (the
# package is not installed everywhere; this is its documented behaviour without -n).
_COMP_WORDS_BY_REF = """
_get_comp_words_by_ref() {
  cur="${COMP_WORDS[COMP_CWORD]}"
  prev="${COMP_WORDS[COMP_CWORD-1]}"
  words=("${COMP_WORDS[@]}")
}
"""


@pytest.fixture(scope="module")
def script() -> str:
    return ok(run("complete")).out


def _complete(script: str, line: str) -> list[str]:
    """What bash offers after `line` (a trailing space: a new word)."""
    words = line.split(" ")
    probe = "\n".join([
        _COMP_WORDS_BY_REF,
        script,
        "COMP_WORDS=(" + " ".join(f"'{w}'" for w in words) + ")",
        f"COMP_CWORD={len(words) - 1}",
        "_occi",
        'printf "%s\\n" "${COMPREPLY[@]}"',
    ])  # fmt: skip
    done = subprocess.run(["bash", "-c", probe], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    return sorted(filter(None, done.stdout.splitlines()))


@pytest.mark.parametrize(
    ("line", "offered"),
    [
        ("occi sec", ["security-group"]),
        ("occi ip", ["ipreservation"]),
        ("occi storage ", ["backup", "create", "delete", "list", "resize", "show", "snapshot"]),
        ("occi security-group rule ", ["add", "delete"]),
        ("occi storage resize --si", ["--size"]),
        ("occi link create --ip", ["--ip-reservation"]),
    ],
)
def test_bash_completes_commands_and_options(script: str, line: str, offered: list[str]) -> None:
    assert _complete(script, line) == offered


def test_script_registers_itself_for_occi(script: str) -> None:
    assert script.rstrip().endswith("complete -F _occi occi")
