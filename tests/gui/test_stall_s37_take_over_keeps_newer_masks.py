"""Take Over saved the read-only project's documents into the project taken over (session 37, N4; before and after
the reopening left the GUI thread): the documents opened read-only are kept under (project folder, image id), the
new project has the same folder, so letting them go as the documents were opened again (`reload_documents` ->
`OpenDocuments._forget`) found the new, writable project and saved each one it had not saved itself: a mask file
written for every image looked at read-only, its mask as read then - over a mask the previous holder wrote since.

The read-only documents are views of the files as they were read and cannot be edited: they go unsaved now, before
the project is replaced; the current image's is opened again from the project taken over."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import numpy as np
import pytest

from fosp_core.io.masks import encode_mask_png

from .annotation_helpers import demo_project, open_and_wait, settle_saves
from .test_shared_project_gui import _Answers

pytestmark = pytest.mark.skipif(os.name != "posix", reason="as test_take_over_later")

LOCK = {"pid": 4242, "host": "labpc-7", "created": time.time() - 7200, "user": "ana"}


def test_stall_s37_take_over_writes_no_mask_of_a_document_looked_at_read_only(
        qtbot, make_window, demo_dir: Path, tmp_path: Path) -> None:  # noqa: ANN001
    window = make_window(show=True)
    demo, location = demo_project(window, demo_dir, tmp_path)
    (location / "lock").write_text(json.dumps(LOCK))
    controller = window.annotation.controller
    controller.lock_prompt.ask = _Answers(False)
    open_and_wait(qtbot, window, demo)
    old = controller.project
    assert old is not None and old.read_only
    shown = controller.document
    assert shown is not None
    window.session.next()  # a second document looked at, the first kept
    qtbot.waitUntil(lambda: controller.document is not None and controller.document is not shown, timeout=10_000)
    masks = location / "masks"
    before = sorted(p.name for p in masks.iterdir())
    theirs = np.zeros(shown.shape, np.uint8)
    theirs[:20, :20] = 1  # the holder's last save, written after this window read the image
    (masks / f"{shown.image_id}.png").write_bytes(encode_mask_png(theirs))
    written = (masks / f"{shown.image_id}.png").read_bytes()
    controller.lock_prompt.ask = _Answers(True)
    window.annotation.actions.take_over.trigger()
    qtbot.waitUntil(lambda: controller.project is not old and controller.document is not None, timeout=10_000)
    settle_saves(window)
    assert controller.project is not None and not controller.project.read_only
    assert (masks / f"{shown.image_id}.png").read_bytes() == written  # not overwritten with the mask as read
    assert sorted(p.name for p in masks.iterdir()) == sorted({*before, f"{shown.image_id}.png"})
