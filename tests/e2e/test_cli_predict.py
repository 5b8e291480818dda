"""`fosp predict` end to end: demo images, folders, globs, videos, outputs and exit codes."""

from __future__ import annotations

import shutil
from pathlib import Path

import cv2
import numpy as np
import pytest
import torch
from PIL import Image

from fosp_core.checkpoint import save_checkpoint
from fosp_core.cli import main
from fosp_core.infer.video import probe_video
from fosp_core.model import build_model

torch.set_num_threads(1)

FAST = ["--input-size", "64", "--device", "cpu"]


@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory) -> Path:
    torch.manual_seed(0)
    path = tmp_path_factory.mktemp("ckpt") / "tiny-fosp-s.safetensors"
    save_checkpoint(build_model("fosp-s").eval(), path)
    return path


@pytest.fixture()
def images(demo_dir, tmp_path) -> Path:
    """A copy of two demo images (so tests can add broken files next to them)."""
    folder = tmp_path / "imgs"
    folder.mkdir()
    for src in sorted((demo_dir / "JPEGImages").glob("*.jpg"))[:2]:
        shutil.copy(src, folder / src.name)
    return folder


def _write_video(path: Path, n: int = 8, size: tuple[int, int] = (128, 96)) -> Path:
    w = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 8.0, size)
    for i in range(n):
        img = np.full((size[1], size[0], 3), 90, np.uint8)
        cv2.circle(img, (10 + 12 * i, 40), 14, (230, 230, 230), -1)
        w.write(img)
    w.release()
    return path


def test_demo_images_give_smokeseg_masks_that_eval_reads(checkpoint, demo_dir, tmp_path, capsys) -> None:
    out = tmp_path / "out"
    code = main(["predict", str(demo_dir / "JPEGImages"), "--out", str(out), "--checkpoint", str(checkpoint),
                 "--save", "mask,prob", *FAST])
    assert code == 0, capsys.readouterr().err
    jpgs = sorted((demo_dir / "JPEGImages").glob("*.jpg"))
    masks = sorted((out / "masks").glob("*.png"))
    assert [m.stem for m in masks] == [j.stem for j in jpgs]
    for jpg, m in zip(jpgs, masks, strict=True):
        with Image.open(m) as im:
            assert im.mode == "P" and im.size == Image.open(jpg).size
            assert im.getpalette()[:6] == [0, 0, 0, 128, 0, 0]
            assert set(np.unique(np.asarray(im))) <= {0, 1}
        with Image.open(out / "prob" / m.name) as im:
            assert im.mode == "L"
    # the masks are what `fosp eval --predictions` reads
    code = main(["eval", "--dataset", str(demo_dir), "--predictions", str(out / "masks")])
    assert code == 0, capsys.readouterr().err


def test_keep_masks_are_the_plain_masks_regions_with_a_core(checkpoint, images, tmp_path, capsys) -> None:
    plain = tmp_path / "plain"
    assert main(["predict", str(images), "--out", str(plain), "--checkpoint", str(checkpoint),
                 "--save", "mask,prob", *FAST]) == 0
    seen = {"kept": 0, "dropped": 0}
    for core in (0.55, 0.9):  # the untrained model's probabilities lie around 0.5-0.65
        kept = tmp_path / f"kept-{core}"
        assert main(["predict", str(images), "--out", str(kept), "--checkpoint", str(checkpoint),
                     "--keep", f"core:{core}", *FAST]) == 0, capsys.readouterr().err
        for m in sorted((plain / "masks").glob("*.png")):
            a, b = np.asarray(Image.open(m)), np.asarray(Image.open(kept / "masks" / m.name))
            prob = np.asarray(Image.open(plain / "prob" / m.name)).astype(np.float32) / 255
            assert not (b & ~a).any()  # never more than the plain mask
            count, labels = cv2.connectedComponents(a, connectivity=8)
            for region in range(1, count):
                inside = labels == region
                # a region with a core (prob PNG quantised to 1/255) is kept whole, one without is dropped
                if prob[inside].max() > core + 1 / 255:
                    assert b[inside].all()
                    seen["kept"] += 1
                elif prob[inside].max() < core - 1 / 255:
                    assert not b[inside].any()
                    seen["dropped"] += 1
    assert seen["kept"] and seen["dropped"]


