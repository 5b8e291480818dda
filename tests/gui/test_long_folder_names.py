"""Export destinations suggested for a folder named near the 255-byte limit: `free_folder`'s ``<name>-2``
was too long (the probe found it "not free", being unreadable, and fell back to the full folder), so
the dialog suggested a folder the export would refuse. Now cut (`fosp_core.io.long_names.fit_name`)."""

from __future__ import annotations

from pathlib import Path

from app.annotation.free_folder import free_folder
from fosp_core.io.long_names import NAME_MAX, name_bytes


def test_free_folder_beside_a_full_one_of_a_longest_name(tmp_path: Path) -> None:
    taken = tmp_path / ("s" * 255)
    (taken / "JPEGImages").mkdir(parents=True)
    free = free_folder(taken)
    assert free != taken and free.parent == tmp_path and name_bytes(free.name) <= NAME_MAX
    (free / "JPEGImages").mkdir(parents=True)  # taken too: the next one
    assert free_folder(taken) not in (taken, free)


def test_painting_an_image_of_a_longest_name_saves_its_mask(qtbot, make_window, tmp_path: Path) -> None:  # noqa: ANN001
    """The sweep's case: a folder holding 'n'*251 + '.jpg' (255 bytes), painted in the app. It said
    "cannot write: File name too long … the edit is kept" and never wrote a mask (the recovery log's name)."""
    import cv2
    import numpy as np

    from app.services import CollectingErrorReporter
    from fosp_core.annotation.project import Project
    from tests.gui.annotation_helpers import drag, key, open_and_wait

    folder = tmp_path / "photos"
    folder.mkdir()
    stem = "n" * 251
    assert cv2.imwrite(str(folder / f"{stem}.jpg"), np.full((256, 256, 3), 90, np.uint8))
    reporter = CollectingErrorReporter()
    window = make_window(show=True, error_reporter=reporter)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    open_and_wait(qtbot, window, folder)
    controller = window.annotation.controller
    project, doc = controller.project, controller.document
    key(window, "B")
    drag(window, [(60, 100), (180, 100)])
    assert project.is_saved(doc) and not reporter.save_problems and not reporter.errors
    location = project.folder
    window.close()
    with Project.open(folder, location) as again:
        mask = again.load_mask(stem)
        assert mask is not None and mask.any()
    assert [p.name for p in (location / "masks").iterdir()] == [f"{stem}.png"]


def test_a_long_names_log_set_aside_is_listed_under_its_image(qtbot, make_window, tmp_path: Path) -> None:  # noqa: ANN001
    """The status bar's list of logs set aside names the image, not the short form of its log's name."""
    import cv2
    import numpy as np

    from fosp_core.annotation.project import Project
    from fosp_core.annotation.recovery import log_path
    from tests.gui.annotation_helpers import open_and_wait

    folder = tmp_path / "photos"
    folder.mkdir()
    stem = "n" * 251
    assert cv2.imwrite(str(folder / f"{stem}.jpg"), np.full((64, 64, 3), 90, np.uint8))
    window = make_window(show=True)
    registry = window.annotation.controller.registry
    registry.projects_root = tmp_path / "projects"
    location = registry._location(folder.resolve())
    with Project.open(folder, location) as project:
        log_path(project.mask_path(stem)).write_bytes(b'{"format": 99}\n')  # a newer version's: set aside
    open_and_wait(qtbot, window, folder)
    listed = window.annotation.controller.save_status.unapplied_logs[location]
    assert [log.image_id for log in listed] == [stem]
