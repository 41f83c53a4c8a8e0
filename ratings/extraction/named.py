"""Ratings of one named unit: "Tỉnh ủy tự xếp loại Đảng bộ tỉnh … “Hoàn thành xuất sắc nhiệm vụ”".

A level left over by votes and tallies is a rating when a unit phrase stands
right before it, with at most the few words of rating between them ("được
xếp loại", "năm 2023 mức", "được Bộ Chính trị xếp loại"), and the sentence
speaks of rating. A plural group ("các chi bộ") without counts and a person
("Bí thư Tỉnh ủy …") are not rated units here: the tracker keeps
individuals as counts only. Nor is the body that rates: the committee after
"được" ("được Ban Thường vụ Tỉnh ủy xếp loại") or one that decides or
appraises a level whose unit the sentence leaves unnamed. A level stated
for "năm 2022 và năm 2023" is a rating for each year. A list of units
(`lists.py`) before or after the level gives each unit it names the level,
except in a sentence about awards ("tặng Bằng khen cho các đảng bộ: …"); the
list may run one unit a line after "gồm:", sit in brackets, or open the next
sentence ("… nhiệm vụ. Đó là: A, B"). A list whose announced count and names
disagree keeps its names and leaves a note for the reader.
"""
import dataclasses
import re

from .dates import RatedYears
from .levels import LAST_OLD_SCALE_YEAR, OLD_ONLY, LevelMention, states_a_target
from .lists import NamedList, find_groups, group_opening_list, names_after, read_lines, read_list
from .sentences import LOOK_BACK, Sentences
from .units import AGENCY, RATED_BY_BODY, Unit, find_units, stage_before

