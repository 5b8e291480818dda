"""The folder that holds an export, chosen instead of the export (R3 review, session 35: `fosp project export
photos DIR/my-export`, then the Fine-tune dialog's Browse… or `fosp eval --dataset DIR`): "DIR: no dataset found:
expected JPEGImages/ (SmokeSeg/VOC), img/ + gt/ (SMOKE5K) or image files", with no word of the dataset one level
down. The error now names the SmokeSeg datasets in it (the first 3), so the user picks the right folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from fosp_core.data.dataset_entries import DatasetError
from fosp_core.data.dataset_layouts import detect_layout


def test_the_datasets_one_level_down_are_named(tmp_path: Path) -> None:
    parent = tmp_path / "exports"
    for name in ("my-export", "mon export é"):
        (parent / name / "JPEGImages").mkdir(parents=True)
    (parent / "notes").mkdir()
    with pytest.raises(DatasetError) as caught:
        detect_layout(parent)
    said = str(caught.value)
    assert "no dataset found" in said
    assert "my-export" in said and "mon export é" in said and "notes" not in said, said


def test_an_empty_folder_keeps_the_words(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(DatasetError) as caught:
        detect_layout(tmp_path / "empty")
    assert str(caught.value).endswith("or image files")
