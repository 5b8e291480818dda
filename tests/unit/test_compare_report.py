"""fosp_core.analysis.compare_report: the CSV of a comparison names what was compared (checkpoints,
variants, images, settings, when) in columns of its own, and reads back with a plain CSV reader."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from pathlib import Path

from fosp_core import __version__
from fosp_core.analysis.compare import CompareRow, rows_to_csv
from fosp_core.analysis.compare_report import (
    SETUP_COLUMNS,
    CompareRequest,
    compare_csv,
    compare_csv_name,
    image_folder,
    input_text,
    settings_text,
)
from fosp_core.analysis.results import Scores


def _rows(folder: Path) -> list[CompareRow]:
    s = Scores(1, 0.5, 0.4, 0.6, 0.5, 0.1)
    t = Scores(1, 0.7, 0.6, 0.7, 0.7, 0.05)
    return [CompareRow(folder / "a, #1 \"odd\".jpg", (0.1, 0.2), 0.8, (s, t), 0.05),
            CompareRow(folder / "b.jpg", (0.0, 0.0), 1.0),
            CompareRow(folder / "broken.jpg", error="not an image")]


def test_every_row_names_the_checkpoints_images_and_settings(tmp_path: Path) -> None:
    folder = tmp_path / "fires" / "JPEGImages"
    rows = _rows(folder)
    left_out = tmp_path / "photos" / "unlabelled.jpg"  # asked for, not in the rows: not in the image folder
    request = CompareRequest((*(r.path for r in rows), left_out), tmp_path / "runs" / "start.safetensors",
                             tmp_path / "runs" / "ft, 2" / "model.safetensors", "cuda:0", "fp16", 0.45, 512, True,
                             "tiled", "core:0.7", 0.3)
    when = datetime(2025, 3, 3, 9, 30, 12, 999, tzinfo=UTC)
    text = compare_csv(rows, request, ("fosp-s", "fosp-b"), when)
    table = list(csv.reader(io.StringIO(text)))
    plain = list(csv.reader(io.StringIO(rows_to_csv(rows))))
    assert table[0] == plain[0] + list(SETUP_COLUMNS)
    assert [cells[:len(plain[0])] for cells in table[1:]] == plain[1:]  # the rows' own columns unchanged
    read = list(csv.DictReader(io.StringIO(text)))
    assert [r["image"] for r in read] == [str(r.path) for r in rows]
    for row in read:
        assert {k: row[k] for k in SETUP_COLUMNS} == {
            "checkpoint A": str(request.checkpoint_a), "checkpoint B": str(request.checkpoint_b),
            "variant A": "fosp-s", "variant B": "fosp-b", "images": "only images with a ground truth",
            "image folder": str(folder), "input": "512 px tiles, full resolution", "input size": "512",
            "threshold": "0.45", "regions": "core:0.7", "tau": "0.3", "device": "cuda:0", "precision": "fp16",
            "compared at": "2025-03-03T09:30:12+00:00", "fosp_core version": __version__}


def test_relative_checkpoints_are_written_absolute_and_no_rows_is_a_header(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    request = CompareRequest((), Path("a.safetensors"), Path("b.safetensors"))
    text = compare_csv([], request)
    assert text.splitlines() == [",".join(list(csv.reader(io.StringIO(rows_to_csv([]))))[0] + list(SETUP_COLUMNS))]
    row = next(csv.DictReader(io.StringIO(compare_csv(_rows(tmp_path)[1:2], request))))
    assert row["checkpoint A"] == str(tmp_path / "a.safetensors") and row["variant A"] == ""
    assert row["images"] == "all open images" and row["compared at"] == "" and row["input"] == "512 px, as trained"
    assert row["tau"] == ""  # each checkpoint at its own τ


def test_image_folder_is_the_common_one(tmp_path: Path) -> None:
    assert image_folder([tmp_path / "x" / "1.jpg", tmp_path / "x" / "2.jpg"]) == str(tmp_path / "x")
    assert image_folder([tmp_path / "x" / "1.jpg", tmp_path / "y" / "z" / "2.jpg"]) == str(tmp_path)
    assert image_folder([]) == ""


def test_input_and_settings_in_words() -> None:
    assert input_text("default") == "512 px, as trained"
    assert input_text("default", 64) == "64 px"  # what ran, not what the choice usually means
    assert input_text("384", 64) == "384 px"
    assert input_text("tiled", 256) == "256 px tiles, full resolution"
    assert settings_text("default", 512, 0.5, "core:0.7") == \
        "512 px, as trained, mask threshold 0.50, regions with a core above 0.7"
    assert settings_text("default", 512, 0.5, "area:40") == \
        "512 px, as trained, mask threshold 0.50, regions of at least 40 pixels at a 512 px long side"
    assert settings_text("default", 512, 0.5, "plain", 0.155).endswith("mask threshold 0.50, all regions, τ 0.155")


def test_csv_name_names_both_checkpoints(tmp_path: Path) -> None:
    runs = tmp_path / "runs"
    assert compare_csv_name(CompareRequest((), runs / "start.safetensors", runs / "ft1" / "model.safetensors")) == \
        "compare_start_vs_model.csv"
    assert compare_csv_name(CompareRequest((), runs / "ft1" / "model.safetensors",
                                           runs / "ft2" / "model.safetensors")) == "compare_ft1-model_vs_ft2-model.csv"
