"""The Help menu's entries beside the shortcut sheet: Getting Started (the first steps, in plain
words, with the version), the Model Card (what the model in use is, how good it is, or where a model
is looked for when none was found) and About.

Getting Started and the Model Card open in one non-modal window at a time (``HelpMenu.dialog``), so
that a newcomer can keep it beside the main window while trying the steps.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QTimer, QUrl
from PySide6.QtGui import (
    QAction,
    QDesktopServices,
    QImage,
    QTextCursor,
    QTextDocument,
    QTextImageFormat,
    QTextTable,
)
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QMainWindow,
    QMenu,
    QMessageBox,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.icons import icon
from app.panels import fit_to_screen
from app.services import APPLICATION
from fosp_core import __version__
from fosp_core.paths import DEFAULT_MODEL_FILE, model_search_path

__all__ = ["GETTING_STARTED_TITLE", "MODEL_CARD_TITLE", "HelpDialog", "HelpMenu", "getting_started_html",
           "model_card"]

GETTING_STARTED_TITLE = "Getting Started"
MODEL_CARD_TITLE = "Model Card"
_CARD_NAME = "README.md"  # the card beside a model file (resources/models/README.md names its file)


def getting_started_html() -> str:
    """The first steps, from opening images to exporting masks (HTML)."""
    return f"""
