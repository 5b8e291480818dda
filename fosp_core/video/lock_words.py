"""The words of a video folder's lock (`fosp_core.video.folder_lock`): why annotations are read-only (held by
another program or window, `held_by`; still being saved by an opening left to its saves, `still_saving`) and why
a save was refused once the lock was lost (`refusal`)."""

from __future__ import annotations

import os
from pathlib import Path

from fosp_core.annotation.storage import LockInfo

__all__ = ["REMOVED_TAIL", "TAKEN", "held_by", "refusal", "still_saving"]


def still_saving(folder: Path) -> str:
    """Why an opening is read-only while an earlier opening of its folder, closed, still has saves under way."""
    return (f"its last edits are still being saved by its previous opening (the disk of {folder} does not "
            "answer): open it again once they are on disk (the status bar says when)")


#: how `read_only_reason` starts once another program took the lock over (`_lost`)
TAKEN = "taken over since it was opened:"
#: what to do once the lock file was removed (`_lost`, `refusal`)
_REOPEN = "open the video again (Annotate ▸ Take Over…) to edit it here"
#: how `read_only_reason` ends once the lock file was removed (`_lost`); `refusal` takes it off to say what happened
REMOVED_TAIL = f": another program may write its annotations now; {_REOPEN}"


def refusal(lost: tuple[str, LockInfo | None], rescued: Path | None, empty: bool = False) -> str:
    """The words of a save refused because the lock was `lost`, its mask `rescued` there (None: not); `empty`:
    the frame was left with no mask (an undo back to none, everything erased), which no rescue holds."""
    if empty:
        where = ("the frame's mask in the folder is left as it was; its state here (no mask) is shown until the "
                 "video closes")
    elif rescued is not None:
        where = f"its mask is kept in {rescued}"
    else:
        where = "it is kept in the open frame only: copy it elsewhere before closing the video"
    if lost[1] is None:  # the lock file removed: its words say "since it was opened" once
        what = lost[0].removesuffix(REMOVED_TAIL).removeprefix("its ")  # "lock file (PATH) was removed since ..."
        return (f"not saved: the video's {what}, so another program may write its annotations now: nothing of it "
                f"was written, {where}; {_REOPEN}")
    why = lost[0].removeprefix(f"{TAKEN} ")  # who holds it now: not "taken over since it was opened" twice
    return f"not saved: the video's annotations were taken over since it was opened ({why}); nothing of it was written, {where}"


def _checked(owner: LockInfo) -> bool:
    """Whether `owner`'s process of this computer is known to be the lock's holder: its start recorded and
    matching the process that has its number now (not: a lock without it, macOS or an older version's; a
    process whose start cannot be read here; a start of another or an unknown boot). `LockInfo.describe`'s rule
    for "end process N": `LockInfo.start_checked`."""
    return owner.start_checked


def held_by(owner: LockInfo, lock_file: Path) -> str:
    """Why annotations locked by `owner` (in `lock_file`) are read-only, for the user: who holds them, what to
    do (a holder that is this very process: another owner, another window; one whose number cannot be checked
    is never to be ended, as `LockInfo.describe` says for projects)."""
    who = owner.describe().split(";", 1)[0]  # "locked by pid N on host H (user U, since ...)"
    if owner.elsewhere:
        return (f"{who}; it is another computer, whose programs cannot be checked from here: if FoSp Studio no "
                f"longer runs there, take the video over: Annotate ▸ Take Over… in FoSp Studio here")
    if owner.pid == os.getpid():
        return (f"{who}; that is this very program, in another window: edit the video there, or close it there "
                "and choose Annotate ▸ Take Over… here")
    if not _checked(owner):  # its number alone: it may be another program's now
        return (f"{who}; a program of this computer that still runs: to edit the video here, close it there (quit "
                f"FoSp Studio), then choose Annotate ▸ Take Over…. If no FoSp Studio or fosp command runs here, "
                f"process {owner.pid} is another program that got its number after a crash: delete the lock file "
                f"({lock_file}), then open the video again")
    return (f"{who}; a program of this computer that still runs: to edit the video here, close it there (quit "
            f"FoSp Studio, or end process {owner.pid}), then choose Annotate ▸ Take Over…")
