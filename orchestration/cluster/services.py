"""Start and stop the cluster's processes on this machine, each in its own session, its PID in a file.

    PostgreSQL     the Dagster instance's storage (data folder `pg/` under the cluster folder)
    scheduler      the Dask scheduler the `dask_cluster` executor sends steps to
    worker-1, -2   Dask workers, one step at a time each (Dagster steps are not thread-safe)
    daemon         the Dagster daemon: run queue, sensors, schedules, run monitoring
    webserver      the Dagster UI and GraphQL API that runs are submitted through

PostgreSQL refuses to run as root: as root it runs as the `postgres` user (Debian's package makes it), and
its data folder is that user's. When its programs are missing they are installed with apt-get, as the
Makefile installs fonts. `stop` signals each process by the PID in its file (PostgreSQL: fast shutdown),
then SIGKILLs what is still alive after a while; nothing is looked up by name.
"""

from __future__ import annotations

import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from extract.locations import PROJECT_ROOT
from orchestration.cluster.instance import write_home
from orchestration.cluster.settings import ClusterSettings

BIN = Path(sys.executable).parent
PG_USER = "postgres"
STOP_SECONDS = 30


class ClusterError(RuntimeError):
    """A service did not start: the message says which, and where its log is."""


@dataclass(frozen=True)
class Service:
    name: str
    argv: list[str]
    ready: object  # callable returning True once the service answers
    user: str | None = None
    stop_signal: int = signal.SIGTERM


def postgres_bin(install: bool = True) -> Path | None:
    """The folder of PostgreSQL's server programs (Debian keeps them off PATH), installed when missing."""
    found = shutil.which("postgres")
    if found:
        return Path(found).resolve().parent
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/postgres"), key=lambda p: int(p.parts[-3]))
    if versions:
        return versions[-1].parent
    if install and shutil.which("apt-get"):
        sudo = [] if os.geteuid() == 0 else ["sudo"]
        apt = [*sudo, "apt-get", "install", "-y", "--no-install-recommends", "postgresql"]
        if subprocess.run(apt, stdin=subprocess.DEVNULL).returncode != 0:
            subprocess.run([*sudo, "apt-get", "update"], stdin=subprocess.DEVNULL)
            subprocess.run(apt, stdin=subprocess.DEVNULL)
        return postgres_bin(install=False)
    return None


def pg_user() -> str | None:
    """Who PostgreSQL runs as: this user, or `postgres` when we are root."""
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam(PG_USER)
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", PG_USER],
                       check=True)
    return PG_USER


def _as_user(user: str | None) -> dict:
    if user is None:
        return {}
    entry = pwd.getpwnam(user)
    return {"user": entry.pw_uid, "group": entry.pw_gid, "extra_groups": []}


def _chown(path: Path, user: str | None) -> None:
    if user is not None:
        entry = pwd.getpwnam(user)
        os.chown(path, entry.pw_uid, entry.pw_gid)


def init_postgres(settings: ClusterSettings, pg: Path, user: str | None) -> None:
    """A new database cluster in the data folder (once), owned by `user`, password-protected over TCP."""
    data = settings.pg_data
    if (data / "PG_VERSION").exists():
        return
    data.mkdir(parents=True, exist_ok=True)
    data.chmod(0o700)
    _chown(data, user)
    password = settings.pg_password_file
    password.write_text(secrets.token_urlsafe(24) + "\n")
    password.chmod(0o600)
    _chown(password, user)
    log = settings.logs / "initdb.log"
    done = subprocess.run(
        [str(pg / "initdb"), "-D", str(data), "-U", "dagster", f"--pwfile={password}", "--auth-local=trust",
         "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C"],
        stdout=log.open("w"), stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd="/", **_as_user(user))
    if done.returncode != 0:
        raise ClusterError(f"initdb failed: see {log}")
    if settings.host not in ("127.0.0.1", "localhost"):  # remote machines of the same network may connect
        with (data / "pg_hba.conf").open("a") as hba:
            hba.write("host dagster dagster samenet scram-sha-256\n")


def _password(settings: ClusterSettings) -> str:
    return settings.pg_password_file.read_text().strip()


def postgres_ready(settings: ClusterSettings) -> bool:
    import psycopg2

    try:
        con = psycopg2.connect(host=settings.host, port=settings.pg_port, user="dagster",
                               password=_password(settings), dbname="postgres", connect_timeout=2)
    except psycopg2.OperationalError:
        return False
    con.autocommit = True  # create database runs outside a transaction
    try:
        with con.cursor() as cur:
            cur.execute("select 1 from pg_database where datname = 'dagster'")
            if cur.fetchone() is None:
                cur.execute("create database dagster")
    finally:
        con.close()
    return True


def port_open(host: str, port: int) -> bool:
    try:
        socket.create_connection((host, port), timeout=1).close()
        return True
    except OSError:
        return False


def workers_ready(settings: ClusterSettings, count: int) -> bool:
    from dask.distributed import Client

    try:
        with Client(settings.scheduler_address, timeout=5) as client:
            return len(client.scheduler_info(n_workers=-1)["workers"]) >= count
    except OSError:
        return False


def webserver_ready(settings: ClusterSettings) -> bool:
    try:
        with urllib.request.urlopen(f"http://{settings.host}:{settings.webserver_port}/server_info", timeout=2):
            return True
    except OSError:
        return False


