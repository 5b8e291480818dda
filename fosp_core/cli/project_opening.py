"""Opening an annotation project from the command line, shared by ``fosp project`` and its take-over
subcommand: the project of a path, or the exit code after saying why not."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from fosp_core.cli.exit_codes import ExitCode

if TYPE_CHECKING:
    from fosp_core.annotation.project import Project

__all__ = ["open_project"]


def open_project(path: str) -> Project | ExitCode:
    """The project of `path`, or the exit code after saying why not: USAGE when there is none (a path
    without a project, as a missing path), FAILED when it cannot be opened."""
    from fosp_core.annotation.entries import ProjectError
    from fosp_core.annotation.project import PROJECT_FILE, Project, default_location

    where = Path(path) if (Path(path) / PROJECT_FILE).is_file() else default_location(path)  # as Project.open
    if not (where / PROJECT_FILE).is_file():
        print(f"error: {path}: no annotation project (open the images in the app first)", file=sys.stderr)
        return ExitCode.USAGE
    try:
        return Project.open(path, create=False)
    except ProjectError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return ExitCode.FAILED
