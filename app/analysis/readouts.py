"""Readouts of the analysis view: the values under the mouse (a status-bar label) and the scores in
the metrics box (this image, and every open labelled image scored, per size bucket).

:class:`ScoreReadout` scores each result once per (threshold, region rule) as it arrives and keeps the
scores in a :class:`~fosp_core.analysis.scorebook.ScoreBook`, apart from the result cache: the total
and size-bucket rows cover every image scored at the current settings (as ``fosp eval`` does), also
after "Run on All Images" over more images than the cache keeps. It keeps the ground-truth masks it loaded
(``label_for``) only while the cache keeps their results (a label per cached result and the image
shown), so "Run on All Images" over thousands of labelled images holds no more labels than the cache holds
results.
"""

from __future__ import annotations

import math
import re
import time
from collections import OrderedDict
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtWidgets import QLabel

from app.analysis.metrics_box import MetricsBox
from app.analysis.probability_words import probability_text
from app.analysis.trained_note import TrainedNote
from app.status_readouts import GIVES_WAY
from fosp_core.analysis.results import (
    ResultCache,
    ResultKey,
    Scores,
    image_scores,
    keep_recent,
    label_delta,
    read_label,
    tau_key,
)
from fosp_core.analysis.scorebook import (
    ImageScore,
    LabelStamp,
    ScoreBook,
    ScoreTable,
    label_stamp,
    label_stamps,
)
from fosp_core.analysis.settings import AnalysisSettings, keep_words
from fosp_core.infer.result import Prediction
from fosp_core.metrics.report import setting_text
from fosp_core.session import ImageSession

if TYPE_CHECKING:
    from app.analysis.prepared import PreparedResult

__all__ = ["LABEL_RECHECK_S", "NO_SMOKE_WORDS", "UNSCORED_WHY", "HoverReadout", "ScoreReadout", "hover_label", "hover_text",
           "metrics_note"]

#: How long the metrics box trusts the label files it looked at: within it, refreshing the box (after
#: every result of a run, every image shown) looks again only at labels it has not seen (thousands of
#: scored images cost tens of ms per look); a result's own label and "Run on All Images" always look anew.
LABEL_RECHECK_S = 2.0
NBSP = "\u00a0"  # keeps a symbol with its value on one line ("τ 0.15")


def hover_label() -> QLabel:
    """The status-bar label the hover text goes to: hidden while empty (:meth:`HoverReadout.refresh`)
    and as wide as its text, so the status bar's messages have the room (an empty 300 px label cut
    them)."""
    label = QLabel()
    label.setContentsMargins(10, 0, 10, 0)
    label.setProperty(GIVES_WAY, True)  # cut at its end while a status-bar message needs the room
    label.hide()
    return label


#: What a label pixel (0/1/255) is called in the hover readout.
LABEL_WORDS = {0: "background", 1: "smoke", 255: "ignored"}
#: What the error map's codes (1, 2) are called in the hover readout.
ERROR_WORDS = {1: "FP", 2: "FN"}


