"""`fosp --help` names what each command group does as the README's command table does: the one-line
summary of `dataset`, `project` and `video` names each of their subcommands (its first word: "convert",
"stats" as "stat...", "synth" as "synth...", "prelabel" as "pre-label", "take-over" as "take", "discard-log"
as "discard"). It said "convert datasets to SmokeSeg, print statistics" with no word of `fosp dataset
synth`, and project's had no word of prelabel, take-over or discard-log (13ea30c). Builds the parser
only: well under 1 s."""

from __future__ import annotations

import argparse

import pytest

from fosp_core.cli import build_parser


def summaries() -> dict[str, tuple[str, list[str]]]:
    """{group: (its help line in `fosp --help`, its subcommands)} of the groups that have subcommands."""
    top = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))  # noqa: SLF001
    lines = {choice.dest: choice.help or "" for choice in top._choices_actions}  # noqa: SLF001
    out = {}
    for name, parser in top.choices.items():
        subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]  # noqa: SLF001
        if subs:
            out[name] = (lines[name], list(subs[0].choices))
    return out


def unnamed(line: str, subcommands: list[str]) -> list[str]:
    """The subcommands whose first word (4 letters of it at least; hyphens ignored) `line` lacks."""
    words = line.lower().replace("-", "")
    return [s for s in subcommands if s.split("-")[0][:max(4, len(s.split("-")[0]) - 1)] not in words]


def test_a_summary_that_leaves_a_subcommand_out_is_found() -> None:
    assert unnamed("convert datasets to SmokeSeg, print statistics", ["convert", "stats", "synth"]) == ["synth"]
    assert unnamed("status, pre-label, take a project over, discard logs", ["status", "prelabel", "take-over",
                                                                            "discard-log", "export"]) == ["export"]


@pytest.mark.parametrize("group", ["dataset", "project", "video"])
def test_the_group_summary_names_every_subcommand(group: str) -> None:
    line, subcommands = summaries()[group]
    assert unnamed(line, subcommands) == [], line
