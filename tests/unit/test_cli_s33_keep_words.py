"""`fosp eval --keep RULE` titled its table "regions kept: core:0.8", the rule's code alone, and `fosp compare
--keep RULE` said nothing of the rule in its text (its CSV's "regions" column holds the code). The code stays
(what to type again, what a script reads) and the plain words of `fosp_core.analysis.settings.keep_words`
follow it where a person reads; the CSV's column keeps the code."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from fosp_core.cli import main
from fosp_core.data.datasets import open_dataset


def _predictions(demo_dir: Path, folder: Path) -> Path:
    ds = open_dataset(demo_dir, "val")
    folder.mkdir()
    for i, sample_id in enumerate(ds.ids):
        prob = np.where(ds.load_mask(i) == 1, 0.9, 0.1)
        Image.fromarray((prob * 255).round().astype(np.uint8)).save(folder / f"{sample_id}.png")
    return folder


@pytest.mark.parametrize(("rule", "words"), [
    ("core:0.8", "regions kept: core:0.8 (with a core above 0.8)"),
    ("mean:0.6", "regions kept: mean:0.6 (with a mean probability above 0.6)"),
    ("area:64", "regions kept: area:64 (of at least 64 pixels at a 512 px long side)"),
])
def test_eval_says_the_rule_in_words_after_its_code(demo_dir: Path, tmp_path: Path, capsys, rule: str,
                                                    words: str) -> None:
    preds = _predictions(demo_dir, tmp_path / "pred")
    assert main(["eval", "--dataset", str(demo_dir), "--split", "val", "--predictions", str(preds), "--keep", rule]) == 0
    out = capsys.readouterr().out
    assert f", {words}:" in out, out


def test_eval_plain_says_no_rule(demo_dir: Path, tmp_path: Path, capsys) -> None:
    preds = _predictions(demo_dir, tmp_path / "pred")
    assert main(["eval", "--dataset", str(demo_dir), "--split", "val", "--predictions", str(preds)]) == 0
    assert "regions kept" not in capsys.readouterr().out


def test_compare_says_the_rule_and_its_csv_keeps_the_code(demo_dir: Path, tmp_path: Path, capsys) -> None:
    import torch

    from tests.tiny_checkpoints import save_tiny_checkpoint

    torch.set_num_threads(1)
    a = save_tiny_checkpoint(tmp_path / "a.safetensors")
    b = shutil.copyfile(a, tmp_path / "b.safetensors")
    images = sorted((demo_dir / "JPEGImages").glob("*.jpg"))[:1]
    out_csv = tmp_path / "c.csv"
    assert main(["compare", str(a), str(b), *map(str, images), "--input-size", "64", "--device", "cpu",
                 "--keep", "core:0.7", "--csv", str(out_csv)]) == 0
    out = capsys.readouterr().out
    assert "regions kept: core:0.7 (with a core above 0.7)" in out.splitlines(), out
    assert out.startswith("1 image, "), out  # was "1 images, "
    with out_csv.open(encoding="utf-8") as f:
        rows = [row for row in csv.reader(f) if row]
    header = next(row for row in rows if "regions" in row)
    column = header.index("regions")
    assert [row[column] for row in rows[rows.index(header) + 1:] if len(row) > column][:1] == ["core:0.7"]
