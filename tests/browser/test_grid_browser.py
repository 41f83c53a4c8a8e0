"""The peer-group grid in a real browser: levels picked with the keyboard alone, the quota recounted live."""
import pytest

from ratings.models import Decision, Rating, UnitKind

pytestmark = pytest.mark.browser

# 30 committees: 5 HTXSNV beside 20 HTTNV breaks the quota (at most floor(0.2 × 20) = 4).
PLAN = ["HTX"] * 5 + ["HTT"] * 20 + ["HTN"] * 4 + ["K"]
CODES = {"HTX": "HTXSNV", "HTT": "HTTNV", "HTN": "HTNV", "K": "KHTNV"}


@pytest.fixture
def province(scales, make_unit, rate):
    province = make_unit("MAU", name="Đảng bộ tỉnh Mẫu Sơn", place="Mẫu Sơn")
    for i in range(30):
        unit = make_unit(f"MAU-{i:02d}", parent=province, name=f"Đảng ủy xã Mẫu {i:02d}", kind=UnitKind.SUBORDINATE)
        rate(unit, 2022, "HTTNV" if i % 4 else "HTNV")
    return province


def focused_is_level(page):
    return page.evaluate("document.activeElement.matches('select.grid-level')")


def test_levels_for_thirty_units_with_the_keyboard_and_one_save(page, live_server, province, django_user_model, shot):
    django_user_model.objects.filter(username="canbo").update(is_superuser=True)
    refused = []
    page.on("console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None)
    page.goto(f"{live_server.url}/admin/ratings/rating/")
    page.click("text=Nhập theo nhóm")
    page.select_option("select[name=parent]", str(province.pk))
    page.select_option("select[name=year]", "2023")
    page.select_option("select[name=stage]", "approved")
    page.click("text=Mở bảng")
    page.wait_for_selector("select.grid-level")
    assert page.locator("select.grid-level").count() == 30

    page.focus("select[name=rows-0-level]")
    for i, typed in enumerate(PLAN):
        assert focused_is_level(page)
        page.keyboard.type(typed)
        if i < len(PLAN) - 1:
            for _press in range(6):  # past votes and note to the next row's level
                page.keyboard.press("Tab")
                if focused_is_level(page):
                    break
    chosen = page.eval_on_selector_all("select.grid-level", "selects => selects.map(s => s.value)")
    assert chosen == [CODES[typed] for typed in PLAN]
    quota = page.locator(".grid-quota[data-kind=dang_bo_truc_thuoc]")
    assert "HTXSNV: 5, tối đa 4" in quota.inner_text()
    assert "quota-broken" in quota.get_attribute("class")
    shot("grid-before-save")

    page.focus("input[name=decision-number]")
    page.keyboard.type("45-QĐ/TU")
    page.fill("input[name=decision-issued_on]", "2024-01-15")
    page.focus("input[name=decision-number]")
    page.keyboard.press("Enter")
    page.wait_for_selector(".messagelist")
    messages = page.inner_text(".messagelist")
    assert "Đã lưu nhóm: 30 mới" in messages and "vượt tỷ lệ" in messages
    shot("grid-saved")
    decision = Decision.objects.get(number="45-QĐ/TU")
    saved = Rating.objects.filter(year=2023, stage="approved", decision=decision)
    assert saved.count() == 30 and saved.filter(level__code="HTXSNV").count() == 5
    assert refused == []
