"""Counts per level: "có 4 đơn vị hoàn thành xuất sắc nhiệm vụ, 14 đơn vị …".

Articles put the count before its level ("120 tổ chức cơ sở đảng (chiếm
17,5%) được xếp loại hoàn thành xuất sắc nhiệm vụ") or after it
("hoàn thành xuất sắc nhiệm vụ có 3 người", "HTXSNV: 25 tổ chức"). Only the
few words that can stand between a count and its level are allowed there,
so that a count of visits, money or a change ("tăng 10 tổ chức") next to a
level is not read as its count, nor a count that a verb acts on ("củng cố
5 chi bộ yếu kém", "tặng Bằng khen cho 25 tổ chức …"), nor one stated as a
target ("phấn đấu có 20% …") or an average. An earlier year's count may
follow without its level ("14 đơn vị hoàn thành xuất sắc nhiệm vụ (năm 2022:
11 đơn vị)"). Pairs of one sentence with the same year and counted subject
form one tally until a level repeats; a list laid out over lines or
sentences ("- Hoàn thành tốt nhiệm vụ: 486 tổ chức.") runs on into the next
sentence when that one opens with its pair.

A count split with "trong đó" into a higher level ("21 đơn vị hoàn thành tốt
nhiệm vụ; trong đó 4 đơn vị hoàn thành xuất sắc") holds the higher one, so it
counts its level and every level above: "HTTNV+", as a floor ("… trở lên")
states it outright. The older scale's model subset may be named by its
adjective alone ("412 đạt trong sạch vững mạnh, trong đó 98 tiêu biểu").
"""
import re
from dataclasses import dataclass

from . import numbers
from .dates import RatedYears
from .levels import LAST_OLD_SCALE_YEAR, NEW_SCALE, OLD_ONLY, OLD_SCALE, LevelMention, states_a_target
from .sentences import LOOK_BACK, Sentences

