"""Packaging QA: what a wheel, the PyInstaller spec and the .desktop entry carry, and the README's
promises about installing and testing (the "two commands")."""

from __future__ import annotations

import fnmatch
import re
import subprocess
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _tracked(prefix: str) -> list[str]:
    """Files git tracks under `prefix` (what a clone has); the files on disk where git is absent."""
    try:
        out = subprocess.run(["git", "ls-files", "--", prefix], cwd=ROOT, capture_output=True, text=True,
                             check=True).stdout
        files = [line for line in out.splitlines() if line]
    except (OSError, subprocess.CalledProcessError):
        files = []
    if not files:
        files = [p.relative_to(ROOT).as_posix() for p in (ROOT / prefix).rglob("*") if p.is_file()
                 and "__pycache__" not in p.parts]
    return files


def test_a_wheel_carries_every_runtime_file_under_resources() -> None:
    """Each file of resources/ (default model + card, demo images, masks, splits, licence) is in
    pyproject's data-files, at the same relative place under share/fosp-studio/ where
    fosp_core.paths looks for it: a wheel without its model or demo is a broken product."""
    data_files: dict[str, list[str]] = PYPROJECT["tool"]["setuptools"]["data-files"]
    missing = []
    for rel in _tracked("resources"):
        if rel.startswith("resources/") and Path(rel).name == ".gitignore":
            continue
        dest = "share/fosp-studio/" + str(Path(rel).parent.as_posix())
        if not any(fnmatch.fnmatch(rel, pattern) for pattern in data_files.get(dest, [])):
            missing.append(rel)
    assert missing == [], f"not in [tool.setuptools.data-files] at share/fosp-studio/...: {missing}"
    assert any(rel.endswith("fosp-default.safetensors") for rel in _tracked("resources"))


def test_a_wheel_carries_every_non_python_file_of_the_packages() -> None:
    """Configs (training recipes, split lists) and any other data inside fosp_core/ and app/ are
    package-data."""
    package_data: dict[str, list[str]] = PYPROJECT["tool"]["setuptools"].get("package-data", {})
    missing = []
    for package in ("fosp_core", "app"):
        for rel in _tracked(package):
            if rel.endswith((".py", ".pyc")) or Path(rel).name == ".gitignore":
                continue
            inside = Path(rel).relative_to(package).as_posix()
            if not any(fnmatch.fnmatch(inside, pattern) for pattern in package_data.get(package, [])):
                missing.append(rel)
    assert missing == [], f"not in [tool.setuptools.package-data]: {missing}"


def test_resources_found_after_a_user_scheme_install(tmp_path, monkeypatch) -> None:
    """`pip install --user .` puts the data-files under the user base (~/.local/share/fosp-studio),
    not under sys.prefix: the demo and the default model must be found there too."""
    import fosp_core.paths as paths

    user_resources = tmp_path / "userbase" / "share" / "fosp-studio" / "resources"
    user_resources.mkdir(parents=True)
    empty_prefix = tmp_path / "prefix"
    empty_prefix.mkdir()
    monkeypatch.setattr(paths, "PROJECT_ROOT", tmp_path / "site-packages")
    monkeypatch.setattr(paths.sys, "prefix", str(empty_prefix))
    monkeypatch.setattr(paths.sys, "base_prefix", str(empty_prefix))
    monkeypatch.setattr("site.getuserbase", lambda: str(tmp_path / "userbase"))
    assert paths._resources() == user_resources


