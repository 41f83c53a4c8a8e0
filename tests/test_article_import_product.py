"""The article import leaves no source when it saves nothing, and never folds two new names into one unit."""
import re

import pytest
from django.core.management import call_command

from ratings import services
from ratings.models import Rating, Source, Unit, UnitKind
from ratings.services.articles import assess_plan

from .conftest import FIXTURES

ARTICLE = (
    "Đảng bộ tỉnh Hà Tĩnh tổng kết công tác xây dựng Đảng năm 2024\n"
    "Ngày 12-1, Ban Thường vụ Tỉnh ủy Hà Tĩnh thống nhất xếp loại Đảng bộ tỉnh Hà Tĩnh năm 2024 "
    "đạt mức hoàn thành xuất sắc nhiệm vụ.\n"
)
RETOLD = ARTICLE.replace("Ngày 12-1", "Chiều 14-1")


@pytest.fixture
def ha_tinh(scales):
    """The article units without the article figures, so every source here comes from the test."""
    call_command("loaddata", FIXTURES / "units.json", verbosity=0)
    return Unit.objects.get(code="HA-TINH")


def import_text(text, allowed=None):
    return services.import_article(plan=services.plan_article(text=text, name="bai.txt"), allowed=allowed)


def plan_naming(*names):
    """A plan rating one new unit of Hà Tĩnh per name, as the preview would hand it over."""
    text = " ".join(f"{name} hoàn thành tốt nhiệm vụ năm 2024." for name in names)
    plan = services.ArticlePlan(
        name="xa.txt", text=text, content_hash=services.article_hash(text), result={"title": "Các xã"}, province=None
    )
    plan.figures = [
        services.PlannedFigure(
            kind="rating", index=index, year=2024,
            figure={"unit": name, "unit_kind": UnitKind.GRASSROOTS, "level": "HTTNV", "stage": "approved", "evidence": name},
        )
        for index, name in enumerate(names)
    ]
    services.resolve_units(plan, "Hà Tĩnh")
    return plan


def test_import_with_every_figure_outside_the_editors_scope_leaves_no_source(ha_tinh):
    report = import_text(ARTICLE, allowed=Unit.objects.within(Unit.objects.get(code="NGHE-AN")))
    assert report.skipped and not report.created
    assert report.source is None
    assert not Source.objects.exists()


def test_the_provinces_own_editor_then_imports_the_same_article(ha_tinh):
    import_text(ARTICLE, allowed=Unit.objects.within(Unit.objects.get(code="NGHE-AN")))
    report = import_text(ARTICLE, allowed=Unit.objects.within(ha_tinh))
    assert report.created and report.source is not None
    assert Rating.objects.get(unit=ha_tinh, year=2024).source == Source.objects.get()


def test_import_with_every_figure_already_stored_leaves_no_new_source(ha_tinh):
    first = import_text(ARTICLE)
    report = import_text(RETOLD)
    assert report.unchanged and not report.created
    assert report.source is None
    assert list(Source.objects.all()) == [first.source]


def test_the_source_is_created_with_the_first_saved_figure(ha_tinh):
    report = services.import_article(plan=plan_naming("Đảng bộ xã Tân Mỹ"))
    assert report.created
    assert Rating.objects.get(unit__name="Đảng bộ xã Tân Mỹ").source == report.source == Source.objects.get()


def test_two_names_that_slugify_alike_give_two_units(ha_tinh):
    report = services.import_article(plan=plan_naming("Đảng bộ xã Đông", "Đảng bộ xã Dông", "Đảng bộ xã Đồng"))
    assert len(report.created) == 3
    units = Unit.objects.filter(parent=ha_tinh, name__startswith="Đảng bộ xã ")
    assert sorted(u.name for u in units) == ["Đảng bộ xã Dông", "Đảng bộ xã Đông", "Đảng bộ xã Đồng"]
    assert all(len(u.code) <= 40 and re.fullmatch(r"[A-Za-z0-9_-]+", u.code) for u in units)


def test_the_same_new_name_twice_gives_one_unit(ha_tinh):
    plan = plan_naming("Đảng bộ xã Đông", "Đảng bộ xã Đông")
    plan.figures[1].figure["stage"] = "self"
    report = services.import_article(plan=plan)
    assert len(report.created) == 2
    assert Unit.objects.filter(name="Đảng bộ xã Đông").count() == 1


def test_a_name_met_again_after_a_collision_keeps_its_unit(ha_tinh):
    services.import_article(plan=plan_naming("Đảng bộ xã Đông", "Đảng bộ xã Dông"))
    dong = Unit.objects.get(name="Đảng bộ xã Dông")
    plan = plan_naming("Đảng bộ xã Dông")
    plan.figures[0].unit = None
    plan.figures[0].new_unit_name = "Đảng bộ xã Dông"
    services.import_article(plan=plan)
    assert Unit.objects.filter(name="Đảng bộ xã Dông").get() == dong


def test_the_code_of_a_new_unit_keeps_d_for_đ(ha_tinh):
    services.import_article(plan=plan_naming("Đảng bộ xã Đông"))
    assert Unit.objects.get(name="Đảng bộ xã Đông").code == "HA-TINH-DANG-BO-XA-DONG"


def test_a_long_name_is_cut_to_forty_characters(ha_tinh):
    names = [f"Đảng bộ Khối các cơ quan và doanh nghiệp huyện Thạch Hà số {n}" for n in (1, 2)]
    services.import_article(plan=plan_naming(*names))
    codes = [Unit.objects.get(name=name).code for name in names]
    assert len(set(codes)) == 2 and all(len(code) <= 40 for code in codes)


def test_a_second_figure_for_the_same_row_is_judged_against_the_first_in_preview_and_import(ha_tinh):
    plan = plan_naming("Đảng bộ xã Đông", "Đảng bộ xã Đông")
    plan.figures[1].figure["level"] = "HTXSNV"
    promised = [planned.verdict.status for planned in assess_plan(plan).figures]

    report = services.import_article(plan=plan)

    assert promised == ["new", "conflict"] == [planned.verdict.status for planned in plan.figures]
    assert len(report.created) == 1 and len(report.conflicts) == 1
    assert Rating.objects.get(unit__name="Đảng bộ xã Đông").level.code == "HTTNV"
