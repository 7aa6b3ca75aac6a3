"""`make run`: the development server and a task worker beside it, as one command.

    python scripts/run_dev.py 127.0.0.1:8000

The worker (`manage.py db_worker`) makes the exports. Both reload on code changes, so each is a
parent with a child process; each runs in its own process group, which this script stops as a
whole when it ends: on Ctrl+C, SIGTERM, a closed terminal, or when the server exits by itself.
Killing only the parent would leave its child serving the port or taking jobs.
"""

import os
import signal
import subprocess
import sys

MANAGE = [sys.executable, "manage.py"]


def start(command: list[str]) -> subprocess.Popen:
    return subprocess.Popen([*MANAGE, *command], start_new_session=True)


def stop(process: subprocess.Popen) -> None:
    # SIGTERM lets the worker finish the job in hand; then the group is killed.
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:  # the group has already gone
        return
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def main(address: list[str]) -> int:
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, lambda _signum, _frame: sys.exit(0))
    worker = start(["db_worker"])
    server = start(["runserver", *address])
    try:
        return server.wait()
    except KeyboardInterrupt:  # Ctrl+C reaches this script, not the two process groups
        return 0
    finally:
        stop(server)
        stop(worker)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
