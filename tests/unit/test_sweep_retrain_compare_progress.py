"""`fosp compare` on a terminal counts the images it has compared on stderr, as `fosp project prelabel`
and `fosp project import` count theirs: in the retrain loop (export, train, compare the fine-tune with
its start on the project's masks) the 20-photo comparison printed its "A: / B:" lines and then nothing
for 4 min 46 s on the shared machine (load 9) before the report. Piped (a script's log), stderr stays
as it was: no count."""

from __future__ import annotations

import io
import re
import shutil
import sys
from pathlib import Path

import pytest
import torch

from fosp_core.cli import main
from tests.unit.test_train_support import save_tiny_checkpoint


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture(autouse=True)
def _one_thread() -> None:
    torch.set_num_threads(1)


def _run(stream: io.StringIO, demo_dir: Path, tmp_path: Path, *extra: str,
         monkeypatch: pytest.MonkeyPatch) -> int:
    a = save_tiny_checkpoint(tmp_path / "a.safetensors")
    b = shutil.copyfile(a, tmp_path / "b.safetensors")
    monkeypatch.setattr(sys, "stderr", stream)
    return main(["compare", str(a), str(b), str(demo_dir / "JPEGImages"), "--input-size", "64",
                 "--device", "cpu", *extra])


def test_a_terminal_sees_the_images_compared_counted(demo_dir: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    err = _Terminal()
    assert _run(err, demo_dir, tmp_path, monkeypatch=monkeypatch) == 0
    counts = re.findall(r"\rimages compared: (\d+)/(\d+)", err.getvalue())
    assert counts == [(str(n), "4") for n in range(5)]
    assert err.getvalue().endswith("\n")  # the count's line ended before the report


def test_the_count_reaches_the_end_when_labelled_only_skips_images(demo_dir: Path, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    demo = tmp_path / "demo"
    shutil.copytree(demo_dir, demo, ignore=shutil.ignore_patterns(".fosp"))
    next(iter(sorted((demo / "SegmentationClass").glob("*.png")))).unlink()  # one image without a label
    err = _Terminal()
    a = save_tiny_checkpoint(tmp_path / "a.safetensors")
    monkeypatch.setattr(sys, "stderr", err)
    assert main(["compare", str(a), str(a), str(demo / "JPEGImages"), "--input-size", "64", "--device", "cpu",
                 "--labelled-only"]) == 0
    assert re.findall(r"\rimages compared: (\d+)/(\d+)", err.getvalue())[-1] == ("4", "4")


def test_a_pipe_gets_no_count(demo_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    err = io.StringIO()
    assert _run(err, demo_dir, tmp_path, monkeypatch=monkeypatch) == 0
    assert "images compared" not in err.getvalue()
