"""Where FoSp Studio looks for things: bundled resources, models, caches, training runs."""

from __future__ import annotations

import os
import site
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def _resources() -> Path:
    """The source tree's resources/ (editable installs, a clone, the PyInstaller bundle), else the
    copy a wheel installed under <prefix>/share/fosp-studio/ (pyproject's data-files): the
    environment's prefix (a venv, the system), or the user base for ``pip install --user``."""
    local = PROJECT_ROOT / "resources"
    if local.is_dir():
        return local
    for prefix in (sys.prefix, sys.base_prefix, site.getuserbase()):
        shared = Path(prefix) / "share" / "fosp-studio" / "resources"
        if shared.is_dir():
            return shared
    return local


RESOURCES = _resources()
DEMO_DIR = RESOURCES / "demo"
BUNDLED_MODELS = RESOURCES / "models"
DEFAULT_MODEL_FILE = "fosp-default.safetensors"


def cache_dir() -> Path:
    """Per-user cache root: $FOSP_CACHE, else $XDG_CACHE_HOME/fosp, else ~/.cache/fosp."""
    env = os.environ.get("FOSP_CACHE")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "fosp"


def runs_dir() -> Path:
    """Training state lives here, outside the work tree."""
    return cache_dir() / "runs"


# runs_dir() in a command's --help
RUNS_DIR_WORDS = "$FOSP_CACHE/runs, else $XDG_CACHE_HOME/fosp/runs, else ~/.cache/fosp/runs"


def model_search_path() -> list[Path]:
    """Folders searched for model weights, first match wins: $FOSP_MODELS (os.pathsep-separated),
    the user's cache, then the weights bundled with the app."""
    paths: list[Path] = []
    env = os.environ.get("FOSP_MODELS")
    if env:
        paths.extend(Path(p) for p in env.split(os.pathsep) if p)
    paths.append(cache_dir() / "models")
    paths.append(BUNDLED_MODELS)
    return paths


def find_model(name: str = DEFAULT_MODEL_FILE) -> Path | None:
    """First file called `name` on the model search path, or None."""
    for folder in model_search_path():
        candidate = folder / name
        if candidate.is_file():
            return candidate
    return None
