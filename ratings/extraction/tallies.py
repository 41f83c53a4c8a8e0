"""Counts per level: "có 4 đơn vị hoàn thành xuất sắc nhiệm vụ, 14 đơn vị …".

Articles put the count before its level ("120 tổ chức cơ sở đảng (chiếm
17,5%) được xếp loại hoàn thành xuất sắc nhiệm vụ") or after it
("hoàn thành xuất sắc nhiệm vụ có 3 người", "HTXSNV: 25 tổ chức"). Only the
few words that can stand between a count and its level are allowed there,
so that a count of visits, money or a change ("tăng 10 tổ chức") next to a
level is not read as its count. Pairs in one sentence form one tally until
a level repeats or the year or the counted subject changes.
"""
import re
from dataclasses import dataclass

from . import numbers
from .dates import RatedYears
from .levels import LAST_OLD_SCALE_YEAR, NEW_SCALE, OLD_ONLY, OLD_SCALE, LevelMention
from .sentences import Sentences

_INDIVIDUAL_NOUNS = r"đảng viên|người|đồng chí|cá nhân|cán bộ|cấp ủy viên|ủy viên|thành viên|công chức|trường hợp"
_COLLECTIVE_NOUNS = (
    r"tổ chức cơ sở đảng|tổ chức cơ sở|tổ chức đảng|tccsđ|tccs đảng|đảng bộ cơ sở|đảng bộ bộ phận"
    r"|đảng bộ|chi bộ cơ sở|chi bộ|đảng ủy|đơn vị|tập thể|ban thường vụ|cấp ủy|cơ quan"
    r"|đảng đoàn|ban cán sự đảng|ban cán sự|tổ chức"
)
_NOUN = (
    rf"(?P<noun>(?i:(?:{_INDIVIDUAL_NOUNS}|{_COLLECTIVE_NOUNS})"
    r"(?:\s+(?:trực\s+thuộc|cơ\s+sở|bộ\s+phận|lãnh\s+đạo,?\s+quản\s+lý|chủ\s+chốt|chính\s+thức|dự\s+bị))?)"
    r"(?![^\W\d_]))"
).replace(" ", r"\s+")
_NOT_A_COUNTED_THING = (
    r"(?!\s*(?:/\s*\d+\s*)?(?i:phiếu|đại biểu|năm|tháng|ngày|tỷ|triệu|đồng(?!\s+chí)|lượt|giờ|km)\b)"
)
_NOT_VOTERS = r"(?!\s*(?i:(?:số\s+)?(?:phiếu|đại\s+biểu|ủy\s+viên|thành\s+viên|ý\s+kiến))\b)"
_COUNT = (
    rf"(?:(?P<percent_only>{numbers.PERCENT}){_NOT_VOTERS}"
    rf"|(?P<count>{numbers.COUNT})(?:\s*/\s*(?P<of>{numbers.DENOMINATOR}))?{_NOT_A_COUNTED_THING})"
)
_PERCENT_WORD = r"(?i:chiếm|đạt|bằng|tỷ\s+lệ)"
_FILLER = (
    r"(?:\s|\"|,(?=\s*(?i:xếp|được|đạt|ở|mức))|(?i:đã|được|đạt|tự|xếp\s+loại|xếp|loại|đánh\s+giá"
    r"|công\s+nhận|là|ở|mức|chất\s+lượng|năm\s+\d{4})(?![^\W\d_]))*"
)
_COUNT_BEFORE_LEVEL = re.compile(
    rf"{_COUNT}(?:\s+{_NOUN})?"
    rf"(?P<note>\s*\([^()]{{0,100}}\))?"
    rf"(?:\s*,\s*{_PERCENT_WORD}\s+(?P<percent_between>{numbers.PERCENT})\s*,?)?"
    rf"{_FILLER}\Z"
)
_COUNT_AFTER_LEVEL = re.compile(
    r"[\s\"]*(?:(?i:năm)\s+\d{4}\s*)?"
    r"(?P<connector>:|-|\(|(?i:có|là|gồm|với|đạt|chiếm)(?![^\W\d_]))?[\s\"]*(?:(?i:là|có)\s+)?"
    rf"{_COUNT}(?:\s+{_NOUN})?"
)
_PERCENT_AFTER = re.compile(
    rf"[\s\"]*(?:\(\s*(?:{_PERCENT_WORD}\s*)?(?P<p1>{numbers.PERCENT})\s*\)"
    rf"|,\s*{_PERCENT_WORD}\s+(?P<p2>{numbers.PERCENT}))"
)
_PERCENT = re.compile(numbers.PERCENT)
_NOUN_BEFORE_LEVEL = re.compile(rf"{_NOUN}[\s\"]*(?:(?i:được\s+xếp\s+loại|xếp\s+loại|đạt)[\s\"]*)?\Z")
_NOUN_REACH = 50
_CHANGE_BEFORE = re.compile(r"(?i:\b(?:tăng|giảm|hơn|thêm|bớt|còn)\s*)$")
_OPENS_LIST_BEFORE = re.compile(r"(?i:(?:\bcó|\bgồm|\blà|\bvới|trong\s+đó|[:,;]))\s*$")
_INDIVIDUAL = re.compile(rf"(?i:\b(?:{_INDIVIDUAL_NOUNS})\b)")
_GROUP_INTRO = re.compile(
    r"(?i:\b(?:xếp\s+loại|đánh\s+giá|đối\s+với|về|trong\s+tổng\s+số|tổng\s+số|trong\s+số|kết\s+quả)\b)"
)
_GROUP_NOUN = re.compile(rf"(?i:\b(?:{_INDIVIDUAL_NOUNS}|{_COLLECTIVE_NOUNS})\b)")
_GROUP_TRIM = re.compile(
    r"(?i:^(?:chất\s+lượng\s+|số\s+|năm\s+\d{4}\s*,?\s*|[\d.]+\s+)*"
    r"|(?:[\s,;:]|\b(?:có|được|đã|đều)\b|\btrong\s+đó\b|\bnăm\s+\d{4}\b)*$)"
)
_TOTAL = re.compile(
    rf"(?i:tổng\s+số)(?:\s+[^\d\s,;.:]+){{0,8}}?\s*(?i:là|:|có)?\s*(?P<stated>{numbers.DIGITS})"
    rf"|(?P<listed>{numbers.DIGITS})\s+{_NOUN}[^;.]{{0,80}}?[,;:]\s*(?i:trong\s+đó)"
)
_TOTAL_AFTER = re.compile(rf"\s*,?\s*(?i:trên|trong)\s+(?i:tổng\s+số)\s+(?P<stated>{numbers.DIGITS})")
_WINDOW = 160
_GROUP_LIMIT = 120


