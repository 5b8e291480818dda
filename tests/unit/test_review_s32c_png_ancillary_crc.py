"""Review of 9ef48213 / cae18088 (a PNG whose critical chunk fails its CRC is refused as damaged): a PNG
whose *ancillary* chunk (tEXt, iTXt, eXIf, ...: nothing of the pixels) fails its CRC is read by libpng,
which skips the chunk, and by `read_image` (through OpenCV); `png_damage` leaves it alone on purpose, "as
libpng does". `read_mask` refused it all the same, in words that say something else: "cannot decode: not a
recognised image format" (Pillow checks every chunk's CRC as it opens the file and gives up). The mask is
now read as libpng reads it: the damaged ancillary chunk left out, the pixels as they were saved."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import numpy as np
from PIL import Image

from fosp_core.io.images import read_image
from fosp_core.io.masks import read_mask


def _chunk(kind: bytes, body: bytes, flip: bool = False) -> bytes:
    crc = zlib.crc32(kind + body) ^ (1 if flip else 0)
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)


def _mask_png(extra: bytes, after_pixels: bool = False) -> tuple[bytes, np.ndarray]:
    mask = np.zeros((24, 32), np.uint8)
    mask[4:12, 6:20] = 1
    mask[0, :] = 255
    buffer = io.BytesIO()
    Image.fromarray(mask).save(buffer, "PNG")
    data = buffer.getvalue()
    at = data.rindex(b"IEND") - 4 if after_pixels else 33  # before IEND, or after IHDR
    return data[:at] + extra + data[at:], mask


def test_a_mask_with_a_damaged_text_chunk_reads_as_libpng_reads_it(tmp_path: Path) -> None:
    for name, after in (("before.png", False), ("after.png", True)):
        data, mask = _mask_png(_chunk(b"tEXt", b"Comment\0saved by a tool", flip=True), after_pixels=after)
        path = tmp_path / name
        path.write_bytes(data)
        assert read_image(path).rgb.shape[:2] == mask.shape  # OpenCV's libpng reads it
        assert np.array_equal(read_mask(path), mask), name  # was MaskReadError: "not a recognised image format"


def test_a_mask_whose_pixels_are_damaged_is_still_refused(tmp_path: Path) -> None:
    import pytest

    from fosp_core.io.masks import MaskReadError

    data, _ = _mask_png(b"")
    at = data.index(b"IDAT") + 6
    path = tmp_path / "bad.png"
    path.write_bytes(data[:at] + bytes([data[at] ^ 0x10]) + data[at + 1:])
    with pytest.raises(MaskReadError, match="fails its checksum"):
        read_mask(path)


def test_read_image_reads_it_without_libpng_on_stderr(tmp_path: Path, capfd) -> None:  # noqa: ANN001
    """read_image read such a PNG through OpenCV, after Pillow gave up: libpng printed "libpng warning:
    tEXt: CRC error" on stderr (no quiet_opencv reaches libpng's own messages) and the picture lost what
    Pillow tells of it (its mode: "cv2:uint8x1" for "L")."""
    data, mask = _mask_png(_chunk(b"tEXt", b"Comment\0saved by a tool", flip=True))
    path = tmp_path / "photo.png"
    path.write_bytes(data)
    capfd.readouterr()
    loaded = read_image(path)
    assert loaded.rgb.shape[:2] == mask.shape and loaded.mode == "L"
    assert "libpng" not in capfd.readouterr().err
