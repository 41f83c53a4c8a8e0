"""A saved web page reduced to the text a reader sees, headline first.

Pages carry scripts, styles and menus around the article; the stdlib parser
drops what is never shown and turns block elements into line breaks, so that
the later steps see the same paragraphs as in a plain-text copy. The first
<h1> (else the <title>) becomes the first line, where a headline is looked for.
"""
import re
from html.parser import HTMLParser

_HIDDEN = frozenset({"script", "style", "noscript", "template", "svg", "iframe", "object", "nav", "aside"})
_BLOCKS = frozenset(
    "p div br li ul ol h1 h2 h3 h4 h5 h6 tr table thead tbody section article header footer main "
    "blockquote pre hr dd dt dl figure figcaption address form fieldset caption".split()
)
_CELLS = frozenset({"td", "th"})
_SNIFF = re.compile(r"<(?:!doctype|html|body|p)[\s>]", re.IGNORECASE)
_SNIFF_LENGTH = 4096
_HTML_EXTENSIONS = (".html", ".htm", ".xhtml")
_SPACES = re.compile(r"[ \t\r\f\v]+")


def looks_like_html(text: str, filename: str = "") -> bool:
    """True for a page saved from a browser, by its name or its first tags."""
    return filename.lower().endswith(_HTML_EXTENSIONS) or bool(_SNIFF.search(text, 0, _SNIFF_LENGTH))


def html_to_text(markup: str) -> str:
    """The visible text of ``markup``, one block per line, headline first."""
    parser = _TextParser()
    parser.feed(markup)
    parser.close()
    lines = [line for line in (_SPACES.sub(" ", raw).strip() for raw in "".join(parser.body).split("\n")) if line]
    title = parser.headline()
    if title:
        if title in lines:
            lines.remove(title)
        lines.insert(0, title)
    return "\n".join(lines)


class _TextParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.body: list[str] = []
        self._title: list[str] = []
        self._h1: list[str] = []
        self._hidden_depth = 0
        self._in_title = False
        self._h1_state = "before"

    def headline(self) -> str | None:
        for parts in (self._h1, self._title):
            text = " ".join("".join(parts).split())
            if text:
                return text
        return None

    def handle_starttag(self, tag, attrs):
        if tag in _HIDDEN:
            self._hidden_depth += 1
        elif tag == "title":
            self._in_title = True
        elif tag == "h1" and self._h1_state == "before":
            self._h1_state = "inside"
        self._break(tag)

    def handle_startendtag(self, tag, attrs):
        self._break(tag)

    def handle_endtag(self, tag):
        if tag in _HIDDEN:
            self._hidden_depth = max(0, self._hidden_depth - 1)
        elif tag == "title":
            self._in_title = False
        elif tag == "h1" and self._h1_state == "inside":
            self._h1_state = "after"
        self._break(tag)

    def handle_data(self, data):
        if self._hidden_depth:
            return
        if self._in_title:
            self._title.append(data)
            return
        if self._h1_state == "inside":
            self._h1.append(data)
        self.body.append(data)

    def _break(self, tag):
        if tag in _BLOCKS:
            self.body.append("\n")
        elif tag in _CELLS:
            self.body.append(" ")
