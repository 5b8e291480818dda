"""The two import circles removed (commands <-> controller, project <-> project_import): the
dependent module names a narrow Protocol instead of the class, and the class still has every part
the Protocol names (a renamed method would otherwise surface only when the command is used).
import-linter keeps the arrows one way (pyproject.toml)."""

from __future__ import annotations

import inspect
import re


def _members(protocol: type) -> set[str]:
    names = set(getattr(protocol, "__annotations__", {}))
    names |= {name for name, _ in inspect.getmembers(protocol) if not name.startswith("_")}
    return names


def test_a_project_has_what_the_import_functions_use(tmp_path) -> None:  # noqa: ANN001
    import numpy as np
    from PIL import Image

    from fosp_core.annotation.project import Project
    from fosp_core.annotation.project_import import ImportTarget

    Image.fromarray(np.zeros((8, 8, 3), np.uint8)).save(tmp_path / "a.png")
    with Project.open(tmp_path, tmp_path / "project") as project:
        missing = sorted(n for n in _members(ImportTarget) if not hasattr(project, n))
    assert missing == []


def test_the_controller_has_what_the_commands_use() -> None:
    from app.annotation.commands import CommandHost
    from app.annotation.controller import AnnotationController

    instance_attributes = {"state", "session", "registry", "document", "open_documents"}  # set in __init__
    missing = sorted(n for n in _members(CommandHost) - instance_attributes if not hasattr(AnnotationController, n))
    assert missing == []
    source = inspect.getsource(AnnotationController.__init__)
    assert all(re.search(rf"self\.{name}\b[^=\n]*= ", source) for name in instance_attributes)
