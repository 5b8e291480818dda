"""`fosp project import` and `Project.import_labels` of labels made in other tools on the demo
images: auto-detected, matched by file name, images not in the project named, sizes checked,
edited masks kept, malformed files and unknown label choices refused before anything is written."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from fosp_core.annotation.document import Status
from fosp_core.annotation.project import Project
from fosp_core.cli import main
from tests.foreign_files import coco_rle_string, demo_project, demo_smoke, labelme_file, runs


def _statuses(folder: Path) -> dict[str, Status]:
    project = Project.open(folder, create=False)
    try:
        return {e.id: e.status for e in project.entries}
    finally:
        project.close()


def _mask(folder: Path, image_id: str) -> np.ndarray | None:
    project = Project.open(folder, create=False)
    try:
        return project.load_mask(image_id)
    finally:
        project.close()


def _coco_file(tmp_path: Path, demo_dir: Path, names: list[str]) -> Path:
    """A COCO file (as CVAT or Roboflow export it, paths from another computer) labelling the first
    two demo images with their own smoke, in compressed RLE, plus an image not in the project."""
    files = [f"C:\\Users\\ann\\smoke\\{names[0].upper()}", f"/home/ann/smoke/{names[1]}", "/home/ann/smoke/other.jpg"]
    images = [{"id": i + 10, "file_name": f, "height": 512, "width": 512} for i, f in enumerate(files)]
    annotations = [{"id": i, "image_id": i + 10, "category_id": 1, "iscrowd": 1, "bbox": [0, 0, 1, 1],
                    "segmentation": {"size": [512, 512],
                                     "counts": coco_rle_string(runs(demo_smoke(demo_dir, names[i]), fortran=True))}}
                   for i in range(2)]
    path = tmp_path / "annotations" / "instances_default.json"
    path.parent.mkdir()
    path.write_text(json.dumps({"images": images, "annotations": annotations,
                                "categories": [{"id": 1, "name": "smoke", "supercategory": ""}]}))
    return path


def test_fosp_project_import_reads_a_coco_file_and_names_images_not_in_the_project(
        demo_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    project, names = demo_project(demo_dir, tmp_path)
    project.close()
    coco = _coco_file(tmp_path, demo_dir, names)

    code = main(["project", "import", str(tmp_path / "project"), str(coco.parent.parent)])  # the export's folder

    out, err = capsys.readouterr()
    assert code == 0, out + err
    assert "COCO labels; smoke: smoke" in out and "imported 2 mask(s)" in out
    assert "1 image(s) of the source are not in the project: /home/ann/smoke/other.jpg" in out
    statuses = _statuses(tmp_path / "project")
    for name in names[:2]:
        stem = Path(name).stem
        assert statuses[stem] == Status.EDITED
        np.testing.assert_array_equal(_mask(tmp_path / "project", stem), demo_smoke(demo_dir, name))
    assert [statuses[Path(n).stem] for n in names[2:]] == [Status.UNLABELED] * 2


def test_a_size_mismatch_is_named_and_skipped_the_others_imported(
        demo_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    project, names = demo_project(demo_dir, tmp_path)
    labels = tmp_path / "labelme"
    labels.mkdir()
    triangle = [{"label": "Smoke", "points": [[10, 10], [200, 20], [100, 300]]}]
    labelme_file(labels, Path(names[0]).stem, triangle)
    labelme_file(labels, Path(names[1]).stem, triangle, size=(600, 800))
    labelme_file(labels, "renamed", triangle, image_path=f"../frames/{names[2]}")  # matched by imagePath

    report = project.import_labels(labels)

    first, second, third = (Path(n).stem for n in names[:3])
    assert report.imported == [first, third]
    assert report.failed == [(second, f"labelled at 800x600 in {labels / (second + '.json')}, the image is 512x512")]
    assert project.entry(second).status == Status.UNLABELED and project.load_mask(second) is None
    np.testing.assert_array_equal(project.load_mask(first), project.load_mask(third))
    assert project.load_mask(first).sum() > 1000
    project.close()


def test_edited_masks_are_kept_unless_overwrite(demo_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    project, names = demo_project(demo_dir, tmp_path)
    first = Path(names[0]).stem
    mine = np.zeros((512, 512), np.uint8)
    mine[:5] = 1
    project.save_mask(first, mine, Status.EDITED)
    project.close()
    labels = tmp_path / "labelme"
    labels.mkdir()
    labelme_file(labels, first, [{"label": "smoke", "points": [[10, 10], [200, 20], [100, 300]]}])

    assert main(["project", "import", str(tmp_path / "project"), str(labels)]) == 3  # nothing imported (session 37)
    out = capsys.readouterr().out
    assert f"skipped {first}: already edited; not overwritten" in out
    np.testing.assert_array_equal(_mask(tmp_path / "project", first), mine)

    assert main(["project", "import", str(tmp_path / "project"), str(labels / f"{first}.json"), "--overwrite"]) == 0
    assert "imported 1 mask(s)" in capsys.readouterr().out
    assert _mask(tmp_path / "project", first)[100, 100] == 1 and _mask(tmp_path / "project", first)[2, 400] == 0


def test_a_malformed_file_imports_nothing(demo_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    project, names = demo_project(demo_dir, tmp_path)
    project.close()
    labels = tmp_path / "labelme"
    labels.mkdir()
    for name in names:  # every file good but the last, whose shape has one coordinate
        labelme_file(labels, Path(name).stem, [{"label": "smoke", "points": [[10, 10], [200, 20], [100, 300]]}])
    labelme_file(labels, Path(names[-1]).stem, [{"label": "smoke", "points": [[10, 10], [200], [100, 300]]}])

    code = main(["project", "import", str(tmp_path / "project"), str(labels)])

    err = capsys.readouterr().err
    assert code == 1 and f"{Path(names[-1]).stem}.json" in err and "points must be a list of [x, y]" in err
    assert set(_statuses(tmp_path / "project").values()) == {Status.UNLABELED}
    assert not list((tmp_path / "project" / "masks").glob("*.png"))


def test_labels_to_choose_are_listed_then_chosen_with_label(
        demo_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    project, names = demo_project(demo_dir, tmp_path)
    project.close()
    xml = tmp_path / "task.xml"
    xml.write_text(f"""<?xml version="1.0" encoding="utf-8"?>
