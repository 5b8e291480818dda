"""The metrics box's readout (:class:`app.analysis.readouts.ScoreReadout`) on a small VOC-layout folder:
what its note counts is what its table counts."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

from app.analysis.metrics_box import MetricsBox
from app.analysis.readouts import ScoreReadout
from fosp_core.analysis.results import ResultCache, ResultKey, set_scores
from fosp_core.analysis.settings import AnalysisSettings
from fosp_core.infer.result import Prediction
from fosp_core.io.masks import write_mask_png
from fosp_core.session import ImageSession

MODEL = "tiny@0|cpu|fp32"
SHAPE = (12, 16)


def _folder(root: Path, labels: dict[str, np.ndarray | None]) -> list[Path]:
    """JPEGImages/<name>.jpg for every name, SegmentationClass/<name>.png for those with a label."""
    (root / "JPEGImages").mkdir(parents=True)
    (root / "SegmentationClass").mkdir()
    paths = []
    for name, label in labels.items():
        path = root / "JPEGImages" / f"{name}.jpg"
        Image.fromarray(np.full((*SHAPE, 3), 128, np.uint8)).save(path)
        if label is not None:
            write_mask_png(root / "SegmentationClass" / f"{name}.png", label)
        paths.append(path)
    return paths


def _readout(qtbot, paths: list[Path]) -> tuple[ScoreReadout, MetricsBox, ImageSession]:  # noqa: ANN001
    box = MetricsBox()
    qtbot.addWidget(box)
    session = ImageSession()
    session.add(paths)
    cache = ResultCache()
    settings = AnalysisSettings()
    rng = np.random.default_rng(0)
    for path in session.paths:
        cache.put(ResultKey.make(path, MODEL, settings.tau),
                  Prediction(probability=rng.random(SHAPE, dtype=np.float32), tau=settings.tau))
    return ScoreReadout(box, settings, session, cache), box, session


def test_the_note_counts_the_images_the_table_scores(qtbot, tmp_path: Path) -> None:
    """An all-ignore (255) label has no pixel to score, so the table leaves it out of every mean and
    count (n), but the note still counted it: "3 labelled images with results" over n = 2."""
    smoke = np.zeros(SHAPE, np.uint8)
    smoke[3:9, 4:12] = 1
    paths = _folder(tmp_path, {"a": smoke, "b": np.zeros(SHAPE, np.uint8),
                               "c": np.full(SHAPE, 255, np.uint8), "d": None})
    readout, box, session = _readout(qtbot, paths)
    readout.update(MODEL, None, None)
    assert box.value("total", "n") == "2"
    note = box.note.text()
    assert note.startswith("2 labelled images with results"), note
    assert "1 all-ignore label left out" in note, note


def test_only_all_ignore_labels_is_no_labelled_result(qtbot, tmp_path: Path) -> None:
    paths = _folder(tmp_path, {"c": np.full(SHAPE, 255, np.uint8), "d": None})
    readout, box, session = _readout(qtbot, paths)
    readout.update(MODEL, None, None)
    assert box.value("total", "n") == "–"
    note = box.note.text()
    assert note.startswith("no labelled results yet"), note
    assert "1 all-ignore label left out" in note, note


def test_no_all_ignore_label_says_nothing_about_them(qtbot, tmp_path: Path) -> None:
    paths = _folder(tmp_path, {"b": np.zeros(SHAPE, np.uint8), "d": None})
    readout, box, session = _readout(qtbot, paths)
    readout.update(MODEL, None, None)
    assert box.value("total", "n") == "1"
    assert box.note.text().startswith("1 labelled image with results;")
    assert "ignore" not in box.note.text()


def test_labels_kept_are_bounded_by_the_result_cache_the_totals_are_not(qtbot, tmp_path: Path) -> None:
    """Run on all over a big labelled folder loaded every label it scored and kept all of them (and
    their scores) after the result cache had let their predictions go: 5000 SMOKE5K labels, ~1.5 GB.
    Only the labels of cached results (and the image shown) are kept. The totals then covered only the
    cached results; they now cover every image scored (the score book keeps a few floats of each), the
    numbers of `set_scores` (the accumulator of ``fosp eval``) over all of them."""
    smoke = np.zeros(SHAPE, np.uint8)
    smoke[2:6, 3:9] = 1
    paths = _folder(tmp_path, {f"im{i}": smoke for i in range(8)})
    box = MetricsBox()
    qtbot.addWidget(box)
    session = ImageSession()
    session.add(paths)
    settings = AnalysisSettings()
    cache = ResultCache(max_items=3)
    readout = ScoreReadout(box, settings, session, cache)
    rng = np.random.default_rng(0)
    pairs = []
    for i, path in enumerate(session.paths):  # as results arrive during Run on all
        key = ResultKey.make(path, MODEL, settings.tau)
        prediction = Prediction(probability=rng.random(SHAPE, dtype=np.float32), tau=settings.tau)
        pairs.append((prediction, smoke))
        cache.put(key, prediction)
        readout.score(key, prediction)  # the controller scores each result as it arrives
        if i % 2:  # the box fills later, after more results than the cache keeps may have arrived
            readout.update(MODEL, None, None)
            assert box.value("total", "n") == str(i + 1)
    assert len(readout._labels) <= cache.max_items + 1
    shown, expected = readout.table.buckets(), set_scores(pairs, settings.threshold)
    assert shown["large"].n == 8 and shown["large"] == expected["large"] and shown["total"] == expected["total"]
