"""A ``project.json`` saved by an editor that puts a UTF-8 byte order mark first (Notepad before Windows 10
1903, some "UTF-8 with BOM" settings) would not open: "not valid JSON (Unexpected UTF-8 BOM (decode using
utf-8-sig))", a message about a mark nobody sees in the file. The mark is read past now; the file is written
back without it."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from fosp_core.annotation.document import Status
from fosp_core.annotation.project import Project
from fosp_core.annotation.project_files import PROJECT_FILE


def test_a_project_file_with_a_byte_order_mark_opens(tmp_path: Path) -> None:
    images = tmp_path / "images"
    images.mkdir()
    for name in "ab":
        assert cv2.imwrite(str(images / f"{name}.jpg"), np.full((8, 8, 3), 90, np.uint8))
    location = tmp_path / "project"
    with Project.open(images, location) as project:
        project.set_status("a", Status.REVIEWED)
        project.write_state()
    path = location / PROJECT_FILE
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    with Project.open(images, location) as project:
        assert project.entry("a").status == Status.REVIEWED
        project.set_status("b", Status.EDITED)
        project.write_state()
    assert not path.read_bytes().startswith(b"\xef\xbb\xbf")
