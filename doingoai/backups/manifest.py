"""What a backup folder holds and how its files are checked.

One folder per backup, named by its local start time (``2026-12-07_020000``)::

    manifest.json      time, engine, versions, applied migrations, rows per table, files
    database.sqlite3   SQLite: a page-by-page copy made with the online backup API
    database.pgdump    PostgreSQL: ``pg_dump --format=custom`` of one snapshot
    media.tar          every file under MEDIA_ROOT (uncompressed: pictures and video are)
    SHA256SUMS         the same checksums for ``sha256sum -c SHA256SUMS`` on any machine
"""

from __future__ import annotations

import errno
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

FORMAT = "doingoai-backup/1"
MANIFEST = "manifest.json"
SUMS = "SHA256SUMS"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.pgdump"
MEDIA_FILE = "media.tar"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


class DiskFullError(BackupError):
    pass


class BackupBusyError(BackupError):
    """Another backup is being written into the same folder."""


def is_disk_full(error: BaseException) -> bool:
    if isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EDQUOT):
        return True
    text = str(error).lower()
    return "disk is full" in text or "no space left" in text or "quota exceeded" in text


def disk_full(where: Path | str, error: BaseException | None = None) -> DiskFullError:
    detail = f" ({error})" if error else ""
    return DiskFullError(
        f"Không đủ chỗ trống trên đĩa ở {where}: giải phóng chỗ hoặc chọn thư mục khác; "
        f"không có gì bị ghi dở / not enough free disk space{detail}"
    )


def sha256_file(path: Path, progress=None, label: str = "") -> str:
    digest = hashlib.sha256()
    total = path.stat().st_size
    done = 0
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            done += len(chunk)
            if progress is not None:
                progress.step(label, done, total)
    return digest.hexdigest()


class HashingWriter:
    """A write-only file object that hashes and counts what passes through it."""

    def __init__(self, handle):
        self.handle = handle
        self.digest = hashlib.sha256()
        self.bytes = 0

    def write(self, data) -> int:
        self.digest.update(data)
        self.bytes += len(data)
        return self.handle.write(data)

    def flush(self) -> None:
        self.handle.flush()


@dataclass
class FileEntry:
    name: str
    sha256: str
    bytes: int

    def as_dict(self) -> dict:
        return {"name": self.name, "sha256": self.sha256, "bytes": self.bytes}


@dataclass
class Manifest:
    created_at: str
    finished_at: str
    engine: str  # "sqlite" | "postgresql"
    database: FileEntry
    migrations: list[str]  # "app_label.name", as recorded in django_migrations
    row_counts: dict[str, int]
    media: FileEntry | None = None
    media_files: int = 0
    media_bytes: int = 0
    versions: dict[str, str] = field(default_factory=dict)
    host: str = ""
    seconds: float = 0.0
    format: str = FORMAT

    @property
    def files(self) -> list[FileEntry]:
        return [self.database, *([self.media] if self.media else [])]

    def as_dict(self) -> dict:
        return {
            "format": self.format,
            "created_at": self.created_at,
            "finished_at": self.finished_at,
            "seconds": round(self.seconds, 2),
            "engine": self.engine,
            "host": self.host,
            "versions": self.versions,
            "database": self.database.as_dict(),
            "media": self.media.as_dict() if self.media else None,
            "media_files": self.media_files,
            "media_bytes": self.media_bytes,
            "migrations": self.migrations,
            "row_counts": self.row_counts,
        }

    def write(self, folder: Path) -> None:
        text = json.dumps(self.as_dict(), ensure_ascii=False, indent=2, sort_keys=False)
        (folder / MANIFEST).write_text(text + "\n", encoding="utf-8")
        manifest_sum = hashlib.sha256((folder / MANIFEST).read_bytes()).hexdigest()
        lines = [f"{entry.sha256}  {entry.name}" for entry in self.files]
        lines.append(f"{manifest_sum}  {MANIFEST}")
        (folder / SUMS).write_text("\n".join(lines) + "\n", encoding="utf-8")

    @classmethod
    def read(cls, folder: Path) -> Manifest:
        path = folder / MANIFEST
        if not path.is_file():
            raise BackupError(
                f"{folder} không phải một bản sao lưu: thiếu {MANIFEST} "
                f"(bản sao lưu chưa xong hoặc sai thư mục) / not a backup folder"
            )
        sums = _read_sums(folder)
        if MANIFEST in sums:
            actual = hashlib.sha256(path.read_bytes()).hexdigest()
            if actual != sums[MANIFEST]:
                raise BackupError(
                    f"Bản sao lưu hỏng: {MANIFEST} không khớp mã kiểm tra trong {SUMS} "
                    f"/ corrupt backup: checksum mismatch of {MANIFEST}"
                )
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            if raw.get("format") != FORMAT:
                raise BackupError(
                    f"Định dạng sao lưu không hỗ trợ: {raw.get('format')!r} (cần {FORMAT}) "
                    f"/ unsupported backup format"
                )
            media = raw.get("media")
            manifest = cls(
                format=raw["format"],
                created_at=raw["created_at"],
                finished_at=raw["finished_at"],
                seconds=float(raw.get("seconds", 0)),
                engine=raw["engine"],
                host=raw.get("host", ""),
                versions=dict(raw.get("versions", {})),
                database=FileEntry(**raw["database"]),
                media=FileEntry(**media) if media else None,
                media_files=int(raw.get("media_files", 0)),
                media_bytes=int(raw.get("media_bytes", 0)),
                migrations=list(raw["migrations"]),
                row_counts={str(k): int(v) for k, v in raw["row_counts"].items()},
            )
        except (ValueError, KeyError, TypeError) as error:
            raise BackupError(
                f"Bản sao lưu hỏng: không đọc được {MANIFEST} ({error}) / corrupt manifest"
            ) from error
        for entry in manifest.files:
            if sums and sums.get(entry.name) not in (None, entry.sha256):
                raise BackupError(
                    f"Bản sao lưu hỏng: {SUMS} và {MANIFEST} ghi hai mã kiểm tra khác nhau cho "
                    f"{entry.name} / checksum lists disagree"
                )
        return manifest


def _read_sums(folder: Path) -> dict[str, str]:
    path = folder / SUMS
    if not path.is_file():
        return {}
    sums = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        digest, _sep, name = line.partition("  ")
        if digest and name:
            sums[name.strip()] = digest.strip()
    return sums


def verify_files(folder: Path, manifest: Manifest, progress) -> None:
    """Every file the manifest names exists with its size and SHA-256, before anything is
    written anywhere."""
    for entry in manifest.files:
        path = folder / entry.name
        if not path.is_file():
            raise BackupError(f"Bản sao lưu thiếu tệp {entry.name} / missing file {entry.name}")
        size = path.stat().st_size
        if size != entry.bytes:
            raise BackupError(
                f"Bản sao lưu hỏng: {entry.name} có {size} byte, manifest ghi {entry.bytes} "
                f"/ corrupt backup: size mismatch of {entry.name}"
            )
        actual = sha256_file(path, progress, f"Kiểm tra {entry.name}")
        if actual != entry.sha256:
            raise BackupError(
                f"Bản sao lưu hỏng: mã kiểm tra SHA-256 của {entry.name} không khớp "
                f"(ghi {entry.sha256[:12]}…, thực tế {actual[:12]}…); không khôi phục gì "
                f"/ corrupt backup: checksum mismatch of {entry.name}"
            )
