"""The checks of the rating regulations, on plain values.

Nothing here knows about Django: callers pass counts, scores and grades and
get back findings that carry the arithmetic, so a message can show it.
"""
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal


@dataclass(frozen=True)
class QuotaCheck:
    """124-QĐ/TW Điều 12: HTXSNV may not exceed a share of those rated HTTNV."""

    excellent: int
    good: int
    ratio: Decimal
    limit: int

    @property
    def broken(self):
        return self.excellent > self.limit

    @property
    def excess(self):
        return max(self.excellent - self.limit, 0)


def quota_limit(good, ratio):
    """The most HTXSNV allowed beside `good` HTTNV: floor(ratio × good)."""
    return int((Decimal(good) * Decimal(ratio)).to_integral_value(rounding=ROUND_FLOOR))


def check_quota(*, excellent, good, ratio):
    """Compare the HTXSNV count of a peer group with its limit; None when no quota applies."""
    if ratio is None:
        return None
    excellent, good = excellent or 0, good or 0
    return QuotaCheck(excellent=excellent, good=good, ratio=Decimal(ratio), limit=quota_limit(good, ratio))


def effective_min_scores(bands):
    """Score floor of each level, best level first.

    `bands` is [(code, min_score or None)] ordered from the best level down.
    A level without a published floor still needs at least the floor of every
    level below it (27-HD/BTCTW only says Yếu kém is under 50 points).
    """
    floors = []
    running = Decimal(0)
    for code, min_score in reversed(bands):
        if min_score is not None:
            running = max(running, Decimal(min_score))
        floors.append((code, running))
    return list(reversed(floors))


def admissible_by_score(score, bands):
    """Codes of the levels a score admits, best first (the conditions may still lower it)."""
    score = Decimal(score)
    return [code for code, floor in effective_min_scores(bands) if score >= floor]


GRADE_ORDER = ("xuat_sac", "tot", "trung_binh", "kem")


def admissible_by_criteria(*, criteria_grades, task_grade):
    """The best level the per-criterion grades admit under 124-QĐ/TW.

    Every criterion Tốt or better and task results Xuất sắc → HTXSNV;
    every criterion at least Trung bình and task results at least Tốt → HTTNV;
    nothing Kém → HTNV; any Kém → KHTNV.
    """
    grades = list(criteria_grades) + [task_grade]
    if not grades or any(g not in GRADE_ORDER for g in grades):
        raise ValueError(f"unknown grade in {grades!r}")
    worst = max(GRADE_ORDER.index(g) for g in criteria_grades) if criteria_grades else 0
    task = GRADE_ORDER.index(task_grade)
    if "kem" in grades:
        return "KHTNV"
    if worst <= 1 and task == 0:
        return "HTXSNV"
    if worst <= 2 and task <= 1:
        return "HTTNV"
    return "HTNV"


def votes_within_present(votes_for, present):
    """Votes for a level never exceed those present; unknown values pass."""
    if votes_for is None or present is None:
        return True
    return votes_for <= present


def ballots_within_present(votes, present):
    """Ballots for several levels in one meeting add up to at most those present."""
    if present is None:
        return True
    return sum(v for v in votes if v is not None) <= present


def counts_within_total(counts, total, at_or_above=None):
    """A tally's counts add up to no more than the total its source states.

    `counts` and `at_or_above` map a level's rank (1 = highest) to a count, None where the
    source gives none; a plain list of counts is read as exact counts of distinct levels.
    """
    return total is None or units_counted(counts, at_or_above) <= total


def units_counted(counts, at_or_above=None):
    """The fewest units the stated counts imply. "21 at HTTNV or above" and "3 HTNV" are 24 units
    at least, whether or not the 21 were split further ("trong đó 4 HTXSNV")."""
    exact = _stated(counts if isinstance(counts, dict) else dict(enumerate(counts)))
    implied = [sum(exact.values())]
    for rank, count in _stated(at_or_above or {}).items():
        implied.append(count + sum(n for r, n in exact.items() if r > rank))
    return max(implied)


