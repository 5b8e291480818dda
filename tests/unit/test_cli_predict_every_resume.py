"""`fosp predict VIDEO --every N` counted floor(frames / N) frames, not the ceil it predicts (frames 0,
N, 2N, ... below the count: 16 of the 156-frame HPWREN clip at --every 10, shown as "15/15 frames"),
so a rerun after a stop that had written all but the last frame found "enough" frame files and said
'nothing to do' (exit 3; the README: 3 = nothing to do), leaving that frame unwritten for good."""

from __future__ import annotations

from pathlib import Path

import pytest

from fosp_core.cli import main
from tests.unit.test_infer_stream import write_video
from tests.unit.test_train_support import save_tiny_checkpoint


def test_a_rerun_at_every_n_writes_the_last_frame(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    tiny = save_tiny_checkpoint(tmp_path / "tiny.safetensors")
    video = write_video(tmp_path / "clip.avi", n=8, size=(64, 48))  # --every 3: frames 0, 3, 6

    def predict() -> int:
        return main(["predict", str(video), "--out", str(tmp_path / "out"), "--checkpoint", str(tiny), "--save",
                     "mask", "--every", "3", "--input-size", "64", "--device", "cpu", "--quiet"])

    assert predict() == 0
    masks = sorted((tmp_path / "out" / "masks").glob("clip_f*.png"))
    assert len(masks) == 3
    masks[-1].unlink()  # stopped before the last frame was written
    capsys.readouterr()
    assert predict() == 0
    assert masks[-1].is_file()
    assert predict() == 3  # now everything is there
