"""``fosp project``: annotation projects from the command line (init, status, pre-label, import, export
to SmokeSeg, take-over, discard-log).

    fosp project init PATH
    fosp project status PROJECT [--json]
    fosp project discard-log PROJECT (LOG ... | --all)
    fosp project take-over PROJECT [--yes]
    fosp project prelabel PROJECT [--checkpoint CKPT] [--threshold T] [--tau T] [--keep RULE] [--replace-predicted]
    fosp project import PROJECT [SOURCE] [--label NAME ...] [--overwrite] [--made-by people|model]
    fosp project export PROJECT DST [--reviewed-only] [--split 0.8,0.1,0.1 | --keep-splits | --all-train]
                        [--seed N] [--resize-512 | --resize N] [--overwrite]

PROJECT is the images folder or dataset the project belongs to (its project is its ``.fosp`` folder, or
in the user cache for the bundled demo and a folder that may not be written) or the project folder
itself. ``init`` makes the project of an images folder or dataset as the app's first opening of it
does, without a display (``fosp_core.cli.project_init``); the other actions need one.

Exit codes (:class:`fosp_core.cli.ExitCode`, the README's): 0 done, 1 the project or the export
failed (locked, read-only, a non-empty DST without --overwrite, a DST holding other files than an
earlier export, even with --overwrite, masks there but none readable) or an
import with masks it could not take (wrong size, unreadable: each named; the others imported),
2 usage: bad arguments, a missing path, a file where the folder is wanted (PROJECT; a SOURCE file that
is no labelme, COCO or CVAT file), or no project there (``fosp project init PATH`` makes it;
init: a file or a folder with no images), 3 nothing to do: no label matching an
image to import or every matching one kept (its image already edited or reviewed: said, with
--overwrite; another copy with no work this one lacks), no image to pre-label (every one has a mask; ``fosp_core.cli.project_prelabel``), no
(reviewed) mask to export (nothing written).
Images with edits not yet in their mask files (recovery logs: the app holding the project is
still writing them, or their save failed on opening) are read with those edits and named in a
note (status; ``pending_saves`` in --json) or a warning on stderr (import, export); a log holding
no usable record is no mask (an export of nothing else has nothing to do: 3).
Recovery logs that an opening could not apply are set aside (``masks/<id>.png.recovery.unapplied``)
and kept, never applied: status lists them at every opening (``unapplied_logs`` in --json) with
the command that discards one; ``discard-log`` removes those named (a LOG as status prints it, its
path or file name) or all (--all; not one its own opening set aside, never listed): 0 done, 2 a
LOG that is not one of them (nothing removed), 3 none set aside, 1 one could not be removed.
Status names what the app's opening finds in a shared project (``fosp_core.cli.project_shared``): a sync
tool's conflicted copies beside it (``conflicts`` in --json) and images with work whose file is gone
(``missing_with_work``: their names).
An import whose ``project.json`` could not be rewritten (a nearly full disk) still exits 0, with a
one-line warning: every mask is saved, its state in the project's journal.
``import`` takes a SmokeSeg/SMOKE5K dataset, a folder of masks, or labels made in other tools,
told apart by their content: a labelme folder (or one file), a COCO instances JSON, a CVAT for
images 1.1 XML (``fosp_core.annotation.foreign_labels``). Their smoke labels are those named like
"smoke", else the only one; otherwise it lists the file's labels, exits 1 and ``--label NAME``
(repeated) chooses; COCO crowd regions (``iscrowd`` 1) of a smoke label are smoke. Images of the
file that are not in the project are counted and named; those with no smoke shape are imported
as empty masks, and counted. Masks come in "edited" (people's work), "predicted" with ``--made-by
model`` (another tool's predictions). Ctrl-C while a large file is read stops at once, nothing imported.
On a terminal ``import`` counts the images done on stderr; Ctrl-C stops it between masks: the masks
imported so far are kept whole with their states, counted, and it exits as interrupted
(``fosp_core.cli.import_progress``).
``take-over`` shows who holds the project's lock and takes it from that holder once confirmed
(``fosp_core.cli.project_take_over``: 1 a live holder on this computer, named, or not confirmed).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from fosp_core.cli import ExitCode
from fosp_core.cli.exit_codes import fail
from fosp_core.cli.help_text import as_help
from fosp_core.cli.project_export import add_export
from fosp_core.cli.project_import_args import add_import, made_by_status
from fosp_core.cli.project_init import add_init
from fosp_core.cli.project_opening import PROJECT_HELP
from fosp_core.cli.project_opening import missing_path as _missing
from fosp_core.cli.project_opening import open_project as _open
from fosp_core.cli.project_opening import pending_words as _pending_words
from fosp_core.cli.project_opening import warn_pending as _warn_pending
from fosp_core.cli.project_prelabel import add_prelabel
from fosp_core.cli.project_shared import missing_with_work, shared_notes
from fosp_core.cli.project_take_over import add_take_over

if TYPE_CHECKING:  # imported where used: the annotation package loads numpy and OpenCV, not needed by --help
    from fosp_core.annotation.project import Project
    from fosp_core.annotation.recovery import UnappliedLog

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("project", help="annotation projects: init (make one without the app), status, "
                                   "pre-label, import labels, export SmokeSeg, take a project over, discard logs",
                                   description=as_help(__doc__), formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="project_command", metavar="ACTION")
    parser.set_defaults(func=lambda args: (parser.print_help(), ExitCode.USAGE)[1])
    add_init(sub)  # make the project of a folder, as the app's first opening (fosp_core.cli.project_init)

    status = sub.add_parser("status", help="images per status and where the project is")
    status.add_argument("project", metavar="PROJECT", help=PROJECT_HELP)
    status.add_argument("--json", action="store_true", help="print machine-readable JSON")
    status.set_defaults(func=_status)

    discard = sub.add_parser("discard-log", help="discard recovery logs set aside (never applied; listed by status)")
    discard.add_argument("project", metavar="PROJECT", help=PROJECT_HELP)
    discard.add_argument("logs", nargs="*", default=[], metavar="LOG", help="a log set aside, as status lists it (path or file name)")
    discard.add_argument("--all", action="store_true", help="every log set aside in the project")
    discard.set_defaults(func=_discard_log)
    add_take_over(sub)  # take a project over from the holder of its lock (fosp_core.cli.project_take_over)
    add_prelabel(sub)  # the model's mask for every image without one (fosp_core.cli.project_prelabel)

    add_import(sub, _import)  # its arguments: fosp_core.cli.project_import_args

    add_export(sub)  # write the masks as a SmokeSeg dataset (fosp_core.cli.project_export)


def _status(args: argparse.Namespace) -> int:
    from fosp_core.annotation.document import Status

    project = _open(args.project)
    if isinstance(project, int):
        return project
    try:
        counts = Counter(e.status.value for e in project.entries)
        unapplied = project.unapplied_logs()
        missing = [e.id for e in project.entries if not project.image_path(e.id).is_file()]
        with_work = missing_with_work(project, missing)
        info = {"project": str(project.folder), "images_root": str(project.images_root),
                "images": len(project.entries), "status": {s.value: counts.get(s.value, 0) for s in Status},
                "locked": project.locked_by.describe() if project.locked_by else None,
                "pending_saves": list(project.pending_logs),
                "recovery_problems": [problem.describe() for problem in project.recovery_problems],
                "unapplied_logs": [{"image": u.image_id, "path": str(u.path)} for u in unapplied],
                "missing_images": missing,
                "conflicts": [str(path) for path in project.conflicts],  # a sync tool's copies, in no image's state
                "missing_with_work": [project.entry(image_id).image for image_id in with_work]}
        if args.json:
            print(json.dumps(info, indent=1))
        else:
            print(f"project  {info['project']}")
            print(f"images   {info['images']} in {info['images_root']}")
            for name, n in info["status"].items():
                print(f"  {name:<10} {n}")
            if info["locked"]:
                print(f"note: {info['locked']}")
            if project.pending_logs:
                print(f"note: {_pending_words(project)}")
            for problem in info["recovery_problems"]:
                print(f"note: {problem}")
            _print_unapplied(project.folder, unapplied)
            with_work_set = set(with_work)
            for note in shared_notes(project, with_work):  # what the app says at its opening of a shared project
                print(f"note: {note}")
            if missing := [i for i in missing if i not in with_work_set]:  # an export leaves them out, masks and all
                other = " other" if with_work else ""
                print(f"note: {len(missing)}{other} image file(s) not found (renamed, moved or deleted since the project "
                      f"listed them; an export leaves them out): {', '.join(str(project.image_path(i)) for i in missing[:5])}"
                      + (", ..." if len(missing) > 5 else ""))
        return ExitCode.OK
    finally:
        project.close()


def _print_unapplied(folder: Path, unapplied: list[UnappliedLog]) -> None:
    """The logs set aside, one a line, and how to discard one."""
    from fosp_core.annotation.recovery_state import discard_command, unapplied_lines

    if not unapplied:
        return
    print(f"note: {len(unapplied)} recovery log(s) set aside, never applied (edits an opening could not "
          f"apply after a crash; kept until you discard them):")
    print("\n".join(unapplied_lines(folder, unapplied)))
    if len(unapplied) > 1:
        print(f"  discard all: {discard_command(folder, None)}")


def _discard_log(args: argparse.Namespace) -> int:
    from fosp_core.annotation.recovery import read_log_checked

    if not args.logs and not args.all:
        print("error: name a LOG to discard (as `fosp project status` lists it) or --all", file=sys.stderr)
        return ExitCode.USAGE
    project = _open(args.project)
    if isinstance(project, int):
        return project
    try:
        unapplied = project.unapplied_logs()
        by_name = {log.path.name: log for log in unapplied}
        by_path = {log.path.resolve(): log for log in unapplied}
        # --all is what status listed: a log this very opening set aside (a crash since) was never shown
        fresh = {p.log for p in project.recovery_problems if p.log is not None}
        chosen = [log for log in unapplied if log.path not in fresh] if args.all else []
        if args.all:
            from fosp_core.annotation.recovery_state import discard_command

            for log in unapplied:
                if log.path in fresh:
                    print(f"kept {log.path} (image {log.image_id}): set aside by this opening, never listed; "
                          f"look at it, then: {discard_command(project.folder, log.path)}", file=sys.stderr)
        for name in args.logs:  # every name checked before any log is removed
            log = by_name.get(name) or by_path.get(Path(name).resolve())
            if log is None:
                print(f"error: {name}: not a recovery log set aside in {project.folder} (`fosp project status` "
                      f"lists them); nothing discarded", file=sys.stderr)
                return ExitCode.USAGE
            chosen.append(log)
        if not chosen:
            print(f"no recovery log set aside in {project.folder}: nothing to discard", file=sys.stderr)
            return ExitCode.NOTHING_TO_DO
        failed = False
        for log in dict.fromkeys(chosen):
            records = len(read_log_checked(log.path).records)
            try:
                log.path.unlink()
            except OSError as exc:
                print(f"error: {log.path}: cannot remove it ({exc.strerror or exc})", file=sys.stderr)
                failed = True
                continue
            print(f"discarded {log.path} (image {log.image_id}: {records} readable commit(s), never applied)")
        return ExitCode.FAILED if failed else ExitCode.OK
    finally:
        project.close()


def _warn_if_behind(project: Project) -> None:
    """One line on stderr when ``project.json`` could not be rewritten (its last try, at close,
    failed): the saves are in the journal, nothing is lost; the exit code is not changed by it."""
    from fosp_core.annotation.project import JOURNAL_FILE, PROJECT_FILE

    error = project.compaction_error
    if error is not None:
        print(f"warning: {project.folder / PROJECT_FILE} could not be updated "
              f"({error.reason.removeprefix('cannot write: ')}); the edits are safe in its journal "
              f"({project.folder / JOURNAL_FILE}): free disk space, the project is brought up to date "
              f"when it is next opened", file=sys.stderr)


def _not_labels(source: str, project: str) -> str:
    """The error for a SOURCE file that is no labelme, COCO or CVAT file: what it reads, and a mask's folder."""
    import shlex

    from fosp_core.annotation.labels import MASK_EXTENSIONS

    path = Path(source)
    if path.suffix.lower() in MASK_EXTENSIONS:
        return (f"{source}: one mask file; masks are imported from their folder, each named after its image: "
                f"fosp project import {shlex.quote(project)} {shlex.quote(str(path.parent))} (a file SOURCE is a "
                "labelme .json, a COCO instances .json or a CVAT for images .xml)")
    return (f"{source}: a file, but not a labels file this reads (a labelme .json, a COCO instances .json, a CVAT "
            "for images 1.1 .xml); masks are imported from their folder")


