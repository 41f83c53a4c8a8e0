"""Article text to figures: the steps in the order they depend on each other.

Votes take their levels first ("48/49 đại biểu đồng ý xếp loại … hoàn thành
tốt nhiệm vụ" is a ballot), tallies next, and a level left over becomes a
named rating only when a unit stands right before it. A ballot that carries
("thống nhất xếp loại X … với 52/55 đại biểu đồng ý") also decides X's level,
so its level may give a named rating too; a minority ballot's may not. A
floor ("… hoàn thành tốt nhiệm vụ trở lên") is a share of many, so it goes
to the tallies only. A list whose announced count and names disagree is
noted in "notes" for the reader.
"""
import re

from .criteria import find_criteria
from .dates import RatedYears, find_published, stamp_date
from .levels import find_levels
from .named import find_named_ratings
from .normalize import normalize_text
from .provinces import canonical_province, find_province
from .sentences import Sentences
from .tallies import find_tallies
from .votes import carries, find_votes

_TITLE_LINES = 5
_TITLE_MIN_WORDS = 4
_TITLE_MAX_LENGTH = 300
_WORD = re.compile(r"[^\W\d_]{2,}")


def extract_article(
    text: str, *, source: str | None = None, province: str | None = None, year: int | None = None
) -> dict:
    """Every rating figure ``text`` states, as one object of SCHEMA.md.

    ``province`` and ``year`` are the caller's fallbacks for what the text
    leaves out; the text wins when it states them.
    """
    text = normalize_text(text)
    sentences = Sentences(text)
    title = find_title(text)
    province = find_province(text, title) or canonical_province(province)
    published = find_published(text)
    years = RatedYears(text, sentences, title, year, published)
    mentions = find_levels(text)
    # A floor ("… trở lên") counts a share of many; no ballot or single unit is rated so.
    exact = [mention for mention in mentions if not mention.or_above]
    votes, voted = find_votes(text, sentences, exact, years, province)
    tallies, counted = find_tallies(text, sentences, [m for m in mentions if m not in voted], years)
    outvoted = {mention for mention, vote in voted.items() if not carries(vote)}
    ratings, notes = find_named_ratings(text, sentences, exact, outvoted | counted, years, province, outvoted)
    _approve_carried(ratings, [vote for vote in voted.values() if carries(vote)])
    return {
        "source": source,
        "title": title,
        "published": published,
        "province": province,
        "ratings": _decided_once(ratings),
        "tallies": _stated_once(tallies),
        "votes": _unique(votes, lambda v: (v["year"], v["for_level"], v["votes"], v["present"])),
        "criteria": find_criteria(text, sentences, years, province),
        "notes": "; ".join(dict.fromkeys(notes)) or None,
    }


def find_title(text: str) -> str | None:
    """The headline: the first of the opening lines that reads as one."""
    lines = [line.strip() for line in text.split("\n", 20)[:20] if line.strip()]
    for line in lines[:_TITLE_LINES]:
        reads_as_headline = len(_WORD.findall(line)) >= _TITLE_MIN_WORDS and len(line) <= _TITLE_MAX_LENGTH
        if reads_as_headline and not stamp_date(line):
            return line
    return None


def _approve_carried(ratings: list[dict], carried: list[dict]) -> None:
    """A rating whose level a carrying ballot adopted is the decision, whatever verb the sentence uses."""
    adopted = {((v["unit"] or "").casefold(), v["year"], v["for_level"]) for v in carried}
    for rating in ratings:
        if rating["stage"] == "unknown" and (rating["unit"].casefold(), rating["year"], rating["level"]) in adopted:
            rating["stage"] = "approved"


def _decided_once(ratings: list[dict]) -> list[dict]:
    """One rating per unit, year, level and stage; an unknown stage gives way to a stated one."""
    known = {_rating_key(r) for r in ratings if r["stage"] != "unknown"}
    stated = [r for r in ratings if r["stage"] != "unknown" or _rating_key(r) not in known]
    return _unique(stated, lambda r: (*_rating_key(r), r["stage"]))


def _stated_once(tallies: list[dict]) -> list[dict]:
    """A tally a headline repeats from the body (or the body from the headline) is one tally.

    A tally whose every cell another tally of the same subject states again, for
    its year or in place of an unknown one, adds no figure of its own.
    """
    unique = _unique(tallies, _cells)
    return [
        tally
        for tally in unique
        if not any(other is not tally and _repeats(tally, other) for other in unique)
    ]


def _repeats(tally: dict, other: dict) -> bool:
    if tally["subject"] != other["subject"] or tally["year"] not in (other["year"], None):
        return False
    cells, other_cells = set(_cells(tally)[2:]), set(_cells(other)[2:])
    if tally["year"] is None:
        # A headline's "91% … hoàn thành tốt nhiệm vụ" repeats the body's share of that level and above.
        cells, other_cells = _floors_as_levels(cells), _floors_as_levels(other_cells)
    # Equal cells of one year were merged already: of equal cells, the one with a year stays.
    return bool(cells) and cells <= other_cells and (cells != other_cells or tally["year"] is None)


def _floors_as_levels(cells: set) -> set:
    return {(level.rstrip("+"), *rest) for level, *rest in cells}


def _cells(tally: dict) -> tuple:
    stated = {(level, "count", n) for level, n in tally["counts"].items() if n is not None}
    stated |= {(level, "percent", round(p, 1)) for level, p in tally["percent"].items() if p is not None}
    return (tally["year"], tally["subject"], *sorted(stated))


def _rating_key(rating: dict) -> tuple:
    return (rating["unit_kind"], rating["unit"].casefold(), rating["year"], rating["level"])


def _unique(figures: list[dict], key) -> list[dict]:
    seen = set()
    kept = []
    for figure in figures:
        if key(figure) not in seen:
            seen.add(key(figure))
            kept.append(figure)
    return kept
