"""Moodle XML and GIFT: importing a question bank from an LMS, and exporting ours to one.

- :func:`grader.interop.importer.import_files`: Moodle XML or GIFT files -> one bank file, with an
  :class:`~grader.interop.report.ImportReport` (skipped questions, missing translations, ids);
- :func:`grader.interop.exporter.export_banks`: banks -> one Moodle XML or GIFT file, with an
  :class:`~grader.interop.report.ExportReport` (grade roundings, what the format loses).

The readers (``moodle_xml``, ``gift``) and writers (``moodle_export``, ``gift_export``) share the
text conversion (``html_markdown``, ``multilang``), the draft of an imported question
(``draft``), the ids (``ids``), Moodle's grade list (``grades``) and the YAML writer
(``bankwrite``). This package sits above the bank engine and below the command line; it imports
no torch and no UI.
"""
