"""The README's Quick start, read as a new user reads it: top to bottom, running each command as it
comes. Text only (no import of the package): well under 1 s."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CPU_INDEX = "https://download.pytorch.org/whl/cpu"


def quick_start() -> str:
    """The text of the README's Quick start section."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return readme.split("\n## Quick start\n", 1)[1].split("\n## ", 1)[0]


def commands(text: str) -> list[str]:
    """The command lines of the ```bash blocks of `text`, in order (comments left out)."""
    blocks = re.findall(r"```bash\n(.*?)```", text, flags=re.S)
    return [line.strip() for block in blocks for line in block.splitlines()
            if line.strip() and not line.lstrip().startswith("#")]


def test_the_cpu_wheel_comes_before_the_first_install() -> None:
    """A reader who runs the commands as they come must meet the CPU wheel before the first
    `pip install -e`, which pulls PyPI's multi-GB CUDA torch on x86-64 Linux. It was a paragraph
    after both commands, in inline code: a literal reader had downloaded the CUDA wheel by then."""
    lines = commands(quick_start())
    installs = [i for i, line in enumerate(lines) if "pip install -e" in line]
    cpu = [i for i, line in enumerate(lines) if CPU_INDEX in line]
    assert installs and cpu, lines
    assert cpu[0] < installs[0], lines
    assert lines[cpu[0]].startswith("python -m pip install torch "), lines[cpu[0]]


def test_the_quick_start_commands_are_the_app_and_the_tests() -> None:
    """The two promised commands: install + open the app (no arguments: the demo), install +
    the tests; every other command is optional: the CPU wheel, or the X11 libraries a minimal Linux
    system lacks (`sudo apt install libxcb...`, in its own block since the README's tidy-up)."""
    lines = commands(quick_start())
    assert "python -m pip install -e . && fosp-studio" in lines
    assert 'python -m pip install -e ".[dev]" && python -m pytest -q -n 2' in lines
    optional = [line for line in lines if "pip install -e" not in line and CPU_INDEX not in line]
    assert [line for line in optional if not line.startswith("sudo apt install libxcb")] == []


def test_the_venv_is_made_before_any_command() -> None:
    """Debian's and Ubuntu's Python refuse `pip install` outside a virtual environment: the way to
    make one (POSIX and Windows) is said before the first command block."""
    text = quick_start()
    first_block = text.index("```bash")
    assert text.index("python3 -m venv .venv && . .venv/bin/activate") < first_block
    assert text.index(".venv\\Scripts\\activate") < first_block


def test_the_layout_names_the_torch_that_ci_installs() -> None:
    """`.ci/run` pins `torch==X` with no CPU index: a CPU wheel only where pip finds one in a local
    wheel folder. The README's Layout said 'the CPU torch wheel', which PyPI alone does not give."""
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    pin = re.search(r"^python -m pip install (?:-q )?(torch\S*)", ci, flags=re.M)
    assert pin is not None, ci
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    layout = readme.split("\n## Layout\n", 1)[1].split("\n## ", 1)[0]
    line = layout[layout.index(".ci/run"):].split("\n```", 1)[0]
    if CPU_INDEX not in ci:
        assert pin.group(1) in line and "CUDA" in line, line
