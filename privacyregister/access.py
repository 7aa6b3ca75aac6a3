"""One scoping path for every board page: the board in the URL is resolved once per request,
and what the user may do there is read from their guardian object permissions.

Outsiders (no role in the board) get 404; members without the capability get 403.
"""

from collections.abc import Callable, Iterable
from functools import cached_property, wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import Http404, HttpRequest
from guardian.models import UserObjectPermission

from privacyregister.models import Board
from privacyregister.permissions import OWN_ACTIVITIES_ONLY, Capability, Scope
from privacyregister.services import on_board


class BoardAccess:
    """What one user may do in one board, for use in views and templates."""

    def __init__(self, user, board: Board):
        self.user = user
        self.board = board
        self.checked: set[str] = set()

    @cached_property
    def _granted(self) -> list[tuple[str, str, str]]:
        """The user's guardian object permissions on the board and its schools, in one query:
        (model, object pk, capability)."""
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
        self, capability: str, *, schools: Iterable[int] | None = None, whole_board=False
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
        schools = set(schools)
        if capability in OWN_ACTIVITIES_ONLY:
            return bool(schools) and schools <= own
        return bool(schools & own)

    def require(self, capability: str, **kwargs) -> None:
        self.checked.add(capability)
        if not self.can(capability, **kwargs):
            raise PermissionDenied

    @cached_property
    def allowed(self) -> dict[str, bool]:
        """For templates: {% if access.allowed.edit_activity %}."""
        return {capability: self.scope(capability) is not None for capability in Capability}


def board_view(capability: str, *, per_object: bool = False) -> Callable:
    """Decorate a view under /b/<board>/: resolves the board, sets request.board and
    request.access, and refuses users without the capability.

    With per_object the view looks its object up in the board first (404 when it is not there,
    also when it belongs to another board) and then calls request.access.require() for that
    object; the decorator makes sure it did.
    """

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request: HttpRequest, board: str, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            # The user's boards (a handful) in one query: the page's board and the switcher.
            request.my_boards = list(Board.objects.for_user(request.user))
            request.board = next((b for b in request.my_boards if b.slug == board), None)
            if request.board is None:
                raise Http404
            request.access = BoardAccess(request.user, request.board)
            if not per_object:
                request.access.require(capability)
            response = view(request, *args, **kwargs)
            if capability not in request.access.checked:
                raise ImproperlyConfigured(f"{view.__name__} did not check {capability}")
            return response

        wrapper.capability = capability
        return wrapper

    return decorator
