"""The image Export dialog's proposed destination: beside the images when one may write there, else in
the home folder (as the video export's, app.video.exporting.default_destination)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from tests.gui.annotation_helpers import open_and_wait


def _photos(demo_dir: Path, folder: Path) -> Path:
    folder.mkdir(parents=True)
    for jpg in sorted((demo_dir / "JPEGImages").glob("*.jpg"))[:2]:
        shutil.copy(jpg, folder / jpg.name)
    return folder


def test_photos_in_a_folder_nobody_may_write_export_elsewhere_by_default(qtbot, make_window, demo_dir: Path,
                                                                         tmp_path: Path) -> None:
    """It proposed '<images folder>/../<name>-smokeseg' even where nobody may write (a shared read-only
    data folder such as ../shared/data/smokeseg-samples); run as root, Export wrote into it."""
    shared = tmp_path / "shared"
    photos = _photos(demo_dir, shared / "photos")
    os.chmod(photos, 0o555)
    os.chmod(shared, 0o555)
    try:
        window = make_window(show=True)
        window.annotation.controller.registry.projects_root = tmp_path / "projects"
        open_and_wait(qtbot, window, photos)
        dialog = window.annotation.open_export_dialog()
        assert dialog is not None
        qtbot.waitUntil(lambda: not dialog.probing)  # the folder probed off the GUI thread
        proposed = Path(dialog.dst.text())
        dialog.reject()
        assert shared not in proposed.parents and proposed.name == "photos-smokeseg"
        assert proposed.parent == Path.home()
    finally:
        os.chmod(shared, 0o755)
        os.chmod(photos, 0o755)
    assert sorted(p.name for p in shared.iterdir()) == ["photos"]


def test_photos_in_a_writable_folder_export_beside_them_by_default(qtbot, make_window, demo_dir: Path,
                                                                   tmp_path: Path) -> None:
    photos = _photos(demo_dir, tmp_path / "photos")
    window = make_window(show=True)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    open_and_wait(qtbot, window, photos)
    dialog = window.annotation.open_export_dialog()
    assert dialog is not None
    qtbot.waitUntil(lambda: not dialog.probing)
    assert Path(dialog.dst.text()) == tmp_path / "photos-smokeseg"
    dialog.reject()
