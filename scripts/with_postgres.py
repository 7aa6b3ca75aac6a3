"""Run a command against a throwaway PostgreSQL cluster that lives only as long as the command.

    python scripts/with_postgres.py pytest -m "not browser"

The cluster is created in a temporary directory on a free port with the installed `initdb` and
`pg_ctl`, and removed afterwards. With PG_KEEP_DIR=path it lives in that directory instead and
is kept for the next run (the benchmark reuses its generated sector that way). initdb refuses
to run as root, so as root the cluster runs as an unprivileged system user. Without PostgreSQL
the command is skipped, unless REQUIRE_POSTGRES=1, which turns that into a failure.
"""

import glob
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile

CLUSTER_USER = "postgres"


def find_bin_dir() -> str | None:
    for candidate in [
        os.environ.get("PG_BIN_DIR", ""),
        *sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True),
    ]:
        if candidate and os.path.exists(os.path.join(candidate, "initdb")):
            return candidate
    initdb = shutil.which("initdb")
    return os.path.dirname(os.path.realpath(initdb)) if initdb else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def as_cluster_user(cmd: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return cmd
    try:
        pwd.getpwnam(CLUSTER_USER)
    except KeyError:
        subprocess.run(
            [
                "useradd",
                "--system",
                "--no-create-home",
                "--shell",
                "/usr/sbin/nologin",
                CLUSTER_USER,
            ],
            check=True,
        )
    return ["runuser", "-u", CLUSTER_USER, "--", *cmd]


def initdb(bin_dir: str, data: str) -> None:
    subprocess.run(
        as_cluster_user(
            [
                os.path.join(bin_dir, "initdb"),
                "-D",
                data,
                "-U",
                "app",
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            ]
        ),
        check=True,
        stdout=subprocess.DEVNULL,
    )


def main(command: list[str]) -> int:
    bin_dir = find_bin_dir()
    if bin_dir is None:
        message = "PostgreSQL (initdb/pg_ctl) is niet gevonden"
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            print(f"FOUT: {message}, maar REQUIRE_POSTGRES=1.", file=sys.stderr)
            return 1
        print(f"{message}: de PostgreSQL-run wordt overgeslagen.")
        return 0

    keep = os.environ.get("PG_KEEP_DIR")
    root = os.path.abspath(keep) if keep else tempfile.mkdtemp(prefix="privacyregister-pg-")
    os.makedirs(root, exist_ok=True)
    os.chmod(root, 0o755)  # the cluster user must reach the data directory
    data, log = os.path.join(root, "data"), os.path.join(root, "server.log")
    if os.geteuid() == 0:
        as_cluster_user(["true"])  # creates the user when missing
        shutil.chown(root, CLUSTER_USER)
    port = free_port()
    pg_ctl = os.path.join(bin_dir, "pg_ctl")
    try:
        if not os.path.exists(os.path.join(data, "PG_VERSION")):
            initdb(bin_dir, data)
        options = (
            f"-p {port} -k {root} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        subprocess.run(
            as_cluster_user([pg_ctl, "-D", data, "-l", log, "-w", "-o", options, "start"]),
            check=True,
            stdout=subprocess.DEVNULL,
        )
        env = {**os.environ, "DATABASE_URL": f"postgres://app@127.0.0.1:{port}/postgres"}
        print(
            f"PostgreSQL draait {'in ' + root if keep else 'tijdelijk'} op poort {port}.",
            flush=True,
        )
        return subprocess.run(command, env=env).returncode
    finally:
        subprocess.run(
            as_cluster_user([pg_ctl, "-D", data, "-m", "fast" if keep else "immediate", "stop"]),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        if not keep:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
