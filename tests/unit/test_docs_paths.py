"""The files and modules README.md and docs/*.md name are there: each path of the repository in inline
code (`app/...`, `fosp_core/...`, `tests/...`, `bench/...`, `resources/...`, `packaging/...`, `docs/...`,
`.ci/...`; a `*` matches as a glob) exists, each test file named alone (`test_x.py`) is one of tests/, and
each `python -m MODULE` names a module Python finds. Links are tests/unit/test_readme_links.py's. Text
and `importlib.util.find_spec` only: well under 1 s."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
REPO_PATH = re.compile(r"(?<![\w./~$<-])((?:app|fosp_core|tests|bench|resources|packaging|docs|\.ci)/[\w./*-]*[\w*])")
TEST_FILE = re.compile(r"(?<![\w/])(test_[\w*]+\.py)")
MODULE = re.compile(r"\bpython3? -m ([A-Za-z_][\w.]*)")


def missing(text: str, root: Path, test_names: set[str]) -> list[str]:
    """What `text` names in inline code or commands that `root` lacks."""
    out = []
    for span in re.findall(r"`([^`\n]+)`", text):
        for path in REPO_PATH.findall(span):
            there = any(root.glob(path)) if "*" in path else (root / path).exists() or (root / "docs" / path).exists()
            if not there:
                out.append(path)
        for name in TEST_FILE.findall(span):
            if not any(re.fullmatch(name.replace("*", r"\w*"), have) for have in test_names):
                out.append(name)
    for module in MODULE.findall(text):
        if module not in {"pip", "venv", "pytest"} and importlib.util.find_spec(module) is None:
            out.append(f"python -m {module}")
    return out


def test_a_name_that_is_not_there_is_found(tmp_path: Path) -> None:
    (tmp_path / "bench").mkdir()
    (tmp_path / "bench" / "bench_a.py").write_text("")
    text = ("`bench/bench_a.py`, `bench/bench_b.py --x`, `bench/bench_*.py`, `tests/gui/*.py`, `test_a.py` and "
            "`test_zz.py`; `~/app/x.py` is no repository path\n```bash\npython -m app.no_such_module OUT.png\n```\n")
    assert missing(text, tmp_path, {"test_a.py"}) == ["bench/bench_b.py", "tests/gui/*.py", "test_zz.py",
                                                      "python -m app.no_such_module"]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_file_and_module_named_is_there(page: Path) -> None:
    test_names = {p.name for p in (ROOT / "tests").rglob("test_*.py")}
    assert missing(page.read_text(encoding="utf-8"), ROOT, test_names) == []
