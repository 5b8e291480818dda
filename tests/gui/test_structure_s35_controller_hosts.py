"""Save Now, the close's wait for the saves and the held mask view (`app.annotation.save_now`, `close_waits`,
`import_view`) name the annotation controller by protocols (`SaveHost`, `CloseHost`, `HeldViewHost`), not by
importing it: the controller imports them (through its open documents), and their type-only imports of it closed
a circle of nine modules (the layers contract in pyproject.toml keeps it closed: `lint-imports`). No type
checker runs over the project: this test holds the protocols to the controller a window builds, every member
they name present on it (Save Now's documents' on its open documents), a QObject (their Qt parent)."""

from __future__ import annotations

import inspect

from PySide6.QtCore import QObject

from app.annotation import save_now
from app.annotation.close_waits import CloseHost
from app.annotation.import_view import HeldViewHost
from app.annotation.save_now import SaveHost


def _members(protocol: type) -> set[str]:
    """The attributes, properties and methods `protocol` and the protocols it extends name."""
    names: set[str] = set()
    for klass in protocol.__mro__:
        if not getattr(klass, "_is_protocol", False) or klass.__module__ == "typing":
            continue
        names |= set(klass.__dict__.get("__annotations__", {}))
        names |= {name for name, value in vars(klass).items() if not name.startswith("__")
                  and (inspect.isfunction(value) or isinstance(value, property))}
    return names


def test_the_controller_has_what_its_parts_name_of_it(qtbot, make_window) -> None:  # noqa: ANN001
    controller = make_window().annotation.controller
    assert isinstance(controller, QObject)  # the wait's and the view's Qt parent
    for protocol in (SaveHost, CloseHost, HeldViewHost):
        members = _members(protocol)
        assert members, protocol
        missing = sorted(name for name in members if not hasattr(controller, name))
        assert missing == [], f"{protocol.__name__} names what the controller has not: {missing}"
    documents = _members(save_now._Documents)
    assert {"registry", "documents", "unsaved", "save_unsaved"} <= documents
    missing = sorted(name for name in documents if not hasattr(controller.open_documents, name))
    assert missing == [], f"Save Now's documents name what the open documents have not: {missing}"
    assert {"open_documents", "attached", "findChild", "registry", "gestures", "session", "layer"} <= (
        _members(CloseHost) | _members(HeldViewHost))
