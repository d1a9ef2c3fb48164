"""The two database engines: a consistent copy of the running database, and a restore into an
empty one that either completes or leaves the target as it was.

SQLite: ``sqlite3.Connection.backup`` copies the database page by page through the portal's own
connection (a write by another process restarts the copy, so the result is one consistent
state); the copy is checked (``PRAGMA quick_check``) and its rows counted from the copy itself.

PostgreSQL: one ``REPEATABLE READ`` transaction exports its snapshot; the rows are counted in
it and ``pg_dump --snapshot`` dumps exactly that state while the portal keeps writing. A restore
is one ``pg_restore --single-transaction --exit-on-error``: all of it or nothing.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
from collections import deque
from contextlib import closing
from pathlib import Path

from .manifest import BackupError, disk_full, is_disk_full

SYSTEM_SCHEMAS = ("pg_catalog", "information_schema")
# libpq parameters that may appear in Django's OPTIONS, and their environment variables.
PG_OPTION_ENV = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
    "connect_timeout": "PGCONNECT_TIMEOUT",
}


def engine_name(settings_dict: dict) -> str:
    engine = settings_dict.get("ENGINE", "")
    if "sqlite" in engine:
        return "sqlite"
    if "postgres" in engine:
        return "postgresql"
    raise BackupError(
        f"Chỉ sao lưu được SQLite và PostgreSQL, không phải {engine} / unsupported database engine"
    )


# --- SQLite ---------------------------------------------------------------------------------


def sqlite_tables(db: sqlite3.Connection) -> list[str]:
    rows = db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name"
    )
    return [name for (name,) in rows]


def sqlite_counts(db: sqlite3.Connection) -> dict[str, int]:
    counts = {}
    for name in sqlite_tables(db):
        quoted = '"' + name.replace('"', '""') + '"'
        counts[name] = db.execute(f"SELECT count(*) FROM {quoted}").fetchone()[0]  # noqa: S608
    return counts


def migrations_from_rows(rows) -> list[str]:
    return sorted(f"{app}.{name}" for app, name in rows)


def sqlite_copy(source: sqlite3.Connection, dest: Path, progress) -> None:
    """Copy the live database into ``dest`` (a new file) with the online backup API."""
    pages = source.execute("PRAGMA page_count").fetchone()[0] or 1
    step = max(256, pages // 50)

    def report(_status, remaining, total):
        progress.step("Cơ sở dữ liệu", total - remaining, total, unit="trang")

    try:
        with closing(sqlite3.connect(dest)) as target:
            source.backup(target, pages=step, progress=report)
            # A standalone file: no -wal beside it when it is opened later.
            target.execute("PRAGMA journal_mode=DELETE")
    except sqlite3.Error as error:
        if is_disk_full(error):
            raise disk_full(dest.parent, error) from error
        raise BackupError(f"Sao lưu SQLite thất bại: {error} / SQLite backup failed") from error


def sqlite_inspect(path: Path) -> tuple[dict[str, int], list[str]]:
    """Check a database file, then its rows per table and its applied migrations."""
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
            result = db.execute("PRAGMA quick_check").fetchone()[0]
            if result != "ok":
                raise BackupError(
                    f"Tệp cơ sở dữ liệu {path.name} bị lỗi ({result}) / database check failed"
                )
            counts = sqlite_counts(db)
            migrations = []
            if "django_migrations" in counts:
                migrations = migrations_from_rows(
                    db.execute("SELECT app, name FROM django_migrations")
                )
    except sqlite3.DatabaseError as error:
        raise BackupError(
            f"Tệp cơ sở dữ liệu {path.name} không đọc được ({error}) / unreadable database file"
        ) from error
    return counts, migrations


def sqlite_is_empty(path: Path) -> bool:
    if not path.exists() or path.stat().st_size == 0:
        return True
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
            return not sqlite_tables(db)
    except sqlite3.DatabaseError:
        return False  # something that is not an empty database: never overwrite it silently


def sqlite_sidecars(path: Path) -> list[Path]:
    return [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm", "-journal")]


# --- PostgreSQL -----------------------------------------------------------------------------


def pg_settings_env(settings_dict: dict, database: str | None = None) -> dict[str, str]:
    """libpq environment variables (the password never appears on a command line)."""
    env = dict(os.environ)
    values = {
        "PGDATABASE": database or settings_dict.get("NAME") or "",
        "PGUSER": settings_dict.get("USER") or "",
        "PGPASSWORD": settings_dict.get("PASSWORD") or "",
        "PGHOST": settings_dict.get("HOST") or "",
        "PGPORT": str(settings_dict.get("PORT") or ""),
    }
    for key, value in values.items():
        if value:
            env[key] = value
    for option, variable in PG_OPTION_ENV.items():
        value = (settings_dict.get("OPTIONS") or {}).get(option)
        if value:
            env[variable] = str(value)
    return env


def pg_connect(settings_dict: dict, database: str | None = None, *, autocommit: bool = True):
    import psycopg

    params = {
        "dbname": database or settings_dict.get("NAME"),
        "user": settings_dict.get("USER") or None,
        "password": settings_dict.get("PASSWORD") or None,
        "host": settings_dict.get("HOST") or None,
        "port": settings_dict.get("PORT") or None,
    }
    options = settings_dict.get("OPTIONS") or {}
    params.update({key: value for key, value in options.items() if key in PG_OPTION_ENV})
    params = {key: value for key, value in params.items() if value not in (None, "")}
    return psycopg.connect(autocommit=autocommit, **params)


def pg_tables(conn) -> list[tuple[str, str]]:
    rows = conn.execute(
        "SELECT schemaname, tablename FROM pg_tables "
        "WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2"
    ).fetchall()
    return [(schema, table) for schema, table in rows]


def pg_table_key(schema: str, table: str) -> str:
    return table if schema == "public" else f"{schema}.{table}"


def pg_counts(conn) -> dict[str, int]:
    from psycopg import sql

    counts = {}
    for schema, table in pg_tables(conn):
        query = sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(schema, table))
        counts[pg_table_key(schema, table)] = conn.execute(query).fetchone()[0]
    return counts


def pg_migrations(conn, counts: dict[str, int]) -> list[str]:
    if "django_migrations" not in counts:
        return []
    return migrations_from_rows(conn.execute("SELECT app, name FROM django_migrations"))


def require_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"Không tìm thấy {name}: cài gói postgresql-client cùng phiên bản với máy chủ "
            f"(apt-get install postgresql-client) / {name} not found"
        )
    return path


def tool_version(name: str) -> str:
    result = subprocess.run(  # noqa: S603
        [require_tool(name), "--version"], capture_output=True, text=True, check=False
    )
    return result.stdout.strip()


def _run_with_progress(
    command: list[str], env: dict, progress, label: str, pattern: re.Pattern, total: int
) -> tuple[int, list[str]]:
    """Run a pg_dump/pg_restore with --verbose: each table it reports moves the progress on;
    the last lines are kept for the error message."""
    tail: deque[str] = deque(maxlen=30)
    done = 0
    process = subprocess.Popen(  # noqa: S603
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    for line in process.stderr or ():
        line = line.rstrip()
        if pattern.search(line):
            done += 1
            progress.step(label, min(done, total), max(total, 1), unit="bảng")
        else:
            tail.append(line)
    return process.wait(), list(tail)


DUMP_TABLE = re.compile(r"dumping contents of table")
RESTORE_TABLE = re.compile(r"processing data for table")


def pg_dump(settings_dict: dict, dest: Path, *, snapshot: str, tables: int, progress) -> None:
    command = [
        require_tool("pg_dump"),
        "--format=custom",
        "--verbose",
        "--no-password",
        f"--snapshot={snapshot}",
        f"--file={dest}",
    ]
    code, tail = _run_with_progress(
        command, pg_settings_env(settings_dict), progress, "Cơ sở dữ liệu", DUMP_TABLE, tables
    )
    if code != 0:
        message = "\n".join(line for line in tail if "pg_dump:" in line and "error" in line)
        message = message or "\n".join(tail[-5:])
        if is_disk_full(BackupError(message)):
            raise disk_full(dest.parent, BackupError(message))
        raise BackupError(f"pg_dump thất bại (mã {code}):\n{message} / pg_dump failed")


def pg_database_exists(settings_dict: dict, database: str) -> bool:
    with closing(pg_connect(settings_dict, "postgres")) as conn:
        row = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone()
        return row is not None


def pg_create_database(settings_dict: dict, database: str) -> None:
    from psycopg import sql

    with closing(pg_connect(settings_dict, "postgres")) as conn:
        conn.execute(
            sql.SQL("CREATE DATABASE {} ENCODING 'UTF8' TEMPLATE template0").format(
                sql.Identifier(database)
            )
        )


def pg_is_empty(settings_dict: dict, database: str) -> bool:
    with closing(pg_connect(settings_dict, database)) as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') "
            "AND n.nspname NOT LIKE 'pg_toast%' AND c.relkind IN ('r', 'p', 'v', 'm', 'S')"
        ).fetchone()
        return row[0] == 0


def pg_restore(
    settings_dict: dict, database: str, dump: Path, *, clean: bool, tables: int, progress
) -> None:
    """One transaction: a failure (a full disk on the server, a missing role…) leaves the
    target database exactly as it was."""
    command = [
        require_tool("pg_restore"),
        "--single-transaction",
        "--exit-on-error",
        "--no-owner",
        "--no-privileges",
        "--verbose",
        "--no-password",
        f"--dbname={database}",
    ]
    if clean:
        command += ["--clean", "--if-exists"]
    command.append(str(dump))
    code, tail = _run_with_progress(
        command,
        pg_settings_env(settings_dict, database),
        progress,
        "Khôi phục cơ sở dữ liệu",
        RESTORE_TABLE,
        tables,
    )
    if code != 0:
        message = "\n".join(line for line in tail if "error" in line.lower()) or "\n".join(
            tail[-5:]
        )
        if is_disk_full(BackupError(message)):
            raise disk_full(f"máy chủ PostgreSQL ({database})", BackupError(message))
        raise BackupError(
            f"pg_restore thất bại (mã {code}); cơ sở dữ liệu {database} giữ nguyên như trước:\n"
            f"{message} / pg_restore failed, nothing was restored"
        )


def pg_target_counts(settings_dict: dict, database: str) -> dict[str, int]:
    with closing(pg_connect(settings_dict, database)) as conn:
        return pg_counts(conn)
