"""The README's command-line loop says what `fosp project init` run again does (since 2ba80726): it says
the project is there and adds the images put in the folder since, quoted as the command prints it."""

from __future__ import annotations

import re
from pathlib import Path

import cv2
import numpy as np
import pytest

from fosp_core.cli import main

ROOT = Path(__file__).resolve().parents[2]


def _said() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return " ".join(text.split("### From the command line", 1)[1].split("\n### ", 1)[0].split())


def test_init_run_again_says_what_the_readme_quotes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("FOSP_CACHE", str(tmp_path / "cache"))
    photos = tmp_path / "photos"
    photos.mkdir()
    rng = np.random.default_rng(0)
    for name in ("a", "b"):
        cv2.imwrite(str(photos / f"{name}.jpg"), rng.integers(0, 255, (32, 48, 3), dtype=np.uint8))
    assert main(["project", "init", str(photos)]) == 0
    for name in ("c", "d"):  # "after putting more images in the folder"
        cv2.imwrite(str(photos / f"{name}.jpg"), rng.integers(0, 255, (32, 48, 3), dtype=np.uint8))
    capsys.readouterr()
    assert main(["project", "init", str(photos)]) == 0
    out = capsys.readouterr().out
    quoted = re.search(r"\*(already an annotation project: )…(; 2 new images added)\*", _said())
    assert quoted is not None, "the README's quote of init run again moved: update this test"
    first = out.splitlines()[0]
    assert first.startswith(quoted.group(1)) and first.endswith(quoted.group(2)), out
    assert "changes nothing" not in _said()
