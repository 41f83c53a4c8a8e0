"""Uploads kept between a preview and its confirmation, bounded per user and in total.

A browser cannot send a chosen file again without the user picking it, and a
5 MB workbook belongs neither in a session nor in a hidden field, so the file
waits under VAR_DIR (never served) in a folder of its user, named by a random
token that the user's session also holds. Each user keeps a few at most (the
oldest goes first), all users together a bounded number of bytes (a new upload
is refused while the store is full), and `purge_uploads` removes what has
expired; the store also sweeps itself whenever something is kept.
"""
import json
import re
import secrets
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .articles import ImportRefused

UPLOAD_DIR = "uploads"
_TOKEN = re.compile(r"[A-Za-z0-9_-]{20,64}")

UPLOAD_REFUSALS = {
    "store_full": _(
        "Máy chủ đang giữ quá nhiều tệp chờ xác nhận; chưa nhận tệp này. "
        "Hãy xác nhận hoặc bỏ các bản xem trước đang mở, hoặc thử lại sau ít phút."
    ),
}


class UploadRefused(ImportRefused):
    """The store cannot keep another upload now; nothing was kept."""


@dataclass(frozen=True)
class KeptUpload:
    path: Path
    meta: dict


def limits():
    """(per user, total bytes, seconds kept) from settings.UPLOADS_KEPT, with the defaults below."""
    configured = getattr(settings, "UPLOADS_KEPT", {})
    return (
        configured.get("PER_USER", 5),
        configured.get("TOTAL_BYTES", 200 * 1024 * 1024),
        configured.get("MAX_AGE", 6 * 3600),
    )


def store():
    return Path(settings.VAR_DIR) / UPLOAD_DIR


def keep_upload(*, user, data, meta, suffix=".xlsx"):
    """Keep `data` (bytes) and `meta` (JSON) for `user`; return the token that names them.

    Refused with UploadRefused when the store, after sweeping what expired, has no room left.
    """
    per_user, total_bytes, _max_age = limits()
    purge_uploads()
    if _used_bytes() + len(data) > total_bytes:
        raise UploadRefused(UPLOAD_REFUSALS["store_full"])
    folder = _user_folder(user)
    folder.mkdir(parents=True, exist_ok=True)
    kept = _entries(folder)
    for old in kept[: max(0, len(kept) - per_user + 1)]:
        _remove(old)
    token = secrets.token_urlsafe(24)
    entry = folder / token
    entry.mkdir()
    (entry / f"upload{suffix}").write_bytes(data)
    (entry / "meta.json").write_text(json.dumps(meta))
    return token


def kept_upload(*, user, token):
    """The user's kept upload named `token`, or None when it is unknown, expired, another user's or malformed."""
    if not isinstance(token, str) or not _TOKEN.fullmatch(token):
        return None
    entry = _user_folder(user) / token
    uploads = sorted(entry.glob("upload.*")) if entry.is_dir() else []
    meta = entry / "meta.json"
    if not uploads or not meta.is_file() or _expired(entry):
        return None
    return KeptUpload(path=uploads[0], meta=json.loads(meta.read_text()))


def discard_upload(*, user, token):
    if isinstance(token, str) and _TOKEN.fullmatch(token):
        _remove(_user_folder(user) / token)


def purge_uploads():
    """Remove every kept upload older than the age limit, and emptied user folders; returns how many went."""
    root = store()
    if not root.is_dir():
        return 0
    removed = 0
    for folder in root.iterdir():
        if not folder.is_dir():
            folder.unlink(missing_ok=True)
            continue
        for entry in _entries(folder):
            if _expired(entry):
                _remove(entry)
                removed += 1
        if not any(folder.iterdir()):
            folder.rmdir()
    return removed


def _user_folder(user):
    return store() / str(int(user.pk))


def _entries(folder):
    """A user's kept uploads, oldest first."""
    return sorted((entry for entry in folder.iterdir() if entry.is_dir()), key=lambda entry: entry.stat().st_mtime)


def _expired(entry):
    return entry.stat().st_mtime < time.time() - limits()[2]


def _used_bytes():
    root = store()
    return sum(path.stat().st_size for path in root.rglob("*") if path.is_file()) if root.is_dir() else 0


def _remove(entry):
    shutil.rmtree(entry, ignore_errors=True)
