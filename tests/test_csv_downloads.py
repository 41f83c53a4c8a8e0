import csv
import io

import pytest
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ratings.models import Rating
from ratings.reports.csv import ascii_name, attachment, csv_chunks
from ratings.tables import RatingTable

DASHBOARD = reverse("ratings:dashboard")
BOM = "\ufeff".encode()


@pytest.fixture
def district_ratings(rate, make_unit):
    """A province and six districts rated in 2023 and 2024, one of them a grassroots unit, one new in 2024."""
    province = make_unit("P", name="Đảng bộ tỉnh Mẫu")
    units = [make_unit(f"D{i}", parent=province, name=f"Huyện ủy Đắk Lắk {i}") for i in range(5)]
    units.append(make_unit("G", parent=province, kind="to_chuc_co_so_dang", name="Đảng bộ xã Ea Tiêu"))
    moves = [("HTTNV", "HTXSNV"), ("HTTNV", "HTTNV"), ("HTNV", "HTTNV"), ("HTXSNV", "HTNV"), (None, "KHTNV"), ("HTTNV", "HTNV")]
    for unit, (before, after) in zip(units, moves):
        if before:
            rate(unit, 2023, before)
        rate(unit, 2024, after)
    return province


def download(client, **query):
    response = client.get(DASHBOARD, {"year": 2024, "_export": "csv", **query})
    assert response.status_code == 200
    return response


def body(response):
    return b"".join(response.streaming_content)


def rows(response):
    return list(csv.reader(io.StringIO(body(response).decode("utf-8-sig"))))


def test_the_table_download_starts_with_the_utf8_byte_order_mark(admin_client, district_ratings):
    assert body(download(admin_client)).startswith(BOM)


def test_the_table_download_streams_without_a_length(admin_client, district_ratings):
    response = download(admin_client)
    assert isinstance(response, StreamingHttpResponse)
    assert not response.has_header("Content-Length")
    assert response["Content-Type"] == "text/csv; charset=utf-8"


def test_the_file_name_carries_year_and_scope(admin_client, district_ratings):
    assert download(admin_client)["Content-Disposition"] == 'attachment; filename="xep-loai-2024.csv"'
    assert download(admin_client, scope="P")["Content-Disposition"] == 'attachment; filename="xep-loai-2024-P.csv"'
    province = district_ratings.pk
    assert download(admin_client, province=province)["Content-Disposition"] == 'attachment; filename="xep-loai-2024-P.csv"'


def test_a_non_ascii_file_name_is_plain_in_filename_and_whole_in_filename_star():
    assert ascii_name("lịch-sử-Đ1.csv") == "lich-su-D1.csv"
    assert attachment("lịch-sử-Đ1.csv") == (
        "attachment; filename=\"lich-su-D1.csv\"; filename*=utf-8''l%E1%BB%8Bch-s%E1%BB%AD-%C4%901.csv"
    )


@pytest.mark.parametrize("lead", ["", "\t", "\r\n", " "])
@pytest.mark.parametrize("sign", ["=", "+", "-", "@"])
def test_a_formula_like_unit_name_is_neutralized(admin_client, rate, make_unit, sign, lead):
    province = make_unit("P", name="Đảng bộ tỉnh Mẫu")
    name = f'{lead}{sign}HYPERLINK("http://x","y")'
    rate(make_unit("F", parent=province, name=name), 2024, "HTTNV")
    assert [row[0] for row in rows(download(admin_client))[1:]] == ["'" + name]


def test_text_that_merely_contains_a_formula_sign_is_left_alone():
    text = b"".join(csv_chunks(["Đơn vị"], [["Chi bộ 1 = Chi bộ Khu phố", None, 3]])).decode("utf-8-sig")
    assert text == "Đơn vị\r\nChi bộ 1 = Chi bộ Khu phố,,3\r\n"


def test_the_headers_are_the_dashboard_columns_in_vietnamese(admin_client, district_ratings):
    assert rows(download(admin_client))[0] == [str(column.verbose_name) for column in RatingTable.base_columns.values()]
    assert rows(download(admin_client))[0][:4] == ["Đơn vị", "Loại", "Cấp trên", "Mức xếp loại"]


def test_vietnamese_text_round_trips(admin_client, district_ratings):
    assert ["Huyện ủy Đắk Lắk 0", "Đảng bộ trực thuộc", "Đảng bộ tỉnh Mẫu", "HTXSNV", "Quyết định", "HTTNV", "tăng", ""] in rows(
        download(admin_client)
    )
    assert ["Huyện ủy Đắk Lắk 4", "Đảng bộ trực thuộc", "Đảng bộ tỉnh Mẫu", "KHTNV", "Quyết định", "", "mới", ""] in rows(
        download(admin_client)
    )


def table_rows(client, query):
    """The unit names and levels the dashboard's table shows for `query`, all on one page."""
    table = client.get(DASHBOARD, {"year": 2024, "per_page": 500, **query}).context["table"]
    return [(row.record.unit.name, row.record.level.code) for row in table.paginated_rows]


@pytest.mark.parametrize(
    "query",
    [{}, {"level": "HTNV"}, {"change": "changed"}, {"change": "new"}, {"kind": "to_chuc_co_so_dang"},
     {"scope": "P"}, {"sort": "-level"}, {"sort": "previous_code"}, {"stage": "self"},
     {"level": "junk", "sort": "x"}, {"change": "sideways", "province": "x"}, {"scope": "<script>", "sort": "source"}],
)
def test_the_rows_are_the_dashboards_filtered_rows(admin_client, district_ratings, query):
    shown = table_rows(admin_client, query)
    downloaded = [(row[0], row[3]) for row in rows(download(admin_client, **query))[1:]]
    assert sorted(downloaded) == sorted(shown)
    assert [level for _name, level in downloaded] == [level for _name, level in shown]  # sorted alike; ties in any order
    assert shown or query.get("stage") == "self"


def test_a_year_not_held_gives_the_latest_and_no_year_at_all_gives_the_headers(admin_client, district_ratings, db):
    assert len(rows(download(admin_client, year="1900"))) == 7
    Rating.objects.all().delete()
    response = admin_client.get(DASHBOARD, {"_export": "csv"})
    assert response["Content-Disposition"] == 'attachment; filename="xep-loai.csv"'
    assert len(rows(response)) == 1


def test_the_query_count_does_not_grow_with_the_rows(admin_client, district_ratings, make_unit, rate):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            body(download(admin_client))
        return len(captured)

    small = queries()
    for i in range(40):
        rate(make_unit(f"X{i}", parent=district_ratings), 2024, "HTTNV")
    assert queries() == small


@pytest.mark.parametrize(
    "url", [reverse("ratings:compare_years"), reverse("ratings:compare_units"), reverse("ratings:compare_provinces")]
)
def test_the_small_downloads_have_the_byte_order_mark_and_a_plain_file_name(admin_client, district_ratings, url):
    response = admin_client.get(url, {"year": 2024, "_export": "csv"})
    assert response.content.startswith(BOM)
    assert response["Content-Disposition"].startswith('attachment; filename="') and "2024" in response["Content-Disposition"]


def test_the_unit_history_neutralizes_a_formula_like_name(admin_client, rate, make_unit):
    unit = make_unit("F", name="@SUM(A1)")
    rate(unit, 2024, "HTTNV")
    response = admin_client.get(reverse("ratings:unit", args=["F"]), {"_export": "csv"})
    assert response.content.startswith(BOM)
    assert response["Content-Disposition"] == 'attachment; filename="lich-su-F.csv"'
    assert "'@SUM(A1)" in response.content.decode("utf-8-sig")
