"""Reading labels made in other tools (labelme, COCO, CVAT) into masks on the demo images: RLE
decoding checked against masks encoded here, polygons drawn exactly as the polygon tool draws them,
label choice, malformed files refused with the file and field named."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from fosp_core.annotation.coco_rle import RleError, decode_counts, rle_counts
from fosp_core.annotation.document import AnnotationDocument
from fosp_core.annotation.foreign_labels import read_foreign
from fosp_core.annotation.foreign_shapes import (
    ForeignLabelError,
    LabelChoiceError,
    choose_labels,
    file_stem,
    render,
)
from fosp_core.annotation.tools import polygon_fill
from tests.foreign_files import coco_rle_string, demo_smoke, labelme_file, png_base64, runs

DEMO = Path(__file__).resolve().parents[2] / "resources" / "demo"
NAMES = sorted(p.name for p in (DEMO / "JPEGImages").iterdir())


def _drawn(points: list[tuple[float, float]], size: tuple[int, int] = (512, 512)) -> np.ndarray:
    """What the polygon tool fills for the outline a user clicks at the file's points (the tool's
    coordinates have pixel centres on integers, the files' pixel edges)."""
    doc = AnnotationDocument(size)
    polygon_fill(doc, [(x - 0.5, y - 0.5) for x, y in points])
    return doc.mask.copy()


def test_compressed_rle_is_decoded_as_the_cocoapi_writes_it() -> None:
    assert decode_counts("32X1O") == [3, 2, 40, 1]  # by hand: 40 takes two groups, then -1 as a delta
    smoke = demo_smoke(DEMO, NAMES[1])
    counts = runs(smoke, fortran=True)
    text = coco_rle_string(counts)
    assert any(b < a for a, b in zip(counts[1::2], counts[3::2], strict=False))  # negative deltas in there
    assert decode_counts(text) == counts
    np.testing.assert_array_equal(rle_counts(text, 512, 512), counts)
    with pytest.raises(RleError, match="cover"):
        rle_counts(text, 512, 511)
    with pytest.raises(RleError, match="ends inside"):
        decode_counts(text + "h")  # 0x20 set: a group said more would follow


def _coco(tmp_path: Path, smoke: np.ndarray, other: np.ndarray) -> Path:
    images = [{"id": i + 1, "file_name": f"D:\\\\labelling\\\\job 7\\\\{name.upper()}", "height": 512, "width": 512}
              for i, name in enumerate(NAMES[:3])]
    annotations = [
        {"id": 1, "image_id": 1, "category_id": 3, "iscrowd": 1,
         "segmentation": {"size": [512, 512], "counts": coco_rle_string(runs(smoke, fortran=True))}},
        {"id": 2, "image_id": 2, "category_id": 3, "iscrowd": 1,
         "segmentation": {"size": [512, 512], "counts": runs(other, fortran=True)}},
        {"id": 3, "image_id": 3, "category_id": 3, "iscrowd": 0,
         "segmentation": [[10, 10, 100.6, 12.2, 60, 90], [300, 300, 320, 300, 310, 330]]},
        {"id": 4, "image_id": 3, "category_id": 5, "iscrowd": 0, "segmentation": [[0, 0, 511, 0, 511, 511]]},
        {"id": 5, "image_id": 3, "category_id": 3, "iscrowd": 0, "bbox": [1, 2, 3, 4], "segmentation": []},
    ]
    path = tmp_path / "instances_default.json"
    path.write_text(json.dumps({"images": images, "annotations": annotations, "categories": [
        {"id": 3, "name": "Smoke plume"}, {"id": 5, "name": "sky"}]}))
    return path


def test_coco_rle_and_polygons_become_the_masks_encoded(tmp_path: Path) -> None:
    smoke, other = demo_smoke(DEMO, NAMES[0]), demo_smoke(DEMO, NAMES[1])
    labels = read_foreign(_coco(tmp_path, smoke, other))
    assert labels is not None and labels.format == "coco" and labels.labels == ["Smoke plume", "sky"]
    assert [file_stem(i.name) for i in labels.images] == [Path(n).stem.upper() for n in NAMES[:3]]
    chosen, ignore = choose_labels(labels.source, labels.labels)
    assert chosen == {"Smoke plume"} and ignore == set()
    masks = [render(image, (512, 512), chosen, ignore) for image in labels.images]
    np.testing.assert_array_equal(masks[0], smoke)  # compressed RLE
    np.testing.assert_array_equal(masks[1], other)  # uncompressed RLE
    expected = _drawn([(10, 10), (100.6, 12.2), (60, 90)]) | _drawn([(300, 300), (320, 300), (310, 330)])
    np.testing.assert_array_equal(masks[2], expected)  # the union of the polygons; 'sky' left out
    assert labels.left_out == {("Smoke plume", "box without outline"): 1}


