"""Odd and hostile inputs, made on demand in a test's folder: images, masks, checkpoints, videos.

Each ``make_*`` function writes one file (or folder, link ...) of the named kind into `folder` and
returns its path; the tables say, for each kind, what a reader should do with it:

* ``IMAGES`` (`images`): kind -> ``Odd(maker, expect)``, `expect` "ok" (read_image returns an
  upright RGB image of `shape`) or a word the error must hold;
* ``MASKS`` (`masks`): mask files to import beside a 64x48 image;
* ``CHECKPOINTS`` (`checkpoints`): kind -> maker, every one of them refused by the model loader;
* ``VIDEOS`` (`videos`): kind -> maker, every one of them unreadable as a video.

Sizes are tiny (a few KB, written in milliseconds) except where size is the point (the PNG whose
header claims 100 000 x 100 000 pixels is still a few hundred bytes).
"""

from __future__ import annotations

from tests.odd_inputs.checkpoints import CHECKPOINTS, MALICIOUS_MARKER, tiny_checkpoint
from tests.odd_inputs.images import BAD_IMAGES, IMAGES, H, Odd, W, good_image, mixed_folder, picture
from tests.odd_inputs.masks import MASKS, mask01
from tests.odd_inputs.videos import VIDEOS, write_video

__all__ = ["BAD_IMAGES", "CHECKPOINTS", "H", "IMAGES", "MALICIOUS_MARKER", "MASKS", "VIDEOS", "W", "Odd",
           "good_image", "mask01", "mixed_folder", "picture", "tiny_checkpoint", "write_video"]
