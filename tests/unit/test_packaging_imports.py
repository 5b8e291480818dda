"""What the code imports is what pyproject declares: a fresh `pip install -e .` (the README's app
command) brings every package that fosp_core/ and app/ import, and `.[dev]` (the test command) every
package that tests/ import and every pytest plugin that pyproject's pytest settings and the test
command rely on. Source text only (ast), mapped to distributions through the installed metadata."""

from __future__ import annotations

import ast
import importlib.metadata
import re
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
OWN = {"fosp_core", "app", "tests", "conftest", "__future__"}


def _canonical(name: str) -> str:
    """A distribution name as PEP 503 compares them (PySide6_Essentials == pyside6-essentials)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirement_names(requirements: list[str]) -> set[str]:
    """The canonical distribution names of PEP 508 requirement strings."""
    return {_canonical(re.split(r"[\s<>=!~;\[(]", req.strip(), maxsplit=1)[0]) for req in requirements}


RUNTIME = _requirement_names(PYPROJECT["project"]["dependencies"])
DEV = _requirement_names(PYPROJECT["project"]["optional-dependencies"]["dev"])


def _statements(node: ast.AST) -> Iterator[ast.AST]:
    """Every statement in `node`, at any depth (in functions, classes, if/try/with/for/match blocks): an
    import is a statement, so expressions need no walk (`ast.walk` visited ~850 000 nodes of tests/ for its
    ~4 000 imports, ~2 s of the 2-core CI's time)."""
    for name in ("body", "orelse", "finalbody", "handlers", "cases"):
        for child in getattr(node, name, ()):
            yield child
            yield from _statements(child)


def third_party_imports(files: list[Path]) -> dict[str, list[str]]:
    """Top-level module name -> files importing it (absolute imports that are neither the standard
    library nor this repository's own packages)."""
    found: dict[str, list[str]] = {}
    for path in files:
        for node in _statements(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top not in sys.stdlib_module_names and top not in OWN:
                    found.setdefault(top, []).append(path.relative_to(ROOT).as_posix())
    return found


def _undeclared(imports: dict[str, list[str]], declared: set[str]) -> dict[str, str]:
    """Imported modules whose installed distribution is not in `declared` (module -> a file)."""
    distributions = importlib.metadata.packages_distributions()
    missing = {}
    for module, files in sorted(imports.items()):
        names = {_canonical(d) for d in distributions.get(module, [f"<not installed: {module}>"])}
        if not names & declared:
            missing[module] = f"{sorted(names)} imported by {files[0]} (+{len(files) - 1})"
    return missing


def test_every_package_the_app_and_core_import_is_a_runtime_dependency() -> None:
    """`import shiboken6` (6 app modules: is a Qt object still alive) came only as PySide6-Essentials'
    own dependency: an install that resolves it apart (a constraints file, a packager) is not bound
    to provide it. Every third-party import of fosp_core/, app/ and main.py is declared."""
    files = [*ROOT.glob("fosp_core/**/*.py"), *ROOT.glob("app/**/*.py"), ROOT / "main.py"]
    assert len(files) > 100
    assert _undeclared(third_party_imports(files), RUNTIME) == {}


def test_every_package_the_tests_import_comes_with_the_dev_extra() -> None:
    """The test command installs `.[dev]` only: what tests/ import is a runtime or a dev dependency."""
    files = list(ROOT.glob("tests/**/*.py"))
    assert _undeclared(third_party_imports(files), RUNTIME | DEV) == {}


def test_the_pytest_plugins_the_settings_and_the_test_command_need_are_dev_dependencies() -> None:
    """pyproject's `timeout` needs pytest-timeout (without it pytest warns and a hung test stops
    the run), `qt_api` pytest-qt, and the README's `-n 2` pytest-xdist."""
    settings = PYPROJECT["tool"]["pytest"]["ini_options"]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    needed = {"timeout": "pytest-timeout", "timeout_method": "pytest-timeout", "qt_api": "pytest-qt"}
    wanted = {plugin for key, plugin in needed.items() if key in settings}
    if re.search(r"python -m pytest[^\n]* -n \d", readme):
        wanted.add("pytest-xdist")
    assert wanted == {"pytest-timeout", "pytest-qt", "pytest-xdist"}
    assert sorted(wanted - DEV) == []
