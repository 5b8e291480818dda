"""An open made on the worker hands its listing to the project registry.

A folder opened again whose project is open joins its new images (`ProjectRegistry._join`). The
registry can take them from the listing the open already made on its worker (`adopt(..., found)`,
e49366f); `app.opening` passed only the projects, so the registry listed the whole folder again on the
GUI thread (about 2 s for 100 000 images). Checked here: what `adopt` is given.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from app.main_window import MainWindow

from .conftest import WindowFactory
from .linked_folder import linked_demo_folder

IMAGES = 520  # above app.opening.SYNC_LIMIT (500): the open goes to the worker


def test_a_worker_open_gives_the_registry_its_listing(
        qtbot, make_window: WindowFactory, tmp_path: Path, demo_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = linked_demo_folder(tmp_path / "day", demo_dir, IMAGES)
    window: MainWindow = make_window(show=True)
    registry = window.annotation.controller.registry
    registry.projects_root = tmp_path / "projects"
    given: list[list[str] | None] = []
    real = registry.adopt

    def adopt(prepared, found=None):  # noqa: ANN001, ANN202
        given.append(None if found is None else [os.fspath(p) for p in found])
        return real(prepared, found)

    monkeypatch.setattr(registry, "adopt", adopt)
    assert window.open_paths([folder], remember=False) == []
    assert window.opener.wait(60)
    qtbot.waitUntil(lambda: len(window.session) == IMAGES, timeout=30000)
    assert given, "the open never handed its projects to the registry"
    assert given[-1] is not None and len(given[-1]) == IMAGES, "the listing made on the worker was not handed over"
