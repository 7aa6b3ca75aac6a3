"""`make bench`: the app under gunicorn against PostgreSQL with a generated school sector.

Runs inside scripts/with_postgres.py (DATABASE_URL points at a real server). It
1. makes (or reuses) a database with the sector: --boards boards of 5 schools and 150
   activities, plus one board of 300 activities for the PDF timings;
2. counts the SQL queries of every benchmarked page and of the editor's "Rij toevoegen" (an
   htmx POST), in this process;
3. times the statement PDF and the FG's register PDF of a 150- and a 300-activity board;
4. starts gunicorn on 127.0.0.1 with --workers workers and sends each page, and the add-row
   POST, a fixed number of requests from --concurrency threads on the same machine (loopback
   only), after a warm-up;
5. writes benchmarks/RESULTS.md and benchmarks/results.json.
"""

import argparse
import datetime
import json
import os
import platform
import secrets
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass
from http.client import HTTPConnection
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))  # the project and scripts/, also when run as a script

from benchmarks.pages import (  # noqa: E402
    add_row,
    add_row_query_count,
    officer_access,
    officer_session,
    pages,
    query_counts,
)
from scripts.with_postgres import free_port  # noqa: E402

SECTOR_PREFIX, LARGE_PREFIX = "sector", "groot"


def arguments():
    cores = os.cpu_count() or 1
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--boards", type=int, default=200)
    parser.add_argument("--requests", type=int, default=300, help="per page, after the warm-up")
    parser.add_argument("--warmup", type=int, default=20, help="per page")
    parser.add_argument("--workers", type=int, default=2 * cores)
    parser.add_argument("--concurrency", type=int, default=2 * cores)
    parser.add_argument("--pdf-runs", type=int, default=3)
    return parser.parse_args()


def database_for(boards: int) -> str:
    """A database per sector size in the cluster, so a kept cluster serves both sizes."""
    import psycopg

    server = os.environ["DATABASE_URL"]
    name = f"bench_{boards}"
    with psycopg.connect(server, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not exists.fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')
    return urllib.parse.urlsplit(server)._replace(path=f"/{name}").geturl()


def production_environment(database_url: str) -> dict:
    """Production settings (DEBUG off, two-factor on), plain HTTP on loopback."""
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "privacyregister.settings",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "DEBUG": "0",
    }


def timed(step: str, function, *args, **kwargs):
    print(f"== {step}", flush=True)
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - started


def prepare_sector(boards: int) -> dict:
    from django.core.management import call_command
    from django.db import connection

    from privacyregister.models import Board

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:  # how long generating took, kept with the data
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_generated (prefix text, seconds float)")
        cursor.execute("SELECT prefix, seconds FROM bench_generated")
        generated = dict(cursor.fetchall())
    reused = True
    for prefix, count, activities in [(SECTOR_PREFIX, boards, 150), (LARGE_PREFIX, 1, 300)]:
        made = Board.objects.filter(slug__startswith=f"{prefix}-").count()
        if made == count:
            continue  # reused from an earlier run
        if made:
            sys.exit(f"De database heeft {made} van {count} besturen '{prefix}': verwijder hem.")
        _, seconds = timed(
            f"sector maken: {count} besturen × {activities} verwerkingen",
            call_command,
            "generate_sector",
            boards=count,
            activities_per_board=activities,
            prefix=prefix,
        )
        generated[prefix] = round(seconds, 1)
        reused = reused and prefix != SECTOR_PREFIX
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO bench_generated VALUES (%s, %s)", [prefix, seconds])
    call_command("collectstatic", verbosity=0, interactive=False)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh statistics after the bulk inserts
        cursor.execute("SELECT pg_database_size(current_database())")
        size = cursor.fetchone()[0]
    return {"generation_seconds": generated, "database_bytes": size, "reused": reused}


def pdf_timings(runs: int) -> dict[str, float]:
    from privacyregister.models import Board
    from processing.history import register_changes
    from processing.pdf import render_statement_pdf
    from processing.register_entries import register_entries
    from processing.register_pdf import register_pdf

    timings = {}
    for slug in [f"{SECTOR_PREFIX}-1", f"{LARGE_PREFIX}-1"]:
        board = Board.objects.get(slug=slug)
        size = board.activities.count()
        statement = board.statement_versions.get(school=None)

        def make_register_pdf(board=board):
            """As the export job makes it: every activity, its draft too, all changes."""
            access = officer_access(board)
            selection = register_entries(access, {})
            changes = register_changes([e.activity.pk for e in selection.entries], None, None)
            return register_pdf(
                board=board,
                selection=selection,
                changes=changes,
                filters=[],
                exported_by=access.user,
            )

        for name, make in [
            (
                f"privacyverklaring-pdf, {size} verwerkingen",
                lambda s=statement: render_statement_pdf(s),
            ),
            (f"register-pdf (FG), {size} verwerkingen", make_register_pdf),
        ]:
            seconds = []
            for _ in range(runs):
                started = time.perf_counter()
                make()
                seconds.append(time.perf_counter() - started)
            timings[name] = round(statistics.median(seconds), 2)
            print(f"   {name}: {timings[name]} s (mediaan van {runs})", flush=True)
    return timings


