"""Quy định 366-QĐ/TW scorecards: the bands and conditions of each level, the warning that names what is
unmet, the admin, the Excel template and upload, the unit page; and quarterly ratings beside the year's."""
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse

from ratings import aggregates, rules, services
from ratings.models import Level, QuarterRating, Rating, Regime
from ratings.reports.template import build_template

ADD_RATING = reverse("admin:ratings_rating_add")
ADD_QUARTER = reverse("admin:ratings_quarterrating_add")
IMPORT_URL = reverse("admin:ratings_rating_excel_import")


@pytest.fixture
def conditions(scales):
    return Regime.objects.get(pk="qd366").scorecard_conditions()


def card(score=95, assigned=10, on_time=10, exceeded=4, late=0, not_done=0, disciplined=False):
    return rules.Scorecard(score=Decimal(score) if score is not None else None, assigned=assigned, on_time=on_time,
                           exceeded=exceeded, late=late, not_done=not_done, disciplined=disciplined)


@pytest.mark.parametrize(
    ("scorecard", "best"),
    [
        # the score bands, everything else in order
        (card(score=100), "HTXSNV"),
        (card(score=90), "HTXSNV"),
        (card(score="89.99"), "HTTNV"),
        (card(score=70), "HTTNV"),
        (card(score="69.5"), "HTNV"),
        (card(score=50), "HTNV"),
        (card(score=49), "KHTNV"),
        # HTXSNV: every task on time, at least 30% beyond the requirement, nobody disciplined
        (card(exceeded=3), "HTXSNV"),
        (card(exceeded=2), "HTTNV"),
        (card(disciplined=True), "HTTNV"),
        (card(on_time=9, late=1), "HTNV"),
        # HTTNV: every task on time
        (card(score=80, exceeded=0, on_time=9, late=1), "HTNV"),
        # HTNV: every task done, at most 20% late
        (card(score=60, on_time=8, late=2), "HTNV"),
        (card(score=60, on_time=7, late=3), "KHTNV"),
        (card(score=60, on_time=9, late=0, not_done=1), "KHTNV"),
        # what the card does not say fails nothing
        (rules.Scorecard(score=Decimal(95)), "HTXSNV"),
        (rules.Scorecard(assigned=10, on_time=10, exceeded=5), "HTXSNV"),
        (rules.Scorecard(disciplined=True), "HTTNV"),
        # the one count left out follows from the others: 10 assigned, 7 on time, none undone → 3 late
        (rules.Scorecard(score=Decimal(75), assigned=10, on_time=7, not_done=0), "KHTNV"),
    ],
)
def test_the_366_table_gives_the_best_level_each_card_admits(conditions, scorecard, best):
    assert rules.admissible_by_scorecard(scorecard, conditions) == best


def test_each_unmet_condition_is_named_with_what_it_asks(conditions):
    htxsnv = conditions[0]
    unmet = rules.unmet_conditions(card(score=88, on_time=9, late=1, exceeded=2, disciplined=True), htxsnv)
    assert [(u.condition, u.required) for u in unmet] == [
        ("score", Decimal(90)), ("on_time", Decimal(100)), ("exceeded", Decimal(30)), ("discipline", None)
    ]


def rating(make_unit, code="HTXSNV", year=2025, unit_code="A", **card_fields):
    unit = make_unit(unit_code)
    level = Level.objects.get(regime__first_year__lte=year, regime__pk="qd366" if year >= 2025 else "qd124", code=code)
    return Rating(unit=unit, year=year, level=level, **card_fields)


def test_a_level_above_what_the_card_admits_is_kept_with_a_warning_naming_the_conditions(scales, make_unit):
    entry = rating(make_unit, score=Decimal(93), tasks_assigned=12, tasks_on_time=11, tasks_late=1,
                   tasks_exceeded=4, disciplined=False)
    entry.full_clean()
    entry.save()
    warning = entry.scorecard_warning()
    assert "«Hoàn thành xuất sắc nhiệm vụ»" in warning
    assert "91,67% nhiệm vụ hoàn thành đúng hạn, cần 100%" in warning
    assert "mức cao nhất có thể là «Hoàn thành nhiệm vụ»" in warning
    assert Rating.objects.get().level.code == "HTXSNV"