_INDIVIDUAL_NOUNS = (
    r"đảng viên|người|đồng chí|cá nhân|cán bộ|cấp ủy viên|tỉnh ủy viên|huyện ủy viên|thành ủy viên|thị ủy viên"
    r"|quận ủy viên|đảng ủy viên|ủy viên|thành viên|công chức|trường hợp|đ/c"
)
_COLLECTIVE_NOUNS = (
    # "chi, đảng bộ cơ sở" is "chi bộ, đảng bộ cơ sở" with the shared word written once.
    r"chi,\s*đảng bộ|tổ chức cơ sở đảng|tổ chức cơ sở|tổ chức đảng|tccsđ|tccs đảng|đảng bộ cơ sở|đảng bộ bộ phận"
    r"|đảng bộ|cơ sở đảng|chi bộ cơ sở|chi bộ|đảng ủy|đơn vị|tập thể|ban thường vụ|cấp ủy|cơ quan"
    r"|đảng đoàn|ban cán sự đảng|ban cán sự|tổ chức"
)
# A noun may be doubled ("đồng chí Tỉnh ủy viên") and qualified ("cá nhân lãnh
# đạo", "ủy viên Ban Thường vụ").
_NOUN = (
    rf"(?P<noun>(?i:(?:{_INDIVIDUAL_NOUNS}|{_COLLECTIVE_NOUNS})(?:\s+(?:{_INDIVIDUAL_NOUNS}))?"
    # "đảng bộ xã, phường", "đảng bộ cấp xã": the commune-level committees under the province since 2025.
    r"(?:\s+(?:(?:cấp\s+)?(?:xã|phường|thị\s+trấn|đặc\s+khu)(?:\s*,\s*(?:xã|phường|thị\s+trấn|đặc\s+khu))*"
    r"|trực\s+thuộc|cấp\s+trên\s+cơ\s+sở|cơ\s+sở|bộ\s+phận|lãnh\s+đạo(?:,?\s+quản\s+lý)?|quản\s+lý"
    r"|chủ\s+chốt|chính\s+thức"
    r"|dự\s+bị|ban\s+thường\s+vụ(?:\s+(?:tỉnh|thành|huyện|thị|quận|đảng)\s+ủy)?"
    r"|ban\s+chấp\s+hành(?:\s+đảng\s+bộ(?:\s+tỉnh)?)?))?)"
    r"(?![^\W\d_]))"
).replace(" ", r"\s+")
_NOT_A_COUNTED_THING = (
    # "… xuất sắc nhiệm vụ với 96 điểm": a score under the 100-point scale, not a count.
    r"(?!\s*(?:/\s*\d+\s*)?(?i:phiếu|đại biểu|năm|tháng|ngày|tỷ|triệu|đồng(?!\s+chí)|lượt|giờ|km|điểm)\b)"
)
_NOT_VOTERS = r"(?!\s*(?i:(?:số\s+)?(?:phiếu|đại\s+biểu|ủy\s+viên|thành\s+viên|ý\s+kiến))\b)"
_COUNT = (
    rf"(?:(?P<percent_only>{numbers.PERCENT}){_NOT_VOTERS}"
    rf"|(?P<count>{numbers.COUNT})(?:\s*/\s*(?P<of>{numbers.DENOMINATOR}))?{_NOT_A_COUNTED_THING})"
)
# "chiếm 20,5%", "đạt tỷ lệ 20,5%", "tỉ lệ: 20,5%", "= 20,5%".
_PERCENT_WORD = r"(?:(?i:(?:chiếm|đạt|bằng)(?:\s+t[ỷỉ]\s+lệ)?|t[ỷỉ]\s+lệ)(?:\s*:)?|=)"
_FILLER = (
    # "đảng viên đủ tư cách, hoàn thành tốt nhiệm vụ": the member's standing set off by a comma.
    r"(?:\s|[\"']|,(?=\s*(?i:xếp|được|đạt|ở|mức))|(?<=(?i:cách)),|(?<=(?i:loại)):"
    r"|(?i:đã|được|đạt|tự|xếp\s+loại|xếp|loại|đánh\s+giá"
    r"|công\s+nhận|danh\s+hiệu|là|ở|mức|chất\s+lượng|năm\s+\d{4}|đủ\s+tư\s+cách|từ)(?![^\W\d_])"
    # "xếp loại A (hoàn thành xuất sắc nhiệm vụ)": a letter grade glossed by its level.
    r"|(?<=loại )[ABCD]\s*\("
    # "39/43 tổ chức cơ sở (TCCS) đảng đạt …": an abbreviation glossing the noun, the noun's last word after it.
    r"|\((?-i:[A-ZĐ]{2,10})\)(?:\s+(?i:đảng)(?![^\W\d_]))?)*"
)
_COUNT_BEFORE_LEVEL = re.compile(
    # "8,8% số TCCSĐ …", "34,4% tổng số đảng viên …": the share of all the units of a kind.
    rf"{_COUNT}(?:(?:\s+(?i:(?:tổng\s+)?số))?\s+{_NOUN})?"
    rf"(?P<note>\s*\([^()]{{0,100}}\))?"
    rf"(?:\s*,\s*{_PERCENT_WORD}\s*(?P<percent_between>{numbers.PERCENT})\s*,?)?"
    rf"{_FILLER}\Z"
)
_COUNT_AFTER_LEVEL = re.compile(
    r"[\s\"']*(?:(?i:năm)\s+\d{4}\s*)?"
    # "chưa hoàn thành nhiệm vụ, vi phạm tư cách có 41 trường hợp": the member's standing goes with the level.
    r"(?:,?\s*(?i:(?:vi\s+phạm|không\s+đủ|đủ)\s+tư\s+cách)\s*)?"
    # "yếu kém chỉ còn 0,9%": what remains is the count.
    r"(?P<connector>:|-|\(|(?i:có|là|gồm|với|đạt|chiếm|bằng|(?:chỉ\s+)?còn)(?![^\W\d_]))?"
    r"[\s\"']*(?:(?i:là|có|tỷ\s+lệ)\s+)?"
    rf"{_COUNT}(?:\s+{_NOUN})?"
)
# A bare count right after a level ("đảng viên hoàn thành xuất sắc nhiệm vụ
# 5.917 (15,3%)") is its count when the counted noun stands before the level
# and the count closes the clause.
_BARE_COUNT_END = re.compile(r"\s*(?:[(,;.:]|$)")
_YEAR_LIKE = re.compile(r"(?:19|20)\d\d$")
# A byline's slash may close the last share of an article: "… 0,5% /.".
_BARE_SHARE_END = re.compile(r"\s*/?\s*(?:[,;.]|$)")
_CLAUSE_NOUN_BEFORE_LEVEL = re.compile(
    rf"(?:^|[.;:]\s*|\n\s*)(?i:(?:t[ỷỉ]\s+lệ|số)\s+)?{_NOUN}\s*(?:(?i:không|chưa)\s*)?\Z"
)
# A share named as one ("(bằng 12,8% so với tổng số …)") may run on in its
# parentheses; a bare one only past a comma ("(tăng 1,5% so với …)" is a change).
_PERCENT_AFTER = re.compile(
    rf"[\s\"']*(?:\(\s*(?:(?P<share>{_PERCENT_WORD})\s*)?(?P<p1>{numbers.PERCENT})\s*"
    rf"(?:\)|[,;][^()]{{0,80}}\)|(?(share)\s[^()]{{0,80}}\)|(?!)))"
    rf"|(?:[,-]\s*{_PERCENT_WORD}|\s*=|\s+(?i:chiếm)(?:\s+t[ỷỉ]\s+lệ)?(?:\s*:)?)\s*(?P<p2>{numbers.PERCENT}))"
)
# "không có chi bộ nào …", "không có đảng bộ, chi bộ …", "không TCCSĐ nào bị xếp loại …":
# without "có", "nào" must say none.
_ANOTHER_NOUN = _NOUN.replace("(?P<noun>", "(?:")
_NONE_BEFORE_LEVEL = re.compile(
    rf"(?i:không)\s+(?:(?P<has>(?i:có))\s+)?{_NOUN}(?:\s*(?:,|(?i:và|hoặc)(?![^\W\d_]))\s*{_ANOTHER_NOUN})*"
    rf"(?:\s+(?P<which>(?i:nào)))?(?:\s+(?i:bị))?{_FILLER}\Z"
)
_PERCENT = re.compile(numbers.PERCENT)
_NOUN_BEFORE_LEVEL = re.compile(rf"{_NOUN}[\s\"]*(?:(?i:được\s+xếp\s+loại|xếp\s+loại|đạt)[\s\"]*)?\Z")
_NOUN_REACH = 50
# "còn 2 tổ chức …" is what remains, a count, not a change.
_CHANGE_BEFORE = re.compile(r"(?i:\b(?:tăng|giảm|hơn|thêm|bớt)\s*)$")
_ACTED_ON_BEFORE = re.compile(
    r"(?i:\b(?:củng\s+cố|kiện\s+toàn|khen\s+thưởng|biểu\s+dương|tuyên\s+dương|khen|kỷ\s+luật|kiểm\s+tra"
    r"|giám\s+sát|rà\s+soát|kiểm\s+điểm|hỗ\s+trợ|giúp\s+đỡ|cho|tặng|trao(?:\s+tặng)?)(?:\s+(?:đối\s+với|cho))?\s+)$"
)
_ACTED_ON_REACH = 24
_AWARD_VERB = re.compile(
    r"(?i:(?<![^\W\d_])(?:khen\s+thưởng|biểu\s+dương|tuyên\s+dương|tặng|trao\s+tặng|vinh\s+danh)(?![^\W\d_]))"
)
# Between the award and a count, only the award's object list: "đối với 6 tập thể, 30 đảng viên …, ".
_AWARDED_ITEMS = re.compile(
    # "tặng giấy khen cho 8 chi bộ và 35 đảng viên …": the award may be named before its receivers.
    r"[\s,]*(?:(?i:giấy\s+khen|bằng\s+khen|cờ(?:\s+thi\s+đua)?|kỷ\s+niệm\s+chương)\s+)?"
    r"(?:(?i:đối\s+với|cho)\s+)?"
    r"(?:\d[\d.,]*\s*%?\s+(?:(?!(?i:xếp\s+loại|đánh\s+giá|kết\s+quả))[^\d,;.:]){1,60}?(?:,|\s(?i:và))\s*)*"
)
_AWARD_REACH = 120
_NOMINATED_AFTER = re.compile(
    r"[^;.,]{0,40}?(?i:(?<![^\W\d_])được\s+đề\s+nghị)[^;.]{0,40}?(?i:khen\s+thưởng|tặng)(?![^\W\d_])"
)
_APPROXIMATE_BEFORE = re.compile(numbers.APPROXIMATE_BEFORE)
_APPROXIMATE_REACH = 12
# "không vượt quá 20% số tập thể …", "tối đa 25%": a limit a rule sets, not a result.
_LIMIT_BEFORE = re.compile(
    r"(?i:(?<![^\W\d_])(?:không\s+(?:được\s+)?(?:vượt\s+)?quá|tối\s+đa|tối\s+thiểu|ít\s+nhất|không\s+dưới|dưới)\s+)$"
)
_LIMIT_REACH = 28
# "(năm 2022: 11 đơn vị)", ", năm 2022 có 11 đơn vị": an earlier year's count
# of the level just stated, closing its clause.
_EARLIER_YEAR = re.compile(
    rf"\s*(?:\(|[,;])\s*(?i:năm)\s+(?P<year>(?:19|20)\d\d)\s*(?::|-|(?i:là|có|đạt)(?![^\W\d_]))?\s*"
    rf"(?:(?P<count>{numbers.DIGITS})\s+{_NOUN}|(?P<share>{numbers.PERCENT}))(?=\s*(?:[,;.)]|$))"
)
# "tăng từ 28 (năm 2021) lên 35 (năm 2022)": one level's figure in two years, compared.
_VALUE_IN_YEAR = (
    rf"(?:{numbers.PERCENT}|{numbers.DIGITS})(?:\s+{_NOUN.replace('(?P<noun>', '(?:')})?"
    r"\s*\(?\s*(?i:năm)\s+(?:19|20)\d\d\s*\)?"
)
_FROM_TO = re.compile(
    rf"\s*,?\s*(?i:(?:tăng|giảm)\s+)?(?i:từ)\s+(?P<first>{_VALUE_IN_YEAR})\s*(?i:lên|xuống|còn)\s+"
    rf"(?P<second>{_VALUE_IN_YEAR})"
)
_CLOSING_PARENTHESIS = re.compile(r"\s*\)")
# "(năm 2020 đạt tỷ lệ tương ứng là 79,85% và 17%)": an earlier year's shares of the levels just stated,
# in the same order.
_RESPECTIVE_WORD = r"(?i:tương\s+ứng|lần\s+lượt)"
_RESPECTIVE_YEAR = re.compile(
    rf"\s*[(,;]?\s*(?:(?i:so\s+với\s+)?(?i:năm)\s+(?P<year>(?:19|20)\d\d)\s*[,:]?\s*(?:(?i:đạt|là|có)\s+)?"
    rf"(?:(?i:t[ỷỉ]\s+lệ)\s+)?{_RESPECTIVE_WORD}"
    rf"|(?:(?i:t[ỷỉ]\s+lệ)\s+)?{_RESPECTIVE_WORD}\s+(?:(?i:của)\s+)?(?i:năm)\s+(?P<later_year>(?:19|20)\d\d))"
    rf"\s*(?:(?i:là|đạt)(?![^\W\d_]))?\s*:?\s*"
    rf"(?P<values>{numbers.PERCENT}(?:\s*(?:[,;]|(?i:và))\s*{numbers.PERCENT})+)"
)
# "… hoàn thành xuất sắc nhiệm vụ, hoàn thành tốt nhiệm vụ lần lượt là 18% và 76%": levels listed first,
# their figures after, in the same order.
_LEVEL_LIST_GAP = re.compile(r"\s*(?:[,;]|(?i:và))\s*(?:(?i:và)\s+)?")
_RESPECTIVE_VALUES = re.compile(
    rf"(?:\s+(?:(?i:của|trong)\s+)?(?:(?i:các)\s+)?(?P<years>(?i:năm)\s+(?:19|20)\d\d"
    rf"(?:\s*(?:[,;–-]|(?i:và))\s*(?:(?i:năm)\s+)?(?:19|20)\d\d)+))?"
    rf"\s*,?\s*(?:(?i:đạt|chiếm|có)\s+)?(?:(?i:t[ỷỉ]\s+lệ)\s+)?{_RESPECTIVE_WORD}\s*(?:(?i:là|đạt|chiếm)(?![^\W\d_]))?"
    rf"\s*:?\s*(?P<values>(?P<first>{numbers.PERCENT}|{numbers.DIGITS})(?:\s*(?:[,;]|(?i:và))\s*"
    rf"(?:{numbers.PERCENT}|{numbers.DIGITS}))+)"
)
_VALUE = re.compile(rf"{numbers.PERCENT}|{numbers.DIGITS}")
# "Năm 2022 và năm 2023, số … lần lượt là 31 và 36": one level, its figure for each year named first.
_YEAR_LIST = re.compile(
    r"(?i:năm)\s+(?:19|20)\d\d(?:\s*(?:[,;–-]|(?i:và))\s*(?:(?i:năm)\s+)?(?:19|20)\d\d)+(?![\d])"
)
_YEAR = re.compile(r"(?:19|20)\d\d")
_COORDINATED = re.compile(rf"{_COUNT}\s+{_NOUN}\s*(?:,|\s(?i:và))\s*\Z")
# Rank of each level, highest first: the older scale's TSVM sits above HTTNV.
_RANK = {"HTXSNV": 0, "TSVMTB": 0, "TSVM": 1, "HTTNV": 2, "HTNV": 3, "KHTNV": 4, "YK": 4}
# What opens the part of a count that a higher level holds: "; trong đó", "(trong số đó có".
_SUBSET_GAP = re.compile(
    r"[\s\"']*[,;:(]?\s*(?i:trong\s+(?:số\s+)?(?:đó|này))\s*[,:]?\s*(?:(?i:có|gồm)(?![^\W\d_])\s*:?\s*)?"
)
# "91% tổ chức và 98% đảng viên hoàn thành tốt nhiệm vụ (trong đó, có 20% tổ chức và 17% đảng viên
# hoàn thành xuất sắc nhiệm vụ)": one "trong đó" splits two coordinated subjects at once, so the other
# subject's pair may stand on either side of it.
_SHARED_SUBSET_GAP = re.compile(
    rf"(?:\s*(?i:và)\s+)?[^.;()]{{0,80}}?(?i:nhiệm\s+vụ|vững\s+mạnh)(?:\s+(?i:trở\s+lên))?{_SUBSET_GAP.pattern}"
    rf"|{_SUBSET_GAP.pattern}(?:{numbers.PERCENT}|{numbers.DIGITS})\s+[^.;()\d]{{1,40}}?\s*(?:,|\s(?i:và))\s*"
)
_MODEL_SUBSET = re.compile(
    rf"[\s\"']*[,;(]?\s*(?i:trong\s+(?:số\s+)?đó)\s*,?\s*(?:(?i:có)\s+)?(?P<count>{numbers.DIGITS})"
    rf"(?:\s+{_NOUN})?\s+(?:(?i:đạt|được\s+công\s+nhận|là)\s+)?(?P<model>(?i:tiêu\s+biểu))(?![^\W\d_])"
)
_LIST_OPENER = re.compile(r"[\s\-+•*]*(?:(?:\d{1,2}|[a-zđ])[.)]\s*)?(?i:(?:có|và|còn)\s+)?")
_LIST_CLOSER = re.compile(r"[\s.;,\"']*")
_OPENS_LIST_BEFORE = re.compile(r"(?i:(?:\bcó|\bgồm|\blà|\bvới|\bvà|trong\s+đó|[:,;]))\s*$")
_INDIVIDUAL = re.compile(rf"(?i:\b(?:{_INDIVIDUAL_NOUNS})\b)")
_GROUP_INTRO = re.compile(
    r"(?i:\b(?:xếp\s+loại|đánh\s+giá|đối\s+với|về|trong\s+tổng\s+số|tổng\s+số|trong\s+số|kết\s+quả)\b)"
)
_GROUP_NOUN = re.compile(rf"(?i:\b(?:{_INDIVIDUAL_NOUNS}|{_COLLECTIVE_NOUNS})\b)")
_GROUP_TRIM = re.compile(
    r"(?i:^(?:chất\s+lượng\s+|số\s+|năm\s+\d{4}\s*,?\s*|[\d.]+\s+)*"
    r"|(?:[\s,;:\-+•*]|\b(?:có|được|đã|đều)\b|\btrong\s+đó\b|\bnăm\s+\d{4}\b)*$)"
)
# "540 trong tổng số 557 TCCSĐ được đánh giá": the 540 actually rated are the total.
_TOTAL = re.compile(
    rf"(?P<rated>{numbers.DIGITS})\s+(?i:trong|trên)\s+(?i:tổng\s+số)\s+{numbers.DIGITS}\s+{_ANOTHER_NOUN}"
    rf"[^;.:]{{0,20}}?(?i:được|đã)\s+(?i:đánh\s+giá|xếp\s+loại)"
    rf"|(?i:tổng\s+số)(?:\s+[^\d\s,;.:]+){{0,8}}?\s*(?i:là|:|có)?\s*(?P<stated>{numbers.DIGITS})"
    rf"|(?P<listed>{numbers.DIGITS})(?:\s*/\s*{numbers.DENOMINATOR})?\s+{_NOUN}[^;.]{{0,80}}?[,;:]\s*(?i:trong\s+đó)"
    rf"|(?i:đối\s+với)\s+(?P<among>{numbers.DIGITS})\s+[^;.:]{{0,60}}:"
)
_TOTAL_AFTER = re.compile(rf"\s*,?\s*(?i:trên|trong)\s+(?i:tổng\s+số)\s+(?P<stated>{numbers.DIGITS})")
# A would-be group name that holds the deciding body's verb names the rater.
_RATER_IN_NAME = re.compile(r"(?i:\b(?:quyết\s+định|thẩm\s+định|đề\s+nghị|đề\s+xuất|công\s+nhận|tự)\b)")
_CLAUSE_AFTER_NAME = re.compile(r"(?i:,\s*(?:toàn|trong|có|qua|sau)\b)")
# Bodies of the state, rated by the government under its own rules (not 124-QĐ/TW).
_STATE_BODY = re.compile(
    r"(?i:(?<![^\W\d_])(?:ubnd|hđnd|ủy\s+ban\s+nhân\s+dân|hội\s+đồng\s+nhân\s+dân|sở,\s*ban,\s*ngành"
    r"|cơ\s+quan\s+hành\s+chính|công\s+chức,\s*viên\s+chức)(?![^\W\d_]))"
)
_PARTY_WORD = re.compile(
    r"(?i:(?<![^\W\d_])(?:đảng|chi\s+bộ|cấp\s+ủy|tccsđ|(?:tỉnh|thành|huyện|thị|quận)\s+ủy)(?![^\W\d_]))"
)
_GENERIC_NOUN = re.compile(r"(?i:đơn\s+vị|tập\s+thể|cơ\s+quan|tổ\s+chức)")
_REFERS_BACK = re.compile(r"[\s\-+•*]*(?i:trong\s+(?:số\s+)?(?:đó|này))")
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
    """Tallies of SCHEMA.md, and the level mentions they used (targets included: they rate nothing)."""
    listed, listed_targets = _respective_lists(text, sentences, mentions, years)
    used = {pair.mention for pair in listed} | listed_targets
    pairs, targets = _pairs(text, sentences, [m for m in mentions if m not in used], years)
    pairs = sorted(pairs + listed, key=lambda pair: pair.start)
    groups = _groups(text, sentences, pairs)
    tallies = [_tally(text, sentences, group) for group in groups]
    tallies += filter(None, (_respective_year(text, sentences, group, tally) for group, tally in zip(groups, tallies)))
    return tallies, {pair.mention for pair in pairs} | targets | listed_targets


