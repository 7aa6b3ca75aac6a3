"""Public pages: the published privacy statements, for everyone, without logging in.

Everything here is served from the published versions (snapshot and stored HTML), never from
the live register.
"""

from dataclasses import dataclass, replace
from datetime import datetime
from functools import wraps

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotModified
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.http import http_date
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from privacyregister.branding import colour_css, logo_read
from privacyregister.errors import NotFound
from privacyregister.models import Board, School
from processing.directory import MAX_RESULTS, board_schools, public_boards, school_search
from processing.forms import SchoolSearchForm
from processing.models import StatementVersion
from processing.pdf import statement_pdf
from processing.statement_variants import ENGLISH, PARENTS, PUPILS, Variant
from processing.statements import statement_diff, version_cache_key


def _versions(board: str, school: str | None):
    board_obj = get_object_or_404(Board, slug=board)
    school_obj = get_object_or_404(board_obj.schools.active(), slug=school) if school else None
    versions = StatementVersion.objects.filter(board=board_obj, school=school_obj).select_related(
        "board", "school"
    )
    return board_obj, school_obj, versions


def _published(board: str, school: str | None):
    """The published versions of one statement, found by the slugs in the URL."""
    versions = StatementVersion.objects.filter(board__slug=board)
    if school:  # an archived school's statements are kept, but no longer public
        return versions.filter(school__slug=school, school__archived_at=None)
    return versions.filter(school=None)


@dataclass(frozen=True)
class Published:
    """What the cache headers need: one light query (or the cache) before anything else."""

    pk: int
    number: int
    published_at: datetime
    etag: str
    board: str  # the slugs in the URL
    school: str | None
    asked_for_latest: bool
    # The name of the school whose URL this is, when it shows the board's statement because
    # the school has none of its own.
    fallback_for: str | None = None


# Which version a URL shows is looked up at most once per this many seconds per worker: a new
# publication is public within half a minute (browsers may keep the latest five minutes anyway).
LOOKUP_SECONDS = 30


def _lookup(board: str, school: str | None, number: int | None):
    """(pk, number, published_at, board id, school id) of the version a URL shows, or None.
    For the latest of an active school without a statement of its own: the school's name, as
    it shows the board's statement (looked up apart, so a new one of the board's is shown at
    once). Kept under the same key, which publishing the school's first statement and saving
    the school clear."""
    key = version_cache_key(board, school, number)
    found = cache.get(key)
    if found is None:
        versions = _published(board, school)
        if number is None:
            versions = versions.order_by("-number")
        else:  # v0 is no version: numbers start at 1
            versions = versions.filter(number=number)
        fields = ["pk", "number", "published_at", "board_id", "school_id"]
        found = versions.values_list(*fields).first()
        if found is None and school and number is None:
            found = _active_school_name(board, school)
        if found is not None:
            cache.set(key, found, LOOKUP_SECONDS)
    return found


def _active_school_name(board: str, school: str) -> str | None:
    return (
        School.objects.active()
        .filter(board__slug=board, slug=school)
        .values_list("name", flat=True)
        .first()
    )


def _not_published(request: HttpRequest, school_name: str) -> HttpResponse:
    """A school that exists, without a statement of its own or of its board: not yet."""
    return render(
        request, "processing/public/not_published.html", {"school_name": school_name}, status=404
    )


def _cached(view):
    """Published versions never change: a numbered URL is cached for a year, the latest for
    five minutes, and a browser that has it gets a 304 from the ETag. So a numbered page must
    not depend on anything that changes later, such as whether a newer version exists.
    Read-only, so without the request transaction."""

    @wraps(view)
    @transaction.non_atomic_requests
    def wrapper(request, board: str, school: str | None = None, number=None):
        found = _lookup(board, school, number)
        fallback_for = None
        if isinstance(found, str):  # the school's name: it shows the board's statement
            fallback_for = found
            found = _lookup(board, None, None)
            if found is None:
                return _not_published(request, fallback_for)
        if found is None:
            raise NotFound(_("Deze privacyverklaring is (nog) niet gepubliceerd."))
        pk, found_number, published_at, board_id, school_id = found
        # The page around the statement follows the reader's language; the board's statement
        # at a school's URL is another page than at the board's.
        etag = f"{board_id}-{school_id or 0}-{found_number}-{view.__name__}-{get_language()}"
        version = Published(
            pk,
            found_number,
            published_at,
            f'"{etag}-{school}"' if fallback_for else f'"{etag}"',
            board,
            school,
            asked_for_latest=number is None,
            fallback_for=fallback_for,
        )
        if version.etag in request.headers.get("If-None-Match", ""):
            response = HttpResponseNotModified()
        else:
            response = view(request, version)
        response["ETag"] = version.etag
        response["Last-Modified"] = http_date(published_at.timestamp())
        response["Cache-Control"] = (
            "public, max-age=300" if number is None else "public, max-age=31536000, immutable"
        )
        return response

    return wrapper


