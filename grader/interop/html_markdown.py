"""Moodle's HTML to our Markdown, and our Markdown to HTML.

Export renders Markdown with ``markdown-it-py`` (CommonMark, as the app's Markdown widget reads
it, with tables and strikethrough; raw HTML in a bank text is escaped, never passed through).
Import converts HTML back with the standard library's ``html.parser`` into the Markdown an author
would write: paragraphs, **bold**, *italics*, `code`, fenced code blocks (with the language of a
``language-*`` class), lists, headings, quotes, links and simple tables. Literal characters that
Markdown would read as markup are escaped, and only those, so our own export comes back as it
was written.

What Markdown cannot hold is not dropped silently: an image, audio, video or embedded frame
becomes a note in the text itself, in the text's language ("(image not imported: logo.png)",
"（图片未导入：logo.png）"), and every such loss, formatting that was dropped included, is named
in the ``notes`` for the import report.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import unquote

from markdown_it import MarkdownIt

__all__ = [
    "Converted",
    "has_cjk",
    "html_to_markdown",
    "is_language_neutral",
    "markdown_to_html",
    "text_to_markdown",
]

_MD = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])


def markdown_to_html(markdown: str) -> str:
    """Our Markdown as HTML (raw HTML in it is escaped, as text)."""
    return _MD.render(markdown).strip()


_CODE_OR_URL = re.compile(r"(`{3,}|~{3,}).*?\1|(`+)[^`].*?\2|`+|https?://\S+", re.S)
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")


def is_language_neutral(markdown: str) -> bool:
    """True when the text has no letters outside code and URLs (``42``, `` `x.grad` ``): it reads
    the same in every language, so it is no translation to miss."""
    prose = _CODE_OR_URL.sub("", markdown)
    return not any(char.isalpha() for char in prose)


def has_cjk(text: str) -> bool:
    """Whether ``text`` has a Chinese character or full-width punctuation."""
    return _CJK.search(text) is not None


@dataclass
class Converted:
    """Markdown converted from a Moodle text, with what could not be kept."""

    markdown: str
    notes: list[str] = field(default_factory=list)
    """What was lost or changed, in English, for the import report."""


def text_to_markdown(text: str, fmt: str, lang: str) -> Converted:
    """A Moodle text of format ``fmt`` (``html``, ``moodle_auto_format``, ``plain_text``,
    ``markdown``; Moodle XML's names, GIFT's ``moodle``/``plain`` too) as our Markdown."""
    fmt = fmt.lower()
    if fmt == "markdown":
        return Converted(text.strip())
    if fmt in ("html",):
        return html_to_markdown(text, lang)
    if fmt in ("plain_text", "plain"):
        text = html.escape(text, quote=False)
    paragraphs = re.split(r"\n\s*\n", text.strip())
    as_html = "".join(f"<p>{p.strip().replace(chr(10), '<br>')}</p>" for p in paragraphs)
    return html_to_markdown(as_html, lang)


# -- the tree -----------------------------------------------------------------------------------

_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
_BLOCK = frozenset(
    "address article aside blockquote center dd details div dl dt fieldset figcaption figure "
    "footer form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section summary table tbody "
    "td tfoot th thead tr ul".split()
)
_CLOSES_P = _BLOCK - {"li", "dd", "dt", "td", "th", "tr", "tbody", "thead", "tfoot"}


@dataclass
class _Node:
    tag: str
    attrs: dict[str, str]
    children: list[_Node | str] = field(default_factory=list)


class _TreeBuilder(HTMLParser):
    """Forgiving HTML into ``_Node``s: implicit ``</p>``/``</li>``, stray end tags ignored."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Node("#root", {})
        self.stack = [self.root]

    def _open(self, tag: str) -> bool:
        return any(node.tag == tag for node in self.stack[1:])

    def _close(self, tag: str) -> None:
        while len(self.stack) > 1:
            node = self.stack.pop()
            if node.tag == tag:
                return

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _CLOSES_P and self._open("p"):
            self._close("p")
        if tag == "li" and self.stack[-1].tag != "ul" and self._open("li"):
            nearest = next(n.tag for n in reversed(self.stack) if n.tag in ("li", "ul", "ol"))
            if nearest == "li":
                self._close("li")
        node = _Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in _VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(_Node(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        if self._open(tag):
            self._close(tag)

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def _parse(source: str) -> _Node:
    builder = _TreeBuilder()
    builder.feed(source)
    builder.close()
    return builder.root


# -- escaping -----------------------------------------------------------------------------------

_ESCAPES = [
    (re.compile(r"\\(?=[!-/:-@\[-`{-~])"), r"\\\\"),
    (re.compile(r"`"), r"\\`"),
    (re.compile(r"<(?=[A-Za-z/!?])"), r"\\<"),
    (re.compile(r"&(?=#?\w+;)"), r"\\&"),
    (re.compile(r"~~"), r"\\~\\~"),
]
_EMPHASIS = {
    "*": (re.compile(r"(?<!\s)\*|\*(?!\s)"), r"\\*"),
    "_": (re.compile(r"(?<![^\W_])_|_(?![^\W_])"), r"\\_"),
}
"""Emphasis needs an opening and a closing delimiter, so a paragraph with a single ``*`` (or
``_``) outside code keeps it as written (``f(*args)``); with two or more, each one that could
open or close emphasis is escaped."""
_LINE_START = re.compile(r"^(#{1,6}(?=\s|$)|>|[-+](?=\s)|\d{1,9}(?=[.)](?:\s|$))|=+\s*$|-+\s*$)")


def _escape(text: str, emphasis: frozenset[str] = frozenset("*_")) -> str:
    for pattern, replacement in _ESCAPES:
        text = pattern.sub(replacement, text)
    for char in emphasis:
        pattern, replacement = _EMPHASIS[char]
        text = pattern.sub(replacement, text)
    if re.search(r"\]\(|(?:^|\n)\[[^\]]*\]:", text):  # an inline link, a link definition
        text = text.replace("[", r"\[").replace("]", r"\]")
    return text


def _escape_line_start(line: str) -> str:
    match = _LINE_START.match(line)
    if match is None:
        return line
    head = match.group(0)
    if head[0].isdigit():
        digits = len(head)
        return line[:digits] + "\\" + line[digits:]
    return "\\" + line


# -- rendering ----------------------------------------------------------------------------------

_NOTE = {
    "en": {
        "image": "image",
        "audio": "audio",
        "video": "video",
        "embed": "embedded content",
        "form": "form field",
        "format": "(%s not imported: %s)",
    },
    "zh": {
        "image": "图片",
        "audio": "音频",
        "video": "视频",
        "embed": "嵌入内容",
        "form": "表单控件",
        "format": "（%s未导入：%s）",
    },
}
_MEDIA = {
    "img": "image",
    "picture": "image",
    "svg": "image",
    "canvas": "image",
    "audio": "audio",
    "video": "video",
    "iframe": "embed",
    "object": "embed",
    "embed": "embed",
    "math": "embed",
    "input": "form",
    "button": "form",
    "select": "form",
    "textarea": "form",
}
_DROPPED = frozenset({"script", "style", "template", "head", "title", "noscript"})
_CODE_TAGS = frozenset({"code", "kbd", "samp", "tt", "var", "pre"})
_FORMATTING = frozenset({"u", "font", "mark", "small", "big", "center", "ins"})
_TRANSPARENT = frozenset(
    "span abbr cite q time label bdi bdo dfn data nobr #root body html".split()
)
_SUP = str.maketrans("0123456789+-=()n", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿ")
_SUB = str.maketrans("0123456789+-=()", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎")
_SUP_CHARS = set("0123456789+-=()n")
_SUB_CHARS = set("0123456789+-=()")


class _Renderer:
    def __init__(self, lang: str) -> None:
        self.lang = lang if lang in _NOTE else "en"
        self.notes: list[str] = []
        self.emphasis: frozenset[str] = frozenset("*_")
        """The emphasis characters to escape in the paragraph being rendered."""

    def note(self, message: str) -> None:
        if message not in self.notes:
            self.notes.append(message)

    # blocks

    def blocks(self, children: list[_Node | str]) -> list[str]:
        out: list[str] = []
        inline: list[_Node | str] = []

        def flush() -> None:
            if inline:
                paragraph = self.paragraph(inline)
                if paragraph:
                    out.append(paragraph)
                inline.clear()

        for child in children:
            if isinstance(child, _Node) and (child.tag in _BLOCK or self._has_block(child)):
                flush()
                out.extend(self.block(child))
            else:
                inline.append(child)
        flush()
        return out

    def _has_block(self, node: _Node) -> bool:
        return node.tag in _TRANSPARENT | _FORMATTING and any(
            isinstance(c, _Node) and (c.tag in _BLOCK or self._has_block(c)) for c in node.children
        )

    def block(self, node: _Node) -> list[str]:
        tag = node.tag
        if tag in _FORMATTING:
            self.note(f"formatting dropped: <{tag}>")
        if tag == "pre":
            return [self.code_block(node)]
        if tag in ("ul", "ol"):
            return [self.list_(node)]
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            text = " ".join(self.inline_text(node.children).split("\n")).strip()
            return [f"{'#' * int(tag[1])} {text}"] if text else []
        if tag == "blockquote":
            inner = "\n\n".join(self.blocks(node.children))
            return (
                ["\n".join(f"> {line}" if line else ">" for line in inner.split("\n"))]
                if inner
                else []
            )
        if tag == "hr":
            return ["---"]
        if tag == "table":
            return [self.table(node)]
        if tag == "dt":
            text = self.paragraph(node.children)
            return [f"**{text}**"] if text else []
        return self.blocks(node.children)

    def paragraph(self, nodes: list[_Node | str]) -> str:
        text = self.inline_text(nodes)
        lines = [line.strip() for line in text.split("\n")]
        lines = [_escape_line_start(line) for line in lines if line]
        if lines and lines[-1].endswith("\\") and not lines[-1].endswith("\\\\"):
            lines[-1] = lines[-1][:-1].rstrip()  # a hard break at the end is no break
        return "\n".join(lines)

    def code_block(self, node: _Node) -> str:
        target = node
        elements = [c for c in node.children if isinstance(c, _Node)]
        loose_text = "".join(c for c in node.children if isinstance(c, str)).strip()
        if len(elements) == 1 and elements[0].tag == "code" and not loose_text:
            target = elements[0]
        text = _text_content(target)
        if text.startswith("\n"):
            text = text[1:]  # HTML drops a newline right after <pre>
        if text.endswith("\n"):
            text = text[:-1]
        lang = ""
        for owner in (target, node):
            for cls in owner.attrs.get("class", "").split():
                if cls.startswith(("language-", "lang-")):
                    lang = cls.split("-", 1)[1]
                    break
            if lang:
                break
        fence = "```"
        while fence in text:
            fence += "`"
        return f"{fence}{lang}\n{text}\n{fence}"

    def list_(self, node: _Node) -> str:
        ordered = node.tag == "ol"
        try:
            number = int(node.attrs.get("start", "1")) if ordered else 1
        except ValueError:
            number = 1
        items = [c for c in node.children if isinstance(c, _Node) and c.tag == "li"]
        loose = any(isinstance(c, _Node) and c.tag == "p" for item in items for c in item.children)
        rendered: list[str] = []
        for item in items:
            marker = f"{number}." if ordered else "-"
            number += 1
            blocks = self.blocks(item.children)
            body = ("\n\n" if loose else "\n").join(blocks)
            lines = body.split("\n") if body else [""]
            pad = " " * (len(marker) + 1)
            first = f"{marker} {lines[0]}".rstrip()
            rest = [f"{pad}{line}" if line else "" for line in lines[1:]]
            rendered.append("\n".join([first, *rest]))
        return ("\n\n" if loose else "\n").join(rendered)

    def table(self, node: _Node) -> str:
        rows: list[_Node] = []

        def collect(n: _Node) -> None:
            for child in n.children:
                if isinstance(child, _Node):
                    if child.tag == "tr":
                        rows.append(child)
                    elif child.tag in ("thead", "tbody", "tfoot"):
                        collect(child)

        collect(node)
        grid: list[list[str]] = []
        aligns: list[str] = []
        for row in rows:
            cells = [c for c in row.children if isinstance(c, _Node) and c.tag in ("td", "th")]
            if any("colspan" in c.attrs or "rowspan" in c.attrs for c in cells):
                self.note("a table cell spanning several columns or rows became one cell")
            texts = []
            for cell in cells:
                text = " ".join(self.inline_text(cell.children).split()).replace("|", r"\|")
                texts.append(text)
                if row is rows[0]:
                    style = cell.attrs.get("style", "") + " " + cell.attrs.get("align", "")
                    found = re.search(r"(left|right|center)", style)
                    aligns.append(found.group(1) if found else "")
            grid.append(texts)
        if not grid:
            return ""
        width = max(len(r) for r in grid)
        grid = [r + [""] * (width - len(r)) for r in grid]
        aligns += [""] * (width - len(aligns))
        marks = {"": "---", "left": ":---", "right": "---:", "center": ":---:"}
        lines = [
            "| " + " | ".join(grid[0]) + " |",
            "| " + " | ".join(marks[a] for a in aligns) + " |",
        ]
        lines += ["| " + " | ".join(r) + " |" for r in grid[1:]]
        return "\n".join(lines)

    # inline

    def inline_text(self, nodes: list[_Node | str]) -> str:
        """``inline(nodes)`` as one paragraph: emphasis characters are escaped only when the
        paragraph has more than one of them."""
        outer = self.emphasis
        prose = "".join(_prose(nodes))
        self.emphasis = frozenset(c for c in "*_" if prose.count(c) > 1)
        try:
            return self.inline(nodes)
        finally:
            self.emphasis = outer

    def inline(self, nodes: list[_Node | str]) -> str:
        out: list[str] = []
        for child in nodes:
            if isinstance(child, str):
                text = child.replace("\xa0", " ")
                text = re.sub(r"\s+", lambda m: "\n" if "\n" in m.group(0) else " ", text)
                if out and out[-1].endswith("\\\n"):
                    text = text.lstrip()
                out.append(_escape(text, self.emphasis))
            else:
                out.append(self.element(child))
        return "".join(out)

    def element(self, node: _Node) -> str:
        tag = node.tag
        if tag == "br":
            return "\\\n"
        if tag in ("strong", "b"):
            return _wrap(self.inline(node.children), "**")
        if tag in ("em", "i"):
            return _wrap(self.inline(node.children), "*")
        if tag in ("s", "strike", "del"):
            return _wrap(self.inline(node.children), "~~")
        if tag in _CODE_TAGS:
            return _code_span(_text_content(node).replace("\n", " "))
        if tag == "a":
            return self.link(node)
        if tag in _MEDIA:
            return self.media(node)
        if tag in _DROPPED:
            self.note(f"<{tag}> dropped")
            return ""
        if tag in ("sup", "sub"):
            return self.script(node)
        if tag in _BLOCK:
            return " ".join(self.blocks(node.children))
        if tag in _FORMATTING:
            self.note(f"formatting dropped: <{tag}>")
        elif tag == "span" and node.attrs.get("style"):
            self.note("formatting dropped: <span style>")
        elif tag not in _TRANSPARENT:
            self.note(f"<{tag}> dropped (its text kept)")
        return self.inline(node.children)

    def link(self, node: _Node) -> str:
        href = node.attrs.get("href", "").strip()
        text = self.inline(node.children).strip()
        if not href:
            return text
        if "@@PLUGINFILE@@" in href:
            name = href.rsplit("/", 1)[-1]
            self.note(f"link to the attached file '{name}' dropped (its text kept)")
            return text
        target = f"<{href}>" if re.search(r"[\s()<>]", href) else href
        if not text or text == _escape(href):
            return f"<{href}>"
        return f"[{text}]({target})"

    def media(self, node: _Node) -> str:
        kind = _MEDIA[node.tag]
        src = node.attrs.get("src") or node.attrs.get("data") or ""
        name = src.replace("@@PLUGINFILE@@/", "").rsplit("/", 1)[-1].split("?", 1)[0]
        name = unquote(name)  # Moodle writes file names URL-encoded (loss%20curve.png)
        label = node.attrs.get("alt", "").strip() or node.attrs.get("title", "").strip() or name
        words = _NOTE[self.lang]
        label = label or ("无说明" if self.lang == "zh" else "no description")
        what = _NOTE["en"][kind]
        self.note(f"{what} not imported: {name or label}")
        return words["format"] % (words[kind], label)

    def script(self, node: _Node) -> str:
        text = _text_content(node).strip()
        chars = _SUP_CHARS if node.tag == "sup" else _SUB_CHARS
        if text and set(text) <= chars:
            return text.translate(_SUP if node.tag == "sup" else _SUB)
        mark = "^" if node.tag == "sup" else "_"
        self.note(f"<{node.tag}>{text}</{node.tag}> written as {mark}({text})")
        return _escape(f"{mark}({text})")


def _wrap(inner: str, mark: str) -> str:
    stripped = inner.strip()
    if not stripped:
        return inner
    lead = inner[: len(inner) - len(inner.lstrip())]
    tail = inner[len(inner.rstrip()) :]
    return f"{lead}{mark}{stripped}{mark}{tail}"


def _code_span(text: str) -> str:
    if not text:
        return ""
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _prose(nodes: list[_Node | str]) -> list[str]:
    """The text of ``nodes`` outside code (where emphasis could be)."""
    out: list[str] = []
    for child in nodes:
        if isinstance(child, str):
            out.append(child)
        elif child.tag not in _CODE_TAGS | _DROPPED:
            out.extend(_prose(child.children))
    return out


def _text_content(node: _Node) -> str:
    out: list[str] = []
    for child in node.children:
        if isinstance(child, str):
            out.append(child.replace("\xa0", " "))
        elif child.tag == "br":
            out.append("\n")
        else:
            out.append(_text_content(child))
    return "".join(out)


def html_to_markdown(source: str, lang: str) -> Converted:
    """``source`` (an HTML fragment) as Markdown; notes in the text are written in ``lang``."""
    renderer = _Renderer(lang)
    blocks = renderer.blocks(_parse(source).children)
    return Converted("\n\n".join(b for b in blocks if b.strip()), renderer.notes)
