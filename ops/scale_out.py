"""The scale-out profile on one machine: PostgreSQL (tracker store), Redis (lock store), the action
server, several `rasa run` instances and nginx in front of them (docs/deploy.md).

    python -m ops.scale_out start    # (make scale-out) starts what is down, prints the URL
    python -m ops.scale_out stop     # (make scale-out-stop) stops what `start` started
    python -m ops.scale_out status

Configuration comes from the environment (defaults in `DEFAULTS`); deploy/endpoints.yml reads
the same variables. The processes started here run in their own sessions, their ids kept in
<run dir>/state.json so that `stop` ends exactly those. PostgreSQL and Redis are started when
they are down and local, and left running by `stop` (other programs may use them).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Mapping, Optional

from server.checkins import CHECKIN_SCAN_ENV
from ops.launch import rasa_run_args
from ops.processes import stop_group

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"

DEFAULTS: Dict[str, str] = {
    "ADVISOR_INSTANCES": "2",  # how many `rasa run` instances
    "ADVISOR_HOST": "127.0.0.1",  # where nginx listens
    "ADVISOR_PORT": "8088",
    "ADVISOR_RASA_BASE_PORT": "5006",  # instance i listens on base + i, on 127.0.0.1
    "ADVISOR_ACTION_PORT": "5055",
    "ADVISOR_DB_HOST": "127.0.0.1",
    "ADVISOR_DB_PORT": "5432",
    "ADVISOR_DB_NAME": "advisor",
    "ADVISOR_DB_USER": "postgres",
    "ADVISOR_DB_PASSWORD": "",
    "ADVISOR_REDIS_HOST": "127.0.0.1",
    "ADVISOR_REDIS_PORT": "6379",
    "ADVISOR_REDIS_DB": "1",
    "ADVISOR_REDIS_PREFIX": "advisor",
    "ADVISOR_REDIS_PASSWORD": "",
    "ADVISOR_MODEL": "models/advisor.tar.gz",
    "ADVISOR_RUN_DIR": "var/scale-out",
    # Rasa's own variable: seconds a conversation's lock lives. A turn that dies with its instance
    # holds its conversation's lock this long; Rasa's default is 60.
    "TICKET_LOCK_LIFETIME": "20",
}
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
POSTGRES_START = "pg_ctlcluster --skip-systemctl-redirect {version} main start"
REDIS_START = (
    "redis-server --daemonize yes --bind 127.0.0.1 -::1 --port {port} --save '' "
    "--appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log"
)


class ScaleOutError(RuntimeError):
    pass


@dataclass
class Settings:
    env: Dict[str, str]

    @classmethod
    def from_env(cls, environ: Optional[Mapping[str, str]] = None, **overrides: str) -> "Settings":
        environ = dict(os.environ if environ is None else environ)
        env = dict(environ)
        for key, value in DEFAULTS.items():
            env.setdefault(key, value)
        env.update({k: str(v) for k, v in overrides.items()})
        env.setdefault("ADVISOR_ACTION_URL", f"http://127.0.0.1:{env['ADVISOR_ACTION_PORT']}/webhook")
        env.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
        env.setdefault("RASA_TELEMETRY_ENABLED", "false")
        env.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
        prefix = env["ADVISOR_REDIS_PREFIX"]
        if not prefix.isalnum():
            raise ScaleOutError(
                f"ADVISOR_REDIS_PREFIX must be letters and digits only (Rasa ignores "
                f"any other prefix): {prefix!r}"
            )
        if int(env["ADVISOR_INSTANCES"]) < 1:
            raise ScaleOutError("ADVISOR_INSTANCES must be 1 or more")
        return cls(env)

    def __getitem__(self, key: str) -> str:
        return self.env[key]

    @property
    def instances(self) -> int:
        return int(self.env["ADVISOR_INSTANCES"])

    def rasa_port(self, index: int) -> int:
        return int(self.env["ADVISOR_RASA_BASE_PORT"]) + index

    @property
    def url(self) -> str:
        host = self.env["ADVISOR_HOST"]
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{self.env['ADVISOR_PORT']}"

    @property
    def run_dir(self) -> Path:
        path = Path(self.env["ADVISOR_RUN_DIR"])
        return path if path.is_absolute() else ROOT / path

    @property
    def model(self) -> Path:
        path = Path(self.env["ADVISOR_MODEL"])
        return path if path.is_absolute() else ROOT / path

    @property
    def api_token(self) -> str:
        return self.env.get("ADVISOR_API_TOKEN", "")


def port_open(host: str, port: int, timeout: float = 1.0) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def wait_for(
    what: str, check, seconds: float, proc: Optional[subprocess.Popen] = None, log: Optional[Path] = None
) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            tail = log.read_text(errors="replace")[-3000:] if log and log.exists() else ""
            raise ScaleOutError(f"{what} exited early (code {proc.returncode}):\n{tail}")
        if check():
            return
        time.sleep(0.5)
    tail = log.read_text(errors="replace")[-3000:] if log and log.exists() else ""
    raise ScaleOutError(f"{what} did not come up in {seconds:.0f}s\n{tail}")


def http_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=3) as response:
            return response.status < 500
    except (urllib.error.URLError, OSError):
        return False


# ---- the shared services: PostgreSQL and Redis ------------------------------------------------


def ensure_postgres(settings: Settings, seconds: float = 60) -> str:
    host, port = settings["ADVISOR_DB_HOST"], int(settings["ADVISOR_DB_PORT"])
    if port_open(host, port):
        return "PostgreSQL was running"
    if host not in LOCAL_HOSTS:
        raise ScaleOutError(f"PostgreSQL at {host}:{port} is unreachable (not local: not started here)")
    versions = sorted(os.listdir("/etc/postgresql")) if os.path.isdir("/etc/postgresql") else []
    if not versions or not shutil.which("pg_ctlcluster"):
        raise ScaleOutError(
            "PostgreSQL is down and no local cluster was found (/etc/postgresql): "
            "install Debian's postgresql package"
        )
    command = POSTGRES_START.format(version=versions[-1]).split()
    subprocess.run(command, check=True)
    wait_for("PostgreSQL", lambda: port_open(host, port), seconds)
    return "PostgreSQL started"


def ensure_redis(settings: Settings, seconds: float = 30) -> str:
    host, port = settings["ADVISOR_REDIS_HOST"], int(settings["ADVISOR_REDIS_PORT"])
    if port_open(host, port):
        return "Redis was running"
    if host not in LOCAL_HOSTS:
        raise ScaleOutError(f"Redis at {host}:{port} is unreachable (not local: not started here)")
    if not shutil.which("redis-server"):
        raise ScaleOutError("Redis is down and redis-server is missing: install Debian's redis-server")
    for folder in ("/var/lib/redis", "/var/log/redis"):
        os.makedirs(folder, exist_ok=True)
    subprocess.run(REDIS_START.format(port=port), shell=True, check=True)
    wait_for("Redis", lambda: port_open(host, port), seconds)
    return "Redis started"


def _pg_connect(settings: Settings, dbname: str):
    import psycopg2

    return psycopg2.connect(
        host=settings["ADVISOR_DB_HOST"],
        port=int(settings["ADVISOR_DB_PORT"]),
        user=settings["ADVISOR_DB_USER"],
        password=settings["ADVISOR_DB_PASSWORD"],
        dbname=dbname,
        connect_timeout=5,
    )


def ensure_database(settings: Settings, fresh: bool = False) -> str:
    """Creates the tracker store's database when it is missing (`fresh`: drops it first)."""
    name = settings["ADVISOR_DB_NAME"]
    connection = _pg_connect(settings, "postgres")
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            if fresh:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
            if cursor.fetchone():
                return f"database {name} exists"
            cursor.execute(f'CREATE DATABASE "{name}"')
            return f"database {name} created"
    finally:
        connection.close()


