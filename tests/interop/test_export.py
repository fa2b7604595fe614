"""Export: every question type to Moodle XML (both languages, or one) and to GIFT, Moodle's grade
list with every rounding reported, what each format loses, and the skipped parametrised
questions.

The bank is tests/interop/data/course/questions/export.yaml: one question of every type, with
credit, points, penalty and hints.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import create_model

from grader.bank.loader import LoadedBank, load_banks
from grader.bank.model import Bank, BankText, FillQuestion, OrderQuestion, TrueFalseQuestion
from grader.errors import UsageError
from grader.interop.draft import Draft
from grader.interop.exporter import export_banks
from grader.interop.gift import read_gift
from grader.interop.gift_export import gift_escape
from grader.interop.grades import MOODLE_GRADES, snap_grade
from grader.interop.importer import import_files
from grader.interop.moodle_export import format_number
from grader.interop.xmltree import parse_xml

COURSE = Path(__file__).resolve().parent / "data" / "course"
BANK = COURSE / "questions" / "export.yaml"


@pytest.fixture(scope="module")
def bank() -> LoadedBank:
    result = load_banks([BANK], cache=False)
    assert result.ok, result.problems
    return result.banks[0]


@pytest.fixture(scope="module")
def moodle(bank: LoadedBank, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, object]:
    out = tmp_path_factory.mktemp("export") / "export.xml"
    report = export_banks([bank], out, "moodle", "both")
    return out.read_text(encoding="utf-8"), report


def _questions(xml: str) -> dict[str, object]:
    root = parse_xml(xml.encode(), "export.xml")
    return {
        q.find("idnumber").text: q
        for q in root.findall("question")
        if q.attrs["type"] != "category"
    }


def test_every_type_gets_its_moodle_type(moodle) -> None:
    """The type table of questions/README.md, code_output's three forms included."""
    xml, report = moodle
    types = {qid: q.attrs["type"] for qid, q in _questions(xml).items()}
    assert types == {
        "export-single": "multichoice",
        "export-multiple": "multichoice",
        "export-multiple-strict": "multichoice",
        "export-true-false": "truefalse",
        "export-fill": "shortanswer",
        "export-numeric": "numerical",
        "export-order": "ordering",
        "export-code-one-line": "shortanswer",
        "export-code-options": "multichoice",
        "export-code-essay": "essay",
        "export-short": "essay",
    }
    assert report.exported == 11 and report.skipped == []


def test_both_languages_are_multilang_spans(moodle) -> None:
    """Each text holds a zh_cn and an en span; a text the same in both that reads the same in
    every language (code) is written once."""
    xml, _ = moodle
    single = _questions(xml)["export-single"]
    text = single.find("questiontext").find("text").text
    assert text == (
        '<span lang="zh_cn" class="multilang"><p><code>torch.tensor([1.0])</code> 的数据类型？</p>'
        '</span><span lang="en" class="multilang"><p>The dtype of <code>torch.tensor([1.0])</code>'
        "?</p></span>"
    )
    first = single.findall("answer")[0].find("text").text
    assert first == "<p><code>torch.float32</code></p>"


def test_one_language_has_no_spans(bank: LoadedBank, tmp_path: Path) -> None:
    """--lang zh writes the Chinese texts only, without multilang markup."""
    out = tmp_path / "zh.xml"
    export_banks([bank], out, "moodle", "zh")
    text = out.read_text(encoding="utf-8")
    assert "multilang" not in text and "The dtype of" not in text
    assert "的数据类型？" in text


def test_credits_snap_to_moodles_grades_and_each_rounding_is_reported(moodle) -> None:
    """45 % and -37.5 % are not on Moodle's list: written 50 % and -40 %, both reported;
    thirds are Moodle's 33.33333 and need no report."""
    xml, report = moodle
    questions = _questions(xml)
    fractions = [a.attrs["fraction"] for a in questions["export-single"].findall("answer")]
    assert fractions == ["100", "50", "-40"]
    thirds = [a.attrs["fraction"] for a in questions["export-multiple"].findall("answer")]
    assert thirds == ["33.33333", "33.33333", "33.33333", "-33.33333"]
    assert [str(r) for r in report.roundings] == [
        "export-single: option 1: 45 % written as 50 %",
        "export-single: option 2: -37.5 % written as -40 %",
    ]
    every = {
        f for q in questions.values() for a in q.findall("answer") for f in [a.attrs["fraction"]]
    }
    allowed = {format_number(g) for g in MOODLE_GRADES} | {"1", "2", "3"}  # ordering positions
    assert every <= allowed


@pytest.mark.parametrize(
    ("percent", "snapped", "rounded"),
    [
        (100, 100, False),
        (33.333333, 33.33333, False),
        (45, 50, True),
        (-45, -40, True),
        (2.4, 0, True),
        (14.2857, 14.28571, False),
        (-100, -100, False),
        (95, 100, True),
    ],
)
def test_snapping_follows_moodles_nearest_rule(
    percent: float, snapped: float, rounded: bool
) -> None:
    """The nearest grade of the list; a tie goes to the larger one, as Moodle's does."""
    result = snap_grade(percent)
    assert (result.value, result.rounded) == (snapped, rounded)