def _import(args: argparse.Namespace) -> int:
    from fosp_core.annotation.entries import ProjectError
    from fosp_core.annotation.foreign_import import no_smoke_note
    from fosp_core.annotation.foreign_labels import FORMAT_NAMES, ReadCancelled, read_foreign
    from fosp_core.annotation.project_merge import ProjectImportReport
    from fosp_core.cli.import_progress import TtyProgress, stop_on_interrupt
    from fosp_core.data.datasets import DatasetError

    if (code := _missing(args.project, args.source)) is not None:
        return code
    project = _open(args.project)
    if isinstance(project, int):
        return project
    try:
        if project.read_only:
            print(f"error: the project is read-only: {project.read_only_reason}", file=sys.stderr)
            return ExitCode.FAILED
        _warn_pending(project)
        progress = TtyProgress()
        with stop_on_interrupt() as stop:  # Ctrl-C: stops between masks
            try:
                source = args.source  # a labelme/COCO/CVAT one read here: Ctrl-C gives the read up
                if source is not None:
                    source = read_foreign(Path(source), stop.is_set) or source
                    if isinstance(source, str) and Path(source).is_file():  # no labels file this reads
                        return fail(_not_labels(source, args.project), ExitCode.USAGE)
                report = project.import_labels(source, overwrite=args.overwrite, labels=args.labels,
                                               progress=progress, cancelled=stop.is_set, status=made_by_status(args))
            finally:
                progress.end()
        example = next(iter(project.ids), None)
    except (ProjectError, DatasetError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return ExitCode.FAILED
    except ReadCancelled:  # Ctrl-C while a big labels file was parsed: nothing was written
        print(f"interrupted while reading {args.source}: nothing imported", file=sys.stderr)
        return ExitCode.INTERRUPTED
    finally:
        project.close()
    _warn_if_behind(project)
    if report.cancelled:
        print(f"interrupted: imported {len(report.imported)} mask(s), {report.not_reached} image(s) not reached; "
              "run the import again to go on", file=sys.stderr)
        return ExitCode.INTERRUPTED
    form = getattr(report, "format", "")
    unmatched: list[str] = getattr(report, "unmatched", [])
    if form:
        print(f"{FORMAT_NAMES.get(form, form)} labels; smoke: {', '.join(report.smoke_labels) or 'none'}"
              + (f"; ignore (255): {', '.join(report.ignore_labels)}" if report.ignore_labels else ""))
    if unmatched:
        print(f"{len(unmatched)} image(s) of the source are not in the project: {', '.join(unmatched[:5])}"
              f"{', ...' if len(unmatched) > 5 else ''}")
    for note in getattr(report, "notes", []):
        print(f"  {note}")
    if (empty := no_smoke_note(report)) is not None:
        print(f"  {empty}")
    if not report.imported and not report.skipped:
        if isinstance(report, ProjectImportReport):  # another copy's project: matched, but the same work
            print(f"nothing imported: the other copy ({args.source}) has no work this project lacks (its images' "
                  "masks are the same here, or unlabelled there)", file=sys.stderr)
            return ExitCode.NOTHING_TO_DO
        where = args.source if args.source is not None else "the project's reference labels"
        hint = (f"an image matches by its file name or stem: {example}" if form else
                f"a mask matches by the image's name: {example}.png, in the folder or its SegmentationClass/")
        print(f"no {'image' if form else 'mask'} in {where} is named after an image of the project, nothing "
              f"imported ({hint})", file=sys.stderr)
        return ExitCode.NOTHING_TO_DO
    if report.imported or report.failed:
        print(f"imported {len(report.imported)} mask(s)" + (" as predicted" if args.made_by == "model" else ""))
    for sample_id, reason in report.skipped:
        print(f"  skipped {sample_id}: {reason}")
    # a mask kept because the image was already edited is the user's choice; a failed one (a wrong
    # size, an unreadable file) is an input that failed: exit 1, as README's table says
    if report.failed:
        failed = [i for i, _ in report.failed]
        print(f"{len(failed)} mask(s) could not be imported: {', '.join(failed[:5])}"
              f"{', ...' if len(failed) > 5 else ''}", file=sys.stderr)
        return ExitCode.FAILED
    if not report.imported:  # every matching mask kept (people's work here): nothing written, as README's table says
        n, merged = len(report.kept), isinstance(report, ProjectImportReport)
        why = ("people's work here that differs from the other copy's" if merged else
               f"{'its image is' if n == 1 else 'their images are'} already edited or reviewed here")
        print(f"nothing imported: {'the 1 matching mask was' if n == 1 else f'the {n} matching masks were'} kept "
              f"({why}); --overwrite replaces them", file=sys.stderr)
        return ExitCode.NOTHING_TO_DO
    return ExitCode.OK
