"""Video as a labelling subject: random-access frame readers, per-frame prediction cache, the video's
annotation state (keyframes, edited frames, per-frame masks) and export of chosen frames.

Qt-free; the app binds to these in ``app/video``.
"""

from fosp_core.video.reader import (
    FrameDecodeError,
    FrameReader,
    ImageSequenceReader,
    VideoFileReader,
    VideoMeta,
    VideoOpenError,
    is_video_path,
    open_video,
)

__all__ = ["FrameDecodeError", "FrameReader", "ImageSequenceReader", "VideoFileReader", "VideoMeta",
           "VideoOpenError", "is_video_path", "open_video"]
