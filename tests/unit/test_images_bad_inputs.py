"""Image-loading QA: the odd files a user's folder holds (16-bit, CMYK, EXIF-rotated, truncated,
misnamed ...), each read as the module docstring of :mod:`fosp_core.io.images` promises, with the
same upright shape for the pixels, the header size, the preview, the mask and the export."""

from __future__ import annotations

import io
import warnings
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image, ImageFile

from fosp_core.annotation import tools
from fosp_core.annotation.document import Status
from fosp_core.annotation.export import export_smokeseg
from fosp_core.annotation.labels import image_size as labels_image_size
from fosp_core.annotation.project import Project
from fosp_core.data.datasets import header_size, open_dataset
from fosp_core.io import images
from fosp_core.io.images import ImageReadError, ReadCancelled, image_size, read_image
from tests.big_png import write_big_png


def _gradient(h: int = 48, w: int = 64) -> np.ndarray:
    """RGB uint8 HxWx3, distinct per channel and per position (swaps and flips show)."""
    y, x = np.mgrid[0:h, 0:w]
    return np.stack([(x * 4) % 256, (y * 5) % 256, ((x + y) * 3) % 256], axis=2).astype(np.uint8)


# ------------------------------------------------------------------------------ 16-bit samples
def _write_16bit(path: Path, layout: str) -> np.ndarray:
    """Write a 16-bit file of `layout` (gray, rgb, rgba) with OpenCV; returns its RGB(A) uint16."""
    rgb16 = _gradient().astype(np.uint16) * 257 + 3  # the low byte differs from the high one
    if layout == "gray":
        cv2.imwrite(str(path), rgb16[:, :, 0])
        return rgb16[:, :, :1]
    if layout == "rgb":
        cv2.imwrite(str(path), rgb16[:, :, ::-1])
        return rgb16
    rgba16 = np.dstack([rgb16, np.full(rgb16.shape[:2], 65535, np.uint16)])
    cv2.imwrite(str(path), rgba16[:, :, [2, 1, 0, 3]])
    return rgba16


@pytest.mark.parametrize("layout", ["gray", "rgb", "rgba"])
@pytest.mark.parametrize("ext", [".png", ".tif"])
def test_16bit_files_keep_the_high_byte_and_say_they_were_16_bit(tmp_path: Path, ext: str, layout: str) -> None:
    samples = _write_16bit(tmp_path / f"c16{ext}", layout)
    out = read_image(tmp_path / f"c16{ext}")
    expected = (samples[:, :, :3] >> 8).astype(np.uint8)
    np.testing.assert_array_equal(out.rgb, np.broadcast_to(expected, out.rgb.shape))
    assert out.bit_depth == 16, out.mode  # an RGB(A) 16-bit file said 8
    assert out.had_alpha == (layout == "rgba")


# ------------------------------------------------------------------- colour layouts
def test_cmyk_jpeg_and_its_preview_convert_to_the_picture_it_holds(tmp_path: Path) -> None:
    rgb = _gradient(96, 128)
    Image.fromarray(rgb).convert("CMYK").save(tmp_path / "cmyk.jpg", quality=100)  # Adobe (inverted) CMYK
    out = read_image(tmp_path / "cmyk.jpg")
    assert out.mode == "CMYK" and out.format == "JPEG" and out.rgb.shape == (96, 128, 3)
    assert np.abs(out.rgb.astype(int) - rgb).mean() < 3  # not inverted, channels not swapped
    preview = read_image(tmp_path / "cmyk.jpg", min_side=48)  # a 1/2 scale decode
    assert preview.rgb.shape == (48, 64, 3)
    small = cv2.resize(rgb, (64, 48), interpolation=cv2.INTER_AREA)
    assert np.abs(preview.rgb.astype(int) - small).mean() < 4