def test_a_card_that_meets_its_level_or_says_nothing_gives_no_warning(scales, make_unit):
    assert rating(make_unit, score=Decimal(91), tasks_assigned=10, tasks_on_time=10, tasks_exceeded=3,
                  disciplined=False).scorecard_warning() is None
    assert rating(make_unit, code="HTTNV", unit_code="B").scorecard_warning() is None


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"tasks_assigned": 5, "tasks_on_time": 4, "tasks_late": 2}, "tasks_assigned", "(6) vượt số nhiệm vụ được giao (5)"),
        ({"tasks_assigned": 5, "tasks_not_done": 2, "tasks_exceeded": 4}, "tasks_exceeded", "(4) vượt số nhiệm vụ đã hoàn thành (3)"),
        ({"score": Decimal(101)}, "score", "không thể vượt quá 100"),
    ],
)
def test_a_card_that_cannot_be_true_is_refused_with_its_arithmetic(scales, make_unit, fields, field, words):
    with pytest.raises(ValidationError) as error:
        rating(make_unit, code="HTNV", **fields).full_clean()
    assert words in " ".join(error.value.message_dict[field])


def test_tasks_under_a_regulation_without_a_scorecard_are_refused(scales, make_unit):
    with pytest.raises(ValidationError) as error:
        rating(make_unit, code="HTTNV", year=2023, tasks_assigned=4).full_clean()
    assert "Quy định 124-QĐ/TW không xét nhiệm vụ" in error.value.message_dict["tasks_assigned"][0]


def test_the_database_refuses_more_tasks_done_than_assigned(scales, make_unit):
    with pytest.raises(IntegrityError), transaction.atomic():
        rating(make_unit, code="HTNV", tasks_assigned=3, tasks_on_time=4).save()


def test_admin_saves_the_level_as_entered_and_warns_about_the_card(admin_client, scales, make_unit):
    unit = make_unit("BP", name="Đảng bộ tỉnh Thử")
    data = {"unit": unit.pk, "year": 2025, "stage": "approved", "level": "HTTNV", "score": "82",
            "tasks_assigned": "8", "tasks_on_time": "6", "tasks_late": "2", "tasks_exceeded": "",
            "tasks_not_done": "", "disciplined": "unknown", "note": "", "evidence": ""}
    response = admin_client.post(ADD_RATING, data, follow=True)
    page = response.content.decode()
    saved = Rating.objects.get()
    assert (saved.level.code, saved.tasks_on_time, saved.tasks_late, saved.disciplined) == ("HTTNV", 6, 2, None)
    assert "75% nhiệm vụ hoàn thành đúng hạn, cần 100%" in page
    assert "Phiếu chấm điểm (Quy định 366-QĐ/TW)" in admin_client.get(reverse("admin:ratings_rating_change", args=[saved.pk])).content.decode()


def test_a_score_above_its_band_is_still_refused_by_the_admin(admin_client, scales, make_unit):
    unit = make_unit("BP")
    response = admin_client.post(ADD_RATING, {"unit": unit.pk, "year": 2025, "stage": "approved", "level": "HTXSNV",
                                              "score": "85", "disciplined": "unknown", "note": "", "evidence": ""})
    assert "Với 85 điểm" in response.content.decode() and not Rating.objects.exists()


# Quarterly ratings


def quarter(unit, q, code, year=2025, stage="approved", **fields):
    return QuarterRating(unit=unit, year=year, quarter=q, stage=stage, level=Level.objects.get(pk=f"qd366:{code}"), **fields)


def test_quarterly_ratings_sit_beside_the_years_and_count_nowhere(scales, make_unit, rate):
    province = make_unit("P")
    units = [make_unit(f"D{i}", parent=province) for i in range(3)]
    for unit in units:
        rate(unit, 2025, "HTTNV")
    before = aggregates.distribution_by_kind(year=2025, scope=province)
    for q in (1, 2, 3):
        entry = quarter(units[0], q, "HTXSNV", score=Decimal(95))
        entry.full_clean()
        entry.save()
    assert aggregates.distribution_by_kind(year=2025, scope=province) == before
    assert Rating.objects.count() == 3 and QuarterRating.objects.count() == 3


