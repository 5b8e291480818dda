"""Projects made by older FoSp Studio code, opened with today's: a recovery log as the first version
with logs wrote it (e34c71d, format 1) is applied; and (slow, needs git) real projects made by the
old code itself - 923d370 (journal of bare entries) and e34c71d (recovery logs) - closed cleanly,
killed, and killed with pending logs, open with every save, the old journal's files backed up."""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from fosp_core.annotation.project import Project

ROOT = Path(__file__).resolve().parents[2]
MAKER = Path(__file__).with_name("old_project_maker.py")


def test_a_recovery_log_written_as_the_first_version_wrote_it_is_applied(tmp_path: Path) -> None:
    src, loc = tmp_path / "images", tmp_path / "project"
    src.mkdir()
    Image.fromarray(np.zeros((8, 16, 3), np.uint8)).save(src / "a.png")
    Project.open(src, loc).close()
    crop = np.zeros((2, 4), np.uint8)
    crop[0, :2], crop[1, 3] = 1, 255  # smoke and ignore, as its two planes keep them
    record = {"format": 1, "shape": [8, 16], "rect": [0, 8, 0, 16], "status": "edited",
              "smoke": "", "ignore": ""}
    whole = np.zeros((8, 16), np.uint8)
    whole[2:4, 5:9] = crop
    record["smoke"] = base64.b64encode(np.packbits(whole == 1)).decode()
    record["ignore"] = base64.b64encode(np.packbits(whole == 255)).decode()
    status_only = {"format": 1, "shape": [8, 16], "rect": None, "status": "reviewed"}
    log = loc / "masks" / "a.png.recovery"
    log.write_bytes(b"".join(json.dumps(r, separators=(",", ":")).encode() + b"\n" for r in (record, status_only)))
    with Project.open(src, loc) as project:
        assert project.recovered == ["a"] and not project.recovery_problems
        assert project.entry("a").status.value == "reviewed"
        assert np.array_equal(project.load_mask("a"), whole)
    assert not log.exists() and not list(loc.rglob("*.unapplied*"))


def test_the_cli_says_which_images_an_opening_recovered(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    from fosp_core.cli import main

    src, loc = tmp_path / "images", tmp_path / "project"
    src.mkdir()
    Image.fromarray(np.zeros((8, 16, 3), np.uint8)).save(src / "a.png")
    Project.open(src, loc).close()
    plane = base64.b64encode(np.packbits(np.zeros((8, 16), bool))).decode()
    record = {"format": 1, "shape": [8, 16], "rect": [0, 8, 0, 16], "status": "reviewed", "smoke": plane,
              "ignore": plane}
    (loc / "masks" / "a.png.recovery").write_bytes(json.dumps(record, separators=(",", ":")).encode() + b"\n")
    capsys.readouterr()
    assert main(["project", "status", str(loc), "--json"]) == 0
    out = capsys.readouterr()
    said = [line for line in out.err.splitlines() if "recovered" in line]
    assert len(said) == 1 and "1 image(s) (a)" in said[0], out.err
    assert json.loads(out.out)["status"]["reviewed"] == 1


def _make(rev: str, mode: str, tmp_path: Path) -> Path:
    tree = tmp_path / f"old-{rev}"
    if not tree.is_dir():
        tree.mkdir()
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev], capture_output=True, check=False)
        if archive.returncode:
            pytest.skip(f"git archive {rev}: {archive.stderr.decode().strip()}")
        subprocess.run(["tar", "-x", "-C", str(tree)], input=archive.stdout, check=True)
    dest = tmp_path / f"{rev}-{mode}"
    env = dict(os.environ, PYTHONPATH=str(tree))
    subprocess.run([sys.executable, str(MAKER), str(dest), mode], env=env, check=True, cwd=tmp_path,
                   capture_output=True)
    return dest


@pytest.mark.slow
def test_projects_made_by_the_old_code_open_with_every_save(tmp_path: Path) -> None:
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("needs the repository's history")
    saved = ["reviewed", "edited", "reviewed", "edited"]
    for rev, mode, upgraded, recovered in [("923d370", "closed", False, False), ("923d370", "killed", True, False),
                                           ("e34c71d", "killed", False, False), ("e34c71d", "pending", False, True)]:
        dest = _make(rev, mode, tmp_path)
        loc = dest / "project"
        journal = loc / "changes.jsonl"
        before = {p.name: p.read_bytes() for p in (loc / "project.json", journal) if p.is_file()}
        with Project.open(dest / "images", loc) as project:
            assert [project.entry(i).status.value for i in project.ids] == saved, (rev, mode)
            assert (project.upgrade is not None) == upgraded, (rev, mode)
            assert project.recovered == (list(project.ids) if recovered else []), (rev, mode)
            assert not project.recovery_problems and not project.pending_logs
            masks = [project.load_mask(i) for i in project.ids]
        assert all(m is not None and int((m == 1).sum()) > 0 for m in masks), (rev, mode)
        backups = sorted(p.name for p in loc.glob("*.bak"))
        if upgraded:
            assert backups == ["changes.jsonl.v1-journal0.bak", "project.json.v1-journal0.bak"]
            assert (loc / "project.json.v1-journal0.bak").read_bytes() == before["project.json"]
            assert (loc / "changes.jsonl.v1-journal0.bak").read_bytes() == before["changes.jsonl"]
        else:
            assert backups == [], (rev, mode)
