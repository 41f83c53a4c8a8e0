"""Decisions and notices: kept with history, scoped like figures, cited by ratings and shown with them."""
from datetime import date

import openpyxl
import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError
from django.urls import reverse

from ratings.models import Decision, EditorScope, Rating
from ratings.reports.export import build_report


@pytest.fixture
def decided(make_unit, rate):
    """A province whose decision records the levels of two committees in 2023."""
    province = make_unit("P", name="Đảng bộ tỉnh Mẫu", place="Mẫu")
    decision = Decision.objects.create(
        issuer=province, year=2023, stage="approved", number="812-QĐ/TU", issued_on=date(2024, 1, 20)
    )
    committees = [make_unit(f"C{i}", parent=province, name=f"Đảng ủy xã {i}") for i in range(2)]
    for unit in committees:
        rate(unit, 2023, "HTTNV", decision=decision)
    return {"province": province, "decision": decision, "committees": committees}


def test_decision_reads_as_it_is_cited(decided):
    assert str(decided["decision"]) == "Quyết định số 812-QĐ/TU ngày 20/01/2024"


def test_unit_page_shows_the_decision_of_each_rating(admin_client, decided):
    text = admin_client.get(reverse("ratings:unit", args=["C0"])).content.decode()
    assert "Quyết định số 812-QĐ/TU ngày 20/01/2024" in text


def test_excel_detail_sheet_has_a_decision_column(tmp_path, decided):
    path = tmp_path / "bao-cao.xlsx"
    build_report(path, year=2023, scope=decided["province"])
    sheet = openpyxl.load_workbook(path).worksheets[1]
    header = [cell.value for cell in sheet[1]]
    column = header.index("Quyết định")
    cited = {row[2]: row[column] for row in sheet.iter_rows(min_row=2, values_only=True) if row[2]}
    assert cited["Đảng ủy xã 0"] == "Quyết định số 812-QĐ/TU ngày 20/01/2024"


def test_a_rating_cannot_cite_a_decision_of_another_year_or_issuer(decided, make_unit, rate):
    rating = Rating.objects.get(unit__code="C0")
    rating.year = 2024
    with pytest.raises(ValidationError, match="812-QĐ/TU"):
        rating.full_clean()
    outsider = rate(make_unit("Q"), 2023, "HTTNV")
    outsider.decision = decided["decision"]
    with pytest.raises(ValidationError, match="không xếp loại"):
        outsider.full_clean()


def test_a_cited_decision_cannot_be_deleted(decided):
    with pytest.raises(ProtectedError):
        decided["decision"].delete()


def test_decision_changes_are_kept_in_history(decided):
    decision = decided["decision"]
    decision.note = "Đã sửa số"
    decision.save()
    assert decision.history.count() == 2 and decision.version == 1


def test_admin_lists_and_searches_decisions(admin_client, decided):
    url = reverse("admin:ratings_decision_changelist")
    text = admin_client.get(url, {"q": "812"}).content.decode()
    assert "812-QĐ/TU" in text and "Đảng bộ tỉnh Mẫu" in text
    assert "812-QĐ/TU" not in admin_client.get(url, {"q": "không-có"}).content.decode()


def test_rating_form_offers_the_decision(admin_client, decided):
    rating = Rating.objects.get(unit__code="C0")
    text = admin_client.get(reverse("admin:ratings_rating_change", args=[rating.pk])).content.decode()
    assert 'name="decision"' in text and "812-QĐ/TU" in text


def test_editor_sees_only_the_decisions_of_their_subtrees(client, django_user_model, decided, make_unit):
    other = make_unit("Q", name="Đảng bộ tỉnh Khác")
    foreign = Decision.objects.create(issuer=other, year=2023, stage="approved", number="77-TB/TU", issued_on=date(2024, 1, 5))
    user = django_user_model.objects.create_user("bientap", password="x-pass-12345", is_staff=True)
    user.groups.add(Group.objects.get(name="Biên tập viên"))
    EditorScope.objects.create(user=user, unit=decided["province"])
    client.force_login(user)
    text = client.get(reverse("admin:ratings_decision_changelist")).content.decode()
    assert "812-QĐ/TU" in text and "77-TB/TU" not in text
    response = client.get(reverse("admin:ratings_decision_change", args=[foreign.pk]), follow=True)
    assert "77-TB/TU" not in response.content.decode()
