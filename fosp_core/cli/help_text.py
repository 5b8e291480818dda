"""Module docstrings as ``--help`` text: the reST inline markup of the source dropped for the
terminal (a ``fosp project --help`` reader saw double backquotes and ``:class:`` roles)."""

from __future__ import annotations

import re

__all__ = ["as_help"]

_ROLE = re.compile(r":[a-z]+:`([^`]+)`")
_LITERAL = re.compile(r"``([^`]+)``")


def as_help(doc: str | None) -> str:
    """`doc` with ``literal`` and :role:`target` markup replaced by their text; line breaks and
    indentation kept (the commands use RawDescriptionHelpFormatter)."""
    return _LITERAL.sub(r"\1", _ROLE.sub(r"\1", doc or ""))