_RATING_WORDS = re.compile(
    r"(?i:xếp\s+loại|đánh\s+giá|tự\s+nhận|công\s+nhận|đạt|mức|biểu\s+quyết|bỏ\s+phiếu"
    r"|đề\s+xuất|đề\s+nghị|thẩm\s+định|quyết\s+định|kết\s+quả(?:\s+năm\s+\d{4})?\s*:)"
)
_BETWEEN_UNIT_AND_LEVEL = re.compile(
    rf"(?:[\s\"',():-]|{RATED_BY_BODY}"
    r"|(?i:năm\s+\d{4}|năm\s+qua|đã|được|bị|đạt|tự|xếp\s+loại|loại|đánh\s+giá|chất\s+lượng"
    r"|ở|mức|là|tập\s+thể|với|kết\s+quả|đề\s+xuất|đề\s+nghị|quyết\s+định|công\s+nhận|thống\s+nhất"
    r"|dự\s+kiến|nhận|tiếp\s+tục|liên\s+tục|danh\s+hiệu|đều|vẫn|cũng)(?![^\W\d_]))*"
)
_RATED_BY_BODY = re.compile(RATED_BY_BODY)
_AGENT_BEFORE = re.compile(r"(?i:(?<![^\W\d_])được\s+)$")
# The parent in a group's name ("các đảng bộ trực thuộc Tỉnh ủy") is not the unit rated.
_PARENT_AFTER = re.compile(r".*(?i:thuộc)$")
_PARENT_BEFORE = re.compile(r"(?i:(?<![^\W\d_])(?:trực\s+)?thuộc\s+)$")
# A body deciding or appraising ("Ban Thường vụ Tỉnh ủy quyết định xếp loại …")
# rates another unit; one does not decide its own level.
_DECIDES = re.compile(r"(?i:(?<!được )(?<!tự )(?<![^\W\d_])(?:quyết\s+định|thẩm\s+định|công\s+nhận))")
_GAP_LIMIT = 80
_NAMED_AS_RATED = re.compile(r"(?i:đối\s+với(?:\s+tập\s+thể)?\s*)$")
_NAMED_AS_RATED_LIMIT = 160
_LEADING_PUNCTUATION = " ,;:.-"
_ENUMERATION = re.compile(r"\s*(?:,|;|(?i:và))\s*")
_AND = re.compile(r"\s*(?i:và)\s*")
_LABEL_GAP = re.compile(r"\s*:\s*[\"']?\s*")
_CONTEXT_SENTENCES = 3
# A list of awards ("tặng Bằng khen cho các đảng bộ: …") is no list of ratings.
_AWARD = re.compile(
    r"(?i:(?<![^\W\d_])(?:tặng|trao|khen\s+thưởng|bằng\s+khen|giấy\s+khen|cờ\s+thi\s+đua|biểu\s+dương"
    r"|tuyên\s+dương|vinh\s+danh)(?![^\W\d_]))"
)
# Units named as partners or beneficiaries are not the ones rated: "với sự phối hợp của các đảng bộ: A, B".
_MENTIONED_BEFORE = re.compile(r"(?i:(?<![^\W\d_])(?:của|cho|về|tại|cùng|giúp|theo|(?<!đối )với)\s+)$")
_PARENTHESIS = re.compile(r"\([^()]*\)")
_LIST_AFTER_LEVEL = re.compile(
    r"[\s\"']*(?:\([^()]*\))?\s*(?:(?i:(?:trong\s+)?năm)\s+\d{4})?\s*,?\s*"
    r"(?:(?i:gồm\s+có|gồm|là|đó\s+là|đối\s+với)\s*:?|:)\s*[\"']?"
)
# "… được xếp loại hoàn thành xuất sắc nhiệm vụ; trong 9 tập thể ban thường vụ huyện ủy là Ban Thường vụ
# Huyện ủy A và …": the next clause names more units of the level it leaves out.
_ELIDED_LEVEL_LIST = re.compile(
    r"[\s\"')]*(?:(?i:năm)\s+\d{4}\s*)?;\s*(?i:trong(?:\s+số)?)\s+\d+\s+[^;.:\d]{1,80}?\s(?i:là|có|gồm(?:\s+có)?)\s*:?\s*[\"']?"
)
# "… hoàn thành xuất sắc nhiệm vụ (Đảng bộ huyện A, Đảng bộ huyện B)".
_LIST_IN_PARENTHESES = re.compile(r"[\s\"']*\(\s*(?:(?i:gồm|là)\s*:?\s*)?")
# A level whose units follow it ("xếp loại “…” đối với Đảng bộ huyện A", "… cho 2 đảng bộ: …") rates
# none named before it: the unit before is the body that rates.
_RATES_WHAT_FOLLOWS = re.compile(
    r"[\s\"']*(?:(?i:năm)\s+\d{4}\s*)?(?i:đối\s+với|cho(?!\s+(?:năm|nhiệm\s+kỳ)))(?![^\W\d_])"
)
# The sentence closing on a level and the next one naming its units: "… nhiệm vụ. Đó là: A, B".
_LEVEL_TAIL_LIMIT = 24
_LEVEL_CLOSES_SENTENCE = re.compile(r"[\s\"')]*(?:(?i:năm)\s+\d{4})?[\s\"')]*[.:;]?[\s\"')]*")
_NEXT_SENTENCE_LIST = re.compile(
    r"(?i:(?:đó\s+là|(?:các|những)\s+(?:đơn\s+vị|tập\s+thể|đảng\s+bộ|chi\s+bộ|tổ\s+chức)(?:\s+[^\W\d_]+){0,3}?"
    r"\s+(?:đó|này)\s+là)\s*:?|(?:gồm\s+có|gồm|bao\s+gồm|cụ\s+thể(?:\s+là)?|danh\s+sách(?:\s+gồm)?)\s*:)\s*[\"']?"
)
# The kind of a unit whose own words do not tell it ("Đảng bộ Tân An"), from the words nearest before its
# list: the kind of group they belong to, else the committee they stand under (a province's committees
# rate the ones directly under it; a district's, its grassroots organizations).
_GROUP_KINDS = (
    ("to_chuc_co_so_dang", re.compile(r"(?i:đảng\s+bộ\s+cơ\s+sở|tổ\s+chức\s+cơ\s+sở\s+đảng|tccsđ)")),
    (
        "dang_bo_truc_thuoc",
        re.compile(r"(?i:cấp\s+trên\s+cơ\s+sở|trực\s+thuộc\s+(?:tỉnh|thành)\s+ủy|huyện\s+và\s+tương\s+đương)"),
    ),
)
_COMMITTEE_KINDS = (
    ("to_chuc_co_so_dang", re.compile(r"(?i:(?<![^\W\d_])(?:huyện|thị|quận)\s+ủy)")),
    ("dang_bo_truc_thuoc", re.compile(r"(?i:(?<![^\W\d_])tỉnh\s+ủy)")),
)
_INSTITUTION = re.compile(
    r"(?i:(?:đảng\s+bộ|đảng\s+ủy|chi\s+bộ)\s+(?:bệnh\s+viện|trường|công\s+ty|trung\s+tâm|ngân\s+hàng"
    r"|ban\s+quản\s+lý|bưu\s+điện|hợp\s+tác\s+xã|nhà\s+máy|xí\s+nghiệp)(?![^\W\d_]))"
)
_KIND_CONTEXT_SENTENCES = 2
_CONTEXT_LINES = 12
_RATING_TALK = re.compile(r"(?i:xếp\s+loại|đánh\s+giá)")
_DECIDED_AFTER = re.compile(r"(?i:\btheo\s+(?:quyết\s+định|thông\s+báo|kết\s+luận)\b)")
_ITEM_LINE_LENGTH = 100
_BULLET = re.compile(r"[-+•*]|\d{1,2}[.)]")


