"""Odd images and long predictions say what happens: an animated GIF/APNG/WebP or a multi-page TIFF
is read as its first frame and says so (the reader's `note`, `fosp predict`'s "note:" line); a tiled
prediction reports tiles done / total (the predictor's `tile_progress`, the CLI's "tiles" lines) and
stops between tiles on Ctrl+C (exit 130, nothing written); a full disk is said once."""

from __future__ import annotations

import errno
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from fosp_core.cli import main
from fosp_core.infer.outputs import OutputWriteError, atomic_write
from fosp_core.infer.predictor import Predictor
from fosp_core.io.images import read_image


def _frames(n: int) -> list[Image.Image]:
    return [Image.new("RGB", (40, 30), (20 * i, 100, 50)) for i in range(n)]


@pytest.mark.parametrize(("ext", "note"), [
    ("gif", "animated GIF, 12 frames: the first is used"),
    ("png", "animated APNG, 12 frames: the first is used"),
    ("webp", "animated WebP, 12 frames: the first is used"),
    ("tif", "multi-page TIFF, 12 pages: the first is used"),
])
def test_a_file_of_several_frames_says_only_the_first_is_used(tmp_path: Path, ext: str, note: str) -> None:
    frames = _frames(12)
    path = tmp_path / f"a.{ext}"
    frames[0].save(path, save_all=True, append_images=frames[1:])
    loaded = read_image(path)
    assert loaded.frames == 12 and loaded.note == note
    single = tmp_path / f"b.{ext}"
    frames[0].save(single)
    assert read_image(single).note is None


@pytest.fixture()
def checkpoint(tiny_checkpoint_file: Path, one_torch_thread: None) -> Path:
    return tiny_checkpoint_file


def test_fosp_predict_prints_the_note_of_an_animated_gif(tmp_path: Path, checkpoint: Path, capsys) -> None:
    frames = _frames(3)
    path = tmp_path / "plume.gif"
    frames[0].save(path, save_all=True, append_images=frames[1:])
    code = main(["predict", str(path), "--out", str(tmp_path / "out"), "--checkpoint", str(checkpoint),
                 "--device", "cpu", "--input-size", "64"])
    assert code == 0
    err = capsys.readouterr().err
    assert err.count("note: plume.gif: animated GIF, 3 frames: the first is used") == 1


def _strip() -> np.ndarray:
    return np.random.default_rng(0).integers(0, 255, (40, 640, 3), dtype=np.uint8)


def test_the_tiled_predictor_reports_every_tile(checkpoint: Path) -> None:
    predictor = Predictor(checkpoint, device="cpu", tiled=True, tile=64, overlap=0, batch_size=2)
    calls: list[tuple[int, int]] = []
    predictor.tile_progress = lambda done, total: calls.append((done, total))
    predictor.predict(_strip(), need=())
    assert calls == [(2, 10), (4, 10), (6, 10), (8, 10), (10, 10)]  # 640 / 64 tiles, 2 a pass


def test_fosp_predict_tiled_prints_tiles_and_stops_between_them_on_ctrl_c(
        tmp_path: Path, checkpoint: Path, capsys, monkeypatch) -> None:
    image = tmp_path / "strip.png"
    Image.fromarray(_strip()).save(image)
    argv = ["predict", str(image), "--checkpoint", str(checkpoint), "--device", "cpu", "--tiled",
            "--tile", "64", "--overlap", "0", "--batch-size", "1"]
    assert main([*argv, "--out", str(tmp_path / "out")]) == 0
    err = capsys.readouterr().err
    assert "tiles 1/10" in err and "tiles 10/10" in err

    seen: list[int] = []
    original = Predictor._process

    def interrupting(self, canvases, needs, consume, keep_state):  # noqa: ANN001, ANN202
        printer = self.tile_progress

        def progress(done: int, total: int) -> None:
            seen.append(done)
            printer(done, total)
            if done == 3:
                raise KeyboardInterrupt  # Ctrl+C during the fourth tile's pass
        self.tile_progress = progress
        return original(self, canvases, needs, consume, keep_state)

    monkeypatch.setattr(Predictor, "_process", interrupting)
    out = tmp_path / "out2"
    assert main([*argv, "--out", str(out)]) == 130
    assert seen == [1, 2, 3]  # stopped between tiles
    assert not any(p.is_file() for p in out.rglob("*"))  # nothing partial written


def test_a_full_disk_is_said_once(tmp_path: Path, monkeypatch) -> None:
    def full(path: Path, data: bytes) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("fosp_core.io.masks.write_atomic", full)
    target = tmp_path / "masks" / "a.png"
    with pytest.raises(OutputWriteError) as info:
        atomic_write(target, b"x")
    assert str(info.value) == f"cannot write {target}: No space left on device"
