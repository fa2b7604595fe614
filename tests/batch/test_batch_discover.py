"""Which entries of a class folder are students, and what is skipped with a warning."""

from __future__ import annotations

import os
import unicodedata

import pytest

from grader.batch.discover import discover, unsafe_reason
from grader.errors import UsageError


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("alice", None),
        ("张三", None),
        ("o'brien-2", None),
        ("Zhang San", None),
        (".git", "hidden"),
        ("__MACOSX", "system folder"),
        ("-rf", "starts with -"),
        ("=HYPERLINK(1)", "starts with"),
        ("a\u202eb", "invisible"),
        ("a\tb", "invisible"),
        ("a:b", "path or shell"),
        ("trailing.", "ends with"),
        ("x" * 101, "longer than"),
        ("bad\udcffbyte", "UTF-8"),
    ],
)
def test_unsafe_names(name, why):
    """Names become folders in OUT and cells in a spreadsheet: anything risky is refused."""
    reason = unsafe_reason(name)
    assert (reason is None) if why is None else (why in (reason or "")), reason


def test_layouts_warnings_and_missing_files(tmp_path):
    """Loose files and folders mix; a folder lacking the file is `missing`; links, hidden files
    and undecodable names are skipped with a warning; stray files in a folder are reported."""
    (tmp_path / "ann.py").write_text("x = 1")
    (tmp_path / "ben").mkdir()
    (tmp_path / "ben" / "add-one.py").write_text("x = 1")
    (tmp_path / "ben" / "helper.py").write_text("x = 1")
    (tmp_path / "cat").mkdir()
    (tmp_path / "._ann.py").write_text("")
    (tmp_path / "link.py").symlink_to(tmp_path / "ann.py")
    os.close(os.open(os.fsencode(tmp_path) + b"/\xff\xfe.py", os.O_CREAT | os.O_WRONLY))
    subs, warnings = discover(tmp_path, ["add-one"])
    assert [(s.student, s.path.name if s.path else None) for s in subs] == [
        ("ann", "ann.py"),
        ("ben", "add-one.py"),
        ("cat", None),
    ]
    text = "\n".join(warnings)
    assert "'._ann.py': a hidden entry" in text
    assert "'link.py': a symbolic link" in text
    assert "not valid UTF-8" in text
    assert "ben/: helper.py match no exercise id" in text


def test_unicode_normalization_clash(tmp_path):
    """The same name in NFC and NFD (as macOS zips write it) is one student twice: an error."""
    (tmp_path / (unicodedata.normalize("NFC", "Zoë") + ".py")).write_text("")
    (tmp_path / unicodedata.normalize("NFD", "Zoë")).mkdir()
    with pytest.raises(UsageError, match="more than once"):
        discover(tmp_path, ["add-one"])
