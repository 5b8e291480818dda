"""The annotation QActions (tools, undo/redo, clean-up, worklist, import/export) and the Annotate menu.

Every action is registered with the `ShortcutMap` under a stable id, so its keys come from the
user's settings and show in menus and tooltips. Tool actions are checkable, in one exclusive
group, and follow the `ToolState` (bound both ways).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSignalBlocker
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMainWindow, QMenu

from app.annotation.controller import AnnotationController
from app.annotation.import_view import HELD_KEYS
from app.annotation.lock_prompt import can_take_over
from app.annotation.prediction_hint import shown_keys
from app.annotation.redo_words import nothing_to_redo
from app.annotation.save_now import save_now
from app.annotation.shortcuts import ShortcutMap
from app.icons import icon
from app.keys_say_why import keys_say_why
from app.shortcut_sheet import GROUP_PROPERTY
from fosp_core.annotation import cleanup
from fosp_core.annotation.recent import RECENT_DOCUMENTS
from fosp_core.annotation.tool_state import Tool

__all__ = ["AnnotationActions", "TOOL_ICONS"]

# each tool its own picture (the Annotate dock shows only the icons): a cut is its fill's shape
# crossed out (Polygon Cut) or the scissors (Lasso Cut, a free-hand cut)
TOOL_ICONS = {
    Tool.NAVIGATE: "fa6s.hand", Tool.BRUSH: "fa6s.paintbrush", Tool.ERASER: "fa6s.eraser",
    Tool.IGNORE: "fa6s.highlighter", Tool.THRESHOLD_BRUSH: "fa6s.brush", Tool.POLYGON_FILL: "fa6s.draw-polygon",
    Tool.POLYGON_CUT: "mdi6.vector-square-remove", Tool.LASSO_FILL: "fa6s.signature", Tool.LASSO_CUT: "fa6s.scissors",
    Tool.FLOOD_FILL: "fa6s.fill-drip", Tool.WAND: "fa6s.wand-magic-sparkles",
}
_TOOL_TIPS = {
    Tool.NAVIGATE: "Navigate: left-drag pans (Space+drag or middle-drag pans with any tool)",
    Tool.BRUSH: "Brush: paint smoke", Tool.ERASER: "Eraser: paint background",
    Tool.IGNORE: "Ignore-band brush: mark uncertain edges as ignore (255)",
    Tool.THRESHOLD_BRUSH: "Threshold brush: paint smoke only where the model's probability is above the threshold",
    Tool.POLYGON_FILL: "Polygon fill: click vertices, double-click or Enter closes",
    Tool.POLYGON_CUT: "Polygon cut: click vertices, double-click or Enter removes the inside",
    Tool.LASSO_FILL: "Lasso fill: drag around a region", Tool.LASSO_CUT: "Lasso cut: drag around a region to remove",
    Tool.FLOOD_FILL: "Flood fill: fill the clicked connected region with smoke",
    Tool.WAND: "Wand: grow a region over the probability map from the click (tolerance)",
}


def _speck_pixels(shape: tuple[int, int]) -> int:
    """Specks smaller than 0.005 % of the image (at least 16 px) are removed."""
    return max(16, int(shape[0] * shape[1] * 5e-5))


class AnnotationActions:
    """Creates the actions on `window` and wires them to `controller` (and the worklist panel,
    set later with `bind_worklist`)."""

    def __init__(self, window: QMainWindow, controller: AnnotationController, shortcuts: ShortcutMap) -> None:
        self.window = window
        self.controller = controller
        self.shortcuts = shortcuts
        self.tools: dict[Tool, QAction] = {}
        self.group = QActionGroup(window)
        self.group.setExclusive(True)
        for tool in Tool:
            action = self._make(tool.value, tool.title, TOOL_ICONS[tool], _TOOL_TIPS[tool],
                                lambda t=tool: controller.state.set_tool(t))
            action.setCheckable(True)
            self.group.addAction(action)
            self.tools[tool] = action
        self.tools[controller.state.tool].setChecked(True)
        state = controller.state
        self.smaller = self._make("brush_smaller", "Smaller Brush", "fa6s.minus", "Brush size down",
                                  lambda: state.grow_radius(-1))
        self.larger = self._make("brush_larger", "Larger Brush", "fa6s.plus", "Brush size up",
                                 lambda: state.grow_radius(1))
        self.undo = self._make("undo", "&Undo", "fa6s.rotate-left",
                               "Undo the last stroke or edit (a polygon's last vertex while clicking one)",
                               controller.undo)
        self.redo = self._make("redo", "&Redo", "fa6s.rotate-right", "Redo", controller.redo)
        self.save_now = self._make("save_now", "Save No&w", "fa6s.floppy-disk",
                                   "Wait for the saves under way and say what is on disk (each edit is saved as it "
                                   "is made; a failed save is tried again)",
                                   lambda: controller.message.emit(save_now(controller), 8000))
        keys_say_why(window, self.undo, lambda: self.nothing_to("undo"), 5000)
        keys_say_why(window, self.redo, lambda: self.nothing_to("redo"), 5000)
        self.cancel = self._make("cancel", "Cancel / Navigate", None, "Drop the gesture in progress, else pan",
                                 controller.cancel)
        self.close_polygon = self._make("close_polygon", "Close Polygon", None, "Apply the polygon",
                                        controller.close_polygon)
        self.close_polygon.setEnabled(controller.state.tool.is_polygon)
        self.accept = self._make("accept_prediction", "&Accept Prediction", "fa6s.check-double",
                                 "Replace the mask by the model's prediction (p > threshold)",
                                 controller.accept_prediction)
        self.threshold = self._make("threshold_to_mask", "&Threshold to Mask", "fa6s.sliders",
                                    "Mask = probability > threshold (ignore pixels kept)",
                                    controller.threshold_to_mask)
        self.copy_previous = self._make("copy_previous_mask", "&Copy Previous Image's Mask", "fa6s.clone",
                                        "Replace the mask by the previous image's, a start for the next frame",
                                        controller.copy_previous_mask)
        keys_say_why(window, self.copy_previous, lambda: self.off_why("copy"), 5000)
        self.clear_mask = self._make("clear_mask", "Clear Mask", "fa6s.trash-can",
                                     "Clear the whole mask: every pixel background (one undo step; the image "
                                     "becomes smoke-free, status edited)", controller.clear_mask)
        run = controller.run
        self.fill_holes = self._make("fill_holes", "Fill &Holes", "mdi6.bandage",  # patches the holes
                                     "Fill holes inside smoke regions", lambda: run("Fill holes", cleanup.fill_holes))
        self.specks = self._make("remove_specks", "Remove &Specks", "fa6s.broom", "Remove tiny smoke regions",
                                 lambda: run("Remove specks",
                                             lambda d: cleanup.remove_specks(d, _speck_pixels(d.shape))))
        self.dilate = self._make("dilate", "&Dilate", "fa6s.up-right-and-down-left-from-center",
                                 "Grow the smoke by 2 px", lambda: run("Dilate", lambda d: cleanup.dilate(d, 2)))
        self.erode = self._make("erode", "&Erode", "fa6s.down-left-and-up-right-to-center",
                                "Shrink the smoke by 2 px", lambda: run("Erode", lambda d: cleanup.erode(d, 2)))
        self.smooth = self._make("smooth", "S&mooth", "fa6s.wave-square", "Smooth the smoke outline (3 px)",
                                 lambda: run("Smooth", lambda d: cleanup.smooth(d, 3)))
        for action in (self.accept, self.threshold, self.clear_mask, self.fill_holes, self.specks, self.dilate,
                       self.erode, self.smooth):
            keys_say_why(window, action, self.not_editable_why, 5000)
        self.outline = self._make("outline", "Mask &Outline Only", "mdi6.shape-outline",
                                  "Show only the outline of the mask", lambda: None)
        self.outline.setCheckable(True)
        self.outline.toggled.connect(state.set_outline)
        self.toggle_mask = self._make("toggle_mask", "Show &Mask", "fa6s.eye", "Show or hide the mask", lambda: None)
        self.toggle_mask.setCheckable(True)
        self.toggle_mask.setChecked(True)
        self.toggle_mask.toggled.connect(controller.mask_view.set_visible)  # hiding it is said (hidden_mask)
        controller.mask_view.keys = lambda: shown_keys(self.toggle_mask)  # as remapped
        self.mark_reviewed = self._make("mark_reviewed", "Mark Re&viewed", "fa6s.circle-check",
                                        "Mark this image's mask as reviewed; on a reviewed image, take the mark "
                                        "off", controller.toggle_reviewed)
        keys_say_why(window, self.mark_reviewed, lambda: self.off_why("status"), 5000)
        self.next_unreviewed = self._make("next_unreviewed", "&Next Unreviewed", "fa6s.forward",
                                          "Go to the next image not reviewed yet (worklist order, among the statuses shown)", lambda: None)
        self.previous_unreviewed = self._make("previous_unreviewed", "&Previous Unreviewed", "fa6s.backward",
                                              "Go to the previous image not reviewed yet (worklist order, among the statuses "
                                              "shown)", lambda: None)
        self.first_image = self._make("first_image", "&First Image", "fa6s.backward-fast",
                                      "Go to the first image of the worklist (as it shows them)", lambda: None)
        self.last_image = self._make("last_image", "Last Image", "fa6s.forward-fast",  # every letter taken
                                     "Go to the last image of the worklist (as it shows them)", lambda: None)
        self.import_labels = self._make("import_labels", "&Import Labels…", "fa6s.file-import",
                                        "Use existing labels (SmokeSeg, SMOKE5K, PNG folder) as starting masks",
                                        lambda: None)
        self.prelabel_all = self._make("prelabel_all", "Pre-la&bel All…", "fa6s.robot",
                                       "Save the loaded model's mask for every image with no mask yet (status "
                                       "predicted; images with a mask are left alone; not an undo step)", lambda: None)
        self.run_all_again = self._make("run_all_again", "Run on All A&gain", "fa6s.rotate",
                                        "Run the model on every open image, also those whose saved summary is of "
                                        "this model at these settings (Run on All Images leaves those out)", lambda: None)
        self.export = self._make("export", "&Export to SmokeSeg…", "fa6s.file-export",
                                 "Export the project's masks as a SmokeSeg dataset", lambda: None)
        self.take_over = self._make("take_over", "Ta&ke Over…", "fa6s.lock-open",
                                    "Take over the read-only project from the holder of its lock (another "
                                    "computer's, or one here that has ended)", lambda: None)
        self.shortcut_settings = self._make("shortcut_settings", "Annotation &Shortcuts…", "fa6s.keyboard",
                                            "Remap the annotation shortcuts", lambda: None)
        state.changed.connect(self._on_state_changed)
        controller.state_changed.connect(self.update_enabled)
        controller.gesture_changed.connect(self.update_enabled)
        controller.document_changed.connect(self.update_enabled)
        controller.accepting.pending_changed.connect(self.update_enabled)
        self.update_enabled()

    def _make(self, action_id: str, text: str, icon_name: str | None, tip: str,
              slot: Callable[[], object]) -> QAction:
        action = QAction(icon(icon_name) if icon_name else icon("fa6s.circle-dot"), text, self.window)
        action.triggered.connect(lambda _checked=False: slot())
        action.setProperty(GROUP_PROPERTY, "Annotate")  # Help > Keyboard Shortcuts, for those in no menu
        self.window.addAction(action)  # shortcuts work with the menu bar hidden
        self.shortcuts.register(action_id, action, tip)
        return action

    def _on_state_changed(self, name: str) -> None:
        state = self.controller.state
        if name == "tool":
            # not under a signal blocker: its exclusive group hears `changed` and unchecks the tool
            # before (blocked, Esc after B left Brush and Navigate both checked); its slot is on
            # `triggered`, which setChecked does not emit
            self.tools[state.tool].setChecked(True)
            self.close_polygon.setEnabled(state.tool.is_polygon)  # else Return/Enter belong to lists
        elif name == "outline":
            with QSignalBlocker(self.outline):
                self.outline.setChecked(state.outline)

    def nothing_to(self, what: str) -> str:
        """Why Undo (`what` "undo") or Redo is off: its keys say it in the status bar."""
        controller = self.controller
        if controller.attached_key in HELD_KEYS:  # an import or Pre-label All holds the project: its words
            return f"Nothing to {what}: no mask to edit for {controller.attached_key}"
        if controller.document is None and controller.opening.reading is not None:
            return f"Nothing to {what}: the saved mask of {controller.opening.reading} is still being read"
        if controller.document is None:
            return f"Nothing to {what}: no image is open"
        if not controller.writable:
            return f"Nothing to {what}: this image cannot be edited (read-only)"
        if what == "redo":
            return nothing_to_redo(controller.document)  # every undone step redone, or none undone since an edit
        if controller.attached:
            return "Nothing to undo on this frame"
        return (f"Nothing to undo on this image (the last {RECENT_DOCUMENTS} images opened keep their "
                "undo history while the app runs)")

    def off_why(self, what: str) -> str:
        """Why Mark Reviewed (`what` "status") or Copy Previous Image's Mask ("copy") is off: its keys say it."""
        controller = self.controller
        if controller.attached_key in HELD_KEYS:  # not a video frame: an import or Pre-label All holds the project
            return f"No mask to edit for {controller.attached_key}"
        if controller.attached:
            return ("A video frame has no review status: Mark Reviewed is for images" if what == "status" else
                    "On a video frame, Carry Mask from Previous Frame copies the previous frame's mask (Copy "
                    "Previous Image's Mask is for images)")
        if controller.document is None:
            return "No image is open"
        if not controller.writable:
            return "This image cannot be edited (read-only)"
        return "The first image has no previous image to copy a mask from"

    def not_editable_why(self) -> str:
        """Why Accept Prediction, Threshold to Mask and Clean Up are off (no document the tools may edit):
        their keys say it, in the words a stroke says (`AnnotationController.why_not_editable`)."""
        return self.controller.why_not_editable() or "No annotation project for this image (open its folder or dataset)"

    def update_enabled(self) -> None:
        """Enable what makes sense for the current document."""
        doc, writable = self.controller.document, self.controller.writable
        accepting = self.controller.accepting.pending  # an Accept Prediction to land (and undo)
        self.undo.setEnabled(writable and doc is not None
                             and (doc.can_undo or self.controller.pending_vertices > 0 or accepting))
        self.redo.setEnabled(writable and doc is not None and doc.can_redo and not accepting)
        for action in (self.clear_mask, self.fill_holes, self.specks, self.dilate, self.erode, self.smooth):
            action.setEnabled(writable)
        self.mark_reviewed.setEnabled(writable and not self.controller.attached)  # frames have no status
        self.take_over.setEnabled(not self.controller.attached and can_take_over(self.controller.project))
        self.copy_previous.setEnabled(writable and not self.controller.attached
                                      and self.controller.session.has_previous())
        # on without a probability too: used then, they say how to get one (a disabled action's key
        # does nothing, silently)
        for action in (self.accept, self.threshold, self.tools[Tool.WAND], self.tools[Tool.THRESHOLD_BRUSH]):
            action.setEnabled(writable)

    def build_menu(self, menu: QMenu) -> None:
        """Fill the Annotate menu."""
        for tool in Tool:
            menu.addAction(self.tools[tool])
        menu.addAction(self.smaller)
        menu.addAction(self.larger)
        menu.addSeparator()
        for action in (self.undo, self.redo, self.save_now, None, self.accept, self.threshold, self.copy_previous, self.clear_mask):
            menu.addSeparator() if action is None else menu.addAction(action)
        clean = menu.addMenu(icon("fa6s.broom"), "C&lean Up")
        for action in (self.fill_holes, self.specks, self.dilate, self.erode, self.smooth):
            clean.addAction(action)
        menu.addSeparator()
        for action in (self.outline, self.toggle_mask, None, self.mark_reviewed, self.next_unreviewed,
                       self.previous_unreviewed, self.first_image, self.last_image, None, self.import_labels, self.prelabel_all, self.run_all_again,
                       self.export, self.take_over, None,
                       self.shortcut_settings):
            menu.addSeparator() if action is None else menu.addAction(action)
