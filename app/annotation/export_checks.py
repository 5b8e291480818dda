"""The image Export dialog's checks of its destination (`app.annotation.export_dialog`), none on the GUI thread
but the one of the text typed:

- `typed_problem`: the text alone (no disk read): blank, or not a full path (it would be the folder the app was
  started from, which the user never sees);
- `browsed_check`: a folder browsed to holds the project's own files (`project_destination_problem`), is the
  dataset a running fine-tune trains on (`fosp_core.annotation.export_reading`: the app's own, which
  `app.training.running` names, or a ``fosp train``'s marker) or holds the user's own files (which Replace
  would delete), said as soon as known; run by `app.destination_checks` (one check at a
  time per parent folder);
- `export_refusal`: Export's own check (`app.annotation.export_worker.destination_refusal`), run the same way
  before the export's worker starts on the pool.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from app.annotation import export_worker
from app.annotation.export_worker import ExportOptions
from fosp_core.annotation.export_target import project_destination_problem
from fosp_core.annotation.project import Project
from fosp_core.train.run_reading import RunReading

__all__ = ["browsed_check", "export_refusal", "typed_path", "typed_problem"]


def typed_path(text: str) -> Path:
    """The folder the destination typed, `text`, names: the spaces around it dropped (pasted with the path; those
    inside are the folder's own), ``~`` expanded; a ``~user`` of no user here stays as typed (`typed_problem`
    says why). Reads nothing: the GUI thread."""
    text = text.strip()
    try:
        return Path(text).expanduser()
    except RuntimeError:  # "~out/x": no home for it; refused by typed_problem before anything is written
        return Path(text)


def typed_problem(text: str, beside: Path) -> str | None:
    """Why the destination typed, `text` (the spaces around it dropped), is no folder to export to, or None; a
    relative one is shown as the folder of that name in `beside` (the suggested destination's folder). Reads
    nothing: the GUI thread."""
    text = text.strip()  # pasted with spaces around it: the path is what is between (`typed_path`)
    if not text:
        return "Type the folder to export to, or press Browse\u2026"
    try:
        path = Path(text).expanduser()
    except RuntimeError:  # "~out/x" (for "~/out/x"): the home of a user "out", who is not here
        user, _, rest = text.partition("/")
        return (f"{text}: there is no user {user[1:]} here, whose home {user} would be: type the folder's whole "
                f"path (e.g. ~/{user[1:]}{'/' if rest else ''}{rest}) or press Browse\u2026")
    if not path.is_absolute():
        return f"{text} is not a full path: type the folder's whole path (e.g. {beside / text}) or press Browse\u2026"
    return None


def export_refusal(project: Project, options: ExportOptions,
                   app_runs: Sequence[RunReading] = ()) -> tuple[str | None]:
    """On the check's thread: (why Export refuses `options.dst`, or None,) (`destination_refusal`; `app_runs`: the
    app's running fine-tunes, `app.training.running.app_readings` as Export was pressed); raises as it does (the
    answer is None then: the worker checks again and says why)."""
    return (export_worker.destination_refusal(project, options, app_runs),)


def browsed_check(project: Project, folder: str, app_runs: Sequence[RunReading] = ()) -> tuple[str, str | None]:
    """On the check's thread: (folder, why `project` cannot be exported there whether Replace is ticked or not, in
    the dialog's words, or None): it holds the project's own files (`project_destination_problem`), a running
    fine-tune trains on it (`app_runs` as in `export_refusal`, and the markers) or it holds the user's own files
    (`refusal_words`); a check that fails says nothing (Export's own check will)."""
    try:
        dst = Path(folder)
        return folder, export_worker.refusal_words(dst, project_destination_problem(project, dst), True, app_runs)
    except Exception:  # noqa: BLE001 - the export's check says why
        return folder, None