def test_a_quarter_is_rated_once_per_stage_and_only_where_the_regulation_reviews_by_quarter(scales, make_unit):
    unit = make_unit("A")
    quarter(unit, 2, "HTTNV").save()
    quarter(unit, 2, "HTXSNV", stage="self").full_clean()  # another stage of the same quarter
    with pytest.raises(ValidationError, match="đã có kết quả xếp loại quý này"):
        quarter(unit, 2, "HTNV").full_clean()
    old = QuarterRating(unit=unit, year=2023, quarter=1, level=Level.objects.get(pk="qd124:HTTNV"))
    with pytest.raises(ValidationError) as error:
        old.full_clean()
    assert "không có xếp loại theo quý" in error.value.message_dict["quarter"][0]
    with pytest.raises(IntegrityError), transaction.atomic():
        quarter(unit, 5, "HTTNV").save()


def test_admin_enters_a_quarter_with_its_card_and_warning(admin_client, scales, make_unit):
    unit = make_unit("BP")
    data = {"unit": unit.pk, "year": 2025, "quarter": "3", "stage": "approved", "level": "HTXSNV", "score": "92",
            "tasks_assigned": "5", "tasks_on_time": "5", "tasks_exceeded": "1", "disciplined": "false",
            "note": "", "evidence": ""}
    page = admin_client.post(ADD_QUARTER, data, follow=True).content.decode()
    assert QuarterRating.objects.get().get_quarter_display() == "Quý III"
    assert "Quý III năm 2025" in page and "20% nhiệm vụ hoàn thành vượt yêu cầu, cần ít nhất 30%" in page


def test_the_unit_page_shows_the_scorecard_and_lists_the_quarters_under_the_year(admin_client, scales, make_unit, rate):
    unit = make_unit("A", name="Đảng bộ Xã Thử")
    rate(unit, 2025, "HTXSNV", score=Decimal(94), tasks_assigned=20, tasks_on_time=20, tasks_exceeded=4, disciplined=False)
    quarter(unit, 1, "HTTNV", score=Decimal(78)).save()
    quarter(unit, 2, "HTXSNV", score=Decimal(91), tasks_assigned=4, tasks_on_time=3, tasks_late=1).save()
    page = admin_client.get(reverse("ratings:unit", args=["A"])).content.decode()
    scorecards = page[page.index("Phiếu chấm điểm"):page.index("Xếp loại theo quý")]
    assert "20% nhiệm vụ hoàn thành vượt yêu cầu, cần ít nhất 30%" in scorecards
    quarters = page[page.index("Xếp loại theo quý"):]
    assert quarters.index("Quý I/2025") < quarters.index("Quý II/2025")
    assert "75% nhiệm vụ hoàn thành đúng hạn, cần 100%" in quarters
    assert "vẫn là kết quả chính" in quarters


# Excel template and upload


def columns_of(sheet):
    return {sheet.cell(2, column).value: column for column in range(1, sheet.max_column + 1)}


def test_the_template_carries_the_scorecard_only_for_a_year_that_scores(scales, make_unit, rate):
    unit = make_unit("P")
    rate(unit, 2025, "HTTNV", score=Decimal("81.5"), tasks_assigned=6, tasks_on_time=6, disciplined=True)
    sheet = build_template(year=2025, scope=unit)[str(services.EXCEL_SHEET)]
    columns = columns_of(sheet)
    for header in ("Điểm", "Số nhiệm vụ được giao", "Hoàn thành đúng hạn", "Hoàn thành vượt yêu cầu",
                   "Hoàn thành chậm", "Không hoàn thành", "Có kỷ luật trong năm"):
        assert header in columns
    assert [sheet.cell(3, columns[h]).value for h in ("Điểm", "Số nhiệm vụ được giao", "Có kỷ luật trong năm")] == [
        Decimal("81.5"), 6, "Có"
    ]
    old = columns_of(build_template(year=2023, scope=unit)[str(services.EXCEL_SHEET)])
    assert "Điểm" not in old and "Hoàn thành đúng hạn" not in old