def find_named_ratings(
    text, sentences: Sentences, mentions: list[LevelMention], used, years: RatedYears, province, outvoted=frozenset()
):
    """Ratings of SCHEMA.md from the level mentions that votes and tallies left, and notes on their lists.

    Units listed after a level ("… hoàn thành xuất sắc nhiệm vụ, gồm: Huyện ủy A,
    Huyện ủy B") are read even when a tally counted that level; a minority
    ballot's level (``outvoted``) rates nobody.
    """
    ratings, seen, notes = [], set(), []
    for index, mention in enumerate(mentions):
        if mention in outvoted:
            continue
        found = [] if mention in used else _ratings_before(text, sentences, mentions, index, years, province, notes)
        found += _ratings_listed_after(text, sentences, mentions, index, years, province, notes)
        for rating in found:
            for year in years.years_for(mention.start, mention.end):
                key = (rating["unit_kind"], rating["unit"].casefold(), year, rating["level"], rating["stage"])
                if key not in seen:
                    seen.add(key)
                    ratings.append({**rating, "year": year})
    return ratings, notes


def _rated_units(text, mention, found: list[Unit]) -> list[Unit]:
    """The units the level is given to, of the units ``found`` before it: the one introduced by "đối với",
    else the nearest with the units of the same kind enumerated before it ("Huyện ủy A, Huyện ủy B và …")."""
    units = [
        unit
        for unit in found
        if not _AGENT_BEFORE.search(text, max(0, unit.start - 8), unit.start)
        and not _PARENT_BEFORE.search(text, max(0, unit.start - 12), unit.start)
    ]
    for unit in units:
        introduced = _NAMED_AS_RATED.search(text, max(0, unit.start - 20), unit.start)
        if introduced and mention.start - unit.end <= _NAMED_AS_RATED_LIMIT:
            return [unit]
    if not units:
        return []
    nearest = units[-1]
    gap_fits = mention.start - nearest.end <= _GAP_LIMIT and _BETWEEN_UNIT_AND_LEVEL.fullmatch(
        text, nearest.end, mention.start
    )
    if not gap_fits or _decides(text[nearest.end : mention.start]):
        return []
    rated = [nearest]
    for unit in reversed(units[:-1]):
        # Units of several kinds are rated together only when "và" joins them, not after a comma
        # that may close the name of a source ("Theo Ban Thường vụ Tỉnh ủy, Đảng bộ huyện A …").
        joined = _AND.fullmatch(text, unit.end, rated[0].start) and unit.kind not in ("person", "other")
        same_kind = unit.kind == nearest.kind or unit.paired or joined
        if not same_kind or not _ENUMERATION.fullmatch(text, unit.end, rated[0].start):
            break
        rated.insert(0, unit)
    return rated