def at_or_above_short_of_parts(counts, at_or_above):
    """The first (rank, stated, parts) where a count "at or above" a level is smaller than the exact counts
    it includes ("20 HTTNV trở lên, trong đó 25 HTXSNV"), or None when every one holds its parts."""
    exact = _stated(counts)
    for rank, count in sorted(_stated(at_or_above or {}).items()):
        parts = sum(n for r, n in exact.items() if r <= rank)
        if count < parts:
            return rank, count, parts
    return None


def resolve_at_or_above(counts, at_or_above):
    """Exact counts per rank, completed from counts "at or above" a level where every higher level's
    count is stated: 21 at HTTNV or above, of which 4 HTXSNV, leaves 17 HTTNV. Nothing is guessed
    when a higher level is missing."""
    resolved = _stated(counts)
    for rank, count in sorted(_stated(at_or_above or {}).items()):
        higher = [resolved.get(r) for r in range(1, rank)]
        if rank not in resolved and None not in higher and count >= sum(higher):
            resolved[rank] = count - sum(higher)
    return resolved


def _stated(counts):
    return {rank: count for rank, count in counts.items() if count is not None}


# Quy định 366-QĐ/TW: the level follows the score and, beyond it, conditions on the year's tasks.


@dataclass(frozen=True)
class Scorecard:
    """A 366 scorecard as entered; any value may be unknown (None)."""

    score: Decimal | None = None
    assigned: int | None = None
    on_time: int | None = None
    exceeded: int | None = None
    late: int | None = None
    not_done: int | None = None
    disciplined: bool | None = None

    @property
    def is_blank(self):
        return all(value is None for value in vars(self).values())

    def completed(self):
        """(on time, late, not done): the one left unknown follows from the others and the tasks assigned."""
        parts = [self.on_time, self.late, self.not_done]
        if self.assigned is not None and parts.count(None) == 1:
            missing = parts.index(None)
            parts[missing] = max(self.assigned - sum(p for p in parts if p is not None), 0)
        return tuple(parts)

    def share(self, count):
        """`count` as a percentage of the tasks assigned; None when either is unknown or nothing was assigned."""
        if count is None or not self.assigned:
            return None
        return Decimal(count) * 100 / Decimal(self.assigned)


@dataclass(frozen=True)
class LevelConditions:
    """What a level asks of a scorecard: a score floor, shares of the tasks and a clean record."""

    code: str
    min_score: Decimal | None = None
    min_on_time_percent: Decimal | None = None
    min_exceeded_percent: Decimal | None = None
    max_late_percent: Decimal | None = None
    all_done: bool = False
    no_discipline: bool = False


@dataclass(frozen=True)
class Unmet:
    """One condition the scorecard is known to fail: which, what it asks and what the card holds."""

    condition: str  # score | on_time | exceeded | late | not_done | discipline
    required: Decimal | int | None
    actual: Decimal | int | bool | None


def unmet_conditions(card, conditions):
    """The conditions of one level that the card's known values fail; unknown values fail nothing."""
    on_time, late, not_done = card.completed()
    unmet = []
    if conditions.min_score is not None and card.score is not None and card.score < conditions.min_score:
        unmet.append(Unmet("score", conditions.min_score, card.score))
    checks = (
        ("on_time", conditions.min_on_time_percent, card.share(on_time), lambda share, bound: share < bound),
        ("exceeded", conditions.min_exceeded_percent, card.share(card.exceeded), lambda share, bound: share < bound),
        ("late", conditions.max_late_percent, card.share(late), lambda share, bound: share > bound),
    )
    for name, bound, share, fails in checks:
        if bound is not None and share is not None and fails(share, Decimal(bound)):
            unmet.append(Unmet(name, Decimal(bound), share))
    if conditions.all_done and not_done:
        unmet.append(Unmet("not_done", 0, not_done))
    if conditions.no_discipline and card.disciplined:
        unmet.append(Unmet("discipline", None, True))
    return unmet


def admissible_by_scorecard(card, levels):
    """The code of the best level whose conditions the card is not known to fail.

    `levels` are LevelConditions from the best level down; the last one (KHTNV) asks nothing,
    so a card always admits some level.
    """
    for conditions in levels:
        if not unmet_conditions(card, conditions):
            return conditions.code
    return levels[-1].code if levels else None