<h2>{APPLICATION} {__version__}: getting started</h2>
<p>{APPLICATION} finds wildfire smoke in photos and videos with the FoSp network, and helps you draw
and correct smoke masks.</p>
<ol>
<li><p><b>Open your images.</b> File ▸ Open… (Ctrl+O) for images or a video, File ▸ Open Folder…
(Ctrl+Shift+O) for a folder or a SmokeSeg dataset, or drag them onto the window. The Images panel on
the left lists them; Right and Left (or Page Down and Page Up) step through them, Home and End go to the
first and last image of the worklist.</p></li>
<li><p><b>Let the model find the smoke.</b> In the Model panel on the right, press <b>Run on this
image</b> (Ctrl+R), or <b>Run on all images</b> (Ctrl+Shift+R). The smoke probability is drawn over the image. The
Layers panel lists it and the model's other maps: tick a row to show it, hover it to read what it
is. Where an image has a smoke label of its own, the table under the buttons scores the model
against it.</p></li>
<li><p><b>Draw or correct the smoke mask.</b> In the Annotate panel: Brush (B) paints smoke, Eraser
(E) removes it, Accept Prediction (Shift+A) starts from the model's mask. Every edit is saved as you
go, in a <code>.fosp</code> folder beside the images, or in your user cache for the bundled demo and a
folder you may not write (the images themselves are never changed). A SmokeSeg dataset's own masks are its images' ground
truth, not masks to edit: Annotate ▸ Import Labels… brings them in to correct. Mark Reviewed (R) when an image
is done (an edit after that takes the review off: press R again); N goes to the next image not reviewed
yet. The Worklist panel shows each image's status.</p></li>
<li><p><b>Export.</b> Annotate ▸ Export to SmokeSeg… (Ctrl+E) writes the images and their masks as a
dataset, to share or to fine-tune the model on (Analysis ▸ Fine-tune on a Dataset…).</p></li>
</ol>
<p><b>Two settings of the Model panel.</b> <i>Mask threshold</i>: how sure the model must be (0 to 1)
for a pixel to count as smoke. <i>Focus τ</i>: an expert setting the model sets itself; leave it. Both,
and the model chosen, are kept for the next session (τ for the model it was set for).</p>
<p>Every key: Help ▸ Keyboard Shortcuts (F1). What the model is and how good it is: Help ▸ Model
Card. Hover any button or setting to read what it does.</p>
"""


def model_card(model: Path | None) -> tuple[str, str]:
    """(format, text) for the Model Card of `model` ("markdown" or "html"): the card beside the
    file (a README.md that names it), a short note where the file has none, and where FoSp Studio
    looks for its default model when there is no model at all."""
    if model is None:
        folders = "".join(f"<li><code>{html.escape(str(folder))}</code></li>" for folder in model_search_path())
        return "html", (
            f"<h2>No model found</h2><p>{APPLICATION} looks for <code>{DEFAULT_MODEL_FILE}</code> in these "
            f"folders, the first one that holds it wins:</p><ol>{folders}</ol><p>Put the model file in one of "
            "them and start the app again, or open a model file now with <b>Open…</b> in the Model panel "
            "(Analysis ▸ Open Checkpoint…).</p>")
    card = model.parent / _CARD_NAME
    if card.is_file():
        text = card.read_text(encoding="utf-8", errors="replace")
        if model.name in text:
            return "markdown", text
    return "html", (f"<h2>{html.escape(model.name)}</h2><p>No model card beside this file "
                    f"(<code>{html.escape(str(model))}</code>). The Model panel's details (the ▾ arrow "
                    "beside its name) say what it is and what it was trained on.</p>")


def _drop_blank_heading_rows(document: QTextDocument) -> None:
    """Remove the first row of each table whose cells are all empty: Markdown writes a table without
    headings as `| | |` over `|---|---|`, and Qt drew that row as a row of empty boxes (the model card)."""
    for frame in document.rootFrame().childFrames():
        if not isinstance(frame, QTextTable) or frame.rows() < 2:
            continue
        cells = (frame.cellAt(0, column) for column in range(frame.columns()))
        if all(not cell.firstCursorPosition().block().text().strip() for cell in cells):
            frame.removeRows(0, 1)


def _image_fragments(document: QTextDocument) -> list[tuple[int, int, QTextImageFormat]]:
    """(position, length, format) of each image in `document`."""
    found = []
    block = document.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            if fragment.charFormat().isImageFormat():
                found.append((fragment.position(), fragment.length(), fragment.charFormat().toImageFormat()))
            it += 1
        block = block.next()
    return found


def _load_images(document: QTextDocument, base: Path | None) -> None:
    """Read each image of `document` (a card's figure: a path relative to `base`, the card's folder) into
    its resources; one that cannot be read is left out (Qt drew a broken-image icon for the card's
    training curves, looked up nowhere)."""
    for position, length, image_format in reversed(_image_fragments(document)):
        url = QUrl(image_format.name())
        path = Path(url.toLocalFile()) if url.isLocalFile() else (base or Path.cwd()) / url.path()
        image = QImage(str(path)) if not url.scheme() or url.isLocalFile() else QImage()
        if image.isNull():
            cursor = QTextCursor(document)
            cursor.setPosition(position)
            cursor.setPosition(position + length, QTextCursor.MoveMode.KeepAnchor)
            cursor.removeSelectedText()
        else:
            document.addResource(QTextDocument.ResourceType.ImageResource, url, image)


def _fit_images(document: QTextDocument, width: int) -> None:
    """Draw each image of `document` at most `width` px wide (the card's figure is 1100 px, its window 640)."""
    for position, length, image_format in _image_fragments(document):
        image = document.resource(QTextDocument.ResourceType.ImageResource, QUrl(image_format.name()))
        if not isinstance(image, QImage) or image.isNull():
            continue
        shown = max(1, min(image.width(), width))
        image_format.setWidth(shown)
        image_format.setHeight(image.height() * shown / image.width())
        cursor = QTextCursor(document)
        cursor.setPosition(position)
        cursor.setPosition(position + length, QTextCursor.MoveMode.KeepAnchor)
        cursor.setCharFormat(image_format)


class HelpDialog(QDialog):
    """A non-modal window showing one help text (rich text or Markdown), with a Close button."""

    def __init__(self, title: str, kind: str, text: str, parent: QWidget | None = None,
                 base: Path | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.browser = QTextBrowser()
        self.browser.setAccessibleName(title)
        # a link opens in the system's viewer (the card's relative links from the card's folder), never
        # in this window: QTextBrowser's own navigation showed a blank page for a file it cannot render
        self.browser.setOpenLinks(False)
        root = QUrl.fromLocalFile(f"{base}/") if base is not None else QUrl()
        self.browser.anchorClicked.connect(lambda url: QDesktopServices.openUrl(root.resolved(url)))
        if kind == "markdown":
            self.browser.setMarkdown(text)
            _drop_blank_heading_rows(self.browser.document())
        else:
            self.browser.setHtml(text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        fit_to_screen(self, 640, 560)  # its Close stays on a 1024 x 600 screen
        if kind == "markdown":
            _load_images(self.browser.document(), base)
            self._fitted_to = -1
            self._refit = QTimer(self)  # after the scroll bars settle (one may come with the images)
            self._refit.setSingleShot(True)
            self._refit.setInterval(0)
            self._refit.timeout.connect(self._fit_images)
            self.browser.viewport().installEventFilter(self)  # the images follow the browser's width

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.Resize and watched is self.browser.viewport():
            self._refit.start()
        return super().eventFilter(watched, event)

    def _fit_images(self) -> None:
        width = self.browser.viewport().width()
        if width != self._fitted_to:
            self._fitted_to = width
            document = self.browser.document()
            _fit_images(document, width - 2 * int(document.documentMargin()) - 2)

    def text(self) -> str:
        """What the window says, as plain text."""
        return self.browser.toPlainText()


class HelpMenu:
    """Fills `menu`: Getting Started, Model Card, the window's Keyboard Shortcuts action, About."""

    def __init__(self, window: QMainWindow, menu: QMenu, shortcuts: QAction) -> None:
        self.window = window
        self.dialog: HelpDialog | None = None  # the help text open now
        self.action_getting_started = self._add(menu, f"&{GETTING_STARTED_TITLE}…", "fa6s.circle-question",
                                                "The first steps: open images, run the model, paint masks, export",
                                                self.show_getting_started)
        self.action_model_card = self._add(menu, f"&{MODEL_CARD_TITLE}…", "fa6s.id-card",
                                           "What the model is, what it was trained on and how good it is",
                                           self.show_model_card)
        menu.addAction(shortcuts)
        menu.addSeparator()
        self.action_about = self._add(menu, f"&About {APPLICATION}", "fa6s.circle-info",
                                      f"The version of {APPLICATION}", self.show_about)

    def _add(self, menu: QMenu, text: str, icon_name: str, tip: str, slot: Callable[[], object]) -> QAction:
        action = menu.addAction(icon(icon_name), text)
        action.setStatusTip(tip)
        action.setToolTip(tip)
        action.triggered.connect(slot)
        return action

    def _show(self, title: str, kind: str, text: str, base: Path | None = None) -> HelpDialog:
        if self.dialog is not None:
            self.dialog.close()
            self.dialog.deleteLater()  # closing only hides it: each opening kept one more child of the window
        self.dialog = HelpDialog(title, kind, text, self.window, base)
        self.dialog.show()
        return self.dialog

    def show_getting_started(self) -> HelpDialog:
        """Help ▸ Getting Started: the first steps."""
        return self._show(f"{GETTING_STARTED_TITLE} — {APPLICATION}", "html", getting_started_html())

    def show_model_card(self) -> HelpDialog:
        """Help ▸ Model Card: the card of the Model panel's model (else the default model's)."""
        analysis = getattr(self.window, "analysis", None)
        model = analysis.settings.checkpoint if analysis is not None else None
        services = getattr(self.window, "services", None)
        if model is None and services is not None:
            model = services.default_model
        return self._show(f"{MODEL_CARD_TITLE} — {APPLICATION}", *model_card(model),
                          base=model.parent if model is not None else None)

    def show_about(self) -> None:
        """Help ▸ About: name, version, what it is for (modal)."""
        QMessageBox.about(
            self.window, f"About {APPLICATION}",
            f"<b>{APPLICATION}</b> {__version__}<br>Label and study early wildfire smoke with the FoSp "
            "(Focus and Separation) segmentation network.<br>First steps: Help ▸ Getting Started.",
        )
