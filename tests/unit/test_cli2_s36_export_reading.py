"""``fosp video export``, ``fosp dataset convert`` and ``fosp dataset synth`` with --overwrite into the dataset a
running ``fosp train`` reads (session 36, helper C).

2a114dbc made ``fosp project export --overwrite`` and the Export dialogs refuse to replace a dataset a running
fine-tune reads (`fosp_core.annotation.export_reading.reading_problem`); the three other commands that write a
SmokeSeg dataset still replaced it under the run (its images gone mid-run, its validation failing). Each now
refuses it as project export does: ``error: DST: <why>``, exit 1, the folder untouched; a marker left by a dead
process does not block. The running ``fosp train`` is a stand-in (a marker naming a live process: a sleeping
child), as in tests/unit/test_export2_s36_cli_finetune_reading.py."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from fosp_core.cli import main


@pytest.fixture(autouse=True)
def _cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """HOME and the cache (the markers' folder: $FOSP_CACHE/reading) in tmp."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("FOSP_CACHE", str(tmp_path / "cache"))


@pytest.fixture()
def child() -> Iterator[subprocess.Popen[bytes]]:
    """A live process standing in for ``fosp train``."""
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    yield proc
    proc.kill()
    proc.wait()


def _marker(tmp_path: Path, pid: int, folder: Path, name: str = "my-finetune") -> Path:
    """The marker ``fosp train`` keeps while it runs, as it writes it (`run_reading.write_marker`)."""
    markers = tmp_path / "cache" / "reading"
    markers.mkdir(parents=True, exist_ok=True)
    path = markers / f"{pid}-0000.json"
    path.write_text(json.dumps({"name": name, "run_dir": str(tmp_path / "runs" / name), "folders": [str(folder)],
                                "pid": pid, "start": 0}))
    return path


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _video(tmp_path: Path, dst: Path) -> list[str]:
    from fosp_core.video.testclip import write_clip
    from fosp_core.video.timeline import VideoAnnotations

    clip = write_clip(tmp_path / "clip.mp4", frames=12, fps=12.0)
    notes = VideoAnnotations(clip, 12, (120, 160))
    mask = np.zeros(notes.shape, np.uint8)
    mask[10:30, 20:50] = 1
    for frame in (0, 11):
        notes.save_mask(frame, mask)
    return ["video", "export", str(clip), str(dst), "--frames", "edited", "--all-train"]


def _convert(tmp_path: Path, dst: Path) -> list[str]:
    from tests.demo_photos import DEMO

    return ["dataset", "convert", str(DEMO), str(dst), "--to", "smokeseg"]


def _synth(tmp_path: Path, dst: Path) -> list[str]:
    backgrounds = tmp_path / "bg"
    backgrounds.mkdir(exist_ok=True)
    Image.fromarray(np.full((64, 64, 3), 120, np.uint8)).save(backgrounds / "b.jpg")
    return ["dataset", "synth", "--backgrounds", str(backgrounds), "--n", "1", "--size", "64", str(dst)]


COMMANDS: dict[str, Callable[[Path, Path], list[str]]] = {"video export": _video, "dataset convert": _convert,
                                                         "dataset synth": _synth}


@pytest.mark.parametrize("command", list(COMMANDS))
def test_overwrite_is_refused_while_a_fosp_train_reads_the_dataset(
        command: str, tmp_path: Path, child: subprocess.Popen[bytes], capsys: pytest.CaptureFixture[str]) -> None:
    dst = tmp_path / "my-export"
    args = COMMANDS[command](tmp_path, dst)
    assert main(args) == 0, capsys.readouterr().err
    before = _files(dst)
    _marker(tmp_path, child.pid, dst)
    capsys.readouterr()
    assert main([*args, "--overwrite"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"error: {dst}: the fine-tune \u201cmy-finetune\u201d (fosp train, process {child.pid})"), err
    assert "is training on this dataset" in err and "export to another folder" in err, err
    assert _files(dst) == before  # the run's dataset untouched


@pytest.mark.parametrize("command", list(COMMANDS))
def test_the_folder_above_the_dataset_read_is_refused_too(
        command: str, tmp_path: Path, child: subprocess.Popen[bytes], capsys: pytest.CaptureFixture[str]) -> None:
    """data.root given as the destination: replacing it would delete the dataset in it as well (said as the
    run's, not only as a folder holding what is no export's)."""
    root = tmp_path / "datasets"
    assert main(COMMANDS[command](tmp_path, root / "my-export")) == 0, capsys.readouterr().err
    _marker(tmp_path, child.pid, root / "my-export")
    capsys.readouterr()
    assert main([*COMMANDS[command](tmp_path, root), "--overwrite"]) == 1
    assert "is training on this dataset" in capsys.readouterr().err
    assert (root / "my-export").is_dir()


@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_stale_marker_does_not_block(command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A ``fosp train`` killed outright leaves its marker: its process is gone, the export goes on."""
    dst = tmp_path / "my-export"
    args = COMMANDS[command](tmp_path, dst)
    assert main(args) == 0, capsys.readouterr().err
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    _marker(tmp_path, dead.pid, dst)
    assert main([*args, "--overwrite"]) == 0, capsys.readouterr().err


@pytest.mark.parametrize("command", list(COMMANDS))
def test_another_folder_is_not_blocked(command: str, tmp_path: Path, child: subprocess.Popen[bytes],
                                       capsys: pytest.CaptureFixture[str]) -> None:
    _marker(tmp_path, child.pid, tmp_path / "my-export")
    assert main(COMMANDS[command](tmp_path, tmp_path / "my-export-2")) == 0, capsys.readouterr().err