def hover_text(arrays: dict[str, np.ndarray], x: int, y: int, label: np.ndarray | None = None,
               threshold: float | None = None) -> str:
    """At pixel (x, y) of the layer `arrays`: the probability and whether the pixel is in the
    prediction mask, what the image's `label` (uint8 (H, W) 0/1/255) says there with the error map's
    verdict (FP, FN), the Focus value and "in hole" where the pixel is in the τ hole (cut at the model's
    input size: along its edge a Focus value above τ can be out of it), the foreground energies by stride
    and the separated background's RGB, in that order (a narrow status bar cuts the end): ``"p 0.912 in
    mask  label background FP  focus 0.301 in hole  fg /32 0.12 /16 0.40  bg RGB 131 140 152"``; empty without a
    probability or outside it. The probability never reads as the mask `threshold` it is not
    (:func:`~app.analysis.probability_words.probability_text`: "p 0.4996 not in mask" at 0.50)."""
    probability = arrays.get("probability")
    if probability is None or not (0 <= y < probability.shape[0] and 0 <= x < probability.shape[1]):
        return ""
    p = probability_text(probability[y, x], threshold)
    if "prediction mask" in arrays:
        p += " in mask" if arrays["prediction mask"][y, x] else " not in mask"
    parts = [p]
    if label is not None and label.shape == probability.shape:  # the verdict before the maps' values
        verdict = f"label {LABEL_WORDS.get(int(label[y, x]), str(int(label[y, x])))}"
        if "error map" in arrays and int(arrays["error map"][y, x]) in ERROR_WORDS:
            verdict += " " + ERROR_WORDS[int(arrays["error map"][y, x])]
        parts.append(verdict)
    if "focus map" in arrays:
        focus = f"focus {arrays['focus map'][y, x]:.3f}"
        if "hole" in arrays and arrays["hole"][y, x]:  # the model's cut: along its edge not always the
            focus += " in hole"  # Focus value shown above τ (said only where in: the status bar is narrow)
        parts.append(focus)
    energy = [f"/{n.rsplit('/', 1)[-1]} {arrays[n][y, x]:.2f}" for n in arrays if n.startswith("foreground energy")]
    if energy:
        parts.append("fg " + " ".join(energy))
    if "separated background" in arrays:
        r, g, b = (int(v) for v in arrays["separated background"][y, x])
        parts.append(f"bg RGB {r} {g} {b}")
    return "  ".join(parts)


class HoverReadout:
    """The status-bar label (`label`) with the values under the mouse. It remembers the pixel, so
    another image, τ or threshold under a still mouse reads anew (:meth:`refresh`)."""

    def __init__(self, settings: AnalysisSettings | None = None) -> None:
        self.label = hover_label()
        self._pixel: tuple[int, int] | None = None
        self._settings = settings  # its mask threshold (None: unknown)

    def show(self, arrays: dict[str, np.ndarray], pixel: tuple[int, int] | None,
             label: np.ndarray | None = None) -> None:
        """The values of layer `arrays` (and the image's ground truth `label`) at image `pixel`
        (x, y); None: the mouse left the image."""
        self._pixel = pixel
        self.refresh(arrays, label)

    def refresh(self, arrays: dict[str, np.ndarray], label: np.ndarray | None = None) -> None:
        """Read the pixel under the mouse again, in the layer `arrays` shown now."""
        threshold = None if self._settings is None else self._settings.threshold
        text = "" if self._pixel is None else hover_text(arrays, *self._pixel, label, threshold)
        self.label.setText(text)
        self.label.setToolTip(text)  # whole, where a narrow window cuts it
        self.label.setVisible(bool(text))


#: the note while nothing is scored: what the scores need (a newcomer's own photos have no smoke label)
NO_SCORES_TEXT = ("no labelled results yet: the table scores the model on images that have a smoke label "
                  "(ground truth) of their own, once Run on This Image or Run on All Images has run on them")


#: why an image Run on All Images left out for its saved summary has no scores (`app.annotation.kept_scores`)
UNSCORED_WHY = ("their saved summary keeps none (from Pre-label All, fosp project prelabel "
                "or an older FoSp Studio)")


#: Said under the metrics table while the image shown has a label without smoke (a smoke-free scene):
#: the protocol's empty-label rule (fosp_core.metrics.scores) gives its "this image" row R = 100.
NO_SMOKE_WORDS = ("this image has no labelled smoke: the protocol scores its recall 100, and its P, F_β and IoU "
                  "0 if anything is predicted, 100 if nothing is")


