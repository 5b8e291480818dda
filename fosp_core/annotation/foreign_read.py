"""Reading a labelme/COCO/CVAT file so that the read can be given up (`ReadCancelled`).

A COCO export of a large job is hundreds of megabytes. ``json.loads`` of 200 MB is one call into C
that runs for seconds and never lets go of the GIL: a Cancel (or the window closing) waited for the
whole parse, and the GUI thread had no turn meanwhile. `load_json` reads the file in chunks and
parses the elements of its top-level arrays one by one (``JSONDecoder.raw_decode``, the same C
decoder): between two of them it asks `cancelled` and other threads get their turn. The value is the
one ``json.loads`` gives for the same text (the same errors too: `json.JSONDecodeError`).
`xml_root` feeds an XML file to the parser a chunk at a time, with the same check.
"""

from __future__ import annotations

import codecs
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = ["CHUNK_BYTES", "CancelCheck", "ReadCancelled", "check", "load_json", "read_text", "xml_root"]

#: cancelled(): True to give the read up (asked between chunks and elements; any thread)
CancelCheck = Callable[[], bool]
#: bytes read (and fed to the XML parser) between two checks
CHUNK_BYTES = 4 << 20

_SPACE = re.compile(r"[ \t\n\r]*")


class ReadCancelled(Exception):  # noqa: N818 - not an error: the caller asked for it
    """The read was given up because `cancelled` said so; nothing of the source is returned."""


def check(cancelled: CancelCheck | None) -> None:
    """Raise ReadCancelled when `cancelled` says so."""
    if cancelled is not None and cancelled():
        raise ReadCancelled


def read_text(path: Path, cancelled: CancelCheck | None = None) -> str:
    """The UTF-8 text of `path` (as ``Path.read_text(encoding="utf-8")``), read a chunk at a time."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    parts: list[str] = []
    with path.open("rb") as file:
        while chunk := file.read(CHUNK_BYTES):
            check(cancelled)
            parts.append(decoder.decode(chunk))
    parts.append(decoder.decode(b"", final=True))
    return "".join(parts)


def load_json(path: Path, cancelled: CancelCheck | None = None) -> Any:
    """The parsed JSON of `path`: ``json.loads`` of its text, the elements of top-level arrays (a COCO
    file's ``annotations``, a labelme file's ``shapes``) parsed one at a time with `cancelled` asked
    between them. Raises OSError, UnicodeDecodeError, json.JSONDecodeError (JSON nested deeper than the
    reader goes too: damaged bytes such as a run of ``[``), ReadCancelled."""
    text = read_text(path, cancelled)
    try:
        if cancelled is None:
            return json.loads(text)
        parser = _Parser(text, cancelled)
        value, end = parser.value(parser.skip(0), top=True)
    except RecursionError:
        raise json.JSONDecodeError("nested too deeply to be read", text, 0) from None
    end = parser.skip(end)
    if end != len(text):
        raise json.JSONDecodeError("Extra data", text, end)
    return value


class _Parser:
    """The top level of a JSON text walked here, every value below it by the C decoder."""

    def __init__(self, text: str, cancelled: CancelCheck) -> None:
        self.text, self.cancelled = text, cancelled
        self.decode = json.JSONDecoder().raw_decode

    def skip(self, i: int) -> int:
        match = _SPACE.match(self.text, i)
        return i if match is None else match.end()

    def value(self, i: int, *, top: bool = False) -> tuple[Any, int]:
        char = self.text[i:i + 1]
        if char == "[":
            return self.array(i)
        if char == "{" and top:
            return self.members(i)
        return self.decode(self.text, i)

    def array(self, i: int) -> tuple[list, int]:
        items: list[Any] = []
        i = self.skip(i + 1)
        if self.text[i:i + 1] == "]":
            return items, i + 1
        while True:
            check(self.cancelled)
            item, i = self.decode(self.text, i)
            items.append(item)
            i = self.skip(i)
            char = self.text[i:i + 1]
            if char == "]":
                return items, i + 1
            if char != ",":
                raise json.JSONDecodeError("Expecting ',' delimiter", self.text, i)
            i = self.skip(i + 1)

    def members(self, i: int) -> tuple[dict, int]:
        found: dict[str, Any] = {}
        i = self.skip(i + 1)
        if self.text[i:i + 1] == "}":
            return found, i + 1
        while True:
            if self.text[i:i + 1] != '"':
                raise json.JSONDecodeError("Expecting property name enclosed in double quotes", self.text, i)
            key, i = self.decode(self.text, i)
            i = self.skip(i)
            if self.text[i:i + 1] != ":":
                raise json.JSONDecodeError("Expecting ':' delimiter", self.text, i)
            found[key], i = self.value(self.skip(i + 1))
            i = self.skip(i)
            char = self.text[i:i + 1]
            if char == "}":
                return found, i + 1
            if char != ",":
                raise json.JSONDecodeError("Expecting ',' delimiter", self.text, i)
            i = self.skip(i + 1)


def xml_root(path: Path, cancelled: CancelCheck | None = None) -> ET.Element:
    """The root element of the XML file `path` (as ``ET.parse(path).getroot()``), fed to the parser
    a chunk at a time. Raises OSError, ET.ParseError, ReadCancelled."""
    parser = ET.XMLParser()
    with path.open("rb") as file:
        while chunk := file.read(CHUNK_BYTES):
            check(cancelled)
            parser.feed(chunk)
    return parser.close()
