"""Session 32's bad-input sweep (helper F), masks: a mask PNG whose header claims 60000 x 60000
pixels (a decompression bomb, a few hundred bytes on disk) beside a good image. `read_mask` let
Pillow's DecompressionBombError (no OSError) through, so `fosp dataset stats`, `fosp dataset
convert` and `fosp eval`, even with --skip-bad, ended in a traceback. Now it is a MaskReadError
naming the file, and the CLIs name it and go on with the other samples."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from fosp_core.cli import main
from fosp_core.io.masks import MaskReadError, read_mask
from tests.odd_inputs import mask01, picture


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def bomb_png(path: Path, side: int = 60_000) -> Path:
    """A grayscale PNG whose header claims `side` x `side` pixels, with 1 KB of zeros as its data."""
    ihdr = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", zlib.compress(b"\0" * 1000))
                     + _chunk(b"IEND", b""))
    return path


@pytest.mark.parametrize("side", [60_000, 25_000])  # past Pillow's error (2 x its limit), past its warning
def test_a_bomb_mask_is_a_mask_read_error_naming_the_file(tmp_path: Path, side: int) -> None:
    path = bomb_png(tmp_path / "bomb.png", side)

    with pytest.raises(MaskReadError) as err:
        read_mask(path)

    assert str(path) in str(err.value)
    assert "too large" in str(err.value)


def _dataset(root: Path) -> Path:
    """SMOKE5K-like img/ + gt/: two good pairs and one good image whose mask is a bomb."""
    (root / "img").mkdir(parents=True)
    (root / "gt").mkdir()
    for seed, name in enumerate(("a", "b", "c")):
        Image.fromarray(picture(seed=seed)).save(root / "img" / f"{name}.jpg", quality=95)
    for name in ("a", "c"):
        Image.fromarray(mask01() * 255).save(root / "gt" / f"{name}.png")
    bomb_png(root / "gt" / "b.png")
    return root / "gt" / "b.png"


@pytest.mark.parametrize("command", [["dataset", "stats", "--skip-bad"],
                                     ["dataset", "convert", "--skip-bad"]])
def test_a_bomb_mask_is_named_and_the_others_go_on(tmp_path: Path, command: list[str],
                                                   capsys: pytest.CaptureFixture) -> None:
    bomb = _dataset(tmp_path / "ds")
    args = [*command, str(tmp_path / "ds")]
    if command[1] == "convert":
        args.append(str(tmp_path / "out"))

    code = main(args)

    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    line = next((ln.strip() for ln in (out + err).splitlines() if "too large" in ln), "")
    assert str(bomb) in line or " b: " in f" {line}", out + err  # the sample id (the data layer names ids)
    assert code in (0, 1), out + err
    if command[1] == "convert":
        written = sorted(p.name for p in (tmp_path / "out").rglob("*.png"))
        assert written == ["a.png", "c.png"], written
        assert np.array_equal(read_mask(tmp_path / "ds" / "gt" / "a.png"), mask01())


def _mask_png() -> tuple[np.ndarray, bytes]:
    from fosp_core.io.masks import encode_mask_png

    mask = np.zeros((48, 64), np.uint8)
    mask[10:30, 20:50] = 1
    return mask, encode_mask_png(mask)


def test_a_mask_png_damaged_inside_is_told_not_read_wrong(tmp_path: Path) -> None:
    """One bit flipped in the pixel data of a saved mask (a bad copy, a failing disk): it read as a mask
    600 pixels different from the one saved, without a word."""
    mask, data = _mask_png()
    damaged = bytearray(data)
    damaged[data.index(b"IDAT") + 4 + 21] ^= 1
    path = tmp_path / "mask.png"
    path.write_bytes(bytes(damaged))

    with pytest.raises(MaskReadError) as err:
        read_mask(path)

    assert str(path) in str(err.value)
    assert "damaged: its PNG chunk IDAT" in err.value.reason, err.value.reason
    path.write_bytes(data)
    assert np.array_equal(read_mask(path), mask)


@pytest.mark.parametrize(("content", "said"), [
    (b"", "the file is empty (0 bytes)"),
    (b"smoke on the north ridge at 14:02\n", 'a text file beginning "smoke on the north ridge'),
    (None, "is a folder, not a mask file"),
])
def test_a_mask_file_that_is_no_image_says_what_it_is(tmp_path: Path, content: bytes | None, said: str) -> None:
    path = tmp_path / "mask.png"
    if content is None:
        path.mkdir()
    else:
        path.write_bytes(content)

    with pytest.raises(MaskReadError) as err:
        read_mask(path)

    assert str(path) in str(err.value)
    assert said in err.value.reason, err.value.reason
