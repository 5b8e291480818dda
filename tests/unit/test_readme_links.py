"""What a reader of README.md and docs/*.md can follow: every relative link (and image) opens an
existing file, and every `#anchor` names a heading of the file it points into; every `bench/...`
script the README quotes a number from exists. Text only, no imports of the package: well under 1 s."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
FENCE = re.compile(r"^```.*?^```", re.S | re.M)


def _links(text: str) -> list[str]:
    """The targets of the markdown links and images of `text` (code blocks left out)."""
    text = FENCE.sub("", text)
    text = re.sub(r"`[^`\n]*`", "", text)  # inline code: `a[i](x)` is no link
    return LINK.findall(text)


def github_anchor(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[`*]|\[([^\]]*)\]\([^)]*\)", r"\1", heading.strip()).lower()
    kept = "".join(c for c in text if c in " -_" or unicodedata.category(c)[0] in "LNM")
    return kept.replace(" ", "-")


def anchors(page: Path) -> set[str]:
    """Every heading anchor of `page` (a repeated heading gets -1, -2, ... as on GitHub)."""
    seen: dict[str, int] = {}
    out: set[str] = set()
    for line in FENCE.sub("", page.read_text(encoding="utf-8")).splitlines():
        match = re.match(r"#{1,6}\s+(.*?)\s*#*\s*$", line)
        if match is None:
            continue
        slug = github_anchor(match.group(1))
        out.add(f"{slug}-{seen[slug]}" if slug in seen else slug)
        seen[slug] = seen.get(slug, 0) + 1
    return out


def broken_links(page: Path) -> list[str]:
    problems = []
    for target in _links(page.read_text(encoding="utf-8")):
        if re.match(r"[a-z][a-z0-9+.-]*:", target, re.I):  # https:, mailto:
            continue
        path_part, _, anchor = target.partition("#")
        dest = (page.parent / path_part).resolve() if path_part else page
        if not dest.exists():
            problems.append(f"{target}: no such file")
        elif anchor and dest.suffix == ".md" and anchor not in anchors(dest):
            problems.append(f"{target}: no heading with anchor #{anchor} in {dest.name}")
    return problems


def test_the_anchor_rule_follows_github() -> None:
    assert github_anchor("Input size and test-time augmentation of the default (2026-11-25)") == \
        "input-size-and-test-time-augmentation-of-the-default-2026-11-25"
    assert github_anchor("Stage 8: `soup` of seven, F_β 50.8") == "stage-8-soup-of-seven-f_β-508"
    assert _links("[a](x.md) ![b](img/y.png) `[c](not-a-link)` [d](https://e.org)") == \
        ["x.md", "img/y.png", "https://e.org"]


def test_a_broken_link_or_anchor_is_found(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("# Top\n## Two words\n[ok](#two-words) [x](#three) [y](b.md) [z](a.md#top)\n")
    assert broken_links(tmp_path / "a.md") == ["#three: no heading with anchor #three in a.md", "b.md: no such file"]


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_every_relative_link_opens(page: Path) -> None:
    assert broken_links(page) == []


def test_every_bench_script_the_readme_names_exists() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    named = set(re.findall(r"\bbench/[\w/.-]+\.(?:py|sh)\b", readme))
    assert named, "the README names no bench script: its Speed table says where its numbers come from"
    assert sorted(n for n in named if not (ROOT / n).is_file()) == []


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_every_script_a_doc_page_names_exists(page: Path) -> None:
    """README.md and docs/*.md say how each figure was measured (`python bench/....py`, `tests/...py`): the file is there."""
    named = set(re.findall(r"\b(?:bench|tests|app|fosp_core)/[\w/.-]+\.(?:py|sh)\b", page.read_text(encoding="utf-8")))
    assert sorted(n for n in named if not (ROOT / n).is_file()) == []


def test_every_speed_row_names_its_bench_script() -> None:
    """Each number of the README's Speed table can be made again: its row names the script."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("\n## Speed\n", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in table.splitlines() if line.startswith("| ") and not line.startswith("| what")]
    assert len(rows) > 10
    assert [row[:70] for row in rows if "bench/" not in row] == []
