"""Where the bundled training recipes live (`fosp_core/configs/*.toml`) and their names: nothing
else is imported, so `fosp train --help` lists them without loading the config machinery
(`fosp_core.train.config` reads and checks them)."""

from __future__ import annotations

from pathlib import Path

__all__ = ["CONFIG_DIR", "bundled_configs"]

CONFIG_DIR = Path(__file__).resolve().parents[1] / "configs"


def bundled_configs() -> list[str]:
    """Names of the configs shipped in `fosp_core/configs/` (e.g. `paper`, `small-cpu`), sorted."""
    return sorted(f.stem for f in CONFIG_DIR.glob("*.toml"))
