"""Reading an XML file safely into a small tree whose elements know their line.

Moodle XML comes from anywhere, so it is read as untrusted input, the way ``defusedxml`` reads it:
with the standard library's expat parser, refusing any document type declaration (that is where
entities, and with them "billion laughs" expansion and external files, are declared) and never
fetching anything. The standard library's ``ElementTree`` keeps no line numbers, and every
problem and report line here names one, so the tree is built from expat's events directly.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from xml.parsers import expat

from grader.interop.errors import BrokenFile

__all__ = ["Element", "parse_xml"]


@dataclass
class Element:
    """One XML element: its tag, attributes, text (CDATA included), children and line."""

    tag: str
    attrs: dict[str, str]
    line: int
    children: list[Element] = field(default_factory=list)
    text: str = ""
    """The character data directly inside the element (not its children's)."""

    def find(self, tag: str) -> Element | None:
        """The first child named ``tag``."""
        return next((child for child in self.children if child.tag == tag), None)

    def findall(self, tag: str) -> list[Element]:
        """Every child named ``tag``, in order."""
        return [child for child in self.children if child.tag == tag]

    def child_text(self, tag: str, default: str = "") -> str:
        """The stripped text of the first child ``tag`` (``default`` when there is none)."""
        child = self.find(tag)
        return child.text.strip() if child is not None else default

    def text_of(self, tag: str) -> tuple[str, str] | None:
        """``(text, format)`` of a Moodle text field: ``<tag format="..."><text>...</text>``;
        None when the field is absent. The text is stripped, as Moodle's importer does."""
        child = self.find(tag)
        if child is None:
            return None
        inner = child.find("text")
        text = inner.text if inner is not None else child.text
        return text.strip(), child.attrs.get("format", "html")

    def iter(self) -> Iterator[Element]:
        """This element and every element below it, in document order."""
        yield self
        for child in self.children:
            yield from child.iter()


class _Refused(Exception):
    """A construct this reader refuses (a document type declaration)."""


def parse_xml(data: bytes, path: str) -> Element:
    """The root element of ``data``.

    Raises:
        BrokenFile: the bytes are not well-formed XML, or declare a document type.
    """
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    stack: list[Element] = []
    root: list[Element] = []

    def start(tag: str, attrs: dict[str, str]) -> None:
        element = Element(tag, dict(attrs), parser.CurrentLineNumber)
        if stack:
            stack[-1].children.append(element)
        else:
            root.append(element)
        stack.append(element)

    def end(tag: str) -> None:
        stack.pop()

    def chars(text: str) -> None:
        if stack:
            stack[-1].text += text

    def doctype(*_: object) -> None:
        raise _Refused("a document type declaration (<!DOCTYPE ...>) is not allowed")

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        message = expat.ErrorString(exc.code)
        raise BrokenFile(path, exc.lineno, f"not well-formed XML: {message}") from None
    except _Refused as exc:
        raise BrokenFile(path, parser.CurrentLineNumber, str(exc)) from None
    if not root:
        raise BrokenFile(path, 1, "no XML element in the file")
    return root[0]
