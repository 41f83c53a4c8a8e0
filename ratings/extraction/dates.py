"""When an article was published, and which year each figure rates.

The publication stamp is a short line near the top or the bottom of a page
("25/03/2020 11:03", "Thứ Hai, 03/01/2024"); dates inside the prose cite a
regulation ("Quy định số 124-QĐ/TW ngày 4-10-2023") or an event ("sáng
15-2") and say nothing about publication. The year rated is the one the
figure's sentence names ("năm 2023"), else a year named by a nearby
sentence about the rating, else the nearest year stated before the figure's
sentence (the title's included), else the title's bare year, else the caller's
fallback. A year carried so far must read as the year of a statement: not a
comparison, not one of a run ("năm 2021 và năm 2022"), not a full date's
("ngày 12 tháng 1 năm 2024"), not a bound ("từ năm 2020", "đến năm 2025"), and
not a year whose review could not yet have been published.
A review held early in year N rates N-1, so the publication year is never
taken for the year rated; "năm qua" (the past year) is read against it: the
year just ended for an article of the first half-year, else the current one.
A year of comparison ("tăng 3 đơn vị so với năm 2022") rates nothing.
"""
import bisect
import datetime
import re

from .sentences import LOOK_BACK, Sentences

_FULL_DATE = re.compile(
    r"(?<![\d/.-])(\d{1,2})[/.-](\d{1,2})[/.-]((?:19|20)\d{2})(?![\d/.-])"
    r"|(?i:ngày)\s+(\d{1,2})\s+(?i:tháng)\s+(\d{1,2})\s+(?i:năm)\s+((?:19|20)\d{2})"
    r"|(?<![\d/.-])((?:19|20)\d{2})-(\d{1,2})-(\d{1,2})(?![\d/.-])"
)
_STAMP_WORDS = re.compile(
    r"(?i:số lượt xem|lượt xem|lượt đọc|cập nhật|ngày đăng|đăng ngày|đăng lúc|xuất bản|"
    r"thứ\s+(?:hai|ba|tư|năm|sáu|bảy)|chủ nhật|lúc|ngày|gmt|giờ|am|pm)\b|\d+|[^\w\s]"
)
_CITATION = re.compile(
    r"(?i:quy định|nghị quyết|hướng dẫn|chỉ thị|kế hoạch|quyết định|kết luận|thông tư|"
    r"nghị định|luật|công văn|thông báo|\bsố\b)"
)
_STAMP_LINE_LIMIT = 120
_STAMP_EXTRA_WORDS = 4
_TOP_LINES, _BOTTOM_LINES = 8, 5

# Scanned on the lower-cased text, from the literal "năm".
_YEAR = re.compile(r"năm\s+((?:19|20)\d{2})(?!\d)")
_BARE_YEAR = re.compile(r"(?<![\d/.-])((?:19|20)\d{2})(?![\d/.-])")
_COMPARED_BEFORE = re.compile(r"(?:so với|cùng kỳ|hơn)\s*$")
# "năm 2022 và năm 2023", "năm 2022, 2023": one statement for each year.
_YEAR_RUN = re.compile(r"năm\s+(?:19|20)\d{2}(?:\s*(?:,|và)\s*(?:năm\s+)?(?:19|20)\d{2})+(?![\d/-]|\.\d)")
_RUN_YEAR = re.compile(r"(?:19|20)\d{2}")
# "(trong) năm qua", "năm vừa qua"; "những năm qua" spans several years.
_PAST_YEAR = re.compile(r"năm\s+(?:vừa\s+)?qua(?![^\W\d_])")
_SEVERAL_BEFORE = re.compile(r"(?:những|các|nhiều|mấy)\s+$")
_LAST_MONTH_OF_THE_REVIEW = 6
_RUN_REACH_AFTER = 30
_FOLLOWING_YEAR = re.compile(r"[\s\"',]*(?i:năm)\s+((?:19|20)\d{2})(?!\d)")
_RATING_CONTEXT = re.compile(r"(?i:xếp loại|đánh giá)")
_CONTEXT_SENTENCES = 3
_NOT_CARRIED_BEFORE = re.compile(r"(?:tháng\s+\d{1,2}|\btừ|\bđến|\btới|\bsau|\btrước|\bđầu|/)\s*$")


def find_published(text: str) -> str | None:
    """The publication date as YYYY-MM-DD, when a stamp line gives it in full."""
    lines = [line for line in text.split("\n") if line.strip()]
    for line in lines[:_TOP_LINES] + lines[-_BOTTOM_LINES:]:
        date = stamp_date(line)
        if date:
            return date
    return None


def stamp_date(line: str) -> str | None:
    """The date of a publication stamp line, or None when the line is not one."""
    if len(line) > _STAMP_LINE_LIMIT:
        return None
    match = _FULL_DATE.search(line)
    if match is None:
        return None
    rest = _STAMP_WORDS.sub(" ", line[: match.start()] + " " + line[match.end() :])
    if _CITATION.search(rest) or len(rest.split()) > _STAMP_EXTRA_WORDS:
        return None
    return _iso_date(match)


def _iso_date(match: re.Match) -> str | None:
    groups = match.groups()
    if groups[0]:
        day, month, year = groups[0:3]
    elif groups[3]:
        day, month, year = groups[3:6]
    else:
        year, month, day = groups[6:9]
    try:
        return datetime.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


