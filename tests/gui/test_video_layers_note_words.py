"""The Layers list's empty note says the same thing in video mode as for images, of a frame: it read
"The model's maps of the frame shown show here once playback rests on a frame", where the image's says
"The model's maps of this image show here once it has run"."""

from __future__ import annotations

from app.analysis.layer_list import EMPTY_TEXT
from app.video.frame_layer_parts import VIDEO_EMPTY_TEXT


def test_the_video_note_reads_as_the_image_note() -> None:
    image_lead = EMPTY_TEXT.split(" show here")[0]  # "The model's maps of this image"
    assert VIDEO_EMPTY_TEXT.startswith(image_lead.replace("image", "frame") + " show here once"), VIDEO_EMPTY_TEXT
