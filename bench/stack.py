"""The production stack on loopback, for benchmarks and Lighthouse runs.

A demo portal under the production settings in a temporary directory (SQLite, local
memory cache; ``--redis``-style options are left to the callers through ``env``), gunicorn with
the documented arguments, and nginx with the configuration block of docs/deployment.md (only
the certificate, ``listen``, paths and upstream port replaced).
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
DEPLOYMENT_DOC = ROOT / "docs" / "deployment.md"
PY = sys.executable
# The documented production app server (docs/deployment.md): threaded workers keep
# connections alive (nginx's upstream keepalive, browsers), which sync workers cannot.
GUNICORN_ARGS = ["--worker-class", "gthread", "--threads", "4", "--keep-alive", "15"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, timeout: float = 600) -> None:
    """Until ``url`` answers. The first view of a page draws its picture renditions, which
    takes minutes on a busy machine: each try may take as long as it needs."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url, timeout=max(deadline - time.time(), 1))
            return
        except Exception:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not come up")


def headers_of(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=10) as response:
        response.read()
        return dict(response.headers)


def wrk(url: str, seconds: int, connections: int) -> float:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    if errors:
        print(f"    ! {errors.group(1)} non-2xx answers from {url}", flush=True)
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def run(cwd: Path, env: dict, *args: str) -> str:
    return subprocess.run(
        [PY, *args], cwd=cwd, env=env, check=True, capture_output=True, text=True
    ).stdout


def django(env: dict, *args: str) -> str:
    return run(ROOT, env, "manage.py", *args)


def last_line(text: str) -> str:
    return text.strip().splitlines()[-1]


def documented_nginx_block() -> str:
    """The ```nginx block of docs/deployment.md that holds the micro-cache configuration."""
    blocks = re.findall(r"```nginx\n(.*?)```", DEPLOYMENT_DOC.read_text(), flags=re.S)
    for block in blocks:
        if "proxy_cache_path" in block:
            return block
    raise SystemExit(f"no nginx configuration with proxy_cache_path in {DEPLOYMENT_DOC}")


def nginx_config(*, work: Path, port: int, refresh_port: int, upstream: str, workers: int) -> str:
    """The documented configuration, made runnable on loopback: the only replacements."""
    block = documented_nginx_block()
    replacements = [
        (r"/var/cache/nginx/doingoai", f"{work}/nginx-cache"),
        (r"server 127\.0\.0\.1:8000;", f"server {upstream};"),
        (r"listen 443 ssl[^;]*;[^\n]*", f"listen 127.0.0.1:{port};"),
        (r"\n\s*ssl_certificate\s[^\n]*", ""),
        (r"\n\s*ssl_certificate_key[^\n]*", ""),
        (r"/srv/doingoai/var/static/", f"{work}/static/"),
        (r"/srv/doingoai/var/media/", f"{work}/media/"),
        (r"listen 127\.0\.0\.1:8081;", f"listen 127.0.0.1:{refresh_port};"),
    ]
    for pattern, replacement in replacements:
        block, count = re.subn(pattern, replacement, block)
        # a path may be named more than once (media and its renditions); the rest once
        expected_once = not pattern.startswith("/srv/")
        if count == 0 or (expected_once and count != 1):
            raise SystemExit(f"docs/deployment.md: expected one match of {pattern!r}, got {count}")
    return f"""
worker_processes {workers};
pid {work}/nginx.pid;
error_log {work}/nginx-error.log warn;
events {{ worker_connections 4096; }}
http {{
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  access_log off;
  client_body_temp_path {work}/nginx-tmp/body;
  proxy_temp_path {work}/nginx-tmp/proxy;
  fastcgi_temp_path {work}/nginx-tmp/fastcgi;
  uwsgi_temp_path {work}/nginx-tmp/uwsgi;
  scgi_temp_path {work}/nginx-tmp/scgi;
{block}
}}
"""


def gunicorn(module: str, port: int, workers: int, cwd: Path, env: dict) -> subprocess.Popen:
    """The same app-server arguments for the portal and the baseline."""
    return subprocess.Popen(
        [
            PY,
            "-m",
            "gunicorn",
            module,
            "-w",
            str(workers),
            *GUNICORN_ARGS,
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "--no-control-socket",  # several servers side by side
        ],
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
    )


def prepare_work_dir() -> Path:
    """A temporary directory nginx's unprivileged workers can read, with its temp folders."""
    work = Path(tempfile.mkdtemp(prefix="doingoai-bench-"))
    work.chmod(0o755)
    for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (work / "nginx-tmp" / sub).mkdir(parents=True)
        (work / "nginx-tmp" / sub).chmod(0o777)
    return work


def production_env(work: Path, **extra: str) -> dict:
    """The production settings on loopback: HTTP (no TLS redirect), SQLite and local cache
    under ``work`` unless ``extra`` says otherwise."""
    env = {
        **os.environ,
        "DOINGOAI_VAR_DIR": str(work),
        "DJANGO_SETTINGS_MODULE": "doingoai.settings.production",
        "DJANGO_SECRET_KEY": "bench-" + "x" * 50,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_HSTS_SECONDS": "0",
        "LOG_LEVEL": "WARNING",
    }
    for name in ("DATABASE_URL", "REDIS_URL", "FRONTEND_CACHE_PURGE_URL", "PORTAL_BASE_URL"):
        env.pop(name, None)
    env.update(extra)
    return env


def prepare_demo(env: dict) -> None:
    django(env, "migrate", "--noinput")
    django(env, "load_demo")
    django(env, "collectstatic", "--noinput")


def start_nginx(work: Path, upstream_port: int, workers: int = 2) -> tuple[subprocess.Popen, str]:
    nginx_port, refresh_port = free_port(), free_port()
    conf = work / "nginx.conf"
    conf.write_text(
        nginx_config(
            work=work,
            port=nginx_port,
            refresh_port=refresh_port,
            upstream=f"127.0.0.1:{upstream_port}",
            workers=workers,
        )
    )
    process = subprocess.Popen(["nginx", "-c", str(conf), "-g", "daemon off;"])
    return process, f"http://127.0.0.1:{nginx_port}"


def stop(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
