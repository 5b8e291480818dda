"""`python main.py --screenshot OUT.png [paths]` as a user runs it: a real process, offscreen
(the demo); the failures and the nothing-beside-the-images check call the same `take_screenshot`
in this process (a process start costs ~3 s of the 2-core CI's time each)."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parents[2]


def _run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *map(str, args)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )


def _take(qapp, capsys: pytest.CaptureFixture[str], out: Path, *paths: Path) -> tuple[int, str]:  # noqa: ANN001
    """`take_screenshot` in this process, as `main --screenshot` calls it: (exit code, stderr).
    Garbage is collected here, where no Qt lock is held (see tests/gui/conftest.py)."""
    from app.main import SCREENSHOT_SIZE, take_screenshot

    gc.disable()
    try:
        code = take_screenshot(qapp, out, list(paths), SCREENSHOT_SIZE)
    finally:
        gc.collect()
        gc.enable()
    return code, capsys.readouterr().err


def test_screenshot_of_the_demo(tmp_path: Path) -> None:
    out = tmp_path / "shots" / "demo.png"
    result = _run("--screenshot", out, "--size", "1024x640")
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"screenshot saved to {out}\n", result.stdout  # its path alone: the size asked for
    assert "This plugin does not support" not in result.stderr, result.stderr  # the offscreen platform's noise
    assert out.is_file() and out.stat().st_size > 50_000  # a real picture, not an empty window
    with Image.open(out) as im:
        assert im.format == "PNG" and im.size == (1024, 640)
        pixels = np.asarray(im.convert("RGB")).astype(np.int16)
    # The photo is on the canvas: a colourful window, not a flat grey one.
    assert pixels.std() > 20
    assert len(np.unique(pixels.reshape(-1, 3), axis=0)) > 5_000


def test_screenshot_fails_for_a_bad_path(qapp, capsys, tmp_path: Path, demo_dir: Path) -> None:  # noqa: ANN001
    out = tmp_path / "bad.png"
    missing = tmp_path / "no-such-image.jpg"
    code, stderr = _take(qapp, capsys, out, next((demo_dir / "JPEGImages").glob("*.jpg")), missing)
    assert code != 0
    assert "no-such-image.jpg" in stderr and "no such file" in stderr


def test_screenshot_fails_for_a_corrupt_image(qapp, capsys, tmp_path: Path) -> None:  # noqa: ANN001
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"\x89PNG\r\n\x1a\n garbage")
    code, stderr = _take(qapp, capsys, tmp_path / "out.png", broken)
    assert code != 0
    assert "broken.png" in stderr


def test_screenshot_writes_nothing_beside_the_images(qapp, capsys, tmp_path: Path, demo_dir: Path) -> None:  # noqa: ANN001
    folder = tmp_path / "photos"
    folder.mkdir()
    for sample in sorted((demo_dir / "JPEGImages").glob("*.jpg"))[:2]:
        (folder / sample.name).write_bytes(sample.read_bytes())
    code, stderr = _take(qapp, capsys, tmp_path / "out.png", folder)
    assert code == 0, stderr
    assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in folder.glob("*.jpg"))  # no .fosp/
