"""Synthetic national data: a tree of units and several years of ratings.

It lets the pages, reports and benchmarks run at the size of the real country
without real figures. Every code starts with DEMO-, so demo data can be told
from real data, replaced by a new run, and removed.
"""
import bisect
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from itertools import islice
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import F, Value
from django.db.models.functions import Length, Replace
from django.utils.text import slugify
from django.utils.translation import gettext as _

from . import rules
from .extraction import PROVINCES
from .models import (
    counted_after_bulk_load,
    CriterionGrade,
    DataVersion,
    Decision,
    QuarterRating,
    Rating,
    Regime,
    Source,
    Stage,
    Tally,
    Unit,
    UnitKind,
    Vote,
)

PREFIX = "DEMO-"
BATCH_SIZE = 2000
MIN_UNITS = 600

# Published results put most organizations at HTTNV; best level first.
LEVEL_MIX = (0.12, 0.72, 0.14, 0.02)
NEW_CODES = ("HTXSNV", "HTTNV", "HTNV", "KHTNV")
OLD_CODES = ("TSVM", "HTTNV", "HTNV", "YK")
EXEMPLARY, EXEMPLARY_SHARE = "TSVMTB", 0.12
# Share of each year's units that move one level: 2 × STEP_RATE × (sum of the smaller neighbours' shares), about 8%.
STEP_RATE = 0.15
SELF_SHARE, SELF_HIGHER = 0.30, 0.40

SUBORDINATE_SHARE, GRASSROOTS_SHARE, WITH_CELLS_SHARE = 0.035, 0.38, 0.15
MERGE_SHARE, FOUNDED_SHARE, DISSOLVED_SHARE = 0.05, 0.02, 0.01

SYLLABLES = (
    "An Bình Phú Hòa Tân Long Thạnh Mỹ Hưng Phước Đông Tây Nam Bắc Sơn Thủy Trung Lộc Xuân Hải Quang "
    "Thịnh Vĩnh Hiệp Đức Kim Ngọc Thanh Lâm Hà Yên Cẩm Gia Khánh Minh Phong Thuận Tiến Thành Lợi Nghĩa "
    "Định Điền Hợp Lạc Châu Cát Tường Hội Lương Mai Vân Trà Tịnh Phụng Hoàng Đại Thái Tam Quý Hạnh Khê"
).split()
DELEGATION_BODIES = (
    "Hội đồng nhân dân", "Ủy ban Mặt trận Tổ quốc Việt Nam", "Liên đoàn Lao động", "Hội Nông dân",
    "Hội Cựu chiến binh", "Hội Liên hiệp Phụ nữ", "Liên hiệp các Hội Khoa học và Kỹ thuật", "Hội Chữ thập đỏ",
)
CADRE_BODIES = (
    "Ủy ban nhân dân", "Tòa án nhân dân", "Viện Kiểm sát nhân dân", "Sở Tư pháp",
    "Sở Tài chính", "Sở Y tế", "Sở Giáo dục và Đào tạo", "Sở Nội vụ",
)
BLOCS = ("Khối các cơ quan", "Khối doanh nghiệp")
DEPARTMENTS = (
    "Tài chính", "Xây dựng", "Nội vụ", "Y tế", "Công Thương", "Nông nghiệp và Môi trường",
    "Khoa học và Công nghệ", "Văn hóa, Thể thao và Du lịch", "Giáo dục và Đào tạo", "Tư pháp",
)
GRASSROOTS_NAMES = {
    # By the family of the committee above: chi bộ cơ sở (no cells), then đảng bộ cơ sở with how their cells are called.
    "xã": (
        ("Chi bộ thôn {p}", "Chi bộ ấp {p}", "Chi bộ Trường Tiểu học {p}", "Chi bộ Trạm Y tế xã {c}"),
        (("Đảng bộ Quân sự xã {c}", "Chi bộ Trung đội {n}"), ("Đảng bộ Công an xã {c}", "Chi bộ Đội {n}"),
         ("Đảng bộ Trường THCS {p}", "Chi bộ Tổ chuyên môn {n}"), ("Đảng bộ thôn {p}", "Chi bộ xóm {p}")),
    ),
    "phường": (
        ("Chi bộ khu phố {p}", "Chi bộ tổ dân phố {p}", "Chi bộ Trường Mầm non {p}"),
        (("Đảng bộ Công an phường {c}", "Chi bộ Đội {n}"), ("Đảng bộ Trường THPT {p}", "Chi bộ Tổ chuyên môn {n}"),
         ("Đảng bộ Bệnh viện {p}", "Chi bộ Khoa {n}"), ("Đảng bộ khu phố {p}", "Chi bộ tổ dân phố {n}")),
    ),
    "khối": (
        ("Chi bộ Văn phòng Sở {d}", "Chi bộ Ban Quản lý dự án {p}", "Chi bộ Công ty TNHH {p}"),
        (("Đảng bộ Sở {d}", "Chi bộ Phòng {n}"), ("Đảng bộ Công ty Cổ phần {p}", "Chi bộ Phân xưởng {n}"),
         ("Đảng bộ Trường Cao đẳng {p}", "Chi bộ Khoa {n}")),
    ),
}


