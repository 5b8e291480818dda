"""A word a subcommand does not take (``fosp project status P --json extra``, ``fosp train-ssl --steps 1``)
was refused by the top parser: "usage: fosp [-h] COMMAND ...  fosp: error: unrecognized arguments", the
usage of every command but the one typed. The subcommand's own parser now says it, with its usage."""

from __future__ import annotations

import pytest

from fosp_core.cli import main


@pytest.mark.parametrize(("argv", "prog"), [
    (["project", "status", "somewhere", "--json", "extra"], "fosp project status"),
    (["dataset", "stats", "somewhere", "--bogus"], "fosp dataset stats"),
    (["compare", "a", "b", "--grid", "grid.jpg"], "fosp compare"),
])
def test_an_unknown_word_is_said_by_the_subcommand(argv: list[str], prog: str,
                                                   capsys: pytest.CaptureFixture) -> None:
    with pytest.raises(SystemExit) as caught:
        main(argv)
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith(f"usage: {prog} "), err
    assert f"{prog}: error: unrecognized arguments: " in err, err
    assert "COMMAND ..." not in err
