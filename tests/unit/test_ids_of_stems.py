"""`fosp_core.io.long_names.IdsOfStems`: a derived name's short stem (``<cut>~<digest>``) maps back to its
image id, the table made once and only when a short stem is met; a read-only opening lists a long id's
pending recovery log under that id (`RecoveryState.note_pending_logs`)."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from fosp_core.annotation.document import Status
from fosp_core.annotation.project import Project
from fosp_core.annotation.recovery import encode_record, log_path
from fosp_core.io.long_names import IdsOfStems, fit_name

LONG = "n" * 251  #: with ".jpg": a 255-byte file name


def test_short_stems_map_back_and_the_ids_are_asked_once_when_needed() -> None:
    asked: list[int] = []

    def ids() -> list[str]:
        asked.append(1)
        return [LONG, "a"]

    stems = IdsOfStems(ids)
    assert stems.id_of("a") == "a" and stems.id_of("plain~name") == "plain~name"
    assert asked == []  # no short stem yet: no table made
    short = fit_name(LONG, ".png.recovery")[: -len(".png.recovery")]
    assert short != LONG and stems.id_of(short) == LONG
    assert stems.id_of("x~" + "0" * 12) == "x~" + "0" * 12  # a digest of no id: the stem itself
    assert stems.id_of(short) == LONG and asked == [1]


def test_a_read_only_opening_lists_a_long_ids_pending_log_under_its_id(tmp_path: Path) -> None:
    images = tmp_path / "images"
    images.mkdir()
    for name in (LONG + ".jpg", "a.jpg"):
        assert cv2.imwrite(str(images / name), np.full((8, 8, 3), 90, np.uint8))
    mask = np.zeros((8, 8), np.uint8)
    mask[:3] = 1
    with Project.open(images, tmp_path / "project") as writer:
        writer.save_mask(LONG, np.zeros((8, 8), np.uint8), Status.EDITED)
        log = log_path(writer.mask_path(LONG))
        assert log.name != f"{LONG}.png.recovery"  # the short form
        log.write_bytes(encode_record(mask, (0, 8, 0, 8), Status.REVIEWED.value))  # another process's log
        reader = Project.open(writer.folder)
        try:
            assert reader.read_only
            assert reader.pending_logs == [LONG]
            assert reader.entry(LONG).status == Status.REVIEWED
        finally:
            reader.close()
