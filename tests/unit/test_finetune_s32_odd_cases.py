"""The Fine-tune dialog's odd cases, found using it (session 32, C2):

* a dataset folder that cannot be read (permission denied on its split list) was said under the form
  as "This dataset has no val split ..." and refused at Start as "Could not plan the run: [Errno 13]
  Permission denied: '.../train.txt'" (an unexpected failure's words); now both say it cannot be read;
* a run name whose run is there already was refused with "resume it or pick another name" whether
  that run was stopped or finished (a finished run cannot be resumed); now it says which, and the
  plan's error names the stopped run (`RunExists`) so the dialog can offer it for Resume;
* a run the app stopped said in its log 'not exported to X (--export-default): ...; press Resume and
  --export-default X again': the command line's words, an option the app's user never gave.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from app.training.messages import dataset_note, read_dataset
from fosp_core.train.finetune import (
    FineTuneError,
    FineTuneRequest,
    RunExists,
    exported_weights,
    plan_finetune,
)
from tests.unit.test_train_support import make_export, save_tiny_checkpoint


@pytest.fixture
def export(demo_dir: Path, tmp_path: Path) -> Path:
    return make_export(demo_dir, tmp_path / "my-export")


def _deny(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """Reading anything under `folder` fails as a folder without read permission does (as root, chmod
    does not stop a read)."""
    real_read, real_stat = Path.read_text, os.stat

    def read_text(self: Path, *args, **kwargs) -> str:  # noqa: ANN002, ANN003
        if str(self).startswith(str(folder) + os.sep):
            raise PermissionError(13, "Permission denied", str(self))
        return real_read(self, *args, **kwargs)

    def stat(path, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        if str(path).startswith(str(folder / "ImageSets")):
            raise PermissionError(13, "Permission denied", str(path))
        return real_stat(path, *args, **kwargs)

    monkeypatch.setattr(Path, "read_text", read_text)
    monkeypatch.setattr(os, "stat", stat)


def test_an_unreadable_dataset_is_said_so_under_the_form_and_at_start(export: Path, tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    ckpt = save_tiny_checkpoint(tmp_path / "tiny.safetensors")
    _deny(monkeypatch, export)
    note = dataset_note(str(export))
    assert "no val split" not in note and "cannot be read" in note and "Permission denied" in note, note
    assert read_dataset(str(export)).note == note
    with pytest.raises(FineTuneError) as refused:
        plan_finetune(FineTuneRequest(export, ckpt, iterations=5, crop=64, runs_dir=str(tmp_path / "runs")))
    words = str(refused.value)
    assert "cannot read the dataset" in words and "train.txt" in words and "Permission denied" in words, words
    assert not (tmp_path / "runs").exists()


def test_a_run_name_taken_says_whether_its_run_is_stopped_or_finished(export: Path, tmp_path: Path) -> None:
    ckpt = save_tiny_checkpoint(tmp_path / "tiny.safetensors")
    request = FineTuneRequest(export, ckpt, iterations=5, crop=64, name="mine", runs_dir=str(tmp_path / "runs"))
    plan = plan_finetune(request)
    (plan.run_dir / "last.pt").write_bytes(b"state")  # stopped: a state, no weights exported
    with pytest.raises(RunExists) as stopped:
        plan_finetune(request)
    assert stopped.value.run_dir == plan.run_dir and stopped.value.stopped
    words = str(stopped.value)
    assert "stopped" in words and "Resume" in words and "another run name" in words, words
    exported_weights(plan.run_dir).write_bytes(b"weights")  # finished: its weights exported
    with pytest.raises(RunExists) as finished:
        plan_finetune(request)
    words = str(finished.value)
    assert not finished.value.stopped and "resume" not in words.lower() and "finished" in words, words
    assert str(exported_weights(plan.run_dir)) in words and "another run name" in words
    (plan.run_dir / "last.pt").unlink()  # its state removed to save space: its weights are still not overwritten
    with pytest.raises(RunExists):
        plan_finetune(request)


def test_a_stop_in_the_app_says_press_resume_not_the_command_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    from fosp_core.cli import main
    from fosp_core.train import loop
    from fosp_core.train.signals import RESUME_HINT_ENV

    class Stopped:
        def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
            self.interrupt_told = True

        def run(self) -> None:
            raise KeyboardInterrupt

    monkeypatch.setattr(loop, "Trainer", Stopped)
    out = tmp_path / "runs" / "mine" / "mine.safetensors"
    args = ["train", "small-cpu", "name=mine", f"runs_dir={str(tmp_path / 'runs')!r}".replace("'", '"'),
            "--export-default", str(out)]
    monkeypatch.setenv(RESUME_HINT_ENV, "press Resume")
    assert main(args) == 130
    err = capsys.readouterr().err
    assert "--export-default" not in err and "press Resume" in err and "exports" in err, err
    monkeypatch.delenv(RESUME_HINT_ENV)
    assert main(args) == 130
    err = capsys.readouterr().err
    assert "continue with --resume and --export-default" in err, err  # the command line's words, as before


def test_a_dataset_in_a_folder_that_cannot_be_searched_is_said_so(export: Path, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Its parent without search permission: even a look at the dataset folder fails (EACCES, which
    Path.exists raises): said as unreadable, not 'Could not plan the run: [Errno 13] ...'."""
    ckpt = save_tiny_checkpoint(tmp_path / "tiny.safetensors")
    real_stat = os.stat

    def stat(path, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        if str(path).startswith(str(export)):
            raise PermissionError(13, "Permission denied", str(path))
        return real_stat(path, *args, **kwargs)

    monkeypatch.setattr(os, "stat", stat)
    assert "cannot be read" in dataset_note(str(export))
    with pytest.raises(FineTuneError, match="cannot read the dataset .*Permission denied"):
        plan_finetune(FineTuneRequest(export, ckpt, iterations=5, crop=64, runs_dir=str(tmp_path / "runs")))
