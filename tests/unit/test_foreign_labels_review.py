"""Odd labelme/COCO/CVAT input found in review: ids that are no numbers, a CVAT rotation that is
no number, a turned CVAT box, a labelme file whose stem names two images but whose ``imagePath``
names one."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from fosp_core.annotation.entries import ImageEntry
from fosp_core.annotation.foreign_import import match_images
from fosp_core.annotation.foreign_labels import read_foreign
from fosp_core.annotation.foreign_shapes import ForeignImage, ForeignLabelError, render


def _coco(annotation: dict) -> str:
    return json.dumps({"images": [{"id": 1, "file_name": "a.jpg", "height": 4, "width": 4}],
                       "categories": [{"id": 1, "name": "smoke"}],
                       "annotations": [{"segmentation": [[0, 0, 2, 0, 2, 2]], **annotation}]})


ODD = [
    ("list_image_id.json", _coco({"image_id": [1], "category_id": 1}), "image_id [1] is not in 'images'"),
    ("dict_category_id.json", _coco({"image_id": 1, "category_id": {"id": 1}}),
     "category_id {'id': 1} is not in 'categories'"),
    ("rotation.xml", "<annotations><image name='a.jpg' width='4' height='4'><ellipse label='s' cx='1' cy='1' "
                     "rx='1' ry='1' rotation='abc'/></image></annotations>", "attribute 'rotation' must be a number"),
    ("box_rotation.xml", "<annotations><image name='a.jpg' width='4' height='4'><box label='s' xtl='0' ytl='0' "
                         "xbr='2' ybr='2' rotation='x'/></image></annotations>", "attribute 'rotation' must be a number"),
    # a mask box far beyond its image: refused as read, before its 2^48 pixels are decoded (MemoryError)
    ("huge_mask.xml", "<annotations><image name='a.jpg' width='4' height='4'><mask label='s' rle='1' left='0' "
                      "top='0' width='16777216' height='16777216'/></image></annotations>", "runs past the image"),
]


@pytest.mark.parametrize(("name", "text", "told"), ODD, ids=[case[0] for case in ODD])
def test_odd_ids_and_rotations_are_refused_with_the_field(tmp_path: Path, name: str, text: str, told: str) -> None:
    path = tmp_path / name
    path.write_text(text)
    with pytest.raises(ForeignLabelError) as raised:
        read_foreign(path)
    assert told in raised.value.reason and raised.value.path == path


def _cvat_box(tmp_path: Path, rotation: str) -> np.ndarray:
    path = tmp_path / f"box{rotation}.xml"
    path.write_text("<annotations><image name='a.jpg' width='20' height='20'><box label='smoke' xtl='2' ytl='8' "
                    f"xbr='18' ybr='12' rotation='{rotation}'/></image></annotations>")
    labels = read_foreign(path)
    assert labels is not None
    return render(labels.images[0], (20, 20), {"smoke"}, set())


def test_a_turned_cvat_box_is_drawn_turned(tmp_path: Path) -> None:
    flat = _cvat_box(tmp_path, "0")
    assert flat[8:13, 2:19].all() and flat.sum() == 5 * 17  # 16 wide, 4 high, outline included
    upright = _cvat_box(tmp_path, "90")  # a quarter turn about its centre (10, 10): 4 wide, 16 high
    np.testing.assert_array_equal(upright, flat.T)
    turned = _cvat_box(tmp_path, "30")  # neither: its corners leave the flat box's rows
    assert turned[4:16].any() and turned[:8].any() and turned[12:].any()
    assert turned[10, 10] == 1 and not turned[10, 1] and 64 <= int(turned.sum()) <= 110


def test_a_labelme_image_path_names_one_image_when_the_file_stem_names_two() -> None:
    entries = [ImageEntry("a_jpg", "photos/a.jpg"), ImageEntry("a_png", "photos/a.png"), ImageEntry("b", "b.jpg")]
    labelme = ForeignImage("a.json", None, [], "a.json", also="..\\photos\\a.png")
    matched, unmatched, failed = match_images(entries, [labelme])
    assert matched == {"a_png": labelme} and not unmatched and not failed
    same_stem = ForeignImage("a.json", None, [], "a.json", also="a.tif")  # neither name says which: refused
    matched, _, failed = match_images(entries, [same_stem])
    assert not matched and failed and "matches 2 images" in failed[0][1]


def test_a_cvat_polygon_of_two_points_is_left_out_and_counted_not_the_whole_file(tmp_path: Path) -> None:
    """One stray click in CVAT (a two-point polygon) refused the whole file; labelme and COCO files leave
    such a shape out and count it: CVAT's now do the same."""
    path = tmp_path / "stray.xml"
    path.write_text("<annotations><image name='a.jpg' width='8' height='8'>"
                    "<polygon label='smoke' points='1,1;6,1;6,6'/><polygon label='smoke' points='2,2;3,3'/>"
                    "</image></annotations>")
    labels = read_foreign(path)
    assert len(labels.images[0].shapes) == 1
    assert labels.left_out == {("smoke", "polygon of fewer than 3 points"): 1}
