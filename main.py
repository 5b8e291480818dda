"""Launch FoSp Studio: python main.py [image|folder|video|dataset ...] [--screenshot OUT.png].

Also the PyInstaller bundle's entry point, whose sys.executable is this program: the Fine-tune
dialog starts `sys.executable -m fosp_core train ...`, so `-m fosp_core ARGS` runs the command line
(`fosp ARGS`) instead of opening a window.
"""

import multiprocessing
import sys

from fosp_core.omp_policy import apply_default_wait_policy

if __name__ == "__main__":
    # First: in a frozen bundle a spawned child (a fine-tune's DataLoader workers) runs this program;
    # freeze_support runs the child's work and exits instead of opening another window.
    multiprocessing.freeze_support()
    apply_default_wait_policy()  # before torch loads, for the app and `-m fosp_core` (a user's own setting wins)
    if sys.argv[1:3] == ["-m", "fosp_core"]:
        from fosp_core.cli import main as cli_main

        sys.argv = [sys.argv[0], *sys.argv[3:]]  # as `fosp ARGS`: run as the program (its quick exit)
        sys.exit(cli_main())
    from app.main import main

    sys.exit(main())
