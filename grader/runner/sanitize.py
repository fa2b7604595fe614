"""Clean text that the submission influenced before any report shows it.

Terminal control sequences (ANSI CSI/OSC escapes, carriage returns, backspaces, bidirectional
overrides) could hide or fake the real score in a terminal; characters that XML 1.0 forbids would
make a JUnit file unparseable. Both are removed from every message, traceback and output that a
result carries.
"""

from __future__ import annotations

import re

_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI ... final byte
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC ... BEL or ST
    r"|\x1b[P^_X][^\x1b]*(?:\x1b\\)?"  # DCS, PM, APC, SOS strings
    r"|\x1b[@-Z\\-_]?"  # any other escape (and a lone ESC)
    r"|\x9b[0-?]*[ -/]*[@-~]"  # 8-bit CSI
)
_INVALID = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]"
)


def clean_text(text: str) -> str:
    """``text`` without control sequences or XML-invalid characters; newlines and tabs stay."""
    if type(text) is not str:
        text = str(text)
    text = text.replace("\r\n", "\n")
    text = _ESCAPES.sub("", text)
    text = text.replace("\r", "\n")
    return _INVALID.sub("", text)
