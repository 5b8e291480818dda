"""The Export frames dialog's destination checks: `app.destination_checks` (one check at a time per folder
checked: the destination's parent, or the destination where it is a drive of its own; shared with the image
Export dialog), on threads named for the video's dialog."""

from __future__ import annotations

from pathlib import Path

from app.destination_checks import Check
from app.destination_checks import ask_check as _ask_check
from app.relay import ValueRelay

__all__ = ["THREAD_NAME", "ask_check"]

#: the threads the video's asks start (`app.destination_checks.ask_check`'s `name`)
THREAD_NAME = "video-export-destination-check"


def ask_check(relay: ValueRelay, number: int, dst: Path, check: Check) -> None:
    """`app.destination_checks.ask_check`, a thread it starts named `THREAD_NAME`."""
    _ask_check(relay, number, dst, check, name=THREAD_NAME)