def test_grayscale_bilevel_and_gray_alpha_pngs_become_gray_rgb(tmp_path: Path) -> None:
    g = _gradient()[:, :, 0]
    Image.fromarray(g, mode="L").save(tmp_path / "l.png")
    Image.fromarray(g > 100).save(tmp_path / "one.png")
    Image.fromarray(np.dstack([g, np.full_like(g, 255)]), mode="LA").save(tmp_path / "la.png")
    for name, expected in (("l.png", g), ("one.png", np.where(g > 100, 255, 0)), ("la.png", g)):
        out = read_image(tmp_path / name)
        assert out.rgb.shape == (48, 64, 3), name
        for channel in range(3):
            np.testing.assert_array_equal(out.rgb[:, :, channel], expected, err_msg=name)
    assert read_image(tmp_path / "la.png").had_alpha


def test_palette_png_with_a_transparent_entry_is_composited_over_black(tmp_path: Path) -> None:
    idx = np.zeros((20, 30), np.uint8)
    idx[5:10, 5:20] = 1
    im = Image.fromarray(idx, mode="P")
    im.putpalette([200, 200, 200, 128, 0, 0] + [0] * (254 * 3))
    im.save(tmp_path / "p.png", transparency=0)  # entry 0 (light grey) is fully transparent
    out = read_image(tmp_path / "p.png")
    assert out.mode == "P" and out.had_alpha
    assert out.rgb[7, 10].tolist() == [128, 0, 0] and out.rgb[0, 0].tolist() == [0, 0, 0]


# ------------------------------------------------------------------------- EXIF orientation
def _upright(stored: np.ndarray, orientation: int) -> np.ndarray:
    """What a viewer shows for `stored` pixels tagged with EXIF `orientation` (1..8)."""
    transposed = stored.transpose(1, 0, 2)
    return {
        1: stored, 2: stored[:, ::-1], 3: stored[::-1, ::-1], 4: stored[::-1],
        5: transposed, 6: transposed[:, ::-1], 7: transposed[::-1, ::-1], 8: transposed[::-1],
    }[orientation]


def _save_oriented(path: Path, stored: np.ndarray, orientation: int) -> None:
    im = Image.fromarray(stored)
    exif = im.getexif()
    exif[0x0112] = orientation
    kwargs = {"quality": 100} if path.suffix == ".jpg" else {"lossless": True} if path.suffix == ".webp" else {}
    im.save(path, exif=exif, **kwargs)


@pytest.mark.parametrize("orientation", range(1, 9))
@pytest.mark.parametrize("ext", [".jpg", ".png", ".tif", ".webp"])
def test_exif_orientation_gives_one_upright_shape_to_pixels_header_size_and_preview(
    tmp_path: Path, ext: str, orientation: int
) -> None:
    stored = _gradient(40, 64)
    path = tmp_path / f"o{orientation}{ext}"
    _save_oriented(path, stored, orientation)
    expected = _upright(stored, orientation)
    out = read_image(path)
    assert out.rgb.shape == expected.shape
    assert np.abs(out.rgb.astype(int) - expected).mean() < (2 if ext == ".jpg" else 0.01)
    # the sizes a project, an import or a dataset takes from the header without decoding
    assert image_size(path) == expected.shape[:2]
    assert labels_image_size(path) == expected.shape[:2]  # a rotated TIFF came out sideways
    assert header_size(path) == expected.shape[1::-1]
    preview = read_image(path, min_side=10)
    assert (preview.height > preview.width) == (expected.shape[0] > expected.shape[1])


def _png_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    """[(type, whole chunk bytes)] of a PNG after its signature."""
    chunks, pos = [], 8
    while pos < len(data):
        length = int.from_bytes(data[pos:pos + 4], "big")
        chunks.append((data[pos + 4:pos + 8], data[pos:pos + 12 + length]))
        pos += 12 + length
    return chunks


