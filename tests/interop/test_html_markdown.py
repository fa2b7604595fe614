"""The text conversions: HTML to Markdown (and back), multilang blocks, language-neutral texts."""

from __future__ import annotations

import pytest

from grader.interop.html_markdown import (
    html_to_markdown,
    is_language_neutral,
    markdown_to_html,
    text_to_markdown,
)
from grader.interop.multilang import multilang_spans, parse_lang_map, split_languages


@pytest.mark.parametrize(
    ("source", "markdown"),
    [
        ("<p>a &amp; b &lt; c &gt; d&nbsp;e</p>", "a & b < c > d e"),
        (
            "<p>Use <code>x &lt; 1</code> or <b>bold</b> and <i>it</i></p>",
            "Use `x < 1` or **bold** and *it*",
        ),
        ("<p>two</p>\n<p>paragraphs</p>", "two\n\nparagraphs"),
        (
            '<pre><code class="language-python">if a &lt; b:\n    pass\n</code></pre>',
            "```python\nif a < b:\n    pass\n```",
        ),
        ("<pre>plain\nblock</pre>", "```\nplain\nblock\n```"),
        ("<ul><li>one</li><li>two<ol><li>nested</li></ol></li></ul>", "- one\n- two\n  1. nested"),
        (
            '<p><a href="https://pytorch.org">docs</a> <a href="https://x.org">https://x.org</a></p>',
            "[docs](https://pytorch.org) <https://x.org>",
        ),
        (
            "<h3>Title</h3><blockquote><p>quoted</p></blockquote><hr>",
            "### Title\n\n> quoted\n\n---",
        ),
        (
            "<table><tr><th>a</th><th align='right'>b</th></tr><tr><td>1|2</td><td>3</td></tr></table>",
            "| a | b |\n| --- | ---: |\n| 1\\|2 | 3 |",
        ),
        ("<p>H<sub>2</sub>O and x<sup>2</sup></p>", "H₂O and x²"),
        ("<div>\n   text over\n   two lines\n</div>", "text over\ntwo lines"),
        ("<p>line<br>break</p>", "line\\\nbreak"),
    ],
)
def test_html_becomes_the_markdown_an_author_writes(source: str, markdown: str) -> None:
    assert html_to_markdown(source, "en").markdown == markdown


@pytest.mark.parametrize(
    ("source", "markdown"),
    [
        ("<p>f(*args) and unscale_()</p>", "f(*args) and unscale_()"),  # one * or _ is no emphasis
        ("<p>*not emphasis* and a_b_c</p>", "\\*not emphasis\\* and a_b_c"),
        ("<p>__init__</p>", "\\_\\_init\\_\\_"),
        ("<p># not a heading</p>", "\\# not a heading"),
        ("<p>1. not a list</p>", "1\\. not a list"),
        ("<p>&lt;b&gt; is text</p>", "\\<b> is text"),
        ("<p>[text](url) written out</p>", "\\[text\\](url) written out"),
        ("<p>[0, 2], [1, 3]: fine</p>", "[0, 2], [1, 3]: fine"),
        ("<p>a `tick` here</p>", "a \\`tick\\` here"),
    ],
)
def test_only_what_markdown_would_read_as_markup_is_escaped(source: str, markdown: str) -> None:
    converted = html_to_markdown(source, "en").markdown
    assert converted == markdown
    assert html_to_markdown(markdown_to_html(converted), "en").markdown == converted


