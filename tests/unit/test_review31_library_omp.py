"""Library predictions (`fosp_core.predict`, `load_predictor`) run under torch's default OpenMP wait
policy: `fosp` and the app set OMP_WAIT_POLICY=PASSIVE as they start (`fosp_core.omp_policy`), a library
must not change its process's environment. docs/library.md said nothing of it, though a crowded CPU ran
a training step 5-8x slower without it (docs/training.md, session 30). The guide now says how to set it
before torch is imported; importing and using the library still leaves the environment alone."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_library_guide_says_how_to_set_the_wait_policy() -> None:
    text = (ROOT / "docs" / "library.md").read_text(encoding="utf-8")
    assert "OMP_WAIT_POLICY=PASSIVE" in text
    assert "before" in text[text.index("OMP_WAIT_POLICY"):][:600] and "torch" in text[text.index("OMP_WAIT_POLICY"):][:600]


def test_importing_the_library_leaves_the_environment_alone() -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("OMP_WAIT_POLICY", "GOMP_SPINCOUNT", "KMP_BLOCKTIME")}
    code = ("import os, fosp_core; fosp_core.load_predictor; fosp_core.Predictor; import fosp_core.infer.api; "
            "print(os.environ.get('OMP_WAIT_POLICY'))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "None"