def test_existing_outputs_are_not_overwritten(checkpoint, images, tmp_path, capsys) -> None:
    out = tmp_path / "out"
    args = ["predict", str(images), "--out", str(out), "--checkpoint", str(checkpoint), *FAST]
    assert main(args) == 0
    mask = sorted((out / "masks").glob("*.png"))[0]
    mask.write_bytes(b"sentinel")
    capsys.readouterr()
    assert main(args) == 3  # nothing to do: every output exists
    err = capsys.readouterr().err
    assert "exists" in err and "--overwrite" in err
    assert mask.read_bytes() == b"sentinel"
    assert main([*args, "--overwrite"]) == 0
    assert mask.read_bytes()[:4] == b"\x89PNG"


def test_all_save_kinds_and_glob(checkpoint, images, tmp_path) -> None:
    out = tmp_path / "out"
    code = main(["predict", str(images / "*.jpg"), "--out", str(out), "--checkpoint", str(checkpoint),
                 "--save", "mask,prob,focus,background,overlay", "--threshold", "0.3", *FAST])
    assert code == 0
    stem = sorted(images.glob("*.jpg"))[0].stem
    for rel in (f"masks/{stem}.png", f"prob/{stem}.png", f"focus/{stem}.png", f"background/{stem}.png",
                f"overlay/{stem}.jpg"):
        assert (out / rel).is_file(), rel
    with Image.open(out / "background" / f"{stem}.png") as im:
        assert im.mode == "RGB"
    assert not list(out.rglob("*.tmp")) and not list(out.rglob(".*"))  # no temporary files left


def test_a_rerun_fills_in_the_outputs_a_stopped_run_left_out(checkpoint, images, tmp_path, capsys) -> None:
    out = tmp_path / "out"
    args = ["predict", str(images / "*.jpg"), "--out", str(out), "--checkpoint", str(checkpoint),
            "--save", "mask,prob", *FAST]
    assert main(args) == 0
    stems = sorted(p.stem for p in images.glob("*.jpg"))
    (out / "prob" / f"{stems[0]}.png").unlink()  # stopped between its mask and its probability
    mask = out / "masks" / f"{stems[0]}.png"
    mask.write_bytes(b"sentinel")  # what exists is never rewritten without --overwrite
    capsys.readouterr()
    assert main(args) == 0
    err = capsys.readouterr().err
    assert "only prob missing" in err
    assert sum(line.startswith("skipped") for line in err.splitlines()) == len(stems) - 1
    assert (out / "prob" / f"{stems[0]}.png").read_bytes()[:4] == b"\x89PNG"
    assert mask.read_bytes() == b"sentinel"
    assert main(args) == 3  # now complete: nothing to do


def test_tiled_mode_runs(checkpoint, images, tmp_path) -> None:
    out = tmp_path / "out"
    code = main(["predict", str(sorted(images.glob("*.jpg"))[0]), "--out", str(out), "--checkpoint",
                 str(checkpoint), "--tiled", "--tile", "256", "--overlap", "32", "--device", "cpu"])
    assert code == 0 and len(list((out / "masks").glob("*.png"))) == 1


