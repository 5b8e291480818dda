"""Command-line config overrides: `dotted.key=value`, the value a TOML literal or else a string.

List items are addressed by index: `data.train.0.weight=0.5`.
"""

from __future__ import annotations

import tomllib
from typing import Any

from fosp_core.train.config_schema import ConfigError

__all__ = ["apply_override", "parse_override"]


def parse_override(text: str) -> tuple[list[str], Any]:
    """`"train.iterations=200"` -> (["train", "iterations"], 200). Values are TOML literals or strings."""
    if "=" not in text:
        raise ConfigError(f"override {text!r} must look like key=value (e.g. train.iterations=200)")
    key, value = text.split("=", 1)
    key = key.strip()
    if not key or any(not part for part in key.split(".")):
        raise ConfigError(f"override {text!r}: empty key")
    try:
        parsed = tomllib.loads(f"v = {value.strip()}")["v"]
    except tomllib.TOMLDecodeError:
        parsed = value.strip()
    return key.split("."), parsed


def apply_override(raw: dict[str, Any], parts: list[str], value: Any, text: str) -> None:
    """Set `parts` (from `parse_override(text)`) to `value` in the raw TOML dict, in place."""
    node: Any = raw
    for part in parts[:-1]:
        if isinstance(node, list):
            node = _list_item(node, part, text)
            continue
        if part not in node or not isinstance(node[part], dict | list):
            node[part] = {}
        node = node[part]
    last = parts[-1]
    if isinstance(node, list):
        idx = _list_index(node, last, text)
        node[idx] = value
    else:
        node[last] = value


def _list_index(node: list, part: str, text: str) -> int:
    if not part.isdigit() or int(part) >= len(node):
        raise ConfigError(f"override {text!r}: {part!r} is not an index of a list of {len(node)} items")
    return int(part)


def _list_item(node: list, part: str, text: str) -> Any:
    return node[_list_index(node, part, text)]
