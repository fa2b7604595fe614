"""The non-visual parts of screens, one job per module: each is composed by its screen and acts
on the widgets the screen hands it (the exercise screen's file, watch mode, external editor,
grading runs and reset)."""
