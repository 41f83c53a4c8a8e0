"""Importing the figures of articles: the command, the service and the admin preview."""
import io
import json
import unicodedata

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from ratings.models import CriterionGrade, Rating, Source, Tally, Vote

from .conftest import ARTICLES

ARTICLE = (
    "Đảng bộ tỉnh Hà Tĩnh đánh giá chất lượng năm 2023\n"
    "Ngày 25-1, Ban Chấp hành Đảng bộ tỉnh Hà Tĩnh họp và thống nhất xếp loại Đảng bộ tỉnh Hà Tĩnh "
    "năm 2023 đạt mức hoàn thành tốt nhiệm vụ.\n"
    "Kết quả xếp loại các đảng bộ trực thuộc Tỉnh ủy có 3 đơn vị hoàn thành xuất sắc nhiệm vụ, "
    "15 đơn vị hoàn thành tốt nhiệm vụ và 1 đơn vị hoàn thành nhiệm vụ.\n"
)
CONTRARY = ARTICLE.replace("đạt mức hoàn thành tốt nhiệm vụ", "đạt mức hoàn thành xuất sắc nhiệm vụ").replace("25-1", "26-1")


def figure_count():
    return sum(model.objects.count() for model in (Source, Rating, Tally, Vote, CriterionGrade))


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_articles", *map(str, args), stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()


def cp1258(text):
    """Windows-1258 as Vietnamese editors wrote it: base letters with separate tone marks."""
    out = bytearray()
    for char in text:
        try:
            out += char.encode("cp1258")
        except UnicodeEncodeError:
            base, *marks = unicodedata.normalize("NFD", char)
            out += unicodedata.normalize("NFC", base + "".join(m for m in marks if m in "\u0302\u0306\u031b")).encode("cp1258")
            out += "".join(m for m in marks if m not in "\u0302\u0306\u031b").encode("cp1258")
    return bytes(out)


@pytest.fixture
def article(tmp_path):
    def write(text, name="bai.txt", encoding="utf-8"):
        path = tmp_path / name
        if isinstance(text, str):
            text = cp1258(text) if encoding == "cp1258" else text.encode(encoding)
        path.write_bytes(text)
        return path

    return write


@pytest.fixture
def units(scales):
    call_command("loaddata", "fixtures/units.json", verbosity=0)


def test_import_stores_the_figures_with_source_and_quote(units, article):
    output = run(article(ARTICLE))
    rating = Rating.objects.get()
    assert (rating.unit.code, rating.year, rating.level.code, rating.stage) == ("HA-TINH", 2023, "HTTNV", "approved")
    assert rating.source.file_name == "bai.txt"
    assert "thống nhất xếp loại Đảng bộ tỉnh Hà Tĩnh" in rating.evidence
    tally = Tally.objects.get()
    assert {c.level.code: c.count for c in tally.counts.all()} == {"HTXSNV": 3, "HTTNV": 15, "HTNV": 1}
    assert tally.parent.code == "HA-TINH" and tally.source == rating.source
    assert "2 số liệu mới" in output


def test_importing_the_same_article_again_changes_nothing_and_says_so(units, article):
    path = article(ARTICLE)
    run(path)
    before = figure_count()
    output = run(path)
    assert "đã nhập trước đây" in output
    assert figure_count() == before


def test_a_contradicting_figure_is_reported_and_not_overwritten(units, article):
    run(article(ARTICLE, "a.txt"))
    output = run(article(CONTRARY, "b.txt"))
    assert "Mâu thuẫn" in output and "HTTNV" in output and "HTXSNV" in output
    assert Rating.objects.get().level.code == "HTTNV"


def test_dry_run_writes_nothing(units, article):
    output = run("--dry-run", article(ARTICLE))
    assert "chạy thử" in output
    assert figure_count() == 0


def test_json_lists_one_object_per_article_with_the_path_as_given(units):
    paths = sorted(str(p) for p in ARTICLES.glob("*.txt"))
    out = io.StringIO()
    call_command("import_articles", "--dry-run", "--json", *paths, stdout=out)
    results = json.loads(out.getvalue())
    assert [r["source"] for r in results] == paths
    assert {"title", "published", "province", "ratings", "tallies", "votes", "criteria"} <= set(results[0])
    assert figure_count() == 0


