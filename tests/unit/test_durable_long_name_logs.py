"""Two long image ids ending in ``~`` + 12 hex digits (what a short form ends in: `fosp_core.io.long_names`)
that share their first ~230 bytes: their recovery logs took one name. A stem that looked short kept its
"digest" when cut, so both were ``<the same cut>~<their hex>.png.recovery``: a crash's log of one was
applied at opening to the other (or its edits mixed into the other's log), and a read-only opening did
not map the log to its image at all (the kept hex is no digest of the id). Real files on this file system;
the crash's logs are written as a killed save leaves them (`test_long_image_names`' way)."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from fosp_core.annotation.document import Status
from fosp_core.annotation.project import Project
from fosp_core.annotation.recovery import encode_record, log_path, set_aside, unapplied_logs
from fosp_core.annotation.recovery_records import legacy_log_path
from fosp_core.io.long_names import NAME_MAX, IdsOfStems, name_bytes, name_digest

HEX = "~0123456789ab"
#: 251 bytes each (with ".jpg" a 255-byte file name), the same first 234
ONE, TWO = "x" * 234 + "-one" + HEX, "x" * 234 + "-two" + HEX
#: a long id not in that shape, and one whose tail is its digest: the cut of their names was the same
PLAIN = "x" * 234 + "-oth" + "y" * 13
SHAPED = "x" * 234 + "-thr~" + name_digest(PLAIN)


def _folder(tmp_path: Path, *stems: str) -> Path:
    images = tmp_path / "images"
    images.mkdir()
    for stem in stems:
        assert cv2.imwrite(str(images / f"{stem}.jpg"), np.full((8, 8, 3), 90, np.uint8))
    return images


def _mask(rows: int) -> np.ndarray:
    mask = np.zeros((8, 8), np.uint8)
    mask[:rows] = 1
    return mask


def test_two_such_ids_have_logs_of_their_own() -> None:
    ids = [ONE, TWO, ONE[:-1] + "c", PLAIN, SHAPED]
    names = [log_path(Path("m") / f"{i}.png").name for i in ids]
    assert len(set(names)) == len(ids), names
    assert all(name_bytes(n) <= NAME_MAX and n.endswith(".png.recovery") for n in names)
    stems = IdsOfStems(lambda: ids)
    assert [stems.id_of(n[: -len(".png.recovery")]) for n in names] == ids  # each maps back to its own id


@pytest.mark.parametrize("crashed", [ONE, TWO], ids=["one", "two"])
def test_a_crash_s_log_is_applied_to_its_own_image_only(tmp_path: Path, crashed: str) -> None:
    images = _folder(tmp_path, ONE, TWO)
    with Project.open(images, tmp_path / "project") as project:
        for image_id in (ONE, TWO):
            project.save_mask(image_id, np.zeros((8, 8), np.uint8), Status.EDITED)
        log = log_path(project.mask_path(crashed))
    log.write_bytes(encode_record(_mask(5), (0, 8, 0, 8), Status.REVIEWED.value))  # a crash's log
    other = TWO if crashed == ONE else ONE
    with Project.open(images, tmp_path / "project") as project:
        assert project.entry(other).status == Status.EDITED and not project.load_mask(other).any()
        assert project.entry(crashed).status == Status.REVIEWED
        assert np.array_equal(project.load_mask(crashed), _mask(5))


def test_a_read_only_opening_lists_each_pending_log_under_its_image(tmp_path: Path) -> None:
    images = _folder(tmp_path, ONE, TWO)
    with Project.open(images, tmp_path / "project") as writer:
        for image_id in (ONE, TWO):
            writer.save_mask(image_id, np.zeros((8, 8), np.uint8), Status.EDITED)
        log_path(writer.mask_path(ONE)).write_bytes(encode_record(_mask(3), (0, 8, 0, 8), Status.REVIEWED.value))
        reader = Project.open(writer.folder)
        try:
            assert reader.read_only
            assert reader.pending_logs == [ONE]
            assert reader.entry(ONE).status == Status.REVIEWED and reader.entry(TWO).status == Status.EDITED
        finally:
            reader.close()


def test_logs_set_aside_are_listed_under_their_images(tmp_path: Path) -> None:
    images = _folder(tmp_path, ONE, TWO)
    with Project.open(images, tmp_path / "project") as project:
        masks = project.folder / "masks"
        for image_id in (ONE, TWO):
            log = log_path(project.mask_path(image_id))
            log.write_bytes(b'{"format": 99}\n')  # a newer version's: set aside, never applied
            set_aside(log)
        assert sorted(u.image_id for u in unapplied_logs(masks, project.ids)) == sorted([ONE, TWO])


def test_a_log_an_earlier_version_named_is_applied_once(tmp_path: Path) -> None:
    """A crash's log of such an id under the name earlier versions gave it (its own hex kept): applied at
    opening, under the image's name of now (renamed), and gone after: a later state is not taken back."""
    images = _folder(tmp_path, ONE, "a")
    with Project.open(images, tmp_path / "project") as project:
        project.save_mask(ONE, np.zeros((8, 8), np.uint8), Status.EDITED)
        legacy = legacy_log_path(project.mask_path(ONE))
    assert legacy != log_path(Path(legacy.parent) / f"{ONE}.png")
    legacy.write_bytes(encode_record(_mask(4), (0, 8, 0, 8), Status.REVIEWED.value))
    with Project.open(images, tmp_path / "project") as project:
        assert project.entry(ONE).status == Status.REVIEWED and np.array_equal(project.load_mask(ONE), _mask(4))
        assert not project.recovery_problems
        project.set_status(ONE, Status.EDITED)
    assert [p.name for p in (tmp_path / "project" / "masks").iterdir()] == [f"{ONE}.png"]  # no log left
    with Project.open(images, tmp_path / "project") as project:
        assert project.entry(ONE).status == Status.EDITED


def test_an_earlier_versions_log_beside_the_log_of_now_is_set_aside_and_told(tmp_path: Path) -> None:
    images = _folder(tmp_path, ONE, "a")
    with Project.open(images, tmp_path / "project") as project:
        project.save_mask(ONE, np.zeros((8, 8), np.uint8), Status.EDITED)
        legacy, own = legacy_log_path(project.mask_path(ONE)), log_path(project.mask_path(ONE))
    legacy.write_bytes(encode_record(_mask(4), (0, 8, 0, 8), Status.REVIEWED.value))
    own.write_bytes(encode_record(_mask(6), (0, 8, 0, 8), Status.EDITED.value))
    with Project.open(images, tmp_path / "project") as project:
        assert np.array_equal(project.load_mask(ONE), _mask(6))  # the log of now
        assert [p.image_id for p in project.recovery_problems] == [ONE]
        assert [u.image_id for u in project.unapplied_logs()] == [ONE]  # kept for the user, never silently
    assert not legacy.exists()
