"""Sentence spans of a normalized text.

Figures are assembled within a sentence: a count, its level and its year
belong together only when one sentence states them. Spans are offsets into
the normalized text, so evidence is always a verbatim slice of it.
"""
import bisect
import re
from dataclasses import dataclass

# One character class first, so that the scan skips ahead quickly.
_END = re.compile(r"[.!?…\n][.!?…\"')\]\n]*( *)")
# A period after these does not end a sentence ("TP. Cần Thơ", "ThS. Lê").
_ABBREVIATIONS = frozenset(
    "tp tx tt q p ths ts pgs gs bs ks cn th.s pgs.ts v.v tr st".split()
)
_LAST_WORD = re.compile(r"([\w.]+)[.!?…]+[\"')\]]*$")
# How far back the steps look within one sentence: real sentences are shorter,
# and the bound keeps a huge text without full stops linear to read.
LOOK_BACK = 600


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence at [start, end) of the text; ``last_in_paragraph`` when a line break follows."""

    start: int
    end: int
    last_in_paragraph: bool


class Sentences:
    """The sentences of a text, with a lookup from an offset to its sentence."""

    def __init__(self, text: str):
        self.items = _split(text)
        self._starts = [sentence.start for sentence in self.items]

    def index_at(self, offset: int) -> int:
        """Index of the sentence holding ``offset``."""
        return max(0, bisect.bisect_right(self._starts, offset) - 1)

    def at(self, offset: int) -> Sentence:
        return self.items[self.index_at(offset)]

    def start_near(self, offset: int) -> int:
        """Where the sentence holding ``offset`` starts, looking back at most LOOK_BACK characters."""
        return max(self.at(offset).start, offset - LOOK_BACK)


def _split(text: str) -> list[Sentence]:
    sentences = []
    start = 0
    for match in _END.finditer(text):
        line_break = match.group().find("\n")
        if line_break >= 0:
            if _soft_wrap(text, match):
                continue
            end = match.start() + line_break
        elif match.group(1) and _ends_sentence(text, match):
            end = match.start(1)
        else:
            continue
        if end > start:
            sentences.append(Sentence(start, end, line_break >= 0))
        start = match.end()
    if start < len(text):
        sentences.append(Sentence(start, len(text), True))
    return sentences


def _soft_wrap(text: str, match: re.Match) -> bool:
    """A single line break inside a sentence, as hard-wrapped copies have it: "88 chi bộ\nhoàn thành …"."""
    if match.group() != "\n" or match.end() >= len(text) or not text[match.end()].islower():
        return False
    return match.start() > 0 and (text[match.start() - 1].isalnum() or text[match.start() - 1] == ",")


def _ends_sentence(text: str, match: re.Match) -> bool:
    following = text[match.end() : match.end() + 3].lstrip("\"'([")
    if not following or not (following[0].isupper() or following[0].isdigit()):
        return False
    last_word = _LAST_WORD.search(text, max(0, match.start() - 12), match.start(1))
    if last_word is None:
        return True
    word = last_word.group(1)
    if word.isdigit() and len(word) <= 2 and text[max(0, last_word.start() - 1) : last_word.start()] in ("", "\n"):
        return False  # the number of a list item opening its line: "1. 12 chi bộ …"
    return not (word.lower() in _ABBREVIATIONS or (len(word) == 1 and word.isupper()))