def _respective_lists(text, sentences, mentions, years) -> tuple[list[Pair], set[LevelMention]]:
    """Levels listed one after another, then their figures "lần lượt là" in the same order."""
    pairs, targets = [], set()
    run: list[LevelMention] = []
    for mention in mentions:
        if run and not _LEVEL_LIST_GAP.fullmatch(text, run[-1].end, mention.start):
            run = []
        run.append(mention)
        compared = _FROM_TO.match(text, mention.end, sentences.at(mention.start).end)
        if compared:
            pairs.extend(_compared(text, sentences, mention, compared))
            run = []
            continue
        match = _RESPECTIVE_VALUES.match(text, mention.end, sentences.at(mention.start).end)
        if match is None:
            continue
        values = _VALUE.findall(match.group("values"))
        shares = "%" in match.group("first")
        if any(("%" in value) != shares for value in values):
            run = []
            continue
        if len(run) == 1:
            pairs.extend(_per_year(text, sentences, mention, match, values, shares))
            run = []
            continue
        if len(values) != len(run):
            run = []
            continue
        noun_match = _NOUN_BEFORE_LEVEL.search(text, max(0, run[0].start - _NOUN_REACH), run[0].start)
        noun = " ".join(noun_match.group("noun").split()) if noun_match else None
        found = [
            Pair(
                level,
                level.start if index else run[0].start,
                match.end() if index == len(run) - 1 else level.end,
                None if shares else numbers.parse_count(value),
                numbers.parse_percent(value) if shares else None,
                None,
                noun,
                years.year_for(level.start, level.end),
            )
            for index, (level, value) in enumerate(zip(run, values))
        ]
        if _not_a_result(text, sentences, found[0]):
            targets.update(run)
        else:
            pairs.extend(found)
        run = []
    return pairs, targets


