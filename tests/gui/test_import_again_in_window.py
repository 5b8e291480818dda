"""Import Labels twice in the window: the first import's masks arrive "edited" (people's labels); a
corrected file imported again replaces the masks nobody touched - the image shown among them, only
looked at - and keeps the one a person corrected with the brush meanwhile. No timings."""

from __future__ import annotations

from pathlib import Path

from fosp_core.annotation.document import Status
from fosp_core.annotation.tool_state import Tool
from tests.foreign_files import labelme_file
from tests.gui.annotation_helpers import demo_window, drag

SQUARE = [[10, 10], [60, 10], [60, 60], [10, 60]]
WIDER = [[10, 10], [120, 10], [120, 60], [10, 60]]


def _labelme(folder: Path, stems: list[str], points: list[list[int]]) -> Path:
    folder.mkdir()
    for stem in stems:
        labelme_file(folder, stem, [{"label": "smoke", "points": points}])
    return folder


def test_a_corrected_file_replaces_untouched_imports_and_keeps_a_correction(qtbot, make_window, demo_dir: Path,
                                                                            tmp_path: Path) -> None:
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    ui, controller = window.annotation, window.annotation.controller
    project = ui.worklist.project
    stems = [e.id for e in project.entries]
    assert ui.import_labels(_labelme(tmp_path / "first", stems, SQUARE)) == len(stems)
    assert [ui.worklist.status_of(s) for s in stems] == [Status.EDITED] * len(stems)
    shown = controller.document.image_id
    assert ui.worklist.go_to(stems[1] if shown == stems[0] else stems[0])  # looked at, not touched
    qtbot.waitUntil(lambda: controller.document is not None and controller.document.image_id != shown)
    looked_at = controller.document.image_id
    corrected = next(s for s in stems if s not in (shown, looked_at))
    assert ui.worklist.go_to(corrected)
    qtbot.waitUntil(lambda: controller.document is not None and controller.document.image_id == corrected)
    controller.state.set_tool(Tool.BRUSH)
    drag(window, [(300.0, 300.0), (320.0, 320.0)])
    controller.state.set_tool(Tool.NAVIGATE)
    assert ui.worklist.go_to(looked_at)
    qtbot.waitUntil(lambda: controller.document is not None and controller.document.image_id == looked_at)

    assert ui.import_labels(_labelme(tmp_path / "corrected", stems, WIDER)) == len(stems) - 1
    assert controller.document.mask[30, 100] == 1  # the image shown shows the corrected outline
    project.finish_saves(wait=True)
    assert [project.load_mask(s)[30, 100] for s in stems] == [0 if s == corrected else 1 for s in stems]
    assert project.load_mask(corrected)[310, 310] == 1
    assert [ui.worklist.status_of(s) for s in stems] == [Status.EDITED] * len(stems)
