"""A process holding a video's annotation folder finds out at its next save that its lock was taken over
(another computer's Take Over) or its lock file removed (`fosp_core.video.folder_lock`): nothing of the save
is written into the folder, the stroke's mask is rescued under ``rescued/``, the annotations turn read-only
saying why, and a ``taken_over`` event tells it. Before, the holder went on writing masks and ``video.json``
over the new holder's.

The holder is a real child process (as `tests/unit/test_video_folder_lock.py`'s); the new holder is this one.
"""

from __future__ import annotations

import json
import os
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from fosp_core.io.masks import read_mask
from fosp_core.video.folder_lock import LOCK_FILE
from tests.unit.video_holder import HOLDER_OPENS, Holder, take_over

pytestmark = pytest.mark.skipif(os.name != "posix", reason="a holder process held open through a pipe")

SHAPE = (48, 64)

HOLDER = textwrap.dedent("""
    import json, sys
    state, video, background = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
""") + HOLDER_OPENS + textwrap.dedent("""
    for line in sys.stdin:
        word = line.strip()
        if word == "stroke":
            brush(doc, [(40, 30), (50, 34)], 4)
        elif word == "keyframe":
            notes.set_keyframe(7)
        notes.finish_saves(wait=True)
        error = notes.last_error
        print(json.dumps({"read_only": notes.read_only_reason, "error": error.reason if error else None,
                          "rescued": str(getattr(error, "rescued", None) or ""),
                          "taken_over": [list(e) for e in events if e[0] == "taken_over"],
                          "keyframes": sorted(notes.keyframes)}), flush=True)
""")


@pytest.fixture(params=[True, False], ids=["background", "direct"])
def holder(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Holder]:
    with Holder(HOLDER, str(tmp_path / "state"), str(tmp_path / "cam.mp4"), "1" if request.param else "0") as held:
        yield held


def masks(state: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((state / "masks").iterdir())}


def test_a_holder_taken_over_keeps_its_stroke_out_of_the_folder_and_says_so(tmp_path: Path, holder: Holder) -> None:
    state = tmp_path / "state"
    lock = state / LOCK_FILE
    taker = take_over(state, tmp_path / "cam.mp4", SHAPE)  # as Take Over does for a holder on another computer
    assert not taker.read_only and json.loads(lock.read_text())["pid"] == os.getpid()
    before = masks(state)
    answer = holder.ask("stroke")
    assert answer["read_only"] is not None and answer["read_only"].startswith("taken over since it was opened: "
                                                                              f"locked by pid {os.getpid()}")
    assert answer["error"].startswith("not saved: the video's annotations were taken over")
    assert answer["taken_over"] == [["taken_over", 4]]
    rescued = Path(answer["rescued"])
    assert rescued.parent == state / "rescued" and rescued.name.startswith("cam_000004.")
    assert read_mask(rescued)[32, 45] == 1  # the stroke kept
    assert masks(state) == before  # nothing written into the new holder's folder
    answer = holder.ask("keyframe")  # read-only now: changes nothing on disk
    assert json.loads(lock.read_text())["pid"] == os.getpid()
    assert "keyframes" not in json.loads((state / "video.json").read_text()) or \
        7 not in json.loads((state / "video.json").read_text())["keyframes"]
    taker.release_lock()


def test_a_holder_whose_lock_file_was_removed_keeps_its_stroke_and_the_marks_out(tmp_path: Path,
                                                                               holder: Holder) -> None:
    state = tmp_path / "state"
    (state / LOCK_FILE).unlink()
    before = masks(state)
    state_file = (state / "video.json").read_bytes()
    answer = holder.ask("keyframe")  # a video.json write finds it out too
    assert answer["read_only"] is not None and "lock file" in answer["read_only"] and "removed" in answer["read_only"]
    assert answer["taken_over"] == [["taken_over", None]]
    assert (state / "video.json").read_bytes() == state_file
    answer = holder.ask("stroke")
    assert answer["error"] is not None and "read-only" in answer["error"]
    assert masks(state) == before and not (state / LOCK_FILE).exists()


def test_a_stroke_finds_a_removed_lock_file_out_and_rescues_itself(tmp_path: Path, holder: Holder) -> None:
    state = tmp_path / "state"
    (state / LOCK_FILE).unlink()
    before = masks(state)
    answer = holder.ask("stroke")
    assert "removed" in answer["read_only"] and answer["taken_over"] == [["taken_over", 4]]
    assert read_mask(Path(answer["rescued"]))[32, 45] == 1
    assert masks(state) == before
