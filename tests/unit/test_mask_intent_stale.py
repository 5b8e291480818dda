"""A mask save's intent (`fosp_core.annotation.mask_intents`) taken only for the save it was written for.

Two ways an intent met a mask file that its save never wrote, and gave the image a state that is not
its mask's:

- an older FoSp Studio (before 159b711) reads the intent as an unknown entry key, which it keeps and
  writes back with every later state of the image: the user's review there, over the mask a killed
  Pre-label left, was taken back to PREDICTED by the next opening here (the file is not the one the
  intent named, so it "was replaced");
- a mask file that is the same mask under another inode (the project folder copied with ``cp -a`` or
  rsync after the kill, a backup put back, a FAT drive that numbers inodes anew): an Import Labels
  killed before its PNG turned the model's mask into a person's EDITED one.

Kills are made in process: the intent line is written as `write_masks` writes it, then the project is
left without its close (its lock released, nothing folded), as a killed process leaves it."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import numpy as np
from PIL import Image

from fosp_core.annotation.document import Status
from fosp_core.annotation.mask_intents import note_intent
from fosp_core.annotation.project import Project
from fosp_core.annotation.project_files import JOURNAL_FILE

SIZE = (24, 32)


def _images(folder: Path, n: int = 3) -> Path:
    folder.mkdir()
    rng = np.random.default_rng(5)
    for i in range(n):
        Image.fromarray(rng.integers(0, 255, (*SIZE, 3), dtype=np.uint8)).save(folder / f"img{i}.png")
    return folder


def _mask(seed: int) -> np.ndarray:
    return (np.random.default_rng(seed).random(SIZE) > 0.5).astype(np.uint8)


def _killed(project: Project) -> None:
    """What a SIGKILL leaves of `project`: its files as they are, its lock gone."""
    project.stop_saves()
    assert project.lock is not None
    project.lock.release()
    project.lock = None


def test_an_intent_an_older_release_kept_through_a_review_is_not_taken(tmp_path: Path) -> None:
    images, location = _images(tmp_path / "photos"), tmp_path / "project"
    project = Project.open(images, location)
    entry = project.entries[1]
    model = _mask(1)
    note_intent(project, entry, project.mask_path(entry.id), model, Status.PREDICTED)
    project.save_mask(entry.id, model, Status.PREDICTED)  # outside a batch: a durable line...
    journal = location / JOURNAL_FILE
    lines = journal.read_bytes().splitlines(keepends=True)
    journal.write_bytes(b"".join(lines[:-1]))  # ...which the kill came before: the intent is the last word
    _killed(project)
    # the release before 159b711 opens it: the intent is an unknown key of the entry, kept with every
    # later state; the user reviews the mask the killed run left (a line as it writes it)
    last = json.loads(journal.read_bytes().splitlines()[-1])
    assert "mask_intent" in last["entry"]
    last["entry"].update(status=Status.REVIEWED.value, updated=last["entry"]["mask_intent"]["updated"] + 60.0)
    with journal.open("ab") as f:
        f.write(json.dumps(last).encode() + b"\n")
    with Project.open(images, location) as reopened:
        assert reopened.intents_taken == []
        assert reopened.entry(entry.id).status == Status.REVIEWED  # was PREDICTED: the review undone
        assert np.array_equal(reopened.load_mask(entry.id), model)


def test_an_intent_over_a_mask_copied_to_another_inode_is_not_taken(tmp_path: Path) -> None:
    images, location = _images(tmp_path / "photos"), tmp_path / "project"
    project = Project.open(images, location)
    entry = project.entries[0]
    predicted = _mask(2)
    project.save_mask(entry.id, predicted, Status.PREDICTED)
    before = (entry.status, entry.updated, entry.smoke_ratio)
    with project.batch():  # Import Labels over the prediction, killed before its PNG
        note_intent(project, entry, project.mask_path(entry.id), _mask(3), Status.EDITED)
        _killed(project)
    path = project.mask_path(entry.id)
    copy = path.with_name("copy.tmp")
    shutil.copy2(path, copy)  # the same mask, the same size and mtime, another inode (cp -a, rsync, a restore)
    os.replace(copy, path)
    with Project.open(images, location) as reopened:
        again = reopened.entry(entry.id)
        assert reopened.intents_taken == []
        assert (again.status, again.updated, again.smoke_ratio) == before  # was EDITED: the model's mask as a person's
        assert np.array_equal(reopened.load_mask(entry.id), predicted)


def test_an_intent_over_a_file_put_there_by_hand_is_not_taken(tmp_path: Path) -> None:
    """Killed before its PNG, then a mask copied in by hand: not the model's mask, so not PREDICTED
    with the model's smoke ratio; the image stays as it was (a mask file beside "unlabeled", as any
    mask copied in by hand)."""
    images, location = _images(tmp_path / "photos"), tmp_path / "project"
    project = Project.open(images, location)
    entry = project.entries[2]
    with project.batch():
        note_intent(project, entry, project.mask_path(entry.id), _mask(4), Status.PREDICTED)
        _killed(project)
    Image.fromarray(_mask(5)).save(project.mask_path(entry.id))
    with Project.open(images, location) as reopened:
        assert reopened.intents_taken == []
        assert reopened.entry(entry.id).status == Status.UNLABELED


def test_an_intent_whose_png_was_written_is_taken(tmp_path: Path) -> None:
    """The case the intent is for (a guard): killed after the PNG, before its line."""
    images, location = _images(tmp_path / "photos"), tmp_path / "project"
    project = Project.open(images, location)
    entry = project.entries[0]
    model = _mask(6)
    with project.batch():
        note_intent(project, entry, project.mask_path(entry.id), model, Status.PREDICTED)
        Image.fromarray(model).save(project.mask_path(entry.id))  # the PNG in place, the kill before its line
        _killed(project)
    with Project.open(images, location) as reopened:
        again = reopened.entry(entry.id)
        assert reopened.intents_taken == [entry.id]
        assert again.status == Status.PREDICTED
        assert again.smoke_ratio == float(np.mean(model == 1))
