"""`fosp project export` says what the Export dialog says (R3 review, session 36).

The dialog learnt (3d2f0f96) to say, of a destination it may not write (a read-only card, another user's folder:
EROFS, EACCES, EPERM) or a full disk, that the destination is left as it was and what to do; the command line still
printed the OS's words alone ("cannot write in DIR: Read-only file system", "disk full"). And the dialog's summary
counts each split's images and the model's unreviewed masks among them (20052b8b, `export_tally.tally_words`);
the command line printed "(train 3, val 1, test 1; ...)" with the model's masks counted only in the total. Both now
come from the same place: `fosp_core.annotation.export_failure.failure_words` and `export_tally`.

Simulated as the dialog's tests do (an OSError raised by the writer), since a chmod does not refuse root."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from fosp_core.annotation.project import Project
from fosp_core.cli import main
from fosp_core.data import smokeseg

LEFT = "the destination is left as it was"


@pytest.fixture()
def photos(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Five small photos with masks: two a model's (predicted), two edited, one reviewed."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    folder = tmp_path / "photos"
    folder.mkdir()
    rng = np.random.default_rng(3)
    for k in range(5):
        Image.fromarray(rng.integers(0, 255, (8, 12, 3), np.uint8)).save(folder / f"p{k}.png")
    with Project.open(folder) as project:
        for image_id, status in zip(project.ids, ("predicted", "predicted", "edited", "reviewed", "edited"),
                                    strict=True):
            project.save_mask(image_id, np.ones((8, 12), np.uint8), status)
    return folder


def _refusing(monkeypatch: pytest.MonkeyPatch, module: object, name: str, code: int) -> None:
    def refused(*args: object, **kwargs: object) -> None:
        raise OSError(code, os.strerror(code), str(args[0]) if args else None)

    monkeypatch.setattr(module, name, refused)


@pytest.mark.parametrize(("code", "said"), [
    (errno.EROFS, "Read-only file system"), (errno.EACCES, "Permission denied"), (errno.EPERM, "not permitted")])
def test_a_folder_it_may_not_write_says_what_was_left_and_what_to_do(
        photos: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        code: int, said: str) -> None:
    card = tmp_path / "card"
    card.mkdir()
    _refusing(monkeypatch, smokeseg.tempfile, "mkdtemp", code)  # where the writer first writes: beside DST
    assert main(["project", "export", str(photos), str(card / "out")]) == 1
    err = capsys.readouterr().err
    assert said in err, err
    assert f"{LEFT}: choose a folder you may write to" in err, err  # was: the OS's words alone
    assert os.listdir(card) == []


def test_a_full_disk_says_what_to_do(photos: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    _refusing(monkeypatch, smokeseg, "_write_splits", errno.ENOSPC)  # the last write before the move
    assert main(["project", "export", str(photos), str(out)]) == 1
    err = capsys.readouterr().err
    assert f"disk full; {LEFT}: free some space there or choose another folder" in err, err
    assert not out.exists() and not [n for n in os.listdir(tmp_path) if n.startswith(".out.")]


def test_the_cli_and_the_dialog_share_the_failure_words() -> None:
    """One source: the dialog's worker says what `fosp_core`'s failure_words says (they cannot drift apart)."""
    from app.annotation import export_worker
    from fosp_core.annotation.export_failure import failure_words

    for code in (errno.ENOSPC, errno.EROFS, errno.EACCES, errno.EPERM, errno.EIO):
        exc = RuntimeError("DST: cannot write")
        exc.__cause__ = OSError(code, os.strerror(code))
        assert export_worker.failure_words(exc) == failure_words(exc), code


def _split_files(dst: Path) -> dict[str, list[str]]:
    lists = dst / "ImageSets" / "Segmentation"
    return {name: (lists / f"{name}.txt").read_text().split() for name in ("train", "val", "test")
            if (lists / f"{name}.txt").is_file()}


def test_each_splits_count_and_the_model_made_among_them_as_the_dialogs_summary(
        photos: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from app.annotation.export_words import export_summary
    from fosp_core.annotation.export import export_smokeseg

    out = tmp_path / "out"
    assert main(["project", "export", str(photos), str(out), "--all-train"]) == 0
    said = capsys.readouterr().out
    assert "(train 5 (2 a model's, not reviewed)" in said, said  # was "(train 5; ...": the 2 only in a note
    assert {k: len(v) for k, v in _split_files(out).items()} == {"train": 5}
    with Project.open(photos) as project:  # the dialog's summary of the same export: the same counts
        summary = export_summary(export_smokeseg(project, tmp_path / "again", splits=None))
    assert "(train 5 (2 a model's, not reviewed))" in summary


def test_drawn_splits_count_what_the_split_lists_hold(photos: Path, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    from fosp_core.annotation.export_tally import SplitTally, tally_words

    out = tmp_path / "out"
    assert main(["project", "export", str(photos), str(out), "--split", "0.6,0.2,0.2", "--seed", "4"]) == 0
    said = capsys.readouterr().out
    written = _split_files(out)
    with Project.open(photos) as project:
        made = {e.id for e in project.entries if e.status.value == "predicted"}  # the SmokeSeg ids here
    tally = {name: SplitTally(len(ids), sum(i in made for i in ids)) for name, ids in written.items() if ids}
    assert sum(t.model_made for t in tally.values()) == 2
    assert f"({tally_words(tally)})\n" in said, (tally, said)
