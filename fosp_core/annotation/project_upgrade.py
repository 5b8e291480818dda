"""Projects written by an older FoSp Studio: what opening rewrites, the backup it keeps first, the
line that says so.

What older versions left, and what opening one with this version does (``project.json`` says
``"version": 1`` in all of them):

- before the journal (up to 171a68f): ``project.json`` rewritten at every save, no ``changes.jsonl``.
  Read as it is; opening rewrites nothing.
- the first journal (cbe3d35..0a8c535): each ``changes.jsonl`` line is the bare image entry, and
  ``project.json`` has no ``"journal"`` key. Closed cleanly, such a project has no journal and is read
  as it is. Left open (a crash, a kill), its journal holds the saves since the last fold: they are
  applied as lines of generation 0 (`fosp_core.annotation.entries.is_bare_entry`) and opening for
  writing folds them into ``project.json`` and deletes the journal. That is the one migration:
  `prepare_upgrade` copies both files first to ``<name>.v1-journal0.bak`` beside them (a free
  ``-2``, ``-3`` ... when one is there already: a backup is never overwritten), and the opening
  says so (`ProjectUpgrade.describe`: the app's status bar, a line on stderr from ``fosp project``).
  A backup that cannot be written (disk full) leaves the files as they were: the project opens
  read-only, saying why (`UpgradeError`).
- journal generations (0a8c535 on), recovery logs (e34c71d on, format 1 ever since: applied by
  `fosp_core.annotation.recovery` as this version's own), mask PNGs (the SmokeSeg palette PNG since the
  first version) and lock files (older ones lack the user and the time: read as they are) need no
  migration. A read-only opening rewrites nothing, so it keeps no backup and says nothing.
"""

from __future__ import annotations

import contextlib
import errno
from dataclasses import dataclass
from pathlib import Path

from fosp_core.annotation.entries import ProjectError, is_bare_entry, journal_lines, read_json
from fosp_core.annotation.project_files import JOURNAL_FILE, PROJECT_FILE
from fosp_core.io.atomic import write_atomic

__all__ = ["BACKUP_TAG", "ProjectUpgrade", "UpgradeError", "backup_path", "bare_lines", "prepare_upgrade"]

#: names the format a backup was taken of: project format 1 with a journal of bare entries
BACKUP_TAG = "v1-journal0"
_CURRENT_LINE = b'{"generation"'  # how every journal line of this version starts


class UpgradeError(ProjectError):
    """The backup an upgrade needs could not be written: nothing was rewritten."""


@dataclass(frozen=True)
class ProjectUpgrade:
    """An opening that will rewrite an older version's files: the project `folder`, the `saves`
    (journal lines in the old format) folded into ``project.json``, and the `backups` kept of the
    files as they were (``project.json``'s, then the journal's)."""

    folder: Path
    saves: int
    backups: tuple[Path, ...]

    def describe(self) -> str:
        """One line: what was upgraded, and the backups' names."""
        names = " and ".join(path.name for path in self.backups)
        return (f"Upgraded the project {self.folder}, left open by an older FoSp Studio: its journal's "
                f"{self.saves} save{'' if self.saves == 1 else 's'} in the old format folded into "
                f"project.json; the files as they were are kept as {names}")


def bare_lines(journal: Path) -> int:
    """How many lines of the journal at `journal` are bare entries (a version before generations);
    0 when there is none or it cannot be read (the opening reads it as before)."""
    try:
        data = journal.read_bytes()
    except OSError:
        return 0
    count = 0
    for line in journal_lines(data):
        if line.startswith(_CURRENT_LINE):
            continue
        try:
            count += is_bare_entry(read_json(line))
        except ValueError:
            continue  # a torn line: skipped by the reading too
    return count


def backup_path(path: Path) -> Path:
    """The first free backup name of `path`: ``<name>.v1-journal0.bak``, then ``-2``, ``-3`` ..."""
    candidate = path.with_name(f"{path.name}.{BACKUP_TAG}.bak")
    n = 1
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.name}.{BACKUP_TAG}-{n}.bak")
    return candidate


def prepare_upgrade(folder: Path) -> ProjectUpgrade | None:
    """Before a writable opening of the project in `folder` (its lock held) rewrites an older
    version's files: back them up and return what to say; None when the project is current.
    Raises `UpgradeError` (the backups written removed again) when a backup cannot be written."""
    journal = folder / JOURNAL_FILE
    saves = bare_lines(journal)
    if not saves:
        return None
    written: list[Path] = []
    for path in (folder / PROJECT_FILE, journal):
        target = backup_path(path)
        try:
            write_atomic(target, path.read_bytes())
        except OSError as exc:
            for done in written:
                with contextlib.suppress(OSError):
                    done.unlink()
            why = "disk full" if exc.errno == errno.ENOSPC else (exc.strerror or str(exc))
            raise UpgradeError(target, f"an older FoSp Studio's journal is to be folded into project.json, "
                                       f"and its backup {target.name} cannot be written ({why}): nothing "
                                       f"rewritten; free disk space and open it again") from exc
        written.append(target)
    return ProjectUpgrade(folder, saves, tuple(written))