def _compared(text, sentences, mention, match) -> list[Pair]:
    """A level's figures in the two years a "từ … lên …" compares."""
    noun_match = _NOUN_BEFORE_LEVEL.search(text, max(0, mention.start - _NOUN_REACH), mention.start)
    noun = " ".join(noun_match.group("noun").split()) if noun_match else None
    found = []
    for part in ("first", "second"):
        written = match.group(part)
        value = _VALUE.match(written).group()
        year = _YEAR.findall(written[len(value) :])[-1]
        share = "%" in value
        found.append(
            Pair(
                mention,
                match.start(part),
                match.end(part),
                None if share else numbers.parse_count(value),
                numbers.parse_percent(value) if share else None,
                None,
                noun,
                int(year),
            )
        )
    if found[0].year == found[1].year:
        return []
    return [] if _not_a_result(text, sentences, found[0]) else found


def _per_year(text, sentences, mention, match, values, shares) -> list[Pair]:
    """One level's figures "lần lượt" for the years named with it (or earlier in the sentence), in order."""
    listed = match.group("years")
    if listed is None:
        for before in _YEAR_LIST.finditer(text, sentences.start_near(mention.start), mention.start):
            listed = before.group()
    named = [int(year) for year in _YEAR.findall(listed)] if listed else []
    if len(named) != len(values) or len(set(named)) != len(named):
        return []
    noun_match = _NOUN_BEFORE_LEVEL.search(text, max(0, mention.start - _NOUN_REACH), mention.start)
    noun = " ".join(noun_match.group("noun").split()) if noun_match else None
    found = [
        Pair(
            mention,
            mention.start,
            match.end(),
            None if shares else numbers.parse_count(value),
            numbers.parse_percent(value) if shares else None,
            None,
            noun,
            year,
        )
        for year, value in zip(named, values)
    ]
    return [] if _not_a_result(text, sentences, found[0]) else found


