"""A damaged AVIF picture or a Canon CR3 raw named like an image is not called a video.

`image_sniff._iso_kind` took every ISO media file (``....ftyp<brand>``) that is not HEIF or MP4 audio for a
video and said "open it as a video": an AVIF (Pillow here decodes a whole one; a file cut short by a
download reached the sniff) and a CR3 raw (brand ``crx ``) were told to be opened as videos, where the
user has a damaged picture or a camera raw to convert."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, features

from fosp_core.io.image_sniff import not_an_image
from fosp_core.io.images import ImageReadError, read_image


@pytest.mark.parametrize("brand", [b"avif", b"avis"])
def test_avif_bytes_are_an_avif_picture(brand: bytes) -> None:
    what = not_an_image(b"\0\0\0\x20ftyp" + brand + b"\0\0\0\0" + b"\0" * 64, whole=False)
    assert what is not None and "AVIF" in what and "video" not in what, what


def test_a_canon_raw_is_a_camera_raw() -> None:
    what = not_an_image(b"\0\0\0\x18ftypcrx \0\0\0\x01crx isom" + b"\0" * 64, whole=False)
    assert what is not None and "raw" in what and "video" not in what, what


def test_an_mp4_is_still_a_video() -> None:
    assert "a video (MP4/MOV)" in (not_an_image(b"\0\0\0\x18ftypisom\0\0\x02\0isomiso2" + b"\0" * 64) or "")


@pytest.mark.skipif(not features.check("avif"), reason="Pillow without AVIF")
def test_an_avif_cut_short_says_so(tmp_path: Path) -> None:
    buf = BytesIO()
    Image.fromarray(np.random.default_rng(0).integers(0, 255, (64, 64, 3), np.uint8)).save(buf, "AVIF")
    path = tmp_path / "photo.jpg"
    path.write_bytes(buf.getvalue()[:200])
    with pytest.raises(ImageReadError) as caught:
        read_image(path)
    assert "AVIF" in caught.value.reason and "open it as a video" not in caught.value.reason, caught.value.reason
