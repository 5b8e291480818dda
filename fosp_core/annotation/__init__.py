"""Qt-free annotation: the editable document, tools over it, projects, worklist and export.

- `document`: `AnnotationDocument` (mask uint8 0/1/255, probability, status, undo history, events).
- `tools`: brush / eraser / ignore brush (`BrushStroke` for mouse strokes), polygon and lasso,
  flood fill, wand; `cleanup`: threshold, accept prediction, fill holes, specks, dilate/erode, smooth.
- `project`: `Project` (``.fosp`` folder, autosave on commit, lock, import of labels), in parts:
  `project_files` (where a project lives, its file names, which mask each mask file holds),
  `project_open` (creating, reading and locking on opening), `project_documents` (an image's document
  read from the files), `project_import` (the model's predictions and existing labels as masks);
  `entries` (the project.json and journal format), `storage` (durable writes, the lock), `labels`
  (what a project is made from).
- `worklist`: filter and sort entries; `export`: SmokeSeg export (and the split ratios' rule).
"""

from fosp_core.annotation.document import AnnotationDocument, Commit, DocumentEvent, Status

__all__ = ["AnnotationDocument", "Commit", "DocumentEvent", "Status"]
