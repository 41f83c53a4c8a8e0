"""The rating tracker's data: units, regimes with their scales, and the figures.

Every figure (rating, tally, vote, criterion grade) carries the regime of its
year and, when it came from an article, its Source and evidence quote.
"""
from .base import (
    YEAR_MAX,
    YEAR_MIN,
    ConcurrentEdit,
    Grade,
    NaturalKeyManager,
    Stage,
    Subject,
    UnitKind,
    Versioned,
    level_in_regime,
    one_of,
    year_choices,
    year_field,
)
from .decisions import DECISION_STAGES, Decision, DecisionKind, DecisionQuerySet
from .figures import Figure, FigureQuerySet
from .jobs import Job, JobKind, JobStatus
from .quarters import Quarter, QuarterRating
from .ratings import CriterionGrade, Rating, Vote
from .scales import Level, LevelQuerySet, Regime, RegimeQuerySet
from .scorecards import SCORECARD_FIELDS, TASK_FIELDS, Scorecard, describe_unmet, number_text
from .sources import Source, SourceQuerySet
from .summaries import RatingCount, RatingCountQuerySet, TransitionCount, TransitionCountQuerySet, counted_after_bulk_load
from .tallies import (
    Tally,
    TallyCount,
    TallyCountManager,
    check_regime_quota,
    counts_over_total_message,
    percent_text,
    quota_message,
)
from .units import (
    ADMINISTRATORS,
    UNIT_CODE,
    EditorScope,
    Unit,
    UnitQuerySet,
    covers,
    is_unrestricted,
    scope_filter,
    scope_paths,
)
from .versions import DataVersion, count_a_change

# Rows that are not rating data: the cache counter, background jobs, and the counts the database keeps
# from the ratings (its triggers rebuild them as a backup's ratings are loaded). Backups leave them out.
MACHINERY = (DataVersion, Job, RatingCount, TransitionCount)

# Each figure model with the field that places it in the tree, for what spans all of them.
FIGURE_PLACES = [(Rating, "unit"), (Tally, "parent"), (Vote, "unit"), (CriterionGrade, "unit"), (QuarterRating, "unit")]

__all__ = [
    "counted_after_bulk_load",
    "MACHINERY",
    "RatingCount",
    "TransitionCount",
    "TransitionCountQuerySet",
    "RatingCountQuerySet",
    "JobStatus",
    "JobKind",
    "Job",
    "number_text",
    "describe_unmet",
    "Scorecard",
    "TASK_FIELDS",
    "SCORECARD_FIELDS",
    "QuarterRating",
    "Quarter",
    "ADMINISTRATORS",
    "ConcurrentEdit",
    "CriterionGrade",
    "DECISION_STAGES",
    "DataVersion",
    "Decision",
    "DecisionKind",
    "DecisionQuerySet",
    "EditorScope",
    "FIGURE_PLACES",
    "Figure",
    "FigureQuerySet",
    "Grade",
    "Level",
    "LevelQuerySet",
    "NaturalKeyManager",
    "Rating",
    "Regime",
    "RegimeQuerySet",
    "Source",
    "SourceQuerySet",
    "Stage",
    "Subject",
    "Tally",
    "TallyCount",
    "TallyCountManager",
    "UNIT_CODE",
    "Unit",
    "UnitKind",
    "UnitQuerySet",
    "Versioned",
    "Vote",
    "YEAR_MAX",
    "YEAR_MIN",
    "check_regime_quota",
    "count_a_change",
    "counts_over_total_message",
    "covers",
    "is_unrestricted",
    "level_in_regime",
    "one_of",
    "percent_text",
    "quota_message",
    "scope_filter",
    "scope_paths",
    "year_choices",
    "year_field",
]
