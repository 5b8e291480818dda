"""Annotate ▸ Import Labels of a labelme folder whose files hold no smoke shape: the images are
imported as empty masks and the status bar's summary says how many (as ``fosp project import``
does). No timings: what the window says."""

from __future__ import annotations

from pathlib import Path

from tests.foreign_files import labelme_file
from tests.gui.annotation_helpers import demo_window

SQUARE = [[10, 10], [60, 10], [60, 60], [10, 60]]


def test_the_summary_says_how_many_images_had_no_smoke_shape(qtbot, make_window, demo_dir: Path,
                                                             tmp_path: Path) -> None:
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    ui = window.annotation
    project = ui.worklist.project
    folder = tmp_path / "labelme"
    folder.mkdir()
    stems = [Path(e.image).stem for e in project.entries[:3]]
    labelme_file(folder, stems[0], [{"label": "smoke", "points": SQUARE}])
    labelme_file(folder, stems[1], [])
    labelme_file(folder, stems[2], [{"label": "cloud", "points": SQUARE}])
    assert ui.import_labels(folder) == 3
    message = window.statusBar().currentMessage()
    assert "Imported 3 masks" in message
    assert "2 of the 3 images imported have no shape labelled smoke in the source: imported as empty masks" in message
