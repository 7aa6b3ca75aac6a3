"""One scoping path for every board page: the board in the URL is resolved once per request,
and what the user may do there is read from their guardian object permissions.

Outsiders (no role in the board) get 404; members without the capability get 403.
"""

from collections.abc import Callable, Iterable
from functools import cached_property, wraps
from typing import Any, Concatenate, ParamSpec, TypeVar, cast

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django_htmx.middleware import HtmxDetails
from guardian.models import UserObjectPermission

from privacyregister.models import Board, User
from privacyregister.permissions import OWN_ACTIVITIES_ONLY, Capability, Scope
from privacyregister.services import on_board


class AuthenticatedHttpRequest(HttpRequest):
    """The request of a view behind @login_required: its user is a real, logged-in user."""

    user: User


class BoardAccess:
    """What one user may do in one board, for use in views and templates."""

    def __init__(
        self, user: User, board: Board, *, granted: list[tuple[str, str, str]] | None = None
    ):
        self.user = user
        self.board = board
        self.checked: set[str] = set()
        self._preloaded = granted  # read for several users at once: see for_users()

    @classmethod
    def for_users(cls, users: Iterable[User], board: Board) -> list["BoardAccess"]:
        """The access of each of the users to one board, their permissions read in one query
        instead of one per user."""
        users = list(users)
        granted: dict[int, list[tuple[str, str, str]]] = {user.pk: [] for user in users}
        rows = UserObjectPermission.objects.filter(on_board(board), user__in=users).values_list(
            "user_id", "content_type__model", "object_pk", "permission__codename"
        )
        for user_id, model, pk, codename in rows:
            granted[user_id].append((model, pk, codename))
        return [cls(user, board, granted=granted[user.pk]) for user in users]

    @cached_property
    def _granted(self) -> list[tuple[str, str, str]]:
        """The user's guardian object permissions on the board and its schools, in one query:
        (model, object pk, capability)."""
        if self._preloaded is not None:
            return self._preloaded
        return list(
            UserObjectPermission.objects.filter(on_board(self.board), user=self.user).values_list(
                "content_type__model", "object_pk", "permission__codename"
            )
        )

    @cached_property
    def _board_capabilities(self) -> set[str]:
        return {codename for model, _pk, codename in self._granted if model == "board"}

    @cached_property
    def _school_capabilities(self) -> dict[int, set[str]]:
        capabilities: dict[int, set[str]] = {}
        for model, pk, codename in self._granted:
            if model == "school":
                capabilities.setdefault(int(pk), set()).add(codename)
        return capabilities

    def scope(self, capability: str) -> str | None:
        """Scope.BOARD, Scope.SCHOOL or None: how far the capability reaches for this user."""
        if capability in self._board_capabilities:
            return Scope.BOARD
        if self.school_ids(capability):
            return Scope.SCHOOL
        return None

    def school_ids(self, capability: str) -> set[int]:
        """The schools where the user has the capability."""
        return {pk for pk, caps in self._school_capabilities.items() if capability in caps}

    def can(
        self, capability: str, *, schools: Iterable[int] | None = None, whole_board: bool = False
    ) -> bool:
        """May the user do this in the board; for an object, give the schools it concerns.

        `whole_board` marks an object that concerns every school of the board (a board-wide
        activity): with school scope that is visible, but not owned by one school.
        """
        scope = self.scope(capability)
        if scope is None:
            return False
        if scope == Scope.BOARD or (schools is None and not whole_board):
            return True
        own = self.school_ids(capability)
        if whole_board:
            return capability not in OWN_ACTIVITIES_ONLY
        assert schools is not None  # handled above: without schools the answer is the scope
        concerned = set(schools)
        if capability in OWN_ACTIVITIES_ONLY:
            return bool(concerned) and concerned <= own
        return bool(concerned & own)

    def require(self, capability: str, **kwargs: Any) -> None:
        self.checked.add(capability)
        if not self.can(capability, **kwargs):
            raise PermissionDenied

    @cached_property
    def allowed(self) -> dict[str, bool]:
        """For templates: {% if access.allowed.edit_activity %}."""
        return {capability: self.scope(capability) is not None for capability in Capability}


class BoardRequest(AuthenticatedHttpRequest):
    """The request of a board page (@board_view): the board from the URL, the user's access to
    it, and the user's boards for the board switcher."""

    board: Board
    access: BoardAccess
    my_boards: list[Board]
    htmx: HtmxDetails  # django-htmx's middleware: is this an htmx request, from which page


P = ParamSpec("P")
R = TypeVar("R", bound=HttpResponseBase)


def board_view(
    capability: str, *, per_object: bool = False
) -> Callable[
    [Callable[Concatenate[BoardRequest, P], R]],
    Callable[Concatenate[HttpRequest, str, P], HttpResponseBase],
]:
    """Decorate a view under /b/<board>/: resolves the board, sets request.board and
    request.access, and refuses users without the capability.

    With per_object the view looks its object up in the board first (404 when it is not there,
    also when it belongs to another board) and then calls request.access.require() for that
    object; the decorator makes sure it did.
    """

    def decorator(
        view: Callable[Concatenate[BoardRequest, P], R],
    ) -> Callable[Concatenate[HttpRequest, str, P], HttpResponseBase]:
        @wraps(view)
        def wrapper(
            request: HttpRequest, board: str, *args: P.args, **kwargs: P.kwargs
        ) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            # From here on the request carries what a board view is promised.
            board_request = cast(BoardRequest, request)
            # The user's boards (a handful) in one query: the page's board and the switcher.
            board_request.my_boards = list(Board.objects.for_user(board_request.user))
            found = next((b for b in board_request.my_boards if b.slug == board), None)
            if found is None:
                raise Http404
            board_request.board = found
            board_request.access = BoardAccess(board_request.user, found)
            if not per_object:
                board_request.access.require(capability)
            response = view(board_request, *args, **kwargs)
            if capability not in board_request.access.checked:
                raise ImproperlyConfigured(f"{view.__name__} did not check {capability}")
            return response

        return wrapper

    return decorator
