"""Where an uploaded file waits between the preview and the confirmation.

Outside the public media directory (``REGISTERS_IMPORT_DIR``, default ``var/registers-imports``),
named by a random id and handed to the browser only inside a signed token bound to the user
and the register, so nobody can confirm (or read) another user's upload.
"""

from __future__ import annotations

import time
import uuid
from pathlib import Path

from django.conf import settings
from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage

SALT = "doingoai.registers.import"
MAX_AGE_SECONDS = 60 * 60


def _storage() -> FileSystemStorage:
    location = getattr(settings, "REGISTERS_IMPORT_DIR", None) or (
        Path(settings.VAR_DIR) / "registers-imports"
    )
    return FileSystemStorage(location=location)


def upload_stash(*, user, key: str, name: str, data: bytes) -> str:
    """Keep the file; return the token that gives it back to the same user and register."""
    suffix = ".xlsx" if name.lower().endswith(".xlsx") else ".csv"
    path = _storage().save(f"{uuid.uuid4().hex}{suffix}", ContentFile(data))
    return signing.dumps({"path": path, "name": name, "user": user.pk, "key": key}, salt=SALT)


def upload_take(*, token: str, user, key: str) -> tuple[str, bytes] | None:
    """The file behind ``token`` (and forget it), or None if the token is not valid here."""
    try:
        payload = signing.loads(token, salt=SALT, max_age=MAX_AGE_SECONDS)
    except signing.BadSignature:
        return None
    if payload.get("user") != user.pk or payload.get("key") != key:
        return None
    storage = _storage()
    if not storage.exists(payload["path"]):
        return None
    with storage.open(payload["path"], "rb") as handle:
        data = handle.read()
    storage.delete(payload["path"])
    return payload["name"], data


def uploads_purge(*, older_than_seconds: int = 2 * MAX_AGE_SECONDS) -> int:
    """Delete uploads nobody confirmed or cancelled; returns how many were deleted."""
    storage = _storage()
    if not Path(storage.location).exists():
        return 0
    deadline = time.time() - older_than_seconds
    removed = 0
    for name in storage.listdir("")[1]:
        if Path(storage.path(name)).stat().st_mtime < deadline:
            storage.delete(name)
            removed += 1
    return removed
