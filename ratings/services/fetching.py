"""Importing an article from a link: fetch the page under limits, keep the article's own text.

The server fetches a URL an editor typed, so the fetch is guarded like any
upload and more: only http(s), never an address inside our own network
(checked on the address actually connected to, on every redirect), a total
time budget, the same 5 MB cap as a file (counted while streaming), and only
pages of HTML or text. Each refusal is a FetchRefused with a Vietnamese message.

A news page is mostly not the article: menus, related headlines ("Huyện X có
14 tổ chức hoàn thành xuất sắc nhiệm vụ"), comments and footers would give the
extractor figures the article never states. trafilatura finds the article's
body, its headline and its publication date; the lead paragraph it skips on
many Vietnamese layouts is taken back from the page's full text, and where the
library finds nothing the full text (htmltext.py) stands in. The text is laid
out the way the extractor reads an uploaded page: headline first, then a stamp
line with the publication date, then one paragraph per line.
"""
import http.client
import ipaddress
import re
import socket
import ssl
import time
import unicodedata
import zlib
from dataclasses import dataclass
from urllib.parse import quote, urljoin, urlsplit

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ..extraction import MAX_BYTES, normalize_text
from ..extraction.dates import find_published
from ..extraction.htmltext import html_to_text, looks_like_html
from ..extraction.pipeline import find_title
from .articles import ImportRefused

DEFAULT_TIMEOUT = 10
DEFAULT_MAX_REDIRECTS = 5
CHUNK = 65536
USER_AGENT = "Mozilla/5.0 (compatible; ratings-article-import/1.0)"
PAGE_TYPES = frozenset({"text/html", "application/xhtml+xml", "text/plain"})
REDIRECTS = frozenset({301, 302, 303, 307, 308})

FETCH_REFUSALS = {
    "scheme": _("Chỉ nhận liên kết bắt đầu bằng http:// hoặc https://."),
    "bad_url": _("Liên kết không hợp lệ."),
    "private": _("Liên kết trỏ tới địa chỉ nội bộ (%(host)s); không tải trang này."),
    "dns": _("Không tìm thấy tên miền %(host)s."),
    "network": _("Không kết nối được tới %(host)s: mạng không sẵn sàng hoặc máy chủ từ chối kết nối."),
    "tls": _("Không thiết lập được kết nối an toàn (HTTPS) tới %(host)s."),
    "timeout": _("Trang không trả lời trong %(seconds)s giây; thử lại sau."),
    "too_large": _("Trang lớn hơn 5 MB."),
    "content_type": _("Liên kết không trỏ tới một trang HTML hay văn bản (loại nội dung: %(type)s)."),
    "http_error": _("Máy chủ trả lời lỗi HTTP %(status)s."),
    "redirects": _("Trang chuyển hướng quá nhiều lần (quá %(count)s lần)."),
    "undecodable": _("Không đọc được bảng mã ký tự của trang."),
    "no_text": _("Trang không có nội dung bài viết."),
}

