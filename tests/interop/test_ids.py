"""Ids of imported questions: from idnumber or name, stable on re-import, independent of a
question's position, collisions reported and disambiguated, never an id another bank or the
registry holds; --force keeps the ids (and so the history) of the file it replaces."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from grader.bank.loader import load_banks
from grader.errors import UsageError
from grader.interop.ids import Wanted, assign_ids, kebab, wanted_id
from grader.interop.importer import import_files

DATA = Path(__file__).resolve().parent / "data"


def _ids(path: Path) -> list[str]:
    return [q.id for q in load_banks([path], cache=False).questions()]


def _written_ids(path: Path) -> list[str]:
    return [
        line.split(": ", 1)[1]
        for line in path.read_text().splitlines()
        if line.startswith("  - id: ")
    ]


@pytest.mark.parametrize(
    ("idnumber", "name", "expected", "source"),
    [
        ("tensor-basics-x", "Whatever", "tensor-basics-x", "idnumber"),  # a valid id as it is
        ("Q 12", "Whatever", "b-q-12", "idnumber"),
        (None, "Default float dtype (v2)", "b-default-float-dtype-v2", "name"),
        (None, "Crème brûlée", "b-creme-brulee", "name"),
        (None, "b-already-prefixed", "b-already-prefixed", "name"),
        (None, "梯度存在哪里", "b-1080e64f", "hash"),
        (None, "", "b-", "hash"),
    ],
)
def test_the_wanted_id(idnumber: str | None, name: str, expected: str, source: str) -> None:
    """idnumber first, else the name in kebab case with the bank prefix, else a hash."""
    wanted = wanted_id("b", idnumber, name, "the question text")
    assert wanted.source == source
    assert wanted.id.startswith(expected) if expected.endswith("-") else wanted.id == expected


def test_a_long_name_is_cut_at_a_word() -> None:
    words = kebab("word " * 30)
    assert len(words) <= 60 and not words.endswith("-") and words.startswith("word-word")


def test_collisions_get_the_hash_of_their_own_text_whatever_their_order() -> None:
    """Two questions asking for one id both get a suffix from their own text, so swapping them
    changes nothing; a taken id is disambiguated the same way."""
    a = Wanted("b-x", "name", "text of a")
    b = Wanted("b-x", "name", "text of b")
    c = Wanted("b-y", "name", "text of c")
    ids, changes = assign_ids([a, b, c], taken={"b-y"})
    swapped, _ = assign_ids([b, a, c], taken={"b-y"})
    assert ids[0] != ids[1] and ids[0].startswith("b-x-") and ids[1].startswith("b-x-")
    assert swapped == [ids[1], ids[0], ids[2]]
    assert ids[2].startswith("b-y-")
    assert [(c.wanted, c.why) for c in changes] == [
        ("b-x", "2 questions ask for it"),
        ("b-x", "2 questions ask for it"),
        ("b-y", "another bank of the course or the id registry already has it"),
    ]


def test_reimport_gives_the_same_ids_and_force_rules(tmp_path: Path) -> None:
    """The same source gives the same ids; without --force an existing bank is never
    overwritten; with it, the ids already there are kept (their history with them)."""
    out = tmp_path / "questions" / "basics.yaml"
    import_files([DATA / "moodle_all_types.xml"], out)
    first = _ids(out)
    with pytest.raises(UsageError, match="exists; give --force"):
        import_files([DATA / "moodle_all_types.xml"], out)
    report = import_files([DATA / "moodle_all_types.xml"], out, force=True)
    assert _ids(out) == first and report.ids == [] and report.replaced == []


def test_ids_do_not_depend_on_the_order_of_questions(tmp_path: Path) -> None:
    """Questions moved around in the source keep their ids."""
    text = (DATA / "moodle_monolingual.xml").read_text(encoding="utf-8")
    head, rest = text.split("<quiz>\n", 1)
    body, tail = rest.rsplit("</quiz>", 1)
    questions = [q for q in re.split(r"(?m)^(?=  <question )", body) if q.strip()]
    assert len(questions) == 3
    reordered = tmp_path / "reordered.xml"
    reordered.write_text(head + "<quiz>\n" + "".join(reversed(questions)) + "</quiz>" + tail)
    import_files([DATA / "moodle_monolingual.xml"], tmp_path / "a" / "m.yaml")
    import_files([reordered], tmp_path / "b" / "m.yaml")
    assert sorted(_written_ids(tmp_path / "a" / "m.yaml")) == sorted(
        _written_ids(tmp_path / "b" / "m.yaml")
    )


def test_ids_of_other_banks_and_the_registry_are_never_taken(tmp_path: Path) -> None:
    """An id another bank of the folder has, or one the registry keeps for a retired question,
    is disambiguated and reported; the new ids are added to the registry."""
    folder = tmp_path / "questions"
    folder.mkdir()
    import_files([DATA / "moodle_all_types.xml"], folder / "basics.yaml", bank="tensor-basics")
    (folder / "ids.txt").write_text(
        "".join(f"{i}\n" for i in sorted([*_ids(folder / "basics.yaml"), "copy-why-detach"]))
    )
    report = import_files([DATA / "moodle_all_types.xml"], folder / "copy.yaml", bank="copy")
    ids = _written_ids(folder / "copy.yaml")
    assert "tensor-basics-default-dtype" not in ids  # basics.yaml has it
    assert "copy-why-detach" not in ids  # the registry keeps it
    changed = {line.what.split("'")[1] for line in report.ids}
    assert {"tensor-basics-default-dtype", "copy-why-detach"} <= changed
    registered = set((folder / "ids.txt").read_text().split())
    assert set(ids) <= registered and report.registered == len(ids)


def test_force_reports_the_questions_the_new_source_no_longer_has(tmp_path: Path) -> None:
    """Replacing a bank whose source lost a question: the question is gone from the file, its
    id stays registered and the report names it."""
    folder = tmp_path / "questions"
    folder.mkdir()
    (folder / "ids.txt").write_text("")
    source = tmp_path / "quiz.xml"
    shutil.copy(DATA / "moodle_all_types.xml", source)
    out = folder / "basics.yaml"
    import_files([source], out)
    text = source.read_text(encoding="utf-8")
    start = text.index('  <question type="essay">')
    source.write_text(text[:start] + text[text.index("</quiz>") :], encoding="utf-8")
    report = import_files([source], out, force=True)
    assert report.replaced == ["basics-why-detach"]
    assert "basics-why-detach" in (folder / "ids.txt").read_text()
