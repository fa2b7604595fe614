"""Moodle XML in: every supported type, both multilang syntaxes, entities and CDATA, notes for
what Markdown cannot hold, and the report of what was skipped or lacks a translation.

Fixtures in tests/interop/data were written for these tests after Moodle's format
documentation and its reader (question/format/xml/format.php); none is copied from Moodle.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from grader.bank.loader import load_banks
from grader.bank.model import QuestionBase
from grader.i18n import Text
from grader.interop.errors import BrokenFile
from grader.interop.importer import import_files

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, QuestionBase], object]:
    out = tmp_path_factory.mktemp("moodle") / "tensor-basics.yaml"
    report = import_files([DATA / "moodle_all_types.xml"], out)
    loaded = load_banks([out], cache=False)
    assert loaded.problems == [], loaded.problems
    return {q.id: q for q in loaded.questions()}, (report, loaded)


def test_every_type_maps_to_ours(imported) -> None:
    """multichoice (one and several answers), truefalse, shortanswer, numerical, ordering and
    essay become single, multiple, true_false, fill, numeric, order and short."""
    questions, _ = imported
    assert {q.id: q.type for q in questions.values()} == {
        "tensor-basics-default-dtype": "single",
        "tensor-basics-views-of-x": "multiple",
        "tensor-basics-from-numpy": "true_false",
        "tensor-basics-method-that-clears-gradients": "fill",
        "tensor-basics-conv-size": "numeric",
        "tensor-basics-training-step-order": "order",
        "tensor-basics-why-detach": "short",
    }


def test_the_category_gives_the_bank_its_title_and_description(imported) -> None:
    """The one category's multilang name and info are the bank's title and description."""
    _, (_, loaded) = imported
    bank = loaded.banks[0].bank
    assert bank.title == Text(zh="张量基础", en="Tensor basics")
    assert bank.description == Text(zh="形状与数据类型。", en="Shapes and dtypes.")


def test_single_choice_keeps_fractions_points_penalty_hint_and_feedback(imported) -> None:
    """A 50 % answer is per-option credit; defaultgrade is points; each answer's feedback
    follows the general feedback in the explanation; the hint is kept."""
    questions, _ = imported
    q = questions["tensor-basics-default-dtype"]
    assert q.answer == 0 and q.credit == (100.0, 50.0, 0.0)
    assert (q.points, q.penalty) == (2.0, 0.3333333)
    assert q.prompt.en == "What is the default dtype of `torch.tensor([1.0])`?"
    assert q.prompt.zh == "`torch.tensor([1.0])` 的默认数据类型是什么？"
    assert q.options[1].en == "`torch.float` & friends"
    assert q.explanation.en == (
        "The default floating type is `torch.float32`.\n\n"
        "- **`torch.float` & friends**: An alias of the same type."
    )
    assert q.explanation.zh.endswith("- **`torch.float` & friends**: 同一个类型的别名。")
    assert q.hint is not None and q.hint.en == "Think of how NumPy's default differs."
    assert q.tags == ("dtype",)


def test_multiple_answers_keep_negative_fractions_and_escaped_html(imported) -> None:
    """Fractions 50/50/-100 are per-option credit; an answer written as escaped HTML
    (&lt;code&gt;) reads like one in CDATA; shuffleanswers false is shuffle: false."""
    questions, _ = imported
    q = questions["tensor-basics-views-of-x"]
    assert q.answer == (0, 1) and q.credit == (50.0, 50.0, -100.0)
    assert [o.en for o in q.options] == ["`x.view(-1)`", "`x[1:]`", "`x.clone()`"]
    assert q.shuffle is False


def test_both_multilang_syntaxes_and_text_outside_the_blocks(imported) -> None:
    """Spans inside a paragraph and {mlang} blocks split alike; text outside them is in both."""
    questions, _ = imported
    q = questions["tensor-basics-from-numpy"]
    assert q.prompt == Text(
        zh="`torch.from_numpy(a)` 与 `a` 共享内存。",
        en="`torch.from_numpy(a)` shares memory with `a`.",
    )
    assert q.explanation == Text(zh="不复制数据。", en="It does not copy.")
    assert q.answer is True and q.penalty == 1.0


def test_short_answer_usecase_wildcards_and_partial_answers(imported) -> None:
    """usecase 1 is case_sensitive; a * wildcard becomes a regex; a 50 % answer is reported,
    not accepted."""
    _, (report, _) = imported
    questions, _ = imported
    q = questions["tensor-basics-method-that-clears-gradients"]
    assert q.answer == ("zero_grad",) and q.case_sensitive is True
    assert q.regex == r"optimizer\.zero_grad.*"
    notes = [str(n) for n in report.notes]
    assert any("answer 'grad.zero_' was worth 50 %" in n for n in notes)


def test_numerical_ordering_and_essay(imported) -> None:
    """Tolerance; items in the order of their fractions with absolute-position grading; the
    model answer and its marked key points out of graderinfo."""
    questions, _ = imported
    numeric = questions["tensor-basics-conv-size"]
    assert (numeric.answer, numeric.tolerance) == (24.0, 0.5)
    assert numeric.explanation == Text(zh="28 − 5 + 1 = 24", en="28 − 5 + 1 = 24")
    order = questions["tensor-basics-training-step-order"]
    assert [o.en for o in order.options] == [
        "`optimizer.zero_grad()`",
        "`loss.backward()`",
        "`optimizer.step()`",
    ]
    assert order.partial_credit is True
    short = questions["tensor-basics-why-detach"]
    assert short.reference == Text(
        zh="需要一个不参与求导的张量时。", en="When a tensor must not take part in autograd."
    )
    assert [k.en for k in short.key_points] == [
        "no more gradient recording",
        "shares storage with the original",
    ]


def test_a_bilingual_file_imports_with_nothing_missing(imported) -> None:
    """No question of the bilingual fixture lacks a translation or is skipped."""
    _, (report, _) = imported
    assert report.skipped == [] and report.missing == []


def test_unsupported_types_are_listed_with_name_and_place_and_skipped(tmp_path: Path) -> None:
    """calculated, cloze, matching, drag-and-drop and descriptions: each listed with its
    position, line and name, the rest imported; exit status 1."""
    out = tmp_path / "mixed.yaml"
    report = import_files([DATA / "moodle_unsupported.xml"], out)
    path = DATA / "moodle_unsupported.xml"
    assert [str(line) for line in report.skipped] == [
        f"{path}:6: question #1 'Read this first': description: a description is text between "
        "questions, not a question",
        f"{path}:10: question #2 'Area of a circle': calculated: a calculated question computes "
        "its numbers from a formula that Moodle evaluates; no question type here does",
        f"{path}:15: question #3 'Fill two gaps': cloze: a cloze question embeds several "
        "sub-questions in one text; a question here has one answer",
        f"{path}:19: question #4 'Match calls': matching: a matching question pairs items with "
        "answers; there is no matching type here yet",
        f"{path}:24: question #5 'Drag words': ddwtos: drag-and-drop into text has no "
        "counterpart here",
    ]
    assert [q.id for q in load_banks([out], cache=False).questions()] == [
        "mixed-tensors-have-a-dtype"
    ]
    assert int(report.exit_code) == 1


def test_one_language_is_imported_as_it_is_and_reported(tmp_path: Path) -> None:
    """A question without multilang markup is in its script's language; the other is listed as
    missing (never invented); code and numbers count for both; images become a note."""
    out = tmp_path / "mono.yaml"
    report = import_files([DATA / "moodle_monolingual.xml"], out)
    loaded = load_banks([out], cache=False)
    assert loaded.questions() == []  # every question lacks a language
    missing = {(line.question, line.what) for line in report.missing}
    chinese = "mono-1080e64f"  # a name of Chinese characters only: a hash of it
    assert (chinese, "prompt: no English (en) text") in missing
    assert (chinese, "explanation: no English (en) text") in missing
    assert not any("Chinese" in what for qid, what in missing if qid == chinese)
    # Two questions are named "Sum of ones"; the numerical one's explanation is just '3.0'.
    written = yaml.safe_load(out.read_text(encoding="utf-8"))["questions"]
    (numeric,) = [q["id"] for q in written if q["type"] == "numeric"]
    assert numeric.startswith("mono-sum-of-ones")
    assert (numeric, "explanation: no Chinese (zh) text") not in missing  # '3.0' is neutral
    text = out.read_text(encoding="utf-8")
    assert "（图片未导入：计算图）" in text
    assert any("image not imported: graph.png" in str(n) for n in report.notes)
    messages = [str(p) for p in loaded.problems]
    assert any("missing English translation 'en' in prompt" in m for m in messages)


def test_a_typography_problem_of_an_imported_text_is_reported_not_changed(tmp_path: Path) -> None:
    """The &nbsp; before the image note leaves a space beside '？': kept, and reported as
    `grader validate` reports it."""
    out = tmp_path / "mono.yaml"
    report = import_files([DATA / "moodle_monolingual.xml"], out)
    assert "梯度存在哪里？ （图片未导入" in out.read_text(encoding="utf-8")
    assert any("space beside full-width '？'" in p for p in report.problems)


def test_a_broken_file_names_its_line(tmp_path: Path) -> None:
    """Not well-formed XML is a BrokenFile at the line expat names; nothing is written."""
    out = tmp_path / "broken.yaml"
    with pytest.raises(BrokenFile) as caught:
        import_files([DATA / "moodle_broken.xml"], out)
    assert caught.value.message == (
        f"{DATA / 'moodle_broken.xml'}:12: not well-formed XML: mismatched tag"
    )
    assert not out.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"<?xml version='1.0'?>\n<html><body/></html>", "the root element is <html>, not <quiz>"),
        (
            b'<?xml version="1.0"?>\n<!DOCTYPE quiz [<!ENTITY lol "lol">]>\n<quiz/>',
            "a document type declaration (<!DOCTYPE ...>) is not allowed",
        ),
        (b"<quiz><question type='truefalse'>&nbsp;</question></quiz>", "undefined entity"),
    ],
)
def test_xml_that_is_not_a_moodle_quiz_or_is_unsafe_is_refused(
    tmp_path: Path, content: bytes, message: str
) -> None:
    """Another XML document, an entity declaration (billion laughs, external files) and an
    HTML entity outside CDATA are refused with the line."""
    source = tmp_path / "in.xml"
    source.write_bytes(content)
    with pytest.raises(BrokenFile) as caught:
        import_files([source], tmp_path / "out.yaml")
    assert message in caught.value.message
    assert caught.value.line is not None


def test_what_old_moodle_files_hold(tmp_path: Path) -> None:
    """A Moodle 1.9 <image> beside the text and an embedded @@PLUGINFILE@@ image become a note
    in the text and a report line; 'cloze' is skipped as cloze; padded texts are stripped; a
    category path without 'top' still names the category."""
    out = tmp_path / "old.yaml"
    report = import_files([DATA / "moodle_legacy.xml"], out)
    assert [line.what.split(":")[0] for line in report.skipped] == ["cloze"]
    notes = [str(line) for line in report.notes]
    assert any("pick with old image" in n and "image not imported: diagram.png" in n for n in notes)
    assert any("embedded picture" in n and "image not imported: loss curve.png" in n for n in notes)
    written = yaml.safe_load(out.read_text(encoding="utf-8"))["questions"]
    pick, picture = written
    assert pick["prompt"]["en"] == (
        "Which tensor is on the GPU? See the picture.\n\n(image not imported: diagram.png)"
    )
    assert (pick["options"], pick["answer"], pick["shuffle"]) == (
        [{"en": "the first"}, {"en": "the second"}],
        1,
        False,
    )
    assert pick["tags"] == picture["tags"] == ["default-for-old-course"]
    assert "(image not imported: loss curve.png)" in picture["prompt"]["en"]


def test_the_feedback_for_any_other_number(tmp_path: Path) -> None:
    """Moodle's '*' answer of a numerical question (its feedback for every other number) is
    labelled as such in each language, not as a literal '*'."""
    source = tmp_path / "n.xml"
    source.write_text(
        '<quiz><question type="numerical"><name><text>n</text></name>'
        '<questiontext format="html"><text><![CDATA[{mlang zh_cn}几？{mlang}{mlang en}How many?'
        "{mlang}]]></text></questiontext>"
        '<generalfeedback format="html"><text><![CDATA[{mlang zh_cn}三。{mlang}{mlang en}Three.'
        "{mlang}]]></text></generalfeedback>"
        '<answer fraction="100"><text>3</text><tolerance>0</tolerance></answer>'
        '<answer fraction="0"><text>*</text><feedback format="html"><text><![CDATA['
        "{mlang zh_cn}数一数。{mlang}{mlang en}Count them.{mlang}]]></text></feedback></answer>"
        "</question></quiz>",
        encoding="utf-8",
    )
    out = tmp_path / "n.yaml"
    import_files([source], out)
    (question,) = yaml.safe_load(out.read_text(encoding="utf-8"))["questions"]
    assert question["explanation"] == {
        "zh": "三。\n\n- **其他答案**: 数一数。",
        "en": "Three.\n\n- **Any other answer**: Count them.",
    }
