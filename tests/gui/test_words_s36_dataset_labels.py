"""What the window says of a dataset's own labels (SmokeSeg's ``SegmentationClass/``), scoped to what was opened.

Opening ONE image of the 30 real SmokeSeg samples said "Opened 1 image · 30 SegmentationClass labels are ground truth
only: …": the dataset's count beside the one image shown. The count is of the images opened now ("this image's
SegmentationClass label is …" for one, "3 … labels are …" for three). And the Annotate dock called that image
"unlabelled", though it has a label of the dataset (shown in Compare): it says "dataset label only: Annotate ▸ Import
Labels… to edit it" (a plain photo stays "unlabelled"; a read-only project's is not told to import)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from fosp_core.annotation.document import Status

from .annotation_helpers import open_and_wait
from .conftest import WindowFactory
from .smokeseg_copy import writable_smokeseg


def _opened(qtbot, make_window: WindowFactory, tmp_path: Path, paths: list[Path]):  # noqa: ANN001, ANN202 - qtbot
    """(window, the "Opened …" line) after opening `paths` in a shown window, projects under `tmp_path`."""
    window = make_window(show=True)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    said: list[str] = []
    window.statusBar().messageChanged.connect(lambda text: said.append(text) if text else None)
    window.open_paths(paths, remember=False)
    controller = window.annotation.controller
    qtbot.waitUntil(lambda: controller.document is not None and controller.image_path == window.session.current_path,
                    timeout=10000)
    assert window.opener.wait(30)
    qtbot.waitUntil(lambda: any(text.startswith("Opened ") for text in said), timeout=10000)
    return window, next(text for text in said if text.startswith("Opened "))


def test_words_s36_one_image_of_a_dataset_opened_counts_its_own_label_not_the_dataset_s(
        qtbot, make_window: WindowFactory, shared_data: Path, tmp_path: Path,  # noqa: ANN001 - qtbot
        monkeypatch: pytest.MonkeyPatch) -> None:
    dataset = writable_smokeseg(shared_data, tmp_path, monkeypatch)
    image = sorted((dataset / "JPEGImages").glob("*.jpg"))[0]
    assert (dataset / "SegmentationClass" / f"{image.stem}.png").is_file()  # the sample has its label
    window, line = _opened(qtbot, make_window, tmp_path, [image])
    assert line == ("Opened 1 image · this image's SegmentationClass label is ground truth only: "
                    "Annotate ▸ Import Labels… to edit it"), line
    assert len(window.annotation.controller.project.entries) == 30  # the dataset's project: its 30 images


def test_words_s36_three_images_of_a_dataset_opened_count_their_three_labels(
        qtbot, make_window: WindowFactory, shared_data: Path, tmp_path: Path,  # noqa: ANN001 - qtbot
        monkeypatch: pytest.MonkeyPatch) -> None:
    dataset = writable_smokeseg(shared_data, tmp_path, monkeypatch)
    images = sorted((dataset / "JPEGImages").glob("*.jpg"))[:3]
    _window, line = _opened(qtbot, make_window, tmp_path, images)
    assert line == ("Opened 3 images · 3 SegmentationClass labels are ground truth only: "
                    "Annotate ▸ Import Labels… to edit them"), line


def test_words_s36_the_whole_dataset_opened_still_counts_all_its_labels(
        qtbot, make_window: WindowFactory, shared_data: Path, tmp_path: Path,  # noqa: ANN001 - qtbot
        monkeypatch: pytest.MonkeyPatch) -> None:
    dataset = writable_smokeseg(shared_data, tmp_path, monkeypatch)
    _window, line = _opened(qtbot, make_window, tmp_path, [dataset])
    assert line == ("Opened 30 images · 30 SegmentationClass labels are ground truth only: "
                    "Annotate ▸ Import Labels… to edit them"), line


def test_words_s36_the_annotate_dock_says_an_image_has_a_dataset_label_only(
        qtbot, make_window: WindowFactory, shared_data: Path, tmp_path: Path,  # noqa: ANN001 - qtbot
        monkeypatch: pytest.MonkeyPatch) -> None:
    dataset = writable_smokeseg(shared_data, tmp_path, monkeypatch)
    window = make_window(show=True)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    open_and_wait(qtbot, window, dataset)
    controller = window.annotation.controller
    assert controller.document.status is Status.UNLABELED
    text = window.annotation.tool_dock.status_label.text()
    assert "dataset label only: Annotate ▸ Import Labels… to edit it" in text, text
    assert ": unlabelled" not in text, text

    controller.document.replace_mask(np.ones(controller.document.shape, np.uint8))  # the annotator's own mask
    qtbot.waitUntil(lambda: ": edited" in window.annotation.tool_dock.status_label.text(), timeout=5000)
    assert "dataset label" not in window.annotation.tool_dock.status_label.text()


def test_words_s36_a_photo_without_a_dataset_label_stays_unlabelled(
        qtbot, make_window: WindowFactory, tmp_path: Path) -> None:  # noqa: ANN001 - qtbot
    folder = tmp_path / "photos"
    folder.mkdir()
    Image.fromarray(np.random.default_rng(3).integers(0, 255, (40, 60, 3), np.uint8)).save(folder / "photo.png")
    window, line = _opened(qtbot, make_window, tmp_path, [folder])
    assert line == "Opened 1 image", line
    text = window.annotation.tool_dock.status_label.text()
    assert ": unlabelled" in text and "dataset label" not in text, text


def test_words_s36_a_read_only_project_s_dataset_label_is_not_told_to_be_imported() -> None:
    """Nothing may be imported into a read-only project: the dock does not send the annotator to Import Labels…"""
    from app.annotation.status_words import image_status_words

    assert image_status_words(Status.UNLABELED, True, read_only=True) == "dataset label only (ground truth, not a mask)"
    assert image_status_words(Status.UNLABELED, False) == "unlabelled"
    assert image_status_words(Status.EDITED, True) == "edited"
