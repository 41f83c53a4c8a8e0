"""Actions that write, each one atomic, called by the admin, commands and tests alike."""
from .articles import (  # noqa: F401
    FIGURE_KINDS,
    REFUSALS,
    STORERS,
    ArticlePlan,
    Conflict,
    ImportRefused,
    ImportReport,
    PlannedFigure,
    Verdict,
    article_hash,
    assess_plan,
    describe_figure,
    evidence_in_context,
    extract_figures,
    import_article,
    import_article_batch,
    plan_article,
    read_article_file,
    resolve_units,
)
from .entry import ensure_admin, save_tally_counts  # noqa: F401
from .sources import delete_sources  # noqa: F401
from .excel import (  # noqa: F401
    EXCEL_COLUMNS,
    EXCEL_HEADER_SEARCH,
    EXCEL_JOB_BYTES,
    EXCEL_MAX_BYTES,
    EXCEL_MAX_ROWS,
    EXCEL_REFUSALS,
    EXCEL_REPORT_SHEET,
    EXCEL_REQUIRED,
    EXCEL_SHEET,
    ExcelPlan,
    ExcelRefused,
    ExcelReport,
    ExcelRow,
    apply_excel_ratings,
    plan_excel_ratings,
    plan_summary,
)
from .organization import UnitPlan, UnitsRefused, apply_units, import_units, plan_units, unit_plan_summary  # noqa: F401
from .history import HistoryPlan, HistoryRefused, plan_history  # noqa: F401
