"""Recovery logs under attack (`fosp_core.annotation.recovery`, opened by `Project.open`): a log
that is garbage, torn mid-record, of a future format, or out of bounds of its mask; a mask file
missing, corrupt or of another size under a log of rectangles; an image replaced by one of another
size; a log that cannot be applied now. Opening never crashes, never makes a silently wrong mask,
never deletes a log it could not apply, and says what it did (`Project.recovery_problems`)."""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import numpy as np
import pytest

from fosp_core.annotation import project as project_module
from fosp_core.annotation.project import Project
from fosp_core.annotation.recovery import encode_record, log_path, read_log
from fosp_core.annotation.storage import StorageError
from fosp_core.io.masks import encode_mask_png
from tests.unit.crash_worker import mask_hash

SHAPE = (40, 50)


def _base() -> np.ndarray:
    mask = np.zeros(SHAPE, np.uint8)
    mask[5:15, 5:20] = 1
    mask[30:35, 40:48] = 255
    return mask


def _stroke(mask: np.ndarray) -> tuple[np.ndarray, tuple[int, int, int, int]]:
    new = mask.copy()
    rect = (10, 25, 12, 30)
    new[rect[0]:rect[1], rect[2]:rect[3]] = 1
    return new, rect


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    """A project of one 40x50 image whose mask file holds `_base()` (edited), closed."""
    images = tmp_path / "images"
    images.mkdir()
    cv2.imwrite(str(images / "img.png"), np.full((*SHAPE, 3), 80, np.uint8))
    with Project.open(images) as project:
        project.save_mask("img", _base(), "edited")
    return images


def _log(folder: Path) -> Path:
    return log_path(folder / ".fosp" / "masks" / "img.png")


def _write_log(folder: Path, data: bytes) -> Path:
    path = _log(folder)
    path.write_bytes(data)
    return path


def _kept(project: Project, original: bytes) -> Path:
    """The one problem told, and where its log's bytes are kept (unchanged)."""
    assert [p.image_id for p in project.recovery_problems] == ["img"]
    kept = project.recovery_problems[0].log
    assert kept.read_bytes() == original
    assert str(kept) in project.recovery_problems[0].describe()
    return kept


