"""GIFT in: categories, titles, =/~, %n% weights, {T}/{F}, {#n:tol} and ranges, =a =b fill
answers, # feedback, comments, escapes, Moodle's ordering extension, and broken files.

The fixtures were written for these tests after Moodle's GIFT documentation and its reader
(question/format/gift/format.php); none is copied from Moodle.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from grader.interop.draft import Draft, Skip, resolve
from grader.interop.errors import BrokenFile
from grader.interop.gift import read_gift
from grader.interop.importer import import_files

DATA = Path(__file__).resolve().parent / "data"


def _drafts(text: str) -> list[Draft | Skip]:
    return read_gift(text, "in.gift")[0]


@pytest.fixture(scope="module")
def fixture_items() -> list[Draft | Skip]:
    return _drafts((DATA / "gift_all_types.gift").read_text(encoding="utf-8"))


def _english(draft: Draft) -> dict[str, object]:
    """The draft's fields with English texts (the fixture is in English)."""
    fields = resolve(draft, {}).fields
    out: dict[str, object] = {}
    for key, value in fields.items():
        if isinstance(value, dict) and set(value) <= {"zh", "en"}:
            out[key] = value.get("en")
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            out[key] = [v.get("en") for v in value]
        else:
            out[key] = value
    return out


def test_types_titles_and_categories(fixture_items: list[Draft | Skip]) -> None:
    """Each block is one question, named by its ::title::, in the $CATEGORY above it;
    comment lines are ignored; matching is skipped with a reason."""
    kinds = [
        (i.origin.name, i.type if isinstance(i, Draft) else f"skip:{i.qtype}")
        for i in fixture_items
    ]
    assert kinds == [
        ("Where gradients go", "single"),
        ("Float dtypes", "multiple"),
        ("Leaf grads", "true_false"),
        ("Clear grads", "fill"),
        ("Sigmoid at zero", "numeric"),
        ("Half range", "numeric"),
        ("Step order", "order"),
        ("Explain detach", "short"),
        ("Match them", "skip:matching"),
    ]
    first = fixture_items[0]
    assert isinstance(first, Draft) and first.category is not None
    assert first.category.path == ("Autograd basics",)
    assert first.origin.line == 7


def test_choice_with_markdown_weights_and_feedback(fixture_items: list[Draft | Skip]) -> None:
    """[markdown] keeps the text as Markdown; ~%50% is per-option credit; # feedback follows
    the #### general feedback in the explanation."""
    fields = _english(fixture_items[0])
    assert fields["prompt"] == "After `y.backward()`, where are gradients stored?"
    assert fields["answer"] == 0 and fields["credit"] == [100.0, 50.0, 0.0]
    assert fields["explanation"] == (
        "`backward()` accumulates into leaf tensors' `.grad`.\n\n"
        "- **In the `.grad` of leaf tensors**: Right: leaves accumulate them.\n"
        "- **In `.grad` of every tensor**: Only leaves keep it, unless you call `retain_grad()`.\n"
        "- **In the return value of `backward()`**: It returns `None`."
    )


def test_multiple_answers_and_true_false(fixture_items: list[Draft | Skip]) -> None:
    """Without '=', weights (negative too) make a multiple-answer question; {T#wrong#right}
    keeps both feedbacks under their answers; an escaped \\= is a literal '='."""
    multiple = _english(fixture_items[1])
    assert multiple["answer"] == [0, 1] and multiple["credit"] == [50.0, 50.0, -100.0]
    assert multiple["options"] == ["torch.float16", "torch.bfloat16", "torch.int8"]
    true_false = _english(fixture_items[2])
    assert true_false["prompt"] == "A tensor created by the user with requires_grad=True is a leaf."
    assert true_false["answer"] is True
    assert true_false["explanation"] == (
        "User-created tensors are leaves.\n\n- **False**: No, it is a leaf.\n- **True**: Yes."
    )


def test_fill_answers_and_escapes(fixture_items: list[Draft | Skip]) -> None:
    """=a =b are the accepted answers; \\{ \\} \\: are literal characters."""
    fields = _english(fixture_items[3])
    assert fields["answer"] == ["zero_grad", "zero_grad()"]
    assert fields["prompt"] == "Which optimizer method {clears} the gradients : name it."


def test_numbers_with_a_tolerance_and_a_range(fixture_items: list[Draft | Skip]) -> None:
    """{#0.5:0.01} is 0.5 ± 0.01; {#1..2} is its midpoint ± half its width."""
    tol = _english(fixture_items[4])
    assert (tol["answer"], tol["tolerance"]) == (0.5, 0.01)
    assert tol["explanation"] == "1/(1+e^0) = 0.5."
    ranged = _english(fixture_items[5])
    assert (ranged["answer"], ranged["tolerance"]) == (1.5, 0.5)


