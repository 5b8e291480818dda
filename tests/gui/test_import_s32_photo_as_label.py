"""Annotate ▸ Import Labels of a folder of masks where one "mask" is a photo (a grayscale copy of the
image, chosen by mistake): the library reads it as a soft mask and warns (`fosp_core.NotAMaskWarning`),
which only reached the app's stderr; the user saw "Imported 3 masks" and a mask made of the photo's bright
half. The import's summary in the status bar now names the file. No timings: what the window says."""

from __future__ import annotations

import shutil
from pathlib import Path

from PIL import Image

from tests.gui.annotation_helpers import demo_window


def _masks_with_a_photo(demo_dir: Path, folder: Path) -> tuple[list[str], str]:
    """`folder` holding the demo's masks of its first two images and a grayscale photo (PNG) named as the
    third's mask: (the stems, the photo's file name)."""
    folder.mkdir()
    images = sorted((demo_dir / "JPEGImages").glob("*.jpg"))[:3]
    for image in images[:2]:
        shutil.copy(demo_dir / "SegmentationClass" / f"{image.stem}.png", folder)
    photo = f"{images[2].stem}.png"
    Image.open(images[2]).convert("L").save(folder / photo)
    return [image.stem for image in images], photo


def test_a_photo_imported_as_a_label_is_named_in_the_summary(qtbot, make_window, demo_dir: Path,
                                                             tmp_path: Path) -> None:
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    ui = window.annotation
    _, photo = _masks_with_a_photo(demo_dir, tmp_path / "masks")
    assert ui.import_labels(tmp_path / "masks") == 3  # imported as before: the warning changes no value
    message = window.statusBar().currentMessage()
    assert "Imported 3 masks" in message
    assert f"1 label file looks like a photo, not a mask (imported all the same: check it): {photo}" in message
    assert ui.import_labels(tmp_path / "masks") == 3  # again: said again (not once a session)
    assert photo in window.statusBar().currentMessage()


def test_masks_alone_say_nothing_of_photos(qtbot, make_window, demo_dir: Path, tmp_path: Path) -> None:
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    assert window.annotation.import_labels(demo_dir / "SegmentationClass") == 4
    message = window.statusBar().currentMessage()
    assert "Imported 4 masks" in message and "photo" not in message