def _respective_year(text, sentences, group, tally) -> dict | None:
    """The same tally for the other year a "tương ứng" clause gives right after it."""
    shares = sorted((pair for pair in group if pair.percent is not None), key=lambda pair: pair.start)
    end = max(pair.end for pair in group)
    match = _RESPECTIVE_YEAR.match(text, end, sentences.at(end - 1).end) if shares else None
    if match is None:
        return None
    year = int(match.group("year") or match.group("later_year"))
    values = [numbers.parse_percent(value) for value in _PERCENT.findall(match.group("values"))]
    if year == tally["year"] or len(values) != len(shares):
        return None
    keys = _keys(text, group)
    return {
        **tally,
        "year": year,
        "counts": dict.fromkeys(tally["counts"]),
        "percent": {keys[pair]: value for pair, value in zip(shares, values)},
        "total": None,
        "evidence": text[match.start() : match.end()].strip(" (,;"),
    }


def _pairs(text, sentences, mentions, years) -> tuple[list[Pair], set[LevelMention]]:
    befores, coordinated = [], []
    for index, mention in enumerate(mentions):
        sentence = sentences.at(mention.start)
        previous_end = mentions[index - 1].end if index else 0
        window_start = max(sentence.start, previous_end, mention.start - _WINDOW)
        befores.append(_count_before(text, mention, window_start, years))
        coordinated.append(_coordinated_before(text, befores[-1], window_start))
    claimed = {pair.start for pair in befores if pair}
    pairs, targets = [], set()
    for index, mention in enumerate(mentions):
        limit = sentences.at(mention.start).end
        if index + 1 < len(mentions):
            limit = min(limit, mentions[index + 1].start)
        sentence_start = sentences.start_near(mention.start)
        pair = befores[index] or _count_after(text, mention, sentence_start, limit, years, claimed)
        if pair is None or not _fits_scale(pair):
            continue
        if _not_a_result(text, sentences, pair) or _counts_state_bodies(text, sentences, pair):
            targets.add(mention)
            continue
        if coordinated[index] and not _not_a_result(text, sentences, coordinated[index]):
            pairs.append(coordinated[index])
        pairs.append(pair)
        pairs.extend(_model_subset(text, pair, limit))
        pairs.extend(_earlier_years(text, pair, sentences.at(mention.start).end, limit))
    return pairs, targets