def test_a_folder_is_read_for_its_articles(units, tmp_path, article):
    article(ARTICLE, "mot.txt")
    article("<html><body><p>" + CONTRARY + "</p></body></html>", "hai.html")
    (tmp_path / "ghi-chu.json").write_text("{}")
    output = run(tmp_path)
    assert "mot.txt" in output and "hai.html" in output and "ghi-chu" not in output


def test_year_and_province_supply_what_the_text_leaves_out(units, article):
    text = "Hội nghị tổng kết\nBan Chấp hành thống nhất xếp loại Đảng bộ tỉnh đạt mức hoàn thành tốt nhiệm vụ.\n"
    run("--province", "Nghệ An", "--year", "2024", article(text))
    rating = Rating.objects.get()
    assert (rating.unit.code, rating.year) == ("NGHE-AN", 2024)


def test_an_old_province_resolves_to_the_unit_of_that_year(units, article):
    run(article(ARTICLE.replace("Hà Tĩnh", "Trà Vinh")))
    assert Rating.objects.get().unit.code == "TRA-VINH"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "Tệp rỗng"),
        (b"\x00\x01\x02\x03PK\x03\x04" * 200, "nhị phân"),
        (b"ket qua xep loai \x81\x8d\x8f\x90\xc3\x28 " * 40, "bảng mã"),
        (b"a" * (5 * 1024 * 1024 + 1), "5 MB"),
    ],
    ids=["empty", "binary", "undecodable", "too-large"],
)
def test_bad_files_are_refused_with_a_message_and_nothing_saved(units, article, content, message):
    with pytest.raises(CommandError):
        call_command("import_articles", str(article(content)), stdout=io.StringIO(), stderr=(err := io.StringIO()))
    assert message in err.getvalue()
    assert figure_count() == 0


@pytest.mark.parametrize("encoding", ["utf-16", "cp1258"])
def test_legacy_encodings_are_decoded(units, article, encoding):
    run(article(ARTICLE, encoding=encoding))
    assert Rating.objects.get().level.code == "HTTNV"


# The admin: upload → preview → confirm

IMPORT = reverse("admin:ratings_source_import")


def test_admin_preview_lists_each_figure_with_its_quote_and_saves_nothing(admin_client, units):
    response = admin_client.post(IMPORT, {"text": ARTICLE, "preview": "1"})
    text = response.content.decode()
    assert "<mark>" in text and "thống nhất xếp loại Đảng bộ tỉnh Hà Tĩnh" in text
    assert 'name="keep-rating-0"' in text and 'name="keep-tally-0"' in text
    assert figure_count() == 0


def test_admin_upload_of_a_file(admin_client, units):
    upload = io.BytesIO(ARTICLE.encode("utf-16"))
    upload.name = "bai.txt"
    response = admin_client.post(IMPORT, {"file": upload, "preview": "1"})
    assert "thống nhất xếp loại Đảng bộ tỉnh Hà Tĩnh" in response.content.decode()


def test_admin_refuses_an_empty_upload_with_a_message(admin_client, units):
    upload = io.BytesIO(b"")
    upload.name = "rong.txt"
    response = admin_client.post(IMPORT, {"file": upload, "preview": "1"})
    assert "Chọn một tệp hoặc dán nội dung" in response.content.decode() or "Tệp rỗng" in response.content.decode()
    assert figure_count() == 0


def test_admin_preview_shows_the_article_escaped(admin_client, units):
    hostile = ARTICLE.replace("Ngày 25-1,", "Ngày 25-1, <script>alert(1)</script>")
    text = admin_client.post(IMPORT, {"text": hostile, "preview": "1"}).content.decode()
    assert "<script>alert(1)</script>" not in text
    assert "&lt;script&gt;" in text


def test_the_article_fixtures_count_as_already_imported(reference_data):
    output = run(*sorted(ARTICLES.glob("*.txt")))
    assert output.count("đã nhập trước đây") == len(list(ARTICLES.glob("*.txt")))
