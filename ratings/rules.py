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
