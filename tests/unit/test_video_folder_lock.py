"""A video's annotation folder is locked as an image project is (`fosp_core.video.folder_lock`).

A child process opens a video's annotations and commits a stroke the background way, its save thread held
back: the stroke's record is in the frame's recovery log, its PNG not written. Opening the same annotations
here then used to apply that log and remove it (`recover_logs`) while the child still appended to it: the
child's next commit went into a new log over a PNG this process had written, and two processes wrote one
``video.json``. Now the second opener is read-only, says who holds the folder, and touches nothing; a
crashed holder's stale lock is taken over (its log applied then), and closing releases the lock.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from fosp_core.cli import main
from fosp_core.data.datasets import open_dataset
from fosp_core.io.masks import read_mask
from fosp_core.video.folder_lock import LOCK_FILE, READ_ONLY_ASKED
from fosp_core.video.testclip import write_clip
from fosp_core.video.timeline import VideoAnnotationError, VideoAnnotations

SHAPE = (48, 64)

HOLDER = textwrap.dedent("""
    import os, sys, time
    import numpy as np
    import fosp_core.video.frame_saves as frame_saves
    from fosp_core.annotation.tools import brush
    from fosp_core.video.timeline import VideoAnnotations
    frame_saves._write_frame = lambda job: time.sleep(10**6)  # the save thread held back: PNGs not written
    state, expected, video = sys.argv[1:4]
    notes = VideoAnnotations(video, 20, (48, 64), folder=state)
    notes.save_in_background = True
    doc = notes.document(4)
    assert brush(doc, [(10, 10), (20, 12)], 3)  # r1: its record in the log, the PNG waits
    print("ready", flush=True)
    for line in sys.stdin:
        if line.strip() == "more":
            assert brush(doc, [(40, 30), (50, 34)], 4)  # r2
            np.save(expected, doc.mask)
            print("done", flush=True)
        elif line.strip() == "close":
            notes.release_lock()
            print("closed", flush=True)
        elif line.strip() == "crash":
            os._exit(0)  # the lock left behind, as a killed process leaves it
