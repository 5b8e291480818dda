"""``--help`` (or ``-h``) anywhere before ``--`` prints the command's help (exit 0), as it does after CONFIG in
``fosp train CONFIG --export-default --help`` (the words after CONFIG are the command's): an option still
waiting for its value (``fosp predict x --out --help``, ``fosp train --export-default --help CONFIG``) or given
a bad one (``--threshold abc --help``) ended in "expected one argument" / "invalid float value" (exit 2)."""

from __future__ import annotations

import pytest

from fosp_core.cli import main


@pytest.mark.parametrize("argv", [
    ["train", "small-cpu", "--export-default", "--help"],
    ["train", "--export-default", "--help", "small-cpu"],
    ["train", "--export-default", "-h"],
    ["train-export", "--notes", "--help"],
    ["predict", "x.jpg", "--out", "--help"],
    ["predict", "x.jpg", "--threshold", "abc", "--help"],
    ["eval", "--json", "--help"],
    ["project", "init", "--help"],
    ["project", "prelabel", "--checkpoint", "--help"],
    ["video", "--help"],
])
def test_help_wins_over_an_options_missing_or_bad_value(argv: list[str], capsys) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    captured = capsys.readouterr()
    command = " ".join(word for word in argv[:2] if not word.startswith("-") and "." not in word
                       and word != "small-cpu")
    assert exit_.value.code == 0, captured.err
    assert captured.out.startswith(f"usage: fosp {command}"), captured.out[:200]
    assert captured.err == ""


def test_help_after_double_dash_is_a_word(tmp_path, capsys) -> None:
    """After ``--`` it is a path like any other (a file named --help)."""
    code = main(["predict", "--out", str(tmp_path / "o"), "--", "--help"])
    assert code == 2 and "no such file or folder: --help" in capsys.readouterr().err


def test_an_option_without_its_value_is_still_said_without_help(capsys) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["predict", "x.jpg", "--out"])
    assert exit_.value.code == 2 and "expected one argument" in capsys.readouterr().err