def test_ci_runs_the_readme_test_command() -> None:
    """`.ci/run` runs exactly the README's quick-start test command."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```bash\n(.*?)```", readme, flags=re.S)
    commands = [line.strip() for block in blocks for line in block.splitlines()
                if line.strip() and not line.lstrip().startswith("#")]
    test_command = next(c for c in commands if "pytest" in c)
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    runs = [line.strip() for line in ci if line.strip().startswith(test_command)]
    assert runs, f".ci/run does not run the README's test command {test_command!r}"


@pytest.mark.parametrize("failing", ["install", "tests"])
def test_ci_stops_when_the_install_or_the_tests_fail(failing: str, tmp_path) -> None:
    """Under `set -e` a failure on the left of `&&` does not stop the script: a failed install
    must not skip the tests and carry on to the linters with exit 0."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    install, tests = re.search(r"\n(python -m pip install -e \S+) && (python -m pytest -q[^\n]*)", readme).groups()
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    line = next(line for line in script.splitlines() if line.startswith(install))
    line = line.replace(install, "false" if failing == "install" else "true")
    line = line.replace(tests, "false" if failing == "tests" else "true")
    result = subprocess.run(["bash", "-c", f"set -euo pipefail\n{line}\necho went-on-to-lint"],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode != 0 and "went-on-to-lint" not in result.stdout


def test_pyinstaller_spec_and_build_script_name_files_that_exist() -> None:
    spec = (ROOT / "packaging" / "fosp-studio.spec").read_text(encoding="utf-8")
    for rel in re.findall(r'ROOT / ((?:"[^"]+"(?: / )?)+)', spec):
        parts = re.findall(r'"([^"]+)"', rel)
        assert (ROOT.joinpath(*parts)).exists(), f"the spec names {'/'.join(parts)}, which does not exist"
    # fosp_core.cli registers its subcommands through importlib, invisible to PyInstaller's analysis.
    assert 'collect_submodules("fosp_core")' in spec
    build = (ROOT / "packaging" / "build.sh").read_text(encoding="utf-8")
    for rel in re.findall(r"\bpackaging/[\w.-]+", build):
        assert (ROOT / rel).exists(), f"build.sh names {rel}, which does not exist"


def _desktop_entry() -> dict[str, str]:
    entry = {}
    for line in (ROOT / "packaging" / "fosp-studio.desktop").read_text(encoding="utf-8").splitlines():
        if "=" in line and not line.startswith("#"):
            key, value = line.split("=", 1)
            entry[key.strip()] = value.strip()
    return entry


def test_desktop_entry_offers_the_videos_the_app_opens() -> None:
    """The app opens videos (README: MP4/AVI/MKV/MOV); a file manager offers it for them only if
    the .desktop entry lists their MIME types."""
    mime = set(filter(None, _desktop_entry()["MimeType"].split(";")))
    for needed in ("image/jpeg", "image/png", "inode/directory", "video/mp4", "video/x-msvideo",
                   "video/x-matroska", "video/quicktime"):
        assert needed in mime, f"{needed} missing from the .desktop MimeType"


@pytest.mark.parametrize("key", ["Exec", "Icon", "Name", "Type"])
def test_desktop_entry_has_required_keys(key: str) -> None:
    assert _desktop_entry().get(key)


def test_main_py_runs_the_command_line_for_minus_m_fosp_core(monkeypatch, capsys) -> None:  # noqa: ANN001
    """In the PyInstaller bundle sys.executable is the app itself (main.py frozen), and the
    Fine-tune dialog starts `sys.executable -m fosp_core train RECIPE ...`: main.py must run the
    command line for that, not open a second window on paths called 'fosp_core' and 'train'.
    main.py runs here as `__main__` (in this process: a new one costs ~2.5 s of importing torch)."""
    import runpy
    import sys

    import app.main

    def gui(*_args: object) -> int:
        raise AssertionError("main.py -m fosp_core info opened the GUI")

    monkeypatch.setattr(app.main, "main", gui)
    monkeypatch.setattr(sys, "argv", [str(ROOT / "main.py"), "-m", "fosp_core", "info"])
    with pytest.raises(SystemExit) as exited:
        runpy.run_path(str(ROOT / "main.py"), run_name="__main__")
    assert exited.value.code == 0
    assert "models are looked for in" in capsys.readouterr().out


def test_pyproject_license_is_an_spdx_expression() -> None:
    """setuptools deprecates `license = { text = ... }` (an error after 2027-02-18: a fresh
    `pip install` then fails to build); an SPDX string needs setuptools >= 77."""
    assert isinstance(PYPROJECT["project"]["license"], str)
    requires = " ".join(PYPROJECT["build-system"]["requires"])
    version = re.search(r"setuptools>=(\d+)", requires)
    assert version and int(version.group(1)) >= 77, requires
