"""Start and stop a PostgreSQL 15 cluster of our own, for tests (throwaway) and ``make prod`` (kept).

    python -m licheng.devtools.pgcluster run -- pytest -q     # start, run, stop, remove
    python -m licheng.devtools.pgcluster start [--dir D --port P --keep]   # prints the URL
    python -m licheng.devtools.pgcluster stop DIR [--remove]

PostgreSQL refuses to run as root, and these machines run us as root. Then we give *only the
directory we just created* to Debian's existing ``postgres`` user and run the server-side tools
(initdb, pg_ctl) through ``runuser -u postgres --``. Nothing else changes owner or mode, and no
system user is added. Not root: everything runs directly as the current user.

The server listens on a unix socket inside its own directory and on 127.0.0.1 at a free port, so
several checkouts on one machine can each run their own cluster without colliding.
"""

from __future__ import annotations

import argparse
import json
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

DEFAULT_BIN_DIRS = ("/usr/lib/postgresql/15/bin",)
SERVER_USER = "postgres"  # Debian's, used only when we are root
STATE_FILE = "cluster.json"
# Unix socket paths are limited to ~107 bytes; ".s.PGSQL.65535" takes 15 of them.
MAX_SOCKET_DIR = 90


class PgClusterError(RuntimeError):
    pass


def find_bin_dir() -> Path | None:
    """Where initdb and pg_ctl live: LICHENG_PG_BIN, then Debian's PG 15 path, then PATH."""
    candidates = [os.environ.get("LICHENG_PG_BIN", ""), *DEFAULT_BIN_DIRS]
    for candidate in candidates:
        if candidate and (Path(candidate) / "pg_ctl").is_file():
            return Path(candidate)
    on_path = shutil.which("pg_ctl")
    return Path(on_path).parent if on_path else None


def available() -> bool:
    """True when a cluster can be started here (binaries, and the postgres user when root)."""
    if find_bin_dir() is None:
        return False
    if _as_root():
        try:
            pwd.getpwnam(SERVER_USER)
        except KeyError:
            return False
    return True


def free_port() -> int:
    # The kernel picks a free port; a race with another process is handled by retrying start().
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_root() -> bool:
    return os.geteuid() == 0