def start_gunicorn(env: dict, workers: int) -> tuple[subprocess.Popen, int]:
    port = free_port()
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "privacyregister.wsgi",
            f"--workers={workers}",
            f"--bind=127.0.0.1:{port}",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=env,
    )
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            if get(port, "/gezond/", None)[0] == 200:
                return server, port
        except OSError:
            time.sleep(0.2)
    server.kill()
    sys.exit("gunicorn start niet")


@dataclass(frozen=True)
class Post:
    """A form posted instead of a page fetched: its body and the headers that go with it."""

    body: bytes
    headers: dict[str, str]


def get(port: int, path: str, cookie: str | None, post: Post | None = None) -> tuple[int, int]:
    connection = HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Cookie": cookie} if cookie else {}
    if post is None:
        connection.request("GET", path, headers=headers)
    else:
        connection.request("POST", path, body=post.body, headers={**headers, **post.headers})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, len(body)


def load(
    port: int,
    path: str,
    cookie: str | None,
    requests: int,
    concurrency: int,
    post: Post | None = None,
) -> dict:
    """`requests` GETs (or POSTs) from `concurrency` threads; latency per request, throughput
    overall."""
    latencies: list[float] = []
    failures = []
    remaining = iter(range(requests))
    lock = threading.Lock()

    def worker():
        while True:
            with lock:
                if next(remaining, None) is None:
                    return
            started = time.perf_counter()
            status, _size = get(port, path, cookie, post)
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                if status != 200:
                    failures.append(status)

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")
    return {
        "requests": len(latencies),
        "failures": len(failures),
        "rps": round(len(latencies) / wall, 1),
        "p50_ms": round(cuts[49] * 1000, 1),
        "p95_ms": round(cuts[94] * 1000, 1),
        "p99_ms": round(cuts[98] * 1000, 1),
    }


def worker_peak_memory(server: subprocess.Popen) -> int:
    """The highest peak resident memory (VmHWM) of gunicorn's worker processes, in bytes."""
    peaks = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines())
        except (OSError, ValueError):
            continue  # a process that ended meanwhile
        if int(fields.get("PPid", "0")) == server.pid and "VmHWM" in fields:
            peaks.append(int(fields["VmHWM"].split()[0]) * 1024)
    return max(peaks)


