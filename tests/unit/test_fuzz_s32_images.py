"""Session 32's bad-input sweep (helper F), images: PNGs damaged inside (a byte flipped by a bad copy
or a failing disk). One flipped in the pixel data (IDAT) was read without a word: Pillow does not
check an IDAT chunk's CRC and stops before the zlib checksum, so the picture came back with garbled
rows and was predicted or annotated as if whole. One flipped in the palette (PLTE) was "not a
recognised image format", after OpenCV's libpng printed "libpng error: PLTE: CRC error" on stderr.
Both are now "the file is damaged: its PNG chunk ... fails its checksum", named by `read_image`, and
`fosp predict` says so in one line and writes nothing. A damaged ancillary chunk (text) is no damage
to the picture: libpng skips it, and so does the reader."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from fosp_core.cli import main
from fosp_core.io.images import ImageReadError, read_image
from tests.odd_inputs import picture


def _png(mode: str = "RGB", **kwargs: object) -> bytearray:
    buf = io.BytesIO()
    Image.fromarray(picture()).convert(mode).save(buf, "PNG", **kwargs)
    return bytearray(buf.getvalue())


def _flip_in(data: bytearray, kind: bytes, offset: int) -> bytearray:
    """`data` with one byte of the first `kind` chunk's data inverted (its CRC left as it was)."""
    start = data.index(kind) + 4
    data[start + offset] ^= 0xFF
    return data


def _text_chunk(data: bytearray) -> bytearray:
    """`data` with a tEXt chunk whose CRC is wrong, before IEND."""
    body = b"Comment\0damaged note"
    chunk = struct.pack(">I", len(body)) + b"tEXt" + body + struct.pack(">I", (zlib.crc32(b"tEXt" + body) + 1) & 0xFFFFFFFF)
    end = data.rindex(b"IEND") - 4
    return data[:end] + chunk + data[end:]


@pytest.mark.parametrize(("made", "chunk"), [
    (lambda: _flip_in(_png(), b"IDAT", 20), "IDAT"),
    (lambda: _flip_in(_png("P"), b"PLTE", 6), "PLTE"),
])
def test_a_png_damaged_inside_is_told_as_damaged(tmp_path: Path, capfd: pytest.CaptureFixture,
                                                 made, chunk: str) -> None:  # noqa: ANN001
    path = tmp_path / "damaged.png"
    path.write_bytes(bytes(made()))

    with pytest.raises(ImageReadError) as err:
        read_image(path)

    assert str(path) in str(err.value)
    assert f"damaged: its PNG chunk {chunk}" in err.value.reason, err.value.reason
    assert "checksum" in err.value.reason
    assert "libpng" not in capfd.readouterr().err


def test_a_damaged_text_chunk_does_not_stop_the_picture(tmp_path: Path) -> None:
    path = tmp_path / "noted.png"
    path.write_bytes(bytes(_text_chunk(_png())))

    assert np.array_equal(read_image(path).rgb, picture())


def test_predict_names_a_damaged_png_in_one_line_and_writes_nothing(tmp_path: Path,
                                                                     capfd: pytest.CaptureFixture) -> None:
    from tests.odd_inputs.checkpoints import tiny_checkpoint

    checkpoint = tiny_checkpoint(tmp_path / "tiny.safetensors")
    path = tmp_path / "in" / "damaged.png"
    path.parent.mkdir()
    path.write_bytes(bytes(_flip_in(_png(), b"IDAT", 20)))
    Image.fromarray(picture(seed=1)).save(tmp_path / "in" / "good.png")

    code = main(["predict", "--checkpoint", str(checkpoint), "--out", str(tmp_path / "out"),
                 "--input-size", "64", "--quiet", str(path.parent)])

    err = capfd.readouterr().err
    assert code == 1, err
    told = [line for line in err.splitlines() if "damaged.png" in line]
    assert len(told) == 1 and "fails its checksum" in told[0], err
    assert "Traceback" not in err and "libpng" not in err
    written = sorted(p.name for p in (tmp_path / "out").rglob("*") if p.is_file())
    assert written and all(name.startswith("good") for name in written), written
