"""`fosp eval --help` describes the --json file as it is written: one checkpoint gives
{split: {...}}, two or more give {checkpoint: {split: {...}}}."""

from __future__ import annotations

import pytest

from fosp_core.cli import main


def test_eval_json_help_names_both_shapes(capsys: pytest.CaptureFixture) -> None:
    with pytest.raises(SystemExit):
        main(["eval", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "{split: {...}}" in text and "{checkpoint: {split: {...}}}" in text
