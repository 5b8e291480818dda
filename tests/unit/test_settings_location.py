"""Where the app keeps its settings (recent files, video resume positions, theme, shortcuts, ...):
`Services.default()` used `QSettings(ORGANIZATION, APPLICATION)`, `~/.config/FoSp/FoSp Studio.conf`
whatever `FOSP_CACHE` said, so a process with its own cache (every test, a second profile) read and
wrote the user's real settings. Now `FOSP_CONFIG=DIR` keeps them in `DIR/fosp-studio.ini`; without
it `FOSP_CACHE=DIR` keeps them beside that cache; with neither, the usual per-user place.

Each case runs in a subprocess whose HOME is a tmp folder, so the real settings are never touched."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import json
from app.services import Services
settings = Services.default().settings
before = settings.value("test/probe")
settings.setValue("test/probe", "written")
settings.sync()
print(json.dumps({"file": settings.fileName(), "before": before}))
"""


def _run(home: Path, **env: str) -> dict[str, str | None]:
    """Services.default()'s settings file in a process with HOME=`home` and `env` (FOSP_CONFIG,
    FOSP_CACHE, XDG_CONFIG_HOME cleared unless given)."""
    clean = {k: v for k, v in os.environ.items() if k not in {"FOSP_CONFIG", "FOSP_CACHE", "XDG_CONFIG_HOME"}}
    clean.update(HOME=str(home), QT_QPA_PLATFORM="offscreen", **env)
    out = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, env=clean, capture_output=True, text=True,
                         timeout=300, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _config_files(home: Path) -> list[Path]:
    return sorted(p for p in (home / ".config").rglob("*") if p.is_file()) if (home / ".config").exists() else []


def test_fosp_cache_keeps_the_settings_beside_it(tmp_path: Path) -> None:
    home, cache = tmp_path / "home", tmp_path / "profile-2"
    home.mkdir()
    seen = _run(home, FOSP_CACHE=str(cache))
    assert Path(str(seen["file"])) == cache / "fosp-studio.ini", seen  # was ~/.config/FoSp/FoSp Studio.conf
    assert (cache / "fosp-studio.ini").is_file()
    assert _config_files(home) == []  # the user's real settings untouched
    assert _run(home, FOSP_CACHE=str(cache))["before"] == "written"  # the same profile reads them back


def test_fosp_config_wins(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    seen = _run(home, FOSP_CONFIG=str(tmp_path / "conf"), FOSP_CACHE=str(tmp_path / "cache"))
    assert Path(str(seen["file"])) == tmp_path / "conf" / "fosp-studio.ini", seen
    assert not (tmp_path / "cache").exists() and _config_files(home) == []


@pytest.fixture(scope="module")
def per_user(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str | None]]:
    """A HOME where a process with neither FOSP_CONFIG nor FOSP_CACHE (or an earlier version, which read
    neither) wrote its settings, and what it said: made once (a process start), read only; the tests that
    start from it copy it (`_home_with_user_settings`)."""
    home = tmp_path_factory.mktemp("per-user") / "home"
    home.mkdir()
    return home, _run(home)


def _home_with_user_settings(per_user: tuple[Path, dict[str, str | None]], tmp_path: Path) -> Path:
    home = tmp_path / "home"
    shutil.copytree(per_user[0], home, symlinks=True)
    return home


def test_without_either_the_usual_per_user_place(per_user: tuple[Path, dict[str, str | None]]) -> None:
    home, seen = per_user
    assert Path(str(seen["file"])) == home / ".config" / "FoSp" / "FoSp Studio.conf", seen
    assert _config_files(home) == [home / ".config" / "FoSp" / "FoSp Studio.conf"]


def test_this_test_run_has_its_own_settings() -> None:
    """Every test's FOSP_CACHE is a tmp folder (tests/conftest.py), so the default settings are too."""
    from app.services import settings_file

    path = settings_file()
    assert path is not None and Path(os.environ["FOSP_CACHE"]) in path.parents


def test_fosp_cache_set_before_the_upgrade_keeps_the_users_settings(
        tmp_path: Path, per_user: tuple[Path, dict[str, str | None]]) -> None:
    """A user who set FOSP_CACHE (the cache on a bigger drive: README, docs/training.md) had their
    settings in the usual per-user place. After the move to $FOSP_CACHE/fosp-studio.ini their recent
    files, theme, shortcuts and video positions were gone; now the first start copies them there
    once (the per-user file is only read), and later changes stay apart."""
    cache = tmp_path / "big-drive"
    home = _home_with_user_settings(per_user, tmp_path)  # an earlier version (no FOSP_CACHE read) wrote "written"
    user_file = home / ".config" / "FoSp" / "FoSp Studio.conf"
    kept = user_file.read_bytes()
    assert _run(home, FOSP_CACHE=str(cache))["before"] == "written"  # was None: the settings were lost
    assert user_file.read_bytes() == kept
    assert (cache / "fosp-studio.ini").is_file()


def test_an_existing_settings_file_is_not_copied_over(tmp_path: Path,
                                                     per_user: tuple[Path, dict[str, str | None]]) -> None:
    cache = tmp_path / "profile-2"
    cache.mkdir()
    (cache / "fosp-studio.ini").write_text("[test]\nother=1\n")
    home = _home_with_user_settings(per_user, tmp_path)
    assert _run(home, FOSP_CACHE=str(cache))["before"] is None  # its own profile: nothing copied into it


def test_fosp_config_starts_its_own_settings(tmp_path: Path, per_user: tuple[Path, dict[str, str | None]]) -> None:
    """FOSP_CONFIG is a profile chosen on purpose (and what the tests set): nothing is copied."""
    home = _home_with_user_settings(per_user, tmp_path)
    assert _run(home, FOSP_CONFIG=str(tmp_path / "conf"))["before"] is None
