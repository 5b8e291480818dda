"""The metrics note says when an image's label file cannot be scored (unreadable, or of another size
than its image) instead of leaving the image out of the table without a word.

Found in the analyst's day of session 29 (task I): a SmokeSeg folder with one label saved at
256 x 256 beside its 512 x 512 photo: ``fosp eval`` stops and names the file ("mask is 256x256 but
the image is 512x512"), the app's box read "1 labelled image with results" over two labelled images
and gave no reason; the image shown had no ground truth layer and dashes for "this image"."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PIL import Image

from app.analysis.readouts import metrics_note
from fosp_core.analysis.results import ResultKey, Scores
from fosp_core.analysis.scorebook import LabelStamp, ScoreBook
from tests.gui.run_all_wait import run_all
from tests.gui.tiny_model import WAIT_MS, ready_window, save_tiny_checkpoint


@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return save_tiny_checkpoint(tmp_path_factory.mktemp("models") / "tiny-fosp-s.safetensors")


def test_book_counts_labels_it_could_not_score(tmp_path) -> None:
    book, model = ScoreBook(), "m"
    stamps = {p: LabelStamp(str(tmp_path / f"{p.stem}.png"), 1, 1) for p in (tmp_path / "a.jpg", tmp_path / "b.jpg")}
    stamps[tmp_path / "c.jpg"] = None  # no label file at all: nothing to say
    a, b, c = stamps
    book.record(ResultKey(a, model, 0.15), stamps[a], 0.5, "plain", Scores(1, 0.5, 0.5, 0.5, 0.5, 0.1), 0.01)
    book.record(ResultKey(b, model, 0.15), stamps[b], 0.5, "plain", None)  # unreadable / another size
    book.record(ResultKey(c, model, 0.15), None, 0.5, "plain", None)
    table = book.table([a, b, c], model, 0.15, stamps, 0.5, "plain")
    assert (table.scored, table.unusable) == (1, 1)


def test_note_says_one_label_is_of_another_size(qtbot, make_window, checkpoint, demo_dir, tmp_path) -> None:
    root = tmp_path / "data"
    for folder in ("JPEGImages", "SegmentationClass"):
        shutil.copytree(demo_dir / folder, root / folder)
    labels = sorted((root / "SegmentationClass").glob("*.png"))
    small = Image.open(labels[0])
    small.resize((small.width // 2, small.height // 2), Image.Resampling.NEAREST).save(labels[0])
    window, ctl = ready_window(qtbot, make_window, checkpoint, [root], tmp_path / "projects")
    request = run_all(qtbot, ctl)
    qtbot.waitUntil(lambda: request not in ctl._runs, timeout=WAIT_MS * 3)
    ctl.update_metrics()
    count = len(window.session)
    note = ctl.metrics.note.text()
    assert note.startswith(f"{count - 1} labelled images with results"), note
    assert "1 label unreadable or of another size than its image left out" in note, note


def test_note_words() -> None:
    assert metrics_note(0, 0, 0.5, 0.15, "plain", unusable=2).endswith(
        "(2 labels unreadable or of another size than their image left out)")
