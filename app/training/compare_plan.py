"""What the Compare dialog's next comparison runs with (`ComparePlan`, no widgets of its own): the
request its form and the Model panel's settings describe (`make_request`), the images open and how
many have a ground truth, counted in one pass over their files (`recount`), and the status line
that says both (`status_text`). The dialog (`app.training.compare_dialog`) runs the request and
shows its rows.

Ground truth (`fosp_core.analysis.compare_truth`): an image's dataset label, else - given
`projects`, the window's annotation projects - its mask in its project when a person reviewed it (or
edited it, unless the form's Ground truth says reviewed only); a predicted mask never counts.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from app.training.compare_form import CompareForm
from app.training.compare_worker import planned_device
from app.training.messages import no_home_text
from fosp_core.analysis.compare_report import CompareRequest, settings_text
from fosp_core.analysis.compare_truth import ProjectTruth, truth_counts_text
from fosp_core.analysis.settings import AnalysisSettings

__all__ = ["ComparePlan", "ProjectLookup"]

#: (annotation project, image id) of an image, or None (`ProjectRegistry.lookup`)
ProjectLookup = Callable[[Path], tuple[Any, str] | None]


class ComparePlan:
    """The next comparison of `form`'s checkpoints on `paths()` with `analysis` (the Model panel's
    settings: checkpoint A when none is typed, device, precision, threshold, τ) at `input_size`.
    projects: the window's project lookup (None: dataset labels only); project_pass(): such a lookup
    for one pass over the images (`ProjectRegistry.lookup_pass`: each folder resolved once), used
    instead of `projects` when given."""

    def __init__(self, form: CompareForm, analysis: AnalysisSettings, paths: Callable[[], Sequence[Path]],
                 input_size: int, projects: ProjectLookup | None = None,
                 project_pass: Callable[[], ProjectLookup] | None = None) -> None:
        self.form = form
        self.analysis = analysis
        self.paths = paths
        self.input_size = input_size
        self.projects = projects
        self.project_pass = project_pass
        self.counts = (0, 0)  # images open, with a ground truth: at the last recount
        self.truth_note = ""  # where that ground truth comes from, when a project's masks play a part

    def take(self, paths: Sequence[Path]) -> ProjectTruth:
        """Each image's dataset label and counting project mask, in one pass (no project: labels only)."""
        lookup = self.project_pass() if self.project_pass is not None and self.projects is not None else self.projects
        return ProjectTruth.take(paths, lookup, reviewed_only=bool(self.form.truth.currentData()))

    def project_truth(self, paths: Sequence[Path]) -> ProjectTruth | None:
        """The project masks that are ground truth for `paths` now (the form's choice), or None
        without projects."""
        return None if self.projects is None else self.take(paths)

    def recount(self) -> None:
        """Count the images open and those with a ground truth (one pass over their files)."""
        paths = list(self.paths())
        truth = self.take(paths)  # fosp_core reports what it found
        self.counts = (len(paths), truth.counted)
        self.truth_note = (f" ({truth_counts_text(paths, truth).removeprefix('ground truth: ')})"
                           if self.projects is not None and (truth.images or truth.others) else "")

    def follow_checkpoint(self) -> None:
        """A is the Model panel's checkpoint unless one was typed (the field is not empty)."""
        if not self.form.a_edit.text().strip() and self.analysis.checkpoint:
            self.form.a_edit.setText(str(self.analysis.checkpoint))

    def text(self, lead: str = "Both checkpoints run on") -> str:
        """What the next comparison runs with, from the Model panel's settings now (what
        :meth:`make_request` takes): "Both checkpoints run on CPU (Automatic), fp32, 512 px, …, τ 0.15"."""
        s = self.analysis
        return (f"{lead} {planned_device(s.device)}, {s.precision}, "
                f"{settings_text(s.input, self.input_size, s.threshold, s.keep, s.tau)} (the Model panel's settings).")

    def status_text(self) -> str:
        """The status line before a run: the images counted at the last recount, then `text`."""
        return f"{self.counts[0]} images open, {self.counts[1]} with a ground truth{self.truth_note}. {self.text()}"

    def make_request(self) -> CompareRequest | str:
        """The request the form describes, or why there is none."""
        from fosp_core.checkpoint_files import CheckpointError, resolve_checkpoint

        chosen: list[Path] = []
        for name, typed in (("A", self.form.a_edit.text().strip()), ("B", self.form.b_edit.text().strip())):
            if not typed or typed == ".":
                return f"Choose checkpoint {name}."
            no_home = no_home_text(typed, f"checkpoint {name}")  # "~out/a" (for "~/out/a"): expanduser raises
            if no_home:
                return no_home
            path = Path(typed).expanduser()  # "~/a.safetensors" is in one's home, as Fine-tune takes it
            if not path.exists():
                return f"Checkpoint {name} does not exist: {path}"
            try:  # a run folder is its weights, as `fosp compare` takes it; a folder without them says why
                chosen.append(resolve_checkpoint(path)[0])
            except CheckpointError as exc:
                return f"Checkpoint {name}: {exc}"
        a, b = chosen
        paths = tuple(self.paths())
        if not paths:
            return "Open some images first (File ▸ Open…): the checkpoints are compared on the open images."
        labelled_only = bool(self.form.scope.currentData())
        taken = self.take(paths)
        truth = taken if self.projects is not None else None
        if labelled_only and not taken.counted:
            return ("None of the open images has a ground truth (a mask in SegmentationClass/ or gt/ next to "
                    "the images, or a reviewed or edited mask in their annotation project); compare on all open "
                    "images to see where the masks disagree.")
        s = self.analysis
        return CompareRequest(paths, a, b, s.device, s.precision, s.threshold, self.input_size, labelled_only,
                              s.input, s.keep, s.tau, truth)
