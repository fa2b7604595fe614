"""Executable verification of the bundled content against the installed torch.

``verify_snippets`` runs every ``code_output`` snippet and ``verify`` block (in subprocesses; this
package never imports torch itself) and reports each mismatch as ``path:line: id: expected … got
…`` (``path:line: id: verify[i]: …`` for a block).
``grader.verify.exercises`` grades solutions and starters, ``grader.verify.variants`` a course's
variants against their manifests (both through the sandboxed grader).
"""

from grader.verify.snippets import SnippetReport, output_lines, verify_snippets

__all__ = ["SnippetReport", "output_lines", "verify_snippets"]
