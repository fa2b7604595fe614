"""The course-level catalog cache: a warm start builds nothing (no YAML, no validation), and any
change to a bank file is seen at once."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from params_support import numel_bank

from grader.course import resolve_course
from grader.study.content import load_catalog

FIXTURE = Path(__file__).resolve().parents[1] / "data" / "quiz"


@pytest.fixture
def course(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("GRADER_CACHE_DIR", str(tmp_path / "cache"))
    return Path(shutil.copytree(FIXTURE, tmp_path / "course"))


def _entries(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "cache").rglob("catalog-*.pickle"))


def test_a_warm_start_gives_the_same_catalog(course: Path, tmp_path: Path) -> None:
    first = load_catalog(resolve_course(course))
    assert len(_entries(tmp_path)) == 1
    second = load_catalog(resolve_course(course))
    assert second.questions == first.questions and second.hashes == first.hashes
    assert [b.bank for b in second.banks] == [b.bank for b in first.banks]
    assert second.problems == first.problems


def test_a_warm_start_reads_no_yaml(course: Path, tmp_path: Path) -> None:
    """In a fresh interpreter with the cache warm, neither the YAML parser nor the bank loader is
    imported: the models come from the cache as they were built."""
    load_catalog(resolve_course(course))
    code = (
        "import sys\n"
        "from grader.course import resolve_course\n"
        "from grader.study.content import load_catalog\n"
        f"catalog = load_catalog(resolve_course({str(course)!r}))\n"
        "assert 'fx-single' in catalog.questions and catalog.hashes['fx-single']\n"
        "print(sorted(m for m in ('yaml', 'grader.bank.loader') if m in sys.modules))\n"
    )
    env = {"GRADER_CACHE_DIR": str(tmp_path / "cache"), "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert done.stdout.strip() == "[]", done.stderr


def test_an_edited_or_added_bank_is_seen(course: Path, tmp_path: Path) -> None:
    before = load_catalog(resolve_course(course))
    bank = course / "questions" / "fx-basics.yaml"
    text = bank.read_text(encoding="utf-8")
    old = "where is the gradient of a leaf tensor stored?"
    assert old in text
    bank.write_text(text.replace(old, "where is a leaf tensor's gradient kept?"), encoding="utf-8")
    after = load_catalog(resolve_course(course))
    assert after.questions["fx-single"].prompt.en.endswith(
        "where is a leaf tensor's gradient kept?"
    )
    assert after.hashes["fx-single"] != before.hashes["fx-single"]
    extra = course / "questions" / "fx-extra.yaml"
    extra.write_text(
        text.replace("bank: fx-basics", "bank: fx-extra").replace("id: fx-", "id: ex-"),
        encoding="utf-8",
    )
    assert "ex-single" in load_catalog(resolve_course(course)).questions
    extra.unlink()
    assert "ex-single" not in load_catalog(resolve_course(course)).questions
    assert len(_entries(tmp_path)) == 1  # one entry per questions folder, rewritten


def test_a_broken_entry_is_a_miss(course: Path, tmp_path: Path) -> None:
    expected = load_catalog(resolve_course(course)).hashes
    (entry,) = _entries(tmp_path)
    entry.write_bytes(b"not a pickle")
    assert load_catalog(resolve_course(course)).hashes == expected


def test_no_cache_when_turned_off(
    course: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GRADER_CACHE_DIR", "")
    assert "fx-single" in load_catalog(resolve_course(course)).questions
    assert _entries(tmp_path) == []


# -- the parametrised questions' memo (grader.study.catalog_cache.Memo) ----------------------

GENERATED = numel_bank("gen-memo")


def _with_instances(course: Path, data: Path) -> list[Path]:
    """Add the parametrised question to ``course`` with this attempt's and the next one's
    instances in the instance cache, as the worker computes them; their files."""
    from grader.bank.params import (
        derive_seed,
        installed_torch,
        instance_fields,
        load_templates,
        store_instance,
    )
    from grader.study.paths import course_store_path, instance_cache_dir
    from grader.study.store import ProgressStore

    generated = course / "questions" / "generated" / "memo.yaml"
    generated.parent.mkdir()
    generated.write_text(GENERATED, encoding="utf-8")
    key = resolve_course(course).key
    store = ProgressStore(course_store_path(key, data))
    learner = store.learner_id()
    store.close()
    (template,) = load_templates(generated).templates
    files = []
    for attempt in (0, 1):
        seed = derive_seed(learner, template.id, attempt)
        values = template.draw(seed)
        fields = instance_fields(template, values, values["n"] * values["m"], seed=seed)
        cache = instance_cache_dir(key, data)
        files.append(store_instance(cache, template, seed, installed_torch(), fields))
    return files


def _open(course: Path, data: Path) -> Any:
    from grader.study.context import Study

    study = Study.open(resolve_course(course), data)
    study.close()
    return study


def test_a_warm_start_reads_parametrised_questions_without_yaml_or_validation(
    course: Path, tmp_path: Path
) -> None:
    """The second start takes the templates, the validated instance and its bank from the memo:
    in a fresh interpreter, neither YAML nor the bank's validators are imported, no worker
    starts, and the question is the one the first start built."""
    data = tmp_path / "data"
    _with_instances(course, data)
    first = _open(course, data)
    built = first.catalog.questions["gen-memo-numel"]
    assert first.precompute is None and first.catalog.bank_of("gen-memo-numel") == "gen-memo"
    code = (
        "import json, sys\n"
        "from grader.course import resolve_course\n"
        "from grader.study.context import Study\n"
        f"study = Study.open(resolve_course({str(course)!r}), {str(data)!r})\n"
        "question = study.catalog.questions['gen-memo-numel']\n"
        "loaded = [m for m in ('yaml', 'grader.bank.bankfile', 'grader.bank.source',\n"
        "    'importlib.metadata') if m in sys.modules]  # before model_dump builds a serializer\n"
        "print(json.dumps({'question': question.model_dump(mode='json'), 'loaded': loaded,\n"
        "    'hash': study.catalog.hashes['gen-memo-numel'],\n"
        "    'worker': study.precompute is not None}))\n"
    )
    env = {"GRADER_CACHE_DIR": str(tmp_path / "cache"), "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    warm = json.loads(done.stdout)
    assert warm["loaded"] == [], done.stderr
    assert warm["question"] == built.model_dump(mode="json")
    assert warm["hash"] == first.catalog.hashes["gen-memo-numel"] and warm["worker"] is False


def test_a_changed_broken_or_removed_instance_is_seen(
    course: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The memo is keyed by the instance file's bytes: new numbers in it are shown, a file that
    no longer holds a question or is gone leaves the question out (and asks the worker)."""
    from grader.study import context

    data = tmp_path / "data"
    now, _ = _with_instances(course, data)
    assert _open(course, data).catalog.questions["gen-memo-numel"].answer > 0
    entry = json.loads(now.read_text(encoding="utf-8"))
    entry["question"]["answer"] = 123456.0
    now.write_text(json.dumps(entry), encoding="utf-8")
    assert _open(course, data).catalog.questions["gen-memo-numel"].answer == 123456.0
    asked: list[list[str]] = []
    monkeypatch.setattr(
        context, "start_precompute", lambda q, c, wanted: asked.append([t.id for t, _ in wanted])
    )
    for broken in ('{"type": "numeric"}', "not json", None):
        if broken is None:
            now.unlink()
        else:
            now.write_text(broken, encoding="utf-8")
        assert "gen-memo-numel" not in _open(course, data).catalog.questions
        assert asked.pop() == ["gen-memo-numel"]


