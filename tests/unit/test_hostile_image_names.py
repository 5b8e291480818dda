"""Files named like images that are something else: the reader says what the file is, not only that it is
"not a recognised image format (the file may be corrupt or not an image)", which sent the user hunting for
corruption in a video renamed ``.png``, an iPhone photo (HEIC) renamed ``.jpg``, a PDF or a note."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from fosp_core.io.images import ImageReadError, read_image
from tests.odd_inputs.images import picture
from tests.odd_inputs.videos import write_video


def _video_as_png(folder: Path) -> Path:
    video = write_video(folder / "clip.mp4", 3)
    return video.rename(folder / "clip.png")


def _bytes(name: str, data: bytes) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(data)
        return path
    return make


def _mkv_as_jpg(folder: Path) -> Path:
    return _bytes("clip.jpg", b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01" + b"\0" * 64)(folder)


CASES = {
    "mp4 named .png": (_video_as_png, ("a video (MP4/MOV)", "open it as a video")),
    "mkv named .jpg": (_mkv_as_jpg, ("a video (Matroska/WebM)", "open it as a video")),
    "avi named .png": (_bytes("clip.png", b"RIFF\x10\0\0\0AVI LIST" + b"\0" * 64), ("a video (AVI)",)),
    "heic named .jpg": (_bytes("IMG_0001.jpg", b"\0\0\0\x18ftypheic\0\0\0\0mif1heic" + b"\0" * 64),
                        ("an HEIC/HEIF photo", "convert it to JPEG or PNG")),
    "pdf named .png": (_bytes("scan.png", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + b"\0" * 64), ("a PDF document",)),
    "zip named .png": (_bytes("photos.png", b"PK\x03\x04" + b"\0" * 64), ("a ZIP archive",)),
    "text named .png": (_bytes("notes.png", b"plume at 14:02, north ridge\n"),
                        ('a text file beginning "plume at 14:02, north ridge"',)),
    "html named .jpg": (_bytes("photo.jpg", b"<!DOCTYPE html><html><head><title>404 Not Found</title>"),
                        ('an HTML page ("404 Not Found")',)),
}


@pytest.mark.parametrize("kind", list(CASES))
def test_a_file_named_like_an_image_says_what_it_is(tmp_path: Path, kind: str) -> None:
    make, words = CASES[kind]
    path = make(tmp_path)

    with pytest.raises(ImageReadError) as caught:
        read_image(path)

    message = str(caught.value)
    assert str(path) in message and "not a recognised image format" in message, message
    for word in words:
        assert word in message, message


def test_an_unknown_binary_keeps_the_plain_reason(tmp_path: Path) -> None:
    path = tmp_path / "noise.png"
    path.write_bytes(bytes(range(256)) * 4)

    with pytest.raises(ImageReadError) as caught:
        read_image(path)

    assert caught.value.reason == "not a recognised image format (the file may be corrupt or not an image)"


def test_a_real_image_still_reads(tmp_path: Path) -> None:
    from PIL import Image

    path = tmp_path / "ok.png"
    Image.fromarray(picture()).save(path)
    assert read_image(path).rgb.shape == picture().shape
