"""Time the art. 30 register PDF alone, on a throwaway SQLite database: a board of 150 and one of
300 generated activities and the demo board (cpow), each with status "vastgesteld" and "alle",
as the export job makes it (every change, no period). --profile prints where one render of the
150-activity register spends its time.

    .venv/bin/python benchmarks/register_pdf.py --database /tmp/p.sqlite3 [--runs 3] [--profile]

The database is made on the first run and reused after it (delete the file for a fresh one).
"""

import argparse
import cProfile
import os
import pstats
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BOARDS = [("pdf150", 150), ("pdf300", 300)]
STATUSES = {"vastgesteld": {"status": "vastgesteld"}, "alle": {}}


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="/tmp/register_pdf.sqlite3")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--save", help="Folder to write the PDFs to, to look at them.")
    parser.add_argument("--only", help="Only the boards whose slug starts with this.")
    return parser.parse_args()


def prepare() -> None:
    from django.core.management import call_command

    from privacyregister.models import Board

    call_command("migrate", verbosity=0)
    for prefix, activities in BOARDS:
        if not Board.objects.filter(slug__startswith=f"{prefix}-").exists():
            call_command(
                "generate_sector",
                boards=1,
                activities_per_board=activities,
                prefix=prefix,
                jobs=1,  # SQLite: one writer
                verbosity=0,
            )
    if not Board.objects.filter(slug="cpow").exists():
        call_command("load_demo", verbosity=0)


def make_pdf(board, cleaned: dict) -> bytes:
    """As the export job makes it for the board's privacy officer."""
    from benchmarks.pages import officer_access
    from processing.history import register_changes
    from processing.register_entries import register_entries
    from processing.register_pdf import register_pdf

    access = officer_access(board)
    selection = register_entries(access, cleaned)
    changes = register_changes([e.activity.pk for e in selection.entries], None, None)
    return register_pdf(
        board=board, selection=selection, changes=changes, filters=[], exported_by=access.user
    )


def pages(pdf: bytes) -> int:
    """Poppler's pdfinfo: WeasyPrint compresses the page tree."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(pdf)
        file.flush()
        info = subprocess.run(["pdfinfo", file.name], capture_output=True, text=True).stdout
    found = re.search(r"^Pages:\s+(\d+)", info, re.M)
    assert found is not None, info
    return int(found.group(1))


def main() -> None:
    options = arguments()
    os.environ["DATABASE_URL"] = f"sqlite:///{options.database}"
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "privacyregister.settings")
    import django

    django.setup()
    from django.utils import translation

    from privacyregister.models import Board

    translation.activate("nl")
    prepare()
    boards = [Board.objects.get(slug__startswith=f"{prefix}-") for prefix, _ in BOARDS]
    boards.append(Board.objects.get(slug="cpow"))
    if options.profile:
        profiler = cProfile.Profile()
        profiler.runcall(make_pdf, boards[0], STATUSES["vastgesteld"])
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(30)
        return
    for board in boards:
        if options.only and not board.slug.startswith(options.only):
            continue
        for status, cleaned in STATUSES.items():
            seconds, cpu = [], []
            for _ in range(options.runs):
                started, started_cpu = time.perf_counter(), time.process_time()
                pdf = make_pdf(board, cleaned)
                seconds.append(time.perf_counter() - started)
                cpu.append(time.process_time() - started_cpu)
            name = f"{board.slug} ({board.activities.count()}), {status}"
            # The processor time too: on a shared machine it varies less than the clock.
            print(
                f"{name:<28} {statistics.median(seconds):6.2f} s "
                f"(cpu {statistics.median(cpu):5.2f} s)  {pages(pdf):4} pagina's",
                flush=True,
            )
            if options.save:
                Path(options.save, f"{board.slug}-{status}.pdf").write_bytes(pdf)


if __name__ == "__main__":
    main()
