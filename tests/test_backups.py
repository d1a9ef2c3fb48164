"""Backups with a verified restore (issue #12), on the engine CI runs: SQLite in the first run,
PostgreSQL in the second (a scratch database is created for the restore and dropped after).

A backup of the test database is restored into a fresh database and media folder; the rows of
every table and a rendered article (in a separate process reading only the restored copy)
must match. Bad input: a corrupt file, a backup of a newer schema, a full disk — each a clear
error with nothing half-restored."""

from __future__ import annotations

import errno
import io
import json
import os
import re
import sqlite3
import subprocess
import sys
import tarfile
import uuid
from contextlib import closing
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client

from doingoai.backups import engines, services
from doingoai.backups.manifest import MANIFEST, SUMS, BackupError, DiskFullError, Manifest
from doingoai.registers.models import PressEvent, Unit
from tests.factories import build_portal

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parent.parent
ENGINE = connection.vendor  # "sqlite" or "postgresql"


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


@pytest.fixture
def backup_dir(settings, tmp_path):
    settings.BACKUP_DIR = str(tmp_path / "backups")
    return Path(settings.BACKUP_DIR)


@pytest.fixture
def target(tmp_path):
    """A fresh database to restore into: a SQLite file, or a scratch PostgreSQL database
    (the restore creates it; dropped at the end)."""
    if ENGINE == "sqlite":
        yield {"url": f"sqlite:///{tmp_path / 'restored' / 'db.sqlite3'}", "name": None}
        return
    settings_dict = connection.settings_dict
    name = f"doingoai_restore_{uuid.uuid4().hex[:10]}"
    auth = settings_dict["USER"] + (
        f":{settings_dict['PASSWORD']}" if settings_dict["PASSWORD"] else ""
    )
    host = f"{settings_dict['HOST'] or 'localhost'}:{settings_dict['PORT'] or 5432}"
    yield {"url": f"postgres://{auth}@{host}/{name}", "name": name}
    with closing(engines.pg_connect(settings_dict, "postgres")) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def restored_counts(target: dict) -> dict[str, int]:
    if ENGINE == "sqlite":
        path = target["url"].removeprefix("sqlite:///")
        with closing(sqlite3.connect(path)) as db:
            return engines.sqlite_counts(db)
    return engines.pg_target_counts(connection.settings_dict, target["name"])


def target_is_untouched(target: dict) -> bool:
    if ENGINE == "sqlite":
        return not Path(target["url"].removeprefix("sqlite:///")).exists()
    settings_dict = connection.settings_dict
    return not engines.pg_database_exists(settings_dict, target["name"]) or engines.pg_is_empty(
        settings_dict, target["name"]
    )


def live_counts() -> dict[str, int]:
    if ENGINE == "sqlite":
        connection.ensure_connection()
        return engines.sqlite_counts(connection.connection)
    return engines.pg_target_counts(connection.settings_dict, connection.settings_dict["NAME"])


def render_restored(target: dict, media: Path, path: str, tmp_path: Path) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("REDIS_URL", "TASKS_BACKEND", "DJANGO_SETTINGS_MODULE")
        and not key.startswith("PYTEST")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="doingoai.settings.dev",
        DATABASE_URL=target["url"],
        DOINGOAI_MEDIA_ROOT=str(media),
        DOINGOAI_VAR_DIR=str(tmp_path / "render-var"),
        PERIODIC_JOBS_IN_PROCESS="0",
        DATABASE_CONN_MAX_AGE="0",
    )
    result = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "backup_render.py"), path],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def article_parts(html: str) -> dict:
    """What a reader sees of the article: title, headline, body text, picture addresses."""
    main = re.search(r"<main.*?</main>", html, re.S).group(0)
    main = re.sub(r'<div class="visit-counter.*?</div>', "", main, flags=re.S)
    return {
        "title": re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip(),
        "h1": re.search(r"<h1[^>]*>(.*?)</h1>", main, re.S).group(1).strip(),
        "text": re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main)).strip(),
        "media": sorted(set(re.findall(r'(/media/[^"\s,]+)', html))),
    }


def make_content(media_root: Path, *, pages: bool = False):
    """A register record and an uploaded file (and a small portal with pages)."""
    portal = build_portal(n_articles=2) if pages else None
    unit = Unit.objects.create(name="Sở Ngoại vụ", is_province_level=True)
    PressEvent.objects.create(
        unit=unit,
        kind=PressEvent._meta.get_field("kind").choices[0][0],
        title="Họp báo quý IV",
        held_on="2026-11-30",
        spokesperson="Nguyễn Văn An",
    )
    (media_root / "documents").mkdir(exist_ok=True)
    for n in range(3):
        (media_root / "documents" / f"bao-cao-{n}.pdf").write_bytes(b"%PDF-1.4 thu nghiem\n" * 100)
    return portal


def run(command: str, *args) -> str:
    out = io.StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


