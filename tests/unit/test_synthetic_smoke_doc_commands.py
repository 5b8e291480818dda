"""docs/synthetic-smoke.md's commands work from a fresh clone: its `bash` block and its Python
example run as written from a folder laid out as the repository root (the bundled demo copied, the
user cache in tmp). Before, they named `../shared/data/smoke5k-train`, which exists only on the
project's machines, and the Python example used an undefined `background_rgb`; the data that only
exists elsewhere (SMOKE5K) is now named by a placeholder, in blocks that are not run."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest

from fosp_core.cli import main as fosp

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "synthetic-smoke.md"


def blocks(lang: str) -> list[str]:
    """The doc's fenced code blocks of `lang` ("" for the plain ones)."""
    return re.findall(rf"```{lang}\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)


@pytest.fixture
def clone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(ROOT / "resources" / "demo", tmp_path / "resources" / "demo")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("FOSP_CACHE", str(tmp_path / "cache"))
    return tmp_path


def test_no_block_names_the_project_machines_data() -> None:
    text = DOC.read_text(encoding="utf-8")
    code = re.findall(r"```[a-z]*\n(.*?)```", text, flags=re.S)
    assert len(code) >= 4, code
    assert not [c for c in code if "../shared" in c], code  # was in the command and in the Python example


def test_the_bash_commands_run_from_a_fresh_clone(clone: Path, capsys: pytest.CaptureFixture[str]) -> None:
    commands = [line.strip() for b in blocks("bash") for line in b.splitlines() if line.strip()]
    assert commands and all(c.startswith("fosp ") for c in commands), commands
    for command in commands:
        code = fosp(shlex.split(command)[1:])
        out = capsys.readouterr()
        assert code == 0, (command, out)
    assert "8 synthetic samples in out/synth-demo" in out.out
    assert len(list((clone / "out" / "synth-demo" / "JPEGImages").glob("synth_0_*.jpg"))) == 8
    assert (clone / "out" / "synth-demo-sheet.png").stat().st_size > 0


def test_the_python_example_runs_from_a_fresh_clone(clone: Path) -> None:
    (example,) = blocks("python")
    names: dict[str, object] = {}
    exec(compile(example, str(DOC), "exec"), names)  # noqa: S102  (the doc's own example)
    res, samples = names["res"], names["samples"]
    assert res.image.shape == res.background.shape and res.mask.max() == 1  # type: ignore[attr-defined]
    assert len(samples) == 4  # type: ignore[arg-type]
