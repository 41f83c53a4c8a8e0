"""Ratings of one named unit: "Tỉnh ủy tự xếp loại Đảng bộ tỉnh … “Hoàn thành xuất sắc nhiệm vụ”".

A level left over by votes and tallies is a rating when a unit phrase stands
right before it, with at most the few words of rating between them ("được
xếp loại", "năm 2023 mức", "được Bộ Chính trị xếp loại"), and the sentence
speaks of rating. A plural group ("các chi bộ") without counts and a person
("Bí thư Tỉnh ủy …") are not rated units here: the tracker keeps
individuals as counts only. Nor is the body that rates: the committee after
"được" ("được Ban Thường vụ Tỉnh ủy xếp loại") or one that decides or
appraises a level whose unit the sentence leaves unnamed. A level stated
for "năm 2022 và năm 2023" is a rating for each year.
"""
import re

from .dates import RatedYears
from .levels import LAST_OLD_SCALE_YEAR, OLD_ONLY, LevelMention, states_a_target
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
        if unit.kind != nearest.kind or not _ENUMERATION.fullmatch(text, unit.end, rated[0].start):
            break
        rated.insert(0, unit)
    return rated


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
    units = [
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
    """Units named after their level: "hoàn thành xuất sắc nhiệm vụ, gồm: Huyện ủy A, Thị ủy B"."""
    mention = mentions[index]
    sentence = sentences.at(mention.start)
    limit = min(sentence.end, mentions[index + 1].start if index + 1 < len(mentions) else sentence.end)
    opener = _LIST_AFTER_LEVEL.match(text, mention.end, limit)
    if opener is None or states_a_target(text, sentences.start_near(mention.start), mention.start):
        return []
    year = years.year_for(mention.start, mention.end)
    if mention.level in OLD_ONLY and (year is None or year > LAST_OLD_SCALE_YEAR):
        return []
    listed, position = [], opener.end()
    for unit in find_units(text, opener.end(), limit, province=province, year=year):
        if not (unit.start == position or _ENUMERATION.fullmatch(text, position, unit.start)):
            break
        if unit.kind == "person" or unit.plural:
            break
        listed.append(unit)
        position = unit.end
    stage = stage_before(text, sentences.start_near(mention.start), mention.start)
    return [_figure(unit, year, mention, stage, text[mention.start : unit.end]) for unit in listed]


def _figure(unit: Unit, year, mention: LevelMention, stage: str, evidence: str) -> dict:
    return {
        "unit": unit.name,
        "unit_kind": unit.kind,
        "year": year,
        "level": mention.level,
        "stage": stage,
        "evidence": evidence,
    }
