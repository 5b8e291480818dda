"""Help ▸ Model Card drew a broken-image icon where the card shows its training curves
(`![Training curves of all stages](../../docs/images/training-curves.png)`): the card's relative image
was looked up nowhere (the dialog knew the card's folder only for its links). A card's image is now
read from the card's folder and drawn as wide as the window allows (the figure is 1100 px wide, the
window 640); an image that is not there is left out rather than drawn as a broken icon."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QImage, QTextDocument, QTextImageFormat

from app.help_menu import HelpDialog


def _images(document: QTextDocument) -> list[QTextImageFormat]:
    found = []
    block = document.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fmt = it.fragment().charFormat()
            if fmt.isImageFormat():
                found.append(fmt.toImageFormat())
            it += 1
        block = block.next()
    return found


def _figure(folder: Path) -> None:
    (folder / "images").mkdir(parents=True)
    image = QImage(1100, 700, QImage.Format.Format_RGB32)
    image.fill(0x336699)
    assert image.save(str(folder / "images" / "curves.png"))


def test_the_cards_figure_is_drawn_to_fit(qtbot, tmp_path: Path) -> None:
    _figure(tmp_path)
    card = tmp_path / "models"
    card.mkdir()
    long_text = "\n\n".join(f"Paragraph {i} of the card." for i in range(60))  # a vertical scroll bar
    dialog = HelpDialog("Model Card", "markdown", f"# Card\n\n![Training curves](../images/curves.png)\n\n{long_text}\n",
                        base=card)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    room = dialog.browser.viewport().width() - 2 * dialog.browser.document().documentMargin()
    qtbot.waitUntil(lambda: 0 < _images(dialog.browser.document())[0].width() <= room)
    (image,) = _images(dialog.browser.document())
    loaded = dialog.browser.document().resource(QTextDocument.ResourceType.ImageResource, image.name())
    assert isinstance(loaded, QImage) and not loaded.isNull()
    assert abs(image.height() / image.width() - 700 / 1100) < 0.01
    assert dialog.browser.horizontalScrollBar().maximum() == 0  # no sideways scrolling for it
    dialog.resize(900, 560)  # a wider window: the figure grows with it, up to its own width
    qtbot.waitUntil(lambda: _images(dialog.browser.document())[0].width() > image.width())


def test_a_missing_figure_is_left_out(qtbot, tmp_path: Path) -> None:
    dialog = HelpDialog("Model Card", "markdown", "Before\n\n![Training curves](../images/none.png)\n\nAfter\n",
                        base=tmp_path)
    qtbot.addWidget(dialog)
    assert _images(dialog.browser.document()) == []
    assert "Before" in dialog.text() and "After" in dialog.text()
