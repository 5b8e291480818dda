"""Pillow's warnings reached `fosp`'s user as Python prints them, two lines each and without the file's
name: an image of 400-800 MP gave "/.../PIL/Image.py:3593: DecompressionBombWarning: Image size
(625000000 pixels) exceeds limit ..." and "  warnings.warn(" before our own "image too large"; a damaged
TIFF "/.../PIL/TiffImagePlugin.py:982: UserWarning: Corrupt EXIF data. ..." (once per process, whichever
file came first). `fosp` now says Pillow's word on a file it read as one "warning: FILE: what" line, and
nothing where its own error names the file and says what is wrong with it."""

from __future__ import annotations

import io
import os
import shutil
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parents[2]

#: a byte of a little-endian TIFF written by Pillow, set to 184: the first IFD's entry count (the
#: entries read past the table: Pillow warns "Corrupt EXIF data", the picture still reads), the count
#: of its first entry, ImageWidth (Pillow warns "too many entries"; no width: not read)
READ_WITH_WORDS, NOT_READ = 9, 15


def _fosp(*words: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HOME": str(home), "XDG_CACHE_HOME": str(home / "cache")}
    env.pop("PYTHONWARNINGS", None)
    return subprocess.run([sys.executable, "-m", "fosp_core", *words], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=300)


def _dataset_with_tiff_mask(demo_dir: Path, tmp_path: Path, damaged_byte: int) -> tuple[Path, Path]:
    """A copy of the demo whose first mask is a 0/255 TIFF with byte `damaged_byte` set to 184."""
    data = tmp_path / "data"
    shutil.copytree(demo_dir, data)
    png = sorted((data / "SegmentationClass").glob("*.png"))[0]
    mask = np.asarray(Image.open(png)) == 1
    buffer = io.BytesIO()
    Image.fromarray(mask.astype(np.uint8) * 255).save(buffer, "TIFF")
    damaged = bytearray(buffer.getvalue())
    damaged[damaged_byte] = 184
    png.unlink()
    tiff = png.with_suffix(".tif")
    tiff.write_bytes(bytes(damaged))
    return data, tiff


def _python_warning_lines(err: str) -> list[str]:
    return [line for line in err.splitlines()
            if "Warning:" in line and not line.startswith("warning: ") or "warnings.warn(" in line]


def test_a_tiff_pillow_complains_of_but_reads_is_one_warning_line_naming_it(demo_dir: Path, tmp_path: Path) -> None:
    data, tiff = _dataset_with_tiff_mask(demo_dir, tmp_path, READ_WITH_WORDS)
    run = _fosp("dataset", "stats", str(data), home=tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    assert not _python_warning_lines(run.stderr), run.stderr
    said = [line for line in run.stderr.splitlines() if line.startswith("warning: ")]
    assert len(said) == 1 and said[0].startswith(f"warning: {tiff}: Corrupt EXIF data"), run.stderr


def test_a_tiff_that_cannot_be_read_is_said_once_by_our_error(demo_dir: Path, tmp_path: Path) -> None:
    data, _tiff = _dataset_with_tiff_mask(demo_dir, tmp_path, NOT_READ)
    run = _fosp("dataset", "stats", str(data), home=tmp_path)
    assert run.returncode == 1, run.stdout + run.stderr
    assert not _python_warning_lines(run.stderr), run.stderr
    assert "warning" not in run.stderr.lower(), run.stderr
    assert "cannot decode: not a recognised image format" in run.stdout, run.stdout  # our error says it


def _png_header_only(path: Path, width: int, height: int) -> Path:
    """A PNG whose header says `width` x `height` (its pixels a few zero rows): Pillow reads the size."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 1000))
                     + chunk(b"IEND", b""))
    return path


def test_a_625_mp_image_is_our_error_alone(tmp_path: Path) -> None:
    """Pillow warns of images between its limit (fosp's 400 MP) and twice it; `read_image` refuses them."""
    big = _png_header_only(tmp_path / "panorama.png", 25_000, 25_000)
    run = _fosp("predict", str(big), "--out", str(tmp_path / "out"), home=tmp_path)
    assert run.returncode == 1, run.stdout + run.stderr
    both = run.stdout + run.stderr
    assert not _python_warning_lines(both), both
    assert "DecompressionBomb" not in both and "warning" not in both.lower(), both
    assert [line for line in both.splitlines() if "image too large" in line] == [
        f"failed {big}: image too large (more than 400,000,000 pixels)"], both
