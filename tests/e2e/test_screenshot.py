"""`python main.py --screenshot OUT.png [paths]` as a user runs it: a real process, offscreen."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parents[2]


def _run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *map(str, args)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )


def test_screenshot_of_the_demo(tmp_path: Path) -> None:
    out = tmp_path / "shots" / "demo.png"
    result = _run("--screenshot", out, "--size", "1024x640")
    assert result.returncode == 0, result.stderr
    assert out.is_file() and out.stat().st_size > 50_000  # a real picture, not an empty window
    with Image.open(out) as im:
        assert im.format == "PNG" and im.size == (1024, 640)
        pixels = np.asarray(im.convert("RGB")).astype(np.int16)
    # The photo is on the canvas: a colourful window, not a flat grey one.
    assert pixels.std() > 20
    assert len(np.unique(pixels.reshape(-1, 3), axis=0)) > 5_000


def test_screenshot_fails_for_a_bad_path(tmp_path: Path, demo_dir: Path) -> None:
    out = tmp_path / "bad.png"
    missing = tmp_path / "no-such-image.jpg"
    result = _run("--screenshot", out, next((demo_dir / "JPEGImages").glob("*.jpg")), missing)
    assert result.returncode != 0
    assert "no-such-image.jpg" in result.stderr and "no such file" in result.stderr


def test_screenshot_fails_for_a_corrupt_image(tmp_path: Path) -> None:
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"\x89PNG\r\n\x1a\n garbage")
    result = _run("--screenshot", tmp_path / "out.png", broken)
    assert result.returncode != 0
    assert "broken.png" in result.stderr


def test_screenshot_writes_nothing_beside_the_images(tmp_path: Path, demo_dir: Path) -> None:
    folder = tmp_path / "photos"
    folder.mkdir()
    for sample in sorted((demo_dir / "JPEGImages").glob("*.jpg"))[:2]:
        (folder / sample.name).write_bytes(sample.read_bytes())
    result = _run("--screenshot", tmp_path / "out.png", folder)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in folder.glob("*.jpg"))  # no .fosp/