def test_backup_restores_into_a_fresh_database_with_the_same_rows_and_page(
    media_root, backup_dir, target, tmp_path
):
    portal = make_content(media_root, pages=True)
    article_url = portal.articles[0].get_url()
    original = Client(HTTP_HOST="localhost").get(article_url)
    assert original.status_code == 200
    before = live_counts()

    output = run("backup")
    folder = services.backups_list()[-1].path
    assert f"Đã sao lưu vào {folder}" in output
    assert "100 %" in output  # progress lines
    manifest = Manifest.read(folder)
    assert manifest.engine == ENGINE
    assert manifest.row_counts == before
    assert manifest.row_counts["registers_pressevent"] == 1
    assert "registers.0001_initial" in manifest.migrations
    assert manifest.media_files == sum(1 for p in media_root.rglob("*") if p.is_file())
    sums = (folder / SUMS).read_text()
    assert manifest.database.sha256 in sums and MANIFEST in sums

    restored_media = tmp_path / "restored" / "media"
    output = run(
        "restore_backup",
        str(folder),
        "--database-url",
        target["url"],
        "--media-root",
        str(restored_media),
    )
    assert "khớp manifest" in output
    assert restored_counts(target) == before
    assert (restored_media / "documents" / "bao-cao-2.pdf").read_bytes().startswith(b"%PDF")

    page = render_restored(target, restored_media, article_url, tmp_path)
    assert page["status"] == 200
    expected = article_parts(original.content.decode())
    actual = article_parts(page["html"])
    assert actual == expected
    assert expected["media"], "the article shows its picture"
    assert set(page["media"].values()) == {200}, page["media"]


def test_restore_refuses_a_non_empty_database_unless_forced(media_root, backup_dir, tmp_path):
    make_content(media_root)
    folder = services.backup_create().path
    # The configured (test) database and media folder hold data: refused, nothing changed
    # (SQLite's test database lives in memory, which is refused as a target anyway).
    before = live_counts()
    refusal = "Không khôi phục đè" if ENGINE != "sqlite" else "trong bộ nhớ"
    with pytest.raises(CommandError, match=refusal):
        run("restore_backup", "latest")
    assert live_counts() == before
    if ENGINE != "sqlite":
        return
    db = tmp_path / "existing.sqlite3"
    with closing(sqlite3.connect(db)) as existing:
        existing.execute("CREATE TABLE giu_lai (x)")
        existing.commit()
    with pytest.raises(BackupError, match="đã có dữ liệu"):
        services.backup_restore(folder, database_url=f"sqlite:///{db}", media=False)
    result = services.backup_restore(
        folder, database_url=f"sqlite:///{db}", media=False, force=True
    )
    assert result.counts == before
    aside = [path for path in result.moved_aside if path.name.startswith("existing.sqlite3.")]
    assert aside, "the replaced database is kept beside the new one"
    with closing(sqlite3.connect(aside[0])) as old:
        assert engines.sqlite_tables(old) == ["giu_lai"]


