"""The annotation export dialog on the real window: errors said in the dialog, Cancel that stops the
export, and the split and resize options it offers for a dataset or a plain folder of photos."""

from __future__ import annotations

from pathlib import Path

from tests.gui.annotation_helpers import drag, key, open_and_wait


def test_a_failed_export_says_why_in_the_dialog(qtbot, window, tmp_path: Path) -> None:
    """Exporting again to the same folder fails; the reason was only in a tooltip (the progress bar
    that got it is hidden), and spoke of `overwrite=True / --overwrite`, not of the dialog's box."""
    key(window, "B")
    drag(window, [(100, 100), (150, 100)])
    first = window.annotation.open_export_dialog()
    first.dst.setText(str(tmp_path / "out"))
    with qtbot.waitSignal(first.exported, timeout=20000):
        first.start()
    dialog = window.annotation.open_export_dialog()
    dialog.dst.setText(str(tmp_path / "out"))
    dialog.start()
    qtbot.waitUntil(lambda: dialog.error is not None, timeout=20000)
    assert dialog.isVisible() and dialog.error_label.isVisible()
    assert "not empty" in dialog.error_label.text() and dialog.overwrite.text() in dialog.error_label.text()
    dialog.overwrite.setChecked(True)  # the way out it names works
    with qtbot.waitSignal(dialog.exported, timeout=20000):
        dialog.start()
    assert not dialog.error_label.isVisible()


def test_cancel_during_an_export_stops_it(qtbot, window, tmp_path: Path, monkeypatch) -> None:
    """Cancel (or Esc) while the export runs closed the dialog but the export went on: the folder
    was written all the same and the status bar then said "Exported 1 images"."""
    import threading

    from PySide6.QtCore import QThreadPool
    from PySide6.QtWidgets import QDialogButtonBox

    from app.annotation import export_worker

    real, gate = export_worker.export_smokeseg, threading.Event()

    def held(*args, progress, **kwargs):  # noqa: ANN002, ANN003, ANN202 - export_smokeseg's
        def slowed(done: int, total: int | None) -> None:
            gate.wait(10)  # the first image is written: the user presses Cancel now
            progress(done, total)
        return real(*args, progress=slowed, **kwargs)

    monkeypatch.setattr(export_worker, "export_smokeseg", held)
    key(window, "B")
    drag(window, [(100, 100), (150, 100)])
    dialog = window.annotation.open_export_dialog()
    dst = tmp_path / "out"
    dialog.dst.setText(str(dst))
    exported: list[object] = []
    dialog.exported.connect(exported.append)
    dialog.start()
    dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel).click()
    gate.set()
    assert QThreadPool.globalInstance().waitForDone(20000)
    qtbot.wait(50)  # the worker's queued signals
    assert not dialog.isVisible()
    assert exported == [] and not dst.exists()
    assert not list(tmp_path.glob(".out.tmp-*"))  # nothing half-written left beside it
    assert "Exported" not in window.statusBar().currentMessage()


def test_the_export_dialog_offers_ratios_and_seed_only_for_new_splits(window) -> None:
    """With "Keep the source dataset's splits" chosen, the train / val / test ratios and the seed
    could be edited but were ignored: an export "80/20 with seed 3" kept the source's splits."""
    dialog = window.annotation.open_export_dialog()
    controls = (dialog.train, dialog.val, dialog.test, dialog.seed)
    assert dialog.keep_splits.isChecked()
    assert not any(c.isEnabled() for c in controls)
    dialog.ratio_splits.setChecked(True)
    assert all(c.isEnabled() for c in controls)
    assert dialog.options().splits == (0.8, 0.1, 0.1)
    dialog.keep_splits.setChecked(True)
    assert not any(c.isEnabled() for c in controls) and dialog.options().splits == "keep"


def _photos_window(qtbot, make_window, demo_dir: Path, tmp_path: Path):  # noqa: ANN001, ANN202
    """A window on a plain folder of photos (the demo's JPEGs, no splits, no labels)."""
    import shutil

    photos = tmp_path / "photos"
    shutil.copytree(demo_dir / "JPEGImages", photos)
    win = make_window(show=True)
    win.annotation.controller.registry.projects_root = tmp_path / "projects"
    open_and_wait(qtbot, win, photos)
    return win


def test_the_export_dialog_makes_new_splits_for_a_folder_without_splits(qtbot, make_window, demo_dir: Path,
                                                                         tmp_path: Path) -> None:
    """For a plain folder of photos "Keep the source dataset's splits" was chosen although there are
    none: everything went to train.txt and a fine-tune on the export had no validation. The option
    is now off (its tooltip says why) and new splits by ratio are chosen."""
    win = _photos_window(qtbot, make_window, demo_dir, tmp_path)
    dialog = win.annotation.open_export_dialog()
    assert not dialog.keep_splits.isEnabled() and not dialog.keep_splits.isChecked()
    assert "no train/val/test splits" in dialog.keep_splits.toolTip()
    assert dialog.ratio_splits.isChecked() and dialog.ratio_splits.isEnabled()
    assert all(c.isEnabled() for c in (dialog.train, dialog.val, dialog.test, dialog.seed))
    assert dialog.options().splits == (0.8, 0.1, 0.1)


def test_the_export_dialog_keeps_a_datasets_splits_by_default(window) -> None:
    """A SmokeSeg source with splits (the demo's val.txt) still keeps them by default."""
    dialog = window.annotation.open_export_dialog()
    assert dialog.keep_splits.isEnabled() and dialog.keep_splits.isChecked()
    assert dialog.options().splits == "keep"


def test_the_export_dialog_keeps_the_photos_aspect_by_default(qtbot, make_window, demo_dir: Path,
                                                              tmp_path: Path) -> None:
    """"Resize to 512 × 512" was on by default and squashed non-square photos, while the app predicts
    and the trainer rescales with the aspect kept: a fine-tune learned squashed plumes. It is off by
    default and says that it does not keep the aspect ratio; the export keeps each photo's size."""
    import cv2

    from fosp_core.data.datasets import open_dataset

    photos = tmp_path / "photos"
    photos.mkdir()
    for path in sorted((demo_dir / "JPEGImages").glob("*.jpg")):
        cv2.imwrite(str(photos / path.name), cv2.imread(str(path))[96:416])  # 512 x 320, real content
    win = make_window(show=True)
    win.annotation.controller.registry.projects_root = tmp_path / "projects"
    open_and_wait(qtbot, win, photos)
    key(win, "B")
    drag(win, [(100, 100), (300, 200)])
    dialog = win.annotation.open_export_dialog()
    assert not dialog.resize_box.isChecked() and dialog.options().resize_to is None
    assert "aspect ratio" in dialog.resize_box.text() and "not" in dialog.resize_box.text()
    dialog.dst.setText(str(tmp_path / "export"))
    with qtbot.waitSignal(dialog.exported, timeout=20000):
        dialog.start()
    sample = open_dataset(tmp_path / "export")[0]
    assert sample.image.shape == (320, 512, 3) and sample.mask.shape == (320, 512)
