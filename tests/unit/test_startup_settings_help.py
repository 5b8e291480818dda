"""Where the settings are when `FOSP_CACHE` is set, said where a user looks: `$FOSP_CACHE/fosp-studio.ini`
sits in the cache folder with the projects and runs (`app.services.settings_file`), so removing that folder
by hand removes the recent files, video positions, theme and shortcuts too. The product has no action that
clears the cache (nothing in app/, fosp_core/ or `fosp` removes the cache folder or files at its top); the
README and `fosp-studio --help` named the file but not what removing the folder costs, nor how to keep the
settings elsewhere (`FOSP_CONFIG`)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app.main import parse_args

ROOT = Path(__file__).resolve().parents[2]


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_help_says_removing_the_cache_folder_removes_the_settings(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        parse_args(["--help"])
    text = _flat(capsys.readouterr().out)
    assert "$FOSP_CACHE/fosp-studio.ini" in text
    assert "removing that folder removes them too" in text, text  # was not said
    assert "FOSP_CONFIG" in text


def test_readme_says_removing_the_cache_folder_removes_the_settings() -> None:
    readme = _flat((ROOT / "README.md").read_text(encoding="utf-8"))
    start = readme.index("The app keeps its settings")
    paragraph = readme[start:start + 1500]
    assert "removing that folder removes them too" in paragraph, paragraph  # was not said