def _statement(version: Published, *fields: str) -> StatementVersion:
    """The version with the given fields, and for each variant whether the version has it
    (has_html_pupils, ...) without reading its HTML."""
    return (
        StatementVersion.objects.select_related("board", "school")
        .annotate(
            **{
                f"has_{variant.html_field}": ExpressionWrapper(
                    ~Q(**{variant.html_field: ""}), output_field=BooleanField()
                )
                for variant in (PUPILS, ENGLISH)
            }
        )
        .only(
            "number",
            "published_at",
            "version_label",  # the PDF's cover names the version as the board does
            "effective_from",
            "board__slug",
            "board__name",
            "school__slug",
            "school__name",
            *fields,
        )
        .get(pk=version.pk)
    )


# The URL names of each variant's page and PDF (public_urls.SUFFIXES), for the latest version;
# a numbered version's are "statement_version…".
URL_NAMES = {
    PARENTS.key: ("statement", "statement_pdf"),
    PUPILS.key: ("statement_pupils", "statement_pupils_pdf"),
    ENGLISH.key: ("statement_en", "statement_en_pdf"),
}


def _link_text(current: Variant, other: Variant) -> str:
    if other is ENGLISH:
        return _("Lees deze verklaring in het Engels")
    if other is PUPILS:
        return _("Voor leerlingen")
    if current is ENGLISH:
        return _("Lees deze verklaring in het Nederlands")
    return _("Privacyverklaring voor ouders")


def _url(version: Published, variant: Variant, pdf: bool = False) -> str:
    """A latest URL leads to the latest of the other variants, a numbered one to the same
    version's: a numbered page is cached for a year and must not change."""
    name = URL_NAMES[variant.key][pdf]
    kwargs: dict[str, str | int] = {"board": version.board}
    if version.school:
        kwargs["school"] = version.school
    if not version.asked_for_latest:
        name = name.replace("statement", "statement_version", 1)
        kwargs["number"] = version.number
    return reverse(f"{'school' if version.school else 'board'}_{name}", kwargs=kwargs)


def _has(statement: StatementVersion, variant: Variant) -> bool:
    return variant is PARENTS or getattr(statement, f"has_{variant.html_field}")


def _page(request: HttpRequest, version: Published, variant: Variant) -> HttpResponse:
    """The page is the same for everyone who reads it in one language, so it is rendered once
    per worker and kept in the cache: the stored HTML of a large board is some 100 kB. The
    English statement's page is English around it too."""
    language = variant.language or get_language()
    url = "laatste" if version.asked_for_latest else "genummerd"
    if version.fallback_for:  # the board's statement at a school's URL
        url = f"school:{version.school}"
    key = f"privacyverklaring:{version.pk}:{variant.key}:{url}:{language}"
    page = cache.get(key)
    if page is None:
        statement = _statement(version, variant.html_field)
        # A school that shows the board's statement links to the board's other pages.
        links_to = replace(version, school=None) if version.fallback_for else version
        if not _has(statement, variant):
            raise NotFound(_("Deze versie van de privacyverklaring heeft deze uitvoering niet."))
        with translation.override(language):
            page = render_to_string(
                "processing/public/statement.html",
                {
                    "statement": statement,
                    "asked_for_latest": version.asked_for_latest,
                    "latest_url": _url(replace(version, asked_for_latest=True), variant),
                    "fallback_for": version.fallback_for,
                    "pdf_url": _url(replace(links_to, asked_for_latest=False), variant, pdf=True),
                    "title": variant.title,
                    "links": [
                        {
                            "url": _url(links_to, other),
                            "text": _link_text(variant, other),
                            "language": other.language_code,
                        }
                        for other in (PARENTS, PUPILS, ENGLISH)
                        if other is not variant and _has(statement, other)
                    ],
                    # our own escaped render
                    "body": mark_safe(getattr(statement, variant.html_field)),
                    # Published in its own language, whatever the page around it.
                    "statement_language": variant.language_code,
                },
                request,
            )
        cache.set(key, page)
    return HttpResponse(page)


def _pdf(version: Published, variant: Variant, name: str) -> HttpResponse:
    statement = _statement(version, variant.pdf_field)  # the HTML is read only to render once
    if not _has(statement, variant):
        raise NotFound(_("Deze versie van de privacyverklaring heeft deze uitvoering niet."))
    slug = statement.school.slug if statement.school else statement.board.slug
    response = HttpResponse(statement_pdf(statement, variant), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}-{slug}-v{statement.number}.pdf"'
    return response


