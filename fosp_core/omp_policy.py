"""OpenMP's wait policy for FoSp's programs: `OMP_WAIT_POLICY=PASSIVE` unless the user chose.

torch's CPU kernels run on an OpenMP pool (GNU libgomp in the Linux wheels). After each parallel
region its threads spin before they sleep (libgomp's default: GOMP_SPINCOUNT 300 000 when the policy
is unset; 30 billion under ACTIVE; 0 under PASSIVE). On cores that other work wants too (a shared
machine, the app's GUI thread beside its inference thread, a DataLoader worker) the spinning threads
hold cores the work waiting at the next barrier needs: a 512 px validation forward took 2.2-5.4 s
against 0.9-1.05 s under PASSIVE on the 2 shared cores, and a quiet machine lost ~10 % to PASSIVE
(docs/benchmarks-model.md, `bench/bench_omp_wait_policy.py`).

The runtime reads the variable once, as it loads with torch, so the entry points call
`apply_default_wait_policy()` before anything imports torch: `fosp` (`fosp_core.cli.main`, also
`python -m fosp_core` and the bundle's `-m fosp_core`), `python main.py` and the app (`app.main.main`, `python -m app`,
the `fosp-studio` entry, whose imports do not load torch: the model loads later), each as it starts,
never at import. A user's own `OMP_WAIT_POLICY`, or a spin setting of theirs (`GOMP_SPINCOUNT`,
Intel's `KMP_BLOCKTIME`), wins; the library alone (a notebook, a script importing `fosp_core` or
`app.main`) changes nothing. A process the app or `fosp` starts (a fine-tune, DataLoader workers) inherits it.
"""

from __future__ import annotations

import os
import sys
from collections.abc import MutableMapping

__all__ = ["DEFAULT_POLICY", "USER_KNOBS", "WAIT_ENV", "apply_default_wait_policy"]

WAIT_ENV = "OMP_WAIT_POLICY"
DEFAULT_POLICY = "PASSIVE"
#: Variables that say the user chose how OpenMP's threads wait: any of them set, nothing is changed.
USER_KNOBS = (WAIT_ENV, "GOMP_SPINCOUNT", "KMP_BLOCKTIME")


def apply_default_wait_policy(environ: MutableMapping[str, str] | None = None) -> str | None:
    """Set `OMP_WAIT_POLICY=PASSIVE` in `environ` (default: this process's) when none of `USER_KNOBS`
    is set and torch is not loaded yet (set later, the runtime would not read it: nothing is changed);
    returns the policy set, or None when nothing was."""
    env = os.environ if environ is None else environ
    if any(name in env for name in USER_KNOBS) or "torch" in sys.modules:
        return None
    env[WAIT_ENV] = DEFAULT_POLICY
    return DEFAULT_POLICY