class DemoDataError(Exception):
    """Why the demo data cannot be built; the message is meant for the person who ran the command."""


@dataclass(eq=False, slots=True)
class Node:
    """A planned unit; slots keep tens of thousands of them small before they become rows."""

    index: int
    code: str
    name: str
    kind: str
    parent: "Node | None"
    province: "Node | None"
    path: str
    family: str = ""  # "xã", "phường" or "khối": what the committee above is, for naming what lies below
    label: str = ""  # what the children's names use: a committee's place, a đảng bộ cơ sở's name for its cells
    place: str = ""
    valid_from: int | None = None
    valid_to: int | None = None
    successor: "Node | None" = None
    pk: int | None = None

    def existed_in(self, year):
        return (self.valid_from is None or self.valid_from <= year) and (self.valid_to is None or year <= self.valid_to)


@dataclass
class Tree:
    """Planned units by depth, shallowest first, so each level is written after its parents."""

    levels: list = field(default_factory=lambda: [[], [], [], []])
    nodes: list = field(default_factory=list)

    def add(self, *, code, name, kind, parent=None, family="", label="", place=""):
        path = Unit.path_for(parent.path if parent else None, code)
        province = parent.province if parent else None
        node = Node(len(self.nodes), code, name, kind, parent, province, path, family, label, place)
        if parent is None:
            node.province = node
        self.nodes.append(node)
        self.levels[path.count("/") - 2].append(node)
        return node


@dataclass
class Summary:
    """What was built, for the command to print without querying again."""

    units_by_kind: Counter
    ratings_by_year: dict
    levels_by_year: dict


# The guard against real data


def real_data_found():
    """Counts of what is not demo data, by what it is; empty when the database holds only demo data."""
    found = {
        _("nguồn (Source)"): Source.objects.count(),
        _("đơn vị có mã không bắt đầu bằng «%(prefix)s»") % {"prefix": PREFIX}: Unit.objects.exclude(
            code__startswith=PREFIX
        ).count(),
        _("kết quả xếp loại của các đơn vị đó"): Rating.objects.exclude(unit__code__startswith=PREFIX).count(),
    }
    return {what: count for what, count in found.items() if count}


def refuse_real_data():
    found = real_data_found()
    if found:
        listed = "; ".join(f"{count} {what}" for what, count in found.items())
        raise DemoDataError(
            _(
                "Cơ sở dữ liệu đã có dữ liệu thật: %(found)s. Dữ liệu mẫu nên được tạo trên một cơ sở dữ liệu "
                "riêng (đặt DATABASE_URL hoặc RATINGS_VAR_DIR khác). Nếu vẫn muốn tạo bên cạnh dữ liệu này, chạy "
                "lại với --force: dữ liệu thật được giữ nguyên, chỉ dữ liệu mẫu cũ (mã «%(prefix)s») bị thay thế."
            )
            % {"found": listed, "prefix": PREFIX}
        )


# Building


@transaction.atomic
def build_demo_data(*, units, years, seed, last_year=2025, force=False, batch_size=BATCH_SIZE):
    """Replace any earlier demo data with a new tree of about `units` units rated for `years` years."""
    if units < MIN_UNITS:
        raise DemoDataError(_("Cần ít nhất %(min)s đơn vị cho 34 tỉnh, thành phố.") % {"min": MIN_UNITS})
    if years < 1:
        raise DemoDataError(_("Số năm phải từ 1 trở lên."))
    if not force:
        refuse_real_data()
    if not Regime.objects.exists():
        call_command("loaddata", Path(settings.BASE_DIR) / "fixtures" / "scales.json", verbosity=0)
    review_years = list(range(last_year - years + 1, last_year + 1))
    scales = {year: Scale.for_year(year) for year in review_years}
    with DataVersion.raised_once(), counted_after_bulk_load():
        remove_demo_data()
        rng = random.Random(seed)
        tree = plan_tree(rng=rng, units=units, years=review_years)
        write_units(tree=tree, batch_size=batch_size)
        ratings_by_year, levels_by_year = write_ratings(rng=rng, tree=tree, scales=scales, batch_size=batch_size)
    return Summary(Counter(node.kind for node in tree.nodes), ratings_by_year, levels_by_year)


