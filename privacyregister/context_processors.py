from django.utils.functional import SimpleLazyObject

from privacyregister.models import Board
from privacyregister.navigation import board_menu, current_url_name


def my_boards(request):
    """The user's boards for the board switcher; queried only when a page shows the switcher."""
    if not request.user.is_authenticated:
        return {}
    if hasattr(request, "my_boards"):  # a board page looked them up already
        return {"my_boards": request.my_boards}
    return {"my_boards": SimpleLazyObject(lambda: list(Board.objects.for_user(request.user)))}


def navigation(request):
    """The board's menu with its current item, and the current page's URL name (for the
    top menu's own current item)."""
    context = {"current_url_name": current_url_name(request)}
    if hasattr(request, "board") and hasattr(request, "access"):
        context["board_menu"] = SimpleLazyObject(lambda: board_menu(request))
    return context