@dataclass(frozen=True, slots=True)
class Pair:
    """One level with its count or percentage, stated at [start, end)."""

    mention: LevelMention
    start: int
    end: int
    count: int | None
    percent: float | None
    of: int | None
    noun: str | None
    year: int | None


def find_tallies(text: str, sentences: Sentences, mentions: list[LevelMention], years: RatedYears):
    """Tallies of SCHEMA.md, and the level mentions they used."""
    pairs = _pairs(text, sentences, mentions, years)
    tallies = [_tally(text, sentences, group) for group in _groups(sentences, pairs)]
    return tallies, {pair.mention for pair in pairs}


def _pairs(text, sentences, mentions, years) -> list[Pair]:
    befores = []
    for index, mention in enumerate(mentions):
        sentence = sentences.at(mention.start)
        previous_end = mentions[index - 1].end if index else 0
        window_start = max(sentence.start, previous_end, mention.start - _WINDOW)
        befores.append(_count_before(text, mention, window_start, years))
    claimed = {pair.start for pair in befores if pair}
    pairs = []
    for index, mention in enumerate(mentions):
        limit = sentences.at(mention.start).end
        if index + 1 < len(mentions):
            limit = min(limit, mentions[index + 1].start)
        pair = befores[index] or _count_after(text, mention, limit, years, claimed)
        if pair and _fits_scale(pair):
            pairs.append(pair)
    return pairs


def _count_before(text, mention, window_start, years) -> Pair | None:
    match = _COUNT_BEFORE_LEVEL.search(text, window_start, mention.start)
    if match is None or _CHANGE_BEFORE.search(text, max(0, match.start() - 8), match.start()):
        return None
    if not match.group("noun") and not _opens_list(text, match.start()):
        return None
    percent = match.group("percent_only") or match.group("percent_between") or _percent_in(match.group("note"))
    end = mention.end + 1 if text.startswith('"', mention.end) else mention.end
    after = _PERCENT_AFTER.match(text, mention.end)
    if after:
        percent = percent or after.group("p1") or after.group("p2")
        end = after.end()
    return _pair(match, mention, match.start(), end, percent, years)