@transaction.atomic
def remove_demo_data():
    """Delete every DEMO- unit and what points at it, in an order the protecting foreign keys allow."""
    demo_units = Unit.objects.filter(code__startswith=PREFIX)
    for model in (Rating, QuarterRating, Vote, CriterionGrade):
        model.objects.filter(unit__in=demo_units).delete()
    Tally.objects.filter(parent__in=demo_units).delete()
    Decision.objects.filter(issuer__in=demo_units, ratings=None).delete()
    Unit.objects.filter(successor__in=demo_units).update(successor=None)
    slashes = Length("path") - Length(Replace("path", Value("/"), Value("")))
    depths = sorted(set(demo_units.annotate(slashes=slashes).values_list("slashes", flat=True)), reverse=True)
    for value in depths:
        demo_units.annotate(slashes=slashes).filter(slashes=value).delete()


# The tree


def plan_tree(*, rng, units, years):
    """The whole tree in memory: provinces sized by uneven weights, then merges, then the grassroots below."""
    provinces = sorted((p for p in PROVINCES.values() if p.after_merger), key=lambda p: p.name)
    handfuls = [rng.randint(3, 8) for _ in provinces]
    weights = [min(max(rng.lognormvariate(0, 0.45), 0.4), 2.4) for _ in provinces]
    # Every province first gets its own unit, standing committee and handful, at least 3 committees and
    # 2 grassroots organizations; the rest is shared out by weight.
    floors = [2 + handful + 3 + 2 for handful in handfuls]
    sizes = [floor + extra for floor, extra in zip(floors, split(units - sum(floors), weights))]
    tree = Tree()
    planned = []
    for province, handful, size in zip(provinces, handfuls, sizes):
        rest = size - 2 - handful
        subordinates = max(3, round(rest * SUBORDINATE_SHARE))
        grassroots = max(2, round(rest * GRASSROOTS_SHARE))
        top = plan_province(tree, rng, province, handful=handful, subordinates=subordinates)
        planned.append((top, grassroots, rest - subordinates - grassroots))
    plan_merges(rng, [top for top, _, _ in planned], last_year=years[-1])
    for top, grassroots, cells in planned:
        plan_grassroots(tree, rng, top, grassroots=grassroots, cells=cells, years=years)
    return tree


def split(total, weights):
    """Whole shares of `total` in proportion to `weights`, adding up exactly (largest remainders first)."""
    whole = sum(weights)
    raw = [total * weight / whole for weight in weights]
    shares = [int(share) for share in raw]
    by_remainder = sorted(range(len(raw)), key=lambda i: (shares[i] - raw[i], i))
    for i in by_remainder[: total - sum(shares)]:
        shares[i] += 1
    return shares


def place_name(rng, used):
    """An invented two-syllable place name, not one of `used` where the names must differ."""
    for _attempt in range(50):
        first, second = rng.sample(SYLLABLES, 2)
        name = f"{first} {second}"
        if name not in used:
            used.add(name)
            return name
    return f"{first} {second} {len(used)}"


def plan_province(tree, rng, province, *, handful, subordinates):
    """The provincial unit, its standing committee, đảng đoàn and ban cán sự, and its subordinate committees."""
    place = province.name
    area = "thành phố" if province.city else "tỉnh"
    code = PREFIX + slugify(place.replace("Đ", "D").replace("đ", "d")).upper()
    unit = tree.add(code=code, name=f"Đảng bộ {area} {place}", kind=UnitKind.PROVINCE, place=place)
    committee = "Thành ủy" if province.city else "Tỉnh ủy"
    tree.add(code=f"{code}-BTV", name=f"Ban Thường vụ {committee} {place}", kind=UnitKind.STANDING_COMMITTEE, parent=unit)
    delegations = rng.randint(1, handful - 1)
    for suffix, title, kind, bodies, count in (
        ("DD", "Đảng đoàn", UnitKind.PARTY_DELEGATION, DELEGATION_BODIES, delegations),
        ("BCS", "Ban cán sự đảng", UnitKind.PARTY_CADRE_COMMITTEE, CADRE_BODIES, handful - delegations),
    ):
        for n, body in enumerate(rng.sample(bodies, count), 1):
            tree.add(code=f"{code}-{suffix}{n}", name=f"{title} {body} {area} {place}", kind=kind, parent=unit)
    blocs = 1 if subordinates < 10 else 2
    wards = 0.45 if province.city else 0.12
    used, committees = set(), []
    for n in range(1, subordinates + 1):
        if n <= blocs:
            family, label = "khối", place
            name = f"Đảng ủy {BLOCS[n - 1]} {area} {place}"
        else:
            family, label = "phường" if rng.random() < wards else "xã", place_name(rng, used)
            name = f"Đảng ủy {family} {label}"
        committees.append(
            tree.add(
                code=f"{code}-D{n:03d}", name=name, kind=UnitKind.SUBORDINATE, parent=unit, family=family, label=label
            )
        )
    return committees


