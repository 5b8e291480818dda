"""Session 32 review: the mask save thread's wait has a bound (``MaskSaver.wait(timeout=...)``,
``BackgroundSaves.saves_settle``), so that Save Now (Ctrl+S) does not wait for good on a disk that does
not answer (tests/gui/test_review_s32b_save_now_dead_disk.py)."""

from __future__ import annotations

import threading
from pathlib import Path

from fosp_core.annotation.save_copies import MaskParts
from fosp_core.annotation.save_worker import SETTLE_KEY, MaskSaver, SaveJob


def test_wait_with_a_timeout_says_whether_the_saves_ended(tmp_path: Path) -> None:
    held = threading.Event()
    saver = MaskSaver(write=lambda job: held.wait())
    saver.submit(SaveJob(1, SETTLE_KEY, tmp_path / "journal", MaskParts(None), 0, 0, settles={}))
    try:
        assert saver.wait(timeout=0.1) is False  # held: not ended, and the wait came back
        assert saver.busy()
    finally:
        held.set()
    assert saver.wait(timeout=30.0) is True
    assert not saver.busy()
    saver.wait()  # no timeout: as before
    saver.stop()
