"""Session 32's bad-input sweep (helper F), the app: a PNG damaged inside (one byte of its pixel data
flipped) and an MP4 cut short before its index, opened beside a good image. The PNG showed with garbled
rows and the MP4 was "not a readable video: the container or codec is not supported"; each is now told
once, in its own words, the good image stays open and usable, and the folder is left as it was."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image

from app.services import CollectingErrorReporter
from tests.odd_inputs import good_image, picture, write_video

from .conftest import WindowFactory


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_a_damaged_png_and_a_cut_video_are_told_and_the_good_image_stays(
    qtbot, make_window: WindowFactory, tmp_path: Path
) -> None:
    folder = tmp_path / "day"
    folder.mkdir()
    good = good_image(folder, "a_good.png")
    buf = io.BytesIO()
    Image.fromarray(picture(seed=1)).save(buf, "PNG")
    damaged = bytearray(buf.getvalue())
    damaged[damaged.index(b"IDAT") + 24] ^= 0xFF
    (folder / "b_damaged.png").write_bytes(bytes(damaged))
    whole = write_video(tmp_path / "whole.mp4", 10).read_bytes()
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(whole[: len(whole) // 3])
    before = _tree(folder)
    reporter = CollectingErrorReporter()
    window = make_window(error_reporter=reporter)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"

    window.open_paths([folder], remember=False)
    qtbot.waitUntil(lambda: any(p.name == "b_damaged.png" for p in window.session.paths), timeout=10_000)
    window.session.set_current(next(i for i, p in enumerate(window.session.paths) if p.name == "b_damaged.png"))
    qtbot.waitUntil(lambda: "b_damaged.png" in {e.path.name for e in reporter.errors}, timeout=10_000)
    window.open_paths([cut], remember=False)
    qtbot.waitUntil(lambda: "cut.mp4" in {e.path.name for e in reporter.errors}, timeout=10_000)

    told = {e.path.name: e.reason for e in reporter.errors}
    assert len(reporter.errors) == 2, told
    assert "the file is damaged: its PNG chunk IDAT #1 fails its checksum" in told["b_damaged.png"], told
    assert "cut short" in told["cut.mp4"] and "moov" in told["cut.mp4"], told
    assert not window.video.active
    window.open_paths([good], remember=False)
    qtbot.waitUntil(lambda: window.session.current_image is not None
                    and window.session.current_image.path == good, timeout=10_000)
    assert [p.name for p in window.session.paths] == ["a_good.png"]
    assert _tree(folder) == before