def metrics_note(scored: int, all_ignore: int, threshold: float, tau: float | None, keep: str, pending: int = 0,
                 unusable: int = 0, unscored: int = 0, kept: int = 0) -> str:
    """The line under the metrics table: how many labelled images with results it scores (those whose
    label is all ignore, 255, are left out of it, and counted apart), at which settings, and how many
    more ran with this model but have no scores at this threshold, rule and τ (`pending`: their results
    left the cache, or they ran at another τ only; "Run on All Images" scores them). A setting and its value are joined by a
    no-break space: the note wrapped between "τ" and "0.15". Values to the panel's step
    (:func:`~fosp_core.metrics.report.setting_text`): 0.487 read "0.49", which scores otherwise.
    `unusable`: images with results whose label file gave nothing to score (unreadable, or of another
    size than the image), left out and said (``fosp eval`` stops on them). `tau` None: the model has
    no τ (no Separation module), none is named. `unscored`: labelled images Run on All Images left out for
    their saved summary, which keeps no scores (:data:`UNSCORED_WHY`), said with why. `kept`: of the
    `scored`, those whose scores come from their saved summary (an earlier session's run at these
    settings: `app.analysis.kept_metrics`), not from a run here."""
    rule = re.sub(r" (?=\d)", NBSP, keep_words(keep))  # "above 0.7" kept on one line, as "τ 0.15"
    regions = f", {rule}" if rule else ""
    tau_text = "" if tau is None else f", τ{NBSP}{setting_text(tau)}"
    note = (f"{scored} labelled image{'s' if scored != 1 else ''} with results; "
            f"threshold{NBSP}{setting_text(threshold)}{regions}{tau_text}") if scored else ""
    left_out = (f"{unscored} labelled image{'s' if unscored != 1 else ''} left out by Run on All Images "
                f"{'are' if unscored != 1 else 'is'} not scored: {UNSCORED_WHY}; Annotate ▸ Run on All Again "
                f"scores {'them' if unscored != 1 else 'it'}") if unscored else ""
    if not scored:  # NO_SCORES_TEXT is false with unscored images (they have labels): the note leads with them
        note, left_out = (left_out, "") if unscored else (NO_SCORES_TEXT, "")

    def aside(text: str) -> str:  # in brackets after the count; a clause of its own after the left-out sentence
        return f"; {text}" if unscored and not scored else f" ({text})"

    if kept and scored:
        note += f"; {'all' if kept >= scored else kept} kept from an earlier run (saved in the project)"
    if all_ignore:
        note += aside(f"{all_ignore} all-ignore label{'s' if all_ignore != 1 else ''} left out")
    if unusable:
        note += aside(f"{unusable} label{'s' if unusable != 1 else ''} unreadable or of another size than "
                      f"{'their image' if unusable != 1 else 'its image'} left out")
    if pending:
        note += (f"; {pending} more ran at other settings or before their label changed: "
                 f"Run on All Images scores {'them' if pending != 1 else 'it'}")
    if left_out:
        note += f"; {left_out}"
    return note