def _listed_before(text, sentence_start, clause_start, mention, found, province, year) -> NamedList | None:
    """Units listed right before their level: "các đảng bộ: A, B và C được xếp loại …",
    "các Đảng bộ Bệnh viện A và Trường B …", "Đảng bộ huyện A, huyện B …"; the first list that
    reaches the level wins. A single unit is left to `_rated_units`, unless a group announces it."""
    if _AWARD.search(text, sentence_start, mention.start):
        return None
    starts = [(group.start, group) for group in find_groups(text, clause_start, mention.start)]
    starts += [(unit.start, None) for unit in found if unit.kind != "person" and not unit.plural]
    for start, group in sorted(starts, key=lambda pair: pair[0]):
        if _MENTIONED_BEFORE.search(text, max(0, start - 12), start) or _AGENT_BEFORE.search(
            text, max(0, start - 8), start
        ):
            continue
        if group and _names_parent(text, group):
            continue
        names_start = names_after(text, group, mention.start) if group else start
        named = read_list(text, names_start, mention.start, group=group, province=province, year=year)
        if len(named.units) < (1 if group else 2):
            continue
        if group is None and len({unit.kind for unit in named.units}) > 1:
            continue  # "Theo Ban Thường vụ Tỉnh ủy, Đảng bộ huyện A …": a source, then the unit
        if _reaches_level(text, named.end, mention.start):
            return named
    return None


def _names_parent(text, group) -> bool:
    """ "2 chi bộ trực thuộc Đảng ủy xã A": the unit right after the group is their parent, not a name."""
    return bool(_PARENT_AFTER.match(text, group.start, group.end)) and not text.startswith(":", group.end)


def _reaches_level(text, end, level_start) -> bool:
    return (
        level_start - end <= _GAP_LIMIT
        and bool(_BETWEEN_UNIT_AND_LEVEL.fullmatch(text, end, level_start))
        and not _decides(text[end:level_start])
    )


def _group_before(text, clause_start, mention):
    """The group announced before a level that it rates: "7 đảng bộ cấp trên cơ sở được xếp loại …"."""
    for group in reversed(find_groups(text, clause_start, mention.start)):
        gap = _PARENTHESIS.sub(" ", text[group.end : mention.start])
        if len(gap) <= _GAP_LIMIT and _BETWEEN_UNIT_AND_LEVEL.fullmatch(gap) and not _decides(gap):
            return group
    return None


def _decides(gap: str) -> bool:
    return bool(_DECIDES.search(_RATED_BY_BODY.sub(" ", gap)))


def _ratings_before(text, sentences, mentions, index, years, province, notes) -> list[dict]:
    mention = mentions[index]
    sentence_start = sentences.start_near(mention.start)
    if states_a_target(text, sentence_start, mention.start) or _RATES_WHAT_FOLLOWS.match(text, mention.end):
        return []
    previous_end = mentions[index - 1].end if index else 0
    clause_start = max(sentence_start, previous_end)
    year = years.year_for(mention.start, mention.end)
    if mention.level in OLD_ONLY and (year is None or year > LAST_OLD_SCALE_YEAR):
        return []
    found = find_units(text, clause_start, mention.start, province=province, year=year)
    listed = _listed_before(text, sentence_start, clause_start, mention, found, province, year)
    units = list(listed.units) if listed else [
        unit for unit in _rated_units(text, mention, found) if unit.kind != "person" and not unit.plural
    ]
    if not units:
        return []
    rated = _RATING_WORDS.search(text, sentence_start, mention.start) or _DECIDED_AFTER.search(
        text, mention.end, sentences.at(mention.start).end
    )
    if not rated and not _labelled_in_rating_context(text, sentences, units[-1], mention):
        return []
    if listed and listed.agrees is False:
        notes.append(_mismatch_note(text, listed, mention, year))
    evidence_start = clause_start
    while text[evidence_start] in _LEADING_PUNCTUATION:
        evidence_start += 1
    stage = _stage(text, sentences, sentence_start, mention)
    evidence = text[evidence_start : years.end_with_year(mention.end)]
    units = _with_context_kinds(text, sentences, units, mention)
    return [_figure(unit, year, mention, stage, evidence) for unit in units]


