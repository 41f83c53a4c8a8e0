"""Importing an article from a link: the pages of tests/pages served from 127.0.0.1, and every refusal."""
import gzip
import socket
import threading
import time
import unicodedata
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from ratings.extraction import MAX_BYTES, normalize_text
from ratings.services import fetching
from ratings.services.articles import ImportRefused, extract_figures
from ratings.services.fetching import FETCH_REFUSALS, FetchRefused, fetch_article

PAGES = Path(__file__).parent / "pages"
TIMEOUT = 0.5

# What a reader of each page sees as the article, and what sits around it.
EXPECTED = {
    "tinh-detail-content.html": (
        "Huyện Cầu Kè: 38 tổ chức cơ sở đảng hoàn thành xuất sắc nhiệm vụ năm 2023",
        "2024-01-16",
        [
            "Ngày 15/1, Ban Thường vụ Huyện ủy Cầu Kè tổ chức hội nghị tổng kết",
            "năm 2023 toàn Đảng bộ huyện có 38 tổ chức cơ sở đảng hoàn thành xuất sắc nhiệm vụ, 121 tổ chức cơ sở đảng "
            "hoàn thành tốt nhiệm vụ, 6 tổ chức cơ sở đảng hoàn thành nhiệm vụ và 1 tổ chức cơ sở đảng không hoàn thành nhiệm vụ.",
            "có 412 đảng viên hoàn thành xuất sắc nhiệm vụ, 2.865 đảng viên hoàn thành tốt nhiệm vụ",
        ],
        ["Tiếng Khmer", "Quảng cáo", "Ý kiến bạn đọc", "Thị xã Duyên Hải có 14 tổ chức", "Đọc nhiều nhất",
         "Thời tiết Trà Vinh", "Cơ quan chủ quản", "Lượt xem", "Chia sẻ Facebook"],
    ),
    "cong-thong-tin-time.html": (
        "Kết quả đánh giá, xếp loại tổ chức đảng năm 2023 của Đảng bộ huyện Mỏ Cày Nam",
        "2024-01-22",
        [
            "trong tổng số 64 tổ chức cơ sở đảng, có 11 tổ chức hoàn thành xuất sắc nhiệm vụ (chiếm 17,2%)",
            "Ban Thường vụ Huyện ủy xếp loại Đảng bộ xã An Thạnh hoàn thành xuất sắc nhiệm vụ năm 2023.",
            "Hoàn thành xuất sắc nhiệm vụ 356",
        ],
        ["Văn bản chỉ đạo", "Bài trước", "Đảng bộ xã Định Thủy có 9 chi bộ", "Để lại bình luận", "Liên kết website",
         "bởi Quản trị viên"],
    ),
    "sharepoint-meta-date.html": (
        "Ban Chấp hành Đảng bộ tỉnh Vĩnh Long cho ý kiến đánh giá, xếp loại năm 2024",
        "2025-02-03",
        [
            "có 47/49 đại biểu có mặt (đạt 95,9%) đề nghị xếp loại Ban Thường vụ Tỉnh ủy hoàn thành xuất sắc nhiệm vụ.",
            "đề nghị 4 đồng chí Ủy viên Ban Thường vụ Tỉnh ủy hoàn thành xuất sắc nhiệm vụ và 10 đồng chí hoàn thành tốt nhiệm vụ.",
        ],
        ["LỊCH CÔNG TÁC", "In trang", "Các tin khác", "Thành phố Vĩnh Long có 22 tổ chức", "Số lượt truy cập"],
    ),
    "liferay-journal.html": (
        "Đảng bộ Khối các cơ quan tỉnh tổng kết công tác kiểm điểm năm 2023",
        "2024-01-25",
        [
            "trong đó có 15 tổ chức cơ sở đảng hoàn thành xuất sắc nhiệm vụ, 63 tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ",
        ],
        ["Đường dây nóng", "Chào mừng kỷ niệm 94 năm", "Tin liên quan", "Đảng bộ Khối Doanh nghiệp tỉnh có 9",
         "45 Hùng Vương"],
    ),
    "tin-ngan-widgets.html": (
        "Thị ủy Bình Minh xếp loại 5 tổ chức đảng hoàn thành xuất sắc nhiệm vụ",
        "2024-01-30",
        [
            "năm 2023 có 5 tổ chức cơ sở đảng hoàn thành xuất sắc nhiệm vụ, 22 tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ",
            "Không có tổ chức cơ sở đảng nào không hoàn thành nhiệm vụ.",
        ],
        ["Tin nóng", "Bạn thấy bài viết này", "Huyện Trà Ôn có 31", "Giá vàng SJC", "Thăm dò ý kiến"],
    ),
    "anh-chu-thich-bieu-quyet.html": (
        "Sóc Trăng: Đảng bộ tỉnh tự đánh giá hoàn thành tốt nhiệm vụ năm 2024",
        "2025-01-17",
        [
            "Chiều 17/1, Ban Chấp hành Đảng bộ tỉnh Sóc Trăng họp cho ý kiến",
            "thống nhất tự xếp loại Đảng bộ tỉnh Sóc Trăng hoàn thành tốt nhiệm vụ năm 2024.",
            "52/52 đại biểu có mặt (đạt 100%) tán thành mức xếp loại này.",
        ],
        ["Multimedia", "Chưa có bình luận", "Ok Om Bok", "Huyện Kế Sách: 94%", "Tổng Biên tập"],
    ),
    "joomla-cp1258.html": (
        "Đảng bộ huyện Long Mỹ có 27 chi bộ hoàn thành tốt nhiệm vụ năm 2023",
        "2024-01-26",
        ["Năm 2023, toàn Đảng bộ huyện có 6 chi bộ hoàn thành xuất sắc nhiệm vụ, 27 chi bộ hoàn thành tốt nhiệm vụ"],
        ["Lịch sử Đảng bộ", "Lượt xem", "Tiếp theo", "Huyện Vị Thủy có 12 chi bộ", "Bản quyền"],
    ),
}

