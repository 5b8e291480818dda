"""The arguments of ``fosp project import`` (its run is ``fosp_core.cli.project._import``).

``--made-by people`` (the default) brings the labels in as people's work, status "edited" (ground
truth for Compare, not a model's output in the worklist); ``--made-by model`` as a model's
predictions (another tool's), status "predicted", to review like the app's own. SOURCE may also be
another copy of the project (statuses kept, a teammate's work merged) or its ``.fosp/rescued`` folder.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

from fosp_core.cli.project_opening import PROJECT_HELP

__all__ = ["add_import", "made_by_status"]


def add_import(sub: argparse._SubParsersAction, run: Callable[[argparse.Namespace], int]) -> None:
    """Add ``import`` to the ``fosp project`` subcommands, run by `run`."""
    imp = sub.add_parser("import", help="use existing labels as starting masks")
    imp.add_argument("project", metavar="PROJECT", help=PROJECT_HELP)
    imp.add_argument("source", nargs="?", default=None, metavar="SOURCE",
                     help="SmokeSeg/SMOKE5K dataset, folder of masks named by image stem, labelme folder or "
                          "file, COCO instances .json or CVAT for images .xml; or another copy of the project "
                          "(its images folder, or its .fosp folder for a dataset): a teammate's work merged, "
                          "each image with its status (docs/saving.md, \"Sharing a project with a team\"); or "
                          "the project's .fosp/rescued folder: the masks a save put there after a take-over, "
                          "each image's newest (default: the labels of the dataset the project was made from)")
    imp.add_argument("--label", action="append", metavar="NAME", dest="labels",
                     help="a label of a labelme/COCO/CVAT source that is smoke (repeat for more; default: "
                          "the labels named like 'smoke', else the only one; a COCO crowd region, iscrowd 1, of "
                          "a smoke label is smoke too: many instances of the class, still that class)")
    imp.add_argument("--overwrite", action="store_true", help="also replace masks already edited or reviewed")
    imp.add_argument("--made-by", choices=("people", "model"), default="people",
                     help="who made the labels: people (status edited, the default) or a model (its "
                          "predictions, another tool's: status predicted)")
    imp.set_defaults(func=run)


def made_by_status(args: argparse.Namespace) -> str:
    """The status (a `fosp_core.annotation.document.Status` value) the import gives its masks."""
    return "predicted" if args.made_by == "model" else "edited"
