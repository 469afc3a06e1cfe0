"""``make prod``: the production shape on one machine, without containers.

    python -m licheng.devtools.prod [--port 8000] [--workers 2] [--var var]

Starts a PostgreSQL 15 cluster in ``var/prod-pg`` (kept between runs), an S3-compatible object
store (moto's server mode, standing in for the real one: the same variables point at any S3
endpoint), N gunicorn app processes behind one address, a ``db_worker`` background-task process
and the nightly-backup scheduler; migrates, collects static files with hashed names, loads the
demo data, prints the address and stops everything cleanly on Ctrl-C.

Each child gets its configuration from environment variables only (the same ones a real
deployment sets; see docs/deploy.md). ``Stack`` is also what the stateless two-process tests use.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from licheng.devtools import pgcluster

ROOT = Path(__file__).resolve().parents[2]
BUCKET = "licheng-files"
S3_KEY, S3_SECRET = "licheng-local", "licheng-local-secret"  # moto accepts any; not a real key


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_http(url: str, timeout: float = 60.0, proc: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"{proc.args!r} exited with {proc.returncode} before answering")
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 (our own local URL)
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f} s")


@dataclass
class Stack:
    """The services of one production-shaped deployment on this machine."""

    var: Path
    cluster: pgcluster.Cluster | None = None
    s3_port: int = 0
    env: dict[str, str] = field(default_factory=dict)
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)
    quiet: bool = False

    @property
    def log_dir(self) -> Path:
        return self.var / "prod-logs"

    # --- dependencies ------------------------------------------------------------------

    def start_postgres(self, *, throwaway: bool = False) -> None:
        """The kept cluster in var/prod-pg, or (tests) a throwaway one in the system temp dir."""
        if throwaway:
            self.cluster = pgcluster.start()
        else:
            self.cluster = pgcluster.start(data_dir=self.var / "prod-pg", fsync=True)
        self.env["LICHENG_DATABASE_URL"] = self.cluster.url

    def stop_postgres(self) -> None:
        if self.cluster is not None:
            bin_dir = pgcluster.find_bin_dir()
            assert bin_dir is not None
            pgcluster._stop_server(self.cluster, bin_dir)

    def resume_postgres(self) -> None:
        assert self.cluster is not None
        self.cluster = pgcluster.start(
            data_dir=self.cluster.root, port=self.cluster.port, fsync=True
        )

    def start_s3(self) -> None:
        self.s3_port = self.s3_port or free_port()
        moto = Path(sys.executable).parent / "moto_server"
        self.spawn("s3", [str(moto), "-H", "127.0.0.1", "-p", str(self.s3_port)])
        wait_for_http(f"http://127.0.0.1:{self.s3_port}/", proc=self.processes["s3"])
        import boto3

        client = boto3.client(
            "s3",
            endpoint_url=f"http://127.0.0.1:{self.s3_port}",
            aws_access_key_id=S3_KEY,
            aws_secret_access_key=S3_SECRET,
            region_name="ap-northeast-1",
        )
        existing = {b["Name"] for b in client.list_buckets().get("Buckets", [])}
        if BUCKET not in existing:
            client.create_bucket(
                Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "ap-northeast-1"}
            )
        self.env.update(
            LICHENG_S3_BUCKET=BUCKET,
            LICHENG_S3_ENDPOINT_URL=f"http://127.0.0.1:{self.s3_port}",
            LICHENG_S3_ACCESS_KEY=S3_KEY,
            LICHENG_S3_SECRET_KEY=S3_SECRET,
        )

    # --- the app -----------------------------------------------------------------------

    def base_env(self) -> dict[str, str]:
        """Production settings, from environment variables only."""
        secret_file = self.var / "prod-secret-key"
        if not secret_file.exists():
            secret_file.write_text(secrets.token_urlsafe(50))
            secret_file.chmod(0o600)
        metrics_dir = self.var / "prod-metrics"
        shutil.rmtree(metrics_dir, ignore_errors=True)  # counters restart with the processes
        metrics_dir.mkdir(parents=True)
        # Only our variables decide; a test runner's DJANGO_ALLOW_ASYNC_UNSAFE must not leak in.
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith("LICHENG_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
        }
        env.update(
            LICHENG_VAR_DIR=str(self.var),
            LICHENG_SECRET_KEY=secret_file.read_text().strip(),
            LICHENG_ALLOWED_HOSTS="127.0.0.1,localhost",
            LICHENG_TASKS="database",
            LICHENG_MANIFEST_STATIC="1",
            LICHENG_STATIC_FINDERS="0",
            LICHENG_STATIC_ROOT=str(self.var / "prod-static"),
            LICHENG_METRICS="1",
            LICHENG_BACKUP_DIR=str(self.var / "prod-backups"),
            PROMETHEUS_MULTIPROC_DIR=str(metrics_dir),
            PYTHONUNBUFFERED="1",
        )
        return env

    def manage(self, *args: str) -> None:
        cmd = [sys.executable, str(ROOT / "manage.py"), *args]
        done = subprocess.run(
            cmd, cwd=ROOT, env=self.env, capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stdout}{done.stderr}")

    def prepare(self, *, demo: bool = True) -> None:
        self.manage("migrate", "--no-input", "-v", "0")
        self.manage("collectstatic", "--no-input", "-v", "0")
        if demo:
            self.manage("load_demo")

    def spawn(self, name: str, cmd: Sequence[str], env: dict[str, str] | None = None) -> None:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        log = (self.log_dir / f"{name}.log").open("ab")
        # Own process group: Ctrl-C in the terminal reaches us, and we stop children in order.
        self.processes[name] = subprocess.Popen(  # noqa: S603
            list(cmd), cwd=ROOT, env=env or self.env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip

    def start_web(self, name: str = "web", *, port: int, workers: int = 2) -> str:
        gunicorn = Path(sys.executable).parent / "gunicorn"
        self.spawn(
            name,
            [str(gunicorn), "licheng.wsgi:application", "--config", "python:licheng.ops.gunicorn_config",
             "--bind", f"127.0.0.1:{port}", "--workers", str(workers)],
        )  # fmt: skip
        address = f"http://127.0.0.1:{port}"
        wait_for_http(f"{address}/healthz", proc=self.processes[name])
        return address

    def start_worker(self, name: str = "worker") -> None:
        self.spawn(
            name,
            [sys.executable, str(ROOT / "manage.py"), "db_worker", "--queue-name", "*",
             "--no-reload", "--interval", "0.5", "--no-startup-delay"],
        )  # fmt: skip

    def start_scheduler(self) -> None:
        self.spawn("scheduler", [sys.executable, str(ROOT / "manage.py"), "ops_scheduler"])

    def stop_process(self, name: str, timeout: float = 15.0) -> None:
        proc = self.processes.pop(name, None)
        if proc is None or proc.poll() is not None:
            return
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()

    def stop(self) -> None:
        """App processes first (no new work), then the worker, then storage and database."""
        for name in [n for n in self.processes if n not in ("worker", "s3")]:
            self.stop_process(name)
        self.stop_process("worker")
        self.stop_process("s3")
        if self.cluster is not None:
            pgcluster.stop(self.cluster)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m licheng.devtools.prod")
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WORKERS", "2")))
    parser.add_argument("--var", default=str(ROOT / "var"))
    args = parser.parse_args(argv)

    var = Path(args.var).resolve()
    var.mkdir(parents=True, exist_ok=True)
    stack = Stack(var=var)
    stopping = False

    def on_signal(signum: int, frame: object) -> None:
        nonlocal stopping
        if not stopping:
            stopping = True
            raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_signal)
    try:
        print("Starting PostgreSQL 15 in", var / "prod-pg", flush=True)
        stack.env = stack.base_env()
        stack.start_postgres()
        print("Starting the S3 stand-in (moto server)", flush=True)
        stack.start_s3()
        print("Migrating, collecting static files, loading demo data", flush=True)
        stack.prepare()
        stack.start_worker()
        stack.start_scheduler()
        address = stack.start_web(port=args.port, workers=args.workers)
        print(
            f"\nLicheng (production shape) at {address}/\n"
            f"  {args.workers} gunicorn processes, 1 db_worker, nightly backup scheduler\n"
            f"  PostgreSQL {stack.cluster.url if stack.cluster else ''}\n"
            f"  S3 http://127.0.0.1:{stack.s3_port} bucket {BUCKET} (in memory: files last until Ctrl-C)\n"
            f"  metrics {address}/metrics  readiness {address}/readyz  logs {stack.log_dir}/\n"
            "Ctrl-C stops everything.",
            flush=True,
        )
        while True:
            for name, proc in list(stack.processes.items()):
                if proc.poll() is not None:
                    print(f"{name} exited with {proc.returncode}; see {stack.log_dir}/{name}.log")
                    return 1
            time.sleep(1)
    except KeyboardInterrupt:
        print("\nStopping…", flush=True)
        return 0
    except (RuntimeError, pgcluster.PgClusterError) as error:
        print(f"make prod: {error}", file=sys.stderr)
        return 1
    finally:
        stack.stop()
        print("Stopped.", flush=True)


if __name__ == "__main__":
    sys.exit(main())
