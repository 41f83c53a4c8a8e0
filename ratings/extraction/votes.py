"""Ballots on a level: "48/49 đại biểu có mặt đồng ý xếp loại …", "1 phiếu đề xuất …".

A ratio is a vote only when voters or ballots follow it together with a word
of voting; "hoàn thành 16/16 nhiệm vụ" and "21/01" are not votes. A ballot
count without its "of N" takes the number present from another ballot of the
same sentence or from a nearby statement of attendance. "100% đại biểu" is a
count only when the attendance is stated; otherwise no number is known and
the level is left to be read as the decision it is. A ballot written right
after a level ("hoàn thành tốt nhiệm vụ 2/46 phiếu") is cast for that level,
and a ballot and a level on either side of a ";" belong to different clauses.
"""
import bisect
import re

from . import numbers
from .dates import RatedYears
from .levels import LevelMention
from .sentences import LOOK_BACK, Sentences
from .units import find_units

_VOTERS = r"đại\s+biểu|ủy\s+viên|đồng\s+chí|thành\s+viên|người"
_ATTENDING = r"có\s+mặt|dự\s+họp|tham\s+dự|dự\s+hội\s+nghị|dự(?![^\W\d_])"
_QUALIFIERS = rf"(?:\s+(?:{_ATTENDING}|tham\s+gia(?:\s+biểu\s+quyết)?|ban\s+chấp\s+hành(?:\s+đảng\s+bộ\s+tỉnh)?))*"
_VOTING = r"đồng\s+ý|tán\s+thành|nhất\s+trí|thống\s+nhất|biểu\s+quyết|bỏ\s+phiếu|đề\s+xuất|đề\s+nghị|lựa\s+chọn|chọn"
# "43/46", "43 trên 46", "43 trong tổng số 46", perhaps with its share: "43/46 (93,5%)".
_OF = r"(?:\s*/\s*|\s+(?i:trên|trong)\s+(?i:tổng\s+số\s+)?)"
_SHARE = r"(?:\s*\(\s*\d{1,3}(?:[.,]\d+)?\s*%\s*\))?"
# "100% đại biểu (49/49) đồng ý" states the count too.
_COUNT_IN_PARENTHESES = (
    rf"(?:\s*\(\s*(?P<votes_paren>{numbers.DIGITS})\s*/\s*(?P<present_paren>{numbers.DENOMINATOR})\s*\))?"
)
# The lookahead lets the scan skip every position that cannot open a ballot.
_BALLOT = re.compile(
    r"(?=[\dSsPp])(?:"
    rf"(?P<votes>{numbers.DIGITS})(?:{_OF}(?P<present>{numbers.DENOMINATOR})(?!\s*/))?{_SHARE}"
    rf"\s+(?i:phiếu|(?:{_VOTERS}){_QUALIFIERS}{_SHARE}\s+(?:{_VOTING}))(?![^\W\d_])"
    rf"|(?i:(?:số\s+phiếu(?:\s+(?:đồng\s+ý|tán\s+thành))?|phiếu\s+(?:đồng\s+ý|tán\s+thành))(?:\s+(?:là|đạt))?)"
    rf"\s*:?\s*(?P<votes_after>{numbers.DIGITS}){_OF}(?P<present_after>{numbers.DENOMINATOR})(?!\s*/)"
    rf"|(?P<everyone>100\s*%)\s*(?i:(?:số\s+)?(?:phiếu|(?:{_VOTERS}){_QUALIFIERS}{_COUNT_IN_PARENTHESES}"
    rf"\s+(?:{_VOTING})))(?![^\W\d_]))"
)
_ATTENDANCE = re.compile(
    rf"(?P<present>{numbers.DIGITS})(?:\s*/\s*{numbers.DENOMINATOR})?\s+(?i:{_VOTERS})(?:\s+(?i:{_VOTERS}))?"
    r"(?:\s+(?i:ban\s+chấp\s+hành(?:\s+đảng\s+bộ(?:\s+(?:tỉnh|thành\s+phố))?)?|bch))?"
    rf"\s+(?i:{_ATTENDING})(?!{_QUALIFIERS}\s+(?i:{_VOTING}))"
    rf"|(?i:(?:tổng\s+)?số\s+(?:{_VOTERS})(?:\s+(?:{_ATTENDING}))?\s*(?:là|:)?\s*)(?P<present_total>{numbers.DIGITS})"
)
_RIGHT_AFTER_LEVEL = re.compile(r"[\s:\"'(-]*(?:(?i:với|có|đạt)\s+)?")
_LEVEL_AFTER_LIMIT = 160
_LEVEL_BEFORE_LIMIT = 80
_ATTENDANCE_SENTENCES = 2
_MENTIONS_BEFORE = 3


