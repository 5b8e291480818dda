"""``fosp project export --overwrite`` into the dataset a running ``fosp train`` reads (session 36, helper E).

Found (R3): exporting again with --overwrite into the folder a fine-tune trains on (the natural second round: more
corrections, export again, while the last fine-tune runs) swapped the dataset under the run: its validation image
vanished and the run ended with "no best checkpoint (no validation)". ``fosp train`` now keeps a marker of what it
reads while it runs (``<cache>/reading/``: `fosp_core.train.run_reading`), and the export refuses such a folder,
naming the run; a marker left by a dead process does not block.

The running ``fosp train`` is a stand-in here (a marker naming a live process: a sleeping child), as training on
2 cores takes minutes; `test_fosp_train_keeps_its_marker_while_it_trains` checks that the command writes it (the
trainer replaced by one that looks at the markers while it "trains")."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from fosp_core.annotation.project import Project
from fosp_core.cli import main


@pytest.fixture()
def photos(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Four small photos with masks; HOME and the cache (the markers' folder) in tmp."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("FOSP_CACHE", raising=False)
    folder = tmp_path / "photos"
    folder.mkdir()
    rng = np.random.default_rng(3)
    for k in range(4):
        Image.fromarray(rng.integers(0, 255, (8, 12, 3), np.uint8)).save(folder / f"p{k}.png")
    with Project.open(folder) as project:
        for image_id in project.ids:
            project.save_mask(image_id, np.ones((8, 12), np.uint8), "reviewed")
    return folder


@pytest.fixture()
def child() -> Iterator[subprocess.Popen[bytes]]:
    """A live process standing in for ``fosp train``."""
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    yield proc
    proc.kill()
    proc.wait()


def _marker(tmp_path: Path, pid: int, folders: list[Path], name: str = "my-finetune") -> Path:
    """The marker ``fosp train`` keeps while it runs, as it writes it (`run_reading.write_marker`)."""
    folder = tmp_path / "cache" / "fosp" / "reading"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{pid}-0000.json"
    path.write_text(json.dumps({"name": name, "run_dir": str(tmp_path / "runs" / name),
                                "folders": [str(f) for f in folders], "pid": pid, "start": 0}))
    return path


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_overwrite_is_refused_while_a_fosp_train_reads_the_dataset(
        photos: Path, tmp_path: Path, child: subprocess.Popen[bytes], capsys: pytest.CaptureFixture[str]) -> None:
    export = tmp_path / "my-export"
    assert main(["project", "export", str(photos), str(export)]) == 0
    before = _files(export)
    _marker(tmp_path, child.pid, [export])
    capsys.readouterr()
    assert main(["project", "export", str(photos), str(export), "--overwrite"]) == 1
    err = capsys.readouterr().err
    assert "\u201cmy-finetune\u201d (fosp train, process" in err and str(child.pid) in err, err
    assert "is training on this dataset" in err and "export to another folder" in err, err
    assert _files(export) == before  # the run's dataset untouched


def test_a_folder_holding_the_dataset_read_is_refused_too(
        photos: Path, tmp_path: Path, child: subprocess.Popen[bytes], capsys: pytest.CaptureFixture[str]) -> None:
    """Replacing the folder above the dataset (data.root given as the destination) would delete it as well; a
    spelling of the same folder (``..``) is the same folder."""
    root = tmp_path / "datasets"
    export = root / "my-export"
    assert main(["project", "export", str(photos), str(export)]) == 0
    _marker(tmp_path, child.pid, [export])
    capsys.readouterr()
    assert main(["project", "export", str(photos), str(root), "--overwrite"]) == 1
    assert "is training on this dataset" in capsys.readouterr().err
    assert main(["project", "export", str(photos), str(root / "x" / ".." / "my-export"), "--overwrite"]) == 1
    assert "is training on this dataset" in capsys.readouterr().err


def test_a_stale_marker_does_not_block(photos: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A ``fosp train`` killed outright leaves its marker: its process is gone, the export goes on (and the
    marker is removed)."""
    export = tmp_path / "my-export"
    assert main(["project", "export", str(photos), str(export)]) == 0
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    marker = _marker(tmp_path, dead.pid, [export])
    assert main(["project", "export", str(photos), str(export), "--overwrite"]) == 0, capsys.readouterr().err
    assert not marker.exists()


def test_another_folder_is_not_blocked(photos: Path, tmp_path: Path, child: subprocess.Popen[bytes]) -> None:
    _marker(tmp_path, child.pid, [tmp_path / "my-export"])
    assert main(["project", "export", str(photos), str(tmp_path / "my-export-2")]) == 0


def test_fosp_train_keeps_its_marker_while_it_trains(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``fosp train`` on an export: while its trainer runs, a live marker names the run and the dataset folder;
    once it ends, none is left."""
    import os

    from fosp_core.train import loop
    from fosp_core.train.run_reading import live_readings

    monkeypatch.setenv("FOSP_CACHE", str(tmp_path / "cache"))
    seen: list[list[object]] = []

    class Trainer:
        def __init__(self, cfg: object, **_kwargs: object) -> None:
            self.cfg = cfg
            self.interrupt_told = False

        def run(self) -> object:
            seen.append([(r.name, r.folders, r.pid) for r in live_readings()])
            return type("Result", (), {"run_dir": tmp_path / "nowhere"})()

    monkeypatch.setattr(loop, "Trainer", Trainer)
    data = tmp_path / "data"
    assert main(["train", "small-cpu", f"data.root={data}", 'data.train=[{path="my-export", split="train"}]',
                 'data.val=[{path="my-export", split="val"}]', "name=my-finetune", "--quiet"]) == 0
    assert seen == [[("my-finetune", (data / "my-export",), os.getpid())]]
    assert live_readings() == []
    assert list((tmp_path / "cache" / "reading").glob("*.json")) == []
