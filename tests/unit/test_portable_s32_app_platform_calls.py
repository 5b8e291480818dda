"""Two calls of the app that exist or mean the same on Linux only: the GUI-stall report
(``FOSP_STALL_REPORT=1``) said the load average with ``os.getloadavg``, which Windows lacks (AttributeError:
no report), and the display pyramid's render thread lowered its priority with
``os.setpriority(PRIO_PROCESS, threading.get_native_id(), 10)`` - on macOS the native thread id is no process
id, so that reniced whichever process of the user had that number. Platforms simulated."""

from __future__ import annotations

import os
import sys

import pytest


def test_a_stall_report_without_a_load_average(monkeypatch: pytest.MonkeyPatch) -> None:
    from app.stall_report import StallReport

    monkeypatch.delattr(os, "getloadavg", raising=False)  # Windows
    text = StallReport(ms=420.0, threads={"MainThread": (400.0, 10.0)}, gui_stack=["main.py:1"]).text()
    assert text.startswith("GUI thread stalled 420 ms; load average unknown;"), text


@pytest.mark.parametrize("platform", ["darwin", "win32"])
def test_the_render_thread_renices_no_other_process(monkeypatch: pytest.MonkeyPatch, platform: str) -> None:
    from app import display_pyramid

    reniced: list[tuple[int, int, int]] = []
    monkeypatch.setattr(sys, "platform", platform)
    monkeypatch.setattr(os, "setpriority", lambda which, who, prio: reniced.append((which, who, prio)), raising=False)
    display_pyramid._lower_priority()
    assert reniced == []


def test_on_linux_the_render_thread_still_yields(monkeypatch: pytest.MonkeyPatch) -> None:
    from app import display_pyramid

    reniced: list[tuple[int, int, int]] = []
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setattr(os, "setpriority", lambda which, who, prio: reniced.append((which, who, prio)), raising=False)
    display_pyramid._lower_priority()
    assert len(reniced) == 1 and reniced[0][2] == 10