def plan_merges(rng, committees_by_province, *, last_year):
    """About 5% of the commune and ward committees end the year before the last, each merged into a
    surviving sibling, so comparisons across years have a successor to follow."""
    local = {
        committees[0].province.index: [c for c in committees if c.family != "khối"]
        for committees in committees_by_province
    }
    eligible = [c for committees in local.values() if len(committees) > 1 for c in committees]
    wanted = max(1, round(MERGE_SHARE * sum(len(c) for c in committees_by_province)))
    merged = set()
    for committee in rng.sample(eligible, min(wanted, len(eligible))):
        if sum(1 for c in local[committee.province.index] if c not in merged) > 1:
            merged.add(committee)
    for committee in sorted(merged, key=lambda c: c.index):
        committee.valid_to = last_year - 1
        committee.successor = rng.choice([c for c in local[committee.province.index] if c not in merged])


def plan_grassroots(tree, rng, committees, *, grassroots, cells, years):
    """Grassroots organizations under the surviving committees, then cells under some of them (đảng bộ cơ sở)."""
    open_committees = [c for c in committees if c.successor is None]
    weights = [rng.uniform(0.3, 1.7) * (3 if c.family == "khối" else 1) for c in open_committees]
    counts = Counter(rng.choices(range(len(open_committees)), weights, k=grassroots))
    with_cells = max(1, min(round(grassroots * WITH_CELLS_SHARE), cells // 2)) if cells else 0
    cell_flags = set(rng.sample(range(grassroots), with_cells))
    province = committees[0].province
    number, organizations = 0, []
    for i, committee in enumerate(open_committees):
        for _n in range(counts[i]):
            has_cells = number in cell_flags
            number += 1
            cell_name = ""
            if has_cells:
                template, cell_name = rng.choice(GRASSROOTS_NAMES[committee.family][1])
            else:
                template = rng.choice(GRASSROOTS_NAMES[committee.family][0])
            name = template.format(p=place_name(rng, set()), c=committee.label, d=rng.choice(DEPARTMENTS))
            code = f"{province.code}-C{number:04d}"
            node = tree.add(code=code, name=name, kind=UnitKind.GRASSROOTS, parent=committee, label=cell_name)
            founded(rng, node, years)
            if has_cells:
                organizations.append(node)
    if not cells:
        return
    # Each đảng bộ cơ sở gets two cells where there are enough, the rest go by uneven weights.
    least = min(2, cells // len(organizations))
    weights = [rng.uniform(0.3, 1.7) for _ in organizations]
    counts = Counter({i: least for i in range(len(organizations))})
    counts.update(rng.choices(range(len(organizations)), weights, k=cells - least * len(organizations)))
    number = 0
    for i, organization in enumerate(organizations):
        for n in range(1, counts[i] + 1):
            number += 1
            name = organization.label.format(p=place_name(rng, set()), n=n)
            node = tree.add(code=f"{province.code}-CB{number:05d}", name=name, kind=UnitKind.CELL, parent=organization)
            founded(rng, node, years)
            if node.valid_from is None and len(years) > 1 and rng.random() < DISSOLVED_SHARE:
                node.valid_to = rng.randint(years[0], years[-2])


def founded(rng, node, years):
    """A few organizations start during the years covered; none before its parent."""
    if len(years) > 1 and rng.random() < FOUNDED_SHARE:
        node.valid_from = rng.randint(years[1], years[-1])
    if node.parent.valid_from is not None:
        node.valid_from = max(node.valid_from or 0, node.parent.valid_from)


def write_units(*, tree, batch_size):
    """Insert level by level with path and province set here, since bulk_create skips Unit.save()."""
    for depth, nodes in enumerate(tree.levels):
        for start in range(0, len(nodes), batch_size):
            chunk = nodes[start : start + batch_size]
            rows = [
                Unit(
                    code=node.code, name=node.name, place=node.place, kind=node.kind, path=node.path,
                    parent_id=node.parent.pk if node.parent else None,
                    province_id=node.province.pk if node.parent else None,
                    valid_from=node.valid_from, valid_to=node.valid_to,
                )
                for node in chunk
            ]
            Unit.objects.bulk_create(rows, batch_size=batch_size)
            for node, row in zip(chunk, rows):
                node.pk = row.pk
        if depth == 0:
            Unit.objects.filter(pk__in=[node.pk for node in nodes]).update(province_id=F("pk"))
    merged = [Unit(pk=node.pk, successor_id=node.successor.pk) for node in tree.nodes if node.successor]
    Unit.objects.bulk_update(merged, ["successor"], batch_size=batch_size)


# The ratings


@dataclass
class Scale:
    """A year's regime as the generator needs it: the code of each chain state, level keys, score bands."""

    regime: Regime
    codes: tuple
    ranked: list
    level_ids: dict
    bands: dict | None

    @classmethod
    def for_year(cls, year):
        regime = Regime.objects.for_year(year).first()
        if regime is None:
            raise DemoDataError(_("Không có quy định xếp loại nào áp dụng cho năm %(year)s.") % {"year": year})
        levels = list(regime.levels.order_by("rank"))
        level_ids = {level.code: level.id for level in levels}
        codes = next((codes for codes in (NEW_CODES, OLD_CODES) if set(codes) <= set(level_ids)), None)
        if codes is None:
            raise DemoDataError(
                _("Thang xếp loại của %(regime)s không có các mức %(codes)s.")
                % {"regime": regime, "codes": ", ".join(NEW_CODES)}
            )
        bands = score_bands(regime) if regime.scored else None
        return cls(regime, codes, [level.code for level in levels], level_ids, bands)

    def score(self, rng, code):
        if self.bands is None:
            return None
        first, last = self.bands[code]
        return Decimal(rng.randint(first, last)) / 2


def score_bands(regime):
    """Each level's score range in half points: from its floor to under the next floor up, the top level
    up to the maximum. Levels sharing a floor (27-HD/BTCTW publishes only the one of Yếu kém) split it by
    rank, so the scores still order them."""
    top = Decimal(regime.max_score)
    sharing = defaultdict(list)
    for code, floor in rules.effective_min_scores(regime.score_bands()):
        sharing[floor].append(code)
    bounds = sorted(sharing) + [top]
    bands = {}
    for low, high in zip(bounds, bounds[1:]):
        codes = sharing[low][::-1]
        width = (high - low) / len(codes)
        for i, code in enumerate(codes):
            start, end = low + width * i, low + width * (i + 1)
            first = int((start * 2).to_integral_value(ROUND_CEILING))
            if end >= top:
                last = int((end * 2).to_integral_value(ROUND_FLOOR))
            else:
                last = int((end * 2).to_integral_value(ROUND_CEILING)) - 1
            bands[code] = (first, max(first, last))
    return bands


class LevelChain:
    """One province's year-to-year moves, on the four states best first.

    A birth-death chain with equal flows both ways between neighbouring states
    keeps the province's level mix steady over the years, while most units keep
    their level and a few move one step.
    """

    def __init__(self, mix, rate=STEP_RATE):
        self.cumulative = [sum(mix[: i + 1]) for i in range(len(mix))]
        self.better, self.worse = [0.0] * len(mix), [0.0] * len(mix)
        for i in range(len(mix) - 1):
            flow = rate * min(mix[i], mix[i + 1])
            self.worse[i], self.better[i + 1] = flow / mix[i], flow / mix[i + 1]

    def start(self, rng):
        return min(bisect.bisect_right(self.cumulative, rng.random()), len(self.cumulative) - 1)

    def step(self, rng, state):
        draw = rng.random()
        if draw < self.better[state]:
            return state - 1
        if draw < self.better[state] + self.worse[state]:
            return state + 1
        return state


def province_mix(rng):
    """The national mix, shifted for one province."""
    excellent, fair, failing = (
        share * min(max(rng.lognormvariate(0, spread), 0.5), 1.8)
        for share, spread in ((LEVEL_MIX[0], 0.3), (LEVEL_MIX[2], 0.3), (LEVEL_MIX[3], 0.4))
    )
    return (excellent, 1 - excellent - fair - failing, fair, failing)


def keep_within_quota(rng, codes, groups, ratio):
    """Lower the decided HTXSNV of a peer group to HTTNV until it fits (124-QĐ/TW Điều 12: at most
    `ratio` × HTTNV). The unit's own state stays, as the quota caps the decision, not the work."""
    for members in groups:
        excellent = [i for i in members if codes[i] == "HTXSNV"]
        if not excellent:
            continue
        good = sum(1 for i in members if codes[i] == "HTTNV")
        rng.shuffle(excellent)
        while excellent and len(excellent) > rules.quota_limit(good, ratio):
            codes[excellent.pop()] = "HTTNV"
            good += 1


def write_ratings(*, rng, tree, scales, batch_size):
    """A decision per unit for each year it existed, following its province's chain; self-ratings in the last year."""
    nodes, years = tree.nodes, list(scales)
    chains = {province.index: LevelChain(province_mix(rng)) for province in tree.levels[0]}
    states = [chains[node.province.index].start(rng) for node in nodes]
    exemplary = set()
    if any(scale.codes == OLD_CODES for scale in scales.values()):
        exemplary = {node.index for node in nodes if rng.random() < EXEMPLARY_SHARE}
    peers = defaultdict(list)
    for node in nodes:
        peers[(node.parent.index if node.parent else -1, node.kind)].append(node.index)
    ratings_by_year, levels_by_year = {}, {}
    for year in years:
        scale = scales[year]
        if year != years[0]:
            states = [chains[node.province.index].step(rng, state) for node, state in zip(nodes, states)]
        codes = [scale.codes[state] if node.existed_in(year) else None for node, state in zip(nodes, states)]
        if scale.codes == OLD_CODES:
            codes = [EXEMPLARY if code == "TSVM" and i in exemplary else code for i, code in enumerate(codes)]
        if scale.regime.quota_ratio is not None:
            keep_within_quota(rng, codes, peers.values(), scale.regime.quota_ratio)
        rows = rating_rows(rng, nodes, codes, scale, year, with_self=year == years[-1])
        stages = Counter()
        while chunk := list(islice(rows, batch_size)):
            insert_ratings(chunk)
            stages.update(row[3] for row in chunk)
        ratings_by_year[year] = stages
        levels_by_year[year] = Counter(code for code in codes if code)
    return ratings_by_year, levels_by_year


# The columns the demo fills, in the order of rating_rows' tuples; the rest stay empty (NULL, '' or 0).
RATING_COLUMNS = ("unit_id", "year", "regime_id", "stage", "level_id", "score", "version", "evidence", "note")


def insert_ratings(rows):
    """Plain multi-row INSERTs: for millions of ratings bulk_create spends most of its time preparing each
    field of each object, which these tuples of plain values do not need. Signals were never sent for bulk
    writes; the caller raises the data counter once (DataVersion.raised_once)."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(name) for name in RATING_COLUMNS)
    marks = "(" + ", ".join(["%s"] * len(RATING_COLUMNS)) + ")"
    # As many rows a statement as the database takes parameters (SQLite 32,766 or 999; PostgreSQL 65,535).
    per_statement = max(1, min(len(rows), (connection.features.max_query_params or 18_000) // len(RATING_COLUMNS)))
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            part = rows[start : start + per_statement]
            cursor.execute(
                f"INSERT INTO {quote(Rating._meta.db_table)} ({columns}) VALUES {', '.join([marks] * len(part))}",
                [value for row in part for value in row],
            )


def rating_rows(rng, nodes, codes, scale, year, *, with_self):
    regime_id = scale.regime.pk
    for node, code in zip(nodes, codes):
        if code is None:
            continue
        yield (node.pk, year, regime_id, Stage.APPROVED.value, scale.level_ids[code], scale.score(rng, code), 0, "", "")
    if not with_self:
        return
    # Self-ratings are often above the decision: equal or one level higher.
    for node, code in zip(nodes, codes):
        if code is None or rng.random() >= SELF_SHARE:
            continue
        rank = scale.ranked.index(code)
        if rank and rng.random() < SELF_HIGHER:
            code = scale.ranked[rank - 1]
        yield (node.pk, year, regime_id, Stage.SELF.value, scale.level_ids[code], scale.score(rng, code), 0, "", "")
