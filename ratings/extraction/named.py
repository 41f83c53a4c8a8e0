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
except in a sentence about awards ("tặng Bằng khen cho các đảng bộ: …").
"""
import re

from .dates import RatedYears
from .levels import LAST_OLD_SCALE_YEAR, OLD_ONLY, LevelMention, states_a_target
from .lists import find_groups, group_opening_list, names_after, read_list
from .sentences import Sentences
from .units import RATED_BY_BODY, Unit, find_units, stage_before

_RATING_WORDS = re.compile(
    r"(?i:xếp\s+loại|đánh\s+giá|tự\s+nhận|công\s+nhận|đạt|mức|biểu\s+quyết|bỏ\s+phiếu"
    r"|đề\s+xuất|đề\s+nghị|thẩm\s+định|quyết\s+định|kết\s+quả(?:\s+năm\s+\d{4})?\s*:)"
)
_BETWEEN_UNIT_AND_LEVEL = re.compile(
    rf"(?:[\s\"',():-]|{RATED_BY_BODY}"
    r"|(?i:năm\s+\d{4}|năm\s+qua|đã|được|bị|đạt|tự|xếp\s+loại|loại|đánh\s+giá|chất\s+lượng"
    r"|ở|mức|là|tập\s+thể|với|kết\s+quả|đề\s+xuất|đề\s+nghị|quyết\s+định|công\s+nhận|thống\s+nhất"
    r"|dự\s+kiến|nhận|tiếp\s+tục|đều|vẫn|cũng)(?![^\W\d_]))*"
)
_RATED_BY_BODY = re.compile(RATED_BY_BODY)
_AGENT_BEFORE = re.compile(r"(?i:(?<![^\W\d_])được\s+)$")
# The parent in a group's name ("các đảng bộ trực thuộc Tỉnh ủy") is not the unit rated.
_PARENT_BEFORE = re.compile(r"(?i:(?<![^\W\d_])(?:trực\s+)?thuộc\s+)$")
# A body deciding or appraising ("Ban Thường vụ Tỉnh ủy quyết định xếp loại …")
# rates another unit; one does not decide its own level.
_DECIDES = re.compile(r"(?i:(?<!được )(?<!tự )(?<![^\W\d_])(?:quyết\s+định|thẩm\s+định|công\s+nhận))")
_GAP_LIMIT = 80
_NAMED_AS_RATED = re.compile(r"(?i:đối\s+với(?:\s+tập\s+thể)?\s*)$")
_NAMED_AS_RATED_LIMIT = 160
_LEADING_PUNCTUATION = " ,;:.-"
_ENUMERATION = re.compile(r"\s*(?:,|;|(?i:và))\s*")
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
    r"\s*(?:\([^()]*\))?\s*(?:(?i:năm)\s+\d{4})?\s*,?\s*(?:(?i:gồm\s+có|gồm|là|đó\s+là)\s*:?|:)\s*[\"']?"
)


def find_named_ratings(
    text, sentences: Sentences, mentions: list[LevelMention], used, years: RatedYears, province, outvoted=frozenset()
):
    """Ratings of SCHEMA.md from the level mentions that votes and tallies left.

    Units listed after a level ("… hoàn thành xuất sắc nhiệm vụ, gồm: Huyện ủy A,
    Huyện ủy B") are read even when a tally counted that level; a minority
    ballot's level (``outvoted``) rates nobody.
    """
    ratings, seen = [], set()
    for index, mention in enumerate(mentions):
        if mention in outvoted:
            continue
        found = [] if mention in used else _ratings_before(text, sentences, mentions, index, years, province)
        found += _ratings_listed_after(text, sentences, mentions, index, years, province)
        for rating in found:
            for year in years.years_for(mention.start, mention.end):
                key = (rating["unit_kind"], rating["unit"].casefold(), year, rating["level"], rating["stage"])
                if key not in seen:
                    seen.add(key)
                    ratings.append({**rating, "year": year})
    return ratings


def _rated_units(text, clause_start, mention, province, year) -> list[Unit]:
    """The units the level is given to: the one introduced by "đối với", else the nearest before it
    with the units of the same kind enumerated before it ("Huyện ủy A, Huyện ủy B và Huyện ủy C")."""
    units = [
        unit
        for unit in find_units(text, clause_start, mention.start, province=province, year=year)
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
        same_kind = unit.kind == nearest.kind or unit.paired
        if not same_kind or not _ENUMERATION.fullmatch(text, unit.end, rated[0].start):
            break
        rated.insert(0, unit)
    return rated


def _listed_before(text, sentence_start, clause_start, mention, province, year) -> list[Unit]:
    """Units listed right before their level: "các đảng bộ: A, B và C được xếp loại …",
    "các Đảng bộ Bệnh viện A và Trường B …", "Đảng bộ huyện A, huyện B …"; the first list that
    reaches the level wins. A single unit is left to `_rated_units`, unless a group announces it."""
    if _AWARD.search(text, sentence_start, mention.start):
        return []
    starts = [(group.start, group) for group in find_groups(text, clause_start, mention.start)]
    starts += [
        (unit.start, None)
        for unit in find_units(text, clause_start, mention.start, province=province, year=year)
        if unit.kind != "person" and not unit.plural
    ]
    for start, group in sorted(starts, key=lambda pair: pair[0]):
        if _MENTIONED_BEFORE.search(text, max(0, start - 12), start) or _AGENT_BEFORE.search(
            text, max(0, start - 8), start
        ):
            continue
        names_start = names_after(text, group, mention.start) if group else start
        named = read_list(text, names_start, mention.start, group=group, province=province, year=year)
        if len(named.units) < (1 if group else 2):
            continue
        if group is None and len({unit.kind for unit in named.units}) > 1:
            continue  # "Theo Ban Thường vụ Tỉnh ủy, Đảng bộ huyện A …": a source, then the unit
        if _reaches_level(text, named.end, mention.start):
            return list(named.units)
    return []


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


def _ratings_before(text, sentences, mentions, index, years, province) -> list[dict]:
    mention = mentions[index]
    sentence_start = sentences.start_near(mention.start)
    if states_a_target(text, sentence_start, mention.start):
        return []
    previous_end = mentions[index - 1].end if index else 0
    clause_start = max(sentence_start, previous_end)
    year = years.year_for(mention.start, mention.end)
    if mention.level in OLD_ONLY and (year is None or year > LAST_OLD_SCALE_YEAR):
        return []
    units = _listed_before(text, sentence_start, clause_start, mention, province, year) or [
        unit
        for unit in _rated_units(text, clause_start, mention, province, year)
        if unit.kind != "person" and not unit.plural
    ]
    if not units:
        return []
    if not _RATING_WORDS.search(text, sentence_start, mention.start) and not _labelled_in_rating_context(
        text, sentences, units[-1], mention
    ):
        return []
    evidence_start = clause_start
    while text[evidence_start] in _LEADING_PUNCTUATION:
        evidence_start += 1
    stage = stage_before(text, sentence_start, mention.start)
    evidence = text[evidence_start : years.end_with_year(mention.end)]
    return [_figure(unit, year, mention, stage, evidence) for unit in units]


def _labelled_in_rating_context(text, sentences, unit, mention) -> bool:
    """ "Huyện ủy A: hoàn thành tốt nhiệm vụ." as a line of a list introduced by a sentence about rating."""
    if not _LABEL_GAP.fullmatch(text, unit.end, mention.start):
        return False
    index = sentences.index_at(mention.start)
    return any(
        _RATING_WORDS.search(text, sentence.start, sentence.end)
        for sentence in sentences.items[max(0, index - _CONTEXT_SENTENCES) : index]
    )


def _ratings_listed_after(text, sentences, mentions, index, years, province) -> list[dict]:
    """Units named after their level: "hoàn thành xuất sắc nhiệm vụ, gồm: Huyện ủy A, Thị ủy B",
    "7 đảng bộ cấp trên cơ sở … hoàn thành xuất sắc nhiệm vụ, gồm: huyện A, huyện B"."""
    mention = mentions[index]
    sentence = sentences.at(mention.start)
    limit = min(sentence.end, mentions[index + 1].start if index + 1 < len(mentions) else sentence.end)
    sentence_start = sentences.start_near(mention.start)
    opened = group_opening_list(text, mention.end, limit)
    if opened:
        group, names_start = opened
    else:
        opener = _LIST_AFTER_LEVEL.match(text, mention.end, limit)
        if opener is None:
            return []
        clause_start = max(sentence_start, mentions[index - 1].end if index else 0)
        group, names_start = _group_before(text, clause_start, mention), opener.end()
    if states_a_target(text, sentence_start, mention.start) or _AWARD.search(text, sentence_start, mention.start):
        return []
    year = years.year_for(mention.start, mention.end)
    if mention.level in OLD_ONLY and (year is None or year > LAST_OLD_SCALE_YEAR):
        return []
    named = read_list(text, names_start, limit, group=group, province=province, year=year)
    stage = stage_before(text, sentence_start, mention.start)
    evidence_start = min(group.start, mention.start) if group else mention.start
    return [_figure(unit, year, mention, stage, text[evidence_start : unit.end]) for unit in named.units]


def _figure(unit: Unit, year, mention: LevelMention, stage: str, evidence: str) -> dict:
    return {
        "unit": unit.name,
        "unit_kind": unit.kind,
        "year": year,
        "level": mention.level,
        "stage": stage,
        "evidence": evidence,
    }