class ScoreReadout:
    """Fills the metrics box from the score book and the result cache (see module doc)."""

    def __init__(self, box: MetricsBox, settings: AnalysisSettings, session: ImageSession,
                 cache: ResultCache, book: ScoreBook | None = None) -> None:
        self.box = box
        self.settings = settings
        self.session = session
        self.cache = cache
        self.book = book if book is not None else ScoreBook()
        self.table = ScoreTable()  # what the box shows now
        # least recently used first: image path -> (its label file as read, the label; None: unreadable)
        self._labels: OrderedDict[Path, tuple[LabelStamp | None, np.ndarray | None]] = OrderedDict()
        self.label_recheck_s = LABEL_RECHECK_S
        self._stamps: dict[Path, LabelStamp | None] = {}  # label files as last looked at (see LABEL_RECHECK_S)
        self._stamped_at = -math.inf
        self._order: dict[Path, int] = {}  # the session's paths -> their place, for self._order_of
        self._order_of: tuple[Path, ...] = ()
        self.trained = TrainedNote()  # "trained on this image": its scores flatter the model
        #: labelled images the last Run on All Images left out for a saved summary keeping no scores (its plan
        #: sets them: `app.analysis.run_plan.RunPlanner.finish`): the note says why they are not scored
        self.left_unscored: frozenset[ResultKey] = frozenset()
        self.tau_applies = True  # False while the model loaded has no τ (no Separation module): the note names none
        #: the result keys the book has scores of from their saved summaries (an earlier session's run),
        #: not from a run here (the window records them: `app.annotation.prelabel_runs.install_prelabel`)
        self.kept: set[ResultKey] = set()

    def _label_stamps(self, paths: list[Path], fresh: bool = False) -> dict[Path, LabelStamp | None]:
        """The label files of images `paths` as looked at less than `label_recheck_s` ago (`fresh`:
        now)."""
        now = time.monotonic()
        if fresh or now - self._stamped_at >= self.label_recheck_s:
            self._stamps.clear()
            self._stamped_at = now
        missing = [p for p in paths if p not in self._stamps]
        if missing:
            self._stamps.update(label_stamps(missing))
        return self._stamps

    def _open_in_order(self, paths: set[Path]) -> list[Path]:
        """Those of `paths` that are open, in the session's order (``fosp eval``'s over a folder)."""
        if not paths:
            return []
        order = self._session_order()
        return sorted((p for p in paths if p in order), key=order.__getitem__)

    def _open_count(self, paths: set[Path]) -> int:
        """How many of `paths` are open (no sort: a count for the note)."""
        order = self._session_order() if paths else {}
        return sum(1 for p in paths if p in order)

    def _session_order(self) -> dict[Path, int]:
        """The session's paths -> their place (made again when the session's list changed)."""
        if self._order_of is not self.session.paths:
            self._order_of = self.session.paths
            self._order = {p: i for i, p in enumerate(self._order_of)}
        return self._order

    def label_for(self, path: Path, shape: tuple[int, int]) -> np.ndarray | None:
        """The ground truth of image `path` when it has one of size `shape` (cached; read again when
        its file changed)."""
        path = Path(path).resolve()
        return self._label(path, label_stamp(path), shape)

    def _label(self, path: Path, stamp: LabelStamp | None, shape: tuple[int, int]) -> np.ndarray | None:
        held = self._labels.get(path)
        if held is not None and held[0] == stamp:
            self._labels.move_to_end(path)
            label = held[1]
        else:
            label = None if stamp is None else read_label(stamp.path)
            self._hold_label(path, stamp, label)
        return label if label is not None and label.shape == tuple(shape) else None

    def _hold_label(self, path: Path, stamp: LabelStamp | None, label: np.ndarray | None) -> None:
        self._labels[path] = (stamp, label)
        # every cached result's and the shown one: what the cache holds now, as it is bounded in bytes too
        keep_recent(self._labels, path, len(self.cache) + 1)

    def score(self, key: ResultKey, prediction: Prediction, prepared: PreparedResult | None = None) -> ImageScore | None:
        """Score result `key` (`prediction`) at the current threshold and region rule against its
        label unless the book knows them, and keep them in the book; None when the image has no label
        of its size. Called for every result as it arrives, before the cache may let it go.
        `prepared`: the label and scores the inference thread read and made of `prediction`
        (:mod:`app.analysis.prepared`), taken while its label file is still the one it read."""
        stamp = self._stamps[key.path] = label_stamp(key.path)
        if prepared is not None and prepared.prediction is prediction and prepared.stamp == stamp:
            self._hold_label(key.path, stamp, prepared.label)
            threshold, keep = self.settings.threshold, self.settings.keep
            if prepared.fits(prediction, threshold, keep) and not self.book.covers(key, stamp, threshold, keep):
                score = prepared.score
                self.book.record(key, stamp, threshold, keep, None if score is None else score.scores,
                                 None if score is None else score.delta)
        return self._score(key, prediction, stamp)

    def _score(self, key: ResultKey, prediction: Prediction, stamp: LabelStamp | None) -> ImageScore | None:
        threshold, keep = self.settings.threshold, self.settings.keep
        known = self.book.get(key, stamp, threshold, keep)
        if known is not None or self.book.covers(key, stamp, threshold, keep):
            return known
        label = self._label(key.path, stamp, prediction.shape)
        if label is None:
            self.book.record(key, stamp, threshold, keep, None)
            return None
        scored = ImageScore(image_scores(prediction, label, threshold, keep), label_delta(label))
        self.book.record(key, stamp, threshold, keep, scored.scores, scored.delta)
        return scored

    def known(self, keys: list[ResultKey]) -> list[bool]:
        """For each run of `keys`: whether its scores at the current threshold and rule are known
        against its label as it is now (or it has nothing to score): "Run on All Images" skips those."""
        stamps = self._label_stamps([k.path for k in keys], fresh=True)
        threshold, keep = self.settings.threshold, self.settings.keep
        return [self.book.covers(k, stamps[k.path], threshold, keep) for k in keys]

    def show_image(self, model_id: str | None, prediction: Prediction | None) -> None:
        """Only the "this image" row, at once, for another image shown (the whole box follows on the
        controller's timer, off the switch's critical path): the scores the book knows of
        `prediction` (the current image's cached result of `model_id`) at the current threshold and
        rule, else dashes until :meth:`update` scores it; never the last image's scores beside this
        one. A stat of its label file and a look-up."""
        image: Scores | None = None
        current = self.session.current_path
        if model_id is not None and prediction is not None and current is not None:
            key = ResultKey(current, model_id, tau_key(self.settings.tau))
            if self.cache.get(key) is prediction:
                known = self.book.get(key, label_stamp(current), self.settings.threshold, self.settings.keep)
                image = None if known is None else known.scores
        self.box.set_image_scores(image)

    def update(self, model_id: str | None, prediction: Prediction | None, label: np.ndarray | None) -> None:
        """Score the shown `prediction` (against `label`) and every open image with a result of
        `model_id` (None: no model loaded) at the current threshold and τ, and fill the box with them
        and every open image the book has scores of at these settings."""
        threshold, tau, keep = self.settings.threshold, self.settings.tau, self.settings.keep
        image: Scores | None = None
        delta: float | None = None  # the smoke ratio of the shown image's label (None: unknown)
        self.table = ScoreTable()
        kept = 0
        if model_id is not None:
            rounded = tau_key(tau)
            ran, cached = self.book.ran(model_id, tau), self.cache.for_model(model_id, tau)
            paths = self._open_in_order({*ran, *cached})
            stamps = self._label_stamps(paths)
            for path, pred in cached.items():  # a threshold or rule the book has no scores at yet
                if path in stamps:
                    self._score(ResultKey(path, model_id, rounded), pred, stamps[path])
            self.table = self.book.table(paths, model_id, tau, stamps, threshold, keep)
            kept = sum(1 for p in paths if (key := ResultKey(p, model_id, rounded)) in self.kept
                       and self.book.get(key, stamps.get(p), threshold, keep) is not None) if self.kept else 0
            current = self.session.current_path
            if current is not None and prediction is not None and cached.get(current) is prediction:
                known = self.book.get(ResultKey(current, model_id, rounded), stamps.get(current), threshold, keep)
                image, delta = (None, None) if known is None else (known.scores, known.delta)
        if image is None and prediction is not None and label is not None:
            image, delta = image_scores(prediction, label, threshold, keep), label_delta(label)
        table = self.table
        unscored = 0 if model_id is None else sum(  # left out by Run on All Images, not run here since
            1 for key in self.left_unscored if key.model == model_id and key.tau == tau_key(tau)
            and not self.book.was_run(key))
        elsewhere = 0 if model_id is None else self._open_count(self.book.ran_elsewhere(model_id, tau))
        note = metrics_note(table.scored, table.all_ignore, threshold, tau if self.tau_applies else None, keep,
                            table.pending + elsewhere, table.unusable, unscored, kept)
        if image is not None and image.n and delta == 0.0:  # R 100 on a smoke-free image: the rule, said
            note = f"{note}; {NO_SMOKE_WORDS}" if note else NO_SMOKE_WORDS
        if prediction is not None and (trained := self.trained.line(self.settings.checkpoint, self.session.current_path)):
            note = f"{note}\n{trained}"
        self.box.set_scores(image, table.buckets() if table.scored else {}, note)
