"""QA of the command line as a researcher uses it: errors name the bad flag or path, exit codes
follow the README (0 ok, 1 runtime failure, 2 usage error), no traceback reaches the terminal."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest
import torch

from fosp_core.checkpoint import save_checkpoint
from fosp_core.cli import main
from fosp_core.model import build_model

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory: pytest.TempPathFactory) -> Path:
    torch.manual_seed(0)
    path = tmp_path_factory.mktemp("ckpt") / "tiny-fosp-s.safetensors"
    save_checkpoint(build_model("fosp-s").eval(), path)
    return path


def _video(path: Path, n: int = 3) -> Path:
    w = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 8.0, (96, 64))
    for i in range(n):
        w.write(np.full((64, 96, 3), 40 * i, np.uint8))
    w.release()
    return path


def _labelled_copy(demo_dir: Path, dst: Path) -> Path:
    shutil.copytree(demo_dir, dst)
    return dst


@pytest.mark.parametrize("overwrite", [False, True])
def test_predict_video_out_that_is_a_folder_is_a_usage_error(checkpoint, tmp_path, capsys, overwrite) -> None:
    # It said "nothing to do: every output exists already" (exit 3); with --overwrite it failed
    # after the whole video with "[Errno 21] Is a directory" (exit 1).
    video = _video(tmp_path / "clip.avi")
    folder = tmp_path / "videos"
    folder.mkdir()
    argv = ["predict", str(video), "--out", str(tmp_path / "out"), "--video-out", str(folder),
            "--checkpoint", str(checkpoint), "--input-size", "64", "--device", "cpu"]
    assert main(argv + (["--overwrite"] if overwrite else [])) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: --video-out") and str(folder) in err and "folder" in err
    assert list(folder.iterdir()) == []


def test_predict_video_out_without_a_video_suffix_is_a_usage_error(checkpoint, tmp_path, capsys) -> None:
    # It ran the model, then failed with "OpenCV cannot encode 'mp4v' into .txt" (exit 1).
    video = _video(tmp_path / "clip.avi")
    target = tmp_path / "overlay.txt"
    assert main(["predict", str(video), "--out", str(tmp_path / "out"), "--video-out", str(target),
                 "--checkpoint", str(checkpoint), "--input-size", "64", "--device", "cpu"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: --video-out") and ".mp4" in err
    assert not target.exists() and not (tmp_path / "out").exists()


def test_eval_json_into_a_new_folder_is_written(demo_dir, tmp_path, capsys) -> None:
    # The table printed, then a FileNotFoundError traceback (exit 1) for the missing folder.
    preds = tmp_path / "preds"
    shutil.copytree(demo_dir / "SegmentationClass", preds)
    out = tmp_path / "results" / "run1" / "eval.json"
    assert main(["eval", "--dataset", str(demo_dir), "--predictions", str(preds), "--json", str(out)]) == 0
    data = json.loads(out.read_text())
    assert data["total"]["n"] == 4 and data["total"]["f_beta"] == pytest.approx(1.0)


def test_eval_json_onto_a_folder_is_a_clear_error(demo_dir, tmp_path, capsys) -> None:
    preds = tmp_path / "preds"
    shutil.copytree(demo_dir / "SegmentationClass", preds)
    assert main(["eval", "--dataset", str(demo_dir), "--predictions", str(preds), "--json", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: --json") and str(tmp_path) in err


def test_dataset_stats_json_into_a_new_folder_and_onto_a_folder(demo_dir, tmp_path, capsys) -> None:
    out = tmp_path / "stats" / "demo.json"
    assert main(["dataset", "stats", str(demo_dir), "--json", str(out)]) == 0
    assert json.loads(out.read_text())["n"] == 4
    assert main(["dataset", "stats", str(demo_dir), "--json", str(tmp_path)]) == 2  # usage: checked first
    err = capsys.readouterr().err
    assert "error: --json" in err and str(tmp_path) in err


@pytest.mark.parametrize("action", ["status", "import", "export"])
def test_project_on_a_missing_path_names_it_and_exits_2(tmp_path, capsys, action) -> None:
    # It named a folder under the user cache ("~/.cache/fosp/projects/nope-1a2b...: no annotation
    # project here") that the user never typed, and exited 1.
    missing = tmp_path / "nope"
    argv = ["project", action, str(missing)] + ([str(tmp_path / "dst")] if action == "export" else [])
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {missing}:") and "no such" in err
    assert not (tmp_path / "dst").exists()


def test_project_import_from_a_missing_source_exits_2(demo_dir, tmp_path, capsys) -> None:
    dataset = _labelled_copy(demo_dir, tmp_path / "demo")
    assert main(["project", "status", str(dataset)]) == 2  # no project yet: open it first
    from fosp_core.annotation.project import Project

    Project.open(dataset).close()
    capsys.readouterr()
    assert main(["project", "import", str(dataset), str(tmp_path / "no-labels")]) == 2
    assert str(tmp_path / "no-labels") in capsys.readouterr().err


@pytest.mark.parametrize("size", ["0", "1", "-64"])
def test_synth_too_small_size_is_a_usage_error(demo_dir, tmp_path, capsys, size) -> None:
    # --size 0 ended in a cv2.error traceback, --size 1 in a numpy ValueError traceback.
    out = tmp_path / "synth"
    assert main(["dataset", "synth", "--backgrounds", str(demo_dir), "--n", "2", "--size", size, str(out)]) == 2
    assert capsys.readouterr().err.startswith("error: --size")
    assert not out.exists()


def test_convert_bad_smoke_color_names_the_flag(demo_dir, tmp_path, capsys) -> None:
    # It said only "error: invalid literal for int() with base 10: 'a'".
    assert main(["dataset", "convert", str(demo_dir), str(tmp_path / "dst"), "--smoke-color", "a,b,c"]) == 2
    assert capsys.readouterr().err.startswith("error: --smoke-color 'a,b,c'")


def test_non_positive_resize_is_a_usage_error(demo_dir, tmp_path, capsys) -> None:
    # Both exited 1 with "DST: resize_to must be positive" after opening the dataset/project.
    assert main(["dataset", "convert", str(demo_dir), str(tmp_path / "a"), "--resize", "0"]) == 2
    assert capsys.readouterr().err.startswith("error: --resize")
    dataset = _labelled_copy(demo_dir, tmp_path / "demo")
    from fosp_core.annotation.project import Project

    Project.open(dataset).close()
    assert main(["project", "export", str(dataset), str(tmp_path / "b"), "--resize", "-5"]) == 2
    assert capsys.readouterr().err.startswith("error: --resize")
    assert not (tmp_path / "a").exists() and not (tmp_path / "b").exists()


@pytest.mark.parametrize("unbuffered", ["", "1"])
def test_output_into_a_closed_pipe_is_not_a_traceback(demo_dir, tmp_path, unbuffered) -> None:
    # `fosp dataset stats DIR | head -3` printed a BrokenPipeError traceback (unbuffered stdout) or
    # "Exception ignored ... BrokenPipeError" at exit (exit 120).
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "FOSP_CACHE": str(tmp_path / "cache"),
           "PYTHONUNBUFFERED": unbuffered}
    proc = subprocess.Popen([sys.executable, "-m", "fosp_core", "dataset", "stats", str(demo_dir)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=tmp_path)
    assert proc.stdout is not None
    proc.stdout.close()  # the reader went away, like `head` after its lines
    _, err = proc.communicate(timeout=120)
    assert b"Traceback" not in err and b"BrokenPipeError" not in err, err.decode()
    assert proc.returncode == 1


@pytest.mark.parametrize("where", ["same", "parent"])
def test_convert_never_overwrites_its_own_source(demo_dir, tmp_path, capsys, where) -> None:
    # `fosp dataset convert data/src data --overwrite` (or SRC onto itself) replaced the folder
    # holding the source, deleting it and everything beside it.
    root = tmp_path / "data"
    src = _labelled_copy(demo_dir, root / "src")
    (root / "notes.txt").write_text("keep me")
    dst = src if where == "same" else root
    assert main(["dataset", "convert", str(src), str(dst), "--overwrite", "--resize", "64"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {dst}:") and "source" in err
    assert (root / "notes.txt").read_text() == "keep me"
    assert sorted(p.name for p in (src / "JPEGImages").iterdir()) == \
        sorted(p.name for p in (demo_dir / "JPEGImages").iterdir())


def test_synth_never_overwrites_its_backgrounds(demo_dir, tmp_path, capsys) -> None:
    backgrounds = _labelled_copy(demo_dir, tmp_path / "bg")
    assert main(["dataset", "synth", "--backgrounds", str(backgrounds), "--n", "2", "--size", "64",
                 "--overwrite", str(backgrounds)]) == 2
    assert "background" in capsys.readouterr().err
    assert len(list((backgrounds / "JPEGImages").glob("*.jpg"))) == 4


def test_eval_unknown_device_blames_the_device_not_the_checkpoint(checkpoint, demo_dir, capsys) -> None:
    # It said "CKPT: cannot load the checkpoint: unknown device 'gpu0' ...".
    assert main(["eval", "--dataset", str(demo_dir), "--checkpoint", str(checkpoint), "--device", "gpu0"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: --device gpu0:") and "cannot load the checkpoint" not in err


def test_eval_json_keeps_every_checkpoint_named_twice(checkpoint, demo_dir, tmp_path, capsys) -> None:
    # The JSON was keyed by the path alone: the same checkpoint given twice (e.g. a determinism
    # check) left one entry for a two-column comparison table.
    out = tmp_path / "cmp.json"
    assert main(["eval", "--dataset", str(demo_dir), "--checkpoint", str(checkpoint), "--checkpoint", str(checkpoint),
                 "--input-size", "64", "--device", "cpu", "--json", str(out)]) == 0
    data = json.loads(out.read_text())
    assert len(data) == 2 and all(v["total"]["n"] == 4 for v in data.values())
    assert data[f"[1] {checkpoint}"] == data[f"[2] {checkpoint}"]


def test_eval_json_of_distinct_checkpoints_is_keyed_by_path(checkpoint, demo_dir, tmp_path, capsys) -> None:
    other = tmp_path / "copy.safetensors"
    shutil.copy(checkpoint, other)
    out = tmp_path / "cmp.json"
    assert main(["eval", "--dataset", str(demo_dir), "--checkpoint", str(checkpoint), "--checkpoint", str(other),
                 "--input-size", "64", "--device", "cpu", "--json", str(out)]) == 0
    assert list(json.loads(out.read_text())) == [str(checkpoint), str(other)]