def _not_a_result(text, sentences, pair) -> bool:
    """A target, an estimate, a rule's limit or a rough number ("gần 150 tổ chức …") rates nothing, nor
    does a count of those commended ("khen thưởng đối với 6 tập thể, 30 đảng viên hoàn thành xuất sắc
    nhiệm vụ") or put up for an award ("7 chi bộ … được đề nghị Huyện ủy khen thưởng")."""
    approximate = _APPROXIMATE_BEFORE.search(text, max(0, pair.start - _APPROXIMATE_REACH), pair.start)
    limit = _LIMIT_BEFORE.search(text, max(0, pair.start - _LIMIT_REACH), pair.start)
    sentence_start = sentences.start_near(pair.start)
    return (
        bool(approximate or limit)
        or states_a_target(text, sentence_start, pair.start)
        or _commended(text, sentence_start, pair.start)
        or bool(_NOMINATED_AFTER.match(text, pair.mention.end))
    )


def _commended(text, sentence_start, position) -> bool:
    """Whether an award verb governs the clause that runs on to ``position``, no rating verb since."""
    award = None
    for award in _AWARD_VERB.finditer(text, max(sentence_start, position - _AWARD_REACH), position):
        pass
    return award is not None and bool(_AWARDED_ITEMS.fullmatch(text, award.end(), position))


def _counts_state_bodies(text, sentences, pair) -> bool:
    """ "UBND thành phố công nhận … đối với UBND các quận … 4 đơn vị hoàn thành xuất sắc nhiệm vụ":
    the government rates its own bodies with the same words; that is no Party rating.

    The sentence up to the count tells whom it counts, and the one before it too when the count
    names no one in particular ("đơn vị", "tập thể") or opens with "Trong đó".
    """
    index = sentences.index_at(pair.start)
    start = sentences.items[index].start
    generic = pair.noun is None or _GENERIC_NOUN.fullmatch(pair.noun)
    if index and (generic or _REFERS_BACK.match(text, start)):
        start = sentences.items[index - 1].start
    context = text[max(start, pair.start - 2 * LOOK_BACK) : pair.start]
    if pair.noun and not generic:
        context += " " + pair.noun
    return bool(_STATE_BODY.search(context)) and not _PARTY_WORD.search(context)


def _earlier_years(text, pair, sentence_end, limit) -> list[Pair]:
    """Counts of earlier years written after a pair without repeating its level."""
    found = []
    position = pair.end
    while (match := _EARLIER_YEAR.match(text, position, sentence_end)) and match.end() <= limit:
        year = int(match.group("year"))
        noun = " ".join(match.group("noun").split()) if match.group("noun") else pair.noun
        same_subject = pair.noun is None or noun is None or _is_individual(pair.noun) == _is_individual(noun)
        if pair.year is None or year >= pair.year or not same_subject:
            break
        if match.group("share"):
            if pair.percent is None:
                break
            share = numbers.parse_percent(match.group("share"))
            found.append(Pair(pair.mention, match.start(), match.end(), None, share, None, pair.noun, year))
        else:
            count = numbers.parse_count(match.group("count"))
            found.append(Pair(pair.mention, match.start(), match.end(), count, None, None, noun, year))
        closing = _CLOSING_PARENTHESIS.match(text, match.end(), limit)
        position = closing.end() if closing else match.end()
    return found


def _coordinated_before(text, pair, window_start) -> Pair | None:
    """ "97% tổ chức đảng và 95,5% đảng viên hoàn thành tốt nhiệm vụ trở lên": one level for two
    subjects, each with its own figure; two counts of one subject are left alone."""
    if pair is None or pair.noun is None:
        return None
    match = _COORDINATED.search(text, window_start, pair.start)
    if match is None or (match.group("count") and pair.count is None):
        return None  # a count beside a bare share names two different things
    noun = " ".join(match.group("noun").split())
    if _is_individual(noun) == _is_individual(pair.noun) or _acted_on(text, match.start()):
        return None
    count = numbers.parse_count(match.group("count")) if match.group("count") else None
    percent = numbers.parse_percent(match.group("percent_only")) if match.group("percent_only") else None
    return Pair(pair.mention, match.start(), match.end(), count, percent, None, noun, pair.year)


def _model_subset(text, pair, limit) -> list[Pair]:
    """ "412 đạt trong sạch vững mạnh, trong đó 98 tiêu biểu": the model subset named by its adjective."""
    if pair.mention.level != "TSVM" or pair.mention.or_above:
        return []
    match = _MODEL_SUBSET.match(text, pair.end, limit)
    if match is None:
        return []
    mention = LevelMention(match.start("model"), match.end("model"), "TSVMTB")
    noun = " ".join(match.group("noun").split()) if match.group("noun") else pair.noun
    count = numbers.parse_count(match.group("count"))
    return [Pair(mention, match.start("count"), match.end(), count, None, None, noun, pair.year)]


