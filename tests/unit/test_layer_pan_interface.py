"""The pan painter (app/layer_pan.py) reached into the compositor's internals (``layers._clippers``,
typed ``object`` with ``type: ignore`` at each use). It now sees the compositor through PanHost
only: no import of the compositor, no private name, and the compositor has every member the
protocol asks for."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from app.layer_compositor import LayerCompositor

PAN = Path(__file__).resolve().parents[2] / "app" / "layer_pan.py"


def test_the_pan_painter_does_not_import_the_compositor() -> None:
    tree = ast.parse(PAN.read_text(encoding="utf-8"))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    imported |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    assert "app.layer_compositor" not in imported


def test_the_pan_painter_uses_no_private_name_of_its_host() -> None:
    source = PAN.read_text(encoding="utf-8")
    assert not re.findall(r"\b(?:host|layers|compositor)\._\w+", source)
    assert "type: ignore" not in source  # the host is typed: every use is checked


def test_the_compositor_has_every_member_of_the_pan_host() -> None:
    from app.layer_pan import PanHost

    members = {name for name in vars(PanHost) if not name.startswith("_")} | set(PanHost.__annotations__)
    assert {"view", "clippers", "layer_transform"} <= members
    missing = [name for name in members - {"view"} if not hasattr(LayerCompositor, name)]
    assert not missing
