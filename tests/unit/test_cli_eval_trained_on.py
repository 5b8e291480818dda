"""`fosp eval --checkpoint` on images the checkpoint was trained on says how many, scores the
held-out ones apart, and its per-image CSV marks each image; a checkpoint that records no training
images (the fp16 default exported before fingerprints) is unknown on every image: nothing said."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import torch

from fosp_core.cli import main
from tests.unit.test_train_support import save_tiny_checkpoint
from tests.unit.test_trained_on_fingerprint import _run


@pytest.fixture(autouse=True)
def _one_thread() -> None:
    torch.set_num_threads(1)


def _eval(export: Path, checkpoint: Path, out: Path, capsys: pytest.CaptureFixture[str]) -> tuple[str, dict]:
    code = main(["eval", "--dataset", str(export), "--checkpoint", str(checkpoint), "--device", "cpu",
                 "--input-size", "64", "--per-image", str(out)])
    said = capsys.readouterr()
    assert code == 0, said.err
    with out.open(newline="") as f:
        return said.out, {row["id"]: row["trained_on"] for row in csv.DictReader(f)}


def test_eval_says_the_images_trained_on_and_scores_the_rest(demo_dir: Path, tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    cfg, export = _run(demo_dir, tmp_path)
    capsys.readouterr()
    out, marks = _eval(export, cfg.run_dir() / "best.safetensors", tmp_path / "images.csv", capsys)
    train = set((export / "ImageSets" / "Segmentation" / "train.txt").read_text().split())
    assert marks == {i: ("yes" if i in train else "no") for i in marks}, marks
    assert sorted(marks.values()).count("yes") == 3
    line = next(x for x in out.splitlines() if "was trained on" in x)
    assert f"was trained on 3 of the {len(marks)} images scored" in line, line
    assert f"held out ({len(marks) - 3}): F_beta " in line, line


def test_a_checkpoint_without_a_fingerprint_says_nothing(demo_dir: Path, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    old = save_tiny_checkpoint(tmp_path / "old.safetensors")
    out, marks = _eval(demo_dir, old, tmp_path / "images.csv", capsys)
    assert "trained on" not in out and "held out" not in out
    assert marks and set(marks.values()) == {""}  # unknown, not "no"