@_cached
def statement_page(request: HttpRequest, version: Published) -> HttpResponse:
    return _page(request, version, PARENTS)


@_cached
def statement_pdf_download(_request: HttpRequest, version: Published) -> HttpResponse:
    return _pdf(version, PARENTS, "privacyverklaring")


@_cached
def pupils_page(request: HttpRequest, version: Published) -> HttpResponse:
    return _page(request, version, PUPILS)


@_cached
def pupils_pdf_download(_request: HttpRequest, version: Published) -> HttpResponse:
    return _pdf(version, PUPILS, "privacyverklaring-leerlingen")


@_cached
def english_page(request: HttpRequest, version: Published) -> HttpResponse:
    return _page(request, version, ENGLISH)


@_cached
def english_pdf_download(_request: HttpRequest, version: Published) -> HttpResponse:
    return _pdf(version, ENGLISH, "privacy-statement")


BOARDS_PER_PAGE = 50


@transaction.non_atomic_requests
def directory(request: HttpRequest) -> HttpResponse:
    """The boards that have published, and a search for a school by its name or place."""
    form = SchoolSearchForm(request.GET)
    query = form.cleaned_data["zoek"] if form.is_valid() else ""
    context: dict[str, object] = {"form": form, "query": query, "max_results": MAX_RESULTS}
    if query:
        found = list(school_search(query)[: MAX_RESULTS + 1])
        context |= {"schools": found[:MAX_RESULTS], "more": len(found) > MAX_RESULTS}
    else:
        boards = public_boards().order_by("name")
        context["page"] = Paginator(boards, BOARDS_PER_PAGE).get_page(request.GET.get("pagina"))
    return render(request, "processing/public/index.html", context)


@transaction.non_atomic_requests
def board_page(request: HttpRequest, board: str) -> HttpResponse:
    """The board's schools, each with a link to the statement that applies to it, and the
    board's own statement. Links to this URL from before these pages, when it was the board's
    statement, land here: the board's statement is the first link."""
    # An unknown board and one that has published nothing get the same answer.
    board_obj = public_boards().filter(slug=board).first()
    if board_obj is None:
        raise NotFound(_("Van dit schoolbestuur is (nog) geen privacyverklaring gepubliceerd."))
    latest = (
        board_obj.statement_versions.filter(school=None)
        .order_by("-number")
        .values("number", "published_at")
        .first()
    )
    schools = list(board_schools(board_obj))
    return render(
        request,
        "processing/public/board.html",
        {"board": board_obj, "latest": latest, "schools": schools},
    )


def statement_versions(request: HttpRequest, board: str, school: str | None = None):
    board_obj, school_obj, versions = _versions(board, school)
    versions = list(versions.order_by("-number").defer(*StatementVersion.DOCUMENT_FIELDS))
    if not versions:
        raise NotFound(_("Deze privacyverklaring is (nog) niet gepubliceerd."))
    return render(
        request,
        "processing/public/versions.html",
        {"board": board_obj, "school": school_obj, "versions": versions},
    )


def statement_changes(request: HttpRequest, board: str, school: str | None = None):
    board_obj, school_obj, versions = _versions(board, school)
    numbers = sorted(versions.values_list("number", flat=True))
    if len(numbers) < 2:
        raise NotFound(_("Er is maar één versie; er is nog niets te vergelijken."))
    try:
        new_number = int(request.GET.get("naar", numbers[-1]))
        old_number = int(request.GET.get("van", new_number - 1))
    except ValueError:
        raise NotFound(_("Onbekende versie.")) from None
    # Compared by their parents' HTML; the snapshot, the other HTMLs and the PDFs stay unread.
    compared = versions.defer(*(f for f in StatementVersion.DOCUMENT_FIELDS if f != "html"))
    old = compared.filter(number=old_number).first()
    new = compared.filter(number=new_number).first()
    if old is None or new is None:
        raise NotFound(_("Onbekende versie."))
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


# Logos and colour sheets are named by their content: a name always means the same bytes.
FOREVER = "public, max-age=31536000, immutable"


@transaction.non_atomic_requests
def logo(_request: HttpRequest, name: str) -> HttpResponse:
    found = logo_read(name)
    if found is None:
        raise Http404
    content, content_type = found
    response = HttpResponse(content, content_type=content_type)
    response["Cache-Control"] = FOREVER
    return response


@transaction.non_atomic_requests
def house_colour(_request: HttpRequest, colour: str) -> HttpResponse:
    response = HttpResponse(colour_css(f"#{colour}"), content_type="text/css; charset=utf-8")
    response["Cache-Control"] = FOREVER
    return response