# Boxes around the article that the library may take for part of it: related
# headlines, other news, comments.
_AROUND_ARTICLE = [
    "//*[contains(@class,'related') or contains(@class,'comment') or contains(@class,'news-other')"
    " or contains(@class,'other-news') or contains(@class,'box-other') or contains(@class,'tin-khac')"
    " or contains(@class,'tin-lien-quan')]"
]
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w.:-]+)""", re.IGNORECASE)
_META_SNIFF = 16384
_TABLE_RULE = re.compile(r"^\|?(?:\s*:?-+:?\s*\|)+\s*$")
_SENTENCE_END = (".", "!", "?", "…", '."', '!"', '?"', '…"')
_LEAD_MIN_WORDS = 12
_LEAD_LOOK_BACK = 4


class FetchRefused(ImportRefused):
    """The link cannot be fetched as an article; nothing was saved."""


@dataclass(frozen=True)
class FetchedArticle:
    url: str
    text: str
    title: str | None
    published: str | None


def fetch_article(url):
    """The article at ``url``, as text the importer reads; FetchRefused when it cannot be had."""
    page = _download(str(url).strip())
    decoded = _decode(page.body, page.charset)
    if page.content_type == "text/plain" and not looks_like_html(decoded):
        text = normalize_text(decoded)
        if not text:
            raise FetchRefused(FETCH_REFUSALS["no_text"])
        return FetchedArticle(url=page.url, text=text, title=find_title(text), published=find_published(text))
    return article_from_html(decoded, url=page.url)


def article_from_html(html, *, url=None):
    """The article of a news page: headline, publication date and body, without the page around it."""
    html = unicodedata.normalize("NFC", html)
    page_text = normalize_text(html_to_text(html))
    found = _library_extraction(html, url)
    body = _body_lines(found.text) if found is not None and found.text else []
    if not body:
        if not page_text:
            raise FetchRefused(FETCH_REFUSALS["no_text"])
        published = find_published(page_text) or _iso_day(found.date if found is not None else None)
        return FetchedArticle(url=url, text=page_text, title=find_title(page_text), published=published)
    title = normalize_text(found.title or "") or find_title(page_text)
    published = _iso_day(found.date) or find_published(page_text)
    lines = [title] if title else []
    if published:
        year, month, day = published.split("-")
        lines.append(f"Ngày đăng: {day}/{month}/{year}")
    lines += _lead(page_text.split("\n"), body)
    lines += [line for line in body if line != title]
    return FetchedArticle(url=url, text=normalize_text("\n".join(lines)), title=title or None, published=published)


def _library_extraction(html, url):
    # Imported here: the library and its date parser take a noticeable part of a second to load.
    import trafilatura

    return trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        prune_xpath=_AROUND_ARTICLE,
        date_extraction_params={"original_date": True, "extensive_search": True, "outputformat": "%Y-%m-%d"},
    )


def _body_lines(text):
    """The library's paragraphs, its tables as lines of cells (as htmltext.py writes them)."""
    lines = []
    for raw in normalize_text(text).split("\n"):
        if _TABLE_RULE.match(raw):
            continue
        line = " ".join(cell.strip() for cell in raw.strip().strip("|").split("|")) if raw.startswith("|") else raw
        line = line.strip()
        if line:
            lines.append(line)
    return lines


def _lead(page_lines, body):
    """The lead paragraph(s) just above the body that the library left out (the "sapo" of Vietnamese pages)."""
    kept = set(body)
    starts = [index for index, line in enumerate(page_lines) if index and line in kept]
    if not starts:
        return []
    lead = []
    for line in reversed(page_lines[max(1, starts[0] - _LEAD_LOOK_BACK) : starts[0]]):
        if len(line.split()) < _LEAD_MIN_WORDS:
            continue
        if not line.endswith(_SENTENCE_END):
            break
        lead.insert(0, line)
    return lead


def _iso_day(value):
    return value if value and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) else None


@dataclass
class _Page:
    url: str
    body: bytes
    content_type: str
    charset: str | None


def _download(url):
    """Follow redirects by hand, so that each hop is checked like the first."""
    deadline = _Deadline(getattr(settings, "ARTICLE_FETCH_TIMEOUT", DEFAULT_TIMEOUT))
    max_redirects = getattr(settings, "ARTICLE_FETCH_MAX_REDIRECTS", DEFAULT_MAX_REDIRECTS)
    for _hop in range(max_redirects + 1):
        target = _Target.of(url)
        try:
            outcome = _request(target, deadline)
        except TimeoutError as error:
            raise FetchRefused(FETCH_REFUSALS["timeout"] % {"seconds": deadline.seconds}) from error
        except ssl.SSLError as error:
            raise FetchRefused(FETCH_REFUSALS["tls"] % {"host": target.host}) from error
        except (OSError, http.client.HTTPException) as error:
            raise FetchRefused(FETCH_REFUSALS["network"] % {"host": target.host}) from error
        if isinstance(outcome, _Page):
            return outcome
        url = urljoin(target.url, outcome)
    raise FetchRefused(FETCH_REFUSALS["redirects"] % {"count": max_redirects})


class _Deadline:
    """One time budget for the whole fetch: connecting, every redirect and every read."""

    def __init__(self, seconds):
        self.seconds = seconds
        self._end = time.monotonic() + seconds

    def remaining(self):
        left = self._end - time.monotonic()
        if left <= 0:
            raise TimeoutError
        return left


@dataclass
class _Target:
    url: str
    scheme: str
    host: str
    port: int | None
    path: str

    @classmethod
    def of(cls, url):
        try:
            parts = urlsplit(url)
            port = parts.port
        except ValueError as error:
            raise FetchRefused(FETCH_REFUSALS["bad_url"]) from error
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https"):
            raise FetchRefused(FETCH_REFUSALS["scheme"])
        if not parts.hostname:
            raise FetchRefused(FETCH_REFUSALS["bad_url"])
        path = quote(parts.path or "/", safe="/%:@!$&'()*+,;=-._~")
        if parts.query:
            path += "?" + quote(parts.query, safe="/%:@!$&'()*+,;=-._~?")
        return cls(url=url, scheme=scheme, host=parts.hostname, port=port, path=path)


