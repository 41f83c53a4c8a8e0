"""Ratings of one named unit: "Tỉnh ủy tự xếp loại Đảng bộ tỉnh … “Hoàn thành xuất sắc nhiệm vụ”".

A level left over by votes and tallies is a rating when a unit phrase stands
right before it, with at most the few words of rating between them ("được
xếp loại", "năm 2023 mức"), and the sentence speaks of rating. A plural
group ("các chi bộ") without counts and a person ("Bí thư Tỉnh ủy …") are
not rated units here: the tracker keeps individuals as counts only.
"""
import re

from .dates import RatedYears
from .levels import LAST_OLD_SCALE_YEAR, OLD_ONLY, LevelMention
from .sentences import Sentences
from .units import Unit, find_units, stage_before

_RATING_WORDS = re.compile(
    r"(?i:xếp\s+loại|đánh\s+giá|tự\s+nhận|công\s+nhận|đạt|mức|biểu\s+quyết|bỏ\s+phiếu"
    r"|đề\s+xuất|đề\s+nghị|thẩm\s+định|quyết\s+định)"
)
_BETWEEN_UNIT_AND_LEVEL = re.compile(
    r"(?:[\s\"',():-]|(?i:năm\s+\d{4}|năm\s+qua|đã|được|đạt|tự|xếp\s+loại|loại|đánh\s+giá|chất\s+lượng"
    r"|ở|mức|là|tập\s+thể|với|kết\s+quả|đề\s+xuất|đề\s+nghị|quyết\s+định|công\s+nhận|thống\s+nhất"
    r"|dự\s+kiến|nhận|tiếp\s+tục)(?![^\W\d_]))*"
)
_GAP_LIMIT = 80
_NAMED_AS_RATED = re.compile(r"(?i:đối\s+với(?:\s+tập\s+thể)?\s*)$")
_NAMED_AS_RATED_LIMIT = 160
_LEADING_PUNCTUATION = " ,;:.-"


def find_named_ratings(text, sentences: Sentences, mentions: list[LevelMention], used, years: RatedYears, province):
    """Ratings of SCHEMA.md from the level mentions that votes and tallies left."""
    ratings, seen = [], set()
    for index, mention in enumerate(mentions):
        if mention in used:
            continue
        rating = _rating(text, sentences, mentions, index, years, province)
        if rating is None:
            continue
        key = (rating["unit_kind"], rating["unit"].casefold(), rating["year"], rating["level"], rating["stage"])
        if key not in seen:
            seen.add(key)
            ratings.append(rating)
    return ratings


def _rated_unit(text, clause_start, mention, province, year) -> Unit | None:
    """The unit the level is given to: the one introduced by "đối với", else the nearest before it."""
    units = find_units(text, clause_start, mention.start, province=province, year=year)
    for unit in units:
        introduced = _NAMED_AS_RATED.search(text, max(0, unit.start - 20), unit.start)
        if introduced and mention.start - unit.end <= _NAMED_AS_RATED_LIMIT:
            return unit
    if not units:
        return None
    nearest = units[-1]
    gap_fits = mention.start - nearest.end <= _GAP_LIMIT and _BETWEEN_UNIT_AND_LEVEL.fullmatch(
        text, nearest.end, mention.start
    )
    return nearest if gap_fits else None


def _rating(text, sentences, mentions, index, years, province) -> dict | None:
    mention = mentions[index]
    sentence_start = sentences.start_near(mention.start)
    if not _RATING_WORDS.search(text, sentence_start, mention.start):
        return None
    previous_end = mentions[index - 1].end if index else 0
    clause_start = max(sentence_start, previous_end)
    year = years.year_for(mention.start, mention.end)
    if mention.level in OLD_ONLY and (year is None or year > LAST_OLD_SCALE_YEAR):
        return None
    unit = _rated_unit(text, clause_start, mention, province, year)
    if unit is None or unit.kind == "person" or unit.plural:
        return None
    evidence_start = clause_start
    while text[evidence_start] in _LEADING_PUNCTUATION:
        evidence_start += 1
    return {
        "unit": unit.name,
        "unit_kind": unit.kind,
        "year": year,
        "level": mention.level,
        "stage": stage_before(text, sentence_start, mention.start),
        "evidence": text[evidence_start : years.end_with_year(mention.end)],
    }