def test_a_png_whose_exif_follows_the_pixels_gets_the_same_size_from_its_header(tmp_path: Path) -> None:
    stored = _gradient(40, 64)
    _save_oriented(tmp_path / "early.png", stored, 6)
    data = (tmp_path / "early.png").read_bytes()
    chunks = _png_chunks(data)
    exif = [c for kind, c in chunks if kind == b"eXIf"]
    rest = [c for kind, c in chunks if kind not in (b"eXIf", b"IEND")]
    iend = [c for kind, c in chunks if kind == b"IEND"]
    (tmp_path / "late.png").write_bytes(data[:8] + b"".join(rest + exif + iend))
    assert read_image(tmp_path / "late.png").rgb.shape == (64, 40, 3)
    assert image_size(tmp_path / "late.png") == (64, 40)


def test_the_header_size_of_a_png_does_not_decode_it(big_png: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """It decoded the image (seconds at 8000x8000) to look for EXIF after the pixels."""
    decodes: list[str] = []
    load = ImageFile.ImageFile.load

    def counted_load(self: ImageFile.ImageFile) -> object:
        decodes.append(str(self.filename))
        return load(self)

    monkeypatch.setattr(ImageFile.ImageFile, "load", counted_load)
    assert image_size(big_png) == labels_image_size(big_png) == (8000, 8000)
    assert decodes == []


@pytest.mark.parametrize("ext", [".jpg", ".tif"])
def test_a_rotated_image_gets_an_upright_mask_and_exports_upright(tmp_path: Path, ext: str) -> None:
    folder = tmp_path / "images"
    folder.mkdir()
    stored = _gradient(40, 64)
    _save_oriented(folder / f"rotated{ext}", stored, 6)
    upright = _upright(stored, 6)
    with Project.open(folder, tmp_path / "project") as project:
        (image_id,) = project.ids
        doc = project.open_document(image_id)  # no decoded image at hand: the header's size
        assert doc.mask.shape == upright.shape[:2]
        tools.polygon_fill(doc, [(0, 0), (39, 0), (39, 9), (0, 9)], 255)  # the top rows as shown
        doc.set_status(Status.REVIEWED)
        export_smokeseg(project, tmp_path / "out")
    sample = open_dataset(tmp_path / "out")[0]
    assert sample.image.shape == upright.shape
    assert np.abs(sample.image.astype(int) - upright).mean() < 3  # re-encoded upright, not copied
    assert sample.mask.shape == upright.shape[:2] and (sample.mask[:10] == 255).all()


# ------------------------------------------------------------------- truncated and misnamed
def _demo_jpeg(demo_dir: Path, **save: object) -> bytes:
    """A real camera picture (a demo sample) as JPEG bytes: as it is, or re-saved with `save`."""
    source = sorted((demo_dir / "JPEGImages").glob("*.jpg"))[0]
    if not save:
        return source.read_bytes()
    buf = io.BytesIO()
    Image.open(source).save(buf, format="JPEG", quality=90, **save)
    return buf.getvalue()


@pytest.mark.parametrize("kept", [0.3, 0.6, 0.95])
@pytest.mark.parametrize("save", [{}, {"optimize": True, "comment": b"an end marker \xff\xd9 in a comment"},
                                  {"progressive": True}], ids=["camera", "comment", "progressive"])
def test_a_truncated_jpeg_padded_with_zeros_is_refused(tmp_path: Path, demo_dir: Path, kept: float,
                                                       save: dict) -> None:
    # An unfinished copy or download often has its full length, the missing part zeros: the
    # decoder read the zeros as image data and returned a picture with a grey or smeared tail.
    data = _demo_jpeg(demo_dir, **save)
    cut = int(len(data) * kept)
    path = tmp_path / "unfinished.jpg"
    path.write_bytes(data[:cut] + bytes(len(data) - cut))
    for min_side in (None, 64):
        with pytest.raises(ImageReadError, match="truncated"):
            read_image(path, min_side=min_side)


@pytest.mark.parametrize("save", [{}, {"progressive": True}], ids=["camera", "progressive"])
def test_complete_jpegs_with_zeros_or_data_after_the_end_still_read(tmp_path: Path, demo_dir: Path,
                                                                    save: dict) -> None:
    data = _demo_jpeg(demo_dir, **save)
    (tmp_path / "plain.jpg").write_bytes(data)
    expected = read_image(tmp_path / "plain.jpg").rgb
    for tail in (bytes(4096), b"trailer written by a phone" * 40):
        (tmp_path / "tail.jpg").write_bytes(data + tail)
        np.testing.assert_array_equal(read_image(tmp_path / "tail.jpg").rgb, expected)


def test_files_are_read_by_content_not_by_extension(tmp_path: Path) -> None:
    rgb = _gradient()
    Image.fromarray(rgb).save(tmp_path / "really_png.jpg", format="PNG")
    Image.fromarray(rgb).save(tmp_path / "really_jpeg.png", format="JPEG", quality=100)
    out = read_image(tmp_path / "really_png.jpg")
    assert out.format == "PNG"
    np.testing.assert_array_equal(out.rgb, rgb)
    out = read_image(tmp_path / "really_jpeg.png")
    assert out.format == "JPEG" and np.abs(out.rgb.astype(int) - rgb).mean() < 2
    (tmp_path / "notes.png").write_text("not a picture")
    with pytest.raises(ImageReadError, match="not a recognised image"):
        read_image(tmp_path / "notes.png")


def test_a_folder_named_like_an_image_is_not_listed_and_not_read(tmp_path: Path) -> None:
    (tmp_path / "folder.jpg").mkdir()
    Image.fromarray(_gradient()).save(tmp_path / "real.jpg")
    assert [p.name for p in images.list_images(tmp_path)] == ["real.jpg"]
    with pytest.raises(ImageReadError, match="folder"):
        read_image(tmp_path / "folder.jpg")
    assert image_size(tmp_path / "folder.jpg") is None


def test_the_pixel_limit_holds_when_another_thread_leaves_catch_warnings_meanwhile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # warnings.catch_warnings is not thread safe: a thread that entered it before the reader and
    # leaves it while the reader is inside its own restores the filters of before, the reader's
    # "error" filter for Pillow's over-the-limit warning goes (below twice the limit Pillow only
    # warns), and the image decoded. The interleaving is played in one thread here.
    monkeypatch.setattr(images, "MAX_PIXELS", 1000)
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)
    cv2.imwrite(str(tmp_path / "big.png"), np.zeros((40, 40), np.uint8))  # 1600 px: the warning band
    other_thread = warnings.catch_warnings()
    other_thread.__enter__()
    real_open = Image.open

    def open_while_the_other_thread_leaves(*args: object, **kwargs: object) -> Image.Image:
        other_thread.__exit__(None, None, None)
        return real_open(*args, **kwargs)

    monkeypatch.setattr(Image, "open", open_while_the_other_thread_leaves)
    with pytest.raises(ImageReadError, match="too large"):
        read_image(tmp_path / "big.png")


# ---------------------------------------------------------------------------- cancellation
@pytest.fixture(scope="module")
def big_png(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An 8000 x 8000 PNG that takes seconds to decode."""
    return write_big_png(tmp_path_factory.mktemp("big") / "big.png", 8000, 8000)


def test_a_cancelled_read_stops_without_falling_back_or_reporting_an_error(
    big_png: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(images, "_decode_with_opencv", lambda *a: pytest.fail("fell back to OpenCV"))
    with pytest.raises(ReadCancelled):
        read_image(big_png, cancelled=lambda: True)
    assert not issubclass(ReadCancelled, Exception)  # no `except Exception` on the way swallows it


def test_a_read_cancelled_midway_stops_within_a_fraction_of_its_decode(big_png: Path) -> None:
    """The reader asks `cancelled` again and again while it decodes (between blocks of data) and stops
    at the first yes. Counted, not timed: a wall-clock bound flaked on a loaded 2-core machine."""
    asked = 0

    def cancelled() -> bool:
        nonlocal asked
        asked += 1
        return asked >= 3  # two blocks decoded, then the user moved on

    with pytest.raises(ReadCancelled):
        read_image(big_png, cancelled=cancelled)
    assert asked == 3  # asked during the decode, and nothing decoded after the yes
