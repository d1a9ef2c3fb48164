"""gunicorn with the production settings in a temporary directory of its own.

The layout of docs/deployment.md: the production settings module, ``migrate``, ``load_demo``,
``collectstatic`` and gunicorn (2 ``gthread`` workers), requested as nginx forwards requests,
on the database and cache of the suite (SQLite, or PostgreSQL + Redis when DATABASE_URL and
REDIS_URL say so; ``redis=False`` leaves Redis out whatever the suite runs on). Used by
``tests/test_every_address.py`` and ``tests/test_visit_stores.py``.
"""

from __future__ import annotations

import gzip
import http.client
import os
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ProductionServer:
    """gunicorn with the production settings in a temporary directory of its own."""

    host = "portal.example.vn"

    def __init__(self, directory: Path, *, redis: bool = True, **extra_env: str) -> None:
        self.directory = directory
        self.port = _free_port()
        self.database_name = None
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("DJANGO_", "PYTEST_", "DOINGOAI_"))
            and k not in ("DATABASE_URL", "REDIS_URL", "TASKS_BACKEND")
        }
        env.update(
            DJANGO_SETTINGS_MODULE="doingoai.settings.production",
            DJANGO_SECRET_KEY=secrets.token_urlsafe(40),
            DJANGO_ALLOWED_HOSTS=self.host,
            PORTAL_BASE_URL=f"https://{self.host}",
            DOINGOAI_VAR_DIR=str(directory),
            CONTENT_VERSION_FILE=str(directory / "content-version"),
            # the ETag follows the visit counter's interval: keep it still during the test
            VISITS_FLUSH_SECONDS="3600",
        )
        outer_database = os.environ.get("DATABASE_URL", "")
        if outer_database.startswith("postgres"):
            self.database_name = f"doingoai_production_check_{secrets.token_hex(4)}"
            # the server's maintenance database: the suite's own may not exist (pytest
            # works in test_<name>), and CREATE DATABASE needs a connection to some database
            self.admin_url = outer_database.rsplit("/", 1)[0] + "/postgres"
            self._psql(f"CREATE DATABASE {self.database_name}")
            env["DATABASE_URL"] = outer_database.rsplit("/", 1)[0] + f"/{self.database_name}"
        if redis and os.environ.get("REDIS_URL"):
            redis_url = os.environ["REDIS_URL"].rsplit("/", 1)[0] + "/14"
            import redis

            redis.Redis.from_url(redis_url).flushdb()
            env["REDIS_URL"] = redis_url
        env.update(extra_env)
        self.env = env
        self.process = None

    def _psql(self, statement: str) -> None:
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as connection:
            connection.execute(statement)

    def manage(self, *args: str) -> str:
        """Run a management command in the server's environment; returns what it printed."""
        done = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            check=False,
            capture_output=True,
            text=True,
            timeout=900,
        )
        if done.returncode:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stderr[-3000:]}")
        return done.stdout

    def start(self) -> None:
        self.manage("migrate", "--noinput")
        self.manage("load_demo")
        self.manage("collectstatic", "--noinput")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "doingoai.wsgi",
                "--workers",
                "2",
                "--worker-class",
                "gthread",
                "--threads",
                "4",
                "--bind",
                f"127.0.0.1:{self.port}",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=open(self.directory / "gunicorn.log", "wb"),  # noqa: SIM115
        )
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                if self.get("/robots.txt")[0] == 200:
                    return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("gunicorn did not start: " + self.log())

    def log(self) -> str:
        return (self.directory / "gunicorn.log").read_text(errors="replace")[-3000:]

    def get(self, path: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
        """A request as nginx forwards it (Host, X-Forwarded-Proto: https)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            connection.request(
                "GET",
                path,
                headers={
                    "Host": self.host,
                    "X-Forwarded-Proto": "https",
                    "User-Agent": BROWSER,
                    "Accept-Encoding": "gzip",
                    **(headers or {}),
                },
            )
            response = connection.getresponse()
            body = response.read()
            found = {name.lower(): value for name, value in response.getheaders()}
        finally:
            connection.close()
        if found.get("content-encoding") == "gzip":
            body = gzip.decompress(body)
        return response.status, found, body

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=30)
        if self.database_name:
            self._psql(f"DROP DATABASE IF EXISTS {self.database_name} WITH (FORCE)")
