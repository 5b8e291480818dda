"""With nothing open, Run on This Image's tooltip said "open an image or a folder first (File ▸ Open…)", but File ▸
Open… picks image files only (its dialog lists no folder to choose): a folder is opened with File ▸ Open Folder…, which
the words name now."""

from __future__ import annotations

from tests.gui.conftest import WindowFactory


def test_words_s36_the_run_actions_with_nothing_open_name_where_a_folder_opens(make_window: WindowFactory) -> None:
    window = make_window()
    menu = {a.text().replace("&", ""): a for a in window.menuBar().actions()}
    file_items = [a.text().replace("&", "") for a in menu["File"].menu().actions()]
    assert "Open…" in file_items and "Open Folder…" in file_items  # the two the words name
    for action in (window.analysis.action_run, window.analysis.action_run_all):
        assert not action.isEnabled()
        assert action.toolTip().endswith("open an image or a folder first (File ▸ Open… or Open Folder…)"), action.toolTip()