@pytest.mark.parametrize(
    ("source", "lang", "text", "note"),
    [
        (
            '<p>See <img src="@@PLUGINFILE@@/graph.png" alt="the graph"></p>',
            "en",
            "See (image not imported: the graph)",
            "image not imported: graph.png",
        ),
        (
            '<p>看<img src="@@PLUGINFILE@@/graph.png"></p>',
            "zh",
            "看（图片未导入：graph.png）",
            "image not imported: graph.png",
        ),
        (
            '<p><video src="a.mp4"></video></p>',
            "en",
            "(video not imported: a.mp4)",
            "video not imported: a.mp4",
        ),
        (
            '<iframe src="https://x.org/embed"></iframe>',
            "en",
            "(embedded content not imported: embed)",
            "embedded content not imported: embed",
        ),
        ("<p>a<script>alert(1)</script>b</p>", "en", "ab", "<script> dropped"),
        (
            '<p><span style="color:red">red</span> <u>under</u></p>',
            "en",
            "red under",
            "formatting dropped: <span style>",
        ),
        (
            '<p><a href="@@PLUGINFILE@@/notes.pdf">notes</a></p>',
            "en",
            "notes",
            "link to the attached file 'notes.pdf' dropped (its text kept)",
        ),
    ],
)
def test_what_markdown_cannot_hold_becomes_a_note(
    source: str, lang: str, text: str, note: str
) -> None:
    """Never dropped silently: a note in the text (in its language) and in the report."""
    converted = html_to_markdown(source, lang)
    assert converted.markdown == text
    assert note in converted.notes


def test_moodle_text_formats() -> None:
    """moodle_auto_format and plain_text keep line breaks; plain text is not markup; markdown
    is taken as it is."""
    assert text_to_markdown("one\ntwo\n\nthree", "moodle_auto_format", "en").markdown == (
        "one\\\ntwo\n\nthree"
    )
    assert text_to_markdown("a <b> c", "plain_text", "en").markdown == "a \\<b> c"
    assert text_to_markdown("*kept* `as is`", "markdown", "en").markdown == "*kept* `as is`"


def test_both_multilang_syntaxes_split_alike() -> None:
    """Spans (either attribute order), the old <lang> form and {mlang} blocks; common text in
    every language; an unknown language reported, kept with --lang-map."""
    spans = '<p>X</p><span class="multilang" lang="zh_cn">中</span><span lang="en" class="multilang">E</span>'
    mlang = "<p>X</p>{mlang zh_cn}中{mlang}{mlang en,en_us}E{mlang}"
    old = '<p>X</p><lang lang="zh_cn">中</lang><lang lang="en">E</lang>'
    for raw in (spans, mlang, old):
        split = split_languages(raw, {})
        assert split.marked and split.texts == {"zh": "<p>X</p>中", "en": "<p>X</p>E"}
    other = split_languages("{mlang de}D{mlang}{mlang en}E{mlang}", {})
    assert other.texts == {"en": "E"} and other.dropped == {"de"}
    kept = split_languages("{mlang de}D{mlang}", parse_lang_map("de=zh"))
    assert kept.texts == {"zh": "D"}
    assert not split_languages("<p>plain</p>", {}).marked
    assert multilang_spans({"zh": "中", "en": "E"}) == (
        '<span lang="zh_cn" class="multilang">中</span><span lang="en" class="multilang">E</span>'
    )


def test_a_span_inside_a_multilang_span_stays_inside_it() -> None:
    """A colour (or any span) inside a language's span is part of that language's text: the
    first </span> does not end the block, so no half of it leaks into the other language."""
    raw = (
        '<span lang="en" class="multilang">Up <span style="color:red">red</span> end</span>'
        '<span lang="zh_cn" class="multilang">上<span class="x">红</span></span>'
    )
    split = split_languages(raw, {})
    assert split.texts == {
        "en": 'Up <span style="color:red">red</span> end',
        "zh": '上<span class="x">红</span>',
    }
    assert split.common == ""
    unclosed = split_languages('<span lang="en" class="multilang">never closed', {})
    assert not unclosed.marked


@pytest.mark.parametrize(
    ("text", "neutral"),
    [
        ("`x.grad`", True),
        ("24", True),
        ("0.1 × 0.5² = 0.025", True),
        ("```\nprint(1)\n```", True),
        ("True", False),
        ("张量", False),
        ("see `x`", False),
        ("https://pytorch.org", True),
    ],
)
def test_a_text_with_nothing_to_translate(text: str, neutral: bool) -> None:
    assert is_language_neutral(text) is neutral
