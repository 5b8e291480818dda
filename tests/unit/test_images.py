"""The image reader over a table of odd files made in the test, plus the real demo samples."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image

from fosp_core.io.images import ImageReadError, list_images, read_image


def _gradient(h: int = 48, w: int = 64) -> np.ndarray:
    """A deterministic RGB uint8 test pattern, HxWx3 (distinct per channel, so swaps show)."""
    y, x = np.mgrid[0:h, 0:w]
    return np.stack([(x * 4) % 256, (y * 5) % 256, ((x + y) * 3) % 256], axis=2).astype(np.uint8)


def test_png_rgb_roundtrip_exact(tmp_path: Path) -> None:
    rgb = _gradient()
    Image.fromarray(rgb).save(tmp_path / "a.png")
    out = read_image(tmp_path / "a.png")
    assert out.rgb.dtype == np.uint8 and out.rgb.shape == (48, 64, 3)
    np.testing.assert_array_equal(out.rgb, rgb)
    assert out.format == "PNG" and out.bit_depth == 8 and not out.had_alpha


@pytest.mark.parametrize("ext", [".bmp", ".tif", ".webp"])
def test_lossless_formats_exact(tmp_path: Path, ext: str) -> None:
    rgb = _gradient()
    kwargs = {"lossless": True} if ext == ".webp" else {}
    Image.fromarray(rgb).save(tmp_path / f"a{ext}", **kwargs)
    np.testing.assert_array_equal(read_image(tmp_path / f"a{ext}").rgb, rgb)


def test_grayscale_jpeg_replicated(tmp_path: Path) -> None:
    g = _gradient()[:, :, 0]
    Image.fromarray(g, mode="L").save(tmp_path / "g.jpg", quality=100)
    out = read_image(tmp_path / "g.jpg").rgb
    assert out.shape == (48, 64, 3)
    assert np.array_equal(out[:, :, 0], out[:, :, 1]) and np.array_equal(out[:, :, 1], out[:, :, 2])
    assert np.abs(out[:, :, 0].astype(int) - g.astype(int)).max() <= 3


def test_16bit_gray_png_high_byte(tmp_path: Path) -> None:
    g16 = (np.arange(48 * 64, dtype=np.uint32).reshape(48, 64) * 21).astype(np.uint16)
    cv2.imwrite(str(tmp_path / "g16.png"), g16)
    out = read_image(tmp_path / "g16.png")
    assert out.bit_depth == 16
    np.testing.assert_array_equal(out.rgb[:, :, 0], (g16 >> 8).astype(np.uint8))


@pytest.mark.parametrize("ext", [".png", ".tif"])
def test_16bit_rgb(tmp_path: Path, ext: str) -> None:
    rgb16 = _gradient().astype(np.uint16) * 257 + 3
    cv2.imwrite(str(tmp_path / f"c16{ext}"), rgb16[:, :, ::-1])  # OpenCV writes BGR
    out = read_image(tmp_path / f"c16{ext}")
    np.testing.assert_array_equal(out.rgb, (rgb16 >> 8).astype(np.uint8))


def test_rgba_composited_over_black(tmp_path: Path) -> None:
    rgb = _gradient()
    alpha = np.full(rgb.shape[:2], 255, np.uint8)
    alpha[:, :32] = 0
    alpha[:10, 32:] = 128
    Image.fromarray(np.dstack([rgb, alpha]), mode="RGBA").save(tmp_path / "a.png")
    out = read_image(tmp_path / "a.png")
    assert out.had_alpha
    assert (out.rgb[:, :32] == 0).all()
    np.testing.assert_array_equal(out.rgb[10:, 32:], rgb[10:, 32:])
    half = out.rgb[:10, 32:].astype(int)
    assert np.abs(half - rgb[:10, 32:].astype(int) * 128 / 255).max() <= 1


def test_palette_png_expanded_through_palette(tmp_path: Path) -> None:
    idx = np.zeros((20, 30), np.uint8)
    idx[5:10, 5:20] = 1
    im = Image.fromarray(idx, mode="P")
    im.putpalette([0, 0, 0, 128, 0, 0] + [0] * (254 * 3))
    im.save(tmp_path / "p.png")
    out = read_image(tmp_path / "p.png")
    assert out.mode == "P"
    assert out.rgb[7, 10].tolist() == [128, 0, 0] and out.rgb[0, 0].tolist() == [0, 0, 0]


def test_exif_orientation_applied(tmp_path: Path) -> None:
    rgb = np.zeros((40, 60, 3), np.uint8)
    rgb[:10, :20] = (255, 0, 0)  # red block top-left of the stored pixels
    im = Image.fromarray(rgb)
    exif = im.getexif()
    exif[0x0112] = 6  # "rotate 90 CW to display"
    im.save(tmp_path / "r.jpg", exif=exif, quality=100)
    out = read_image(tmp_path / "r.jpg")
    assert out.exif_orientation == 6
    assert out.rgb.shape == (60, 40, 3)
    # after a 90 degree clockwise rotation the top-left block sits at the top-right
    assert out.rgb[5, 35, 0] > 200 and out.rgb[5, 5, 0] < 50


def test_unicode_path(tmp_path: Path) -> None:
    folder = tmp_path / "дым 煙 fumée"
    folder.mkdir()
    rgb = _gradient()
    Image.fromarray(rgb).save(folder / "kamera-Ø.png")
    np.testing.assert_array_equal(read_image(folder / "kamera-Ø.png").rgb, rgb)


def _write_bad(tmp_path: Path, kind: str) -> Path:
    if kind == "zero":
        p = tmp_path / "zero.jpg"
        p.write_bytes(b"")
    elif kind == "text":
        p = tmp_path / "notes.jpg"
        p.write_text("this is not an image\n")
    elif kind == "truncated":
        p = tmp_path / "cut.jpg"
        buf = cv2.imencode(".jpg", _gradient(256, 256))[1].tobytes()
        p.write_bytes(buf[: len(buf) // 2])
    elif kind == "truncated_png":
        p = tmp_path / "cut.png"
        buf = cv2.imencode(".png", _gradient(256, 256))[1].tobytes()
        p.write_bytes(buf[: len(buf) // 2])
    elif kind == "missing":
        p = tmp_path / "nope.png"
    elif kind == "folder":
        p = tmp_path / "dir.png"
        p.mkdir()
    else:  # garbage after a valid JPEG header
        p = tmp_path / "garbage.jpg"
        p.write_bytes(b"\xff\xd8\xff\xe0" + bytes(range(256)) * 8)
    return p


@pytest.mark.parametrize(
    ("kind", "reason_word"),
    [
        ("zero", "empty"),
        ("text", "not a recognised image"),
        ("truncated", "truncated"),
        ("truncated_png", ""),
        ("missing", "not found"),
        ("folder", "folder"),
        ("garbage", ""),
    ],
)
def test_bad_files_raise_named_error(tmp_path: Path, kind: str, reason_word: str) -> None:
    p = _write_bad(tmp_path, kind)
    with pytest.raises(ImageReadError) as info:
        read_image(p)
    assert info.value.path == p
    assert reason_word in info.value.reason
    assert str(p) in str(info.value)


def test_preview_decode_scales_jpeg_down_and_keeps_its_content(tmp_path: Path) -> None:
    y, x = np.mgrid[0:960, 0:1280]
    rgb = np.stack([x * 255 // 1279, y * 255 // 959, np.full_like(x, 90)], axis=2).astype(np.uint8)
    Image.fromarray(rgb).save(tmp_path / "big.jpg", quality=95)
    Image.fromarray(rgb).save(tmp_path / "big.png")
    preview = read_image(tmp_path / "big.jpg", min_side=128)
    assert preview.rgb.shape == (240, 320, 3)  # 1/4: at 1/8 the height (120) would fall under 128
    assert read_image(tmp_path / "big.jpg", min_side=300).rgb.shape == (480, 640, 3)  # 1/2: 1/4 is 240 high
    small = cv2.resize(read_image(tmp_path / "big.jpg").rgb, (320, 240), interpolation=cv2.INTER_AREA)
    assert np.abs(preview.rgb.astype(int) - small).mean() < 3.0  # the same picture, smaller
    assert read_image(tmp_path / "big.png", min_side=128).rgb.shape == (960, 1280, 3)  # not a JPEG: full


def test_preview_decode_keeps_exif_orientation_and_still_rejects_truncated_files(tmp_path: Path) -> None:
    rgb = np.zeros((400, 600, 3), np.uint8)
    rgb[:100, :200] = (255, 0, 0)
    im = Image.fromarray(rgb)
    exif = im.getexif()
    exif[0x0112] = 6
    im.save(tmp_path / "r.jpg", exif=exif, quality=100)
    out = read_image(tmp_path / "r.jpg", min_side=100)
    assert out.rgb.shape == (150, 100, 3) and out.exif_orientation == 6  # 1/4, then rotated upright
    assert out.rgb[10, 90, 0] > 200 and out.rgb[10, 10, 0] < 50  # the top-left block is now top-right
    with pytest.raises(ImageReadError, match="truncated"):
        read_image(_write_bad(tmp_path, "truncated"), min_side=32)


def test_demo_samples_read_as_512_rgb(demo_dir: Path) -> None:
    files = list_images(demo_dir / "JPEGImages")
    assert len(files) >= 3
    for f in files:
        out = read_image(f)
        assert out.rgb.shape == (512, 512, 3) and out.rgb.dtype == np.uint8
        # agrees with an independent decoder (OpenCV, BGR) within JPEG decoder differences
        ref = cv2.imread(str(f), cv2.IMREAD_COLOR)[:, :, ::-1]
        assert np.abs(out.rgb.astype(int) - ref.astype(int)).mean() < 1.0


def test_list_images_sorted_and_filtered(tmp_path: Path) -> None:
    for name in ["b.png", "a.JPG", ".hidden.png", "notes.txt"]:
        (tmp_path / name).write_bytes(b"x")
    assert [p.name for p in list_images(tmp_path)] == ["a.JPG", "b.png"]
