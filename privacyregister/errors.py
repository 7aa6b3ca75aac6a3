"""What a visitor sees when a page does not exist."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render


class NotFound(Http404):
    """A 404 whose message is written for the visitor, in Dutch: the 404 page shows it."""


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Django's own 404 view puts the exception's text on the page: "Resolver404" for an
    unknown URL, "No ProcessingActivity matches the given query." from get_object_or_404.
    That is English and names the app's internals, so only a NotFound's message is shown."""
    message = str(exception) if isinstance(exception, NotFound) else ""
    return render(request, "404.html", {"message": message}, status=404)