def find_votes(text, sentences: Sentences, mentions: list[LevelMention], years: RatedYears, province):
    """Votes of SCHEMA.md, and the level mentions they used with the vote cast for each."""
    by_sentence: dict[int, list[re.Match]] = {}
    for match in _BALLOT.finditer(text):
        by_sentence.setdefault(sentences.index_at(match.start()), []).append(match)
    votes, used = [], {}
    starts = [mention.start for mention in mentions]
    for index, ballots in by_sentence.items():
        for position, ballot in enumerate(ballots):
            mention = _level_of(text, sentences.items[index], ballots, position, mentions, starts, used)
            if mention is None:
                continue
            vote = _vote(text, sentences, index, ballots, ballot, mention, years, province)
            if vote:
                votes.append(vote)
                used[mention] = vote
    return votes, used


def _level_of(text, sentence, ballots, position, mentions, starts, used) -> LevelMention | None:
    """The level a ballot is cast for: the one it directly follows, else the first after it, else the last before."""
    ballot = ballots[position]
    index = bisect.bisect_left(starts, ballot.end())
    begin = ballots[position - 1].end() if position else sentence.start
    before = [
        mention
        for mention in mentions[max(0, index - _MENTIONS_BEFORE) : index]
        if begin <= mention.start and mention.end <= ballot.start()
    ]
    if before and before[-1] not in used and _RIGHT_AFTER_LEVEL.match(text, before[-1].end).end() >= ballot.start():
        return before[-1]
    stop = ballots[position + 1].start() if position + 1 < len(ballots) else sentence.end
    for mention in mentions[index:]:
        if mention.start >= stop or mention.start - ballot.end() > _LEVEL_AFTER_LIMIT:
            break
        if ";" in text[ballot.end() : mention.start]:
            break
        if mention not in used:
            return mention
    for mention in reversed(before):
        if ballot.start() - mention.end > _LEVEL_BEFORE_LIMIT or ";" in text[mention.end : ballot.start()]:
            break
        if mention not in used:
            return mention
    return None


def _vote(text, sentences, index, ballots, ballot, mention, years, province) -> dict | None:
    present = _present(text, sentences, index, ballots, ballot)
    stated = ballot.group("votes") or ballot.group("votes_after") or ballot.group("votes_paren")
    votes = numbers.parse_count(stated) if stated else present
    if votes is None or (present is not None and votes > present):
        return None
    year = years.year_for(mention.start, mention.end)
    start, end = min(ballot.start(), mention.start), max(ballot.end(), mention.end)
    units = find_units(text, sentences.start_near(mention.start), mention.start, province=province, year=year)
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
    if _stated_present(ballot):
        return numbers.parse_count(_stated_present(ballot))
    stated = [numbers.parse_count(_stated_present(other)) for other in ballots if _stated_present(other)]
    if stated:
        return max(stated)
    for sentence in reversed(sentences.items[max(0, index - _ATTENDANCE_SENTENCES) : index + 1]):
        start = max(sentence.start, ballot.start() - _ATTENDANCE_SENTENCES * LOOK_BACK)
        match = _ATTENDANCE.search(text, start, min(sentence.end, ballot.end() + LOOK_BACK))
        if match:
            return numbers.parse_count(match.group("present") or match.group("present_total"))
    return None


def _stated_present(ballot: re.Match) -> str | None:
    return ballot.group("present") or ballot.group("present_after") or ballot.group("present_paren")


def carries(vote: dict) -> bool:
    """A ballot backed by more than half of those present decides the level it was cast for."""
    return vote["present"] is not None and 2 * vote["votes"] > vote["present"]
