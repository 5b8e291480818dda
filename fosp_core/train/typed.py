"""Typed dataclasses from plain dicts (strict: unknown keys and wrong types raise), and a small
TOML writer. Used by the training config; errors name the dotted key, the expected type and the
source (a file, or the command-line override that set the key).
"""

from __future__ import annotations

import dataclasses
import types
import typing
from typing import Any

__all__ = ["build_dataclass", "dump_toml"]


def build_dataclass(cls: type, raw: Any, source: str, overrides: dict[str, str] | None = None,
                    error: type[Exception] = ValueError) -> Any:
    """`cls(**raw)` with every key and value checked recursively (nested dataclasses, lists, tuples,
    dicts, bool/int/float/str); ints are accepted for floats, bools never for numbers. Fields whose
    metadata has `internal=True` are not settable. overrides: dotted key -> the override text that
    set it (named in errors instead of the file)."""
    return _build(cls, raw, "", source, overrides or {}, error)


def value_origin(key: str, source: str, overrides: dict[str, str]) -> str:
    """Where the value of `key` came from: the command-line override that set it, else `source`."""
    for okey, text in overrides.items():
        if key == okey or key.startswith(okey + ".") or okey.startswith(key + "."):
            return f"command-line override {text!r}"
    return source


def _type_name(tp: Any) -> str:
    origin = typing.get_origin(tp)
    if origin in (list,):
        return f"list of {_type_name(typing.get_args(tp)[0])}"
    if origin is tuple:
        return "[" + ", ".join("..." if a is Ellipsis else _type_name(a) for a in typing.get_args(tp)) + "]"
    if origin is dict:
        return "table"
    if dataclasses.is_dataclass(tp):
        return "table"
    return getattr(tp, "__name__", str(tp))


def _build(cls: type, raw: Any, prefix: str, source: str, overrides: dict[str, str], error: type[Exception]) -> Any:
    where = prefix.rstrip(".") or "<top level>"
    if not isinstance(raw, dict):
        raise error(f"{value_origin(where, source, overrides)}: {where} must be a table, got {raw!r}")
    hints = typing.get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls) if not f.metadata.get("internal")}
    kwargs: dict[str, Any] = {}
    for key, value in raw.items():
        dotted = prefix + key
        if key not in fields:
            known = ", ".join(sorted(fields))
            raise error(
                f"{value_origin(dotted, source, overrides)}: unknown key {dotted!r} (known keys here: {known})"
            )
        kwargs[key] = _convert(hints[key], value, dotted, source, overrides, error)
    for name, f in fields.items():
        if name not in kwargs and f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            raise error(f"{source}: missing required key {prefix + name!r} ({_type_name(hints[name])})")
    return cls(**kwargs)


def _convert(tp: Any, value: Any, dotted: str, source: str, overrides: dict[str, str], error: type[Exception]) -> Any:
    def fail() -> Exception:
        return error(
            f"{value_origin(dotted, source, overrides)}: {dotted!r} must be {_type_name(tp)}, "
            f"got {type(value).__name__} {value!r}"
        )

    origin = typing.get_origin(tp)
    if dataclasses.is_dataclass(tp):
        return _build(tp, value, dotted + ".", source, overrides, error)
    if tp is Any:
        return value
    if origin is list:
        if not isinstance(value, list):
            raise fail()
        (item_tp,) = typing.get_args(tp)
        return [_convert(item_tp, v, f"{dotted}.{i}", source, overrides, error) for i, v in enumerate(value)]
    if origin is tuple:
        args = typing.get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:  # tuple[T, ...]: any length, every item a T
            if not isinstance(value, list | tuple):
                raise fail()
            return tuple(_convert(args[0], v, f"{dotted}.{i}", source, overrides, error) for i, v in enumerate(value))
        if not isinstance(value, list | tuple) or len(value) != len(args):
            raise fail()
        return tuple(_convert(a, v, f"{dotted}.{i}", source, overrides, error) for i, (a, v) in enumerate(zip(args, value, strict=True)))
    if origin is dict:
        if not isinstance(value, dict):
            raise fail()
        return dict(value)
    if origin in (typing.Union, types.UnionType):
        raise fail()  # not used by the config classes
    if tp is bool:
        if not isinstance(value, bool):
            raise fail()
        return value
    if tp is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise fail()
        return value
    if tp is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise fail()
        return float(value)
    if tp is str:
        if not isinstance(value, str):
            raise fail()
        return value
    raise fail()



def dump_toml(data: dict[str, Any]) -> str:
    """Minimal TOML writer for resolved configs (tables, arrays of tables, scalars, lists)."""
    lines: list[str] = []
    _dump_table(data, [], lines)
    return "\n".join(lines).strip() + "\n"


def _toml_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int | float):
        return repr(v)
    if isinstance(v, str):
        return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(v, list | tuple):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{_key(k)} = {_toml_value(x)}" for k, x in v.items()) + "}"
    raise TypeError(f"cannot write {type(v).__name__} to TOML")


def _key(k: str) -> str:
    return k if k.replace("_", "").replace("-", "").isalnum() else _toml_value(k)


def _dump_table(d: dict[str, Any], path: list[str], lines: list[str]) -> None:
    scalars = {k: v for k, v in d.items() if not _is_table(v) and not _is_table_list(v)}
    for k, v in scalars.items():
        lines.append(f"{_key(k)} = {_toml_value(v)}")
    for k, v in d.items():
        if _is_table(v):
            lines.append("")
            lines.append("[" + ".".join(path + [k]) + "]")
            _dump_table(v, path + [k], lines)
        elif _is_table_list(v):
            for item in v:
                lines.append("")
                lines.append("[[" + ".".join(path + [k]) + "]]")
                _dump_table(item, path + [k], lines)


def _is_table(v: Any) -> bool:
    return isinstance(v, dict)


def _is_table_list(v: Any) -> bool:
    return isinstance(v, list) and bool(v) and all(isinstance(x, dict) for x in v)
