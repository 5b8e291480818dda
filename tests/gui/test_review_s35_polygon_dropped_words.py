"""A polygon left open when PgDown takes the annotator to the next image (real SmokeSeg samples): the status bar
said "open polygon of 3 vertices dropped (…)", a line starting in lower case as if cut from a longer one (the
tool switch's own line reads "Polygon Fill — open polygon …"). Said alone, it starts with a capital."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from .annotation_helpers import click, key, open_and_wait
from .conftest import WindowFactory


def test_a_polygon_dropped_by_an_image_change_is_said_as_a_sentence(
        qtbot, make_window: WindowFactory, shared_data: Path, tmp_path: Path,  # noqa: ANN001 - qtbot
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", os.fspath(tmp_path / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", os.fspath(tmp_path / "cache"))
    folder = tmp_path / "photos"  # three of the real photos, a plain folder
    folder.mkdir()
    for image in sorted((shared_data / "smokeseg-samples" / "JPEGImages").iterdir())[:3]:
        shutil.copy(image, folder / image.name)
    window = make_window(show=True)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    open_and_wait(qtbot, window, folder)
    said: list[str] = []
    window.statusBar().messageChanged.connect(lambda text: said.append(text) if text else None)
    key(window, "P")
    for x, y in [(100, 100), (200, 100), (200, 200)]:
        click(window, x, y)
    key(window, "PgDown")
    dropped = [text for text in said if "polygon of 3 vertices dropped" in text]
    assert dropped == ["Open polygon of 3 vertices dropped (Enter or a double-click closes a polygon)"], said
