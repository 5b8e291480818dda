"""Review of 0b1d4253 (``~`` read as the home in every word of the command line): on Windows,
``os.path.expanduser("~1.png")`` names the user ``1.png``'s home without asking whether there is one
(ntpath joins it beside the current user's: ``C:\\Users\\1.png``), so ``fosp predict ~1.png`` or a
``~draft.jpg`` in the working folder read or wrote a file elsewhere. Neither cmd nor PowerShell reads
``~user`` there; only ``~`` alone or before a separator is the home. POSIX keeps ``~user`` (the user
database says whether it is one: an unknown user's word is left as it is, as the shell leaves it)."""

from __future__ import annotations

import ntpath
import os

import pytest

from fosp_core import cli


def _on_windows(monkeypatch: pytest.MonkeyPatch, words: list[str]) -> list[str]:
    """`cli.expand_home(words)` as on Windows (os.name and os.path.expanduser set only for the call:
    pytest's own paths need the real ones)."""
    monkeypatch.setenv("USERPROFILE", r"C:\Users\ann")
    monkeypatch.setenv("USERNAME", "ann")
    with monkeypatch.context() as m:
        m.setattr(cli.os.path, "expanduser", ntpath.expanduser)
        m.setattr(cli.os, "name", "nt")
        return cli.expand_home(words)


def test_a_file_named_with_a_leading_tilde_stays_itself_on_windows(monkeypatch: pytest.MonkeyPatch) -> None:
    words = ["~1.png", "~draft.jpg", "--json=~x.json", "~$report.png"]
    assert _on_windows(monkeypatch, words) == words


def test_the_home_is_still_the_home_on_windows(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _on_windows(monkeypatch, ["~", "~/out.json", "~\\out.json", "--json=~/s.json"]) == [
        r"C:\Users\ann", r"C:\Users\ann/out.json", r"C:\Users\ann\out.json", r"--json=C:\Users\ann/s.json"]


@pytest.mark.skipif(os.name != "posix", reason="~user is read through the POSIX user database")
def test_posix_still_reads_a_known_user() -> None:
    import pwd

    user = pwd.getpwuid(os.getuid())
    assert cli.expand_home([f"~{user.pw_name}/x"]) == [os.path.join(user.pw_dir, "x")]
    assert cli.expand_home(["~draft-no-such-user.jpg"]) == ["~draft-no-such-user.jpg"]
