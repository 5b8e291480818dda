"""Training configs: typed dataclasses, a strict TOML loader and `key=value` overrides.

A config is a TOML file (bundled ones live in `fosp_core/configs/`, addressed by name, e.g.
`small-cpu`). A file may start from another one with `base = "<name or path>"`; tables merge
deeply, lists replace. Every key is checked against the dataclasses below: an unknown key or a
value of the wrong type raises `ConfigError` naming the dotted key, the expected type and where
the value came from (the file, or the command-line override).

Overrides are `dotted.key=value` strings; the value is read as a TOML literal (`200`, `6e-4`,
`true`, `[0.5, 2.0]`, `"text"`) and, when that fails, taken as a plain string. List items are
addressed by index: `data.train.0.weight=0.5`.

Path keys read ``~`` as the command line does (`config_paths`: ``data.root=~/data``; ``~user`` on POSIX only).

Parts in their own modules: the dataclasses and `ConfigError` (`config_schema`), the overrides
(`config_overrides`), the path keys' home folder (`config_paths`), the range and choice checks
(`config_checks`); every name is importable here.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from fosp_core.train.config_checks import check_values
from fosp_core.train.config_overrides import apply_override, parse_override
from fosp_core.train.config_paths import MODEL_PATH_KEYS, SOURCE_PATH_KEYS, home_path, is_home_word
from fosp_core.train.config_schema import (
    Config,
    ConfigError,
    DataConfig,
    DatasetSpec,
    InpainterConfig,
    ModelConfig,
    OptimConfig,
    TrainConfig,
)
from fosp_core.train.recipes import CONFIG_DIR, bundled_configs
from fosp_core.train.typed import build_dataclass, dump_toml

__all__ = ["CONFIG_DIR", "Config", "ConfigError", "DataConfig", "DatasetSpec", "InpainterConfig", "ModelConfig",
           "OptimConfig", "TrainConfig", "bundled_configs", "config_from_dict", "dump_toml", "load_config", "parse_override",
           "resolve_config_path"]


def resolve_config_path(name_or_path: str | Path) -> Path:
    """A path to an existing file, or the name of a bundled config (`small-cpu` or `small-cpu.toml`)."""
    p = home_path(str(name_or_path))
    if p.is_file():
        return p
    bundled = CONFIG_DIR / (p.name if p.suffix == ".toml" else p.name + ".toml")
    if bundled.is_file() and len(p.parts) == 1:
        return bundled
    names = ", ".join(bundled_configs())
    raise ConfigError(f"config {str(name_or_path)!r} not found (not a file; bundled configs: {names})")


def _read_toml(path: Path, seen: tuple[Path, ...] = ()) -> dict[str, Any]:
    path = path.resolve()
    if path in seen:
        raise ConfigError(f"{path}: `base` chain loops back to itself")
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from exc
    base = raw.pop("base", None)
    if base is None:
        return raw
    if not isinstance(base, str):
        raise ConfigError(f"{path}: key 'base' must be str (a bundled config name or a path)")
    base_path = home_path(base)
    if not base_path.is_absolute() and (path.parent / base_path).is_file():
        base_path = path.parent / base_path
    merged = _read_toml(resolve_config_path(base_path), seen + (path,))
    return _deep_merge(merged, raw)


def _deep_merge(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    out = dict(a)
    for k, v in b.items():
        out[k] = _deep_merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


def load_config(name_or_path: str | Path, overrides: list[str] | None = None) -> Config:
    """Read, merge (`base`), override and validate a config; raises `ConfigError` on any problem."""
    path = resolve_config_path(name_or_path)
    raw = _read_toml(path)
    over_keys: dict[str, str] = {}
    for text in overrides or []:
        parts, value = parse_override(text)
        apply_override(raw, parts, value, text)
        over_keys[".".join(parts)] = text
    cfg = config_from_dict(raw, source=str(path), override_sources=over_keys)
    cfg.source = str(path)
    cfg.overridden = over_keys
    return cfg


def config_from_dict(
    raw: dict[str, Any], source: str = "<dict>", override_sources: dict[str, str] | None = None
) -> Config:
    """Validate a plain dict against `Config`; errors name the key, expected type and source."""
    cfg = build_dataclass(Config, raw, source, override_sources or {}, ConfigError)
    expand_config_paths(cfg, source, override_sources or {})  # ~ and ~/ (and ~user on POSIX): the home folder
    check_values(cfg, source, override_sources or {})
    return cfg


def expand_config_paths(cfg: Config, source: str, overrides: dict[str, str]) -> None:
    """Read the home folder in `cfg`'s path keys, in place; ConfigError for a home that is not here, naming
    the key and the file or override that set it."""
    from fosp_core.home_folder import no_home_text
    from fosp_core.train.typed import value_origin

    def read(key: str, value: str) -> str:
        if not is_home_word(value):
            return value
        try:
            return str(Path(value).expanduser())
        except RuntimeError:
            raise ConfigError(f"{value_origin(key, source, overrides)}: {key!r}: {no_home_text(value)}") from None

    cfg.runs_dir = read("runs_dir", cfg.runs_dir)
    cfg.data.root = read("data.root", cfg.data.root)
    for key in MODEL_PATH_KEYS:
        setattr(cfg.model, key, read(f"model.{key}", getattr(cfg.model, key)))
    for group in ("train", "val"):
        for i, spec in enumerate(getattr(cfg.data, group)):
            for key in SOURCE_PATH_KEYS:
                setattr(spec, key, read(f"data.{group}.{i}.{key}", getattr(spec, key)))