def _request(target, deadline):
    """A _Page, or the Location of a redirect."""
    connection_class = _GuardedHTTPSConnection if target.scheme == "https" else _GuardedHTTPConnection
    connection = connection_class(target.host, target.port, timeout=deadline.remaining())
    try:
        connection.request("GET", target.path, headers={
            "User-Agent": USER_AGENT,
            "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.1",
            "Accept-Language": "vi,en;q=0.5",
            "Accept-Encoding": "identity",
        })
        # The connection lets go of its socket once the response will close it; the reads still use it.
        sock = connection.sock
        sock.settimeout(deadline.remaining())
        response = connection.getresponse()
        if response.status in REDIRECTS:
            location = response.getheader("Location")
            if not location:
                raise FetchRefused(FETCH_REFUSALS["http_error"] % {"status": response.status})
            return location
        if not 200 <= response.status < 300:
            raise FetchRefused(FETCH_REFUSALS["http_error"] % {"status": response.status})
        content_type, charset = _content_type(response.getheader("Content-Type"))
        if content_type and content_type not in PAGE_TYPES:
            raise FetchRefused(FETCH_REFUSALS["content_type"] % {"type": content_type})
        length = response.getheader("Content-Length")
        if length and length.strip().isdigit() and int(length) > MAX_BYTES:
            raise FetchRefused(FETCH_REFUSALS["too_large"])
        body = _read_capped(response, sock, deadline)
        return _Page(url=target.url, body=body, content_type=content_type or "text/html", charset=charset)
    finally:
        connection.close()


def _read_capped(response, sock, deadline):
    """The body, read in chunks and counted (decompressed, when a server compresses anyway)."""
    encoding = (response.getheader("Content-Encoding") or "identity").strip().lower()
    inflate = zlib.decompressobj(47) if encoding in ("gzip", "x-gzip", "deflate") else None
    chunks, size = [], 0
    while True:
        sock.settimeout(deadline.remaining())
        chunk = response.read1(CHUNK)
        if not chunk:
            break
        if inflate is not None:
            try:
                chunk = inflate.decompress(chunk, MAX_BYTES + 1 - size)
            except zlib.error as error:
                raise FetchRefused(FETCH_REFUSALS["undecodable"]) from error
        size += len(chunk)
        if size > MAX_BYTES:
            raise FetchRefused(FETCH_REFUSALS["too_large"])
        chunks.append(chunk)
    return b"".join(chunks)


def _content_type(header):
    """(media type, charset) of a Content-Type header, lower-cased."""
    if not header:
        return "", None
    media_type, _sep, params = header.partition(";")
    charset = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", params, re.IGNORECASE)
    return media_type.strip().lower(), charset.group(1).lower() if charset else None


def _decode(body, charset):
    """The page as text: the charset of the header, else of a <meta>, else UTF-8."""
    if charset is None:
        match = _META_CHARSET.search(body, 0, _META_SNIFF)
        charset = match.group(1).decode("ascii").lower() if match else None
    for codec in dict.fromkeys(filter(None, (charset, "utf-8"))):
        try:
            return unicodedata.normalize("NFC", body.decode("utf-8-sig" if codec in ("utf-8", "utf8") else codec))
        except (UnicodeDecodeError, LookupError):
            continue
    raise FetchRefused(FETCH_REFUSALS["undecodable"])


def _allow_private():
    return getattr(settings, "ARTICLE_FETCH_ALLOW_PRIVATE", False)


def _is_public(address):
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def _connect(address, timeout=None, source_address=None):
    """socket.create_connection that resolves the host itself and connects only to public addresses.

    Checking the address connected to (not a name resolved earlier) leaves no
    gap for a name that resolves differently the second time.
    """
    host, port = address
    try:
        candidates = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise FetchRefused(FETCH_REFUSALS["dns"] % {"host": host}) from error
    if not _allow_private():
        private = [info[4][0] for info in candidates if not _is_public(info[4][0])]
        if private:
            raise FetchRefused(FETCH_REFUSALS["private"] % {"host": host})
    last_error = None
    for family, kind, proto, _name, sockaddr in candidates:
        sock = socket.socket(family, kind, proto)
        try:
            sock.settimeout(timeout)
            if source_address:
                sock.bind(source_address)
            sock.connect(sockaddr)
            return sock
        except OSError as error:
            sock.close()
            last_error = error
    raise last_error or OSError(f"no address for {host}")


class _GuardedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._create_connection = _connect


class _GuardedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._create_connection = _connect
