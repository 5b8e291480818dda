"""Labels made in other tools: images with no smoke shape are imported as empty masks and said so
(the report, the command line); COCO crowd regions (``iscrowd`` 1) of a smoke label are smoke;
Ctrl-C while the source is read gives the read up, nothing written. No timings."""

from __future__ import annotations

import json
import signal
from pathlib import Path

import pytest

from fosp_core.annotation import foreign_labels
from fosp_core.annotation.document import Status
from fosp_core.annotation.foreign_import import no_smoke_note
from fosp_core.annotation.foreign_labels import read_foreign
from fosp_core.annotation.foreign_shapes import choose_labels, render
from fosp_core.cli import ExitCode, main
from tests.foreign_files import demo_project, labelme_file

SQUARE = [[10, 10], [60, 10], [60, 60], [10, 60]]


def _labelme_folder(tmp_path: Path, names: list[str]) -> Path:
    """labelme files for 4 demo images: smoke on the first; none on the second; only another label
    on the third; only an ignore region on the fourth."""
    folder = tmp_path / "labelme"
    folder.mkdir()
    stems = [Path(n).stem for n in names]
    labelme_file(folder, stems[0], [{"label": "smoke", "points": SQUARE}])
    labelme_file(folder, stems[1], [])
    labelme_file(folder, stems[2], [{"label": "cloud", "points": SQUARE}])
    labelme_file(folder, stems[3], [{"label": "__ignore__", "points": SQUARE}])
    return folder


def test_images_without_smoke_shapes_are_imported_empty_and_said(demo_dir: Path, tmp_path: Path) -> None:
    project, names = demo_project(demo_dir, tmp_path)
    try:
        report = project.import_labels(_labelme_folder(tmp_path, names))
        stems = [Path(n).stem for n in names[:4]]
        assert report.imported == stems
        assert report.no_smoke == stems[1:]  # written as masks with no smoke: listed
        assert all(not (project.load_mask(s) == 1).any() for s in stems[1:])
        assert project.entry(stems[1]).status == Status.EDITED  # people's labels
        note = no_smoke_note(report)
        assert note is not None and note.startswith("3 of the 4 images imported have no shape labelled smoke")
        assert stems[1] in note
    finally:
        project.close()


def test_the_command_line_says_how_many_were_imported_empty(demo_dir: Path, tmp_path: Path,
                                                           capsys: pytest.CaptureFixture) -> None:
    project, names = demo_project(demo_dir, tmp_path)
    project.close()
    folder = _labelme_folder(tmp_path, names)
    code = main(["project", "import", str(tmp_path / "project"), str(folder)])
    out, err = capsys.readouterr()
    assert code == 0, out + err
    assert "imported 4 mask(s)" in out
    assert "3 of the 4 images imported have no shape labelled smoke in the source: imported as empty masks" in out


def test_a_source_with_smoke_on_every_image_says_nothing_of_empty_masks(demo_dir: Path, tmp_path: Path) -> None:
    project, names = demo_project(demo_dir, tmp_path)
    folder = tmp_path / "labelme"
    folder.mkdir()
    labelme_file(folder, Path(names[0]).stem, [{"label": "smoke", "points": SQUARE}])
    try:
        report = project.import_labels(folder)
        assert report.imported and report.no_smoke == [] and no_smoke_note(report) is None
    finally:
        project.close()


def test_a_coco_crowd_region_of_the_smoke_label_is_smoke(tmp_path: Path) -> None:
    """COCO's ``iscrowd`` 1 marks a region of many instances of its class (a crowd of people; smoke
    not split into plumes): still that class, so smoke, as the instances beside it."""
    path = tmp_path / "instances.json"
    path.write_text(json.dumps({
        "images": [{"id": 1, "file_name": "a.jpg", "height": 40, "width": 40}],
        "categories": [{"id": 1, "name": "smoke"}, {"id": 2, "name": "sky"}],
        "annotations": [
            {"id": 1, "image_id": 1, "category_id": 1, "iscrowd": 1, "segmentation": [[0, 0, 20, 0, 20, 20, 0, 20]]},
            {"id": 2, "image_id": 1, "category_id": 1, "iscrowd": 0, "segmentation": [[30, 30, 40, 30, 40, 40]]},
            {"id": 3, "image_id": 1, "category_id": 2, "iscrowd": 1, "segmentation": [[20, 0, 40, 0, 40, 10]]}]}))
    labels = read_foreign(path)
    assert labels is not None
    smoke, ignore = choose_labels(labels.source, labels.labels)
    mask = render(labels.images[0], (40, 40), smoke, ignore)
    assert (mask[:20, :20] == 1).all()  # the crowd region: smoke
    assert mask[35, 38] == 1  # the instance beside it: smoke too
    assert mask[2, 35] == 0  # a crowd of another class: not smoke


def test_ctrl_c_while_the_source_is_read_gives_the_read_up(demo_dir: Path, tmp_path: Path,
                                                           capsys: pytest.CaptureFixture,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    project, names = demo_project(demo_dir, tmp_path)
    project.close()
    folder = _labelme_folder(tmp_path, names)
    listed, read = foreign_labels.labelme_files, []

    def list_then_ctrl_c(where: Path) -> list[Path]:  # the terminal's Ctrl-C as the files are about to be read
        files = listed(where)
        signal.raise_signal(signal.SIGINT)
        return files

    monkeypatch.setattr(foreign_labels, "labelme_files", list_then_ctrl_c)
    monkeypatch.setattr(foreign_labels, "read_labelme", lambda *a, **k: read.append(a) or pytest.fail("read whole"))
    code = main(["project", "import", str(tmp_path / "project"), str(folder)])
    _out, err = capsys.readouterr()
    assert code == ExitCode.INTERRUPTED and "nothing imported" in err
    assert read == []  # the files were not read on (before: read whole, then stopped before the first mask)
    assert not list((tmp_path / "project" / "masks").glob("*.png"))