""")


class Holder:
    """The child process holding the annotations (see HOLDER)."""

    def __init__(self, state: Path, expected: Path, video: Path) -> None:
        self.proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(state), str(expected), str(video)], text=True,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     env={**os.environ, "PYTHONPATH": os.getcwd()})
        self.expect("ready")

    def expect(self, word: str) -> None:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline().strip()
        assert line == word, self.proc.stderr.read() if self.proc.stderr and not line else line

    def say(self, word: str, answer: str | None = None) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(word + "\n")
        self.proc.stdin.flush()
        if answer is not None:
            self.expect(answer)


@pytest.fixture
def holder(tmp_path: Path) -> Iterator[Holder]:
    held = Holder(tmp_path / "state", tmp_path / "expected.npy", tmp_path / "cam.mp4")
    yield held
    if held.proc.poll() is None:
        held.proc.kill()
    held.proc.wait()


def files(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (but the lock) and its bytes."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != LOCK_FILE}


def open_notes(tmp_path: Path) -> VideoAnnotations:
    return VideoAnnotations(tmp_path / "cam.mp4", 20, SHAPE, folder=tmp_path / "state")


def test_a_second_process_opens_read_only_and_leaves_the_holders_log_alone(tmp_path: Path, holder: Holder) -> None:
    state = tmp_path / "state"
    before = files(state)
    log = state / "masks" / "cam_000004.png.recovery"
    assert log.exists() and not log.with_suffix("").exists()  # r1 logged, its PNG not written
    notes = open_notes(tmp_path)
    assert files(state) == before  # the log not applied nor removed, no PNG written (both, before the lock)
    assert notes.read_only and notes.locked_by is not None and notes.locked_by.pid == holder.proc.pid
    assert f"locked by pid {holder.proc.pid}" in str(notes.read_only_reason)
    r1 = notes.load_mask(4)  # read with the log's record applied, in memory
    assert r1 is not None and r1[10, 15] == 1 and notes.edited == {4}
    with pytest.raises(VideoAnnotationError, match="read-only"):
        notes.save_mask(4, np.zeros(SHAPE, np.uint8))
    with pytest.raises(VideoAnnotationError, match="read-only"):
        notes.forget_mask(4)
    notes.set_keyframe(4)
    notes.save_state()
    assert notes.keyframes == set() and files(state) == before

    holder.say("more", "done")  # r2 appended to the log the first opener left alone
    expected = np.load(tmp_path / "expected.npy")
    assert expected[32, 45] == 1
    np.testing.assert_array_equal(open_notes(tmp_path).load_mask(4), expected)  # r1 and r2
    holder.say("crash")
    holder.proc.wait()

    taken = open_notes(tmp_path)  # the crashed holder's lock is stale: taken over, its log applied
    assert not taken.read_only and taken.lock is not None and taken.lock.took_over is not None
    assert taken.lock.took_over.pid == holder.proc.pid
    assert not log.exists() and log.with_suffix("").exists()
    np.testing.assert_array_equal(taken.load_mask(4), expected)  # nothing lost: r2 there
    taken.set_keyframe(4)
    assert open_notes(tmp_path).keyframes == {4}
    taken.release_lock()


def test_the_holder_closing_releases_the_lock(tmp_path: Path, holder: Holder) -> None:
    assert open_notes(tmp_path).read_only
    holder.say("close", "closed")
    assert not (tmp_path / "state" / LOCK_FILE).exists()
    notes = open_notes(tmp_path)
    assert not notes.read_only and notes.lock is not None and notes.lock.took_over is None
    notes.release_lock()


def test_openings_in_one_process_share_the_lock_until_the_last_is_released(tmp_path: Path) -> None:
    lock = tmp_path / "state" / LOCK_FILE
    first = open_notes(tmp_path)
    assert lock.exists() and f'"pid": {os.getpid()}' in lock.read_text()
    again = open_notes(tmp_path)  # the app prepares a video before closing the one shown
    assert not first.read_only and not again.read_only
    first.release_lock()
    assert lock.exists() and first.read_only
    again.release_lock()
    assert not lock.exists()


def test_annotations_opened_for_reading_take_no_lock_and_write_nothing(tmp_path: Path) -> None:
    notes = open_notes(tmp_path)
    notes.save_mask(2, np.ones(SHAPE, np.uint8))
    notes.release_lock()
    log = notes.mask_path(2).with_name("cam_000002.png.recovery")
    log.write_bytes(b"")  # a log a killed process left: applied by a writer only
    before = files(tmp_path / "state")
    reader = VideoAnnotations(tmp_path / "cam.mp4", 20, SHAPE, folder=tmp_path / "state", lock=False)
    assert reader.read_only_reason == READ_ONLY_ASKED and reader.labelled_frames() == [2]
    assert files(tmp_path / "state") == before and not (tmp_path / "state" / LOCK_FILE).exists()


def test_export_reads_a_video_the_app_holds_without_writing_there(tmp_path: Path, holder: Holder) -> None:
    clip = write_clip(tmp_path / "cam.mp4", frames=20, size=(SHAPE[1], SHAPE[0]))
    before = files(tmp_path / "state")
    args = ["video", "export", str(clip), str(tmp_path / "out"), "--frames", "edited", "--all-train",
            "--annotations", str(tmp_path / "state")]
    assert main(args) == 0
    assert files(tmp_path / "state") == before  # the holder's log and video.json untouched
    assert open_dataset(tmp_path / "out", "train").ids == ["cam_000004"]
    mask = read_mask(tmp_path / "out" / "SegmentationClass" / "cam_000004.png")
    assert mask[10, 15] == 1  # frame 4 as its pending commit left it (its log read, not applied)


def test_a_commit_made_while_another_process_opens_the_video_is_not_lost(tmp_path: Path, holder: Holder,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """The reviewer's case: this process opening the video reads the holder's log (r1), the holder appends
    r2 to it, this process applies r1 and removes the log (r2 in it), the holder is killed before its save
    thread writes the PNG: r2 was lost. Now this process is read-only and leaves the log alone."""
    import fosp_core.video.log_recovery as log_recovery

    real, appended = log_recovery.read_log_checked, []

    def read_then_append(path: Path):  # noqa: ANN202 - the holder commits r2 right after our read
        reading = real(path)
        if not appended:
            appended.append(path)
            holder.say("more", "done")
        return reading

    monkeypatch.setattr(log_recovery, "read_log_checked", read_then_append)
    open_notes(tmp_path)
    monkeypatch.setattr(log_recovery, "read_log_checked", real)
    if not appended:  # read-only: no log read on opening; r2 committed all the same
        holder.say("more", "done")
    holder.say("crash")
    holder.proc.wait()
    expected = np.load(tmp_path / "expected.npy")
    np.testing.assert_array_equal(open_notes(tmp_path).load_mask(4), expected)  # r1 and r2


def test_a_damaged_state_file_is_left_as_it_is_by_a_reader(tmp_path: Path) -> None:
    state = tmp_path / "state"
    state.mkdir()
    (state / "video.json").write_text("{not json")
    reader = VideoAnnotations(tmp_path / "cam.mp4", 20, SHAPE, folder=state, lock=False)
    assert (state / "video.json").read_text() == "{not json" and not (state / "video.json.damaged").exists()
    assert "could not be read" in reader.warnings[0] and "opened read-only" in reader.warnings[0]
    writer = open_notes(tmp_path)
    assert (state / "video.json.damaged").exists() and "kept as video.json.damaged" in writer.warnings[0]
    writer.release_lock()


def test_a_lock_of_another_computer_is_kept_and_says_how_to_end_it(tmp_path: Path) -> None:
    lock = tmp_path / "state" / LOCK_FILE
    lock.parent.mkdir()
    lock.write_text('{"pid": 4242, "host": "elsewhere.example", "created": 1.0, "user": "ann"}')
    notes = open_notes(tmp_path)
    assert notes.read_only and notes.locked_by is not None and notes.locked_by.host == "elsewhere.example"
    reason = str(notes.read_only_reason)
    assert reason.startswith("locked by pid 4242 on host elsewhere.example") and "Annotate ▸ Take Over…" in reason
    assert '"elsewhere.example"' in lock.read_text()
