"""Why the editing keys do nothing (Accept Prediction, Threshold to Mask, the Clean Up keys: their
`keys_say_why` stand-in, `AnnotationActions.not_editable_why`) is worded as a stroke says it
(`AnnotationController.why_not_editable`, which `editable` says): with an image shown that no open
project holds, the keys said "No image is open" with the image on screen."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.gui.annotation_helpers import blank_demo_window

NO_PROJECT = "No annotation project for this image (open its folder or dataset)"


def test_keys_and_a_stroke_say_the_same_with_an_image_outside_any_project(
        qtbot, make_window, demo_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    window = blank_demo_window(qtbot, make_window, demo_dir, tmp_path)
    controller = window.annotation.controller
    monkeypatch.setattr(controller.registry, "lookup", lambda _path: None)  # no open project holds the image
    controller._on_image_changed(window.session.current_image)
    assert controller.document is None and window.session.current_path is not None  # shown, not editable
    said: list[str] = []
    controller.message.connect(lambda text, _ms: said.append(text))
    assert controller.editable() is None
    assert said == [NO_PROJECT]
    assert window.annotation.actions.not_editable_why() == NO_PROJECT  # it said "No image is open"
    assert not window.annotation.actions.fill_holes.isEnabled()


def test_with_no_image_open_the_keys_and_a_stroke_say_so(qtbot, make_window, tmp_path: Path) -> None:  # noqa: ANN001
    window = make_window()
    window.annotation.controller.registry.projects_root = tmp_path
    controller = window.annotation.controller
    said: list[str] = []
    controller.message.connect(lambda text, _ms: said.append(text))
    assert controller.editable() is None
    assert said == ["No image is open"]  # it said "No annotation project for this image" with none at all
    assert window.annotation.actions.not_editable_why() == "No image is open"
