"""An export takes each image's newest mask as the project reads it (`Project.load_mask`: pending
recovery logs applied, the project's own queued PNG writes waited for), not only the images whose
mask file exists: an image whose only state is a recovery log (the app still writing its first PNG;
a read-only project opened beside it) is exported, not left out as "no mask"."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from fosp_core.annotation import mask_saves, tools
from fosp_core.annotation.export import NO_MASK, export_smokeseg
from fosp_core.annotation.project import Project
from fosp_core.annotation.recovery import log_path
from fosp_core.cli import main
from fosp_core.io.masks import read_mask
from tests.unit.crash_worker import make_images, mask_hash


@pytest.fixture()
def app(tmp_path: Path, held: threading.Event) -> Iterator[tuple[Project, list]]:
    """The 'app': a writable project of 3 images; image 1 saved the synchronous way (its mask file
    there, status edited), then image 0 edited for the first time and reviewed in the background
    with its PNG write held (no mask file, only its recovery log); yields it and [doc of image 0]."""
    project = Project.open(make_images(tmp_path / "images", seed=21, count=3))
    other = project.open_document(project.ids[1])
    tools.brush(other, [(5.0, 5.0), (10.0, 8.0)], 2.0)
    project.save_in_background = True
    doc = project.open_document(project.ids[0])
    tools.brush(doc, [(4.0, 4.0), (14.0, 12.0)], 3.0)
    doc.set_status("reviewed")
    path = project.mask_path(doc.image_id)
    assert log_path(path).is_file() and not path.exists()
    yield project, [doc]
    held.set()
    project.close()


def _exported(dst: Path) -> dict[str, str]:
    """SmokeSeg id -> mask hash of an export's masks."""
    return {p.stem: mask_hash(read_mask(p)) for p in sorted(dst.rglob("*.png")) if "SegmentationClass" in p.parts}


def test_a_read_only_project_exports_an_image_whose_only_state_is_a_pending_log(
        app: tuple[Project, list], tmp_path: Path) -> None:
    project, (doc,) = app
    reader = Project.open(project.folder)
    try:
        assert reader.read_only and reader.pending_logs == [doc.image_id]
        report = export_smokeseg(reader, tmp_path / "all", splits=None)
        assert report.splits == {"train": sorted([doc.image_id, project.ids[1]])}
        assert report.skipped == [(project.ids[2], NO_MASK)]
        assert _exported(tmp_path / "all")[doc.image_id] == mask_hash(doc.mask)
        reviewed = export_smokeseg(reader, tmp_path / "reviewed", splits=None, reviewed_only=True)
        assert reviewed.splits == {"train": [doc.image_id]}
        assert _exported(tmp_path / "reviewed") == {doc.image_id: mask_hash(doc.mask)}
    finally:
        reader.close()
    assert log_path(project.mask_path(doc.image_id)).is_file()  # the app's log untouched
    assert not project.mask_path(doc.image_id).exists()


def test_the_apps_own_export_waits_for_a_queued_first_png(app: tuple[Project, list], tmp_path: Path,
                                                          held: threading.Event,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """The app's export (the same project, still saving): the PNG is written when the export asks
    for the mask (the write released by the wait itself, so nothing depends on timing)."""
    project, (doc,) = app
    real_wait, waited = mask_saves.MaskSaver.wait, []

    def wait(self: mask_saves.MaskSaver, image_id: str | None = None) -> None:
        waited.append(image_id)
        held.set()
        real_wait(self, image_id)

    monkeypatch.setattr(mask_saves.MaskSaver, "wait", wait)
    report = export_smokeseg(project, tmp_path / "dst", splits=None)
    assert doc.image_id in waited
    assert report.splits == {"train": sorted([doc.image_id, project.ids[1]])}
    assert report.without_mask == [project.ids[2]] and report.problems == []
    assert _exported(tmp_path / "dst")[doc.image_id] == mask_hash(doc.mask)


def test_cli_export_of_a_project_whose_only_mask_is_pending(tmp_path: Path, held: threading.Event,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    """``fosp project export`` beside the app when the only edit is still in its log: exported,
    not 'nothing to export'."""
    project = Project.open(make_images(tmp_path / "images", seed=22, count=2))
    try:
        project.save_in_background = True
        doc = project.open_document(project.ids[1])
        tools.brush(doc, [(6.0, 6.0), (12.0, 3.0)], 2.5)
        assert not project.mask_path(doc.image_id).exists()
        dst = tmp_path / "dst"
        code = main(["project", "export", str(project.folder), str(dst), "--all-train"])
        err = capsys.readouterr().err
        assert code == 0, err
        assert _exported(dst) == {doc.image_id: mask_hash(doc.mask)}
    finally:
        held.set()
        project.close()
