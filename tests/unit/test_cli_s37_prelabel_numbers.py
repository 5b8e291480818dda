"""`fosp project prelabel`'s numbers checked as the other commands check them (session 37, helper N3, odd
invocations as a new user).

``--tau 5`` pre-labelled every image with a Focus threshold out of [0, 1] (exit 0: masks written that no
setting of the app makes), where ``fosp predict``, ``eval`` and ``compare`` refuse it; ``--input-size 0`` (or
33) exited 3 "nothing to pre-label" when every image had a mask, and failed only once the model loaded
otherwise. Both are usage errors now, said before the project is opened (exit 2, nothing written)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from fosp_core.annotation.project import Project
from fosp_core.cli import ExitCode, main


def _photos(tmp_path: Path, demo_dir: Path) -> Path:
    photos = Path(shutil.copytree(demo_dir / "JPEGImages", tmp_path / "photos"))
    Project.open(photos).close()
    return photos


@pytest.mark.parametrize(("flag", "value", "words"), [("--tau", "5", "--tau must be in [0, 1]"),
                                                      ("--tau", "-0.1", "--tau must be in [0, 1]"),
                                                      ("--input-size", "0", "--input-size must be a positive multiple of 32"),
                                                      ("--input-size", "33", "--input-size must be a positive multiple of 32")])
def test_numbers_out_of_range_are_usage_errors(tmp_path: Path, demo_dir: Path, flag: str, value: str, words: str,
                                               monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    from fosp_core.cli import project_prelabel

    photos = _photos(tmp_path, demo_dir)
    monkeypatch.setattr(project_prelabel, "_load", lambda *_: pytest.fail("the model was loaded"))
    before = sorted(p.name for p in (photos / ".fosp").rglob("*"))
    assert main(["project", "prelabel", str(photos), flag, value, "--device", "cpu"]) == ExitCode.USAGE
    assert words in capsys.readouterr().err
    assert sorted(p.name for p in (photos / ".fosp").rglob("*")) == before

