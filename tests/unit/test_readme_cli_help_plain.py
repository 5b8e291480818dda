"""`fosp project --help` and `fosp video --help`, which the README's command table sends a new user
to, read as plain text: their module docstrings' reST markup (``.fosp``, :class:`...`) is not shown."""

from __future__ import annotations

import pytest

from fosp_core.cli import main as fosp
from fosp_core.cli.help_text import as_help


@pytest.mark.parametrize("command", ["project", "video"])
def test_the_help_shows_no_rest_markup(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        fosp([command, "--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert f"fosp {command} " in out and "Exit codes (fosp_core.cli.ExitCode, the README's)" in out
    assert "``" not in out and ":class:" not in out


def test_as_help_keeps_the_words_and_the_layout() -> None:
    doc = "``fosp x``: one.\n\n    fosp x A  [--b]\n\nSee :class:`a.B` and ``.fosp/`` (:func:`c`).\n"
    assert as_help(doc) == "fosp x: one.\n\n    fosp x A  [--b]\n\nSee a.B and .fosp/ (c).\n"
