"""Reads served HTML the way a visitor (or a robot) does: visible text, links, headings, attributes."""

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Link:
    href: str | None
    text: str


@dataclass
class Document:
    text: str = ""
    links: list[Link] = field(default_factory=list)
    h1: list[str] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)
    inline_scripts: int = 0
    style_elements: int = 0
    style_attributes: int = 0


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.doc = Document()
        self.chunks: list[str] = []
        self.skip = 0
        self.link: dict | None = None
        self.in_h1 = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "style" in attributes:
            self.doc.style_attributes += 1
        if tag in ("script", "style"):
            self.skip += 1
            if tag == "style":
                self.doc.style_elements += 1
            elif not attributes.get("src"):
                self.doc.inline_scripts += 1
        elif tag == "a":
            self.link = {"href": attributes.get("href"), "chunks": []}
        elif tag == "h1":
            self.in_h1 = True
            self.doc.h1.append("")
        elif tag == "meta" and attributes.get("name"):
            self.doc.meta[attributes["name"]] = attributes.get("content") or ""

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skip = max(0, self.skip - 1)
        elif tag == "a" and self.link is not None:
            self.doc.links.append(Link(self.link["href"], normalize(" ".join(self.link["chunks"]))))
            self.link = None
        elif tag == "h1":
            self.in_h1 = False

    def handle_data(self, data):
        if self.skip:
            return
        self.chunks.append(data)
        if self.link is not None:
            self.link["chunks"].append(data)
        if self.in_h1:
            self.doc.h1[-1] += data


def normalize(text: str) -> str:
    """Collapses every kind of white space (no-break spaces included) into one plain space."""
    return " ".join(text.split())


def read(html: str) -> Document:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    reader.doc.text = normalize(" ".join(reader.chunks))
    reader.doc.h1 = [normalize(title) for title in reader.doc.h1]
    return reader.doc
