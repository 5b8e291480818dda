"""An annotator's day on the real window: quick dabs, gestures cut short by other keys, undo after
switching images, model-assisted sorting and export errors. Each test pins a defect found by using
the app as an annotator would (see the commit that added it)."""