def _count_before(text, mention, window_start, years) -> Pair | None:
    match = _COUNT_BEFORE_LEVEL.search(text, window_start, mention.start)
    if match is None:
        return _none_before(text, mention, window_start, years)
    if _CHANGE_BEFORE.search(text, max(0, match.start() - 8), match.start()) or _acted_on(text, match.start()):
        return None
    if not match.group("noun") and (not _opens_list(text, match.start()) or _is_year(match.group("count"))):
        return None  # "năm 2016, 2018, 2020 hoàn thành xuất sắc nhiệm vụ" lists years, not a count
    percent = match.group("percent_only") or match.group("percent_between") or _percent_in(match.group("note"))
    end = mention.end + 1 if text.startswith(('"', "'"), mention.end) else mention.end
    after = _PERCENT_AFTER.match(text, mention.end)
    if after:
        percent = percent or after.group("p1") or after.group("p2")
        end = after.end()
    return _pair(match, mention, match.start(), end, percent, years)


def _none_before(text, mention, window_start, years) -> Pair | None:
    """ "không có tổ chức nào không hoàn thành nhiệm vụ" states a count of zero."""
    match = _NONE_BEFORE_LEVEL.search(text, window_start, mention.start)
    if match is None or not (match.group("has") or match.group("which")):
        return None
    noun = " ".join(match.group("noun").split())
    year = years.year_for(mention.start, mention.end)
    return Pair(mention, match.start(), mention.end, 0, None, None, noun, year)


def _acted_on(text: str, position: int) -> bool:
    return bool(_ACTED_ON_BEFORE.search(text, max(0, position - _ACTED_ON_REACH), position))


def _count_after(text, mention, sentence_start, limit, years, claimed) -> Pair | None:
    match = _COUNT_AFTER_LEVEL.match(text, mention.end, limit)
    if match is None or match.start("count") in claimed:
        return None
    has_connector = bool(match.group("connector"))
    if match.group("percent_only") and not has_connector and not _bare_share(text, mention, match, limit):
        return None
    if match.group("count") and not match.group("noun") and not (
        match.group("count")[0].isdigit()
        and (has_connector or _bare_count(text, mention, match, sentence_start, limit))
    ):
        return None
    percent = match.group("percent_only")
    end = match.end()
    after = _PERCENT_AFTER.match(text, end, limit)
    if after:
        percent = percent or after.group("p1") or after.group("p2")
        end = after.end()
    return _pair(match, mention, mention.start, end, percent, years)


def _bare_share(text, mention, match, limit) -> bool:
    """ "Đảng viên hoàn thành nhiệm vụ 12,7%.": a share closing its clause right after a level, the counted
    noun opening the clause before it."""
    closes_clause = _BARE_SHARE_END.match(text, match.end(), limit) or match.end() == limit
    return bool(closes_clause) and bool(_CLAUSE_NOUN_BEFORE_LEVEL.search(text, max(0, mention.start - _NOUN_REACH), mention.start))


def _bare_count(text, mention, match, sentence_start, limit) -> bool:
    """A count closing its clause right after a level, the counted noun named before it; a ratio
    ("hoàn thành nhiệm vụ 10/49, chiếm 20,4%") counts units of a list whose noun the sentence gave."""
    closes_clause = _BARE_COUNT_END.match(text, match.end(), limit) or match.end() == limit
    if not closes_clause or _YEAR_LIKE.match(match.group("count")):
        return False
    if match.group("of") and _GROUP_NOUN.search(text, sentence_start, mention.start):
        return numbers.parse_count(match.group("count")) <= numbers.parse_count(match.group("of"))
    return bool(_NOUN_BEFORE_LEVEL.search(text, max(0, mention.start - _NOUN_REACH), mention.start))


def _pair(match, mention, start, end, percent, years) -> Pair | None:
    count = numbers.parse_count(match.group("count")) if match.group("count") else None
    if count is None and percent is None:
        return None
    of = numbers.parse_count(match.group("of")) if match.group("of") else None
    noun_match = match if match.group("noun") else _NOUN_BEFORE_LEVEL.search(
        match.string, max(0, mention.start - _NOUN_REACH), mention.start
    )
    noun = " ".join(noun_match.group("noun").split()) if noun_match else None
    year = years.year_for(mention.start, mention.end)
    return Pair(mention, start, end, count, percent and numbers.parse_percent(percent), of, noun, year)


def _is_year(count: str | None) -> bool:
    return bool(count and _YEAR_LIKE.match(count))


def _opens_list(text: str, position: int) -> bool:
    return bool(_OPENS_LIST_BEFORE.search(text, max(0, position - 12), position))


def _percent_in(note: str | None) -> str | None:
    match = _PERCENT.search(note) if note else None
    if match is None or _APPROXIMATE_BEFORE.search(note, 0, match.start()):
        return None
    return match.group(0)


def _fits_scale(pair: Pair) -> bool:
    if pair.mention.level not in OLD_ONLY:
        return True
    return pair.year is not None and pair.year <= LAST_OLD_SCALE_YEAR


def _groups(text: str, sentences: Sentences, pairs: list[Pair]) -> list[list[Pair]]:
    """Pairs gathered into tallies: the newest open group of the sentence that takes a pair gets it."""
    groups: list[list[Pair]] = []
    for pair in pairs:
        sentence = sentences.index_at(pair.start)
        home = None
        for group in reversed(groups):
            if sentences.index_at(group[-1].start) != sentence:
                if group is groups[-1] and _runs_on(text, sentences, group, pair):
                    home = group
                break
            if _accepts(group, pair):
                home = group
                break
        if home is None:
            groups.append([pair])
        else:
            home.append(pair)
    return groups


