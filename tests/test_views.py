from django.urls import reverse

HOME = reverse("ratings:home")


def test_home_requires_login(client, db):
    response = client.get(HOME)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_home_lists_each_year_with_ratings_per_level(admin_client, rate, make_unit):
    province = make_unit("P")
    districts = [make_unit(f"D{i}", parent=province) for i in range(3)]
    rate(districts[0], 2023, "HTXSNV")
    rate(districts[1], 2023, "HTTNV")
    rate(districts[2], 2023, "HTTNV")
    rate(districts[0], 2012, "TSVM")
    response = admin_client.get(HOME)
    rows = {row["year"]: row for row in response.context["rows"]}
    codes = [level.code for level in response.context["levels"]]
    assert dict(zip(codes, rows[2023]["cells"]))["HTTNV"] == 2
    assert dict(zip(codes, rows[2023]["cells"]))["HTXSNV"] == 1
    assert rows[2023]["total"] == 3
    assert dict(zip(codes, rows[2012]["cells"]))["TSVM"] == 1
    text = response.content.decode()
    assert "<th scope=\"row\">2023</th>" in text and "Quyết định" in text


def test_home_with_the_article_figures(admin_client, reference_data):
    rows = admin_client.get(HOME).context["rows"]
    assert {(row["year"], row["total"]) for row in rows} == {(2023, 2), (2024, 1)}


def test_english_is_available(admin_client, reference_data):
    admin_client.post(reverse("set_language"), {"language": "en", "next": HOME})
    text = admin_client.get(HOME).content.decode()
    assert '<html lang="en">' in text
    assert "Ratings by year" in text
    assert "Well fulfilled tasks" in text


def test_vietnamese_even_when_the_browser_asks_for_english(admin_client, reference_data):
    text = admin_client.get(HOME, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="vi">' in text and "Kết quả xếp loại theo năm" in text
