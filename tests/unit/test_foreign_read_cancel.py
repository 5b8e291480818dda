"""Reading a labelme/COCO/CVAT file can be given up (`fosp_core.annotation.foreign_read`): the
parse asks `cancelled` between chunks and between the elements of top-level arrays, and gives the
same value (and the same kind of error) as ``json.loads`` / ``ET.parse``. A COCO export's folder
parses each of its files once. No timings: values, counts of checks and parses."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from fosp_core.annotation import foreign_labels, foreign_read
from fosp_core.annotation.foreign_read import ReadCancelled, load_json, xml_root
from fosp_core.annotation.foreign_shapes import ForeignLabelError

TEXTS = ['{"images": [], "annotations": [{"a": [1, 2.5, {"b": null}]}, {"c": "x\\u00e9"}], "k": {"x": [1]}}',
         ' [1, [2, 3], {"a": 1} ] ', '"text"', "3.5", "{}", "[]", ' { "a" : [ ] , "a" : [ 1 ] } ',
         '{"n": NaN, "i": -Infinity}', '{"é": ["ü", "\\ud83d\\ude00"]}']
BAD = ["", "[1, 2", '{"a": 1,}', "[1,]", '{"a" 1}', "[1 2]", "{1: 2}", "[1] x", '{"a": [1}', "\ufeff[1]"]


@pytest.mark.parametrize("text", TEXTS)
def test_the_value_is_json_loads_value(tmp_path: Path, text: str) -> None:
    path = tmp_path / "a.json"
    path.write_text(text, encoding="utf-8")
    assert load_json(path, lambda: False) == json.loads(text) == load_json(path)


@pytest.mark.parametrize("text", BAD)
def test_bad_json_is_a_json_decode_error_as_json_loads(tmp_path: Path, text: str) -> None:
    path = tmp_path / "a.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(json.JSONDecodeError):
        json.loads(text)
    with pytest.raises(json.JSONDecodeError):
        load_json(path, lambda: False)


def _coco_text(annotations: int) -> str:
    return json.dumps({"images": [{"id": 1, "file_name": "a.jpg", "height": 8, "width": 8}],
                       "categories": [{"id": 1, "name": "smoke"}],
                       "annotations": [{"id": i, "image_id": 1, "category_id": 1, "iscrowd": 0,
                                        "segmentation": [[0, 0, 4, 0, 4, 4]]} for i in range(annotations)]})


def test_a_cancel_during_the_parse_gives_it_up_within_one_element(tmp_path: Path) -> None:
    path = tmp_path / "instances.json"
    path.write_text(_coco_text(5000))
    asked: list[int] = []

    def cancelled() -> bool:  # true from the 10th question on
        asked.append(1)
        return len(asked) >= 10

    with pytest.raises(ReadCancelled):
        foreign_labels.read_foreign(path, cancelled)
    assert len(asked) == 10  # nothing more asked, nothing parsed, after the first yes
    asked.clear()
    labels = foreign_labels.read_foreign(path, lambda: bool(asked.append(1)))
    assert labels is not None and len(labels.images[0].shapes) == 5000
    assert len(asked) > 5000  # each annotation's parse is a point where it can stop


def test_a_cancelled_read_of_a_cvat_file_stops_between_chunks(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "annotations.xml"
    path.write_text("<annotations>" + "".join(f'<image id="{i}" name="i{i}.jpg" width="8" height="8"/>'
                                              for i in range(3000)) + "</annotations>")
    monkeypatch.setattr(foreign_read, "CHUNK_BYTES", 1024)
    fed: list[int] = []
    with pytest.raises(ReadCancelled):
        xml_root(path, lambda: len(fed) >= 3 or bool(fed.append(1)))
    assert len(fed) == 3
    assert ET.tostring(xml_root(path, lambda: False)) == ET.tostring(ET.parse(path).getroot())
    with pytest.raises(ReadCancelled):
        foreign_labels.read_foreign(path, lambda: True)


def test_a_coco_export_folder_parses_its_file_once(tmp_path: Path, monkeypatch) -> None:
    inner = tmp_path / "export" / "annotations"
    inner.mkdir(parents=True)
    (inner / "instances_default.json").write_text(_coco_text(3))
    (inner / "other.json").write_text('{"info": 1}')
    parsed: list[str] = []
    decode = json.JSONDecoder.decode

    def counted(self: json.JSONDecoder, text: str, *args, **kwargs):  # json.loads parses through it
        parsed.append("coco" if '"annotations"' in text else "other")
        return decode(self, text, *args, **kwargs)

    monkeypatch.setattr(json.JSONDecoder, "decode", counted)
    labels = foreign_labels.read_foreign(tmp_path / "export")
    assert labels is not None and labels.format == "coco" and len(labels.images[0].shapes) == 3
    assert sorted(parsed) == ["coco", "other"]  # each once (the COCO file was parsed twice)


def test_a_bad_file_in_a_coco_export_folder_is_named(tmp_path: Path) -> None:
    inner = tmp_path / "annotations"
    inner.mkdir()
    (inner / "instances_default.json").write_text('{"images": [')
    with pytest.raises(ForeignLabelError, match="not readable as JSON"):
        foreign_labels.read_foreign(tmp_path)
