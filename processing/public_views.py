"""Public pages: the published privacy statements, for everyone, without logging in.

Everything here is served from the published versions (snapshot and stored HTML), never from
the live register.
"""

from functools import wraps

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotModified
from django.shortcuts import get_object_or_404, render
from django.utils.http import http_date
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from privacyregister.models import Board
from processing.models import StatementVersion
from processing.pdf import statement_pdf
from processing.statements import statement_diff


def _versions(board: str, school: str | None):
    board_obj = get_object_or_404(Board, slug=board)
    school_obj = get_object_or_404(board_obj.schools, slug=school) if school else None
    versions = StatementVersion.objects.filter(board=board_obj, school=school_obj).select_related(
        "board", "school"
    )
    return board_obj, school_obj, versions


def _published(board: str, school: str | None):
    """The published versions of one statement, found by the slugs in the URL in one query."""
    versions = StatementVersion.objects.filter(board__slug=board).select_related("board", "school")
    return versions.filter(school__slug=school) if school else versions.filter(school=None)


def _cached(view):
    """Published versions never change: a numbered URL is cached for a year, the latest for
    five minutes, and a browser that has it gets a 304 from the ETag.

    Only the version's metadata is read up front; the view reads the HTML or PDF it sends."""

    @wraps(view)
    def wrapper(request, board: str, school: str | None = None, number=None):
        versions = _published(board, school).defer("snapshot", "html", "pdf")
        if number:
            statement = versions.filter(number=number).first()
        else:
            statement = versions.order_by("-number").first()
        if statement is None:
            raise Http404(_("Deze privacyverklaring is (nog) niet gepubliceerd."))
        etag = (
            f'"{statement.board_id}-{statement.school_id or 0}-{statement.number}-{view.__name__}"'
        )
        if etag in request.headers.get("If-None-Match", ""):
            response = HttpResponseNotModified()
        else:
            response = view(request, statement, latest=None if number else statement.number)
        response["ETag"] = etag
        response["Last-Modified"] = http_date(statement.published_at.timestamp())
        response["Cache-Control"] = (
            "public, max-age=300" if number is None else "public, max-age=31536000, immutable"
        )
        return response

    return wrapper


@_cached
def statement_page(request: HttpRequest, statement: StatementVersion, latest: int | None):
    if latest is None:
        latest = _published(statement.board.slug, statement.school and statement.school.slug)
        latest = latest.order_by("-number").values_list("number", flat=True).first()
    return render(
        request,
        "processing/public/statement.html",
        {
            "statement": statement,
            "latest_number": latest,
            "body": mark_safe(statement.html),  # noqa: S308 (our own escaped render)
        },
    )


@_cached
def statement_pdf_download(
    request: HttpRequest, statement: StatementVersion, latest
) -> HttpResponse:
    name = (
        f"privacyverklaring-{statement.school.slug if statement.school else statement.board.slug}"
    )
    response = HttpResponse(statement_pdf(statement), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}-v{statement.number}.pdf"'
    return response


def statement_versions(request: HttpRequest, board: str, school: str | None = None):
    board_obj, school_obj, versions = _versions(board, school)
    versions = list(versions.order_by("-number").defer("html", "snapshot", "pdf"))
    if not versions:
        raise Http404(_("Deze privacyverklaring is (nog) niet gepubliceerd."))
    return render(
        request,
        "processing/public/versions.html",
        {"board": board_obj, "school": school_obj, "versions": versions},
    )


def statement_changes(request: HttpRequest, board: str, school: str | None = None):
    board_obj, school_obj, versions = _versions(board, school)
    numbers = sorted(versions.values_list("number", flat=True))
    if len(numbers) < 2:
        raise Http404(_("Er is maar één versie; er is nog niets te vergelijken."))
    try:
        new_number = int(request.GET.get("naar", numbers[-1]))
        old_number = int(request.GET.get("van", new_number - 1))
    except ValueError:
        raise Http404(_("Onbekende versie.")) from None
    old = versions.filter(number=old_number).first()
    new = versions.filter(number=new_number).first()
    if old is None or new is None:
        raise Http404(_("Onbekende versie."))
    return render(
        request,
        "processing/public/changes.html",
        {
            "board": board_obj,
            "school": school_obj,
            "old": old,
            "new": new,
            "lines": statement_diff(old, new),
            "numbers": numbers,
        },
    )