@dataclass
class Cluster:
    """A running cluster: its directory (data + socket + log), port and database."""

    root: str
    port: int
    dbname: str = "licheng"
    user: str = "postgres"
    keep: bool = False

    @property
    def data_dir(self) -> Path:
        return Path(self.root) / "data"

    @property
    def socket_dir(self) -> Path:
        return Path(self.root)

    @property
    def log_file(self) -> Path:
        return Path(self.root) / "postgres.log"

    @property
    def url(self) -> str:
        """The form settings.database_from_url reads: TCP address, but connect via the socket."""
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/{self.dbname}?host={self.root}"

    def stop(self, *, remove: bool | None = None) -> None:
        stop(self, remove=remove)

    def __enter__(self) -> Cluster:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _server_cmd(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", SERVER_USER, "--", *cmd] if _as_root() else cmd


def _run(cmd: list[str], *, cwd: Path, server: bool = True) -> None:
    # cwd is our own directory: the postgres user may not be able to enter the caller's cwd.
    full = _server_cmd(cmd) if server else cmd
    result = subprocess.run(full, cwd=cwd, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise PgClusterError(f"{' '.join(full)} failed:\n{result.stdout}{result.stderr}")


def _make_root(data_dir: str | Path | None, base: str | Path | None) -> tuple[Path, bool]:
    """Create (or reuse) the cluster's directory; returns (path, created_by_us)."""
    if data_dir is not None:
        root = Path(data_dir).resolve()
        created = not root.exists()
        root.mkdir(parents=True, exist_ok=True)
    else:
        parent = Path(base) if base else Path(tempfile.gettempdir())
        parent.mkdir(parents=True, exist_ok=True)
        root = Path(tempfile.mkdtemp(prefix="licheng-pg-", dir=parent))
        created = True
    if len(str(root)) > MAX_SOCKET_DIR:
        if created:
            shutil.rmtree(root)
        raise PgClusterError(f"{root} is too long for a unix socket path; use a shorter --dir")
    if _as_root() and created:
        # The one ownership change we allow ourselves: the directory we just made.
        entry = pwd.getpwnam(SERVER_USER)
        os.chown(root, entry.pw_uid, entry.pw_gid)
    return root, created


def _locale() -> str:
    out = subprocess.run(["locale", "-a"], capture_output=True, text=True, check=False).stdout
    names = {line.strip().lower() for line in out.splitlines()}
    return "C.UTF-8" if names & {"c.utf8", "c.utf-8"} else "C"


def _server_options(cluster: Cluster, *, fsync: bool) -> str:
    options = [
        "listen_addresses=127.0.0.1",
        f"port={cluster.port}",
        f"unix_socket_directories={cluster.root}",
    ]
    if not fsync:
        # A throwaway test cluster does not need to survive a power cut; this halves its I/O.
        options += ["fsync=off", "synchronous_commit=off", "full_page_writes=off"]
    return " ".join(f"-c {option}" for option in options)


def start(
    *,
    data_dir: str | Path | None = None,
    port: int | None = None,
    base: str | Path | None = None,
    dbname: str = "licheng",
    fsync: bool = False,
    keep: bool = False,
) -> Cluster:
    """Start a cluster and create ``dbname``; returns it running.

    Without ``data_dir`` a fresh directory is made under ``base`` (default: the system temp dir)
    and removed by ``stop()`` unless ``keep``. With ``data_dir`` an existing cluster there is
    reused (``make prod``), and it is kept.
    """
    bin_dir = find_bin_dir()
    if bin_dir is None:
        raise PgClusterError("PostgreSQL binaries not found (set LICHENG_PG_BIN)")
    root, created = _make_root(data_dir, base)
    cluster = Cluster(root=str(root), port=port or free_port(), dbname=dbname)
    cluster.keep = keep or data_dir is not None
    try:
        if not (cluster.data_dir / "PG_VERSION").exists():
            _run(
                [str(bin_dir / "initdb"), "-D", str(cluster.data_dir), "-U", cluster.user,
                 "--auth=trust", "-E", "UTF8", f"--locale={_locale()}", "--no-instructions"],
                cwd=root,
            )  # fmt: skip
        _start_server(cluster, bin_dir, fsync=fsync, port_given=port is not None)
        _create_database(cluster, bin_dir)
        (root / STATE_FILE).write_text(json.dumps(asdict(cluster)))
    except BaseException:
        if created and not cluster.keep:
            _stop_server(cluster, bin_dir)
            shutil.rmtree(root, ignore_errors=True)
        raise
    return cluster


def _start_server(cluster: Cluster, bin_dir: Path, *, fsync: bool, port_given: bool) -> None:
    # Another process may grab our free port between free_port() and the bind: try a few.
    for attempt in range(5):
        try:
            _run(
                [str(bin_dir / "pg_ctl"), "-D", str(cluster.data_dir), "-l", str(cluster.log_file),
                 "-w", "-t", "60", "-o", _server_options(cluster, fsync=fsync), "start"],
                cwd=Path(cluster.root),
            )  # fmt: skip
            return
        except PgClusterError:
            if port_given or attempt == 4:
                log = cluster.log_file.read_text() if cluster.log_file.exists() else ""
                raise PgClusterError(f"PostgreSQL did not start; log:\n{log[-2000:]}") from None
            cluster.port = free_port()
            time.sleep(0.2)


def _create_database(cluster: Cluster, bin_dir: Path) -> None:
    # Trust auth on our own socket: the client tools need not run as the postgres user.
    psql = [str(bin_dir / "psql"), "-h", cluster.root, "-p", str(cluster.port), "-U", cluster.user]
    query = f"SELECT 1 FROM pg_database WHERE datname = '{cluster.dbname}'"
    found = subprocess.run(
        [*psql, "-d", "postgres", "-tAc", query], capture_output=True, text=True, check=True
    ).stdout.strip()
    if not found:
        _run(
            [str(bin_dir / "createdb"), "-h", cluster.root, "-p", str(cluster.port),
             "-U", cluster.user, cluster.dbname],
            cwd=Path(cluster.root), server=False,
        )  # fmt: skip


def _stop_server(cluster: Cluster, bin_dir: Path) -> None:
    if (cluster.data_dir / "postmaster.pid").exists():
        cmd = [str(bin_dir / "pg_ctl"), "-D", str(cluster.data_dir), "-m", "fast", "-w", "stop"]
        subprocess.run(_server_cmd(cmd), cwd=cluster.root, capture_output=True, check=False)


def stop(cluster: Cluster, *, remove: bool | None = None) -> None:
    """Stop the server; remove its directory unless it is kept (``remove`` overrides)."""
    bin_dir = find_bin_dir()
    if bin_dir is None:
        raise PgClusterError("PostgreSQL binaries not found (set LICHENG_PG_BIN)")
    _stop_server(cluster, bin_dir)
    if remove if remove is not None else not cluster.keep:
        shutil.rmtree(cluster.root, ignore_errors=True)


def load(root: str | Path) -> Cluster:
    """The cluster a previous ``start`` left in ``root`` (for the ``stop`` command)."""
    return Cluster(**json.loads((Path(root) / STATE_FILE).read_text()))


def run(cmd: Sequence[str], *, base: str | Path | None = None, fsync: bool = False) -> int:
    """Start a throwaway cluster, run ``cmd`` with LICHENG_DATABASE_URL set, stop, remove."""
    cluster = start(base=base, fsync=fsync)
    try:
        env = {**os.environ, "LICHENG_DATABASE_URL": cluster.url}
        return subprocess.run(list(cmd), env=env, check=False).returncode
    finally:
        cluster.stop()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m licheng.devtools.pgcluster")
    sub = parser.add_subparsers(dest="action", required=True)
    start_p = sub.add_parser("start", help="start a cluster and print its database URL")
    start_p.add_argument("--dir", help="persistent data directory (reused, kept)")
    start_p.add_argument("--port", type=int)
    start_p.add_argument("--keep", action="store_true", help="do not remove on stop")
    start_p.add_argument("--fsync", action="store_true", help="keep fsync on (durable)")
    stop_p = sub.add_parser("stop", help="stop the cluster in DIR")
    stop_p.add_argument("dir")
    stop_p.add_argument("--remove", action="store_true", default=None, help="also remove DIR")
    run_p = sub.add_parser("run", help="run a command against a throwaway cluster")
    run_p.add_argument("cmd", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)

    try:
        if args.action == "start":
            cluster = start(data_dir=args.dir, port=args.port, keep=args.keep, fsync=args.fsync)
            print(cluster.url)
            hint = f"# stop with: python -m licheng.devtools.pgcluster stop {cluster.root}"
            print(hint, file=sys.stderr)
            return 0
        if args.action == "stop":
            stop(load(args.dir), remove=args.remove)
            return 0
        cmd = args.cmd[1:] if args.cmd[:1] == ["--"] else args.cmd
        if not cmd:
            parser.error("run needs a command after --")
        return run(cmd)
    except PgClusterError as error:
        print(f"pgcluster: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
