"""``fosp project take-over PROJECT [--yes]``: take a project over from the holder of its lock.

A project whose lock was written on another computer (a shared or network folder) cannot be
checked from here: that FoSp Studio may still run, or may have crashed. This command shows the
holder and, once the user confirms (``--yes``: without asking), takes the lock from that holder
only - not from another process that took it since - and releases it, so the project opens
writable in the app. A holder on this computer that still runs is refused (exit 1, named); one
that has ended is taken without asking. Exit codes: 0 taken over, 1 refused (a live holder here,
the lock taken by another since, not confirmed), 2 no project, 3 the project was not locked.
"""

from __future__ import annotations

import argparse
import sys

from fosp_core.cli import ExitCode
from fosp_core.cli.project_opening import PROJECT_HELP

__all__ = ["add_take_over"]


def add_take_over(sub: argparse._SubParsersAction) -> None:
    """Add ``take-over`` to the ``fosp project`` subcommands."""
    take = sub.add_parser("take-over", help="take a project over from the holder of its lock "
                                            "(a FoSp Studio on another computer that no longer runs)")
    take.add_argument("project", metavar="PROJECT", help=PROJECT_HELP)
    take.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    take.set_defaults(func=_take_over)


def _confirm(question: str) -> bool:
    """Ask `question` on stderr; True for y/yes (no answer: end of input, no)."""
    print(f"{question} [y/N] ", end="", file=sys.stderr, flush=True)
    answer = sys.stdin.readline()
    return answer.strip().lower() in ("y", "yes")


def _take_over(args: argparse.Namespace) -> int:
    from fosp_core.annotation.entries import ProjectError
    from fosp_core.annotation.project import Project
    from fosp_core.cli.project_opening import open_project as _open

    project = _open(args.project)
    if isinstance(project, ExitCode):
        return project
    owner, reason, folder = project.locked_by, project.read_only_reason, project.folder
    took = project.lock.took_over if project.lock is not None else None
    project.close()
    if reason is None:
        if took is not None:
            print(f"{folder}: took over a lock left by pid {took.pid} on host {took.host}, which has ended; released")
            return ExitCode.OK
        print(f"{folder}: not locked: nothing to take over")
        return ExitCode.NOTHING_TO_DO
    if owner is None:
        print(f"error: {folder}: read-only ({reason})", file=sys.stderr)
        return ExitCode.FAILED
    holder = owner.describe().split(";")[0]
    if not owner.elsewhere:
        print(f"error: {folder}: {holder}, a process of this computer that still runs: close FoSp Studio "
              "there (it is never taken over)", file=sys.stderr)
        return ExitCode.FAILED
    print(f"{folder}: {holder}, on another computer: this one cannot tell whether FoSp Studio still runs there; "
          "take it over only if it does not (two programs saving one project overwrite each other's masks)")
    if not args.yes and not _confirm("Take the project over?"):
        print("error: not taken over", file=sys.stderr)
        return ExitCode.FAILED
    try:
        taken = Project.open(folder, create=False, break_lock=owner)
    except ProjectError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return ExitCode.FAILED
    now = taken.read_only_reason
    taken.close()
    if now is not None:
        print(f"error: {folder}: not taken over: {now}", file=sys.stderr)
        return ExitCode.FAILED
    print(f"{folder}: taken over from pid {owner.pid} on host {owner.host}; released: the project opens writable")
    return ExitCode.OK
