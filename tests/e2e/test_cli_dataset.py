"""`fosp dataset convert/stats` and `fosp eval` end to end, on real samples."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from fosp_core.cli import main
from fosp_core.data.datasets import open_dataset
from fosp_core.io.masks import read_mask


def _smoke5k(demo: Path, root: Path) -> Path:
    (root / "img").mkdir(parents=True)
    (root / "gt").mkdir()
    for jpg in sorted((demo / "JPEGImages").glob("*.jpg")):
        shutil.copy(jpg, root / "img" / jpg.name)
        Image.fromarray(read_mask(demo / "SegmentationClass" / f"{jpg.stem}.png") * 255).save(root / "gt" / f"{jpg.stem}.png")
    return root


def _probability_pngs(ds, folder: Path, prob_of) -> Path:  # noqa: ANN001
    """8-bit probability PNGs <id>.png in `folder`, `prob_of(mask)` for each sample of `ds`."""
    folder.mkdir()
    for i, sample_id in enumerate(ds.ids):
        prob = prob_of(ds.load_mask(i))
        Image.fromarray((prob * 255).round().astype(np.uint8)).save(folder / f"{sample_id}.png")
    return folder


def test_convert_smoke5k_layout_then_stats_then_eval(tmp_path: Path, demo_dir: Path, capsys) -> None:
    src = _smoke5k(demo_dir, tmp_path / "s5k")
    dst = tmp_path / "seg"
    assert main(["dataset", "convert", str(src), str(dst), "--to", "smokeseg", "--split", "0.5,0.25,0.25",
                 "--seed", "3"]) == 0
    assert "wrote 4 samples" in capsys.readouterr().out
    lists = {p.stem: p.read_text().split() for p in (dst / "ImageSets/Segmentation").glob("*.txt")}
    assert sorted(len(v) for k, v in lists.items() if k in ("train", "val", "test")) == [1, 1, 2]
    assert sorted(lists["test_small"] + lists["test_medium"] + lists["test_large"]) == sorted(lists["test"])
    for sample_id in lists["train"] + lists["val"] + lists["test"]:  # masks byte-exact SmokeSeg files
        assert (dst / "SegmentationClass" / f"{sample_id}.png").read_bytes() == \
            (demo_dir / "SegmentationClass" / f"{sample_id}.png").read_bytes()

    # same seed, same split; refuses a non-empty destination
    assert main(["dataset", "convert", str(src), str(dst), "--split", "0.5,0.25,0.25", "--seed", "3"]) == 1
    err = capsys.readouterr().err
    assert "not empty" in err and "--overwrite" in err and "overwrite=True" not in err
    assert main(["dataset", "convert", str(src), str(dst), "--split", "0.5,0.25,0.25", "--seed", "3",
                 "--overwrite"]) == 0
    again = {p.stem: p.read_text().split() for p in (dst / "ImageSets/Segmentation").glob("*.txt")}
    assert again == lists

    assert main(["dataset", "stats", str(dst)]) == 0
    out = capsys.readouterr().out
    assert "images: 4" in out and "small 0" in out and "medium 4" in out and "delta histogram" in out

    preds = tmp_path / "pred"
    preds.mkdir()
    for path in (src / "gt").iterdir():
        shutil.copy(path, preds / path.name)   # 0/255 masks as predictions: a perfect model
    report = tmp_path / "r.json"
    assert main(["eval", "--dataset", str(dst), "--predictions", str(preds), "--json", str(report)]) == 0
    out = capsys.readouterr().out
    assert "protocol: smokeseg" in out and "total" in out
    data = json.loads(report.read_text())
    assert set(data) == {"total", "small", "medium", "large"}
    assert {"f_beta", "f1", "miou", "mse", "precision", "recall", "n"} <= set(data["total"])
    assert (data["total"]["f_beta"], data["total"]["miou"], data["total"]["mse"], data["total"]["n"]) == (1.0, 1.0, 0.0, 4)
    assert data["large"]["n"] == 0 and data["large"]["f_beta"] is None


def test_eval_sod_protocol_threshold_and_errors(tmp_path: Path, demo_dir: Path, capsys) -> None:
    ds = open_dataset(demo_dir, "val")
    preds = _probability_pngs(ds, tmp_path / "pred", lambda mask: np.where(mask == 1, 0.7, 0.2))
    assert main(["eval", "--dataset", str(demo_dir), "--split", "val", "--predictions", str(preds),
                 "--protocol", "sod", "--json", str(tmp_path / "sod.json")]) == 0
    out = capsys.readouterr().out
    assert "protocol: sod" in out and "F_beta(max)" in out
    sod = json.loads((tmp_path / "sod.json").read_text())["total"]
    assert sod["f_beta_max"] == 1.0 and sod["mse"] == pytest.approx(np.mean(
        [np.abs(np.where(ds.load_mask(i) == 1, 0.3, 0.2)).mean() for i in range(4)]), abs=2e-3)

    assert main(["eval", "--dataset", str(demo_dir), "--predictions", str(preds), "--threshold", "0.8",
                 "--json", str(tmp_path / "hi.json")]) == 0
    assert json.loads((tmp_path / "hi.json").read_text())["total"]["f_beta"] == 0.0

    (preds / f"{ds.ids[0]}.png").unlink()
    assert main(["eval", "--dataset", str(demo_dir), "--predictions", str(preds)]) == 1
    assert "no prediction file" in capsys.readouterr().err
    assert main(["eval", "--dataset", str(demo_dir), "--predictions", str(preds), "--skip-bad"]) == 0
    captured = capsys.readouterr()
    assert f"skipped {ds.ids[0]}" in captured.err and ": 3 images" in captured.out

    assert main(["eval", "--dataset", str(demo_dir), "--checkpoint", str(tmp_path / "missing.safetensors")]) == 2
    assert "not found" in capsys.readouterr().err


def test_eval_keep_drops_weak_regions(tmp_path: Path, demo_dir: Path, capsys) -> None:
    """--keep core:T scores a weak false alarm as background and keeps the confident smoke whole."""
    def with_weak_false_alarm(mask: np.ndarray) -> np.ndarray:
        prob = np.where(mask == 1, 0.9, 0.1)
        y, x = (int(v) for v in np.argwhere(mask == 0)[0])  # a 40x40 patch of 0.6 away from the smoke
        patch = prob[y:y + 40, x:x + 40]
        patch[mask[y:y + 40, x:x + 40] == 0] = 0.6
        return prob

    preds = _probability_pngs(open_dataset(demo_dir, "val"), tmp_path / "pred", with_weak_false_alarm)
    args = ["eval", "--dataset", str(demo_dir), "--split", "val", "--predictions", str(preds)]
    assert main([*args, "--json", str(tmp_path / "plain.json")]) == 0
    assert main([*args, "--keep", "core:0.8", "--json", str(tmp_path / "core.json")]) == 0
    assert "regions kept: core:0.8" in capsys.readouterr().out
    plain = json.loads((tmp_path / "plain.json").read_text())["total"]
    core = json.loads((tmp_path / "core.json").read_text())["total"]
    assert plain["precision"] < 1.0 and core["precision"] == 1.0 and core["recall"] == 1.0

    assert main([*args, "--keep", "peak:3"]) == 2
    assert "--keep" in capsys.readouterr().err
    assert main([*args, "--keep", "core:0.8", "--protocol", "sod"]) == 2
    assert "smokeseg" in capsys.readouterr().err


def test_convert_unlabelled_folder_is_refused(tmp_path: Path, demo_dir: Path, capsys) -> None:
    assert main(["dataset", "convert", str(demo_dir / "JPEGImages"), str(tmp_path / "out")]) == 2
    assert "no masks" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_convert_skip_bad_reports_what_it_skipped(tmp_path: Path, demo_dir: Path, capsys) -> None:
    src = tmp_path / "src"
    shutil.copytree(demo_dir, src)
    victim = open_dataset(src, "val").ids[1]
    (src / "SegmentationClass" / f"{victim}.png").unlink()
    assert main(["dataset", "convert", str(src), str(tmp_path / "a")]) == 1  # one input failed
    assert main(["dataset", "convert", str(src), str(tmp_path / "b"), "--skip-bad"]) == 0
    captured = capsys.readouterr()
    assert f"skipped {victim}" in captured.err and "skipped 1" in captured.out
    assert victim not in (tmp_path / "b/ImageSets/Segmentation/val.txt").read_text()
    assert len(open_dataset(tmp_path / "b", "val")) == 3


def test_python_m_fosp_runs(demo_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:  # noqa: ANN001
    """`python -m fosp_core` as runpy runs it, in this process (a real `python -m fosp_core` process
    runs in tests/e2e/test_cli_qa.py::test_output_into_a_closed_pipe_is_not_a_traceback)."""
    import runpy

    monkeypatch.setattr(sys, "argv", ["fosp_core", "dataset", "stats", str(demo_dir)])
    with pytest.raises(SystemExit) as exited:
        runpy.run_module("fosp_core", run_name="__main__", alter_sys=True)
    out, err = capsys.readouterr()
    assert exited.value.code == 0, err
    assert "layout: smokeseg" in out and "split files: val 4" in out


def test_convert_real_smokeseg_samples_keeps_splits(tmp_path: Path, shared_data: Path, capsys) -> None:
    src = shared_data / "smokeseg-samples"
    assert main(["dataset", "convert", str(src), str(tmp_path / "out")]) == 0
    for name in ("train", "val"):
        assert (tmp_path / "out/ImageSets/Segmentation" / f"{name}.txt").read_bytes() == \
            (src / "ImageSets/Segmentation" / f"{name}.txt").read_bytes()
    assert main(["eval", "--dataset", str(tmp_path / "out"), "--split", "val",
                 "--predictions", str(src / "SegmentationClass")]) == 0
    assert ": 10 images" in capsys.readouterr().out