<annotations><version>1.1</version>
  <image id="0" name="{names[3]}" width="512" height="512">
    <box label="plume" source="manual" occluded="0" xtl="10" ytl="10" xbr="100" ybr="50" z_order="0"/>
    <box label="flame" source="manual" occluded="0" xtl="200" ytl="200" xbr="220" ybr="230" z_order="0"/>
    <box label="ignore" source="manual" occluded="0" xtl="20" ytl="20" xbr="30" ybr="30" z_order="0"/>
  </image>
</annotations>""")
    stem = Path(names[3]).stem

    assert main(["project", "import", str(tmp_path / "project"), str(xml)]) == 1
    err = capsys.readouterr().err
    assert "'plume', 'flame', 'ignore'" in err and "--label NAME" in err
    assert _statuses(tmp_path / "project")[stem] == Status.UNLABELED

    assert main(["project", "import", str(tmp_path / "project"), str(xml), "--label", "plume"]) == 0
    out = capsys.readouterr().out
    assert "CVAT for images labels; smoke: plume; ignore (255): ignore" in out and "imported 1 mask(s)" in out
    mask = _mask(tmp_path / "project", stem)
    assert mask[10, 10] == mask[50, 100] == 1 and mask[25, 25] == 255 and mask[210, 210] == 0
    assert int((mask == 1).sum()) + int((mask == 255).sum()) == 91 * 41


def test_label_is_refused_for_png_masks(demo_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    project, _names = demo_project(demo_dir, tmp_path)
    project.close()
    code = main(["project", "import", str(tmp_path / "project"), str(demo_dir), "--label", "smoke"])
    assert code == 1 and "labelme, COCO and CVAT files only" in capsys.readouterr().err