def _stage(text, sentences, sentence_start, mention) -> str:
    """The stage the level's sentence names before the level, else a decision it cites after it ("… theo
    quyết định của Ban Thường vụ Tỉnh ủy"), else the stage of the sentence about rating before it in its
    paragraph, else that of the heading its list item stands under ("Ban Thường vụ Huyện ủy thông báo
    kết quả xếp loại:")."""
    stage = stage_before(text, sentence_start, mention.start)
    index = sentences.index_at(mention.start)
    sentence = sentences.items[index]
    if stage == "unknown" and _DECIDED_AFTER.search(text, mention.end, sentence.end):
        stage = "approved"
    if stage == "unknown" and index and not sentences.items[index - 1].last_in_paragraph:
        previous = sentences.items[index - 1]
        start = max(previous.start, previous.end - LOOK_BACK)
        if _RATING_TALK.search(text, start, previous.end):
            stage = stage_before(text, start, previous.end)
    if stage == "unknown" and _item_line(text, sentence):
        stage = _heading_stage(text, sentences, index)
    return stage


def _heading_stage(text, sentences, index) -> str:
    """The stage of the nearest line ending in ":" above the list lines before sentence ``index``."""
    for previous in reversed(sentences.items[max(0, index - _CONTEXT_LINES) : index]):
        if not previous.last_in_paragraph:
            break
        if text[previous.end - 1] == ":":
            stage = stage_before(text, previous.start, previous.end)
            if stage != "unknown":
                return stage
        elif not _item_line(text, previous):
            break
    return "unknown"


def _item_line(text, sentence) -> bool:
    """Whether a sentence is a line of a list: it opens with a bullet or is short."""
    return sentence.end - sentence.start <= _ITEM_LINE_LENGTH or bool(_BULLET.match(text, sentence.start))


def _labelled_in_rating_context(text, sentences, unit, mention) -> bool:
    """ "Huyện ủy A: hoàn thành tốt nhiệm vụ." as a line of a list introduced by a sentence about rating."""
    if not _LABEL_GAP.fullmatch(text, unit.end, mention.start):
        return False
    index = sentences.index_at(mention.start)
    return any(
        _RATING_WORDS.search(text, sentence.start, sentence.end)
        for sentence in sentences.items[max(0, index - _CONTEXT_SENTENCES) : index]
    )


def _ratings_listed_after(text, sentences, mentions, index, years, province, notes) -> list[dict]:
    """Units named after their level: "hoàn thành xuất sắc nhiệm vụ, gồm: Huyện ủy A, Thị ủy B",
    "7 đảng bộ cấp trên cơ sở … hoàn thành xuất sắc nhiệm vụ, gồm: huyện A, huyện B", one a line
    after "gồm:", or in the next sentence ("… nhiệm vụ. Đó là: A, B")."""
    mention = mentions[index]
    sentence_start = sentences.start_near(mention.start)
    opening = _list_opening(text, sentences, mentions, index)
    if opening is None:
        return []
    if states_a_target(text, sentence_start, mention.start) or _AWARD.search(text, sentence_start, mention.start):
        return []
    year = years.year_for(mention.start, mention.end)
    if mention.level in OLD_ONLY and (year is None or year > LAST_OLD_SCALE_YEAR):
        return []
    group, names_start, limit = opening
    named = read_list(text, names_start, limit, group=group, province=province, year=year)
    if not named.units and _ends_line(text, names_start):
        named = read_lines(text, names_start, group=group, province=province, year=year)
    if named.units and named.agrees is False:
        notes.append(_mismatch_note(text, named, mention, year))
    stage = _stage(text, sentences, sentence_start, mention)
    evidence_start = min(group.start, mention.start) if group else mention.start
    units = _with_context_kinds(text, sentences, list(named.units), mention)
    return [_figure(unit, year, mention, stage, text[evidence_start : unit.end]) for unit in units]


