"""The journal cut into lines (`fosp_core.annotation.entries.journal_lines`) without a regex where there is
no NUL (a regex split was about 13x the cost of ``bytes.split``, at every opening and compaction check:
bench/bench_journal_lines.py), and with the same lines as the regex cut in every case: a NUL run ends a
line, blank pieces are left out."""

from __future__ import annotations

import random
import re

import pytest

from fosp_core.annotation import entries

_REFERENCE = re.compile(rb"\n|\x00+")


def _reference(data: bytes) -> list[bytes]:
    """The rule: cut at each newline and each NUL run; pieces that are blank left out."""
    return [line for line in _REFERENCE.split(data) if line.strip()]


class _NoRegex:
    def split(self, data: bytes) -> list[bytes]:
        raise AssertionError("the regex cut a journal with no NUL")


def test_a_journal_with_no_nul_is_cut_without_the_regex(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(entries, "_LINE_END", _NoRegex(), raising=False)
    data = b'{"generation": 1, "entry": {}}\n  \n{"generation": 1, "entry": {"id": "\xc3\xa9"}}\r\n{"gen'
    assert entries.journal_lines(data) == [b'{"generation": 1, "entry": {}}',
                                           b'{"generation": 1, "entry": {"id": "\xc3\xa9"}}\r', b'{"gen']


@pytest.mark.parametrize("seed", range(40))
def test_the_lines_are_the_regex_cut_s(seed: int) -> None:
    """Random journals of lines, newlines, NUL runs, blanks and CRs: the same lines as the regex cut."""
    rng = random.Random(seed)
    pieces = [b"\n", b"\0", b"\0" * 4096, b" ", b"\r\n", b"\t", b'{"generation": 2, "entry": {"id": "a"}}',
              b"\xe2\x82", b"x", b"\n\0\n", b"\0 \0"]
    for _ in range(20):
        data = b"".join(rng.choice(pieces) for _ in range(rng.randrange(0, 30)))
        assert entries.journal_lines(data) == _reference(data), data


@pytest.mark.parametrize("data", [b"", b"\0", b"\0\0\n\0", b"a\0b", b"a\0\0\0b\nc", b" \0 \n\t", b"a\n\n\nb\0"])
def test_edge_cases(data: bytes) -> None:
    assert entries.journal_lines(data) == _reference(data)
