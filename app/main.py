"""Entry point of the GUI: ``create_app`` + ``MainWindow(services)`` + ``main``.

    python main.py [paths...]                      open images, folders, SmokeSeg datasets
    python main.py                                 open the bundled demo dataset
    python main.py --screenshot OUT.png [paths]    render the window offscreen, save a PNG (OUT.jpg: a JPEG), exit
    python main.py --theme light [paths]           this run in the light theme (View ▸ Theme keeps one)
        [--run-model [--checkpoint F] [--layers a,b] [--compare GRID.png]]   run the model first
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import (
    QEventLoop,
    QMessageLogContext,
    QSettings,
    QTimer,
    QtMsgType,
    qFormatLogMessage,
    qInstallMessageHandler,
)
from PySide6.QtWidgets import QApplication

from app.annotation.export_worker import quit_leaving_exports
from app.gc_guard import install_gc_guard
from app.icons import app_icon
from app.main_args import (
    SCREENSHOT_SIZE,
    build_parser,
    make_screenshot_folder,
    parse_args,
    resolve_checkpoint_option,
    screenshot_format,
    screenshot_size,
    usage_problem,
)
from app.main_window import MainWindow
from app.memory_return import return_large_blocks
from app.picture_format import save_picture
from app.quiet_notice import tell_quietly
from app.services import APPLICATION, ORGANIZATION, CollectingErrorReporter, Services, settings_problem
from app.stall_report import install_stall_reporter
from app.theme import apply_dark_theme
from fosp_core import __version__
from fosp_core.omp_policy import apply_default_wait_policy
from fosp_core.paths import DEMO_DIR, find_model

#: The command line (`app.main_args`) is read from here too: build_parser, parse_args, SCREENSHOT_SIZE.
__all__ = ["INTERRUPTED_EXIT", "SCREENSHOT_SIZE", "build_parser", "close_on_interrupt", "create_app", "main",
           "parse_args", "take_screenshot"]

SCREENSHOT_TIMEOUT_S = 120.0


def create_app(argv: Sequence[str] | None = None) -> QApplication:
    """The QApplication (created once; an existing one is reused) with names, the dark theme, and
    Python's cyclic garbage collection moved to a timer on the GUI thread until it quits
    (:mod:`app.gc_guard`: a collection inside a Qt call can deadlock)."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(list(argv) if argv is not None else sys.argv[:1])
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("fosp-studio")
    apply_dark_theme(app)
    app.setWindowIcon(app_icon())
    install_gc_guard(app)
    return_large_blocks()  # freed image-sized arrays go back to the system (glibc), not kept for ever
    install_stall_reporter(app)  # FOSP_STALL_REPORT=1 (or ms): log the GUI thread's long turns; off by default
    return app


def no_display(qt_args: Sequence[str]) -> bool:
    """True where Qt would find no screen to open the window on: on Linux, neither `DISPLAY` nor
    `WAYLAND_DISPLAY` set and no platform chosen (`QT_QPA_PLATFORM`, `-platform`). Qt aborted there
    (exit 134) after saying "Reinstalling the application may fix this problem"."""
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return False
    if any(arg.lstrip("-").split("=", 1)[0] == "platform" for arg in qt_args):  # not -platformtheme
        return False
    return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def unknown_option(app: QApplication, qt_args: Sequence[str]) -> bool:
    """Tell (stderr) the first option neither our parser nor Qt took (Qt leaves those in `app.arguments()`),
    and return True; False when there is none. A typo (`--screnshot out.png`) was ignored, and the window
    opened on `out.png`."""
    left = app.arguments()[1:]
    unknown = [arg for arg in qt_args if arg.startswith("-") and arg in left]
    if unknown:
        name = unknown[0]
        hint = "fosp-studio --help lists them"
        if Path(name).exists():  # a file or folder whose name starts with '-'
            hint = f"to open the file {name}, write ./{name} or put -- before it"
        print(f"fosp-studio: unknown option {name} ({hint})", file=sys.stderr)
    return bool(unknown)


#: What Qt's offscreen platform says of each window call it ignores ("... propagateSizeHints()", "... raise()").
OFFSCREEN_NOISE = "This plugin does not support "