def test_labelme_shapes_polygon_rectangle_circle_mask_and_ignore(tmp_path: Path) -> None:
    crop = demo_smoke(DEMO, NAMES[1])[200:260, 100:180]
    labelme_file(tmp_path, Path(NAMES[0]).stem, [
        {"label": "smoke", "points": [[20.2, 30.7], [200.5, 40], [150, 180.3], [40, 120]]},
        {"label": "smoke", "points": [[300, 20], [340.4, 60.6]], "shape_type": "rectangle"},
        {"label": "smoke", "points": [[400, 400], [410, 400]], "shape_type": "circle"},
        {"label": "smoke", "points": [[100, 200], [179, 259]], "shape_type": "mask", "mask": png_base64(crop)},
        {"label": "__ignore__", "points": [[25, 35], [60, 35], [60, 60], [25, 60]]},
        {"label": "smoke", "points": [[5, 5], [9, 9]], "shape_type": "line"},
        {"label": "tree", "points": [[0, 0], [511, 0], [0, 511]]},
    ])
    labels = read_foreign(tmp_path)
    assert labels is not None and labels.format == "labelme"
    assert labels.labels == ["smoke", "__ignore__", "tree"]
    smoke, ignore = choose_labels(labels.source, labels.labels)
    assert smoke == {"smoke"} and ignore == {"__ignore__"}
    mask = render(labels.images[0], (512, 512), smoke, ignore)

    expected = _drawn([(20.2, 30.7), (200.5, 40), (150, 180.3), (40, 120)])
    expected |= _drawn([(300, 20), (340.4, 20), (340.4, 60.6), (300, 60.6)])
    yy, xx = np.mgrid[0:512, 0:512]
    expected |= ((xx + 0.5 - 400) ** 2 + (yy + 0.5 - 400) ** 2 <= 100).astype(np.uint8)
    expected[200:260, 100:180] |= crop
    expected[_drawn([(25, 35), (60, 35), (60, 60), (25, 60)]) == 1] = 255
    np.testing.assert_array_equal(mask, expected)
    # the rectangle's corners (300, 20) and (340.4, 60.6) lie in pixels (300, 20) and (340, 60): those and no more
    assert mask[20, 300] == mask[60, 340] == 1 and mask[19, 300] == mask[20, 299] == mask[61, 340] == mask[60, 341] == 0
    assert labels.left_out == {("smoke", "line"): 1}


def test_cvat_polygon_box_and_mask(tmp_path: Path) -> None:
    smoke = demo_smoke(DEMO, NAMES[2])
    ys, xs = np.nonzero(smoke)
    top, left, bottom, right = ys.min(), xs.min(), ys.max() + 1, xs.max() + 1
    crop = smoke[top:bottom, left:right]
    rle = ", ".join(str(c) for c in runs(crop, fortran=False))
    xml = f"""<?xml version="1.0" encoding="utf-8"?>
<annotations>
  <version>1.1</version>
  <meta><task><labels>
    <label><name>fire</name><type>any</type></label>
    <label><name>haze</name><type>any</type></label>
  </labels></task></meta>
  <image id="0" name="batch1/{NAMES[2]}" width="512" height="512">
    <mask label="haze" source="manual" occluded="0" rle="{rle}" left="{left}" top="{top}"
          width="{right - left}" height="{bottom - top}" z_order="0"></mask>
    <box label="haze" source="manual" occluded="0" xtl="10.0" ytl="20.5" xbr="30.2" ybr="40.0" z_order="0"/>
    <polygon label="haze" source="manual" occluded="0" points="400.5,10;480,15.2;450,90" z_order="1"/>
    <polygon label="fire" source="manual" occluded="0" points="0,0;50,0;0,50" z_order="2"/>
    <polyline label="haze" source="manual" occluded="0" points="1,1;5,5" z_order="0"/>
  </image>
  <image id="1" name="not_in_the_project.jpg" width="640" height="480"></image>
</annotations>"""
    path = tmp_path / "annotations.xml"
    path.write_text(xml)
    labels = read_foreign(tmp_path)  # a CVAT export's folder: its annotations.xml
    assert labels is not None and labels.format == "cvat" and labels.labels == ["fire", "haze"]
    with pytest.raises(LabelChoiceError) as told:
        choose_labels(labels.source, labels.labels)  # neither is named like smoke: the user chooses
    assert told.value.labels == ["fire", "haze"] and "'fire', 'haze'" in str(told.value) and "--label" in str(told.value)
    chosen, ignore = choose_labels(labels.source, labels.labels, ["HAZE"])
    mask = render(labels.images[0], (512, 512), chosen, ignore)
    expected = smoke | _drawn([(10.0, 20.5), (30.2, 20.5), (30.2, 40.0), (10.0, 40.0)])
    expected |= _drawn([(400.5, 10), (480, 15.2), (450, 90)])
    np.testing.assert_array_equal(mask, expected)
    assert labels.images[1].size == (480, 640) and labels.left_out == {("haze", "polyline"): 1}
    with pytest.raises(LabelChoiceError, match="no label 'smoke'"):
        choose_labels(labels.source, labels.labels, ["smoke"])


