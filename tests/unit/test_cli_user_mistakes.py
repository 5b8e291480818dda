"""What the command line says and returns for the mistakes users make before any work is done: a run
name already taken or nothing to resume, an export named like a pickle or a folder, a run folder
given as weights to `fosp train-mine`, an output (`--json`, OUT) that cannot be written, a
prediction folder without predictions. README: 2 = usage error (bad arguments, missing paths, bad
checkpoint), found before the work starts, so nothing long runs only to fail at the end."""

from __future__ import annotations

import errno
import json
from pathlib import Path

import pytest

from fosp_core.cli import main
from tests.unit.test_train_support import save_tiny_checkpoint, tiny_config_toml


@pytest.fixture
def run_folder(tmp_path: Path, demo_dir: Path) -> Path:
    """A run folder as `fosp train` leaves one that validated: its recipe and best weights."""
    run = tmp_path / "runs" / "tiny"
    run.mkdir(parents=True)
    tiny_config_toml(demo_dir, tmp_path / "runs", run / "config.toml")
    save_tiny_checkpoint(run / "best.safetensors")
    return run


# ------------------------------------------------------------------------------------ fosp train
def test_train_into_a_taken_run_name_or_resuming_nothing_is_a_usage_error(
        tmp_path: Path, demo_dir: Path, capsys: pytest.CaptureFixture) -> None:
    recipe = tiny_config_toml(demo_dir, tmp_path / "runs", tmp_path / "tiny.toml")
    (tmp_path / "runs" / "tiny").mkdir(parents=True)
    (tmp_path / "runs" / "tiny" / "last.pt").write_bytes(b"a state")
    assert main(["train", str(recipe), "--quiet"]) == 2
    assert "--resume" in capsys.readouterr().err
    assert main(["train", str(recipe), "--quiet", "--resume", "name=other"]) == 2
    assert "nothing to resume" in capsys.readouterr().err


def test_train_ssl_taken_run_name_or_nothing_to_resume_is_a_usage_error(
        tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "last.pt").write_bytes(b"a state")
    assert main(["train-ssl", "--runs-dir", str(tmp_path), "--name", "taken", "--quiet"]) == 2
    assert "--resume" in capsys.readouterr().err
    assert main(["train-ssl", "--runs-dir", str(tmp_path), "--name", "never-ran", "--resume"]) == 2
    assert "nothing to resume" in capsys.readouterr().err


def test_a_failed_save_reads_as_one_plain_sentence(tmp_path: Path) -> None:
    from fosp_core.train.state import CheckpointSaveError

    target = tmp_path / "m.safetensors"
    exc = CheckpointSaveError(target, OSError(errno.EROFS, "Read-only file system", str(tmp_path / ".m.x.tmp")))
    text = str(exc)
    assert text == f"could not save {target}: read-only file system; no earlier file existed"
    assert exc.errno == errno.EROFS


# ----------------------------------------------------------------------------- fosp train-export
@pytest.mark.parametrize("name", ["model.pt", "model", "folder"])
def test_train_export_to_a_name_the_loaders_cannot_read_is_refused(
        run_folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture, name: str) -> None:
    out = tmp_path / name
    if name == "folder":
        out.mkdir()
    assert main(["train-export", str(run_folder), str(out)]) == 2
    err = capsys.readouterr().err
    assert str(out) in err and ".safetensors" in err and err.count("\n") == 1
    assert not (tmp_path / "model.card.json").exists() and not (tmp_path / "folder.card.json").exists()
    if name != "folder":
        assert not out.exists()


def test_train_export_writes_a_file_predict_can_load(run_folder: Path, tmp_path: Path) -> None:
    from fosp_core.checkpoint import load_checkpoint

    out = tmp_path / "exports ü" / "model é.safetensors"
    assert main(["train-export", str(run_folder), str(out)]) == 0
    assert load_checkpoint(out).name == "fosp-s"
    assert (tmp_path / "exports ü" / "model é.card.json").is_file()


# ------------------------------------------------------------------------------- fosp train-mine
def test_train_mine_takes_a_run_folder_and_checks_out_first(
        run_folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    recipe = str(run_folder / "config.toml")
    blocker = tmp_path / "a file"
    blocker.write_text("x")
    assert main(["train-mine", str(run_folder), str(blocker / "mined.json"), "--recipe", recipe, "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "mined.json" in err and "images" not in err  # refused before any image was run
    out = tmp_path / "mined.json"
    assert main(["train-mine", str(run_folder), str(out), "--recipe", recipe, "--quiet", "--val-size", "64"]) == 0
    err = capsys.readouterr().err
    assert "best.safetensors" in err  # the note saying which weights of the folder were used
    assert json.loads(out.read_text())


# ------------------------------------------------------------------------------------- fosp eval
def test_eval_json_that_cannot_be_written_stops_before_scoring(
        tmp_path: Path, demo_dir: Path, capsys: pytest.CaptureFixture) -> None:
    blocker = tmp_path / "a file"
    blocker.write_text("x")
    preds = str(demo_dir / "SegmentationClass")
    for target in (blocker / "scores.json", tmp_path):
        assert main(["eval", "--dataset", str(demo_dir), "--predictions", preds, "--json", str(target)]) == 2
        out, err = capsys.readouterr()
        assert "F_beta" not in out and "--json" in err and str(target) in err


def test_eval_predictions_folder_without_predictions_names_the_subfolder(
        tmp_path: Path, demo_dir: Path, capsys: pytest.CaptureFixture) -> None:
    import shutil

    out = tmp_path / "predicted"
    shutil.copytree(demo_dir / "SegmentationClass", out / "masks")
    assert main(["eval", "--dataset", str(demo_dir), "--predictions", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(out / "masks") in err
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["eval", "--dataset", str(demo_dir), "--predictions", str(empty)]) == 2
    assert "no prediction" in capsys.readouterr().err


def test_train_export_stopped_before_its_card_keeps_the_previous_pair(
        run_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from fosp_core.train import model_io

    out = tmp_path / "model.safetensors"
    assert main(["train-export", str(run_folder), str(out), "--notes", "first"]) == 0
    before = (out.stat().st_ino, out.read_bytes(), (tmp_path / "model.card.json").read_bytes())

    def stopped(path: Path, data: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(model_io, "save_json", stopped)
    assert main(["train-export", str(run_folder), str(out), "--notes", "second"]) == 130
    # the same file (a rewrite is a new inode: safetensors' header order varies, so bytes may not differ)
    assert (out.stat().st_ino, out.read_bytes(), (tmp_path / "model.card.json").read_bytes()) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.card.json", "model.safetensors", "runs"]


def test_predict_out_that_is_a_file_says_so(tmp_path: Path, demo_dir: Path, capsys: pytest.CaptureFixture) -> None:
    image = next((demo_dir / "JPEGImages").glob("*.jpg"))
    taken = tmp_path / "mask.png"
    taken.write_bytes(b"x")
    assert main(["predict", str(image), "--out", str(taken)]) == 2
    err = capsys.readouterr().err
    assert str(taken) in err and "is a file, not a folder" in err


def test_eval_names_an_unloadable_checkpoint_once(tmp_path: Path, demo_dir: Path,
                                                  capsys: pytest.CaptureFixture) -> None:
    bad = tmp_path / "weights.safetensors"
    bad.write_bytes(b"\x08\x00\x00\x00\x00\x00\x00\x00{}garbage")
    assert main(["eval", "--dataset", str(demo_dir), "--checkpoint", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.count(str(bad)) == 1 and err.count("\n") == 1
