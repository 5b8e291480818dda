"""Which threads called what, for the off-the-GUI-thread tests (no tests here)."""

from __future__ import annotations

import threading

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
