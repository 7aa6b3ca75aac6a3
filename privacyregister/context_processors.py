from django.utils.functional import SimpleLazyObject

from privacyregister.models import Board


def my_boards(request):
    """The user's boards for the board switcher; queried only when a page shows the switcher."""
    if not request.user.is_authenticated:
        return {}
    if hasattr(request, "my_boards"):  # a board page looked them up already
        return {"my_boards": request.my_boards}
    return {"my_boards": SimpleLazyObject(lambda: list(Board.objects.for_user(request.user)))}
