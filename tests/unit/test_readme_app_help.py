"""`fosp-studio --help` names what the README's Quick start says the app opens."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app.main import parse_args

ROOT = Path(__file__).resolve().parents[2]


def test_the_help_names_every_kind_the_readme_says_the_app_opens(capsys: pytest.CaptureFixture[str]) -> None:
    """README: `fosp-studio [image|folder|video|dataset ...]`; the help said 'image files, folders
    or SmokeSeg datasets', no videos, though a video named on the command line opens."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    kinds = re.search(r"`fosp-studio \[([a-z|]+) \.\.\.\]`", readme).group(1).split("|")
    assert kinds == ["image", "folder", "video", "dataset"]
    with pytest.raises(SystemExit):
        parse_args(["--help"])
    text = " ".join(capsys.readouterr().out.split())
    paths_help = text.split("positional arguments:", 1)[1].split("options:", 1)[0]
    assert [kind for kind in kinds if kind not in paths_help] == []
