"""Opening an annotation project from the command line, shared by ``fosp project`` and its subcommands' modules:
the project of a path, or the exit code after saying why not; the warning of edits not yet in their mask files."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from fosp_core.cli.exit_codes import ExitCode

if TYPE_CHECKING:
    from fosp_core.annotation.project import Project

__all__ = ["PROJECT_HELP", "missing_path", "open_project", "opening_notes", "pending_words", "warn_pending"]

# Each action's PROJECT: where a project lives (fosp_core.annotation.project_files.default_location)
PROJECT_HELP = ("images folder or dataset (its project: its .fosp folder, or in the user cache for the bundled demo "
                "and a folder that may not be written), or the project folder")


def missing_path(*paths: str | None) -> ExitCode | None:
    """Exit code USAGE after naming the first path given that does not exist, else None.
    (Project.open names the project folder it would use, in the user cache for a missing folder.)"""
    for path in paths:
        if path is not None and not Path(path).exists():
            print(f"error: {path}: no such file or folder", file=sys.stderr)
            return ExitCode.USAGE
    return None


def init_command(path: str) -> str:
    """The command that makes the project of `path`, as a shell takes it (named where there is none)."""
    import shlex

    return f"fosp project init {shlex.quote(path)}"


def open_project(path: str) -> Project | ExitCode:
    """The project of `path` (of its dataset for a SmokeSeg ``JPEGImages/``, as the app opens it: `folder_source`),
    or the exit code after saying why not: USAGE when the path does not exist
    or holds no project, FAILED when it cannot be opened. An opening that upgraded an older version's
    files says so on stderr, naming their backups (`fosp_core.annotation.project_upgrade`), and so
    does one that applied recovery logs a crash left (`Project.recovered`)."""
    from fosp_core.annotation.entries import ProjectError
    from fosp_core.annotation.project import PROJECT_FILE, Project, default_location
    from fosp_core.annotation.source_choice import folder_source

    if (code := missing_path(path)) is not None:
        return code
    if not Path(path).is_dir():  # a photo of the folder, a labels file: `fosp project init FILE` is refused too
        folder = Path(path).parent
        print(f"error: {path}: a file, not a folder; a project belongs to a whole folder of images or a dataset: "
              f"name that folder: {folder.absolute() if str(folder) == '.' else folder}", file=sys.stderr)
        return ExitCode.USAGE
    # a SmokeSeg dataset's JPEGImages/: the dataset's project, as the app opens it (`folder_source`)
    source = Path(path) if os.path.lexists(Path(path) / PROJECT_FILE) else folder_source(Path(path))
    # as Project.open; a project.json that is there but no file (a link leading nowhere, a folder) is left to
    # it to say what is there and what to do: "no annotation project" would advise making a new one over it
    where = source if os.path.lexists(source / PROJECT_FILE) else default_location(source)
    if not os.path.lexists(where / PROJECT_FILE):
        print(f"error: {path}: no annotation project (open the images in the app first); to make it without the "
              f"app: {init_command(path)}", file=sys.stderr)
        return ExitCode.USAGE
    try:
        project = Project.open(source, create=False)
    except ProjectError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return ExitCode.FAILED
    opening_notes(project)
    return project


def opening_notes(project: Project) -> None:
    """What the opening of `project` did besides reading it, one line each on stderr: an older version's files
    upgraded (backed up first), a crash's recovery logs applied."""
    if project.upgrade is not None:  # an older version's files rewritten, backed up first: one line
        print(f"note: {project.upgrade.describe()}", file=sys.stderr)
    if project.recovered:  # recovery logs a crash left, applied: their masks written now
        names = ", ".join(project.recovered[:5]) + (", ..." if len(project.recovered) > 5 else "")
        print(f"note: recovered the last edits of {len(project.recovered)} image(s) ({names}) from the recovery "
              f"logs a crash left (their masks had not been written)", file=sys.stderr)


def pending_words(project: Project) -> str:
    """What `Project.pending_logs` means, in one line (counted and exported with their newest masks)."""
    ids = project.pending_logs
    names = ", ".join(ids[:5]) + (", ..." if len(ids) > 5 else "")
    why = "the app holding the project is still saving them" if project.locked_by else "their save failed on opening"
    return (f"{len(ids)} image(s) with edits not yet in their mask files ({names}): {why}; read here with "
            f"those edits, from their recovery logs")


def warn_pending(project: Project) -> None:
    """One line each on stderr for the recovery logs not applied, or not applied whole (the files
    are left as they are: the command goes on)."""
    if project.pending_logs:
        print(f"warning: {pending_words(project)}", file=sys.stderr)
    for problem in project.recovery_problems:
        print(f"warning: {problem.describe()}", file=sys.stderr)
