"""Every `fosp` subcommand's --help (and its subcommands' --help) starts without importing torch
(`tests/unit/test_cli_startup_no_torch.py` checks `fosp --help` and the commands that run no model;
this one walks the whole parser, so a new subcommand that imports torch with its module is caught).
One fresh process runs them all, in order: the first that imports torch is the one named."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

from fosp_core.cli import build_parser

_RUN = """
import json, sys
from fosp_core.cli import main
for argv in map(json.loads, sys.argv[1:]):
    try:
        main(argv)
    except SystemExit:
        pass
    print("RESULT", json.dumps(argv), "torch" in sys.modules, flush=True)
"""


def _help_commands() -> list[list[str]]:
    """[--help], [cmd, --help], [cmd, sub, --help] for every (sub)command of the parser."""
    def walk(parser: argparse.ArgumentParser, prefix: list[str]) -> list[list[str]]:
        out = [[*prefix, "--help"]]
        for action in parser._actions:  # noqa: SLF001 - argparse keeps subparsers only here
            if isinstance(action, argparse._SubParsersAction):  # noqa: SLF001
                for name, sub in action.choices.items():
                    out += walk(sub, [*prefix, name])
        return out

    return walk(build_parser(), [])


def test_every_help_starts_without_torch() -> None:
    commands = _help_commands()
    assert len(commands) > 10 and ["predict", "--help"] in commands and ["video", "export", "--help"] in commands
    done = subprocess.run([sys.executable, "-c", _RUN, *map(json.dumps, commands)], capture_output=True,
                          text=True, timeout=240)
    results = [line.split(" ", 1)[1].rsplit(" ", 1) for line in done.stdout.splitlines() if line.startswith("RESULT")]
    assert done.returncode == 0 and len(results) == len(commands), done.stderr[-2000:]
    with_torch = [" ".join(json.loads(argv)) for argv, torch_in in results if torch_in == "True"]
    assert not with_torch, f"fosp {with_torch[0]} imported torch"
