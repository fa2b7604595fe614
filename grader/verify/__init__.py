"""Executable verification of the bundled content against the installed torch.

``verify_snippets`` runs every ``code_output`` snippet (in subprocesses; this package never imports
torch itself) and reports each mismatch as ``path:line: id: expected … got …``.
"""

from grader.verify.snippets import SnippetReport, output_lines, verify_snippets

__all__ = ["SnippetReport", "output_lines", "verify_snippets"]
