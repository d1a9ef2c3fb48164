"""Backups with a verified restore.

``backup_create`` writes one dated folder (see manifest.py) into a hidden ``.partial`` folder
and renames it when every file is written and checked, so an interrupted backup (a full disk,
a crash) never looks like a backup and never costs an older one: generations beyond
``BACKUP_KEEP`` are removed only after a new backup succeeded.

``backup_restore`` restores into an *empty* database and media folder (``force`` to replace
non-empty ones). Before anything is written it checks the manifest, every SHA-256, that the
engine matches and that the code knows every migration the backup has applied (a backup of a
newer version is refused). Then: media extracted into a new sibling folder (a full disk shows
here, before the database is touched), the database restored as one unit (SQLite: a checked
copy renamed into place; PostgreSQL: ``pg_restore --single-transaction``), rows per table
compared with the manifest, and the media folder renamed into place.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import logging
import os
import platform
import shutil
import time
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import connections
from django.utils import timezone

from . import engines
from .manifest import (
    MANIFEST,
    MEDIA_FILE,
    PG_FILE,
    SQLITE_FILE,
    BackupBusyError,
    BackupError,
    FileEntry,
    Manifest,
    disk_full,
    is_disk_full,
    sha256_file,
    verify_files,
)
from .media import media_inventory, media_tar_create, media_tar_extract
from .progress import Progress, Silent

logger = logging.getLogger("doingoai.backups")

NAME_FORMAT = "%Y-%m-%d_%H%M%S"
PARTIAL_PREFIX = ".partial-"
LOCK_FILE = ".lock"
# Room kept free beyond the estimate, so that a backup never fills the disk to the last byte.
MARGIN_BYTES = 64 * 1024 * 1024


# --- settings -------------------------------------------------------------------------------


def backup_root() -> Path:
    return Path(getattr(settings, "BACKUP_DIR", "") or Path(settings.BASE_DIR) / "var" / "backups")


def backup_keep() -> int:
    return max(1, int(getattr(settings, "BACKUP_KEEP", 7)))


def backup_hour() -> int | None:
    """The local hour after which the daily backup is made; None: no scheduled backup."""
    value = str(getattr(settings, "BACKUP_HOUR", "2")).strip().lower()
    if value in ("", "off", "none", "-1"):
        return None
    return min(max(int(value), 0), 23)


# --- listing and retention ------------------------------------------------------------------


@dataclass
class BackupInfo:
    path: Path
    started: dt.datetime

    @property
    def name(self) -> str:
        return self.path.name


def backups_list(root: Path | None = None) -> list[BackupInfo]:
    """Complete backups (a folder with a manifest), oldest first."""
    root = root or backup_root()
    if not root.is_dir():
        return []
    found = []
    for path in root.iterdir():
        if not path.is_dir() or path.name.startswith(".") or not (path / MANIFEST).is_file():
            continue
        try:
            started = dt.datetime.strptime(path.name[:17], NAME_FORMAT)
        except ValueError:
            continue
        found.append(BackupInfo(path=path, started=timezone.make_aware(started)))
    return sorted(found, key=lambda info: (info.started, info.name))


def backups_prune(root: Path | None = None, keep: int | None = None) -> list[Path]:
    """Remove the generations beyond the newest ``keep`` and partial folders left by backups
    that stopped; returns what was removed."""
    root = root or backup_root()
    keep = keep or backup_keep()
    removed = []
    backups = backups_list(root)
    for info in backups[: max(len(backups) - keep, 0)]:
        shutil.rmtree(info.path)
        removed.append(info.path)
    if root.is_dir():
        for path in root.iterdir():
            if path.name.startswith(PARTIAL_PREFIX) and path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
                removed.append(path)
    return removed


@contextmanager
def _exclusive(root: Path):
    """One backup at a time per folder (the periodic job and an operator's command)."""
    root.mkdir(parents=True, exist_ok=True)
    with (root / LOCK_FILE).open("w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BackupBusyError(
                f"Đang có một bản sao lưu khác chạy trong {root} / another backup is running"
            ) from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


# --- backup ---------------------------------------------------------------------------------


@dataclass
class BackupResult:
    path: Path
    manifest: Manifest
    removed: list[Path] = field(default_factory=list)

    @property
    def bytes(self) -> int:
        return (
            sum(entry.bytes for entry in self.manifest.files)
            + (self.path / MANIFEST).stat().st_size
        )


def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    found = {"python": platform.python_version()}
    for package in ("doingoai", "Django", "wagtail"):
        with suppress(PackageNotFoundError):
            found[package.lower()] = version(package)
    return found


def _media_root() -> Path | None:
    """The folder of uploaded files, or None when media live in another storage."""
    if not isinstance(default_storage, FileSystemStorage):
        return None
    return Path(settings.MEDIA_ROOT)


def _database_size(alias: str) -> int:
    connection = connections[alias]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA page_count")
            pages = cursor.fetchone()[0]
            cursor.execute("PRAGMA page_size")
            return pages * cursor.fetchone()[0]
        cursor.execute("SELECT pg_database_size(current_database())")
        # A custom-format dump is compressed: a quarter of the database is a fair estimate.
        return cursor.fetchone()[0] // 4


def _check_free_space(folder: Path, needed: int) -> None:
    free = shutil.disk_usage(folder).free
    if free < needed + MARGIN_BYTES:
        from .progress import human_bytes

        raise disk_full(
            folder,
            BackupError(f"cần khoảng {human_bytes(needed)}, còn trống {human_bytes(free)}"),
        )


def _new_folder_name(root: Path, started: dt.datetime) -> str:
    base = timezone.localtime(started).strftime(NAME_FORMAT)
    name, n = base, 1
    while (root / name).exists():
        n += 1
        name = f"{base}-{n}"
    return name


def _dump_database(alias: str, folder: Path, progress) -> tuple[str, FileEntry, dict, list]:
    connection = connections[alias]
    engine = engines.engine_name(connection.settings_dict)
    if engine == "sqlite":
        connection.ensure_connection()
        dest = folder / SQLITE_FILE
        engines.sqlite_copy(connection.connection, dest, progress)
        progress.note("  Kiểm tra bản sao cơ sở dữ liệu (PRAGMA quick_check)…")
        counts, migrations = engines.sqlite_inspect(dest)
    else:
        dest = folder / PG_FILE
        settings_dict = connection.settings_dict
        with closing(engines.pg_connect(settings_dict)) as conn:
            conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
            progress.note("  Đếm số dòng từng bảng trong ảnh chụp…")
            counts = engines.pg_counts(conn)
            migrations = engines.pg_migrations(conn, counts)
            engines.pg_dump(
                settings_dict, dest, snapshot=snapshot, tables=len(counts), progress=progress
            )
            conn.execute("ROLLBACK")
    progress.note("  Tính mã kiểm tra SHA-256 của cơ sở dữ liệu…")
    entry = FileEntry(name=dest.name, sha256=sha256_file(dest), bytes=dest.stat().st_size)
    return engine, entry, counts, migrations


def backup_create(
    *,
    root: Path | None = None,
    media: bool = True,
    keep: int | None = None,
    progress: Progress | None = None,
    alias: str = "default",
) -> BackupResult:
    """Back up the database and the media files into a new dated folder under ``root``."""
    progress = progress or Silent()
    root = root or backup_root()
    clock = time.monotonic()
    started = timezone.now()
    with _exclusive(root):
        media_root = _media_root() if media else None
        if media and media_root is None:
            progress.note(
                "  Tệp media không nằm trên đĩa này: sao lưu chúng bằng công cụ của nơi lưu."
            )
        media_size = media_inventory(media_root)[2] if media_root else 0
        _check_free_space(root, _database_size(alias) + media_size)
        name = _new_folder_name(root, started)
        partial = root / f"{PARTIAL_PREFIX}{name}"
        partial.mkdir()
        try:
            progress.note(f"Sao lưu cơ sở dữ liệu vào {root / name}…")
            engine, db_entry, counts, migrations = _dump_database(alias, partial, progress)
            media_entry, media_files, media_bytes = None, 0, 0
            if media_root is not None:
                progress.note(f"Sao lưu tệp media từ {media_root}…")
                media_entry, media_files, media_bytes = media_tar_create(
                    media_root, partial / MEDIA_FILE, progress
                )
            manifest = Manifest(
                created_at=timezone.localtime(started).isoformat(timespec="seconds"),
                finished_at=timezone.localtime().isoformat(timespec="seconds"),
                seconds=time.monotonic() - clock,
                engine=engine,
                host=platform.node(),
                versions=_versions(),
                database=db_entry,
                media=media_entry,
                media_files=media_files,
                media_bytes=media_bytes,
                migrations=migrations,
                row_counts=counts,
            )
            manifest.write(partial)
            _fsync_dir(partial)
            final = root / name
            partial.rename(final)
            _fsync_dir(root)
        except BaseException as error:
            shutil.rmtree(partial, ignore_errors=True)
            if isinstance(error, OSError) and is_disk_full(error):
                raise disk_full(root, error) from error
            raise
        removed = backups_prune(root, keep)
    return BackupResult(path=final, manifest=manifest, removed=removed)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# --- restore --------------------------------------------------------------------------------


@dataclass
class RestoreTarget:
    engine: str
    settings: dict  # a Django DATABASES entry
    media_root: Path | None

    @property
    def name(self) -> str:
        return str(self.settings.get("NAME") or "")

    def describe(self) -> str:
        if self.engine == "sqlite":
            return f"SQLite {self.name}"
        host = self.settings.get("HOST") or "localhost"
        return f"PostgreSQL {self.name} @ {host}"


def restore_target(
    *, database_url: str | None = None, media_root: str | Path | None = None, alias="default"
) -> RestoreTarget:
    if database_url:
        import dj_database_url

        settings_dict = dj_database_url.parse(database_url)
    else:
        settings_dict = dict(connections[alias].settings_dict)
    engine = engines.engine_name(settings_dict)
    if engine == "sqlite":
        name = str(settings_dict.get("NAME") or "")
        if not name or name == ":memory:" or "mode=memory" in name:
            raise BackupError(
                "Không khôi phục vào cơ sở dữ liệu trong bộ nhớ: chỉ định --database-url "
                "sqlite:////đường/dẫn/tệp.sqlite3 / cannot restore into an in-memory database"
            )
    root = Path(media_root) if media_root else _media_root()
    return RestoreTarget(engine=engine, settings=settings_dict, media_root=root)


def known_migrations() -> set[str]:
    """Every migration this code has on disk, and the ones its squashed migrations replace."""
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set()
    for (app, name), migration in loader.disk_migrations.items():
        known.add(f"{app}.{name}")
        known.update(f"{a}.{n}" for a, n in (migration.replaces or []))
    return known


def check_schema(manifest: Manifest) -> list[str]:
    """Refuse a backup made by a newer version (migrations this code does not have); returns
    the code's migrations the backup lacks (run ``migrate`` after restoring)."""
    known = known_migrations()
    unknown = sorted(set(manifest.migrations) - known)
    if unknown:
        listed = ", ".join(unknown[:5]) + (" …" if len(unknown) > 5 else "")
        raise BackupError(
            f"Bản sao lưu được tạo bởi một phiên bản mới hơn của phần mềm: cơ sở dữ liệu của nó "
            f"có {len(unknown)} bước chuyển đổi (migration) mà mã nguồn này không có ({listed}). "
            f"Cài phiên bản đã tạo bản sao lưu ({manifest.versions.get('doingoai', '?')}) rồi "
            f"khôi phục; không có gì bị ghi / backup of a newer schema version"
        )
    return pending_migrations(set(manifest.migrations))


def pending_migrations(applied: set[str]) -> list[str]:
    """The code's migrations a database with ``applied`` has not run (``migrate`` runs them)."""
    from django.db.migrations.loader import MigrationLoader

    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    pending = []
    for (app, name), migration in graph.nodes.items():
        if f"{app}.{name}" in applied:
            continue
        if migration.replaces and all(f"{a}.{n}" in applied for a, n in migration.replaces):
            continue
        pending.append(f"{app}.{name}")
    return sorted(pending)


@dataclass
class RestoreResult:
    target: RestoreTarget
    manifest: Manifest
    counts: dict[str, int]
    media_files: int = 0
    pending_migrations: list[str] = field(default_factory=list)
    moved_aside: list[Path] = field(default_factory=list)
    seconds: float = 0.0


def backup_verify(folder: Path, progress: Progress | None = None) -> Manifest:
    """Manifest readable, every file present with its size and SHA-256."""
    progress = progress or Silent()
    manifest = Manifest.read(folder)
    verify_files(folder, manifest, progress)
    return manifest


def _is_empty_dir(path: Path) -> bool:
    return not path.exists() or (path.is_dir() and not any(path.iterdir()))


def _aside(path: Path, stamp: str) -> Path:
    return path.with_name(f"{path.name}.before-restore-{stamp}")


def _compare_counts(expected: dict[str, int], actual: dict[str, int]) -> None:
    differ = [
        f"{table}: {expected[table]} → {actual.get(table, 'thiếu bảng')}"
        for table in sorted(expected)
        if actual.get(table) != expected[table]
    ]
    if differ:
        raise BackupError(
            "Số dòng sau khi khôi phục khác bản sao lưu: "
            + "; ".join(differ[:10])
            + " / row counts differ after restore"
        )


def backup_restore(
    folder: Path,
    *,
    database_url: str | None = None,
    media_root: str | Path | None = None,
    media: bool = True,
    force: bool = False,
    progress: Progress | None = None,
) -> RestoreResult:
    progress = progress or Silent()
    clock = time.monotonic()
    folder = Path(folder)
    target = restore_target(database_url=database_url, media_root=media_root)

    # 1. Everything checked before anything is written.
    progress.note(f"Kiểm tra bản sao lưu {folder}…")
    manifest = Manifest.read(folder)
    if manifest.engine != target.engine:
        raise BackupError(
            f"Bản sao lưu là của {manifest.engine}, nơi khôi phục là {target.engine}: hãy khôi "
            f"phục vào cùng loại cơ sở dữ liệu / engine mismatch"
        )
    pending = check_schema(manifest)
    restore_media = media and manifest.media is not None and target.media_root is not None
    _check_targets_empty(target, restore_media=restore_media, force=force)
    verify_files(folder, manifest, progress)
    if restore_media:
        parent = target.media_root.parent
        parent.mkdir(parents=True, exist_ok=True)
        _check_free_space(parent, manifest.media_bytes)
    if target.engine == "sqlite":
        db_folder = Path(target.name).parent
        db_folder.mkdir(parents=True, exist_ok=True)
        _check_free_space(db_folder, manifest.database.bytes)

    stamp = timezone.localtime().strftime(NAME_FORMAT)
    staged_media = None
    moved: list[Path] = []
    media_files = 0
    try:
        # 2. Media into a new folder beside the target (a full disk stops us here).
        if restore_media:
            staged_media = target.media_root.with_name(
                f".{target.media_root.name}.restoring-{stamp}"
            )
            progress.note(f"Giải nén tệp media vào {staged_media}…")
            media_files = media_tar_extract(
                folder / MEDIA_FILE, staged_media, progress, total_bytes=manifest.media_bytes
            )
            if media_files != manifest.media_files:
                raise BackupError(
                    f"media.tar có {media_files} tệp, manifest ghi {manifest.media_files} "
                    f"/ media file count differs"
                )
        # 3. The database, as one unit.
        progress.note(f"Khôi phục cơ sở dữ liệu vào {target.describe()}…")
        if target.engine == "sqlite":
            counts, moved_db = _restore_sqlite(folder, manifest, target, force, stamp, progress)
            moved += moved_db
        else:
            counts = _restore_postgresql(folder, manifest, target, force, progress)
        # 4. Media renamed into place.
        if staged_media is not None:
            if target.media_root.exists():
                if force and not _is_empty_dir(target.media_root):
                    aside = _aside(target.media_root, stamp)
                    target.media_root.rename(aside)
                    moved.append(aside)
                else:
                    target.media_root.rmdir()
            staged_media.rename(target.media_root)
            staged_media = None
    finally:
        if staged_media is not None:
            shutil.rmtree(staged_media, ignore_errors=True)
    return RestoreResult(
        target=target,
        manifest=manifest,
        counts=counts,
        media_files=media_files,
        pending_migrations=pending,
        moved_aside=moved,
        seconds=time.monotonic() - clock,
    )


def _check_targets_empty(target: RestoreTarget, *, restore_media: bool, force: bool) -> None:
    problems = []
    if target.engine == "sqlite":
        if not engines.sqlite_is_empty(Path(target.name)):
            problems.append(f"cơ sở dữ liệu {target.describe()} đã có dữ liệu")
    elif engines.pg_database_exists(target.settings, target.name) and not engines.pg_is_empty(
        target.settings, target.name
    ):
        problems.append(f"cơ sở dữ liệu {target.describe()} đã có bảng")
    if restore_media and not _is_empty_dir(target.media_root):
        problems.append(f"thư mục media {target.media_root} không trống")
    if problems and not force:
        raise BackupError(
            "Không khôi phục đè: "
            + "; ".join(problems)
            + ". Khôi phục vào cơ sở dữ liệu và thư mục mới (--database-url, --media-root), "
            "hoặc thêm --force để thay thế (dừng cổng thông tin trước) "
            "/ target is not empty: use a fresh database or --force"
        )


def _restore_sqlite(folder, manifest, target, force, stamp, progress):
    path = Path(target.name)
    staged = path.with_name(f".{path.name}.restoring-{stamp}")
    moved = []
    try:
        _copy_with_progress(folder / manifest.database.name, staged, progress)
        progress.note("  Kiểm tra cơ sở dữ liệu đã chép và đếm số dòng…")
        counts, _migrations = engines.sqlite_inspect(staged)
        _compare_counts(manifest.row_counts, counts)
        if path.exists() and force and not engines.sqlite_is_empty(path):
            # The old database and its WAL go aside together: nothing of it is lost.
            for old in [path, *engines.sqlite_sidecars(path)]:
                if old.exists():
                    aside = _aside(old, stamp)
                    old.rename(aside)
                    moved.append(aside)
        else:
            for old in engines.sqlite_sidecars(path):
                old.unlink(missing_ok=True)
        os.replace(staged, path)
    except BaseException:
        staged.unlink(missing_ok=True)
        raise
    return counts, moved


def _copy_with_progress(source: Path, dest: Path, progress) -> None:
    total = source.stat().st_size
    done = 0
    try:
        with source.open("rb") as src, dest.open("xb") as dst:
            while chunk := src.read(1024 * 1024):
                dst.write(chunk)
                done += len(chunk)
                progress.step("Chép cơ sở dữ liệu", done, total)
            dst.flush()
            os.fsync(dst.fileno())
    except OSError as error:
        dest.unlink(missing_ok=True)
        if is_disk_full(error):
            raise disk_full(dest.parent, error) from error
        raise


def _restore_postgresql(folder, manifest, target, force, progress) -> dict[str, int]:
    name = target.name
    if not engines.pg_database_exists(target.settings, name):
        progress.note(f"  Tạo cơ sở dữ liệu {name}…")
        engines.pg_create_database(target.settings, name)
    engines.pg_restore(
        target.settings,
        name,
        folder / manifest.database.name,
        clean=force,
        tables=len(manifest.row_counts),
        progress=progress,
    )
    progress.note("  Đếm số dòng từng bảng…")
    counts = engines.pg_target_counts(target.settings, name)
    _compare_counts(manifest.row_counts, counts)
    return counts


# --- the daily job --------------------------------------------------------------------------


def backup_due(now: dt.datetime | None = None, root: Path | None = None) -> bool:
    """Due once a day: after BACKUP_HOUR (local time), when no backup started since then."""
    hour = backup_hour()
    if hour is None:
        return False
    now = timezone.localtime(now or timezone.now())
    mark = now.replace(hour=hour, minute=0, second=0, microsecond=0)
    if now < mark:
        mark -= dt.timedelta(days=1)
    backups = backups_list(root)
    return not backups or backups[-1].started < mark


def backup_scheduled() -> str | None:
    """The periodic job's work: a backup when one is due; progress goes to the log."""
    if not backup_due():
        return None
    try:
        result = backup_create(progress=Progress(None))
    except BackupBusyError:
        return None  # the one running (an operator's, or a slow earlier run) is enough
    except BackupError as error:
        logger.error("Scheduled backup failed: %s", error)
        raise
    logger.info(
        "Backup %s: %s, %d tables, %d media files, %.1f s",
        result.path,
        result.manifest.engine,
        len(result.manifest.row_counts),
        result.manifest.media_files,
        result.manifest.seconds,
    )
    return str(result.path)