def test_metadata_travels_in_tags_and_idnumber(moodle) -> None:
    """The id is the idnumber and the name; difficulty, a hint that gives the answer away,
    the regex and the relative tolerance travel in grader- tags; code_output says so."""
    xml, report = moodle
    questions = _questions(xml)

    def tags(qid: str) -> list[str]:
        element = questions[qid].find("tags")
        return [t.child_text("text") for t in element.findall("tag")]

    assert tags("export-single") == ["dtype", "grader-difficulty:2", "grader-gives-away:1"]
    assert "grader-regex:`?zero_grad(\\(\\))?`?" in tags("export-fill")
    assert "grader-rel-tolerance:0.01" in tags("export-numeric")
    assert "grader-all-or-nothing" in tags("export-multiple-strict")
    for qid in ("export-code-one-line", "export-code-options", "export-code-essay"):
        assert "grader-type:code_output" in tags(qid)
    losses = "\n".join(str(line) for line in report.losses)
    assert "export-fill: regex" in losses and "export-numeric: relative tolerance 0.01" in losses


def test_code_output_keeps_code_and_verified_output(moodle) -> None:
    """The code is a <pre> block of the question; a one-line output is the short answer, a
    longer one is in graderinfo, candidate outputs are the choices."""
    xml, _ = moodle
    questions = _questions(xml)
    one = questions["export-code-one-line"]
    assert (
        '<pre><code class="language-python">import torch\nprint(torch.ones(2, 3).sum() * 2)\n'
        in (one.find("questiontext").find("text").text)
    )
    assert one.findall("answer")[0].child_text("text") == "tensor(12.)"
    essay = questions["export-code-essay"]
    assert essay.child_text("responseformat") == "monospaced"
    info = essay.find("graderinfo").find("text").text
    assert info == "<pre><code>torch.Size([2])\ntensor([True, True])\n</code></pre>"
    assert "Output:" in essay.find("responsetemplate").find("text").text
    options = questions["export-code-options"].findall("answer")
    assert [a.attrs["fraction"] for a in options] == ["100", "0"]


def test_short_keeps_reference_and_key_points_for_the_marker(moodle) -> None:
    """graderinfo holds the model answer, then the key points as a marked list."""
    xml, _ = moodle
    info = _questions(xml)["export-short"].find("graderinfo").find("text").text
    assert info.endswith(
        '<ul class="grader-key-points"><li><span lang="zh_cn" class="multilang"><p>运行时建图</p>'
        '</span><span lang="en" class="multilang"><p>the graph is built at run time</p></span></li>'
        '<li><span lang="zh_cn" class="multilang"><p>可用调试器</p></span><span lang="en" '
        'class="multilang"><p>debuggers work</p></span></li></ul>'
    )


def test_the_bank_is_a_category_with_its_title_and_id(moodle) -> None:
    """$course$/top/<title> (multilang, '/' doubled), the description as info, the id as
    idnumber."""
    xml, _ = moodle
    root = parse_xml(xml.encode(), "export.xml")
    category = root.findall("question")[0]
    assert category.attrs["type"] == "category"
    assert category.find("category").child_text("text") == (
        '$course$/top/<span lang="zh_cn" class="multilang">导出<//span>'
        '<span lang="en" class="multilang">Export<//span>'
    )
    assert category.child_text("idnumber") == "export"


def test_gift_holds_one_language(bank: LoadedBank, tmp_path: Path) -> None:
    """--lang both is refused for GIFT, with the reason."""
    with pytest.raises(UsageError, match="GIFT holds one language"):
        export_banks([bank], tmp_path / "x.gift", "gift", "both")


def test_gift_every_type_and_what_it_loses(bank: LoadedBank, tmp_path: Path) -> None:
    """Every type is written; GIFT's own parser (ours, after Moodle's) reads each back with the
    type GIFT can say; the report lists hints, regex, case sensitivity and code_output's type."""
    out = tmp_path / "export.gift"
    report = export_banks([bank], out, "gift", "en")
    drafts = [i for i in read_gift(out.read_text(encoding="utf-8"), str(out))[0]]
    types = {d.origin.name: d.type for d in drafts if isinstance(d, Draft)}
    assert types == {
        "export-single": "single",
        "export-multiple": "multiple",
        "export-multiple-strict": "single",  # one right option: GIFT's '='
        "export-true-false": "true_false",
        "export-fill": "fill",
        "export-numeric": "numeric",
        "export-order": "order",
        "export-code-one-line": "fill",
        "export-code-options": "single",
        "export-code-essay": "short",
        "export-short": "short",
    }
    losses = "\n".join(str(line) for line in report.losses)
    for expected in (
        "every question: tags, difficulty and source",
        "export-single: 2 hints",
        "export-single: points 2",
        "export-fill: case sensitivity",
        "export-code-one-line: the type code_output",
        "export-order: the explanation",
        "export-short: the key points and the explanation",
    ):
        assert expected in losses
    # Moodle's reader takes %-100% as written (its two digits may be followed by more), so
    # the all-or-nothing question's wrong option keeps its -100 %: only Moodle's grade list
    # rounds, as in Moodle XML
    assert [str(r) for r in report.roundings] == [
        "export-single: option 1: 45 % written as 50 %",
        "export-single: option 2: -37.5 % written as -40 %",
    ]
    strict = next(d for d in drafts if isinstance(d, Draft) and d.origin.name.endswith("-strict"))
    assert strict.fields["credit"] == [100.0, -100.0]


