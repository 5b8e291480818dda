"""`fosp --version` was refused ("fosp: error: unrecognized arguments: --version", exit 2) where
`fosp-studio --version` answers: it now prints the version, as `fosp info` names it, and exits 0."""

from __future__ import annotations

import pytest

from fosp_core import __version__
from fosp_core.cli import main


def test_fosp_says_its_version(capsys: pytest.CaptureFixture) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["--version"])
    assert caught.value.code == 0
    assert capsys.readouterr().out == f"fosp {__version__}\n"