def test_a_torn_last_record_is_the_commit_that_had_not_returned(folder: Path) -> None:
    new, rect = _stroke(_base())
    line = encode_record(new, rect, "reviewed")
    _write_log(folder, line + line[: len(line) // 2])
    with Project.open(folder) as project:
        assert project.recovered == ["img"] and project.recovery_problems == []
        assert mask_hash(project.load_mask("img")) == mask_hash(new)
        assert project.entry("img").status.value == "reviewed"
        assert not _log(folder).exists()


def test_a_log_of_a_newer_format_is_kept_not_applied_and_told(folder: Path) -> None:
    record = json.loads(encode_record(_stroke(_base())[0], (0, 40, 0, 50), "reviewed"))
    record["format"] = 2
    data = json.dumps(record).encode() + b"\n"
    _write_log(folder, data)
    with Project.open(folder) as project:
        assert project.recovered == []
        assert "newer" in _kept(project, data).name or "newer" in project.recovery_problems[0].reason
        assert mask_hash(project.load_mask("img")) == mask_hash(_base())
        assert project.entry("img").status.value == "edited"


@pytest.mark.parametrize("data", [b"\x00\xffnot json at all\n", b"{\"format\": 1}\n{]\n", b"[1, 2]\n"],
                         ids=["bytes", "fields", "list"])
def test_a_garbage_log_is_kept_and_told(folder: Path, data: bytes) -> None:
    _write_log(folder, data)
    with Project.open(folder) as project:
        assert project.recovered == []
        _kept(project, data)
        assert mask_hash(project.load_mask("img")) == mask_hash(_base())


def test_a_record_out_of_bounds_mid_log_keeps_the_log_and_applies_only_what_came_before(folder: Path) -> None:
    first, rect = _stroke(_base())
    good = encode_record(first, rect, "edited")
    bad = json.loads(encode_record(first, rect, "reviewed"))
    bad["rect"] = [30, 60, 0, 10]  # past the 40 rows of its mask
    later = first.copy()
    later[0:3, 0:3] = 1
    data = good + json.dumps(bad).encode() + b"\n" + encode_record(later, (0, 3, 0, 3), "reviewed")
    _write_log(folder, data)
    with Project.open(folder) as project:
        assert project.recovered == ["img"]
        _kept(project, data)
        assert "record 2" in project.recovery_problems[0].reason
        assert mask_hash(project.load_mask("img")) == mask_hash(first)  # a state that was committed


@pytest.mark.parametrize("damage", ["missing", "corrupt", "other size"])
def test_a_log_of_rectangles_over_a_lost_mask_file_is_not_applied(folder: Path, damage: str) -> None:
    new, rect = _stroke(_base())
    data = encode_record(new, rect, "reviewed")
    _write_log(folder, data)
    mask_file = folder / ".fosp" / "masks" / "img.png"
    if damage == "missing":
        mask_file.unlink()
    elif damage == "corrupt":
        mask_file.write_bytes(mask_file.read_bytes()[:30])
    else:
        mask_file.write_bytes(encode_mask_png(np.zeros((20, 20), np.uint8)))
    before = mask_file.read_bytes() if mask_file.exists() else None
    with Project.open(folder) as project:
        assert project.recovered == []
        _kept(project, data)
        assert (mask_file.read_bytes() if mask_file.exists() else None) == before  # no made-up mask
        assert project.entry("img").status.value == "edited"


def test_a_whole_first_record_needs_no_mask_file(folder: Path) -> None:
    new, _ = _stroke(_base())
    _write_log(folder, encode_record(new, (0, 40, 0, 50), "edited"))
    (folder / ".fosp" / "masks" / "img.png").unlink()
    with Project.open(folder) as project:
        assert project.recovered == ["img"] and project.recovery_problems == []
        assert mask_hash(project.load_mask("img")) == mask_hash(new)


def test_an_image_replaced_by_another_size_is_recovered_at_its_size_and_told(folder: Path) -> None:
    new, rect = _stroke(_base())
    _write_log(folder, encode_record(new, rect, "edited"))
    cv2.imwrite(str(folder / "img.png"), np.full((60, 70, 3), 80, np.uint8))
    with Project.open(folder) as project:
        assert project.recovered == ["img"]
        assert [p.image_id for p in project.recovery_problems] == ["img"]
        assert "70 x 60" in project.recovery_problems[0].reason
        assert mask_hash(project.load_mask("img")) == mask_hash(new)  # the edits, kept at their size
        with pytest.raises(project_module.ProjectError, match="its mask was drawn on"):
            project.open_document("img", image_shape=(60, 70, 3))


def test_a_log_that_cannot_be_applied_now_is_kept_told_and_shown(folder: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from fosp_core.annotation import tools

    new, rect = _stroke(_base())
    data = encode_record(new, rect, "reviewed")
    _write_log(folder, data)
    real = project_module.atomic_write

    def full(path: Path, payload: bytes, **kwargs: object) -> None:
        if Path(path).name == "img.png":
            raise StorageError(path, "cannot write: disk full", 28)
        real(path, payload, **kwargs)

    monkeypatch.setattr(project_module, "atomic_write", full)
    project = Project.open(folder)
    monkeypatch.setattr(project_module, "atomic_write", real)
    try:
        assert project.recovered == []
        assert "disk full" in project.recovery_problems[0].reason
        assert _log(folder).read_bytes() == data  # kept where it is: applied at the next opening
        assert project.entry("img").status.value == "reviewed"
        doc = project.open_document("img")  # what the log says, not the older mask file
        assert mask_hash(doc.mask) == mask_hash(new)
        project.save_in_background = True
        tools.brush(doc, [(45.0, 2.0)], 1.5)
        want = doc.mask.copy()
        project.finish_saves(wait=True)
    finally:
        project.close()
    assert not _log(folder).exists()
    with Project.open(folder) as again:
        assert mask_hash(again.load_mask("img")) == mask_hash(want)


def test_read_log_keeps_what_came_before_a_bad_line(folder: Path) -> None:
    new, rect = _stroke(_base())
    path = _write_log(folder, encode_record(new, rect, "edited") + b"garbage\n")
    assert len(read_log(path)) == 1