_TONES = "\u0300\u0301\u0303\u0309\u0323"


def windows_1258(text):
    """Vietnamese in the legacy code page: letters with their shape marks, tone marks as separate characters."""
    out, cluster = [], ""
    for char in unicodedata.normalize("NFD", text) + " ":
        if unicodedata.combining(char) and cluster:
            cluster += char
            continue
        if cluster:
            tones = "".join(mark for mark in cluster if mark in _TONES)
            out.append(unicodedata.normalize("NFC", "".join(c for c in cluster if c not in _TONES)) + tones)
        cluster = char
    return "".join(out)[:-1].encode("cp1258")


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def send(self, status, body=b"", content_type="text/html; charset=utf-8", headers=()):
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        path = self.path
        try:
            if path.startswith("/pages/"):
                name = path.removeprefix("/pages/")
                text = (PAGES / name).read_text("utf-8")
                if "cp1258" in name:
                    self.send(200, windows_1258(text), content_type="text/html")
                else:
                    self.send(200, text.encode("utf-8"))
            elif path == "/charset-header":
                text = (PAGES / "joomla-cp1258.html").read_text("utf-8").replace("charset=windows-1258", "")
                self.send(200, windows_1258(text), content_type="text/html; charset=windows-1258")
            elif path == "/slow":
                time.sleep(TIMEOUT * 4)
                self.send(200, b"<p>late</p>")
            elif path == "/drip":
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.end_headers()
                for _ in range(40):
                    self.wfile.write(b"<p>x</p>")
                    self.wfile.flush()
                    time.sleep(TIMEOUT / 5)
            elif path == "/compressed":
                body = gzip.compress((PAGES / "tin-ngan-widgets.html").read_bytes())
                self.send(200, body, headers=[("Content-Encoding", "gzip")])
            elif path == "/tin-t%E1%BB%A9c/bai-1":
                self.send(200, (PAGES / "tin-ngan-widgets.html").read_bytes())
            elif path == "/huge-stream":
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.end_headers()
                line = b"<p>" + b"x" * 1000 + b"</p>\n"
                for _ in range(MAX_BYTES // len(line) + 100):
                    self.wfile.write(line)
            elif path == "/huge-declared":
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(MAX_BYTES + 1))
                self.end_headers()
                self.wfile.write(b"<p>start</p>")
            elif path == "/report.pdf":
                self.send(200, b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", content_type="application/pdf")
            elif path == "/photo.png":
                self.send(200, b"\x89PNG\r\n\x1a\n", content_type="image/png")
            elif path == "/plain.txt":
                self.send(200, (PAGES / "plain.txt").read_bytes(), content_type="text/plain; charset=utf-8")
            elif path == "/loop":
                self.send(302, headers=[("Location", "/loop")])
            elif path == "/moved":
                self.send(301, headers=[("Location", "/pages/tinh-detail-content.html")])
            elif path == "/to-private":
                port = self.server.server_address[1]
                self.send(302, headers=[("Location", f"http://127.0.0.2:{port}/pages/tinh-detail-content.html")])
            else:
                self.send(404, "Không tìm thấy trang".encode("utf-8"))
        except (BrokenPipeError, ConnectionResetError):
            pass


class Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False


@pytest.fixture(scope="module")
def site():
    server = Server(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(autouse=True)
def fetch_settings(settings):
    """The test site lives on 127.0.0.1, which the guard would refuse."""
    settings.ARTICLE_FETCH_ALLOW_PRIVATE = True
    settings.ARTICLE_FETCH_TIMEOUT = TIMEOUT


def refused(url):
    with pytest.raises(FetchRefused) as caught:
        fetch_article(url)
    return str(caught.value)


def test_refusal_is_an_import_refusal():
    assert issubclass(FetchRefused, ImportRefused)


@pytest.mark.parametrize("name", EXPECTED)
def test_news_page_gives_title_date_and_rating_sentences_without_the_page_around_them(site, name):
    title, published, sentences, junk = EXPECTED[name]
    article = fetch_article(f"{site}/pages/{name}")
    assert article.title == title
    assert article.published == published
    assert article.text.split("\n")[0] == title
    for sentence in sentences:
        assert normalize_text(sentence) in article.text
    for piece in junk:
        assert piece not in article.text


def test_text_reads_like_an_uploaded_page(site):
    article = fetch_article(f"{site}/pages/tinh-detail-content.html")
    result = extract_figures(text=article.text, name=article.url)
    assert result["title"] == article.title
    assert result["published"] == "2024-01-16"
    assert article.url.endswith("/pages/tinh-detail-content.html")


def test_fetched_article_gives_the_figures_it_states_and_none_of_the_related_headlines(site):
    article = fetch_article(f"{site}/pages/tinh-detail-content.html")
    result = extract_figures(text=article.text, name=article.url)
    counts = [{code: n for code, n in tally["counts"].items() if n is not None} for tally in result["tallies"]]
    assert {"HTXSNV": 38, "HTTNV": 121, "HTNV": 6, "KHTNV": 1} in counts
    assert {"HTXSNV": 412, "HTTNV": 2865, "HTNV": 97, "KHTNV": 11} in counts
    assert all(tally["year"] == 2023 for tally in result["tallies"])
    assert {"HTXSNV": 14} not in counts


def test_meta_charset_windows_1258_is_read(site):
    article = fetch_article(f"{site}/pages/joomla-cp1258.html")
    assert article.title == "Đảng bộ huyện Long Mỹ có 27 chi bộ hoàn thành tốt nhiệm vụ năm 2023"
    assert "27 chi bộ hoàn thành tốt nhiệm vụ" in article.text


def test_charset_of_the_header_is_read(site):
    article = fetch_article(f"{site}/charset-header")
    assert "6 chi bộ hoàn thành xuất sắc nhiệm vụ" in article.text


def test_plain_text_is_taken_as_it_is(site):
    article = fetch_article(f"{site}/plain.txt")
    assert article.title == "Huyện Châu Thành có 20 chi bộ hoàn thành tốt nhiệm vụ năm 2023"
    assert article.published == "2024-02-02"


def test_redirect_is_followed(site):
    article = fetch_article(f"{site}/moved")
    assert article.url.endswith("/pages/tinh-detail-content.html")
    assert article.published == "2024-01-16"


def test_page_slower_than_the_budget_is_refused(site):
    started = time.monotonic()
    assert refused(f"{site}/slow") == FETCH_REFUSALS["timeout"] % {"seconds": TIMEOUT}
    assert time.monotonic() - started < TIMEOUT * 3


def test_page_trickling_past_the_budget_is_refused(site):
    """Each chunk comes in time; the whole page does not."""
    started = time.monotonic()
    assert refused(f"{site}/drip") == FETCH_REFUSALS["timeout"] % {"seconds": TIMEOUT}
    assert time.monotonic() - started < TIMEOUT * 3


def test_page_compressed_though_not_asked_is_read(site):
    assert fetch_article(f"{site}/compressed").published == "2024-01-30"


def test_link_with_vietnamese_letters_in_its_path_is_fetched(site):
    assert fetch_article(f"{site}/tin-tức/bai-1").title.startswith("Thị ủy Bình Minh")


def test_page_over_5_mb_without_length_is_refused_while_streaming(site):
    assert refused(f"{site}/huge-stream") == str(FETCH_REFUSALS["too_large"])


def test_page_declaring_over_5_mb_is_refused_before_reading(site):
    assert refused(f"{site}/huge-declared") == str(FETCH_REFUSALS["too_large"])


@pytest.mark.parametrize(("path", "media_type"), [("/report.pdf", "application/pdf"), ("/photo.png", "image/png")])
def test_pdf_or_image_is_refused(site, path, media_type):
    assert refused(site + path) == FETCH_REFUSALS["content_type"] % {"type": media_type}


def test_missing_page_is_refused_with_its_status(site):
    assert refused(f"{site}/no-such-article") == FETCH_REFUSALS["http_error"] % {"status": 404}


def test_redirect_loop_is_refused(site, settings):
    settings.ARTICLE_FETCH_MAX_REDIRECTS = 3
    assert refused(f"{site}/loop") == FETCH_REFUSALS["redirects"] % {"count": 3}


def test_private_address_is_refused_when_the_guard_is_on(site, settings):
    settings.ARTICLE_FETCH_ALLOW_PRIVATE = False
    assert refused(f"{site}/pages/tinh-detail-content.html") == FETCH_REFUSALS["private"] % {"host": "127.0.0.1"}


def test_redirect_to_a_private_address_is_refused(site, settings, monkeypatch):
    """The test site stands in for a public one; its redirect points inside the network."""
    settings.ARTICLE_FETCH_ALLOW_PRIVATE = False
    checked = fetching._is_public
    monkeypatch.setattr(fetching, "_is_public", lambda address: address == "127.0.0.1" or checked(address))
    assert refused(f"{site}/to-private") == FETCH_REFUSALS["private"] % {"host": "127.0.0.2"}


@pytest.mark.parametrize(
    "address", ["127.0.0.1", "10.1.2.3", "172.16.0.9", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0",
                "::1", "fe80::1", "fd00::1", "::ffff:127.0.0.1", "224.0.0.1"],
)
def test_addresses_inside_a_network_are_not_public(address):
    assert not fetching._is_public(address)


def test_public_addresses_pass_the_guard():
    assert fetching._is_public("93.184.216.34") and fetching._is_public("2001:4860:4860::8888")


def test_closed_port_is_refused_as_network_unavailable():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    assert refused(f"http://127.0.0.1:{port}/bai-viet") == FETCH_REFUSALS["network"] % {"host": "127.0.0.1"}


def test_unknown_host_is_refused(monkeypatch):
    def no_such_name(*args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(fetching.socket, "getaddrinfo", no_such_name)
    assert refused("http://khong-co-ten-mien.vn/bai") == FETCH_REFUSALS["dns"] % {"host": "khong-co-ten-mien.vn"}


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/bai.html", "file:///etc/passwd", "javascript:alert(1)", "127.0.0.1/bai"])
def test_link_that_is_not_http_is_refused(url):
    assert refused(url) == str(FETCH_REFUSALS["scheme"])


@pytest.mark.parametrize("url", ["http:///bai-viet", "http://127.0.0.1:99999/bai"])
def test_malformed_link_is_refused(url):
    assert refused(url) == str(FETCH_REFUSALS["bad_url"])


def test_page_where_the_library_finds_nothing_falls_back_to_the_full_text(monkeypatch):
    monkeypatch.setattr(fetching, "_library_extraction", lambda html, url: None)
    html = (PAGES / "tin-ngan-widgets.html").read_text("utf-8")
    article = fetching.article_from_html(html, url="http://bao.example/tin")
    assert article.title == "Thị ủy Bình Minh xếp loại 5 tổ chức đảng hoàn thành xuất sắc nhiệm vụ"
    assert article.published == "2024-01-30"
    assert "22 tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ" in article.text


def test_page_without_text_is_refused():
    with pytest.raises(FetchRefused, match=str(FETCH_REFUSALS["no_text"])):
        fetching.article_from_html("<html><head><script>var a = 1;</script></head><body></body></html>")