def test_a_corrupt_backup_is_refused_before_anything_is_written(
    media_root, backup_dir, target, tmp_path
):
    make_content(media_root)
    folder = services.backup_create().path
    database = folder / Manifest.read(folder).database.name
    data = bytearray(database.read_bytes())
    data[len(data) // 2] ^= 0xFF
    database.write_bytes(bytes(data))
    restored_media = tmp_path / "restored-media"
    with pytest.raises(CommandError, match="mã kiểm tra SHA-256 của database"):
        run(
            "restore_backup",
            str(folder),
            "--database-url",
            target["url"],
            "--media-root",
            str(restored_media),
        )
    assert target_is_untouched(target)
    assert not restored_media.exists()
    with pytest.raises(CommandError, match="không khớp"):
        run("backup", "--verify", str(folder))


def _rewrite_manifest(folder: Path, change) -> None:
    import hashlib

    raw = json.loads((folder / MANIFEST).read_text())
    change(raw)
    (folder / MANIFEST).write_text(json.dumps(raw, ensure_ascii=False, indent=2) + "\n")
    digest = hashlib.sha256((folder / MANIFEST).read_bytes()).hexdigest()
    lines = [
        f"{digest}  {MANIFEST}" if line.endswith(f"  {MANIFEST}") else line
        for line in (folder / SUMS).read_text().splitlines()
    ]
    (folder / SUMS).write_text("\n".join(lines) + "\n")


def test_a_backup_of_a_newer_schema_is_refused(media_root, backup_dir, target, tmp_path):
    make_content(media_root)
    folder = services.backup_create().path
    _rewrite_manifest(
        folder, lambda raw: raw["migrations"].append("registers.9999_from_the_future")
    )
    restored_media = tmp_path / "restored-media"
    with pytest.raises(CommandError, match=r"phiên bản mới hơn.*registers\.9999_from_the_future"):
        run(
            "restore_backup",
            str(folder),
            "--database-url",
            target["url"],
            "--media-root",
            str(restored_media),
        )
    assert target_is_untouched(target)
    assert not restored_media.exists()


def test_an_edited_manifest_is_refused(media_root, backup_dir):
    make_content(media_root)
    folder = services.backup_create().path
    raw = json.loads((folder / MANIFEST).read_text())
    raw["row_counts"]["registers_pressevent"] = 7
    (folder / MANIFEST).write_text(json.dumps(raw))
    with pytest.raises(BackupError, match=r"manifest\.json không khớp"):
        services.backup_verify(folder)


def test_a_full_disk_during_restore_leaves_nothing_half_restored(
    media_root, backup_dir, target, tmp_path, monkeypatch
):
    make_content(media_root)
    folder = services.backup_create().path
    extract = tarfile.TarFile.extract
    calls = {"n": 0}

    def extract_until_full(self, member, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] > 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        return extract(self, member, *args, **kwargs)

    monkeypatch.setattr(tarfile.TarFile, "extract", extract_until_full)
    restored_media = tmp_path / "restored" / "media"
    with pytest.raises(DiskFullError, match="Không đủ chỗ trống"):
        services.backup_restore(folder, database_url=target["url"], media_root=restored_media)
    assert target_is_untouched(target)
    assert not restored_media.exists()
    assert not any(p.name.startswith(".media.restoring") for p in restored_media.parent.iterdir())


def test_too_little_free_space_is_refused_before_writing(
    media_root, backup_dir, target, tmp_path, monkeypatch
):
    make_content(media_root)
    folder = services.backup_create().path

    class Usage:
        free = 1024

    monkeypatch.setattr(services.shutil, "disk_usage", lambda path: Usage)
    with pytest.raises(CommandError, match="Không đủ chỗ trống"):
        run("backup")
    assert len(services.backups_list()) == 1
    assert not list(backup_dir.glob(".partial-*"))
    with pytest.raises(DiskFullError):
        services.backup_restore(
            folder, database_url=target["url"], media_root=tmp_path / "restored-media"
        )
    assert target_is_untouched(target)


def test_a_full_disk_during_backup_keeps_the_older_backups(media_root, backup_dir, monkeypatch):
    make_content(media_root)
    first = services.backup_create(keep=1).path
    from doingoai.backups import media

    def full(self, size=-1):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(media._CountingReader, "read", full)
    with pytest.raises(DiskFullError):
        services.backup_create(keep=1)
    assert [info.path for info in services.backups_list()] == [first]
    assert not list(backup_dir.glob(".partial-*"))
    services.backup_verify(first)


def test_generations_beyond_backup_keep_are_removed(media_root, backup_dir, settings):
    settings.BACKUP_KEEP = 2
    make_content(media_root)
    made = [services.backup_create(media=False).path for _ in range(3)]
    assert [info.path for info in services.backups_list()] == made[1:]
    listed = [line.split()[0] for line in run("backup", "--list").splitlines()]
    assert listed == [path.name for path in made[1:]]


def test_the_daily_job_runs_once_after_backup_hour(media_root, backup_dir, settings):
    import datetime as dt

    from django.utils import timezone

    from doingoai.core.periodic import registered_jobs

    assert "backup" in {job.name for job in registered_jobs()}
    assert services.backup_due()  # no backup at all yet
    make_content(media_root)
    assert services.backup_scheduled() is not None
    newest = timezone.localtime(services.backups_list()[-1].started)
    settings.BACKUP_HOUR = str(newest.hour)
    assert not services.backup_due(now=newest + dt.timedelta(hours=1))
    assert services.backup_scheduled() is None
    next_day = newest.replace(minute=0, second=0) + dt.timedelta(days=1, minutes=5)
    assert services.backup_due(now=next_day)
    settings.BACKUP_HOUR = "off"
    assert not services.backup_due(now=next_day)


def test_a_restore_failing_half_way_leaves_the_target_as_it_was(
    media_root, backup_dir, target, tmp_path
):
    """A dump that passes its (rewritten) checksums but breaks in the middle: PostgreSQL's
    single transaction rolls back, SQLite's checked copy never replaces anything."""
    import hashlib

    make_content(media_root)
    folder = services.backup_create().path
    name = Manifest.read(folder).database.name
    database = folder / name
    database.write_bytes(database.read_bytes()[: database.stat().st_size * 3 // 5])
    digest = hashlib.sha256(database.read_bytes()).hexdigest()

    def forge(raw):
        raw["database"].update(sha256=digest, bytes=database.stat().st_size)

    _rewrite_manifest(folder, forge)
    sums = (folder / SUMS).read_text().splitlines()
    (folder / SUMS).write_text(
        "\n".join(f"{digest}  {name}" if line.endswith(f"  {name}") else line for line in sums)
        + "\n"
    )
    restored_media = tmp_path / "restored-media"
    with pytest.raises(BackupError):
        services.backup_restore(folder, database_url=target["url"], media_root=restored_media)
    assert target_is_untouched(target)
    assert not restored_media.exists()
    assert not any(p.name.startswith(".restored-media") for p in tmp_path.iterdir())
