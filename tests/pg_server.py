"""A real PostgreSQL server on 127.0.0.1 for the tests, started once per session.

The team rule is real servers, never mocks. The server runs from a throwaway folder in /tmp
on a free port and is stopped (by its own process id) when the session ends. When running as
root, PostgreSQL refuses to start, so it runs as the `postgres` user (or `nobody`).

COFLOW_TEST_PG_URL, when set, names a server to use instead (.ci/run may start one with
.ci/start-postgres). Without server binaries and without that variable, PostgreSQL tests skip
with a visible reason.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest

DATABASE = "coflow_test"
# A role that must give a password (scram-sha-256), to test passwords given by environment.
PASSWORD_ROLE = "coflow_pw"
PASSWORD = "s3cret-Pa55word"
HBA = f"""\
local all all trust
host all {PASSWORD_ROLE} 127.0.0.1/32 scram-sha-256
host all all 127.0.0.1/32 trust
"""


def find_bin_dir() -> Path | None:
    """Where initdb and postgres live: on PATH, else Debian's /usr/lib/postgresql/N/bin."""
    found = shutil.which("initdb")
    if found and shutil.which("postgres"):
        return Path(os.path.realpath(found)).parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/postgres"),
                        key=lambda p: int(Path(p).parent.parent.name) if Path(p).parent.parent.name.isdigit() else 0)
    return Path(candidates[-1]).parent if candidates else None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _server_user() -> pwd.struct_passwd | None:
    """The user to run PostgreSQL as: None (ourselves) unless we are root."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    raise RuntimeError("running as root and there is no `postgres` or `nobody` user to run PostgreSQL as")


@dataclass
class LocalServer:
    """A PostgreSQL server this process started; `url` points at the test database."""

    folder: Path
    port: int
    process: subprocess.Popen
    own_password_role: bool = True

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{DATABASE}"

    def password_url(self, password: str | None = None) -> str:
        secret = f":{quote(password, safe='')}" if password else ""
        return f"postgresql://{PASSWORD_ROLE}{secret}@127.0.0.1:{self.port}/{DATABASE}"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)  # "fast" shutdown: roll back and exit
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        shutil.rmtree(self.folder, ignore_errors=True)


def start_server(bin_dir: Path) -> LocalServer:
    user = _server_user()
    folder = Path(tempfile.mkdtemp(prefix="coflow-pg-", dir="/tmp"))
    data, sockets, log_path = folder / "data", folder / "sock", folder / "server.log"
    sockets.mkdir()
    as_user: dict = {}
    if user is not None:
        for path in (folder, sockets):
            os.chown(path, user.pw_uid, user.pw_gid)
        as_user = {"user": user.pw_uid, "group": user.pw_gid, "extra_groups": []}
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C"}
    try:
        subprocess.run([str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
                        "-E", "UTF8", "--no-locale", "--no-sync"],
                       cwd=folder, env=env, check=True, capture_output=True, text=True, timeout=120, **as_user)
    except subprocess.CalledProcessError as exc:
        shutil.rmtree(folder, ignore_errors=True)
        raise RuntimeError(f"initdb failed:\n{exc.stderr[-2000:]}") from None
    (data / "pg_hba.conf").write_text(HBA, encoding="utf-8")
    port = free_port()
    log = open(log_path, "wb")  # noqa: SIM115 - the server writes to it for its whole life
    process = subprocess.Popen(
        [str(bin_dir / "postgres"), "-D", str(data), "-p", str(port), "-k", str(sockets),
         "-c", "listen_addresses=127.0.0.1", "-c", "max_connections=40", "-c", "shared_buffers=16MB"],
        cwd=folder, env=env, stdout=log, stderr=subprocess.STDOUT, **as_user)
    log.close()
    server = LocalServer(folder, port, process)
    try:
        _wait_ready(server, log_path)
        _prepare(server)
    except BaseException:
        server.stop()
        raise
    return server


def _wait_ready(server: LocalServer, log_path: Path, timeout: float = 60) -> None:
    import psycopg

    deadline = time.monotonic() + timeout
    while True:
        if server.process.poll() is not None:
            raise RuntimeError(f"PostgreSQL exited at start:\n{log_path.read_text(errors='replace')[-2000:]}")
        try:
            psycopg.connect(host="127.0.0.1", port=server.port, user="postgres", dbname="postgres",
                            connect_timeout=2).close()
            return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise RuntimeError(f"PostgreSQL did not start in {timeout:g}s:\n"
                                   f"{log_path.read_text(errors='replace')[-2000:]}") from None
            time.sleep(0.1)


def _prepare(server: LocalServer) -> None:
    import psycopg

    with psycopg.connect(host="127.0.0.1", port=server.port, user="postgres", dbname="postgres",
                         autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {DATABASE}")
        conn.execute(f"CREATE ROLE {PASSWORD_ROLE} LOGIN PASSWORD '{PASSWORD}'")
        conn.execute(f"GRANT ALL ON DATABASE {DATABASE} TO {PASSWORD_ROLE}")


@dataclass
class PgTarget:
    """What the tests connect to: a server URL, and the local server when we started it."""

    url: str
    local: LocalServer | None


def with_schema(url: str, schema: str) -> str:
    """The URL with search_path set to `schema`, so each test gets an empty namespace."""
    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}options={quote(f'-csearch_path={schema}', safe='')}"


@pytest.fixture(scope="session")
def pg_target():
    """A PostgreSQL server for the session: COFLOW_TEST_PG_URL, or one started here."""
    url = os.environ.get("COFLOW_TEST_PG_URL")
    if url:
        yield PgTarget(url, None)
        return
    bin_dir = find_bin_dir()
    if bin_dir is None:
        pytest.skip("no PostgreSQL server binaries (install Debian's `postgresql` package, "
                    "or set COFLOW_TEST_PG_URL)")
    server = start_server(bin_dir)
    try:
        yield PgTarget(server.url, server)
    finally:
        server.stop()


@pytest.fixture
def pg_url(pg_target):
    """A URL for an empty schema of the test database, dropped after the test."""
    import psycopg

    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(pg_target.url, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
        if pg_target.local is not None:
            conn.execute(f"GRANT ALL ON SCHEMA {schema} TO {PASSWORD_ROLE}")
    try:
        yield with_schema(pg_target.url, schema)
    finally:
        with psycopg.connect(pg_target.url, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")