def test_bad_inputs_are_reported_and_the_rest_processed(checkpoint, images, tmp_path, capsys) -> None:
    (images / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe0 this is not really a jpeg")
    (images / "empty.png").write_bytes(b"")
    out = tmp_path / "out"
    code = main(["predict", str(images), "--out", str(out), "--checkpoint", str(checkpoint), *FAST])
    err = capsys.readouterr().err
    assert code == 1
    assert "failed" in err and "broken.jpg" in err and "empty.png" in err
    assert len(list((out / "masks").glob("*.png"))) == 2


@pytest.mark.parametrize("case", ["missing_input", "no_checkpoint", "bad_checkpoint", "unwritable_out",
                                  "bad_threshold", "bad_keep", "bad_save", "bad_device", "bad_precision"])
def test_usage_errors_exit_2(case, checkpoint, images, tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("FOSP_MODELS", str(tmp_path / "models"))
    monkeypatch.setenv("FOSP_CACHE", str(tmp_path / "cache"))
    from fosp_core import paths

    monkeypatch.setattr(paths, "BUNDLED_MODELS", tmp_path / "bundled")
    out = tmp_path / "out"
    base = [str(images), "--out", str(out), "--input-size", "64"]
    ck = ["--checkpoint", str(checkpoint)]
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    bad_ckpt = tmp_path / "bad.safetensors"
    bad_ckpt.write_bytes(b"garbage" * 10)
    argv = {
        "missing_input": [str(tmp_path / "nope.jpg"), "--out", str(out), *ck],
        "no_checkpoint": base,
        "bad_checkpoint": [*base, "--checkpoint", str(bad_ckpt)],
        "unwritable_out": [str(images), "--out", str(blocker / "sub"), *ck],
        "bad_threshold": [*base, *ck, "--threshold", "1.5"],
        "bad_keep": [*base, *ck, "--keep", "core:2"],
        "bad_save": [*base, *ck, "--save", "mask,nonsense"],
        "bad_device": [*base, *ck, "--device", "cuda:7" if torch.cuda.is_available() else "cuda"],
        "bad_precision": [*base, *ck, "--device", "cpu", "--precision", "fp16"],
    }[case]
    assert main(["predict", *argv]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error:")
    if case == "no_checkpoint":
        assert "--checkpoint" in err
    assert not (out / "masks").exists()


def test_nothing_to_do_exits_3(checkpoint, tmp_path, capsys) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "notes.txt").write_text("no images here")
    out = tmp_path / "out"
    assert main(["predict", str(empty), "--out", str(out), "--checkpoint", str(checkpoint)]) == 3
    assert main(["predict", str(tmp_path / "*.png"), "--out", str(out), "--checkpoint", str(checkpoint)]) == 3
    assert "nothing to do" in capsys.readouterr().err


def test_video_gives_overlay_mp4_and_frame_masks(checkpoint, tmp_path) -> None:
    video = _write_video(tmp_path / "clip.avi", n=8)
    out = tmp_path / "out"
    code = main(["predict", str(video), "--out", str(out), "--checkpoint", str(checkpoint), *FAST])
    assert code == 0
    info = probe_video(out / "overlay" / "clip.mp4")
    assert (info.width, info.height, info.frame_count) == (128, 96, 8)
    target = tmp_path / "mine.mp4"
    code = main(["predict", str(video), "--out", str(out), "--checkpoint", str(checkpoint), "--save", "mask",
                 "--video-out", str(target), "--every", "2", *FAST])
    assert code == 0 and probe_video(target).frame_count == 4
    assert sorted(p.name for p in (out / "masks").glob("*.png")) == [f"clip_f{i:06d}.png" for i in (0, 2, 4, 6)]


def test_video_with_a_corrupt_frame_keeps_the_rest(checkpoint, tmp_path, capsys) -> None:
    video = _write_video(tmp_path / "clip.avi", n=10)
    data = bytearray(video.read_bytes())
    soi = [i for i in range(len(data) - 1) if data[i] == 0xFF and data[i + 1] == 0xD8]
    data[soi[3]: soi[4] - 8] = bytes(soi[4] - 8 - soi[3])
    video.write_bytes(bytes(data))
    out = tmp_path / "out"
    code = main(["predict", str(video), "--out", str(out), "--checkpoint", str(checkpoint), *FAST])
    err = capsys.readouterr().err
    assert code == 1 and "frame 3" in err
    assert probe_video(out / "overlay" / "clip.mp4").frame_count == 9


def test_unreadable_video_fails_without_partial_output(checkpoint, tmp_path, capsys) -> None:
    bad = tmp_path / "bad.mp4"
    bad.write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 500)
    out = tmp_path / "out"
    assert main(["predict", str(bad), "--out", str(out), "--checkpoint", str(checkpoint), *FAST]) == 1
    assert "bad.mp4" in capsys.readouterr().err
    assert not list(out.rglob("*.mp4"))


@pytest.mark.slow
@pytest.mark.shared
def test_real_clips(checkpoint, shared_data, tmp_path) -> None:
    out = tmp_path / "out"
    clips = sorted((shared_data / "videos").glob("*.mp4"))
    code = main(["predict", *map(str, clips), "--out", str(out), "--checkpoint", str(checkpoint),
                 "--device", "cpu", "--input-size", "256", "--batch-size", "4"])
    assert code == 0
    for clip in clips:
        src, dst = probe_video(clip), probe_video(out / "overlay" / f"{clip.stem}.mp4")
        assert (dst.width, dst.height) == (src.width, src.height) and dst.frame_count == src.frame_count


def test_eval_compares_checkpoints_on_the_same_images(checkpoint, demo_dir, tmp_path, capsys) -> None:
    import json

    from fosp_core.paths import find_model

    default = find_model()
    assert default is not None
    out = tmp_path / "cmp.json"
    code = main(["eval", "--dataset", str(demo_dir), "--checkpoint", str(default), "--checkpoint",
                 str(checkpoint), "--device", "cpu", "--input-size", "256", "--json", str(out)])  # 256: a quarter of 512's work
    printed = capsys.readouterr().out
    assert code == 0
    assert "comparison on the same images:" in printed and f"[2] {checkpoint}" in printed
    data = json.loads(out.read_text())
    a, b = data[str(default)]["total"], data[str(checkpoint)]["total"]
    assert a["n"] == b["n"] == 4
    comparison = printed.split("comparison on the same images:")[1]
    line = next(row for row in comparison.splitlines() if row.strip().startswith("total"))
    assert line.split()[-1] == f"{100 * (b['f_beta'] - a['f_beta']):+.2f}"
    assert a["f_beta"] > b["f_beta"]  # the trained default beats random weights on the demo smoke


def test_eval_input_size_is_the_predict_input(demo_dir, tmp_path, capsys) -> None:
    """`fosp eval --input-size N` scores what `fosp predict --input-size N` writes (the app's Input)."""
    import json

    from fosp_core.paths import find_model

    checkpoint = find_model()  # the trained default: its masks are not empty, so the scores say something
    assert checkpoint is not None
    out = tmp_path / "pred"
    assert main(["predict", str(demo_dir / "JPEGImages"), "--out", str(out), "--checkpoint", str(checkpoint),
                 "--device", "cpu", "--input-size", "256", "--save", "prob"]) == 0
    saved, direct = tmp_path / "saved.json", tmp_path / "direct.json"
    assert main(["eval", "--dataset", str(demo_dir), "--predictions", str(out / "prob"),
                 "--json", str(saved)]) == 0
    assert main(["eval", "--dataset", str(demo_dir), "--checkpoint", str(checkpoint), "--device", "cpu",
                 "--input-size", "256", "--json", str(direct)]) == 0
    a, b = json.loads(saved.read_text())["total"], json.loads(direct.read_text())["total"]
    assert a["n"] == b["n"] == 4
    assert b["f_beta"] > 0.05
    assert a["f_beta"] == pytest.approx(b["f_beta"], abs=0.02)  # 8-bit PNGs against float maps
    capsys.readouterr()
    assert main(["eval", "--dataset", str(demo_dir), "--checkpoint", str(checkpoint), "--input-size", "100"]) == 2
    assert "--input-size must be a positive multiple of 32" in capsys.readouterr().err
