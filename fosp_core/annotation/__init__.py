"""Qt-free annotation: the editable document, tools over it, projects, worklist and export.

- `document`: `AnnotationDocument` (mask uint8 0/1/255, probability, status, undo history, events).
- `tools`: brush / eraser / ignore brush (`BrushStroke` for mouse strokes), polygon and lasso,
  flood fill, wand; `cleanup`: threshold, accept prediction, fill holes, specks, dilate/erode, smooth.
- `project`: `Project` (``.fosp`` folder, autosave on commit, lock, import of labels).
- `worklist`: filter and sort entries; `export`: SmokeSeg export.
"""

from fosp_core.annotation.document import AnnotationDocument, Commit, DocumentEvent, Status

__all__ = ["AnnotationDocument", "Commit", "DocumentEvent", "Status"]
