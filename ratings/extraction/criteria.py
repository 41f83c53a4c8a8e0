"""Per-content grades of a provincial self-assessment (since the 2023 review).

"tự đánh giá cấp độ hoàn thành xuất sắc (có 04 cấp độ: xuất sắc, tốt, trung
bình, kém) đối với các nội dung: A; B; C …" grades every listed content. The
parenthesis names the scale, not four grades. A list runs on across
paragraphs that end in ";" or ":" and through bulleted lines, and stops at a
full stop or at the next grade statement.
"""
import re
from dataclasses import dataclass

from .dates import RatedYears
from .sentences import LOOK_BACK, Sentences
from .units import find_units

_GRADES = {"xuất sắc": "xuat_sac", "tốt": "tot", "trung bình": "trung_binh", "kém": "kem"}
# Scanned on the lower-cased text. A bare "mức tốt" is a grade only right
# after the self-assessment ("tự đánh giá đạt mức xuất sắc"): elsewhere it is prose.
_GRADE = re.compile(
    r"(?:cấp\s+độ\s+(?:hoàn\s+thành\s+)?|mức(?:\s+độ)?\s+hoàn\s+thành\s+"
    r"|tự\s+đánh\s+giá\s+(?:(?:ở|đạt)\s+)+mức\s+)"
    r"(?P<grade>xuất\s+sắc|tốt|trung\s+bình|kém)(?![^\W\d_])(?!\s+nhiệm\s+vụ)"
    r"(?:\s*\([^()]*\))*"
    r"(?P<intro>\s*(?:(?:(?:đối\s+với|về|ở|cho)\s+)?(?:(?:các|những)\s+)?"
    r"(?:nội\s+dung|tiêu\s+chí|mặt\s+công\s+tác)(?:\s+sau(?:\s+đây)?)?)?\s*:?\s*)"
)
_VERB_BEFORE = re.compile(r"(?:tự\s+)?(?:đánh\s+giá|xếp\s+loại|xếp)\s+(?:(?:ở|đạt)\s+)?$")
_VERB_REACH = 30
_BULLET = re.compile(r"\s*(?:[-+•*]|[a-zđ]\)|\d{1,2}[.)])\s+")
_ITEM_BREAK = re.compile(r";|\n")
_ITEM_TRIM = " \t,.;:-+•*"
_LEADING_AND = re.compile(r"(?i:^và\s+)")
_CONTENT_BEFORE = re.compile(r"(?i:\b(?:đối\s+với|về)\s+)")
_VERBS_BEFORE_GRADE = re.compile(r"(?i:[\s,:]*(?:được|tự|đạt|ở|đánh\s+giá|xếp\s+loại)*[\s,:]*)$")
# HD 25-HD/BTCTW lists standout models and new methods as one content, written
# with its own ";" ("có mô hình nổi bật; phương pháp, cách làm …").
_JOINED_CONTENTS = ((re.compile(r"(?i:mô\s+hình)"), re.compile(r"(?i:^(?:phương\s+pháp|cách\s+làm))")),)


@dataclass(frozen=True, slots=True)
class _Statement:
    """A grade statement at [start, end); the graded contents follow it."""

    start: int
    end: int
    grade: str
    opens_list: bool


def find_criteria(text, sentences: Sentences, years: RatedYears, province: str | None) -> list[dict]:
    """Criteria grades of SCHEMA.md, one per graded content."""
    statements = _statements(text.lower())
    criteria = []
    for position, statement in enumerate(statements):
        limit = statements[position + 1].start if position + 1 < len(statements) else len(text)
        criteria.extend(_graded_contents(text, sentences, statement, limit, years, province))
    return criteria


def _statements(lowered: str) -> list[_Statement]:
    statements = []
    for match in _GRADE.finditer(lowered):
        verb = _VERB_BEFORE.search(lowered, max(0, match.start() - _VERB_REACH), match.start())
        grade = _GRADES[" ".join(match.group("grade").split())]
        opens_list = bool(match.group("intro").strip())
        statements.append(_Statement(verb.start() if verb else match.start(), match.end(), grade, opens_list))
    return statements


def _graded_contents(text, sentences, statement, limit, years, province) -> list[dict]:
    end = _list_end(text, sentences, statement.end, limit)
    items = _items(text[statement.end : end])
    is_list = statement.opens_list or len(items) > 1
    sentence_start = sentences.start_near(statement.start)
    if not items:
        content = _content_before(text, sentence_start, statement.start)
        items = [content] if content else []
    if is_list:
        evidence = text[statement.start : statement.end].rstrip(" :")
    else:
        evidence = text[sentence_start:end].rstrip(" .;")
    year = years.year_for(statement.start, statement.end)
    unit = _unit(text, sentences, statement.start, province, year)
    return [
        {"year": year, "unit": unit, "content": item, "grade": statement.grade, "evidence": evidence}
        for item in items
    ]


def _list_end(text, sentences, start, limit) -> int:
    index = sentences.index_at(start)
    end = sentences.items[index].end
    while index + 1 < len(sentences.items) and end < limit:
        following = sentences.items[index + 1]
        continues = text[end - 1] in ";:,"
        if not (continues or _BULLET.match(text, following.start)) or not sentences.items[index].last_in_paragraph:
            break
        index += 1
        end = following.end
    return min(end, limit)


def _items(region: str) -> list[str]:
    items = []
    for piece in _ITEM_BREAK.split(region):
        piece = _BULLET.sub("", piece, count=1) if _BULLET.match(piece) else piece
        piece = _LEADING_AND.sub("", piece.strip(_ITEM_TRIM)).strip(_ITEM_TRIM)
        if not piece:
            continue
        if items and _joined(items[-1], piece):
            items[-1] = f"{items[-1]}; {piece}"
        else:
            items.append(piece)
    return items


def _joined(previous: str, piece: str) -> bool:
    return any(first.search(previous) and second.search(piece) for first, second in _JOINED_CONTENTS)


def _content_before(text, sentence_start, statement_start) -> str | None:
    """The content named before its grade: "Về công tác X, Tỉnh ủy tự đánh giá ở cấp độ tốt"."""
    starts = list(_CONTENT_BEFORE.finditer(text, sentence_start, statement_start))
    begin = starts[-1].end() if starts else sentence_start
    end = statement_start
    last_comma = text.rfind(",", begin, statement_start)
    if last_comma >= 0 and find_units(text, last_comma, statement_start, province=None, year=None):
        end = last_comma
    content = _VERBS_BEFORE_GRADE.sub("", text[begin:end]).strip(_ITEM_TRIM)
    return content or None


def _unit(text, sentences, position, province, year) -> str | None:
    """The unit graded: named in the statement's sentence or the one before, else the province's."""
    previous = sentences.items[max(0, sentences.index_at(position) - 1)]
    units = find_units(text, max(previous.start, position - LOOK_BACK), position, province=province, year=year)
    named = [unit for unit in units if unit.kind != "person" and not unit.plural]
    if named:
        return named[-1].name
    return f"Đảng bộ tỉnh {province}" if province else None
