"""The executor: the untrusted side of grading.

A template process (:mod:`grader.executor.template`), forked before any check or solution file is
read, forks one executor per submission (and a fresh one after a timeout or a crash). The executor
hardens itself with every sandbox layer, imports the submission once, then answers the judge's
requests (:mod:`grader.executor.serve`). It only ever sends data (:mod:`grader.protocol`); every
verdict is decided by the judge (:mod:`grader.judge`).
"""
