"""Text files and empty files named like videos: refused in words that say what they are (a Git LFS pointer
whose video was never downloaded, an HTML error page a failed download saved, JSON, plain text), where they
were told "not a readable video: the container or codec is not supported, or the file is damaged"."""

from __future__ import annotations

from pathlib import Path

import pytest

from fosp_core.infer.video import VideoReadError, probe_video
from fosp_core.io.media_sniff import HEAD_BYTES, describe_text, not_a_video
from fosp_core.video.reader import open_video
from tests.odd_inputs import VIDEOS, write_video

LFS_POINTER = ("version https://git-lfs.github.com/spec/v1\n"
               "oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\n"
               "size 41234567\n")
HTML_PAGE = ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n  <meta charset=\"utf-8\">\n"
             "  <title>\n    404 Not Found\n  </title>\n</head>\n<body><h1>Not Found</h1></body>\n</html>\n")


def _refusals(path: Path) -> list[str]:
    """The reasons the app's video reader and the CLI's prober give for `path`."""
    reasons = []
    for opener in (open_video, probe_video):
        with pytest.raises(VideoReadError) as caught:
            opener(path)
        reasons.append(caught.value.reason)
    return reasons


def test_a_git_lfs_pointer_says_the_video_was_not_downloaded(tmp_path: Path) -> None:
    path = tmp_path / "clip.mp4"
    path.write_text(LFS_POINTER)
    for reason in _refusals(path):
        assert reason.startswith("not a video: clip.mp4 is a Git LFS pointer: the video (41.2 MB) was not downloaded")
        assert "git lfs pull" in reason


def test_an_html_error_page_saved_as_mp4_names_its_title(tmp_path: Path) -> None:
    path = tmp_path / "download.mp4"
    path.write_text(HTML_PAGE)
    assert _refusals(path) == ['not a video: download.mp4 is an HTML page ("404 Not Found"): a web page saved '
                               "under the video's name (a failed download?)"] * 2


@pytest.mark.parametrize(("content", "said"), [
    ('{"error": "not found", "code": 404}', 'a JSON file beginning "{"error": "not found", "code": 404}"'),
    ('<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code></Error>\n',
     'an XML file beginning "<Error><Code>AccessDenied</Code></Error>"'),
    ("\n\nthese are my notes about the fire,\nnot a video\n", 'a text file beginning "these are my notes about the fire,"'),
    ("Fumée légère au-dessus\u00a0de la crête " * 10, 'a text file beginning "Fumée légère au-dessus de la crête Fumée légère au-dessus d…"'),
], ids=["json", "xml", "notes", "french"])
def test_other_text_is_told_with_its_first_line(tmp_path: Path, content: str, said: str) -> None:
    path = tmp_path / "clip.mkv"
    path.write_text(content, encoding="utf-8")
    assert _refusals(path) == [f"not a video: clip.mkv is {said}"] * 2


def test_an_empty_file_is_told_empty_by_the_sniffer_too(tmp_path: Path) -> None:
    path = VIDEOS["zero_byte_mp4"](tmp_path)
    assert not_a_video(path) == "not a video: empty.mp4 is empty (0 bytes)"
    assert all("empty" in reason for reason in _refusals(path))


def test_text_cut_inside_a_character_at_the_read_limit_is_still_text() -> None:
    head = ("a" * (HEAD_BYTES - 1) + "é").encode("utf-8")[:HEAD_BYTES]  # é's second byte cut off
    assert describe_text(head, whole=False) is not None
    assert describe_text(head, whole=True) is None  # a whole file ending so is no UTF-8


@pytest.mark.parametrize("head", [
    bytes(range(256)) * 16,  # binary junk
    b"\x1aE\xdf\xa3" + b"\x00" * 60,  # Matroska / WebM
    b"RIFF\x24\x10\x00\x00AVI LIST",  # AVI
    b"YUV4MPEG2 W64 H48 F10:1 Ip A1:1 C420jpeg\nFRAME\n" + b"A" * 200,  # raw video with a text header
    b"\x00\x00\x01\xba" + b"D" * 20,  # MPEG program stream
    b"   \n\t\n",  # blanks only: nothing to name
], ids=["junk", "matroska", "avi", "y4m", "mpeg-ps", "blanks"])
def test_binary_starts_are_no_text(head: bytes) -> None:
    assert describe_text(head) is None


def test_a_real_video_is_not_refused(tmp_path: Path) -> None:
    path = write_video(tmp_path / "real.mp4", 3)
    assert not_a_video(path) is None
    assert open_video(path).meta.frame_count == 3