def redis_client(settings: Settings):
    import redis

    return redis.StrictRedis(
        host=settings["ADVISOR_REDIS_HOST"],
        port=int(settings["ADVISOR_REDIS_PORT"]),
        db=int(settings["ADVISOR_REDIS_DB"]),
        password=settings["ADVISOR_REDIS_PASSWORD"] or None,
        socket_timeout=5,
    )


def clear_locks(settings: Settings) -> int:
    """Deletes this deployment's lock keys (Rasa's RedisLockStore keys: '<prefix>:lock:<id>')."""
    client = redis_client(settings)
    keys = list(client.scan_iter(match=f"{settings['ADVISOR_REDIS_PREFIX']}:lock:*", count=500))
    return client.delete(*keys) if keys else 0


def nginx_binary() -> str:
    found = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if os.path.exists(p)), None)
    if not found:
        raise ScaleOutError(
            "nginx is missing: install Debian's nginx-light package "
            "(`make nginx`, as root: apt-get install nginx-light)"
        )
    return found


# ---- the processes ----------------------------------------------------------------------------


@dataclass
class ScaleOut:
    settings: Settings
    procs: Dict[str, subprocess.Popen] = field(default_factory=dict)

    @property
    def run_dir(self) -> Path:
        return self.settings.run_dir

    @property
    def state_file(self) -> Path:
        return self.run_dir / "state.json"

    def log(self, name: str) -> Path:
        return self.run_dir / f"{name}.log"

    def _spawn(
        self, name: str, command: List[str], extra_env: Optional[Dict[str, str]] = None
    ) -> subprocess.Popen:
        log = self.log(name).open("w")
        env = {**self.settings.env, **(extra_env or {})}
        proc = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        self.procs[name] = proc
        self._save_state()
        return proc

    def _save_state(self) -> None:
        state = {name: proc.pid for name, proc in self.procs.items()}
        self.state_file.write_text(json.dumps({"pids": state, "url": self.settings.url}, indent=1))

    def rasa_command(self, index: int) -> List[str]:
        rasa = str(Path(sys.executable).parent / "rasa")
        # No --cors: the web channel checks origins itself. The HTTP API only with a token, as
        # the project's one launcher decides (ops/launch.py).
        return [
            rasa,
            *rasa_run_args(
                [
                    "--model",
                    str(self.settings.model),
                    "--endpoints",
                    str(DEPLOY / "endpoints.yml"),
                    "--credentials",
                    str(ROOT / "credentials.yml"),
                    "--interface",
                    "127.0.0.1",
                    "--port",
                    str(self.settings.rasa_port(index)),
                ],
                env={"ADVISOR_API_TOKEN": self.settings.api_token or ""},
            ),
        ]

    def nginx_conf(self) -> Path:
        servers = "\n".join(
            f"        server 127.0.0.1:{self.settings.rasa_port(i)} max_fails=3 fail_timeout=10s;"
            for i in range(self.settings.instances)
        )
        backup = "\n".join(
            f"        server 127.0.0.1:{self.settings.rasa_port(i)}{' backup' if i else ''};"
            for i in range(self.settings.instances)
        )
        host = self.settings["ADVISOR_HOST"]
        listen = (
            f"[{host}]:{self.settings['ADVISOR_PORT']}"
            if ":" in host
            else f"{host}:{self.settings['ADVISOR_PORT']}"
        )
        text = (DEPLOY / "nginx.conf.template").read_text()
        text = (
            text.replace("@RUN_DIR@", str(self.run_dir))
            .replace("@SERVERS_BACKUP@", backup)
            .replace("@SERVERS@", servers)
            .replace("@LISTEN@", listen)
        )
        if "@" in "".join(line.split("#")[0] for line in text.splitlines()):
            raise ScaleOutError("nginx.conf.template has a placeholder that was not filled in")
        conf = self.run_dir / "nginx.conf"
        conf.write_text(text)
        return conf

    def start(self, fresh_database: bool = False, say=print, seconds: float = 300) -> "ScaleOut":
        s = self.settings
        if not s.model.exists():
            raise ScaleOutError(f"no trained model at {s.model}: run `make train`")
        nginx = nginx_binary()
        self.run_dir.mkdir(parents=True, exist_ok=True)
        if self.state_file.exists() and any(_alive(pid) for pid in _state_pids(self.state_file).values()):
            raise ScaleOutError(f"already running ({self.state_file}); `make scale-out-stop` first")
        say(ensure_postgres(s))
        say(ensure_redis(s))
        say(ensure_database(s, fresh=fresh_database))
        for port in [int(s["ADVISOR_PORT"]), int(s["ADVISOR_ACTION_PORT"])] + [
            s.rasa_port(i) for i in range(s.instances)
        ]:
            if port_open("127.0.0.1", port):
                raise ScaleOutError(f"port {port} is already in use")
        conf = self.nginx_conf()
        subprocess.run(
            [nginx, "-t", "-q", "-c", str(conf), "-p", str(self.run_dir)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        actions = self._spawn(
            "actions", [sys.executable, "-m", "ops.action_server", "--port", s["ADVISOR_ACTION_PORT"]]
        )
        for i in range(s.instances):
            # Only the first instance schedules pending check-ins again at start-up (each
            # instance doing it would send every check-in once per instance).
            self._spawn(
                f"rasa-{i}", self.rasa_command(i), extra_env={CHECKIN_SCAN_ENV: "on" if i == 0 else "off"}
            )
        wait_for(
            "action server",
            lambda: http_ok(f"http://127.0.0.1:{s['ADVISOR_ACTION_PORT']}/health"),
            seconds,
            actions,
            self.log("actions"),
        )
        for i in range(s.instances):
            name = f"rasa-{i}"
            wait_for(
                f"Rasa instance {i}",
                lambda i=i: http_ok(f"http://127.0.0.1:{s.rasa_port(i)}/"),
                seconds,
                self.procs[name],
                self.log(name),
            )
        proxy = self._spawn("nginx", [nginx, "-c", str(conf), "-p", str(self.run_dir)])
        wait_for("nginx", lambda: http_ok(f"{s.url}/health"), 30, proxy, self.run_dir / "nginx-error.log")
        return self

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        proc = self.procs[name]
        os.killpg(proc.pid, sig)
        proc.wait(timeout=30)

    def stop(self) -> None:
        for name in sorted(self.procs, key=lambda n: n != "nginx"):  # nginx first
            stop_group(self.procs[name])
        self.state_file.unlink(missing_ok=True)


def _state_pids(state_file: Path) -> Dict[str, int]:
    try:
        return json.loads(state_file.read_text())["pids"]
    except (OSError, ValueError, KeyError):
        return {}


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False
    except PermissionError:
        return True


def stop_from_state(settings: Settings, say=print) -> None:
    """`stop` from another process: ends the process groups recorded by `start`, nginx first."""
    state_file = settings.run_dir / "state.json"
    pids = _state_pids(state_file)
    if not pids:
        say(f"nothing to stop (no {state_file})")
        return
    for name, pid in sorted(pids.items(), key=lambda item: item[0] != "nginx"):
        if not _alive(pid):
            continue
        try:
            os.killpg(pid, signal.SIGTERM)
        except ProcessLookupError:
            continue
        deadline = time.monotonic() + 20
        while _alive(pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        if _alive(pid):
            os.killpg(pid, signal.SIGKILL)
        say(f"stopped {name} (pid {pid})")
    state_file.unlink(missing_ok=True)


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["start", "stop", "status"])
    args = parser.parse_args(argv)
    try:
        settings = Settings.from_env()
        if args.command == "stop":
            stop_from_state(settings)
            return 0
        if args.command == "status":
            pids = _state_pids(settings.run_dir / "state.json")
            for name, pid in pids.items():
                print(f"{name:10} pid {pid:7} {'running' if _alive(pid) else 'DEAD'}")
            print(f"{settings.url} {'answers' if http_ok(settings.url + '/health') else 'does not answer'}")
            return 0 if pids and all(_alive(p) for p in pids.values()) else 1
        deployment = ScaleOut(settings)
        try:
            deployment.start()
        except BaseException:
            deployment.stop()
            raise
        api = (
            "on, with ADVISOR_API_TOKEN"
            if settings.api_token
            else "off (set ADVISOR_API_TOKEN to turn it on)"
        )
        print(f"{settings.instances} Rasa instances behind nginx, logs in {settings.run_dir}")
        print(f"HTTP API: {api}")
        print(
            f"Chat (REST): POST {settings.url}/webhooks/rest/webhook   Web widget: {settings.url}/socket.io/"
        )
        print(settings.url)
        return 0
    except ScaleOutError as error:
        print(f"scale-out: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
