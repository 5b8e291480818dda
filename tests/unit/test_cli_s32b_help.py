"""``fosp <command> --help`` for every command and subcommand: it says what the command does (a description,
not the usage line alone: `fosp project status --help`, `fosp video export --help` and 8 others had none),
every argument is explained (`fosp dataset convert`'s SRC and DST, `fosp train-export`'s RUN, `fosp project
prelabel --precision` were bare), positionals read as the descriptions' usage lines write them (PROJECT,
VIDEO DST: the usage said "project", "video dst") and no option's value reads as Python's name for it
(``--runs-dir RUNS_DIR``, ``--data-root DATA_ROOT``, ``--input-size INPUT_SIZE``). `fosp train`'s usage
ended "CONFIG ..." (now CONFIG [KEY=VALUE ...]) and `fosp train-inpainter --help` offered --export-default,
which it refuses. Builds the parser only."""

from __future__ import annotations

import argparse
from collections.abc import Iterator

import pytest

from fosp_core.cli import build_parser


def parsers() -> Iterator[tuple[str, argparse.ArgumentParser]]:
    """(name, parser) of every fosp command and subcommand."""
    todo = [("fosp", build_parser())]
    while todo:
        name, parser = todo.pop()
        yield name, parser
        for action in parser._actions:  # noqa: SLF001
            if isinstance(action, argparse._SubParsersAction):  # noqa: SLF001
                todo.extend((f"{name} {sub}", p) for sub, p in action.choices.items())


def arguments(parser: argparse.ArgumentParser) -> Iterator[argparse.Action]:
    for action in parser._actions:  # noqa: SLF001
        if not isinstance(action, (argparse._SubParsersAction, argparse._HelpAction,  # noqa: SLF001
                                   argparse._VersionAction)) and action.help != argparse.SUPPRESS:  # noqa: SLF001
            yield action


def test_every_command_says_what_it_does() -> None:
    assert [name for name, parser in parsers() if not (parser.description or "").strip()] == []


def test_every_argument_is_explained() -> None:
    bare = [f"{name} {action.option_strings[0] if action.option_strings else action.dest}"
            for name, parser in parsers() for action in arguments(parser) if not (action.help or "").strip()]
    assert bare == []


def test_values_read_as_words_not_python_names() -> None:
    odd = []
    for name, parser in parsers():
        for action in arguments(parser):
            if action.nargs == 0:
                continue
            shown = action.metavar if action.metavar is not None else (
                action.dest.upper() if action.option_strings else action.dest)
            if action.choices is not None and action.metavar is None:
                continue  # {a,b,c}
            if isinstance(shown, str) and ("_" in shown or (not action.option_strings and shown != shown.upper())):
                odd.append(f"{name} {action.option_strings[:1] or ''} {shown}")
    assert odd == []


def test_train_usage_names_the_overrides_and_inpainter_help_leaves_export_default_out(
        capsys: pytest.CaptureFixture[str]) -> None:
    for words in (["train", "--help"], ["train-inpainter", "--help"]):
        with pytest.raises(SystemExit):
            build_parser().parse_args(words)
        out = capsys.readouterr().out
        assert "CONFIG [KEY=VALUE ...]" in out.split("\n\n")[0], out.split("\n\n")[0]
        assert ("--export-default" in out) == (words[0] == "train")
