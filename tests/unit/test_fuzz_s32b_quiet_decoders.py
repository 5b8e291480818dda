"""A damaged TIFF that Pillow refuses goes to OpenCV's decoder, whose libtiff printed its complaints on stderr
("[ERROR:0@0.1] global grfmt_tiff.cpp:117 TIFF_Error TIFFFetchNormalTag: Incorrect count for
"ImageWidth"", and "can't read header" lines from imdecode): in `fosp`'s output beside our own error, in the
app's terminal. `read_image` says why in its error alone; OpenCV's log level is given back after."""

from __future__ import annotations

import io
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image

from fosp_core.io.images import ImageReadError, read_image


def _damaged_tiff(path: Path) -> Path:
    """A TIFF whose first tag (ImageWidth) has a count of thousands: Pillow cannot read it, OpenCV tries."""
    buffer = io.BytesIO()
    Image.fromarray((np.arange(48 * 64 * 3).reshape(48, 64, 3) % 251).astype(np.uint8)).save(buffer, "TIFF")
    data = bytearray(buffer.getvalue())
    data[15] = 184
    path.write_bytes(bytes(data))
    return path


def test_opencv_says_nothing_of_a_damaged_tiff(tmp_path: Path, capfd: pytest.CaptureFixture) -> None:
    before = cv2.utils.logging.getLogLevel()
    capfd.readouterr()
    with pytest.raises(ImageReadError, match="not a recognised image format"):
        read_image(_damaged_tiff(tmp_path / "damaged.tif"))
    assert capfd.readouterr().err == ""
    assert cv2.utils.logging.getLogLevel() == before
