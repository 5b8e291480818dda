"""`fosp_core.annotation.summaries`: the worklist summary made away from the project's thread is the one
`Project.set_prediction` stores, taken only while the label it was made against is the project's."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import numpy as np
import pytest

from fosp_core.annotation.project import Project
from fosp_core.annotation.summaries import file_stamp, label_file, record_summary, summarise
from fosp_core.annotation.worklist import prediction_summary
from fosp_core.io.masks import write_mask_png


@pytest.fixture()
def project(demo_dir: Path, tmp_path: Path):  # noqa: ANN201
    shutil.copytree(demo_dir, tmp_path / "demo", ignore=shutil.ignore_patterns(".fosp"))
    with Project.open(tmp_path / "demo", tmp_path / "project") as opened:
        yield opened


def _probability(label: np.ndarray) -> np.ndarray:
    rng = np.random.default_rng(0)
    return np.clip((label == 1) * 0.7 + rng.random(label.shape) * 0.4, 0, 1).astype(np.float32)


def test_a_summary_made_elsewhere_is_the_one_set_prediction_stores(project: Project) -> None:
    image_id = project.ids[0]
    label = project.load_label(image_id)
    probability = _probability(label)
    made = summarise(probability, 0.4, label_file(project, image_id))
    assert made.summary == prediction_summary(probability, 0.4, label) and made.summary["error_vs_label"] is not None
    assert record_summary(project, image_id, made)
    assert project.entry(image_id).prediction == project.set_prediction(
        image_id, probability, 0.4, store_map=False, as_mask_if_unlabeled=False)
    # saved: a reader of the disk (project.json and the journal) finds it
    assert Project.open(project.folder, create=False).entry(image_id).prediction == made.summary


def test_a_label_read_already_is_taken_only_while_its_file_is_unchanged(project: Project) -> None:
    image_id = project.ids[1]
    path = label_file(project, image_id)
    label = project.load_label(image_id)
    probability = _probability(label)
    none = np.zeros_like(label)  # not the file's content: shows whether it was taken
    stamp = file_stamp(path)
    assert summarise(probability, 0.5, path, known=(stamp, none)).summary == prediction_summary(probability, 0.5, none)
    os.utime(path, ns=(stamp.mtime_ns + 10**9, stamp.mtime_ns + 10**9))  # the file changed since it was read
    assert summarise(probability, 0.5, path, known=(stamp, none)).summary == prediction_summary(probability, 0.5, label)


def test_a_summary_against_a_label_changed_since_is_not_stored(project: Project) -> None:
    image_id = project.ids[2]
    path = label_file(project, image_id)
    label = project.load_label(image_id)
    made = summarise(_probability(label), 0.5, path)
    write_mask_png(path, np.where(label == 1, 0, label).astype(np.uint8))
    assert not record_summary(project, image_id, made)
    assert project.entry(image_id).prediction is None
    # a map of another size than its label is summarised without it, as set_prediction does
    other = summarise(np.full((8, 8), 0.9, np.float32), 0.5, path)
    assert other.summary["error_vs_label"] is None and record_summary(project, image_id, other)


def test_a_summary_is_journaled_without_waiting_for_the_disk(project: Project, monkeypatch) -> None:
    """A summary's journal line was fsynced on the GUI thread (0.7 ms, up to 100 ms under other
    writes) for data the model makes again: it is written, and on disk with the next durable record.
    Only a line that creates the journal is made durable at once (with its folder entry), so that
    the edits journaled after it never rely on a file a power loss could drop."""
    synced: list[int] = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (synced.append(fd), real_fsync(fd)))
    image_id, other = project.ids[0], project.ids[1]
    made = summarise(_probability(project.load_label(image_id)), 0.5, label_file(project, image_id))
    journal = project.folder / "changes.jsonl"
    assert not journal.exists()
    assert record_summary(project, image_id, made)
    assert synced  # it made the journal: the file and its folder entry are synced
    synced.clear()
    assert record_summary(project, image_id, made) and synced == []
    project.set_status(other, "reviewed")  # an edit's line is durable as before, and the summaries' with it
    assert synced
    reader = Project.open(project.folder, create=False)
    assert reader.entry(image_id).prediction == made.summary and reader.entry(other).status.value == "reviewed"