def upload(workbook):
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("ket-qua.xlsx", buffer.getvalue())


def filled_template(unit, **by_header):
    workbook = build_template(year=2025, scope=unit)
    sheet = workbook[str(services.EXCEL_SHEET)]
    columns = columns_of(sheet)
    sheet.cell(3, columns["Mức xếp loại"], by_header.pop("level"))
    for header, value in by_header.items():
        sheet.cell(3, columns[header], value)
    return workbook


def test_the_upload_stores_the_card_and_previews_the_warning(admin_client, scales, make_unit):
    unit = make_unit("P", name="Đảng bộ tỉnh Thử")
    workbook = filled_template(unit, level="Hoàn thành xuất sắc nhiệm vụ", **{
        "Điểm": "92,5", "Số nhiệm vụ được giao": 10, "Hoàn thành đúng hạn": 10, "Hoàn thành vượt yêu cầu": 3,
        "Có kỷ luật trong năm": "có"})
    response = admin_client.post(IMPORT_URL, {"file": upload(workbook)})
    page = response.content.decode()
    assert "có tập thể lãnh đạo hoặc đơn vị trực thuộc bị kỷ luật trong năm" in page
    assert not Rating.objects.exists()
    admin_client.post(IMPORT_URL, {"confirm": "1", "token": response.context["token"]})
    saved = Rating.objects.get()
    assert (saved.level.code, saved.score, saved.tasks_assigned, saved.tasks_exceeded, saved.disciplined) == (
        "HTXSNV", Decimal("92.5"), 10, 3, True
    )


def test_bad_card_cells_are_row_errors_and_nothing_is_saved(admin_client, scales, make_unit):
    unit = make_unit("P")
    workbook = filled_template(unit, level="HTTNV", **{"Điểm": "tám mươi", "Hoàn thành chậm": -1,
                                                       "Có kỷ luật trong năm": "có lẽ"})
    plan = admin_client.post(IMPORT_URL, {"file": upload(workbook)}).context["plan"]
    (row,) = plan.errors
    assert any("Điểm phải là số" in e for e in row.errors)
    assert any("Hoàn thành chậm phải là số nguyên không âm" in e for e in row.errors)
    assert any("«có» hoặc «không»: «có lẽ»" in e for e in row.errors)
    assert not Rating.objects.exists()


def test_a_file_without_the_card_columns_keeps_the_stored_card(scales, make_unit, rate):
    unit = make_unit("P")
    rate(unit, 2025, "HTTNV", score=Decimal(80), tasks_assigned=5, tasks_on_time=5)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Mã đơn vị", "Năm", "Mức xếp loại", "Ghi chú"])
    sheet.append(["P", 2025, "HTNV", "hạ một mức"])
    plan = services.plan_excel_ratings(file=upload(workbook))
    assert plan.counts["changed"] == 1
    services.apply_excel_ratings(plan=plan)
    saved = Rating.objects.get()
    assert (saved.level.code, saved.score, saved.tasks_assigned, saved.note) == ("HTNV", Decimal(80), 5, "hạ một mức")


def test_the_grid_saves_its_levels_and_reports_a_stored_card_they_exceed(scales, make_unit, rate):
    from ratings.services import grid

    parent = make_unit("P")
    unit = make_unit("A", parent=parent)
    stored = rate(unit, 2025, "HTTNV", tasks_assigned=10, tasks_on_time=8, tasks_late=2)
    report = grid.save_peer_group(
        parent=parent, year=2025, stage="approved", seen_versions={unit.pk: stored.version},
        rows=[{"unit": unit, "level": Level.objects.get(pk="qd366:HTXSNV"), "score": Decimal(95)}],
    )
    assert Rating.objects.get().level.code == "HTXSNV"
    (warning,) = report.scorecard_warnings
    assert "80% nhiệm vụ hoàn thành đúng hạn, cần 100%" in warning