def test_an_edited_template_file_is_seen(course: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    _with_instances(course, data)
    assert _open(course, data).catalog.bank("gen-memo").title.en == "Fresh numbers"
    generated = course / "questions" / "generated" / "memo.yaml"
    text = generated.read_text(encoding="utf-8")
    generated.write_text(text.replace("en: Fresh numbers", "en: New numbers"), encoding="utf-8")
    assert _open(course, data).catalog.bank("gen-memo").title.en == "New numbers"


def test_a_warm_start_computes_no_content_hash(
    course: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With parametrised questions added to the catalog, the banks' hashes are still the
    cached ones: a warm start hashes no question (~20 ms for the bundled course)."""
    from grader.study import content

    data = tmp_path / "data"
    _with_instances(course, data)
    expected = _open(course, data).catalog.hashes

    def no_hashing(question: object) -> str:
        raise AssertionError(f"hashed {question!r} again")

    monkeypatch.setattr(content, "content_hash", no_hashing)
    assert _open(course, data).catalog.hashes == expected


# -- the code exercises' memo (grader.study.exercise_study) ----------------------------------

ROOT = Path(__file__).resolve().parents[2]


def _exercise_course(tmp_path: Path) -> Path:
    folder = tmp_path / "excourse"
    for name in ("attention-by-hand", "backward-linear"):
        shutil.copytree(ROOT / "exercises" / name, folder / "exercises" / name)
    return folder


def _open_exercises(folder: Path, tmp_path: Path) -> list[Any]:
    from grader.study.exercise_study import ExerciseStudy
    from grader.study.store import ProgressStore

    store = ProgressStore(tmp_path / "progress.sqlite")
    try:
        return ExerciseStudy.open(
            resolve_course(folder), store, workspace=tmp_path / "ws"
        ).exercises
    finally:
        store.close()


def test_a_warm_home_screen_reads_the_exercises_without_yaml_or_validation(
    course: Path, tmp_path: Path
) -> None:
    """The exercises' specs come from the memo on a second start: in a fresh interpreter no
    YAML and no pydantic schema (its plugin scan imports importlib.metadata) is loaded."""
    folder = _exercise_course(tmp_path)
    first = _open_exercises(folder, tmp_path)
    assert [e.id for e in first] == ["attention-by-hand", "backward-linear"]
    code = (
        "import json, sys\n"
        "from grader.course import resolve_course\n"
        "from grader.study.exercise_study import ExerciseStudy\n"
        "from grader.study.store import ProgressStore\n"
        f"store = ProgressStore({str(tmp_path / 'progress.sqlite')!r})\n"
        f"found = ExerciseStudy.open(resolve_course({str(folder)!r}), store).exercises\n"
        "loaded = [m for m in ('yaml', 'importlib.metadata') if m in sys.modules]\n"
        "print(json.dumps({'loaded': loaded, 'titles': [e.spec.title.en for e in found],\n"
        "    'solutions': [e.solution for e in found]}))\n"
    )
    env = {
        "GRADER_CACHE_DIR": str(tmp_path / "cache"),
        "GRADER_DATA_DIR": str(tmp_path / "data"),
        "PATH": "/usr/bin:/bin",
    }
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    warm = json.loads(done.stdout)
    assert warm["loaded"] == [], done.stderr
    assert warm["titles"] == [e.spec.title.en for e in first]
    assert warm["solutions"] == [None, None]


def test_an_edited_or_broken_exercise_is_seen(course: Path, tmp_path: Path) -> None:
    """An edited exercise.yaml is read again; a broken one fails as it did before the memo."""
    from grader.errors import BankError

    folder = _exercise_course(tmp_path)
    _open_exercises(folder, tmp_path)
    spec = folder / "exercises" / "backward-linear" / "exercise.yaml"
    text = spec.read_text(encoding="utf-8")
    title = _open_exercises(folder, tmp_path)[1].spec.title.en
    spec.write_text(text.replace(f"en: {title}", "en: A new title"), encoding="utf-8")
    assert _open_exercises(folder, tmp_path)[1].spec.title.en == "A new title"
    spec.write_text(text.replace("format_version: 1", "format_version: 2"), encoding="utf-8")
    with pytest.raises(BankError, match=r"backward-linear/exercise.yaml: format_version"):
        _open_exercises(folder, tmp_path)
