"""The settler (app/layer_settle.py) reached into the compositor's internals (17 private names) and
the two modules imported each other (the settler's import under TYPE_CHECKING). It now sees the
compositor through SettleHost only: no import back, no private name, and the compositor has every
member the protocol asks for."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from app.layer_compositor import LayerCompositor
from app.layer_settle import SettleHost

SETTLE = Path(__file__).resolve().parents[2] / "app" / "layer_settle.py"


def test_the_settler_does_not_import_the_compositor() -> None:
    tree = ast.parse(SETTLE.read_text(encoding="utf-8"))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    imported |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    assert "app.layer_compositor" not in imported


def test_the_settler_uses_no_private_name_of_its_host() -> None:
    source = SETTLE.read_text(encoding="utf-8")
    assert not re.findall(r"\bhost\._\w+", source)
    assert not re.findall(r"\bcompositor\._\w+|\bc\._\w+", source)


def test_the_compositor_has_every_member_of_the_settle_host() -> None:
    members = {name for name in vars(SettleHost) if not name.startswith("_")} | set(SettleHost.__annotations__)
    assert {"alive", "roots", "fill_buffer", "overview_layout", "view"} <= members
    missing = [name for name in members - {"view"} if not hasattr(LayerCompositor, name)]
    assert not missing
