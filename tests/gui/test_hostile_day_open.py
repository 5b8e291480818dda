"""A hostile day's folder in the app: a video renamed ``.png``, an iPhone photo (HEIC) renamed ``.jpg`` and a
note renamed ``.png`` beside a good image. The good one opens; each other one is told once, with its name
and what it really is (it was "not a recognised image format (the file may be corrupt or not an image)"
for all three); the folder is left as it was."""

from __future__ import annotations

from pathlib import Path

from app.services import CollectingErrorReporter
from tests.odd_inputs import good_image, write_video

from .conftest import WindowFactory


def test_files_named_like_images_are_told_as_what_they_are(
    qtbot, make_window: WindowFactory, tmp_path: Path
) -> None:
    folder = tmp_path / "day"
    folder.mkdir()
    good_image(folder, "a_good.png")
    write_video(folder / "clip.mp4", 3).rename(folder / "clip.png")
    (folder / "IMG_0001.jpg").write_bytes(b"\0\0\0\x18ftypheic\0\0\0\0mif1heic" + b"\0" * 64)
    (folder / "notes.png").write_text("plume at 14:02, north ridge\n")
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    reporter = CollectingErrorReporter()
    window = make_window(error_reporter=reporter)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"

    window.open_paths([folder], remember=False)
    qtbot.waitUntil(lambda: len(window.session.paths) == 4, timeout=10_000)
    for name in ("clip.png", "IMG_0001.jpg", "notes.png"):
        index = next((i for i, p in enumerate(window.session.paths) if p.name == name), None)
        if index is not None:  # a neighbour's prefetch may have checked it already
            window.session.set_current(index)
        qtbot.waitUntil(lambda n=name: n in {e.path.name for e in reporter.errors}, timeout=10_000)  # noqa: B023

    told = {e.path.name: e.reason for e in reporter.errors}
    assert len(reporter.errors) == 3
    assert "a video (MP4/MOV); open it as a video" in told["clip.png"], told
    assert "an HEIC/HEIF photo" in told["IMG_0001.jpg"], told
    assert 'a text file beginning "plume at 14:02, north ridge"' in told["notes.png"], told
    assert [p.name for p in window.session.paths] == ["a_good.png"]
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
