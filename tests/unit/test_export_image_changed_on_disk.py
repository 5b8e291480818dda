"""An image whose file changed after it was labelled: replaced by one of another size (a resized copy
saved over it) or by a file that no longer decodes. ``fosp project export`` and the Export dialog
stopped the whole export at that image ("sample ...: mask (768, 1024) does not match image (600,
800)", or "cannot read the image"), nothing written, although each is one image's problem, as a
missing image or an unreadable mask is: left out, named with the reason, the others exported."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from fosp_core.annotation.export import export_smokeseg
from fosp_core.annotation.project import Project
from fosp_core.data.datasets import open_dataset
from tests.unit.labelled_demo import labelled_demo_project

project = labelled_demo_project  # the fixture, under the name these tests use


def test_an_image_resized_on_disk_is_left_out_and_named(project: Project, tmp_path: Path) -> None:
    resized, *others = project.ids
    path = project.image_path(resized)
    with Image.open(path) as im:
        im.resize((400, 300)).save(path, quality=95)
    report = export_smokeseg(project, tmp_path / "out", splits=None)
    assert report.splits == {"train": others}
    assert dict(report.skipped)[resized] == "mask is 512x512, the image is now 400x300 (its file changed)"
    assert sorted(s.id for s in open_dataset(tmp_path / "out")) == sorted(others)


def test_an_image_that_no_longer_decodes_is_left_out_and_named(project: Project, tmp_path: Path) -> None:
    broken, *others = project.ids
    project.image_path(broken).write_bytes(b"not a jpeg any more")
    report = export_smokeseg(project, tmp_path / "out", splits=None)
    assert report.splits == {"train": others}
    assert dict(report.skipped)[broken].startswith("cannot read the image:")
