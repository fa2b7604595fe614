"""Class exams: a spec, per-student exam files without answers, the instructor's key, grading
and item analysis (classical test theory). No torch, no UI."""