def quiet_offscreen_platform() -> None:
    """Drop the offscreen platform's `OFFSCREEN_NOISE` from Qt's messages (a --screenshot's stderr is its
    report, a problem a line); every other message goes on as before."""
    previous: list[Callable[..., object] | None] = []

    def handler(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
        if message.startswith(OFFSCREEN_NOISE):
            return
        if previous[0] is not None:
            previous[0](kind, context, message)
        else:
            print(qFormatLogMessage(kind, context, message), file=sys.stderr)

    previous.append(qInstallMessageHandler(handler))


def main(argv: Sequence[str] | None = None) -> int:
    """Run the app; returns the process exit code."""
    # Before torch loads (the model, on the inference thread): OpenMP threads that sleep at once leave the
    # GUI thread its core (`fosp_core.omp_policy`; a user's own setting wins). Here, not at import, so that
    # importing this module (a test, a script using create_app) changes no environment; nothing this module
    # imports loads torch (tests/unit/test_startup_entry.py).
    apply_default_wait_policy()
    args, qt_args = parse_args(sys.argv[1:] if argv is None else argv)
    paths = args.paths or [DEMO_DIR]
    problem = usage_problem(args)
    if problem is not None:
        print(f"fosp-studio: {problem}", file=sys.stderr)
        return 2
    if args.screenshot is not None:
        problem = resolve_checkpoint_option(args) or make_screenshot_folder(args.screenshot)
        if problem is not None:
            print(f"fosp-studio: {problem}", file=sys.stderr)
            return 2
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        quiet_offscreen_platform()
        app = create_app([sys.argv[0], *qt_args])
        if unknown_option(app, qt_args):
            return 2
        return take_screenshot(app, args.screenshot, paths, screenshot_size(args.size), analysis=args,
                               theme=args.theme)

    if no_display(qt_args):
        print("fosp-studio: no display to open the window on (DISPLAY and WAYLAND_DISPLAY are unset): start it "
              "in a desktop session, or save a picture of the window with --screenshot OUT.png", file=sys.stderr)
        return 1
    app = create_app([sys.argv[0], *qt_args])
    if unknown_option(app, qt_args):
        return 2
    services = Services.default()
    window = MainWindow(services)
    if args.theme is not None:
        window.theme_choice.choose(args.theme, keep=False)
    else:
        window.theme_choice.apply()  # the one chosen under View ▸ Theme in an earlier run
    interrupted = close_on_interrupt(window)
    window.show()
    if (problem := settings_problem(services.settings)) is not None:
        print(f"fosp-studio: {problem}", file=sys.stderr)
        tell_quietly(window, "Settings will not be kept", problem)
    window.open_paths(paths, remember=bool(args.paths))
    code = app.exec()
    code = INTERRUPTED_EXIT if interrupted() else code
    quit_leaving_exports(code, services.settings.sync)  # one a dead disk holds: Qt would wait for it for good
    return code


INTERRUPTED_EXIT = 130  # README's exit codes: 130 interrupted


def close_on_interrupt(window: MainWindow) -> Callable[[], bool]:
    """Ctrl+C in the terminal (SIGINT), or SIGTERM (a logout, `kill`, a session manager), closes
    `window` as its close button does: edits are saved,
    a running fine-tune is asked about. Without this the interrupt surfaced as a KeyboardInterrupt
    traceback inside whichever Python slot ran next (the GC guard's timer) and the window stayed.
    A second Ctrl+C, while the close waits (a question on screen, say), gets Python's default: the
    process stops at once; committed edits are on disk already (the journal). Python runs the handler
    the next time Python code runs on the GUI thread: the GC guard's timer ticks every second.
    Returns a function telling whether an interrupt closed the window (for the exit code)."""
    fired: list[bool] = []

    def on_interrupt(signum: int, frame: object) -> None:  # noqa: ARG001 - signal handler signature
        fired.append(True)
        signal.signal(signal.SIGINT, signal.default_int_handler)  # the next Ctrl+C is Python's own
        signal.signal(signal.SIGTERM, signal.SIG_DFL)  # and the next SIGTERM ends the process at once
        QTimer.singleShot(0, window.close)

    signal.signal(signal.SIGINT, on_interrupt)
    signal.signal(signal.SIGTERM, on_interrupt)
    return lambda: bool(fired)


def take_screenshot(app: QApplication, out: Path, paths: Sequence[Path], size: tuple[int, int],
                    timeout_s: float = SCREENSHOT_TIMEOUT_S, analysis: argparse.Namespace | None = None,
                    theme: str | None = None) -> int:
    """Build a window with throw-away settings (in `theme`, dark by default), open `paths`, wait for
    every decode, save a picture of the window to `out` (in the format its suffix names, PNG without one).
    Returns 0, or 1 (with messages on stderr) if anything failed; the picture is written even then, as a record of what the user would have seen."""
    reporter = CollectingErrorReporter()
    problems: list[str] = []
    with tempfile.TemporaryDirectory(prefix="fosp-studio-") as tmp:
        settings = QSettings(str(Path(tmp) / "settings.ini"), QSettings.Format.IniFormat)
        # --checkpoint is the screenshot's model, --run-model or not (images' --checkpoint alone was ignored)
        model = analysis.checkpoint if analysis is not None and analysis.checkpoint is not None else find_model()
        window = MainWindow(Services(settings=settings, error_reporter=reporter, default_model=model))
        window.annotation.controller.registry.projects_root = Path(tmp) / "projects"  # nothing beside the images
        if theme is not None:
            window.theme_choice.choose(theme, keep=False)
        window.resize(*size)
        window.show()
        window.open_paths(paths, remember=False, background=False)  # a screenshot waits for the list
        window.image_list.request_visible_thumbnails()  # now, not after the list's scroll pause
        if not _wait_until_idle(window, timeout_s):
            problems.append(f"images still loading after {timeout_s:.0f} s")
        app.processEvents()
        if len(window.session) == 0 and window.video.active:
            from app.video.screenshot import prepare_video_screenshot

            checkpoint = None  # --run-model: the --checkpoint, else the default model, as images
            layers: list[str] = []
            if analysis is not None and (analysis.run_model or analysis.checkpoint is not None):
                checkpoint = analysis.checkpoint or window.services.default_model
                layers = [name.strip() for name in analysis.layers.split(",") if name.strip()]
                window.analysis.settings.set_keep(analysis.regions)  # the frame's layers' region rule
            if analysis is not None and analysis.compare is not None:  # it was dropped: no file, nothing said
                problems.append(f"--compare is for images: no compare grid of a video written to {analysis.compare}")
            problems += prepare_video_screenshot(window, checkpoint, timeout_s, layers=layers)
            app.processEvents()
        elif len(window.session) == 0:
            problems.append("nothing could be opened")
        elif analysis is not None and analysis.run_model:
            from app.analysis.screenshot import run_model_for_screenshot

            layers = [name.strip() for name in analysis.layers.split(",") if name.strip()]
            problems += run_model_for_screenshot(window, analysis.checkpoint, layers, analysis.compare, timeout_s,
                                                 regions=analysis.regions)
            app.processEvents()
        elif not _wait_for_model(window, timeout_s):  # the panel as it stays, not a moment of its load
            problems.append(f"the model still loading after {timeout_s:.0f} s")
        for _ in range(4):  # layouts settle in chained posted events (a wrapped label grows its box)
            app.processEvents()
        out.parent.mkdir(parents=True, exist_ok=True)
        kind = screenshot_format(out)  # shot.jpg: a JPEG (it was PNG data whatever the name)
        if not kind or not save_picture(window.grab(), out, kind):
            problems.append(f"could not write {out}")
        shown = (window.width(), window.height())
        window.close()
    problems[:0] = reporter.lines()  # "cannot open ...", and failed saves in their own words (by type)
    for problem in problems:
        print(f"fosp-studio: {problem}", file=sys.stderr)
    if not problems:
        print(f"screenshot saved to {out}{_size_note(shown, size)}")
    return 1 if problems else 0


def _size_note(shown: tuple[int, int], asked: tuple[int, int]) -> str:
    """" (WxH: ...)" when the window took another size than --size asked (it has a smallest size), else ""."""
    if shown == asked:
        return ""
    why = "cannot be smaller than that" if shown[0] > asked[0] or shown[1] > asked[1] else "is as large as it can be"
    return f" ({shown[0]}x{shown[1]}: the window {why})"


def _wait_for_model(window: MainWindow, timeout_s: float) -> bool:
    """Run the event loop until the Model panel's checkpoint has loaded or failed to (a failure is the
    error reporter's to tell), or no checkpoint is chosen; False if it was still loading after
    `timeout_s`. The default model loads on the inference thread as the window opens, and the panel,
    the Layers dock and their layout change when it is in: a grab made meanwhile caught one of several
    half-made states, by timing."""
    ctl = window.analysis
    deadline = time.monotonic() + timeout_s
    while ctl.settings.checkpoint is not None and ctl.model is None and not ctl.errors:
        if time.monotonic() > deadline:
            return False
        loop = QEventLoop()
        QTimer.singleShot(20, loop.quit)
        loop.exec()
    return True


def _wait_until_idle(window: MainWindow, timeout_s: float) -> bool:
    """Run the event loop until the window's loader has delivered everything (or time runs out)."""
    loader = window.loader
    if loader.pending:
        loop = QEventLoop()
        loader.idle.connect(loop.quit)
        QTimer.singleShot(int(timeout_s * 1000), loop.quit)
        loop.exec()
    return loader.pending == 0


if __name__ == "__main__":  # `python app/main.py`: the same as `fosp-studio` (it ended at once, saying nothing)
    sys.exit(main())