def test_numbers_keep_their_feedback_and_report_what_they_drop() -> None:
    """Each number's # feedback follows the general feedback, as a choice's does, and so does
    the '~' feedback for any other number (Moodle reads no number there); a partly right number
    is reported, never dropped silently."""
    (draft,) = _drafts(
        "::n::1/3?{#\n=0.33:0.005#exact\n=%50%0.3:0.05#close\n~0.5#too much\n####Divide.}"
    )
    assert isinstance(draft, Draft)
    fields = _english(draft)
    assert (fields["answer"], fields["tolerance"]) == (0.33, 0.005)
    assert fields["explanation"] == (
        "Divide.\n\n- **`0.33:0.005`**: exact\n- **`0.3:0.05`**: close\n"
        "- **Any other answer**: too much"
    )
    assert any("answer 0.3 (±0.05, 50 %) dropped" in n for n in draft.notes)
    zh = resolve(draft, {}).fields["explanation"]
    assert "其他答案" not in str(zh.get("en"))


def test_a_title_never_closed_is_no_title() -> None:
    """'::' without its closing '::' is dropped, as Moodle's reader does; the text is the
    question."""
    (draft,) = _drafts("::Unclosed title\n {T}")
    assert isinstance(draft, Draft)
    assert resolve(draft, {}).fields["prompt"]["en"] == "Unclosed title"


def test_ordering_extension_and_essay(fixture_items: list[Draft | Skip]) -> None:
    """{>3 ALL VERTICAL ALL_OR_NOTHING SHOW ...} is an order question without partial credit;
    an essay's general feedback is its model answer."""
    order = _english(fixture_items[6])
    assert order["options"] == ["zero_grad", "backward", "step"]
    assert order["partial_credit"] is False
    essay = _english(fixture_items[7])
    assert essay["reference"] == "Because NumPy cannot hold the autograd graph."


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (r"::e::a \= b \~ c \# d \{x\} e\: f \\ g{T}", r"a = b ~ c # d {x} e: f \ g"),
        (r"::e::line one\nline two{T}", "line one\\\nline two"),
        (r"::e::[markdown]use `x \= 1`{T}", "use `x = 1`"),
        (r"::e::Grant is {~buried =entombed} in the tomb.", r"Grant is \_\_\_\_\_ in the tomb."),
    ],
)
def test_escapes_line_breaks_and_missing_words(text: str, expected: str) -> None:
    """Each escaped character is literal, \\n is a line break (a hard break in Markdown), and
    answers inside the sentence leave a blank (Moodle's missing-word format)."""
    (draft,) = _drafts(text)
    assert isinstance(draft, Draft)
    assert resolve(draft, {}).fields["prompt"]["en"] == expected


def test_weights_and_a_wildcard_in_fill_answers() -> None:
    """=%50% answers are reported, not accepted; a * wildcard becomes a regex; \\* is a star."""
    (draft,) = _drafts(r"::w::Name it.{=zero_grad =%50%zero =zero_\*grad =opt*grad}")
    assert isinstance(draft, Draft)
    assert draft.fields["answer"] == ["zero_grad", "zero_*grad"]
    assert draft.fields["regex"] == r"opt.*grad"
    assert any("worth 50 %" in n for n in draft.notes)


def test_chinese_gift_is_chinese_and_lacks_english(tmp_path: Path) -> None:
    """A file in one language: every text is that language's, the other is reported missing;
    a title of Chinese characters gives a hashed id."""
    out = tmp_path / "zh.yaml"
    report = import_files([DATA / "gift_zh.gift"], out)
    assert {line.question for line in report.missing} == {"zh-9a4adbad", "zh-x-grad-shape"}
    assert all("no English" in line.what or "explanation" in line.what for line in report.missing)
    assert "叶子张量的" in out.read_text(encoding="utf-8")


def test_a_broken_gift_file_names_the_line_of_its_question(tmp_path: Path) -> None:
    """A '{' never closed: BrokenFile at the question's first line; nothing is written."""
    out = tmp_path / "broken.yaml"
    with pytest.raises(BrokenFile) as caught:
        import_files([DATA / "gift_broken.gift"], out)
    assert caught.value.message == (
        f"{DATA / 'gift_broken.gift'}:4: question #2: the '{{' of the answers is never closed"
    )
    assert not out.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("::one::Only one answer{~lonely}", "a choice question needs at least 2 answers"),
        ("::n::How much?{#twelve}", "'twelve' is not a number"),
        ("::b::Closed before opened} here {T", "a '}' without a '{' before it"),
        ("Just a paragraph of text, no question.\n", "not a GIFT file"),
    ],
)
def test_other_broken_gift_is_refused(tmp_path: Path, content: str, message: str) -> None:
    """Answers Moodle cannot read either, and a text file with no question, are broken files."""
    source = tmp_path / "in.gift"
    source.write_text(content, encoding="utf-8")
    with pytest.raises(BrokenFile) as caught:
        import_files([source], tmp_path / "out.yaml")
    assert message in caught.value.message


def test_a_file_that_is_not_text_is_refused(tmp_path: Path) -> None:
    """Bytes that are not UTF-8 are neither GIFT nor Moodle XML."""
    source = tmp_path / "in.gift"
    source.write_bytes(b"::t::\xb1\xe4\xc1\xbf{T}")
    with pytest.raises(BrokenFile) as caught:
        import_files([source], tmp_path / "out.yaml")
    assert "not UTF-8" in caught.value.message and caught.value.line == 1