def title_year(title: str | None) -> int | None:
    """The year a headline names: "năm 2024", else a bare "2024"."""
    if not title:
        return None
    years = _years(title.lower())
    if years:
        return years[0][1]
    match = _BARE_YEAR.search(title)
    return int(match.group(1)) if match else None


def _years(lowered: str) -> list[tuple[int, int]]:
    """(offset, year) of every "năm YYYY" of a lower-cased text."""
    return [
        (match.start(), int(match.group(1)))
        for match in _YEAR.finditer(lowered)
        if not (match.start() and lowered[match.start() - 1].isalpha())
    ]


def _past_years(lowered: str, published: str | None) -> list[tuple[int, int]]:
    """(offset, year) of every "năm qua" of a lower-cased text, when the publication date is known."""
    if not published or "qua" not in lowered:
        return []
    year, month = int(published[:4]), int(published[5:7])
    past = year - 1 if month <= _LAST_MONTH_OF_THE_REVIEW else year
    return [
        (match.start(), past)
        for match in _PAST_YEAR.finditer(lowered)
        if not (match.start() and lowered[match.start() - 1].isalpha())
        and not _SEVERAL_BEFORE.search(lowered, max(0, match.start() - 8), match.start())
    ]


def _reviewed_by(year: int, published: str | None) -> bool:
    """Whether a review of ``year`` could be out by the publication date (reviews close a year, early in the next)."""
    if not published:
        return True
    published_year, month = int(published[:4]), int(published[5:7])
    return year < published_year or (year == published_year and month > _LAST_MONTH_OF_THE_REVIEW)


class RatedYears:
    """Decides the year rated for a figure from where it stands in the text."""

    def __init__(
        self, text: str, sentences: Sentences, title: str | None, fallback: int | None, published: str | None = None
    ):
        self._text = text
        self._sentences = sentences
        self._title_year = title_year(title)
        self._fallback = fallback
        lowered = text.lower()
        marks = _years(lowered) + _past_years(lowered, published)
        self._marks = sorted(
            (start, year, bool(_COMPARED_BEFORE.search(lowered, max(0, start - 12), start))) for start, year in marks
        )
        self._positions = [mark for mark, _, _ in self._marks]
        self._runs = [
            (match.start(), match.end(), [int(year) for year in _RUN_YEAR.findall(match.group())])
            for match in _YEAR_RUN.finditer(lowered)
        ]
        in_runs = {mark for run_start, run_end, _ in self._runs for mark, _, _ in self._marks_between(run_start, run_end)}
        self._carried = [
            (start, year)
            for start, year, compared in self._marks
            if not compared
            and start not in in_runs
            and not _NOT_CARRIED_BEFORE.search(lowered, max(0, start - 12), start)
            and _reviewed_by(year, published)
        ]
        self._carried_positions = [start for start, _ in self._carried]

    def year_for(self, start: int, end: int) -> int | None:
        """The year rated by a figure stated at [start, end)."""
        index = self._sentences.index_at(start)
        return (
            self._year_before(self._sentences.start_near(start), start)
            or self._year_right_after(end)
            or self._year_in_context(index)
            or self._year_carried(self._sentences.items[index].start if self._sentences.items else start)
            or self._title_year
            or self._fallback
        )

    def years_for(self, start: int, end: int) -> list[int | None]:
        """The years rated by a figure: several when its year is one of a run ("năm 2022 và năm 2023")."""
        year = self.year_for(start, end)
        sentence_start = self._sentences.start_near(start)
        for run_start, run_end, run_years in self._runs:
            if sentence_start <= run_start and run_end <= end + _RUN_REACH_AFTER and year in run_years:
                return run_years
        return [year]

    def end_with_year(self, end: int) -> int:
        """Where a figure's quote ends when "năm 2023" directly follows it."""
        match = _FOLLOWING_YEAR.match(self._text, end)
        return match.end() if match else end

    def _year_before(self, sentence_start: int, position: int) -> int | None:
        for mark, year, compared in reversed(self._marks_between(sentence_start, position)):
            if self._reaches(sentence_start, mark, position, compared):
                return year
        return None

    def _reaches(self, sentence_start: int, mark: int, position: int, compared: bool) -> bool:
        """Whether a year stated at ``mark`` still governs ``position``.

        A year of comparison ("so với năm 2022") governs nothing; one inside
        parentheses governs only its parenthesis.
        """
        text = self._text
        if compared:
            return False
        opened = text.count("(", sentence_start, mark) > text.count(")", sentence_start, mark)
        return not opened or ")" not in text[mark:position]

    def _year_right_after(self, end: int) -> int | None:
        match = _FOLLOWING_YEAR.match(self._text, end)
        return int(match.group(1)) if match else None

    def _year_in_context(self, index: int) -> int | None:
        for sentence in reversed(self._sentences.items[max(0, index - _CONTEXT_SENTENCES) : index]):
            start = max(sentence.start, sentence.end - LOOK_BACK)
            marks = [year for _, year, compared in self._marks_between(start, sentence.end) if not compared]
            if marks and _RATING_CONTEXT.search(self._text, start, sentence.end):
                return marks[-1]
        return None

    def _year_carried(self, sentence_start: int) -> int | None:
        """The nearest year stated before the figure's sentence, when it reads as a statement of a year."""
        index = bisect.bisect_left(self._carried_positions, sentence_start)
        return self._carried[index - 1][1] if index else None

    def _marks_between(self, start: int, end: int) -> list[tuple[int, int, bool]]:
        low = bisect.bisect_left(self._positions, start)
        return self._marks[low : bisect.bisect_left(self._positions, end, low)]