def services(settings: ClusterSettings, pg: Path, workspace: Path) -> list[Service]:
    host, root = settings.host, settings.root
    workers = [
        Service(f"worker-{n}", [str(BIN / "dask"), "worker", settings.scheduler_address, "--name", f"worker-{n}",
                                "--nworkers", "1", "--nthreads", "1", "--host", host, "--no-dashboard",
                                "--local-directory", str(root / "dask" / f"worker-{n}"), "--death-timeout", "60"],
                lambda n=n: workers_ready(settings, n))
        for n in range(1, settings.workers + 1)
    ]
    return [
        Service("postgres", [str(pg / "postgres"), "-D", str(settings.pg_data), "-p", str(settings.pg_port),
                             "-c", f"listen_addresses={host}", "-c", "unix_socket_directories="],
                lambda: postgres_ready(settings), user=pg_user(), stop_signal=signal.SIGINT),
        Service("scheduler", [str(BIN / "dask"), "scheduler", "--host", host, "--port", str(settings.scheduler_port),
                              "--dashboard-address", f"{host}:{settings.dashboard_port}"],
                lambda: port_open(host, settings.scheduler_port)),
        *workers,
        Service("daemon", [str(BIN / "dagster-daemon"), "run", "-w", str(workspace)], lambda: True),
        Service("webserver", [str(BIN / "dagster-webserver"), "-h", host, "-p", str(settings.webserver_port),
                              "-w", str(workspace)], lambda: webserver_ready(settings)),
    ]


def record_locations(settings: ClusterSettings) -> None:
    """The BUDGET_* folders the services were started with, for `orchestration.cluster.run`."""
    import json

    keep = {k: v for k, v in os.environ.items() if k.startswith("BUDGET_") and k not in settings.environment()}
    (settings.root / "locations.json").write_text(json.dumps(keep, indent=1, sort_keys=True), encoding="utf-8")


def pid_of(settings: ClusterSettings, name: str) -> int | None:
    """The PID in the service's file, if that process is still alive."""
    path = settings.pids / f"{name}.pid"
    try:
        pid = int(path.read_text())
        os.kill(pid, 0)
    except (OSError, ValueError):
        return None
    return pid


def start(settings: ClusterSettings | None = None, timeout: float = 300.0, echo=print) -> ClusterSettings:
    """Start whatever of the cluster is not running; returns when every service answers."""
    settings = settings or ClusterSettings.from_env()
    for folder in (settings.root, settings.pids, settings.logs):
        folder.mkdir(parents=True, exist_ok=True)
    settings.root.chmod(0o755)  # PostgreSQL's user must reach its data folder
    pg = postgres_bin()
    if pg is None:
        raise ClusterError("PostgreSQL's server programs are missing and apt-get could not install them: "
                           "install the Debian package postgresql")
    user = pg_user()
    init_postgres(settings, pg, user)
    workspace = write_home(settings.dagster_home)
    record_locations(settings)
    env = {**os.environ, **settings.environment()}
    env.setdefault("PYTHONPATH", str(PROJECT_ROOT))
    for service in services(settings, pg, workspace):
        if pid_of(settings, service.name) is None:
            log = settings.logs / f"{service.name}.log"
            process = subprocess.Popen(service.argv, env=env, cwd=PROJECT_ROOT if service.user is None else "/",
                                       stdin=subprocess.DEVNULL, stdout=log.open("a"), stderr=subprocess.STDOUT,
                                       start_new_session=True, **_as_user(service.user))
            (settings.pids / f"{service.name}.pid").write_text(f"{process.pid}\n")
            echo(f"{service.name}: started, PID {process.pid}, log {log}")
        deadline = time.monotonic() + timeout
        while not service.ready():
            if pid_of(settings, service.name) is None:
                raise ClusterError(f"{service.name} exited at start: see {settings.logs / (service.name + '.log')}")
            if time.monotonic() > deadline:
                raise ClusterError(f"{service.name} did not answer within {timeout:.0f} s: see "
                                   f"{settings.logs / (service.name + '.log')}")
            time.sleep(0.5)
    echo(f"cluster up: Dask scheduler {settings.scheduler_address} (dashboard http://{settings.host}:"
         f"{settings.dashboard_port}), Dagster UI http://{settings.host}:{settings.webserver_port}, "
         f"PostgreSQL {settings.host}:{settings.pg_port}")
    return settings


def stop(settings: ClusterSettings | None = None, echo=print) -> None:
    """Stop every service by the PID in its file, last started first."""
    settings = settings or ClusterSettings.from_env()
    if not settings.pids.is_dir():
        return
    started = sorted(settings.pids.glob("*.pid"), key=lambda p: p.stat().st_mtime, reverse=True)
    for path in started:
        name = path.stem
        pid = pid_of(settings, name)
        if pid is not None:
            stop_process(pid, signal.SIGINT if name == "postgres" else signal.SIGTERM)
            echo(f"{name}: stopped (PID {pid})")
        path.unlink(missing_ok=True)


def stop_process(pid: int, first: int = signal.SIGTERM, wait: float = STOP_SECONDS) -> None:
    """`first` to the process (its session for a service, PostgreSQL's postmaster alone), SIGKILL to its
    session after `wait` seconds if it is still alive."""
    try:
        if first == signal.SIGINT:
            os.kill(pid, first)
        else:
            os.killpg(pid, first)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if not _alive(pid):
            return
        time.sleep(0.2)
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _alive(pid: int) -> bool:
    try:
        waited, _ = os.waitpid(pid, os.WNOHANG)  # our own child: reap it
        if waited == pid:
            return False
    except ChildProcessError:
        pass
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    state = Path(f"/proc/{pid}/stat")
    return not (state.exists() and state.read_text().split(") ")[-1].startswith("Z"))