def _accepts(group: list[Pair], pair: Pair) -> bool:
    last = group[-1]
    return (
        pair.year == last.year
        and pair.mention.key not in {member.mention.key for member in group}
        and (pair.noun is None or last.noun is None or _is_individual(pair.noun) == _is_individual(last.noun))
    )


def _runs_on(text: str, sentences: Sentences, group: list[Pair], pair: Pair) -> bool:
    """Whether ``pair`` opens the sentence right after the one ``group`` closes, as the next item of a list."""
    last = group[-1]
    index = sentences.index_at(last.start)
    if sentences.index_at(pair.start) != index + 1 or not _accepts(group, pair):
        return False
    closed = sentences.items[index]
    opened = sentences.items[index + 1]
    closes = _LIST_CLOSER.match(text, last.end, closed.end).end() == closed.end
    opens = _LIST_OPENER.match(text, opened.start, pair.start).end() == pair.start
    return closes and opens


def _tally(text: str, sentences: Sentences, group: list[Pair]) -> dict:
    first_start = min(pair.start for pair in group)
    sentence_start = sentences.start_near(first_start)
    name_match = _group_name(text, _heading_start(text, sentences, sentence_start, first_start), first_start)
    name = name_match[0] if name_match else None
    nouns = [pair.noun for pair in group if pair.noun]
    who = nouns + ([name] if name else []) + _nouns_before(text, sentence_start, first_start)
    scale = OLD_SCALE if any(pair.mention.level in OLD_ONLY for pair in group) else NEW_SCALE
    keys = _keys(text, group)
    counts = dict.fromkeys(scale)
    counts.update({keys[pair]: pair.count for pair in group})
    evidence_start = name_match[1] if name_match else first_start
    return {
        "group": name or (nouns[0] if nouns else None),
        "subject": "individual" if who and _is_individual(who[0]) else "collective",
        "year": group[0].year,
        "counts": counts,
        "percent": {keys[pair]: pair.percent for pair in group if pair.percent is not None},
        "total": _total(text, sentence_start, first_start, group, keys),
        "evidence": text[evidence_start : max(pair.end for pair in group)],
    }


def _keys(text: str, group: list[Pair]) -> dict[Pair, str]:
    """Each pair's key: its level, or "LEVEL+" when it is a floor or a "trong đó" names a higher level inside it."""
    keys = {pair: pair.mention.key for pair in group}
    span = text[min(pair.start for pair in group) : max(pair.end for pair in group)]
    if len(group) == 1 or "trong" not in span.lower():
        return keys
    ordered = sorted(group, key=lambda pair: pair.start)
    for pair, following in zip(ordered, ordered[1:]):
        split = (
            not pair.mention.or_above
            and following.year == pair.year
            and _RANK[following.mention.level] < _RANK[pair.mention.level]
            and following.start > pair.end
            and (
                _SUBSET_GAP.fullmatch(text, pair.end, following.start)
                or _SHARED_SUBSET_GAP.fullmatch(text, pair.end, following.start)
            )
        )
        if split:
            keys[pair] = f"{pair.mention.level}+"
    return keys


def _within_floor(pair: Pair, floors: list[Pair]) -> bool:
    """Whether a pair of the group keyed "LEVEL+" (one of ``floors``) already counts this pair's units."""
    return any(other is not pair and _RANK[pair.mention.level] < _RANK[other.mention.level] for other in floors)


def _heading_start(text: str, sentences: Sentences, sentence_start: int, first_start: int) -> int:
    """Where the naming of a group may start: its sentence, or the heading ending in ":" of a list item."""
    index = sentences.index_at(first_start)
    if index and _LIST_OPENER.match(text, sentence_start, first_start).end() == first_start:
        heading = sentences.items[index - 1]
        if text[heading.end - 1] == ":":
            return heading.start
    return sentence_start


def _nouns_before(text: str, start: int, end: int) -> list[str]:
    """The last counted noun before a group, for a subject its pairs leave open ("98% đảng viên …, trong đó 14%")."""
    last = None
    for last in _GROUP_NOUN.finditer(text, start, end):
        pass
    return [last.group()] if last else []


def _is_individual(phrase: str) -> bool:
    return bool(_INDIVIDUAL.search(phrase))


def _group_name(text: str, start: int, end: int) -> tuple[str, int] | None:
    """How the text names the counted group, and where that naming starts."""
    intros = list(_GROUP_INTRO.finditer(text, start, end))
    for index in range(len(intros) - 1, -1, -1):
        stop = intros[index + 1].start() if index + 1 < len(intros) else end
        candidate = _GROUP_TRIM.sub("", text[intros[index].end() : stop].strip(" ,;:"))
        first_clause = candidate.split(",", 1)[0]
        if "," in candidate and _GROUP_NOUN.search(first_clause) and _CLAUSE_AFTER_NAME.search(candidate):
            candidate = first_clause
        if (
            candidate
            and len(candidate) <= _GROUP_LIMIT
            and _GROUP_NOUN.search(candidate)
            and not _RATER_IN_NAME.search(candidate)
        ):
            return candidate, intros[index].start()
    return None


def _total(text: str, start: int, end: int, group: list[Pair], keys: dict[Pair, str]) -> int | None:
    stated = None
    for match in _TOTAL.finditer(text, start, end):
        stated = numbers.parse_count(next(filter(None, match.group("rated", "stated", "listed", "among"))))
    after = _TOTAL_AFTER.match(text, max(pair.end for pair in group))
    if after:
        stated = numbers.parse_count(after.group("stated"))
    denominators = {pair.of for pair in group if pair.of}
    if stated is None and len(denominators) == 1:
        stated = denominators.pop()
    floors = [pair for pair, key in keys.items() if key.endswith("+")]
    counted = sum(pair.count for pair in group if pair.count and not (floors and _within_floor(pair, floors)))
    return stated if stated is not None and stated >= counted else None