def _list_opening(text, sentences, mentions, index):
    """The group announcing the names listed after a level, where the names start, and where they must end."""
    mention = mentions[index]
    next_start = mentions[index + 1].start if index + 1 < len(mentions) else len(text)
    limit = min(sentences.at(mention.start).end, next_start)
    opened = group_opening_list(text, mention.end, limit)
    if opened:
        return (*opened, limit)
    opener = (
        _LIST_AFTER_LEVEL.match(text, mention.end, limit)
        or _ELIDED_LEVEL_LIST.match(text, mention.end, limit)
        or _LIST_IN_PARENTHESES.match(text, mention.end, limit)
        or _next_sentence_list(text, sentences, mention, next_start)
    )
    if opener is None:
        return None
    clause_start = max(sentences.start_near(mention.start), mentions[index - 1].end if index else 0)
    limit = max(limit, min(sentences.at(opener.end()).end, next_start))
    return _group_before(text, clause_start, mention), opener.end(), limit


def _next_sentence_list(text, sentences, mention, next_start):
    """The opening of a list in the sentence after the one that closes on ``mention``."""
    index = sentences.index_at(mention.start)
    sentence = sentences.items[index]
    if sentence.end - mention.end > _LEVEL_TAIL_LIMIT or index + 1 >= len(sentences.items):
        return None
    if _LEVEL_CLOSES_SENTENCE.match(text, mention.end).end() < sentence.end:
        return None
    following = sentences.items[index + 1]
    if following.start >= next_start:
        return None
    return _NEXT_SENTENCE_LIST.match(text, following.start, following.end)


def _ends_line(text: str, position: int) -> bool:
    line_end = text.find("\n", position)
    return line_end >= 0 and not text[position:line_end].strip()


def _mismatch_note(text: str, named: NamedList, mention: LevelMention, year) -> str:
    """The words of a list whose announced count and names disagree, for a reader to check."""
    group = " ".join(text[named.group.start : named.group.end].split())
    return (
        f"{group} ({mention.level}, {year}): số nêu là {named.group.announced}, "
        f"danh sách đọc được {len(named.units)} tên"
    )


def _with_context_kinds(text, sentences, units: list[Unit], mention: LevelMention) -> list[Unit]:
    """Units of an unknown kind take the kind that the words nearest before their list name; a school,
    hospital or company is a grassroots organization unless those words put it directly under the province."""
    if all(unit.kind != "other" for unit in units):
        return units
    index = sentences.index_at(mention.start)
    start = sentences.items[max(0, index - _KIND_CONTEXT_SENTENCES)].start
    end = min([mention.start] + [unit.start for unit in units])
    group_kind = _nearest_kind(text, start, end, _GROUP_KINDS)
    committee_kind = _nearest_kind(text, start, end, _GROUP_KINDS + _COMMITTEE_KINDS)
    return [
        dataclasses.replace(unit, kind=kind) if unit.kind == "other" and kind and not AGENCY.match(unit.name) else unit
        for unit in units
        for kind in [(group_kind or "to_chuc_co_so_dang") if _INSTITUTION.match(unit.name) else committee_kind]
    ]


def _nearest_kind(text, start, end, kinds) -> str | None:
    nearest, found = -1, None
    for kind, words in kinds:
        for match in words.finditer(text, start, end):
            if match.start() > nearest:
                nearest, found = match.start(), kind
    return found


def _figure(unit: Unit, year, mention: LevelMention, stage: str, evidence: str) -> dict:
    return {
        "unit": unit.name,
        "unit_kind": unit.kind,
        "year": year,
        "level": mention.level,
        "stage": stage,
        "evidence": evidence,
    }
