"""Which threads called what, and what code on other threads holds, for the off-the-GUI-thread tests
(no tests here)."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest


def record_threads(monkeypatch: pytest.MonkeyPatch,
                   spies: dict[str, list[tuple[object, str]]]) -> dict[str, list[threading.Thread]]:
    """Wrap each (owner, attribute name) of `spies` so that a call records its thread under the key it
    is listed by, then calls the real one; returns the records (key -> threads, in call order)."""
    made: dict[str, list[threading.Thread]] = {key: [] for key in spies}

    def spy(owner: object, name: str, key: str) -> None:
        real = getattr(owner, name)

        def recorded(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
            made[key].append(threading.current_thread())
            return real(*args, **kwargs)

        monkeypatch.setattr(owner, name, recorded)

    for key, places in spies.items():
        for owner, name in places:
            spy(owner, name, key)
    return made


@contextmanager
def holders_on_threads(kinds: type | tuple[type, ...]) -> Iterator[list[str]]:
    """Code run on threads started from here on (to the end of the block) that holds an instance of `kinds`
    in a local or a closure's cell: one ``"<function> holds [<names>]"`` a call, in call order."""
    found: list[str] = []

    def watch(frame, event, _arg):  # noqa: ANN001, ANN202
        if event == "call" and threading.current_thread() is not threading.main_thread():
            held = [name for name, value in frame.f_locals.items() if isinstance(value, kinds)]
            if held:
                found.append(f"{frame.f_code.co_name} holds {held}")

    threading.setprofile(watch)
    try:
        yield found
    finally:
        threading.setprofile(None)
        sys.setprofile(None)
