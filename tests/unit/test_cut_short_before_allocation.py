"""An image file cut short fails from its size and headers, before the decoder allocates the
decoded image: a 20000 x 20000 PNG with a few bytes of pixel data (the pixel limit exactly) had its
1.6 GB image allocated by Pillow before the read failed "truncated".

Exact for the formats whose data size the header gives (BMP, PPM, TIFF strips and tiles; a PNG's
chunks), a plausibility bound for compressed data (a PNG's deflate stream cannot grow more than
1032:1; a Huffman JPEG's scan codes every 8 x 8 luma block in at least one bit). The allocation is
Pillow's `ImageFile.load_prepare` (it makes the decoded image's memory): recorded here, and stopped
before it allocates, so that a failing run does not allocate either.
"""

from __future__ import annotations

import functools
import io
import struct
import zlib
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageFile

from fosp_core.io import images
from fosp_core.io.images import ImageReadError, read_image

#: a real smoke photo bundled with the app (the shared SMOKE5K folder is absent in a fresh clone)
DEMO_PHOTOS = Path(__file__).resolve().parents[2] / "resources" / "demo" / "JPEGImages"


class Allocated(BaseException):  # noqa: N818 - a BaseException: no reader's `except Exception` takes it
    """Pillow was about to allocate the decoded image."""


@pytest.fixture()
def allocations(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int]]:
    """The sizes Pillow was about to allocate; a cut-short file must leave it empty."""
    sizes: list[tuple[int, int]] = []
    real = ImageFile.ImageFile.load_prepare

    def load_prepare(self: ImageFile.ImageFile) -> None:
        sizes.append(self.size)
        if self.size[0] * self.size[1] > 4_000_000:
            raise Allocated(self.size)
        real(self)

    monkeypatch.setattr(ImageFile.ImageFile, "load_prepare", load_prepare)
    opencv: list[Path] = []
    monkeypatch.setattr(images, "_decode_with_opencv", lambda path, data: opencv.append(path))  # never decodes
    return sizes


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def _png_header_only(path: Path, width: int, height: int) -> Path:
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", zlib.compress(b"\x00" * 1000))
                     + _chunk(b"IEND", b""))
    return path


@pytest.fixture(scope="module", autouse=True)
def _photos_made_once() -> Iterator[None]:
    """`_photo` and `_saved_photo` are made once for this file's tests (read-only; ~0.2-0.5 s each of
    scaling and encoding a 6 MP photo), and let go after them."""
    yield
    _photo.cache_clear()
    _saved_photo.cache_clear()


@functools.cache
def _photo(width: int = 3000, height: int = 2000) -> np.ndarray:
    """A real smoke photo (the bundled demo's first) scaled to (width, height), RGB uint8 (read-only)."""
    source = sorted(DEMO_PHOTOS.glob("*.jpg"))[0]
    with Image.open(source) as im:
        rgb = np.asarray(im.convert("RGB").resize((width, height), Image.Resampling.BICUBIC))
    rgb.setflags(write=False)
    return rgb


def _saved(rgb: np.ndarray, fmt: str, **options: object) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(rgb).save(buf, fmt, **options)
    return buf.getvalue()


@functools.cache
def _saved_photo(fmt: str, options: tuple[tuple[str, object], ...]) -> bytes:
    """`_saved(_photo(), fmt, **options)`, made once for the tests that cut it."""
    return _saved(_photo(), fmt, **dict(options))


def _refused_unallocated(path: Path, allocations: list[tuple[int, int]], match: str = "truncated") -> None:
    allocations.clear()  # the photo the file was made from was decoded
    with pytest.raises(ImageReadError, match=match):
        read_image(path)
    assert allocations == []


def test_a_png_at_the_pixel_limit_with_a_few_bytes_of_data_allocates_nothing(tmp_path: Path, allocations) -> None:
    assert 20000 * 20000 == images.MAX_PIXELS
    _refused_unallocated(_png_header_only(tmp_path / "at-limit.png", 20000, 20000), allocations)


@pytest.mark.parametrize("fmt, options", [("PNG", {"compress_level": 1}), ("BMP", {}), ("PPM", {}),
                                          ("TIFF", {}), ("TIFF", {"compression": "tiff_deflate"}),
                                          ("JPEG", {"quality": 90})],
                         ids=["png", "bmp", "ppm", "tiff", "tiff-deflate", "jpeg"])
@pytest.mark.parametrize("kept", [0.5, 0.97])
def test_a_photo_cut_short_allocates_nothing(tmp_path: Path, allocations, fmt: str, options: dict,
                                             kept: float) -> None:
    data = _saved_photo(fmt, tuple(options.items()))
    path = tmp_path / f"cut.{fmt.lower()}"
    path.write_bytes(data[:int(len(data) * kept)])
    # a compressed TIFF's directory follows its strips (Pillow writes it last): cut, it is not recognised
    _refused_unallocated(path, allocations, "not a recognised" if "compression" in options else "truncated")


def test_a_png_padded_with_zeros_to_its_length_allocates_nothing(tmp_path: Path, allocations) -> None:
    data = _saved_photo("PNG", (("compress_level", 1),))
    cut = len(data) // 2
    path = tmp_path / "unfinished.png"
    path.write_bytes(data[:cut] + bytes(len(data) - cut))
    _refused_unallocated(path, allocations)


def test_a_jpeg_whose_header_claims_far_more_blocks_than_its_scan_codes_allocates_nothing(
        tmp_path: Path, allocations) -> None:
    data = bytearray(_saved(_photo(64, 64), "JPEG", quality=90))
    sof = data.index(b"\xff\xc0")  # baseline: height, width at +5, +7
    data[sof + 5:sof + 9] = struct.pack(">HH", 20000, 20000)
    path = tmp_path / "claims-20000.jpg"
    path.write_bytes(bytes(data))
    _refused_unallocated(path, allocations)


@pytest.mark.parametrize("fmt, options", [("PNG", {"compress_level": 9}), ("BMP", {}), ("PPM", {}), ("TIFF", {}),
                                          ("TIFF", {"compression": "tiff_lzw"}), ("JPEG", {"quality": 75}),
                                          ("JPEG", {"quality": 75, "progressive": True})],
                         ids=["png", "bmp", "ppm", "tiff", "tiff-lzw", "jpeg", "progressive"])
@pytest.mark.parametrize("picture", ["photo", "black"])
def test_whole_files_still_read_even_when_they_compress_as_far_as_they_can(tmp_path: Path, fmt: str,
                                                                           options: dict, picture: str) -> None:
    rgb = _photo(1200, 900) if picture == "photo" else np.zeros((3000, 4000, 3), np.uint8)
    path = tmp_path / f"whole.{fmt.lower()}"
    path.write_bytes(_saved(rgb, fmt, **options))
    out = read_image(path)
    assert out.rgb.shape == rgb.shape
    if fmt != "JPEG":
        np.testing.assert_array_equal(out.rgb, rgb)