def _count_after(text, mention, limit, years, claimed) -> Pair | None:
    match = _COUNT_AFTER_LEVEL.match(text, mention.end, limit)
    if match is None or match.start("count") in claimed:
        return None
    has_connector = bool(match.group("connector"))
    if match.group("percent_only") and not has_connector:
        return None
    if match.group("count") and not match.group("noun") and not (has_connector and match.group("count")[0].isdigit()):
        return None
    percent = match.group("percent_only")
    end = match.end()
    after = _PERCENT_AFTER.match(text, end, limit)
    if after:
        percent = percent or after.group("p1") or after.group("p2")
        end = after.end()
    return _pair(match, mention, mention.start, end, percent, years)


def _pair(match, mention, start, end, percent, years) -> Pair | None:
    count = numbers.parse_count(match.group("count")) if match.group("count") else None
    if count is None and percent is None:
        return None
    of = int(match.group("of").replace(".", "")) if match.group("of") else None
    noun_match = match if match.group("noun") else _NOUN_BEFORE_LEVEL.search(
        match.string, max(0, mention.start - _NOUN_REACH), mention.start
    )
    noun = " ".join(noun_match.group("noun").split()) if noun_match else None
    year = years.year_for(mention.start, mention.end)
    return Pair(mention, start, end, count, percent and numbers.parse_percent(percent), of, noun, year)


def _opens_list(text: str, position: int) -> bool:
    return bool(_OPENS_LIST_BEFORE.search(text, max(0, position - 12), position))


def _percent_in(note: str | None) -> str | None:
    match = _PERCENT.search(note) if note else None
    return match.group(0) if match else None


def _fits_scale(pair: Pair) -> bool:
    if pair.mention.level not in OLD_ONLY:
        return True
    return pair.year is not None and pair.year <= LAST_OLD_SCALE_YEAR


def _groups(sentences: Sentences, pairs: list[Pair]) -> list[list[Pair]]:
    groups: list[list[Pair]] = []
    for pair in pairs:
        current = groups[-1] if groups else None
        if current and _continues(sentences, current, pair):
            current.append(pair)
        else:
            groups.append([pair])
    return groups


def _continues(sentences: Sentences, group: list[Pair], pair: Pair) -> bool:
    last = group[-1]
    return (
        sentences.index_at(last.start) == sentences.index_at(pair.start)
        and pair.year == last.year
        and pair.mention.level not in {member.mention.level for member in group}
        and (pair.noun is None or last.noun is None or _is_individual(pair.noun) == _is_individual(last.noun))
    )


def _tally(text: str, sentences: Sentences, group: list[Pair]) -> dict:
    first_start = min(pair.start for pair in group)
    sentence_start = sentences.start_near(first_start)
    name_match = _group_name(text, sentence_start, first_start)
    name = name_match[0] if name_match else None
    nouns = [pair.noun for pair in group if pair.noun]
    who = nouns + ([name] if name else [])
    scale = OLD_SCALE if any(pair.mention.level in OLD_ONLY for pair in group) else NEW_SCALE
    counts = dict.fromkeys(scale)
    counts.update({pair.mention.level: pair.count for pair in group})
    evidence_start = name_match[1] if name_match else first_start
    return {
        "group": name or (nouns[0] if nouns else None),
        "subject": "individual" if who and _is_individual(who[0]) else "collective",
        "year": group[0].year,
        "counts": counts,
        "percent": {pair.mention.level: pair.percent for pair in group if pair.percent is not None},
        "total": _total(text, sentence_start, first_start, group),
        "evidence": text[evidence_start : max(pair.end for pair in group)],
    }


def _is_individual(phrase: str) -> bool:
    return bool(_INDIVIDUAL.search(phrase))


def _group_name(text: str, start: int, end: int) -> tuple[str, int] | None:
    """How the text names the counted group, and where that naming starts."""
    intros = list(_GROUP_INTRO.finditer(text, start, end))
    for index in range(len(intros) - 1, -1, -1):
        stop = intros[index + 1].start() if index + 1 < len(intros) else end
        candidate = _GROUP_TRIM.sub("", text[intros[index].end() : stop].strip())
        if candidate and len(candidate) <= _GROUP_LIMIT and _GROUP_NOUN.search(candidate):
            return candidate, intros[index].start()
    return None


def _total(text: str, start: int, end: int, group: list[Pair]) -> int | None:
    stated = None
    for match in _TOTAL.finditer(text, start, end):
        stated = numbers.parse_count(match.group("stated") or match.group("listed"))
    after = _TOTAL_AFTER.match(text, max(pair.end for pair in group))
    if after:
        stated = numbers.parse_count(after.group("stated"))
    denominators = {pair.of for pair in group if pair.of}
    if stated is None and len(denominators) == 1:
        stated = denominators.pop()
    counted = sum(pair.count for pair in group if pair.count)
    return stated if stated is not None and stated >= counted else None
