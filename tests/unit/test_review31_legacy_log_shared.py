"""8c15583 gave each long id ending in '~' + 12 hex its own recovery-log name and renames a log found
under the earlier versions' name (`legacy_log_path`) to the name of now at opening. But that earlier
name is the very one two such ids alike in their first ~230 bytes shared: a log found under it may be
either image's, and it was renamed to, and applied over, whichever came first in the project's order -
one image's crash edits written into the other's mask (the defect 8c15583 fixed, kept for old logs).
Such a log is now set aside and told, naming both images: never applied to a guess."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from fosp_core.annotation.document import Status
from fosp_core.annotation.project import Project
from fosp_core.annotation.recovery import encode_record
from fosp_core.annotation.recovery_records import legacy_log_path

HEX = "~0123456789ab"
ONE, TWO = "x" * 234 + "-one" + HEX, "x" * 234 + "-two" + HEX  # test_durable_long_name_logs' pair


def _folder(tmp_path: Path, *stems: str) -> Path:
    images = tmp_path / "images"
    images.mkdir()
    for stem in stems:
        assert cv2.imwrite(str(images / f"{stem}.jpg"), np.full((8, 8, 3), 90, np.uint8))
    return images


@pytest.mark.parametrize("order", [(ONE, TWO), (TWO, ONE)], ids=["one-first", "two-first"])
def test_an_earlier_name_two_images_shared_is_applied_to_neither(tmp_path: Path, order: tuple[str, str]) -> None:
    images = _folder(tmp_path, ONE, TWO)
    with Project.open(images, tmp_path / "project") as project:
        for image_id in order:
            project.save_mask(image_id, np.zeros((8, 8), np.uint8), Status.EDITED)
        legacy = legacy_log_path(project.mask_path(ONE))
        assert legacy == legacy_log_path(project.mask_path(TWO))  # the name both had
    smoke = np.zeros((8, 8), np.uint8)
    smoke[:5] = 1
    legacy.write_bytes(encode_record(smoke, (0, 8, 0, 8), Status.REVIEWED.value))  # a crash's, of one of them
    with Project.open(images, tmp_path / "project") as project:
        for image_id in (ONE, TWO):
            assert project.entry(image_id).status == Status.EDITED
            assert not project.load_mask(image_id).any()
        assert len(project.recovery_problems) == 1
        reason = project.recovery_problems[0].reason
        assert "-one" in reason and "-two" in reason
        assert [u.path for u in project.unapplied_logs()] == [project.recovery_problems[0].log]  # kept, listed


def test_a_read_only_opening_shows_such_a_log_on_neither_image(tmp_path: Path) -> None:
    images = _folder(tmp_path, ONE, TWO)
    with Project.open(images, tmp_path / "project") as writer:
        for image_id in (ONE, TWO):
            writer.save_mask(image_id, np.zeros((8, 8), np.uint8), Status.EDITED)
        legacy_log_path(writer.mask_path(ONE)).write_bytes(
            encode_record(np.ones((8, 8), np.uint8), (0, 8, 0, 8), Status.REVIEWED.value))
        reader = Project.open(writer.folder)
        try:
            assert reader.read_only
            assert reader.pending_logs == []  # was [ONE]: shown as ONE's edits, by the project's order
            assert {reader.entry(i).status for i in (ONE, TWO)} == {Status.EDITED}
        finally:
            reader.close()