def write_results(results: dict) -> None:
    (HERE / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    r = results
    reuse = " (in een eerdere run; deze run gebruikte hem opnieuw)" if r["sector"]["reused"] else ""
    lines = [
        "# Benchmarkresultaten",
        "",
        f"Gemeten op {r['date']} met `make bench` ({r['command']}): {r['machine']['cores']} cores, "
        f"{r['machine']['python']}, PostgreSQL {r['machine']['postgresql']}, gunicorn met "
        f"{r['config']['workers']} workers, {r['config']['concurrency']} gelijktijdige clients op "
        f"dezelfde machine (loopback), {r['config']['requests']} verzoeken per pagina "
        f"({10 * r['config']['requests']} voor de publieke pagina's) na "
        f"{r['config']['warmup']} om op te warmen.",
        "",
        f"Sector: {r['sector']['boards']} besturen × {r['sector']['schools_per_board']} scholen "
        f"× {r['sector']['activities_per_board']} verwerkingen "
        f"({r['sector']['activities']:,} verwerkingen) plus één bestuur met 300; database "
        f"{r['sector']['database_mb']} MB; gemaakt in {r['sector']['generation']}{reuse}.",
        "",
        "| Pagina | p50 (ms) | p95 (ms) | p99 (ms) | verzoeken/s | SQL-queries | fouten |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, row in r["pages"].items():
        lines.append(
            f"| {name} | {row['p50_ms']} | {row['p95_ms']} | {row['p99_ms']} | {row['rps']} "
            f"| {row['queries']} | {row['failures']} |"
        )
    lines += [
        "",
        f"Doorvoer van de publieke privacyverklaring t.o.v. de triviale view: "
        f"**{r['public_to_trivial_ratio']:.0%}**.",
        "",
        "| PDF | seconden (mediaan) |",
        "|---|---:|",
        *[f"| {name} | {seconds} |" for name, seconds in r["pdf_seconds"].items()],
        "",
        f"Piekgeheugen van een worker (VmHWM): {r['worker_peak_memory_mb']} MB.",
        "",
    ]
    (HERE / "RESULTS.md").write_text("\n".join(lines))


def main() -> None:
    args = arguments()
    started = time.perf_counter()
    database_url = database_for(args.boards)
    env = production_environment(database_url)
    os.environ.update(env)
    import django

    django.setup()
    from django.db import connection

    from privacyregister.models import Board

    sector = prepare_sector(args.boards)
    board = Board.objects.get(slug=f"{SECTOR_PREFIX}-1")
    session_key = officer_session(board)
    urls = pages(board)
    print("== SQL-queries per pagina", flush=True)
    queries = query_counts(urls, session_key)
    add_row_path, add_row_data = add_row(board)
    add_row_queries = add_row_query_count(board, session_key)
    print("== PDF's", flush=True)
    pdfs = pdf_timings(args.pdf_runs)
    postgres_version = connection.cursor().connection.info.server_version
    connection.close()

    print(f"== gunicorn met {args.workers} workers", flush=True)
    server, port = start_gunicorn(env, args.workers)
    results_per_page = {}
    try:
        from django.conf import settings

        for name, (path, logged_in) in urls.items():
            cookie = f"{settings.SESSION_COOKIE_NAME}={session_key}" if logged_in else None
            # The public pages answer in a few milliseconds: ten times as many requests, so
            # that a hiccup of a shared machine does not decide their numbers.
            requests = args.requests * (1 if logged_in else 10)
            load(port, path, cookie, args.warmup, args.concurrency)
            row = load(port, path, cookie, requests, args.concurrency)
            results_per_page[name] = {**row, "queries": queries[name], "path": path}
            print(f"   {name}: p95 {row['p95_ms']} ms, {row['rps']}/s", flush=True)
        # The double-submit check of Django's CSRF protection: the token in the header matches
        # the one in the cookie (plain HTTP on loopback: no Referer check).
        token = secrets.token_hex(16)
        cookie = (
            f"{settings.SESSION_COOKIE_NAME}={session_key}; {settings.CSRF_COOKIE_NAME}={token}"
        )
        post = Post(
            urllib.parse.urlencode(add_row_data, doseq=True).encode(),
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "HX-Request": "true",
                "X-CSRFToken": token,
            },
        )
        name = "bewerken: rij toevoegen (htmx-POST)"
        load(port, add_row_path, cookie, args.warmup, args.concurrency, post)
        row = load(port, add_row_path, cookie, args.requests, args.concurrency, post)
        results_per_page[name] = {**row, "queries": add_row_queries, "path": add_row_path}
        print(f"   {name}: p95 {row['p95_ms']} ms, {row['rps']}/s", flush=True)
        peak = worker_peak_memory(server)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)

    generated = sector["generation_seconds"].get(SECTOR_PREFIX)
    results = {
        "date": datetime.date.today().isoformat(),
        "command": " ".join(["make bench", f"BENCH_BOARDS={args.boards}"]),
        "machine": {
            "cores": os.cpu_count(),
            "python": platform.python_version(),
            "postgresql": f"{postgres_version // 10000}.{postgres_version % 10000}",
        },
        "config": {
            "workers": args.workers,
            "concurrency": args.concurrency,
            "requests": args.requests,
            "warmup": args.warmup,
        },
        "sector": {
            "boards": args.boards,
            "schools_per_board": 5,
            "activities_per_board": 150,
            "activities": args.boards * 150 + 300,
            "database_mb": round(sector["database_bytes"] / 2**20),
            "generation": f"{generated:.0f} s" if generated is not None else "onbekend",
            "reused": sector["reused"],
        },
        "pages": results_per_page,
        "public_to_trivial_ratio": results_per_page["privacyverklaring (publiek)"]["rps"]
        / results_per_page["referentie: triviale view"]["rps"],
        "pdf_seconds": pdfs,
        "worker_peak_memory_mb": round(peak / 2**20),
        "total_seconds": round(time.perf_counter() - started),
    }
    write_results(results)
    print(f"Klaar in {results['total_seconds']} s: benchmarks/RESULTS.md", flush=True)


if __name__ == "__main__":
    main()
