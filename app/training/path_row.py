"""A form row of a path field and its Browse… button, each with the name a screen reader says."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QToolButton, QWidget


def path_row(edit: QLineEdit, browse: QToolButton, name: str, browse_for: str = "") -> QWidget:
    """`edit` and `browse` side by side. The field is named `name` (a row of a form is nobody's buddy);
    the button "Browse for <browse_for>" (by default `name`, first letter lowered), so that two
    Browse… buttons of a dialog do not read alike."""
    edit.setAccessibleName(name)
    browse.setAccessibleName(f"Browse for {browse_for or name[:1].lower() + name[1:]}")
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(edit, 1)
    layout.addWidget(browse)
    return row
