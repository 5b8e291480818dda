"""Listing a big folder for the session: resolved while scanning, with progress that can stop it;
the session's names and its listed-row mapping (what the image list shows, no proxy model)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from fosp_core.io import image_files
from fosp_core.io.images import list_images
from fosp_core.session import ImageSession, collect_image_paths


@pytest.fixture()
def linked(tmp_path: Path) -> Path:
    """A folder reached through a symbolic link, holding files, a linked file, a hidden file and
    a text file."""
    real = tmp_path / "real"
    real.mkdir()
    for name in ("b.jpg", "a.png", "C.JPG", ".hidden.jpg", "notes.txt"):
        (real / name).write_bytes(b"x")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "target.jpg").write_bytes(b"x")
    (real / "d_link.jpg").symlink_to(elsewhere / "target.jpg")
    (tmp_path / "via").symlink_to(real)
    return tmp_path / "via"


def test_resolved_listing_equals_resolving_every_path(linked: Path) -> None:
    plain = list_images(linked)
    resolved = list_images(linked, resolve=True)
    assert [p.name for p in plain] == ["C.JPG", "a.png", "b.jpg", "d_link.jpg"]  # as paths sort
    assert resolved == [p.resolve() for p in plain]
    assert resolved[-1].name == "target.jpg"  # a linked file: its target, in its link's place
    assert all(p.parent == linked.resolve() for p in resolved[:-1])


def test_collect_gives_resolved_unique_paths(linked: Path) -> None:
    found, errors = collect_image_paths([linked, linked / "b.jpg", linked.parent / "real"])
    assert not errors
    assert found == [p.resolve() for p in list_images(linked)]  # the file and the real folder: no duplicates


def test_progress_counts_and_can_stop_the_listing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(image_files, "PROGRESS_EVERY", 10)  # where list_images reads it
    for i in range(35):
        (tmp_path / f"{i:03d}.jpg").write_bytes(b"x")
    (tmp_path / "skip.txt").write_bytes(b"x")
    seen: list[int] = []
    assert len(list_images(tmp_path, progress=seen.append)) == 35
    assert seen == sorted(seen) and len(seen) == 4 and seen[-1] == 35  # every 10 entries, and at the end

    class Stop(Exception):
        pass

    def stop(found: int) -> None:
        if found >= 10:
            raise Stop

    with pytest.raises(Stop):
        collect_image_paths([tmp_path], progress=stop)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root ignores file permissions")
def test_an_unreadable_folder_is_an_open_error(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0)
    try:
        found, errors = collect_image_paths([locked])
    finally:
        locked.chmod(0o755)
    assert found == [] and [e.path for e in errors] == [locked]
    assert errors[0].reason.startswith("cannot read the folder")


def test_names_follow_the_paths(tmp_path: Path) -> None:
    paths = [tmp_path / f"cam{i % 2}_{i:02d}.jpg" for i in range(6)]
    session = ImageSession()
    session.add(paths[:3], names=[p.name for p in paths[:3]])
    session.add(paths)  # three already open: three added, named from their paths
    assert session.names == tuple(p.name for p in paths)
    assert paths[4].resolve() in session and tmp_path / "other.jpg" not in session
    session.mark_failed(paths[1], "broken")
    assert session.names == tuple(p.name for p in paths if p != paths[1])
    with pytest.raises(ValueError):
        session.add([tmp_path / "x.jpg"], names=[])  # one name a path


def test_listed_rows_map_to_indices_both_ways(tmp_path: Path) -> None:
    session = ImageSession()
    session.add([tmp_path / f"cam{i % 2}_{i:02d}.jpg" for i in range(6)])
    assert session.visible_count() == 6
    assert [session.visible_at(r) for r in (-1, 0, 5, 6)] == [-1, 0, 5, -1]
    assert [session.visible_row(i) for i in (-1, 0, 5, 6)] == [-1, 0, 5, -1]
    session.set_filter("cam1")
    assert session.visible_count() == 3
    assert [session.visible_at(r) for r in range(4)] == [1, 3, 5, -1]
    assert [session.visible_row(i) for i in range(6)] == [-1, 0, -1, 1, -1, 2]
