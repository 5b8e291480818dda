"""The Qt-free image session: path collection, current image, failures, events."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from fosp_core.io.images import read_image
from fosp_core.session import ImageSession, OpenError, collect_image_paths


@pytest.fixture()
def recorder() -> list[tuple[str, object]]:
    return []


def _bind(session: ImageSession, log: list[tuple[str, object]]) -> None:
    ev = session.events
    ev.entries_changed.connect(lambda: log.append(("entries", len(session))))
    ev.current_changed.connect(lambda i: log.append(("current", i)))
    ev.image_changed.connect(lambda im: log.append(("image", None if im is None else im.path.name)))
    ev.errors_added.connect(lambda errs: log.append(("errors", [e.path.name for e in errs])))


def test_collect_dataset_folder_uses_jpegimages(demo_dir: Path) -> None:
    paths, errors = collect_image_paths([demo_dir])
    assert errors == []
    assert [p.name for p in paths] == sorted(p.name for p in (demo_dir / "JPEGImages").glob("*.jpg"))
    assert len(paths) == 4


def test_collect_reports_missing_unsupported_and_empty(tmp_path: Path, demo_dir: Path) -> None:
    note = tmp_path / "notes.txt"
    note.write_text("hello")
    empty = tmp_path / "empty"
    empty.mkdir()
    image = next((demo_dir / "JPEGImages").glob("*.jpg"))
    paths, errors = collect_image_paths([tmp_path / "missing.jpg", note, empty, image, image])
    assert paths == [image.resolve()]  # duplicates collapse
    reasons = {e.path.name: e.reason for e in errors}
    assert set(reasons) == {"missing.jpg", "notes.txt", "empty"}
    assert "no such file" in reasons["missing.jpg"]
    assert ".txt" in reasons["notes.txt"]
    assert "no image" in reasons["empty"]


def test_add_navigate_and_stale_image(demo_dir: Path, recorder: list) -> None:
    session = ImageSession()
    _bind(session, recorder)
    paths, _ = collect_image_paths([demo_dir])
    assert session.add(paths) == paths
    assert session.add(paths[:2]) == []  # already open
    assert session.current_index == 0 and session.current_path == paths[0]
    assert recorder[:3] == [("entries", 4), ("current", 0), ("image", None)]

    session.next()
    session.next()
    assert session.current_path == paths[2]
    # A decode of an image that is no longer current is refused...
    assert not session.set_current_image(read_image(paths[0]))
    assert session.current_image is None
    # ...the current one is accepted.
    loaded = read_image(paths[2])
    assert session.set_current_image(loaded)
    assert session.current_image is loaded
    assert recorder[-1] == ("image", paths[2].name)

    session.set_current(99)
    assert session.current_index == 3
    session.next()
    assert session.current_index == 3
    session.set_current(0)
    session.previous()
    assert session.current_index == 0


def test_mark_failed_keeps_the_current_image(demo_dir: Path, recorder: list) -> None:
    session = ImageSession()
    paths, _ = collect_image_paths([demo_dir])
    session.add(paths)
    session.set_current(2)
    current = read_image(paths[2])
    session.set_current_image(current)
    _bind(session, recorder)

    error = session.mark_failed(paths[0], "corrupt")
    assert error == OpenError(paths[0], "corrupt")
    assert session.paths == tuple(paths[1:])
    assert session.current_path == paths[2] and session.current_index == 1
    assert session.current_image is current  # not reloaded: same image, shifted index
    assert recorder == [("entries", 3), ("current", 1), ("errors", [paths[0].name])]
    assert session.mark_failed(paths[0], "again") is None  # reported once
    assert session.errors == (error,)


def test_mark_failed_current_moves_to_next_then_empty(demo_dir: Path, recorder: list) -> None:
    session = ImageSession()
    paths, _ = collect_image_paths([demo_dir])
    session.add(paths[2:])
    session.set_current(1)
    _bind(session, recorder)
    session.mark_failed(paths[3], "truncated")
    assert session.current_path == paths[2]  # last one failed: the previous becomes current
    assert recorder == [("entries", 1), ("current", 0), ("image", None), ("errors", [paths[3].name])]
    recorder.clear()
    session.mark_failed(paths[2], "truncated")
    assert len(session) == 0 and session.current_index == -1 and session.current_path is None
    assert recorder == [("entries", 0), ("current", -1), ("image", None), ("errors", [paths[2].name])]


def test_corrupt_file_in_folder_is_listed_until_decoded(tmp_path: Path, demo_dir: Path) -> None:
    good = next((demo_dir / "JPEGImages").glob("*.jpg"))
    shutil.copy(good, tmp_path / "a.jpg")
    (tmp_path / "b.jpg").write_bytes(b"not a jpeg at all")
    paths, errors = collect_image_paths([tmp_path])
    # Content is checked when decoded (on a worker), not while listing a possibly huge folder.
    assert [p.name for p in paths] == ["a.jpg", "b.jpg"] and errors == []


def test_resources_fall_back_to_the_wheel_data_dir(tmp_path, monkeypatch):
    """A wheel installs resources/ under <prefix>/share/fosp-studio (pyproject data-files)."""
    import fosp_core.paths as paths

    assert paths._resources() == paths.PROJECT_ROOT / "resources"  # the clone's copy wins
    shared = tmp_path / "share" / "fosp-studio" / "resources"
    shared.mkdir(parents=True)
    monkeypatch.setattr(paths, "PROJECT_ROOT", tmp_path / "site-packages")
    monkeypatch.setattr(paths.sys, "prefix", str(tmp_path))
    assert paths._resources() == shared


def test_name_matcher_terms_and_wildcards() -> None:
    from fosp_core.session import name_matcher

    names = ["20200822_BrattonFire_+02280.jpg", "20180706_West_+00540.jpg", "Frame0012.png"]
    assert [n for n in names if name_matcher("")(n)] == names
    assert [n for n in names if name_matcher("fire")(n)] == names[:1]  # case-insensitive
    assert [n for n in names if name_matcher("2020 JPG")(n)] == names[:1]  # every term
    assert [n for n in names if name_matcher("2018*540")(n)] == names[1:2]  # a wildcard, anywhere
    assert [n for n in names if name_matcher("frame00??.png")(n)] == names[2:]
    assert not name_matcher("west fire")(names[1])


def test_filter_lists_matching_images_and_next_previous_walk_them(tmp_path: Path, recorder) -> None:
    names = ["a_smoke1.jpg", "b_cloud.jpg", "c_smoke2.jpg", "d_fog.jpg", "e_smoke3.jpg"]
    session = ImageSession()
    session.add([tmp_path / n for n in names])
    _bind(session, recorder)
    session.events.filter_changed.connect(lambda p: recorder.append(("filter", p)))

    session.set_filter(" smoke ")
    assert session.filter == "smoke"
    assert session.visible_indices() == (0, 2, 4)
    assert [session.is_visible(i) for i in range(6)] == [True, False, True, False, True, False]
    assert recorder == [("filter", "smoke")]
    assert session.current_index == 0 and session.has_next() and not session.has_previous()
    session.next()
    assert session.current_index == 2  # b_cloud is skipped
    session.next()
    session.next()  # stays on the last listed image
    assert session.current_index == 4 and not session.has_next()
    session.previous()
    assert session.current_index == 2

    # The current image stays current when the filter hides it; next/previous go to listed ones.
    session.set_filter("fog")
    assert session.current_index == 2 and not session.is_visible(2)
    assert session.has_next() and not session.has_previous()
    session.next()
    assert session.current_index == 3
    session.set_filter("nothing matches")
    assert session.visible_indices() == () and not session.has_next() and not session.has_previous()

    # Opening more images applies the filter to them; clearing it lists everything again.
    session.set_filter("smoke")
    session.add([tmp_path / "f_smoke4.jpg", tmp_path / "g_haze.jpg"])
    assert session.visible_indices() == (0, 2, 4, 5)
    session.set_filter("")
    assert session.visible_indices() == tuple(range(7)) and session.filter == ""
    assert recorder.count(("filter", "smoke")) == 2 and recorder[-1] == ("filter", "")


def test_resolve_paths_matches_path_resolve(tmp_path: Path, monkeypatch) -> None:
    import os

    from fosp_core.session import resolve_paths, resolve_texts

    real = tmp_path / "real"
    real.mkdir()
    (real / "a.jpg").write_bytes(b"x")
    os.symlink(real, tmp_path / "link")  # a linked folder
    os.symlink(real / "a.jpg", real / "b.jpg")  # a linked file: resolved to its target
    monkeypatch.chdir(real)
    cases = [tmp_path / "link" / "a.jpg", real / "b.jpg", f"{real}/../real/a.jpg", "a.jpg",
             tmp_path / "link" / "missing.jpg", real, f"{real}/", "~/x.jpg"]
    expected = [Path(c).expanduser().resolve() for c in cases]
    assert list(resolve_paths(cases)) == expected
    assert expected[1] == real / "a.jpg" and expected[0] == real / "a.jpg"
    assert list(resolve_texts(cases)) == [str(e) for e in expected]
    resolved = real.resolve() / "a.jpg"
    assert next(resolve_paths([resolved])) is resolved  # already resolved: the same object back


def test_add_takes_resolved_paths_as_they_are(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")
    session = ImageSession()
    assert session.add([tmp_path / "link" / "a.jpg"]) == [tmp_path.resolve() / "real" / "a.jpg"]
    given = tmp_path / "link" / "b.jpg"  # the caller vouches that it is resolved: not touched
    assert session.add([given, str(given)], resolved=True) == [given]
    assert len(session) == 2


def test_a_smoke5k_style_dataset_opens_its_images(tmp_path: Path) -> None:
    from PIL import Image

    for subset, names in (("train", ["b", "a"]), ("test", ["c"])):
        (tmp_path / "smoke5k" / subset / "img").mkdir(parents=True)
        (tmp_path / "smoke5k" / subset / "gt").mkdir()
        for name in names:
            Image.new("RGB", (8, 8)).save(tmp_path / "smoke5k" / subset / "img" / f"{name}.jpg")
            Image.new("L", (8, 8)).save(tmp_path / "smoke5k" / subset / "gt" / f"{name}.png")
    found, errors = collect_image_paths([tmp_path / "smoke5k"])
    assert not errors
    assert sorted(p.relative_to(tmp_path.resolve() / "smoke5k").as_posix() for p in found) == [
        "test/img/c.jpg", "train/img/a.jpg", "train/img/b.jpg"]
    empty = tmp_path / "empty"
    empty.mkdir()
    assert collect_image_paths([empty]) == ([], [OpenError(empty, "the folder contains no image files")])