def test_gift_escapes_read_back_as_written(bank: LoadedBank, tmp_path: Path) -> None:
    """= ~ # { } : and \\ in a text are escaped so that the text reads back as it was."""
    out = tmp_path / "export.gift"
    export_banks([bank], out, "gift", "en")
    line = next(
        x for x in out.read_text(encoding="utf-8").splitlines() if "export-true-false::" in x
    )
    assert r"follows\: \{x\} stays \#1." in line
    imported = tmp_path / "export.yaml"
    import_files([out], imported, bank="export")
    loaded = load_banks([imported], cache=False)
    assert loaded.questions() == []  # English only: every question lacks Chinese
    assert "follows: {x} stays #1." in imported.read_text(encoding="utf-8")
    assert gift_escape("a=b~c#d{e}f:g\\h\nnext") == r"a\=b\~c\#d\{e\}f\:g\\h\nnext"


def test_parametrised_questions_are_skipped_with_the_reason(tmp_path: Path) -> None:
    """A question with params (the variants issue) is not exported as fixed instances."""
    Param = create_model("Param", params=(dict, {}), __base__=TrueFalseQuestion)
    question = Param.model_validate(
        {
            "id": "p-shape",
            "type": "true_false",
            "difficulty": 2,
            "tags": ["shape"],
            "prompt": {"zh": "问", "en": "q"},
            "answer": True,
            "explanation": {"zh": "解", "en": "e"},
            "params": {"n": {"int": [1, 9]}},
        }
    )
    bank = Bank.model_construct(
        bank="p", title=BankText(zh="参数", en="Params"), description=None, questions=(question,)
    )
    report = export_banks([LoadedBank(bank, "p.yaml")], tmp_path / "p.xml", "moodle", "both")
    assert report.exported == 0
    assert [s.where for s in report.skipped] == ["p-shape"]
    assert "parametrised" in report.skipped[0].what
    assert int(report.exit_code) == 1
    assert not re.search(r"<question type=\"truefalse\"", (tmp_path / "p.xml").read_text())


def test_gift_skips_a_short_answer_holding_an_arrow(tmp_path: Path) -> None:
    """'=' with '->' is Moodle's sign of a matching question, and GIFT cannot escape either: a
    fill answer like einsum's 'ij,jk->ik' is skipped with the reason (Moodle XML keeps it)."""
    question = FillQuestion.model_validate(
        {
            "id": "e-einsum",
            "type": "fill",
            "difficulty": 1,
            "tags": ["einsum"],
            "prompt": {"zh": "矩阵乘法的下标？", "en": "The subscripts of a matrix product?"},
            "answer": ["ij,jk->ik"],
            "explanation": {"zh": "解", "en": "e"},
        }
    )
    bank = LoadedBank(
        Bank.model_construct(
            bank="e",
            title=BankText(zh="爱因斯坦", en="Einsum"),
            description=None,
            questions=(question,),
        ),
        "e.yaml",
    )
    report = export_banks([bank], tmp_path / "e.gift", "gift", "en")
    assert (report.exported, int(report.exit_code)) == (0, 1)
    assert [s.where for s in report.skipped] == ["e-einsum"]
    assert "read the question as matching" in report.skipped[0].what
    assert "ij,jk" not in (tmp_path / "e.gift").read_text(encoding="utf-8")
    moodle = export_banks([bank], tmp_path / "e.xml", "moodle", "both")
    assert (moodle.exported, moodle.skipped) == (1, [])


def test_gift_skips_an_order_item_it_would_read_as_a_comment(tmp_path: Path) -> None:
    """The ordering extension writes one item a line, unescaped: an item starting with '//'
    would vanish as a comment, so the question is skipped with the reason."""
    question = OrderQuestion.model_validate(
        {
            "id": "o-comments",
            "type": "order",
            "difficulty": 1,
            "tags": ["python"],
            "prompt": {"zh": "排序。", "en": "Order them."},
            "options": [
                {"zh": "`// 注释`", "en": "// a comment"},
                {"zh": "`x = 1`", "en": "x = 1"},
            ],
            "explanation": {"zh": "解", "en": "e"},
        }
    )
    bank = Bank.model_construct(
        bank="o", title=BankText(zh="排序", en="Order"), description=None, questions=(question,)
    )
    report = export_banks([LoadedBank(bank, "o.yaml")], tmp_path / "o.gift", "gift", "en")
    assert [(s.where, s.what) for s in report.skipped] == [
        ("o-comments", "an item starts with '//', which GIFT reads as a comment line")
    ]
    zh = export_banks([LoadedBank(bank, "o.yaml")], tmp_path / "o.zh.gift", "gift", "zh")
    assert zh.skipped == [] and zh.exported == 1
