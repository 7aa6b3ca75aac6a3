"""Which boards and schools the public pages list, and the school search.

A board is public once it has published a statement (its own or a school's): the list is for
parents, and a board that has published nothing would be a dead end for them. A school of a
public board is listed while it is not archived, with what a parent will read on its page.
"""

from django.db.models import Exists, OuterRef, Q, QuerySet

from privacyregister.models import Board, School
from processing.models import StatementVersion

# A search is a few words of a school's name or place; longer input is refused by the form.
MAX_QUERY_LENGTH = 100
MAX_TERMS = 6
MAX_RESULTS = 50


def _public_versions() -> QuerySet[StatementVersion]:
    """Published versions that are public: an archived school's statements are not."""
    return StatementVersion.objects.filter(Q(school=None) | Q(school__archived_at=None))


def public_boards() -> QuerySet[Board]:
    return Board.objects.filter(Exists(_public_versions().filter(board=OuterRef("pk")))).only(
        "name", "slug", "logo", "house_colour"
    )


def _with_statements(schools: QuerySet[School]) -> QuerySet[School]:
    """Whether a school has its own statement, and whether its board's applies instead."""
    return schools.annotate(
        has_own_statement=Exists(StatementVersion.objects.filter(school=OuterRef("pk"))),
        board_has_statement=Exists(
            StatementVersion.objects.filter(board=OuterRef("board"), school=None)
        ),
    )


def board_schools(board: Board) -> QuerySet[School]:
    return _with_statements(board.schools.active()).order_by("name")


def school_search(query: str) -> QuerySet[School]:
    """Active schools of public boards whose name or address holds every word of the query,
    in any case. Django escapes % and _ in the words; the address holds the place."""
    schools = School.objects.active().filter(board__in=public_boards().values("pk"))
    for term in query.split()[:MAX_TERMS]:
        schools = schools.filter(Q(name__icontains=term) | Q(address__icontains=term))
    return (
        _with_statements(schools)
        .select_related("board")
        .only("name", "slug", "address", "board__name", "board__slug", "board__logo")
        .order_by("name", "board__name")
    )
