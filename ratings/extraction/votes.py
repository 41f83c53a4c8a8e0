"""Ballots on a level: "48/49 đại biểu có mặt đồng ý xếp loại …", "1 phiếu đề xuất …".

A ratio is a vote only when voters or ballots follow it together with a word
of voting; "hoàn thành 16/16 nhiệm vụ" and "21/01" are not votes. A ballot
count without its "of N" takes the number present from another ballot of the
same sentence or from a nearby statement of attendance.
"""
import re

from . import numbers
from .dates import RatedYears
from .levels import LevelMention
from .sentences import Sentences
from .units import find_units

_VOTERS = r"đại\s+biểu|ủy\s+viên|đồng\s+chí|thành\s+viên|người"
_ATTENDING = r"có\s+mặt|dự\s+họp|tham\s+dự|dự\s+hội\s+nghị|dự(?![^\W\d_])"
_QUALIFIERS = rf"(?:\s+(?:{_ATTENDING}|tham\s+gia(?:\s+biểu\s+quyết)?|ban\s+chấp\s+hành(?:\s+đảng\s+bộ\s+tỉnh)?))*"
_VOTING = r"đồng\s+ý|tán\s+thành|nhất\s+trí|biểu\s+quyết|bỏ\s+phiếu|đề\s+xuất|đề\s+nghị|lựa\s+chọn|chọn"
_BALLOT = re.compile(
    rf"(?P<votes>{numbers.DIGITS})(?:\s*/\s*(?P<present>{numbers.DENOMINATOR})(?!\s*/))?"
    rf"\s+(?i:phiếu|(?:{_VOTERS}){_QUALIFIERS}\s+(?:{_VOTING}))(?![^\W\d_])"
    rf"|(?P<everyone>100\s*%)\s*(?i:(?:số\s+)?(?:phiếu|(?:{_VOTERS}){_QUALIFIERS}\s+(?:{_VOTING})))(?![^\W\d_])"
)
_ATTENDANCE = re.compile(
    rf"(?P<present>{numbers.DIGITS})(?:\s*/\s*{numbers.DENOMINATOR})?\s+(?i:{_VOTERS})"
    rf"(?:\s+(?i:ban\s+chấp\s+hành|bch))?\s+(?i:{_ATTENDING})(?!{_QUALIFIERS}\s+(?i:{_VOTING}))"
)
_LEVEL_AFTER_LIMIT = 160
_LEVEL_BEFORE_LIMIT = 80
_ATTENDANCE_SENTENCES = 2


def find_votes(text, sentences: Sentences, mentions: list[LevelMention], years: RatedYears, province):
    """Votes of SCHEMA.md, and the level mentions they used."""
    by_sentence: dict[int, list[re.Match]] = {}
    for match in _BALLOT.finditer(text):
        by_sentence.setdefault(sentences.index_at(match.start()), []).append(match)
    votes, used = [], set()
    for index, ballots in by_sentence.items():
        for position, ballot in enumerate(ballots):
            mention = _level_of(sentences.items[index], ballots, position, mentions, used)
            if mention is None:
                continue
            vote = _vote(text, sentences, index, ballots, ballot, mention, years, province)
            if vote:
                votes.append(vote)
                used.add(mention)
    return votes, used


def _level_of(sentence, ballots, position, mentions, used) -> LevelMention | None:
    ballot = ballots[position]
    stop = ballots[position + 1].start() if position + 1 < len(ballots) else sentence.end
    after = [
        m for m in mentions
        if m not in used and ballot.end() <= m.start < stop and m.start - ballot.end() <= _LEVEL_AFTER_LIMIT
    ]
    if after:
        return after[0]
    begin = ballots[position - 1].end() if position else sentence.start
    before = [
        m for m in mentions
        if m not in used and begin <= m.start and m.end <= ballot.start()
        and ballot.start() - m.end <= _LEVEL_BEFORE_LIMIT
    ]
    return before[-1] if before else None


def _vote(text, sentences, index, ballots, ballot, mention, years, province) -> dict | None:
    present = _present(text, sentences, index, ballots, ballot)
    votes = present if ballot.group("everyone") else numbers.parse_count(ballot.group("votes"))
    if votes is not None and present is not None and votes > present:
        return None
    year = years.year_for(mention.start, mention.end)
    start, end = min(ballot.start(), mention.start), max(ballot.end(), mention.end)
    units = find_units(text, sentences.items[index].start, mention.start, province=province, year=year)
    unit = next((u for u in reversed(units) if u.kind != "person" and not u.plural), None)
    return {
        "year": year,
        "unit": unit.name if unit else None,
        "for_level": mention.level,
        "votes": votes,
        "present": present,
        "evidence": text[start : years.end_with_year(end)],
    }


def _present(text, sentences, index, ballots, ballot) -> int | None:
    if ballot.group("present"):
        return numbers.parse_count(ballot.group("present"))
    stated = [numbers.parse_count(other.group("present")) for other in ballots if other.group("present")]
    if stated:
        return max(stated)
    for sentence in reversed(sentences.items[max(0, index - _ATTENDANCE_SENTENCES) : index + 1]):
        match = _ATTENDANCE.search(text, sentence.start, sentence.end)
        if match:
            return numbers.parse_count(match.group("present"))
    return None
