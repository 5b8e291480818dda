"""`fosp-studio IMAGE --screenshot out.jpg` wrote PNG data under the .jpg name (the save was forced to
PNG): a viewer or an upload that trusts the name choked on it. The window is saved in the format the
suffix names (PNG for a name without one); a suffix Qt cannot write is refused before anything starts,
naming those it can."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from app.main import main, take_screenshot

MAGIC = {"jpg": b"\xff\xd8\xff", "bmp": b"BM", "png": b"\x89PNG\r\n\x1a\n"}


def _take(qapp, out: Path, image: Path) -> int:  # noqa: ANN001
    gc.disable()  # collected here, where no Qt lock is held (tests/gui/conftest.py)
    try:
        return take_screenshot(qapp, out, [image], (640, 400))
    finally:
        gc.collect()
        gc.enable()


@pytest.mark.parametrize("name", ["shot.jpg", "SHOT.BMP", "shot"], ids=["jpg", "upper-bmp", "no-suffix"])
def test_the_screenshot_is_in_the_format_its_name_says(qapp, capsys: pytest.CaptureFixture[str],  # noqa: ANN001
                                                       tmp_path: Path, demo_dir: Path, name: str) -> None:
    out = tmp_path / name
    code = _take(qapp, out, next((demo_dir / "JPEGImages").glob("*.jpg")))
    assert code == 0, capsys.readouterr().err
    kind = out.suffix.lower().lstrip(".") or "png"  # no suffix: PNG, as before
    assert out.read_bytes().startswith(MAGIC[kind]), out.read_bytes()[:8]


def test_a_suffix_qt_cannot_write_is_refused_before_the_render(capsys: pytest.CaptureFixture[str],
                                                                tmp_path: Path, demo_dir: Path) -> None:
    out = tmp_path / "shot.pdf"
    assert main(["--screenshot", str(out), str(demo_dir)]) == 2
    err = capsys.readouterr().err
    assert "shot.pdf" in err and ".pdf" in err and ".png" in err and ".jpg" in err, err
    assert not out.exists()