MALFORMED = [
    ("broken.json", '{"images": [', "not readable as JSON"),
    ("unknown_category.json", json.dumps({"images": [{"id": 1, "file_name": "a.jpg", "height": 4, "width": 4}],
                                          "annotations": [{"image_id": 1, "category_id": 9, "segmentation": []}],
                                          "categories": []}), "annotations[0]: category_id 9"),
    ("short_rle.json", json.dumps({"images": [{"id": 1, "file_name": "a.jpg", "height": 4, "width": 4}],
                                   "annotations": [{"image_id": 1, "category_id": 1,
                                                    "segmentation": {"size": [4, 4], "counts": [3, 2]}}],
                                   "categories": [{"id": 1, "name": "smoke"}]}), "cover 5 pixels"),
    ("other.json", json.dumps({"hello": 1}), "neither a COCO"),
    ("nan.json", json.dumps({"images": [{"id": 1, "file_name": "a.jpg", "height": 4, "width": 4}],
                             "annotations": [{"image_id": 1, "category_id": 1,
                                              "segmentation": [[0, 0, float("nan"), 1, 2, 3]]}],
                             "categories": [{"id": 1, "name": "smoke"}]}), "segmentation[0] is not a list of x, y"),
    ("far.xml", "<annotations><image name='a.jpg' width='4' height='4'><polygon label='s' points='0,0;1e300,0;0,5'/>"
                "</image></annotations>", "point '1e300,0' is not finite"),
    ("bad.xml", "<annotations><image name='a.jpg' width='4' height='x'/></annotations>", "'height' must be a number"),
    ("rle.xml", "<annotations><image name='a.jpg' width='4' height='4'><mask label='s' rle='9, 9' left='0' top='0' "
                "width='2' height='2'/></image></annotations>", "rle runs cover 18 pixels"),
    ("video.xml", "<annotations><track id='0' label='s'/></annotations>", "CVAT for video"),
    ("labelme.json", json.dumps({"shapes": [{"label": "smoke", "points": [[0, 0], [1]]}]}), "points must be"),
]


@pytest.mark.parametrize(("name", "text", "told"), MALFORMED, ids=[case[0] for case in MALFORMED])
def test_malformed_files_are_refused_with_the_file_and_field(tmp_path: Path, name: str, text: str, told: str) -> None:
    path = tmp_path / name
    path.write_text(text)
    with pytest.raises(ForeignLabelError, match=r".*") as raised:
        read_foreign(path)
    assert told in raised.value.reason and raised.value.path == path


def test_a_labelme_folder_with_one_bad_file_is_refused_whole(tmp_path: Path) -> None:
    labelme_file(tmp_path, "a", [{"label": "smoke", "points": [[0, 0], [5, 0], [0, 5]]}])
    labelme_file(tmp_path, "b", [{"label": "smoke", "points": [[0, 0], [3, 3]], "shape_type": "mask",
                                  "mask": "not base64!"}])
    with pytest.raises(ForeignLabelError) as raised:
        read_foreign(tmp_path)
    assert raised.value.path.name == "b.json" and "not base64" in raised.value.reason
