"""The `fosp` command line. Each subcommand lives in its own module with `register(subparsers)`."""

from __future__ import annotations

import argparse
import importlib
import sys

# Subcommand modules, in help order. Each defines register(subparsers) and sets func on its parser;
# func(args) -> int exit code.
SUBCOMMANDS: list[str] = [
    "fosp_core.cli.info",
    "fosp_core.cli.dataset",
    "fosp_core.cli.eval",
    "fosp_core.cli.predict",
    "fosp_core.cli.project",
    "fosp_core.cli.train",
    "fosp_core.cli.train_ssl",
    "fosp_core.cli.train_mine",
]


def add_keep_argument(p: argparse.ArgumentParser) -> None:
    """`--keep RULE`, the region rule of the masks (`fosp_core.metrics.decision`), for the commands
    that threshold probabilities (`fosp predict`, `fosp eval`); each parses it with `parse_rule`."""
    p.add_argument("--keep", default="plain", metavar="RULE",
                   help="which regions of the threshold mask count as smoke: plain (all, default), core:T "
                        "(only regions with a pixel above T), mean:T (mean probability above T), area:A (at "
                        "least A px at a 512 long side); fewer false alarms, fewer faint small plumes "
                        "(docs/training.md, stage 23)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="fosp", description="FoSp Studio command line")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in SUBCOMMANDS:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
