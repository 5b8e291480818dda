"""The prediction tools' hint while the document has no probability yet, and its end.

Accept Prediction, Threshold to Mask, the wand and the threshold brush stay available before the
model ran on the image: used or chosen then, they say so in the status bar for `HINT_MS` and name
the window's Run on This Image key ("No prediction for this image yet: run the model (Ctrl+R)
first"; a lent video frame's names the Video panel). When the document's probability arrives while
the status bar still shows the hint (a run takes ~3 s on a CPU), the hint is replaced by
"Prediction ready …": the annotator who ran the model is no longer told to run it. A message shown
after the hint stays.

With no model loaded (``analysis.model_state`` "none": no default model found, its load failed) the run key does
nothing useful (it says to open a checkpoint): the hint said "run the model (Ctrl+R) first" all the same. It
names how to get one instead (`no_model_words`: Analysis ▸ Open Checkpoint…), as the Annotate dock's status line
and Export View's keys do (`app.analysis.chrome.export_view_needs`); with a model the words are as before.

An image whose mask a model made (status *predicted*: pre-labelled, its prediction accepted, a model's labels
imported) has no prediction either once opened again: a saved mask keeps none, and Pre-label All's job keeps none for
the view. "No prediction for this image yet" under the Annotate dock's "predicted" read as a contradiction; the hint
says what is so instead (`lead`: "A model's mask, its prediction not kept: run the model (Ctrl+R) first"; its first
words short: a 1024 px window leaves the message ~560 px beside a result's readouts, ~690 px without a model, where it
says "…: no model loaded, no default model found (Analysis ▸ Open Checkpoint…)"), and the dock the same (`dock_lead`:
"a model's mask, its prediction not kept (Ctrl+R runs the model): …").
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence

from fosp_core.annotation.document import AnnotationDocument, DocumentEvent, Status

__all__ = ["HINT_MS", "OPEN_CHECKPOINT", "READY_MS", "PredictionHint", "dock_lead", "lead", "model_missing",
           "no_model_words", "shown_keys"]

HINT_MS = 6000
READY_MS = 3000
#: where a model is opened (the Model panel's Open… does the same)
OPEN_CHECKPOINT = "Analysis ▸ Open Checkpoint…"


def model_missing(window: object) -> bool:
    """Whether `window`'s analysis view has no model and none loading (``analysis.model_state`` "none"); False
    for a window without one (tests' bare parents: nothing known, the words with a model are kept)."""
    return getattr(getattr(window, "analysis", None), "model_state", None) == "none"


def no_model_words(window: object) -> str:
    """How to get a model when `window` has none: "no model loaded (Analysis ▸ Open Checkpoint…)", with "no default
    model found" where the app found no default model to load (``services.default_model`` None)."""
    services = getattr(window, "services", None)
    default_missing = services is not None and getattr(services, "default_model", None) is None
    return f"no model loaded{', no default model found' if default_missing else ''} ({OPEN_CHECKPOINT})"


def lead(doc: AnnotationDocument | None) -> str:
    """What the hint says first of `doc`, which has no prediction: "No prediction for this image yet", or, for an
    image whose mask a model made (status predicted), "A model's mask, its prediction not kept" (a saved mask
    keeps no prediction: "no prediction yet" beside "predicted" read as a contradiction)."""
    if doc is not None and doc.status is Status.PREDICTED:
        return "A model's mask, its prediction not kept"
    return "No prediction for this image yet"


def dock_lead(doc: AnnotationDocument | None) -> str:
    """The Annotate dock's `lead`, under the image's status: "no prediction yet", or "a model's mask, its prediction
    not kept" under "predicted"."""
    if doc is not None and doc.status is Status.PREDICTED:
        return "a model's mask, its prediction not kept"
    return "no prediction yet"


def shown_keys(action: QAction | None) -> str:
    """The key of `action` as shown in menus ("Ctrl+R"), "" when none."""
    keys = action.shortcut() if action is not None else QKeySequence()
    return keys.toString(QKeySequence.SequenceFormat.NativeText)


class PredictionHint:
    """The no-prediction hint of one controller (see module doc).

    say(text, ms): shows a status-bar message (the controller's ``message`` signal).
    window(): the main window (the controller's Qt parent), whose ``analysis.action_run`` gives the
    run key and whose status bar tells whether the hint is still shown; None: no window.
    """

    def __init__(self, say: Callable[[str, int], None], window: Callable[[], QObject | None]) -> None:
        self.say = say
        self.window = window
        self._shown: tuple[AnnotationDocument, str, str | None] | None = None  # document, text, frame name

    def _run_action(self) -> QAction | None:
        """The window's "Run on This Image" action, ``analysis.action_run``
        (`app.analysis.controller.AnalysisController`), whose key the hint names (looked up when
        needed: the analysis view is built after the tools); None: the hint names no key."""
        action = getattr(getattr(self.window(), "analysis", None), "action_run", None)
        return action if isinstance(action, QAction) else None

    def _running_here(self) -> bool:
        """Whether the window's model runs on the image shown now (``analysis.running_on``): its result is
        coming, and the hint does not tell the annotator to start it."""
        window = self.window()
        running_on = getattr(getattr(window, "analysis", None), "running_on", None)
        session = getattr(window, "session", None)
        return callable(running_on) and bool(running_on(getattr(session, "current_path", None)))

    def _model_busy(self) -> bool:
        """Whether the window's model runs on some image now (``analysis.busy``)."""
        busy = getattr(getattr(self.window(), "analysis", None), "busy", None)
        return callable(busy) and bool(busy())

    def _model_state(self) -> str | None:
        """The window's model state (``analysis.model_state``: "ready", "loading", "none"), None without one."""
        state = getattr(getattr(self.window(), "analysis", None), "model_state", None)
        return state if isinstance(state, str) else None

    def model_missing(self) -> bool:
        """Whether the window has no model and none loading (`model_missing`)."""
        return model_missing(self.window())

    def no_model_words(self) -> str:
        """How to get a model (`no_model_words`): "no model loaded (Analysis ▸ Open Checkpoint…)"."""
        return no_model_words(self.window())

    def run_model_keys(self) -> str:
        """The key of the window's Run on This Image as shown in menus ("Ctrl+R"), "" when none."""
        return shown_keys(self._run_action())

    def text(self, attached_key: str | None = None, doc: AnnotationDocument | None = None) -> str:
        """What a prediction tool says when the document `doc` has no probability: what to do about it (`lead`
        first: of a mask a model made, that its prediction was not kept). `attached_key`: the name of a document
        lent by another view ("frame 12"), None in image mode."""
        if attached_key is not None:
            return (f"No prediction for {attached_key} yet: load a model in the Video panel (Model…) "
                    "or wait until it has predicted this frame")
        if self._running_here():
            return f"{lead(doc)}: the model is running on it (its result comes in a few seconds)"
        if self.model_missing():  # the run key would only say to open one
            return f"{lead(doc)}: {no_model_words(self.window())}"
        keys = self.run_model_keys()
        if self._model_state() == "ready" and self._model_busy():
            after = f"{keys} runs this one after it" if keys else "Run on This Image runs this one after it"
            return f"{lead(doc)}: the model is busy with another image ({after})"
        if self._model_state() == "loading":
            asked = f"{keys} asked for now" if keys else "a run asked for now"
            return f"{lead(doc)}: the model is still loading ({asked} starts once it is ready)"
        how = f"run the model ({keys})" if keys else "run the model (Analysis ▸ Run on This Image)"
        return f"{lead(doc)}: {how} first"

    def show(self, doc: AnnotationDocument | None, attached_key: str | None = None) -> None:
        """Say the hint for `doc` (None: no document to wait for); it goes when `doc`'s probability
        arrives while it is still shown."""
        self.forget()
        text = self.text(attached_key, doc)
        self.say(text, HINT_MS)
        if doc is not None:
            self._shown = (doc, text, attached_key)
            doc.events.connect(self._on_document_event)

    def forget(self) -> None:
        """Stop waiting for the probability of the document the last hint was about."""
        if self._shown is not None:
            self._shown[0].events.disconnect(self._on_document_event)
            self._shown = None

    def _on_document_event(self, event: DocumentEvent) -> None:
        if event.kind != "probability" or self._shown is None:
            return
        doc, text, attached_key = self._shown
        if doc.probability is None:
            return
        self.forget()
        if self._status_text() in (None, text):
            where = "this image" if attached_key is None else attached_key
            self.say(f"Prediction ready for {where}: the wand, threshold brush and Accept Prediction use it",
                     READY_MS)

    def _status_text(self) -> str | None:
        """The status bar's message now; None when the window has no status bar to ask."""
        status_bar = getattr(self.window(), "statusBar", None)
        return status_bar().currentMessage() if callable(status_bar) else None
