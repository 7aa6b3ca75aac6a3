from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from privacyregister.models import Board


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    boards = Board.objects.filter(memberships__user=request.user).distinct()
    return render(request, "privacyregister/dashboard.html", {"boards": boards})
