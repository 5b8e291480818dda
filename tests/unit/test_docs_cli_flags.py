"""Every command line README.md and docs/*.md show is one the programs take: each `fosp ...` names
subcommands of `fosp_core.cli.build_parser()` and only flags of the subcommand it reaches, and each
`fosp-studio ...` / `python main.py ...` only flags of `app.main.build_parser()`. Read from code blocks
(one command a line, `# comments` left out) and inline code; in the README's command table, every flag
of a row belongs to the row's commands. Builds the two parsers (no torch, no Qt window): about 1 s."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"^```[^\n]*\n(.*?)^```", re.S | re.M)
FLAG = re.compile(r"(?<![\w-])(--[a-z][a-z0-9-]*)")
#: Where a command starts on a line: its start, or after a shell operator or an env assignment.
FOSP = re.compile(r"(?:^|&&|\|\||;|\$\s|\(|\bnice -n \d+|\b[A-Z_]+=\S+|\btorchrun\b.*?)\s*"
                  r"(fosp(?:-studio)?|(?:python )?-m fosp_core|python main\.py)\s+(.*)$")

Tree = dict[tuple[str, ...], set[str]]


def parser_tree(parser: argparse.ArgumentParser, path: tuple[str, ...], tree: Tree) -> Tree:
    """{subcommand path: its option strings} of `parser` and every subparser under it."""
    flags: set[str] = set()
    for action in parser._actions:  # noqa: SLF001 - argparse keeps no public list of them
        if isinstance(action, argparse._SubParsersAction):  # noqa: SLF001
            for name, sub in action.choices.items():
                parser_tree(sub, (*path, name), tree)
        else:
            flags.update(action.option_strings)
    tree[path] = flags
    return tree


def program_trees() -> dict[str, Tree]:
    from app.main import build_parser as studio_parser
    from fosp_core.cli import build_parser as fosp_parser

    fosp = parser_tree(fosp_parser(), ("fosp",), {})
    studio = parser_tree(studio_parser(), ("fosp-studio",), {})
    return {"fosp": fosp, "python -m fosp_core": fosp, "-m fosp_core": fosp, "fosp-studio": studio,
            "python main.py": studio}


def commands(text: str) -> list[tuple[str, str]]:
    """(program, the rest of the line) of each command `text` shows: one a line in code blocks,
    each inline code span that starts with a program's name."""
    found = []
    for block in FENCE.findall(text):
        for line in block.splitlines():
            line = line.split("  #", 1)[0].strip()
            match = FOSP.search(line)
            if match:
                found.append((match.group(1), match.group(2)))
    prose = FENCE.sub("", text)
    for span in re.findall(r"`([^`\n]+)`", prose):
        match = re.match(r"(fosp-studio|fosp|python -m fosp_core|python main\.py)(?:\s+(.*))?$", span)
        if match:
            found.append((match.group(1), match.group(2) or ""))
    return found


def problems(program: str, rest: str, tree: Tree) -> list[str]:
    """What of `program rest` the parsers do not know: a subcommand (a word where one is due) or a
    flag not of the subcommand reached. `a\\|b` (a table cell's alternatives) reaches each of them."""
    words = rest.replace("\\|", "|").split()
    root = ("fosp",) if "fosp_core" in program or program == "fosp" else ("fosp-studio",)
    paths = [root]
    while words:
        word = words[0]
        options = word.split("|")
        nxt = [(*p, o) for p in paths for o in options]
        if all(n in tree for n in nxt):
            paths, words = nxt, words[1:]
            continue
        subs = {key[len(paths[0])] for key in tree if key[:len(paths[0])] == paths[0] and len(key) > len(paths[0])}
        if subs and re.fullmatch(r"[a-z][a-z-]*", word) and not word.startswith("-"):
            return [f"{program} {rest}: no subcommand {word!r} under {' '.join(paths[0])}"]
        break
    known = set().union(*(tree[p] for p in paths))
    return [f"{program} {rest}: {' '.join(paths[0])} has no {flag}" for flag in FLAG.findall(" ".join(words))
            if flag not in known]


def table_rows(text: str) -> list[tuple[str, str]]:
    """(the first cell's `fosp ...` command, the rest of the row) of each table row that starts with one."""
    rows = []
    for line in FENCE.sub("", text).splitlines():
        match = re.match(r"\|\s*`(fosp [^`]+)`\s*\|(.*)$", line)
        if match:
            rows.append((match.group(1), match.group(2)))
    return rows


def row_problems(command: str, rest: str, tree: Tree) -> list[str]:
    """The flags of a command-table row's other cells that none of its commands has (nor a `fosp ...`
    the row names: "as for `fosp eval`")."""
    named = [command, *re.findall(r"`(fosp [^`]+)`", rest)]
    known: set[str] = set()
    for one in named:
        words = one[len("fosp "):].replace("\\|", "|").split()
        paths = [("fosp",)]
        for word in words:
            nxt = [(*p, o) for p in paths for o in word.split("|")]
            if not all(n in tree for n in nxt):
                break
            paths = nxt
        if len(paths[0]) > 1:
            known |= set().union(*(tree[p] for p in paths))
    spans = " ".join(re.findall(r"`([^`]+)`", rest))
    return [f"{command}: row names {flag}, which it has not" for flag in FLAG.findall(spans) if flag not in known]


def test_a_wrong_subcommand_or_flag_is_found() -> None:
    tree: Tree = {("fosp",): {"-h"}, ("fosp", "project"): set(), ("fosp", "project", "export"): {"--split"},
                  ("fosp", "project", "status"): {"--json"}}
    text = ("```bash\nfosp project export P D --split 0.5,0.5   # ok\nfosp project export P D --splits 1  # bad\n```\n"
            "`fosp project exprot P D` and `fosp project status\\|export P --json --yes`\n")
    found = [p for program, rest in commands(text) for p in problems(program, rest, tree)]
    assert found == ["fosp project export P D --splits 1: fosp project export has no --splits",
                     "fosp project exprot P D: no subcommand 'exprot' under fosp project",
                     "fosp project status\\|export P --json --yes: fosp project status has no --yes"]
    row = "| `fosp project export P D` | splits (`--split 0.8,0.2`, or `--keep-splits`) |"
    assert [p for c, r in table_rows(row) for p in row_problems(c, r, tree)] == [
        "fosp project export P D: row names --keep-splits, which it has not"]


@pytest.fixture(scope="module")
def trees() -> dict[str, Tree]:
    return program_trees()


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_command_shown_is_one_the_programs_take(page: Path, trees: dict[str, Tree]) -> None:
    text = page.read_text(encoding="utf-8")
    found = [p for program, rest in commands(text) for p in problems(program, rest, trees[program])]
    found += [p for command, rest in table_rows(text) for p in row_problems(command, rest, trees["fosp"])]
    assert found == []
