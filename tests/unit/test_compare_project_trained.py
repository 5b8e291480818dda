"""Compare flags the project images a fine-tune was trained on also when the export to SmokeSeg
re-encoded them: the fine-tune's fingerprint holds the exported JPEGs' bytes, and a PNG photo (or a
rotated JPEG) is exported as a new JPEG, so the project's own file never matched and Compare called
the image "held out" - its flattering scores counted as a fair test. Now a project image is also
matched by the JPEG the export writes for it."""

from __future__ import annotations

from pathlib import Path

import cv2

from fosp_core.analysis.compare_trained import image_verdicts
from fosp_core.analysis.compare_truth import ProjectTruth, project_lookup
from fosp_core.annotation import tools
from fosp_core.annotation.document import Status
from fosp_core.annotation.export import export_smokeseg
from fosp_core.annotation.project import Project
from fosp_core.trained_on import fingerprint, trained_on


def _png_photos(demo_dir: Path, folder: Path) -> list[Path]:
    folder.mkdir()
    for path in sorted((demo_dir / "JPEGImages").glob("*.jpg")):
        cv2.imwrite(str(folder / f"{path.stem}.png"), cv2.imread(str(path)))
    return sorted(folder.glob("*.png"))


def test_a_png_project_image_exported_and_trained_on_is_flagged(demo_dir: Path, tmp_path: Path) -> None:
    paths = _png_photos(demo_dir, tmp_path / "photos")
    with Project.open(tmp_path / "photos", tmp_path / "project") as project:
        for image_id, status in zip(project.ids, (Status.REVIEWED, Status.REVIEWED, Status.EDITED), strict=False):
            doc = project.open_document(image_id)
            tools.brush(doc, [(60, 80), (300, 260)], 40)
            doc.set_status(status)
        export_smokeseg(project, tmp_path / "export", reviewed_only=True)
    exported = sorted((tmp_path / "export" / "JPEGImages").glob("*.jpg"))
    assert len(exported) == 2
    known = fingerprint(exported)  # what a fine-tune on the export records (its training images' bytes)
    assert trained_on(known, paths) == [False] * 4  # the PNG files themselves were never trained on
    project = Project.open(tmp_path / "photos", tmp_path / "project", create=False)
    try:
        truth = ProjectTruth.take(paths, project_lookup([project]))
        got = [image_verdicts((known, None), p, truth) for p in paths]
    finally:
        project.close()
    assert got == [(True, None), (True, None), (False, None), (False, None)]
